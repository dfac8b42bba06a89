/**
 * DigitalOcean cron jobs under the mock runtime (a separate file from cron.test.ts: the plan runner and these mocks
 * are process-global): what is refused, and a job with its own image pushed to DOCR.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deployApp } from "../../components/app";
import type { AppSpec } from "../../components/spec";
import { validateDigitalocean } from "../../providers/digitalocean/validate";
import { cronJobSpec, recordResources, resolvedApp, reveal, webServiceSpec } from "../support/mocks";

const JOBS = "pulumi-nodejs:dynamic/digitalocean:ScheduledJobs";
interface Job {
  name: string; schedule: { cron: string; time_zone: string }; run_command: string;
  image: { registry_type: string; repository: string; digest: string }; instance_size_slug: string;
}

describe("DigitalOcean cron jobs: what is refused, and a job with its own image", () => {
  const DOCR = { dockerCredentials: JSON.stringify({ auths: { "registry.digitalocean.com": { auth: Buffer.from("tok:tok").toString("base64") } } }) };
  const state = ({ type }: { type: string }) =>
    type === "digitalocean:index/containerRegistryDockerCredentials:ContainerRegistryDockerCredentials" ? DOCR : undefined;

  it("refuses a cron job name App Platform rejects, with the key", () => {
    const problems = validateDigitalocean(resolvedApp({ cronJobs: [cronJobSpec({ name: "Nightly_Report", backend: "digitalocean" })] }));
    assert.equal(problems[0]?.path, "app.cronJobs.Nightly_Report");
    assert.match(problems[0]!.message, /2-32 lowercase letters.*aws or heroku/);
    assert.deepEqual(validateDigitalocean(resolvedApp({ cronJobs: [cronJobSpec({ name: "nightly", backend: "digitalocean" })] })), []);
  });

  it("pushes a job's own image to DOCR and runs it by digest, in its time zone", async () => {
    const app: AppSpec = {
      name: "shop",
      cronJobs: { report: { image: { ref: "ghcr.io/shop/report:1" }, command: ["report", "--all"], schedule: "0 6 * * 1-5", timezone: "Europe/Madrid", size: "micro" } },
    };
    const rec = await recordResources(() => {
      deployApp(app);
    }, { config: { "multicloud:backend": "digitalocean" }, state });
    assert.equal(rec.ofType("digitalocean:index/app:App").length, 0, "no services: no services App");
    const images = rec.ofType("docker:index/image:Image");
    assert.equal(images.length, 1);
    assert.match(String(images[0]!.inputs.imageName), /\/shop-report$/);
    const spec = reveal<{ name: string; jobs: Job[] }>(rec.one(JOBS).inputs.spec);
    assert.equal(spec.name, "shop-test-jobs");
    const [job] = spec.jobs;
    assert.equal(job?.image.repository, "shop-report");
    assert.match(job.image.digest, /^sha256:/);
    assert.deepEqual(job.schedule, { cron: "0 6 * * 1-5", time_zone: "Europe/Madrid" });
    assert.equal(job.run_command, "report --all");
    assert.equal(job.instance_size_slug, "apps-s-1vcpu-1gb");
  });
  it("refuses a cron job linking a private DigitalOcean service (reachable only inside the services App), at validation", () => {
    const api = (isPublic: boolean) => webServiceSpec({ name: "api", backend: "digitalocean", public: isPublic });
    const report = cronJobSpec({ name: "report", backend: "digitalocean" });
    const links = new Map([["report", [{ env: "API_URL", target: "api", kind: "service" as const }]]]);
    const problems = validateDigitalocean(resolvedApp({ services: [api(false)], cronJobs: [report], links }));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.path, "app.cronJobs.report.links");
    assert.match(problems[0]!.message, /services\.api, a private DigitalOcean service.*make api public, or run report on aws or heroku/);
    // A public service is reachable at its URL from anywhere: no refusal.
    assert.deepEqual(validateDigitalocean(resolvedApp({ services: [api(true)], cronJobs: [report], links })), []);
  });

  it("refuses it through the whole program before any resource is registered", async () => {
    const app: AppSpec = {
      name: "shop",
      services: { api: { image: { ref: "ghcr.io/shop/api:1" }, port: 3000, public: false } },
      cronJobs: { report: { image: { service: "api" }, command: ["report"], schedule: "0 6 * * *", links: ["api"] } },
    };
    let error: unknown;
    const rec = await recordResources(() => {
      try {
        deployApp(app);
      } catch (e) {
        error = e;
      }
    }, { config: { "multicloud:backend": "digitalocean" }, state });
    assert.match(String(error), /app\.cronJobs\.report\.links: links to services\.api, a private DigitalOcean service/);
    assert.equal(rec.resources.length, 0, "nothing registered");
  });
});
