// Good fixtures planned end to end with planProgram, in this process, one after the other: the external-only data
// tier (test/fixtures/external) and a move between backends (test/fixtures/moved), each program planned more than
// once (another stack, other config), as the plan reloads the program every time.
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { isSecret, planProgram, revealSecrets, type PlannedResource, type PlanResult } from "../../scripts/plan/run";
import { SECRET_PLACEHOLDER } from "../../scripts/plan/stackConfig";

const FIXTURES = path.join(__dirname, "..", "fixtures");
const REDIS_URL = "rediss://default:fixture-known-password@redis-17001.example.net:17001";

/** The module the plan ran, as the plan left it (same require cache): its exports are the live Outputs. */
function programOf(fixture: string): Record<string, pulumi.Output<unknown> | undefined> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(FIXTURES, fixture, "index.ts")) as Record<string, pulumi.Output<unknown> | undefined>;
}

const byType = (plan: PlanResult, type: string) => plan.resources.filter((r) => r.type === type);
const one = (plan: PlanResult, type: string): PlannedResource => {
  const found = byType(plan, type);
  assert.equal(found.length, 1, `one ${type}: ${plan.resources.map((r) => r.urn).join("\n")}`);
  return found[0]!;
};

void describe("plan: external data only", () => {
  let plan: PlanResult;
  before(async () => {
    plan = await planProgram({ dir: path.join(FIXTURES, "external"), stack: "staging", secretConfig: { "multicloud:REDIS_URL": REDIS_URL } });
  });

  void it("plans without error, each part on external", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
    assert.deepEqual(plan.components, [
      { name: "mongo", kind: "Database", backend: "external" },
      { name: "redis", kind: "Cache", backend: "external" },
    ]);
    assert.deepEqual(plan.outputs.backends, { mongo: "external", redis: "external" });
    assert.deepEqual(plan.warnings, []);
  });

  void it("creates no cloud resource: only the two components", () => {
    assert.deepEqual(plan.resources.map((r) => [r.type, r.name, r.custom]), [
      ["multicloud:index:Database", "mongo", false],
      ["multicloud:index:Cache", "redis", false],
    ]);
  });

  void it("reads each URL from its secret, the configured name or <NAME>_URL, and keeps it secret", async () => {
    const program = programOf("external");
    // MONGODB_URL is `secure:` in the stack file: present, not decrypted, masked.
    assert.equal(plan.outputs.mongoUrl, SECRET_PLACEHOLDER);
    assert.equal(plan.outputs.redisUrl, REDIS_URL);
    assert.equal(await pulumi.isSecret(program.mongoUrl!), true);
    assert.equal(await pulumi.isSecret(program.redisUrl!), true);
  });
});

void describe("plan: a database and a cache moving between backends", () => {
  let plan: PlanResult;
  before(async () => {
    plan = await planProgram({
      dir: path.join(FIXTURES, "moved"),
      stack: "staging",
      secretConfig: { "multicloud:STRIPE_SECRET_KEY": "sk_test_fixture_known_plaintext_4eC39HqLyjWDarjtT1zdp7dc" },
    });
  });

  void it("plans without error, recording where each part runs and where data moved from", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
    assert.deepEqual(plan.components, [
      { name: "db", kind: "Database", backend: "cloud", movedFrom: "paas" },
      { name: "cache", kind: "Cache", backend: "cloud", movedFrom: "paas" },
      { name: "api", kind: "WebService", backend: "cloud" },
      { name: "digest", kind: "CronJob", backend: "cloud" },
    ]);
  });

  void it("warns that the old copy is kept, and says how to copy the data", () => {
    assert.equal(plan.warnings.length, 2, plan.warnings.join("\n"));
    const [db, cache] = plan.warnings;
    for (const words of ["databases.db is moving from paas to cloud", "the paas copy is kept", "pg_dump", "pg_restore", "remove multicloud:databases.db.movedFrom", "never deleted"]) {
      assert.ok(db!.includes(words), `${JSON.stringify(words)} in: ${db}`);
    }
    for (const words of ["caches.cache is moving from paas to cloud", "the paas copy is kept", "redis-cli", "remove multicloud:caches.cache.movedFrom"]) {
      assert.ok(cache!.includes(words), `${JSON.stringify(words)} in: ${cache}`);
    }
  });

  void it("keeps both copies of the data under the component, never deleted on removal", () => {
    const component = one(plan, "multicloud:index:Database");
    const copies = [one(plan, "fakecloud:index:Database"), one(plan, "fakepaas:index:Database"), one(plan, "fakecloud:index:Cache"), one(plan, "fakepaas:index:Cache")];
    for (const copy of copies) {
      assert.equal(copy.retainOnDelete, true, copy.urn);
      // A development stack: retained, not protected.
      assert.equal(copy.protect, false, copy.urn);
    }
    assert.equal(copies[0]!.parent, component.urn);
    assert.equal(copies[1]!.parent, component.urn);
    // The kept copy keeps its own backend's settings.
    assert.deepEqual((copies[1]!.inputs.spec as { settings: unknown }).settings, { plan: "essential-0" });
  });

  void it("freezes the kept copies (never updated), not the new ones", () => {
    const frozen = plan.resources.filter((r) => r.ignoreChanges.includes("*")).map((r) => r.type);
    assert.deepEqual(frozen.sort(), ["fakepaas:index:Cache", "fakepaas:index:Database"]);
    // Described by the declaration (nano, which paas lacks: its smallest, micro), never by the config's size,
    // which now describes the new copy (small on prod; micro here).
    assert.equal((one(plan, "fakepaas:index:Database").inputs.spec as { size: string }).size, "micro");
    assert.equal((one(plan, "fakepaas:index:Database").inputs.spec as { storageGiB: number }).storageGiB, 20);
  });

  void it("connects the app to the new copy, and exposes both URLs as secrets", async () => {
    const program = programOf("moved");
    assert.equal(plan.outputs.databaseUrl, "postgres://app@db-id.cloud.example.net/app");
    assert.equal(plan.outputs.previousDatabaseUrl, "postgres://app@db-id.paas.example.net/app");
    assert.equal(await pulumi.isSecret(program.databaseUrl!), true);
    assert.equal(await pulumi.isSecret(program.previousDatabaseUrl!), true);
    const env = one(plan, "fakecloud:index:Service").inputs.secretEnv;
    assert.ok(isSecret(env), "the service's secret env reaches the backend as a secret");
    assert.deepEqual(revealSecrets(env), {
      SESSION_SECRET: SECRET_PLACEHOLDER,
      STRIPE_SECRET_KEY: "sk_test_fixture_known_plaintext_4eC39HqLyjWDarjtT1zdp7dc",
      DATABASE_URL: "postgres://app@db-id.cloud.example.net/app",
      REDIS_URL: "rediss://cache-id.cloud.example.net:6379",
    });
  });

  void it("registers data first, then services, then cron jobs", () => {
    const components = plan.resources.filter((r) => !r.custom).map((r) => r.type.split(":").pop());
    assert.deepEqual(components, ["Database", "Cache", "WebService", "CronJob"]);
  });

  void it("hands the backend every resolved setting: config over app, defaults applied", () => {
    const spec = one(plan, "fakecloud:index:Service").inputs.spec as Record<string, unknown>;
    assert.equal(spec.size, "small");
    assert.deepEqual(spec.scaling, { min: 1, max: 3, cpuTarget: 70 });
    assert.deepEqual(spec.settings, { cpuArchitecture: "arm64" });
    assert.deepEqual(spec.healthCheck, { path: "/health", intervalSeconds: 30 });
    const job = one(plan, "fakecloud:index:Job").inputs.spec as Record<string, unknown>;
    assert.deepEqual([job.schedule, job.timezone, job.imageOfService], ["0 7 * * 1-5", "Europe/Madrid", "api"]);
  });
});

void describe("plan: the same move on a production stack", () => {
  let plan: PlanResult;
  before(async () => {
    plan = await planProgram({ dir: path.join(FIXTURES, "moved"), stack: "prod" });
  });

  void it("protects both copies of the data, and nothing else", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
    const protectedOnes = plan.resources.filter((r) => r.protect).map((r) => r.type);
    assert.deepEqual(protectedOnes.sort(), ["fakecloud:index:Cache", "fakecloud:index:Database", "fakepaas:index:Database"]);
    assert.equal(plan.warnings.length, 1, plan.warnings.join("\n"));
  });

  void it("reads the prod stack's config, not the staging one planned before", () => {
    assert.deepEqual(plan.components.map((c) => [c.name, c.movedFrom]), [["db", "paas"], ["cache", undefined], ["api", undefined], ["digest", undefined]]);
    const spec = one(plan, "fakecloud:index:Service").inputs.spec as Record<string, unknown>;
    assert.deepEqual([spec.size, spec.domains], ["medium", ["api.gengar.example.com"]]);
  });
});

void describe("planProgram, called again on a program it planned", () => {
  void it("plans the program again, with the new config", async () => {
    const again = await planProgram({ dir: path.join(FIXTURES, "external"), stack: "staging", secretConfig: { "multicloud:REDIS_URL": "rediss://other.example.net:6379" } });
    assert.equal(again.error, undefined);
    assert.equal(again.components.length, 2);
    assert.equal(again.resources.length, 2);
    assert.equal(again.outputs.redisUrl, "rediss://other.example.net:6379");
  });
});
