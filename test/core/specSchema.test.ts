// The declaration's run-time schema (components/spec-schema.ts) against the documented contract (components/spec.ts):
// the types agree exactly (checked by `npm run typecheck`), and every kind of mistake a person makes in index.ts
// (which runs transpile-only) is an error at its path, with what was given and what is allowed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { z } from "zod";
import type { appSchema, cacheSchema, cronJobSchema, databaseSchema, webServiceSchema } from "../../components/spec-schema";
import type { AppSpec, CacheArgs, CronJobArgs, DatabaseArgs, WebServiceArgs } from "../../components/spec";
import { checkDeclaration } from "../../stacks/declaration";
import { assertPaths, assertProblem } from "./check";

/** True only when X and Y are the same type (not merely assignable: an optional key on one side only fails). */
type Equals<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

// Compile-time: a field added, removed, renamed or retyped on one side and not the other fails the typecheck.
const agree: {
  app: Equals<z.input<typeof appSchema>, AppSpec>;
  services: Equals<z.input<typeof webServiceSchema>, WebServiceArgs>;
  cronJobs: Equals<z.input<typeof cronJobSchema>, CronJobArgs>;
  databases: Equals<z.input<typeof databaseSchema>, DatabaseArgs>;
  caches: Equals<z.input<typeof cacheSchema>, CacheArgs>;
} = { app: true, services: true, cronJobs: true, databases: true, caches: true };

const image = { ref: "ghcr.io/acme/shop:1.4.2" };
/** Problems of an app with one web service `web` (and whatever else), as index.ts might declare it untyped. */
const check = (parts: Record<string, unknown>) => checkDeclaration({ name: "shop", ...parts }).problems;
const service = (web: Record<string, unknown>) => check({ services: { web: { image, ...web } } });

void describe("the declaration's schema", () => {
  void it("is the documented contract, field for field", () => {
    assert.deepEqual(Object.values(agree), [true, true, true, true, true]);
  });

  void it("accepts the README's sample app, and a link given as { to } alone", () => {
    const { problems } = checkDeclaration({
      name: "sample",
      databases: { db: { engine: "postgres", version: "16" } },
      caches: { cache: { engine: "valkey" } },
      services: { web: { image: { build: { context: "./app" } }, port: 8080, healthCheck: { path: "/health" }, release: ["node", "migrate.js"], links: ["db", { to: "cache" }], secrets: ["SESSION_SECRET"] } },
      cronJobs: { cleanup: { image: { service: "web" }, command: ["node", "jobs/cleanup.js"], schedule: "30 3 * * *", links: ["db"] } },
    });
    assert.deepEqual(problems, []);
  });

  void it("refuses unknown fields, guessing the one meant", () => {
    assertProblem(service({ healthCheckPath: "/health" }), "app.services.web", `unknown key "healthCheckPath"`, `did you mean "healthCheck"?`, "allowed: image, command");
    assertProblem(check({ crons: {} }), "app", `unknown key "crons"`, `did you mean "cronJobs"?`);
  });

  void it("names the key and the fix of a wrong type, instead of crashing later", () => {
    const problems = service({ env: { WORKERS: 4 }, command: "node server.js", links: "db", image: "ghcr.io/acme/shop:1.4.2" });
    assertPaths(problems, "app.services.web.env.WORKERS", "app.services.web.command", "app.services.web.links", "app.services.web.image");
    assertProblem(problems, "app.services.web.env.WORKERS", `env values are strings: write "4"`);
    assertProblem(problems, "app.services.web.command", `a list of arguments, not one string: write ["node","server.js"]`);
    assertProblem(problems, "app.services.web.links", `must be a list: write ["db"]`);
    assertProblem(problems, "app.services.web.image", `not a plain string: write { ref: "ghcr.io/acme/shop:1.4.2" }`);
    assertProblem(check({ databases: { db: { engine: "postgres", version: 16 } } }), "app.databases.db.version", `must be a string: write "16"`);
  });

  void it("reports a wrong field inside the image form that was meant, not the union's every branch", () => {
    assertProblem(service({ image: { ref: "ghcr.io/acme/shop 1.4" } }), "app.services.web.image.ref", "is not an image reference");
    assertProblem(service({ image: { build: { context: 3 } } }), "app.services.web.image.build.context", "must be a path", "(given 3)");
    assertProblem(service({ image: { buidl: { context: "." } } }), "app.services.web.image", "an image is { build: { context } } or { ref:");
  });

  void it("refuses out-of-range values with the range the stack config also enforces", () => {
    const problems = service({ instances: -1, port: 0 });
    assertProblem(problems, "app.services.web.instances", "from 0 to 100", "(given -1)");
    assertProblem(service({ instances: { min: 1, max: 4, cpuTarget: 150 } }), "app.services.web.instances.cpuTarget", "percent from 10 to 95", "(given 150)");
    assertProblem(check({ cronJobs: { nightly: { image, command: ["true"], schedule: "0 3 * * *", timeoutSeconds: 10_000_000 } } }),
      "app.cronJobs.nightly.timeoutSeconds", "from 1 to 86400", "(given 10000000)");
  });

  void it("refuses a domain written as a URL, giving the host name", () => {
    assertProblem(service({ domains: ["https://shop.example.com/"] }), "app.services.web.domains[0]", "is a URL", `give the host name only: "shop.example.com"`);
  });

  void it("refuses a transform that is not a function", () => {
    assertProblem(service({ transform: { pidMode: "task" } }), "app.services.web.transform", "must be a function");
  });

  void it("keeps a failed part's name declared, and the valid parts", () => {
    const checked = checkDeclaration({ name: "shop", services: { web: { image, port: "80" }, api: { image } } });
    assert.deepEqual(checked.names.services, ["web", "api"]);
    assert.deepEqual(Object.keys(checked.spec.services ?? {}), ["api"]);
  });

  void it("refuses a declaration that is not an object, or maps that are lists", () => {
    assertProblem(checkDeclaration(undefined).problems, "app", "deployApp needs the app's declaration", "given nothing");
    assertProblem(check({ services: [{ image }] }), "app.services", "must be a map from names to their settings", "given a list");
  });
});
