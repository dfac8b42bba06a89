/**
 * The Atlas backend through the core's validation, with the real registry: what Atlas cannot serve is refused before
 * anything is registered, at the key to edit, naming what would work; and the plan's cost per part and in total.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppSpec, DatabaseArgs } from "../../components/spec";
import { estimateAtlasCost } from "../../providers/atlas/cost";
import { BACKENDS } from "../../providers/registry";
import { assertPaths, assertProblem, resolve } from "../core/check";

const ORG = "0123456789abcdef01234567";
const mongo: DatabaseArgs = { engine: "mongodb" };
const app = (parts: Omit<AppSpec, "name"> = { databases: { db: mongo } }): AppSpec => ({ name: "shop", ...parts });
/** A stack with every part on atlas and a valid project and access decision, plus `extra`. */
const config = (extra: Record<string, unknown> = {}) => ({ backend: "atlas", atlas: { orgId: ORG, access: { allow: ["203.0.113.7"] } }, ...extra });
const problemsOf = (spec: AppSpec, cfg: Record<string, unknown>) => resolve(spec, cfg, BACKENDS).problems;

describe("atlas: the stack's decisions", () => {
  it("accepts a project and an access decision", () => {
    assertPaths(problemsOf(app(), config()));
  });

  it("asks for a project and an explicit network access decision, explaining the choices", () => {
    const problems = problemsOf(app(), { backend: "atlas" });
    assertPaths(problems, "multicloud:atlas", "multicloud:atlas.access");
    assertProblem(problems, "multicloud:atlas", "orgId", "projectId", `"shop-staging"`);
    assertProblem(problems, "multicloud:atlas.access", "no fixed egress address", '"0.0.0.0/0"', "privateEndpoint: true");
  });

  it("refuses both orgId and projectId, an id that is not one, and a CIDR with host bits", () => {
    assertProblem(problemsOf(app(), config({ atlas: { orgId: ORG, projectId: ORG, access: { allow: ["0.0.0.0/0"] } } })), "multicloud:atlas.projectId", "not both");
    const bad = problemsOf(app(), config({ atlas: { orgId: "acme", access: { allow: ["10.0.0.1/8"] } } }));
    assert.ok(bad.some((p) => p.path.startsWith("multicloud:atlas") && p.message.includes('"acme" is not an Atlas organization id')), JSON.stringify(bad));
    assert.ok(bad.some((p) => p.path.startsWith("multicloud:atlas") && p.message.includes("host bits")), JSON.stringify(bad));
  });

  it("needs a region name with GCP or Azure", () => {
    assertProblem(problemsOf(app(), config({ atlas: { orgId: ORG, provider: "GCP", access: { allow: ["0.0.0.0/0"] } } })), "multicloud:atlas.region", "GCP");
  });
});

describe("atlas: what it cannot serve, naming the backends that can", () => {
  it("refuses any engine but mongodb", () => {
    assertProblem(problemsOf(app({ databases: { db: { engine: "postgres" } } }), config()), "multicloud:backend", `backend "atlas" has no postgres databases`, "aws, heroku, digitalocean, external");
  });

  it("refuses caches, web services and cron jobs", () => {
    const problems = problemsOf(
      app({
        services: { web: { image: { ref: "ghcr.io/acme/web:1" } } },
        cronJobs: { nightly: { image: { service: "web" }, command: ["true"], schedule: "0 3 * * *" } },
        caches: { cache: {} },
      }),
      config(),
    );
    // Every part took the stack's default backend: the key to edit is multicloud:backend.
    assert.deepEqual(problems.map((p) => [p.path, p.message]).sort(), [
      ["multicloud:backend", `backend "atlas" cannot run caches; backends that can: aws, heroku, digitalocean, external`],
      ["multicloud:backend", `backend "atlas" cannot run cron jobs; backends that can: aws, heroku, digitalocean`],
      ["multicloud:backend", `backend "atlas" cannot run web services; backends that can: aws, heroku, digitalocean`],
    ]);
    assertProblem(problemsOf(app({ databases: { db: mongo }, caches: { cache: {} } }), config({ backend: "external", databases: { db: { backend: "atlas" } }, caches: { cache: { backend: "atlas" } } })),
      "multicloud:caches.cache.backend", `backend "atlas" cannot run caches`);
  });
});

describe("atlas: what the free M0 and Flex cannot do", () => {
  it("refuses a second M0 in the stack's project", () => {
    const problems = problemsOf(app({ databases: { a: mongo, b: mongo } }), config());
    assertProblem(problems, "multicloud:databases.b.size", "one free M0 cluster per project", "multicloud:databases.b.atlas.tier: FLEX");
  });

  it("refuses M0 on a production stack, at the key that chose it", () => {
    const problems = problemsOf(app(), config({ tier: "production", databases: { db: { atlas: { tier: "M0" } } } }));
    assertPaths(problems, "multicloud:databases.db.atlas.tier");
    assertProblem(problems, "multicloud:databases.db.atlas.tier", "no backups", "M10");
  });

  it("refuses a chosen version on M0 and Flex, and a version Atlas does not deploy on dedicated tiers", () => {
    assertProblem(problemsOf(app({ databases: { db: { engine: "mongodb", version: "7" } } }), config()), "app.databases.db.version", "MongoDB 8.0 on M0 and Flex");
    assertPaths(problemsOf(app({ databases: { db: { engine: "mongodb", version: "8" } } }), config()));
    assertProblem(
      problemsOf(app({ databases: { db: { engine: "mongodb", version: "6.0" } } }), config({ tier: "production" })),
      "app.databases.db.version", "allowed: 7.0, 8.0",
    );
  });

  it("refuses private endpoints below M10", () => {
    const problems = problemsOf(app(), config({ atlas: { orgId: ORG, access: { privateEndpoint: true } }, databases: { db: { size: "micro" } } }));
    assertProblem(problems, "multicloud:databases.db.size", "FLEX", "private endpoints need a dedicated tier");
  });
});

describe("atlas: the cost in the plan", () => {
  it("prices each database by tier and sums them: M0 free, Flex at its base, dedicated by the hour", () => {
    const resolved = (tier: string, databases: Record<string, DatabaseArgs>, cfg: Record<string, unknown> = {}) => {
      const { resolution, problems } = resolve(app({ databases }), config({ tier, ...cfg }), BACKENDS);
      assert.deepEqual(problems, []);
      return estimateAtlasCost(resolution.app);
    };
    const staging = resolved("development", { a: mongo, b: { engine: "mongodb", size: "micro" } });
    assert.deepEqual(staging.lines.map((l) => [l.part, l.monthlyUsd]), [["databases.a", 0], ["databases.b", 8]]);
    assert.equal(staging.monthlyUsd, 8);
    assert.ok(staging.notes.some((n) => n.includes("$30")));
    const prod = resolved("production", { a: mongo, b: { engine: "mongodb", size: "large" } });
    assert.deepEqual(prod.lines.map((l) => [l.item, l.monthlyUsd]), [["Atlas M10 cluster (3 nodes)", 58.4], ["Atlas M40 cluster (3 nodes)", 759.2]]);
    assert.equal(prod.monthlyUsd, 817.6);
  });
});
