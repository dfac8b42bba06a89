/** The AWS backend's validation: what it refuses before any resource exists. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { awsBackend } from "../../providers/aws";
import { cronJobSpec, resolvedApp, webServiceSpec } from "../support/mocks";

const validate = awsBackend.validate!;

describe("AWS validation", () => {
  it("accepts a typical app", () => {
    const app = resolvedApp({
      services: [webServiceSpec({ name: "web" }), webServiceSpec({ name: "admin", domains: ["admin.example.com"] }), webServiceSpec({ name: "api", public: false })],
      cronJobs: [cronJobSpec({ name: "report" })],
    });
    assert.deepEqual(validate(app), []);
  });

  it("refuses two public services without a domain on the one load balancer, naming both", () => {
    const problems = validate(resolvedApp({ services: [webServiceSpec({ name: "web" }), webServiceSpec({ name: "admin" })] }));
    assert.deepEqual(problems.map((p) => p.path), ["app.services.web.domains", "app.services.admin.domains"]);
    assert.match(problems[0]!.message, /web, admin have no domain/);
    assert.match(problems[0]!.message, /give the others domains .* or make them private/);
  });

  it("ignores parts on other backends", () => {
    const problems = validate(
      resolvedApp({ services: [webServiceSpec({ name: "web" }), webServiceSpec({ name: "admin", backend: "heroku", settings: { cpu: 3 } })] }),
    );
    assert.deepEqual(problems, []);
  });

  it("refuses a host claimed by two services and more names than one certificate holds", () => {
    const many = Array.from({ length: 11 }, (_, i) => `h${i}.example.com`);
    const problems = validate(
      resolvedApp({
        services: [
          webServiceSpec({ name: "web", domains: ["shop.example.com"] }),
          webServiceSpec({ name: "admin", domains: ["shop.example.com"] }),
          webServiceSpec({ name: "many", domains: many }),
        ],
      }),
    );
    assert.deepEqual(
      problems.map((p) => [p.path, p.message.slice(0, 40)]),
      [
        ["app.services.admin.domains", "shop.example.com is also a domain of web"],
        ["app.services.many.domains", "11 domains; an ACM certificate holds at "],
      ],
    );
  });

  it("refuses health check intervals the load balancer rejects", () => {
    const problems = validate(resolvedApp({ services: [webServiceSpec({ name: "web", healthCheck: { path: "/", intervalSeconds: 2 } })] }));
    assert.deepEqual(problems.map((p) => p.path), ["app.services.web.healthCheck.intervalSeconds"]);
  });

  it("refuses a task size Fargate lacks, pointing at the settings", () => {
    const problems = validate(
      resolvedApp({
        services: [webServiceSpec({ name: "web", settings: { memory: 8192 } })],
        cronJobs: [cronJobSpec({ name: "report", size: "xlarge", settings: { cpu: 512, memory: 512 } })],
      }),
    );
    assert.deepEqual(problems.map((p) => p.path), ["multicloud:services.web.aws", "multicloud:cronJobs.report.aws"]);
    assert.match(problems[0]!.message, /memory 8192 MiB is not allowed with cpu 256/);
    assert.match(problems[1]!.message, /memory 512 MiB is not allowed with cpu 512 on Fargate; allowed: 1024-4096/);
  });

  it("refuses schedules EventBridge cannot express", () => {
    const problems = validate(resolvedApp({ cronJobs: [cronJobSpec({ name: "report", schedule: "0 9 1 * MON" })] }));
    assert.deepEqual(problems.map((p) => p.path), ["app.cronJobs.report.schedule"]);
  });
});
