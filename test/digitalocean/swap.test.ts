/**
 * The "swap" shape (six NestJS services, four private, one WebSocket; Postgres; a Redis-protocol cache; Kafka as a
 * secret URL) planned on DigitalOcean for staging and production exactly as `npm run plan` does, and the sample app
 * moved to DigitalOcean by one config line.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { isSecret, planProgram, revealSecrets, type PlannedResource, type PlanResult } from "../../scripts/plan/run";

const REPO = path.resolve(__dirname, "../..");
const SWAP = path.join(REPO, "test/fixtures/swap");
const T = {
  app: "digitalocean:index/app:App",
  cluster: "digitalocean:index/databaseCluster:DatabaseCluster",
  firewall: "digitalocean:index/databaseFirewall:DatabaseFirewall",
  user: "digitalocean:index/databaseUser:DatabaseUser",
  db: "digitalocean:index/databaseDb:DatabaseDb",
};

interface Env { key: string; value: unknown; type: string; scope: string }
interface Service { name: string; httpPort?: number; internalPorts?: number[]; instanceSizeSlug: string; instanceCount?: number; autoscaling?: unknown; envs: Env[]; image: Record<string, unknown> }
interface AppSpec {
  name: string; region: string; services: Service[];
  jobs?: { name: string; kind: string; runCommand: string; image: Record<string, unknown>; envs: Env[] }[];
  domainNames?: { name: string; type: string }[];
  ingress: { rules: { component: { name: string }; match: { path?: { prefix: string }; authority?: { exact: string } } }[] };
}

const ofType = (plan: PlanResult, type: string) => plan.resources.filter((r) => r.type === type);
function one(plan: PlanResult, type: string, name?: string): PlannedResource {
  const found = ofType(plan, type).filter((r) => name === undefined || r.name === name);
  assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
  return found[0]!;
}
const appSpec = (plan: PlanResult) => revealSecrets(one(plan, T.app).inputs.spec) as AppSpec;
const service = (spec: AppSpec, name: string) => spec.services.find((s) => s.name === name)!;

describe("swap on DigitalOcean, staging", () => {
  let plan: PlanResult;
  before(async () => {
    plan = await planProgram({ dir: SWAP, stack: "staging" });
  });

  it("plans every part on digitalocean", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
    assert.deepEqual(plan.components.map((c) => c.backend), Array(8).fill("digitalocean"));
  });

  it("puts all six services in one App, in the App Platform region of the stack's datacenter", () => {
    const spec = appSpec(plan);
    assert.equal(spec.name, "swap-staging");
    assert.equal(spec.region, "ams");
    assert.deepEqual(spec.services.map((s) => s.name).sort(), ["gateway", "listings", "matches", "points", "realtime", "users"]);
  });

  it("routes only the public services: private ones listen on internal ports and have no route or HTTP port", () => {
    const spec = appSpec(plan);
    const routed = new Set(spec.ingress.rules.map((r) => r.component.name));
    assert.deepEqual([...routed].sort(), ["gateway", "realtime"]);
    for (const name of ["users", "listings", "matches", "points"]) {
      const s = service(spec, name);
      assert.deepEqual(s.internalPorts, [3000]);
      assert.equal(s.httpPort, undefined, `${name} has no public HTTP port`);
    }
    assert.equal(service(spec, "realtime").httpPort, 3001);
  });

  it("hands private URLs (http://<name>:<port>) to the gateway as SECRET env vars", () => {
    const envs = service(appSpec(plan), "gateway").envs;
    const byKey = new Map(envs.map((e) => [e.key, e]));
    assert.equal(byKey.get("USERS_URL")?.value, "http://users:3000");
    for (const key of ["USERS_URL", "DATABASE_URL", "REDIS_URL", "KAFKA_URL", "JWT_SECRET"]) {
      assert.equal(byKey.get(key)?.type, "SECRET", `${key} is a SECRET env var`);
    }
    assert.ok(isSecret(one(plan, T.app).inputs.spec), "the spec holding secrets is sent as a Pulumi secret");
  });

  it("runs the gateway's migration as a PRE_DEPLOY job of the same image", () => {
    const spec = appSpec(plan);
    assert.equal(spec.jobs?.length, 1);
    const job = spec.jobs![0]!;
    assert.equal(job.kind, "PRE_DEPLOY");
    assert.equal(job.runCommand, "node dist/migrate.js");
    assert.deepEqual(job.image, service(spec, "gateway").image);
    assert.equal(job.image.registryType, "DOCR");
    assert.match(String(job.image.digest), /^sha256:[0-9a-f]{64}$/);
  });

  it("sizes every service on the cheapest shared instance, one each", () => {
    for (const s of appSpec(plan).services) {
      assert.equal(s.instanceSizeSlug, "apps-s-1vcpu-0.5gb");
      assert.equal(s.instanceCount, 1);
    }
  });

  it("makes a Postgres cluster with a database and user for the app, and a Valkey cache, single-node, unprotected", () => {
    const db = one(plan, T.cluster, "db-cluster");
    assert.deepEqual([db.inputs.engine, db.inputs.version, db.inputs.nodeCount, db.inputs.size, db.inputs.region], ["pg", "16", 1, "db-s-1vcpu-1gb", "ams3"]);
    assert.equal(db.protect, false);
    assert.equal(db.retainOnDelete, true);
    assert.equal(one(plan, T.db).inputs.name, "swap");
    assert.equal(one(plan, T.user).inputs.name, "swap");
    assert.equal(one(plan, T.user).retainOnDelete, true);
    assert.equal(one(plan, T.cluster, "cache-cluster").inputs.engine, "valkey");
  });

  it("lets each cluster trust only the App", () => {
    for (const name of ["db-firewall", "cache-firewall"]) {
      assert.deepEqual(one(plan, T.firewall, name).inputs.rules, [{ type: "app", value: "swap-app-id" }]);
    }
  });

  it("groups the App and clusters in a project and prints the cost: 6 x $5 + PG $15 + Valkey $15", () => {
    assert.equal(one(plan, "digitalocean:index/project:Project").inputs.environment, "Staging");
    const cost = plan.notes.find((n) => n.startsWith("digitalocean:"));
    assert.match(cost ?? "", /about \$60\.00\/month/);
  });
});

describe("swap on DigitalOcean, production", () => {
  let plan: PlanResult;
  before(async () => {
    plan = await planProgram({ dir: SWAP, stack: "prod" });
  });

  it("plans, with the registry named in config", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
    assert.equal(ofType(plan, T.app).length, 1);
    assert.equal(one(plan, "digitalocean:index/containerRegistryDockerCredentials:ContainerRegistryDockerCredentials").inputs.registryName, "swap-registry");
    assert.equal(ofType(plan, "digitalocean:index/containerRegistry:ContainerRegistry").length, 0, "an existing registry is used, none created");
  });

  it("autoscales the gateway on a dedicated size and runs two realtime instances", () => {
    const spec = appSpec(plan);
    assert.deepEqual(service(spec, "gateway").autoscaling, { minInstanceCount: 2, maxInstanceCount: 4, metrics: { cpu: { percent: 70 } } });
    assert.equal(service(spec, "gateway").instanceSizeSlug, "apps-d-1vcpu-1gb");
    assert.equal(service(spec, "realtime").instanceCount, 2);
    assert.equal(service(spec, "realtime").instanceSizeSlug, "apps-s-1vcpu-1gb");
  });

  it("serves each custom domain on its service through an authority rule, as ALIAS domains", () => {
    const spec = appSpec(plan);
    assert.deepEqual(spec.domainNames, [{ name: "api.swap.example", type: "ALIAS" }, { name: "ws.swap.example", type: "ALIAS" }]);
    const byDomain = spec.ingress.rules.filter((r) => r.match.authority).map((r) => [r.match.authority!.exact, r.component.name]);
    assert.deepEqual(byDomain, [["api.swap.example", "gateway"], ["ws.swap.example", "realtime"]]);
  });

  it("protects the data and adds a standby node on a size that allows one", () => {
    for (const name of ["db-cluster", "cache-cluster"]) {
      const c = one(plan, T.cluster, name);
      assert.equal(c.protect, true);
      assert.equal(c.inputs.nodeCount, 2);
      assert.equal(c.inputs.size, "db-s-1vcpu-2gb");
    }
  });

  it("prints the production cost", () => {
    // 2 x $34 gateway + 2 x $12 realtime + 4 x $5 private + PG 2 x $30 + Valkey 2 x $30.
    assert.match(plan.notes.find((n) => n.startsWith("digitalocean:")) ?? "", /about \$232\.00\/month/);
  });
});

describe("the sample app", () => {
  it("moves its web service to DigitalOcean by one config line", async () => {
    const plan = await planProgram({ dir: REPO, stack: "staging", config: { "multicloud:services": JSON.stringify({ web: { size: "nano", instances: 1, backend: "digitalocean" } }) } });
    assert.equal(plan.error, undefined, plan.error?.message);
    assert.equal(plan.components.find((c) => c.name === "web")?.backend, "digitalocean");
    assert.deepEqual(appSpec(plan).services.map((s) => s.name), ["web"]);
    assert.equal(ofType(plan, "aws:ecs/service:Service").length, 0, "the Fargate service is gone");
  });

  it("moves whole to DigitalOcean by one config line, its cron job a scheduled job of the jobs App (test/digitalocean/cron.test.ts)", async () => {
    const plan = await planProgram({ dir: REPO, stack: "staging", config: { "multicloud:backend": "digitalocean" } });
    assert.equal(plan.error, undefined, plan.error?.message);
    assert.deepEqual(plan.components.map((c) => c.backend), Array(plan.components.length).fill("digitalocean"));
    assert.equal(ofType(plan, "pulumi-nodejs:dynamic/digitalocean:ScheduledJobs").length, 1);
  });
});
