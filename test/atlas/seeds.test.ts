/**
 * The two seed systems that keep their data in MongoDB, planned offline as `npm run plan` does, for staging and
 * production: "mipedido" (two Heroku web services, two Heroku cron jobs, MongoDB on Atlas, Redis given as a secret
 * URL) and "ShopSentiment" (a Heroku web service, MongoDB on Atlas, a Heroku Key-Value Store), with their costs.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { isSecret, planProgram, revealSecrets, type PlannedResource, type PlanResult } from "../../scripts/plan/run";

const FIXTURES = path.resolve(__dirname, "../fixtures");
const CLUSTER = "mongodbatlas:index/advancedCluster:AdvancedCluster";
const BACKUPS = "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule";
const PROJECT = "mongodbatlas:index/project:Project";
const ACCESS = "mongodbatlas:index/projectIpAccessList:ProjectIpAccessList";
const CONFIG_VARS = "pulumi-nodejs:dynamic/heroku:ConfigVars";
const ADDON = "pulumi-nodejs:dynamic/heroku:Addon";

const ofType = (plan: PlanResult, type: string) => plan.resources.filter((r) => r.type === type);
function one(plan: PlanResult, type: string, name?: string): PlannedResource {
  const found = ofType(plan, type).filter((r) => name === undefined || r.name === name);
  assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
  return found[0]!;
}
const regionConfig = (cluster: PlannedResource) =>
  (cluster.inputs.replicationSpecs as { regionConfigs: Record<string, unknown>[] }[])[0]!.regionConfigs[0]!;
/** The Atlas cost line the plan prints. */
const atlasCost = (plan: PlanResult) => plan.notes.find((n) => n.startsWith("atlas: about $"));
/** A Heroku app's config vars, secrets revealed. */
function varsOf(plan: PlanResult, name: string): Record<string, string> {
  const config = one(plan, CONFIG_VARS, name);
  assert.ok(isSecret(config.inputs.vars), "config vars are sent as a secret");
  return revealSecrets(config.inputs.vars) as Record<string, string>;
}

describe("mipedido: Heroku eco dynos and cron jobs, MongoDB on Atlas, an external Redis", () => {
  const plans: Record<string, PlanResult> = {};
  before(async () => {
    for (const stack of ["staging", "prod"]) plans[stack] = await planProgram({ dir: path.join(FIXTURES, "mipedido"), stack });
  });

  it("plans both stacks, each part on its backend", () => {
    for (const plan of Object.values(plans)) {
      assert.equal(plan.error, undefined, plan.error?.message);
      assert.deepEqual(plan.components.map((c) => [c.name, c.backend]), [
        ["mongo", "atlas"], ["redis", "external"], ["backend", "heroku"], ["ws", "heroku"], ["redis-indexer", "heroku"], ["rating", "heroku"],
      ]);
      assert.equal(ofType(plan, ADDON).length, 0, "the Redis is given by URL: no Heroku add-on");
    }
  });

  it("staging: the free M0 in a project made in the organisation, open to the internet as configured, free", () => {
    const plan = plans.staging!;
    assert.equal(regionConfig(one(plan, CLUSTER, "mongo")).providerName, "TENANT");
    assert.equal(ofType(plan, BACKUPS).length, 0);
    assert.equal(one(plan, PROJECT).inputs.orgId, "0123456789abcdef01234567");
    assert.deepEqual(ofType(plan, ACCESS).map((a) => a.inputs.cidrBlock), ["0.0.0.0/0"]);
    assert.ok(plan.warnings.some((w) => w.includes("OPEN TO THE WHOLE INTERNET")));
    assert.match(atlasCost(plan) ?? "", /about \$0\.00\/month .*Atlas M0 cluster \(free\) \$0\.00/);
  });

  it("prod: a protected M10 with cloud backups in the team's existing project, priced", () => {
    const plan = plans.prod!;
    const cluster = one(plan, CLUSTER, "mongo");
    assert.deepEqual(regionConfig(cluster).electableSpecs, { instanceSize: "M10", nodeCount: 3 });
    assert.equal(cluster.inputs.backupEnabled, true);
    assert.equal(cluster.inputs.terminationProtectionEnabled, true);
    assert.equal(cluster.protect, true);
    assert.equal(ofType(plan, PROJECT).length, 0, "the existing project is used");
    assert.equal(cluster.inputs.projectId, "fedcba9876543210fedcba98");
    assert.equal(one(plan, BACKUPS).inputs.clusterName, "mipedido-prod-mongo");
    assert.ok(plan.warnings.some((w) => w.startsWith('atlas: network access for stack "prod"')), "production says what access it chose");
    assert.match(atlasCost(plan) ?? "", /about \$58\.40\/month .*Atlas M10 cluster \(3 nodes\) \$58\.40/);
  });

  it("links MONGODB_URL into the services as a secret mongodb+srv URL with the app's database", () => {
    for (const [stack, plan] of Object.entries(plans)) {
      for (const service of ["backend", "ws"]) {
        const url = varsOf(plan, `${service}-config`).MONGODB_URL;
        assert.ok(url, `${stack} ${service} has MONGODB_URL`);
        assert.ok(url.startsWith(`mongodb+srv://mipedido-${stack}-mongo-app:`), url);
        assert.ok(url.endsWith("/mipedido?retryWrites=true&w=majority"), url);
      }
      assert.ok(varsOf(plan, "backend-config").REDIS_URL, "the external Redis is linked too");
    }
  });
});

describe("ShopSentiment: a Heroku web service and Key-Value Store, MongoDB on Atlas", () => {
  const plans: Record<string, PlanResult> = {};
  before(async () => {
    for (const stack of ["staging", "prod"]) plans[stack] = await planProgram({ dir: path.join(FIXTURES, "shopsentiment"), stack });
  });

  it("plans both stacks with the cluster near the Heroku eu region", () => {
    for (const plan of Object.values(plans)) {
      assert.equal(plan.error, undefined, plan.error?.message);
      assert.deepEqual(plan.components.map((c) => [c.name, c.backend]), [["mongo", "atlas"], ["cache", "heroku"], ["web", "heroku"]]);
      assert.equal(regionConfig(one(plan, CLUSTER, "mongo")).regionName, "EU_WEST_1");
    }
  });

  it("staging is Flex at its base price; prod an M20 with backups, priced per part and in total", () => {
    assert.equal(regionConfig(one(plans.staging!, CLUSTER, "mongo")).providerName, "FLEX");
    assert.match(atlasCost(plans.staging!) ?? "", /about \$8\.00\/month .*Atlas Flex cluster \(base price\) \$8\.00.*Not counted: Flex usage above 100 ops\/s/);
    const prod = one(plans.prod!, CLUSTER, "mongo");
    assert.equal((regionConfig(prod).electableSpecs as { instanceSize: string }).instanceSize, "M20");
    assert.equal(prod.inputs.backupEnabled, true);
    assert.match(atlasCost(plans.prod!) ?? "", /about \$146\.00\/month .*Atlas M20 cluster \(3 nodes\) \$146\.00/);
    assert.ok(plans.prod!.notes.some((n) => n === "heroku: heroku-redis:premium-0: $15/month"));
  });

  it("renames the link as the app asks (MONGODB_URI), still a secret", () => {
    const vars = varsOf(plans.staging!, "web-config");
    assert.equal(vars.MONGODB_URL, undefined);
    assert.ok(vars.MONGODB_URI?.startsWith("mongodb+srv://shopsentiment-staging-mongo-app:"), vars.MONGODB_URI);
  });
});

describe("mipedido: moving the MongoDB to and from Atlas (movedFrom)", () => {
  const dir = path.join(FIXTURES, "mipedido");
  const databases = (mongo: Record<string, unknown>) => ({ "multicloud:databases": JSON.stringify({ mongo }) });
  // The old cluster's URL, set as a secret (a plain-text one would be refused).
  const secretConfig = { "multicloud:MONGO_URL": "mongodb+srv://u:p@old.example.net/mipedido" };

  it("external -> atlas: creates the cluster, keeps the old URL, and prints the mongodump | mongorestore steps", async () => {
    const plan = await planProgram({ dir, stack: "staging", config: databases({ backend: "atlas", movedFrom: "external", atlas: { databaseName: "mipedido" } }), secretConfig });
    assert.equal(plan.error, undefined, plan.error?.message);
    assert.deepEqual(plan.components.find((c) => c.name === "mongo"), { name: "mongo", kind: "Database", backend: "atlas", movedFrom: "external" });
    const cluster = one(plan, CLUSTER, "mongo");
    assert.deepEqual(cluster.ignoreChanges, [], "the new copy is managed");
    assert.equal(cluster.retainOnDelete, true);
    assert.ok(plan.warnings.some((w) => w.includes("moving from external to atlas") && w.includes("mongodump --uri") && w.includes("mongorestore")), plan.warnings.join("\n"));
  });

  it("atlas -> external: the Atlas copy stays, frozen (ignoreChanges) and retained, while the app moves to the URL", async () => {
    const plan = await planProgram({ dir, stack: "prod", config: databases({ backend: "external", movedFrom: "atlas", atlas: { databaseName: "mipedido" } }), secretConfig });
    assert.equal(plan.error, undefined, plan.error?.message);
    const cluster = one(plan, CLUSTER, "mongo");
    assert.deepEqual(cluster.ignoreChanges, ["*"]);
    assert.equal(cluster.retainOnDelete, true);
    assert.equal(cluster.protect, true, "production data stays protected while it is copied");
    assert.equal(varsOf(plan, "backend-config").MONGODB_URL, "mongodb+srv://u:p@old.example.net/mipedido");
  });
});
