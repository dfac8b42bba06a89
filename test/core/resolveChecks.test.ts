// resolveApp on what a person gets wrong: every problem reported at once (also those that used to crash a later
// check), no backend ever validating a part that failed the core's checks, every path where the user must edit
// (the config key when the value came from config), and the near-misses named.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppSpec } from "../../components/spec";
import type { Problem, ResolvedApp } from "../../providers/backend";
import { assertPaths, assertProblem, resolve, resolveOk } from "./check";
import { fakeBackend, sizesBetween } from "./fakeBackends";

const image = { ref: "ghcr.io/acme/shop:1.4.2" };
/** index.ts runs transpile-only: a declaration may be anything, as these tests write it. */
const untyped = (spec: unknown) => spec as AppSpec;

void describe("resolveApp: every problem at once", () => {
  void it("reports wrong types that used to crash a later check beside the other problems", () => {
    const { problems } = resolve(untyped({
      name: "shop",
      services: { web: { image, links: "db", env: { WORKERS: 4 } }, api: { image, secrets: "API_KEY" } },
      cronJobs: { nightly: { image: { service: "web" }, command: ["node", "job.js"], schedule: "0 0 30 2 *" } },
      databases: { db: { engine: "postgres" } },
    }), { backend: "cloud", services: { web: { szie: "small" } } });
    assertPaths(problems, "multicloud:services.web", "app.services.web.links", "app.services.web.env.WORKERS",
      "app.services.api.secrets", "app.cronJobs.nightly.schedule");
    assertProblem(problems, "app.cronJobs.nightly.schedule", "never fires", "day 30 does not occur in FEB");
  });

  void it("never hands a backend's validate a part that failed the core's checks", () => {
    const seen: string[] = [];
    const watching = fakeBackend("watch", {
      services: { sizes: sizesBetween("nano", "large"), private: true, domains: true, autoscaling: true, release: true },
    }, {}, (app: ResolvedApp) => {
      seen.push(...app.services.map((s) => s.name));
      return [];
    });
    const { problems } = resolve(untyped({
      name: "shop",
      services: { good: { image }, typo: { image, port: "8080" }, lonely: { image, links: ["nowhere"] } },
    }), { backend: "watch" }, [watching]);
    assertPaths(problems, "app.services.typo.port", "app.services.lonely.links[0]");
    assert.deepEqual(seen, ["good"]);
  });

  void it("runs no backend validate when the app itself is wrong", () => {
    let called = false;
    const watching = fakeBackend("watch", { databases: { engines: ["postgres"], sizes: ["nano"] } }, {}, () => {
      called = true;
      return [];
    });
    const { problems } = resolve(untyped({ name: "Shop_App", databases: { db: { engine: "postgres" } } }), { backend: "watch" }, [watching]);
    assertProblem(problems, "app.name", `"Shop_App" is not an app name`);
    assert.equal(called, false);
  });
});

void describe("resolveApp: the path where the user must edit", () => {
  /** A backend that finds fault with storage and instances, wherever they came from. */
  const picky = fakeBackend("picky", {
    services: { sizes: sizesBetween("nano", "large"), private: true, domains: true, autoscaling: true, release: true },
    databases: { engines: ["postgres"], sizes: sizesBetween("nano", "large") },
  }, {}, (app): Problem[] => [
    ...app.databases.map((d) => ({ path: `app.databases.${d.name}.storageGiB`, message: `${d.storageGiB} GiB is too much for picky` })),
    ...app.services.map((s) => ({ path: `app.services.${s.name}.instances`, message: `${s.scaling.max} instances is too many for picky` })),
  ]);
  const spec: AppSpec = { name: "shop", services: { web: { image, instances: 2 } }, databases: { db: { engine: "postgres", storageGiB: 50 } } };

  void it("is the config key when the stack config set the value, whoever found the problem", () => {
    const { problems } = resolve(spec, { backend: "picky", databases: { db: { storageGiB: 9000 } }, services: { web: { instances: 7 } } }, [picky]);
    assertPaths(problems, "multicloud:databases.db.storageGiB", "multicloud:services.web.instances");
    assertProblem(problems, "multicloud:databases.db.storageGiB", "9000 GiB");
  });

  void it("is the declaration's path when the value came from index.ts", () => {
    const { problems } = resolve(spec, { backend: "picky", databases: { db: { size: "nano" } } }, [picky]);
    assertPaths(problems, "app.databases.db.storageGiB", "app.services.web.instances");
  });

  void it("names the right map for config under the wrong kind", () => {
    const { problems } = resolve({ name: "shop", databases: { db: { engine: "postgres" } } }, { backend: "cloud", services: { db: { size: "micro" } } });
    assertProblem(problems, "multicloud:services.db", `"db" is a database, not a web service`, "multicloud:databases.db");
  });

  void it("mentions the near-miss secret the stack did set", () => {
    const { problems } = resolve({ name: "shop", services: { web: { image, secrets: ["SESSION_SECRET"] } } }, { backend: "cloud", SESION_SECRET: "[secret]" });
    assertProblem(problems, "multicloud:SESSION_SECRET", "multicloud:SESION_SECRET is set", "pulumi config set --secret SESSION_SECRET");
  });

  void it("gives a link written { to } the default env var", () => {
    const { links } = resolveOk({ name: "shop", services: { web: { image, links: [{ to: "db" }] } }, databases: { db: { engine: "postgres" } } }, { backend: "cloud" });
    assert.deepEqual(links.get("web"), [{ env: "DATABASE_URL", target: "db", kind: "database", part: "url" }]);
  });
});

void describe("resolveApp: versions the backends offer", () => {
  const data = (version: string, engine: "postgres" | "redis" = "postgres") =>
    engine === "postgres" ? { name: "shop", databases: { db: { engine, version } } } : { name: "shop", caches: { cache: { engine, version } } };

  void it("refuses a version no backend has", () => {
    assertProblem(resolve(data("99", "redis"), { backend: "cloud" }).problems, "app.caches.cache.version",
      `"99" is not a redis version backend "cloud" offers`, "it offers: 7", "no backend offers redis 99");
  });

  void it("names the backends that have it", () => {
    assertProblem(resolve(data("14"), { backend: "cloud" }).problems, "app.databases.db.version", "it offers: 15, 16, 17", "backends with postgres 14: paas");
  });

  void it("asks for the major only when a minor was given", () => {
    assertProblem(resolve(data("16.2"), { backend: "cloud" }).problems, "app.databases.db.version", `give the major only, "16"`);
  });

  void it("takes any version on a backend that lists none", () => {
    resolveOk(data("99"), { backend: "external", DB_URL: "[secret]" });
  });
});

void describe("resolveApp: images built from source", () => {
  void it("refuses a build context that does not exist", () => {
    const { problems } = resolve({ name: "shop", services: { web: { image: { build: { context: "./ap" } } } } }, { backend: "cloud" });
    assertProblem(problems, "app.services.web.image.build.context", `"./ap" is not a directory`, "does not exist", "relative to the project directory");
  });

  void it("refuses a Dockerfile that does not exist, listing those in the context", () => {
    const { problems } = resolve({ name: "shop", services: { web: { image: { build: { context: "./app", dockerfile: "Dockerfile.prod" } } } } }, { backend: "cloud" });
    assertProblem(problems, "app.services.web.image.build.dockerfile", "no Dockerfile at", "Dockerfile.prod", "in the context: Dockerfile");
  });
});
