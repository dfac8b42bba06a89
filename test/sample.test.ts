/**
 * The repository's own sample app (index.ts), planned with its committed stack files exactly as `npm run plan`
 * does: what a new user's first `pulumi up` would create on AWS, and the same app moved to Heroku by config alone.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { planJson } from "../scripts/plan/render";
import { isSecret, planProgram, revealSecrets, type PlannedResource, type PlanResult } from "../scripts/plan/run";

const REPO = path.resolve(__dirname, "..");

function ofType(plan: PlanResult, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

function one(plan: PlanResult, type: string, name?: string): PlannedResource {
  const found = ofType(plan, type).filter((r) => name === undefined || r.name === name);
  assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
  return found[0]!;
}

/** The component (multicloud:index:*) a resource belongs to. */
function componentOf(plan: PlanResult, resource: PlannedResource): string | undefined {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  let current: PlannedResource | undefined = resource;
  while (current && !current.type.startsWith("multicloud:index:")) current = current.parent ? byUrn.get(current.parent) : undefined;
  return current?.name;
}

describe("the sample app on its staging stack (AWS, development tier)", () => {
  let plan: PlanResult;
  before(async () => {
    plan = await planProgram({ dir: REPO, stack: "staging" });
  });

  it("plans without error, every part on aws", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
    assert.deepEqual(plan.components.map((c) => [c.name, c.kind, c.backend]), [
      ["db", "Database", "aws"],
      ["cache", "Cache", "aws"],
      ["web", "WebService", "aws"],
      ["cleanup", "CronJob", "aws"],
    ]);
  });

  it("shares one VPC, cluster and load balancer, with no NAT gateway", () => {
    assert.equal(ofType(plan, "aws:ec2/vpc:Vpc").length, 1);
    assert.equal(ofType(plan, "aws:ecs/cluster:Cluster").length, 1);
    assert.equal(ofType(plan, "aws:lb/loadBalancer:LoadBalancer").length, 1);
    assert.equal(ofType(plan, "aws:ec2/natGateway:NatGateway").length, 0);
  });

  it("gives the web service its links and secret through SSM SecureStrings, never plain env", () => {
    const parameters = ofType(plan, "aws:ssm/parameter:Parameter").filter((p) => componentOf(plan, p) === "web");
    assert.deepEqual(parameters.map((p) => p.inputs.name).sort(), ["/sample/staging/web/DATABASE_URL", "/sample/staging/web/REDIS_URL", "/sample/staging/web/SESSION_SECRET"]);
    for (const p of parameters) {
      assert.equal(p.inputs.type, "SecureString");
      assert.ok(isSecret(p.inputs.value), `${String(p.inputs.name)} is sent as a secret`);
    }
    const [container] = JSON.parse(String(revealSecrets(one(plan, "aws:ecs/taskDefinition:TaskDefinition", "web-task").inputs.containerDefinitions))) as {
      environment: { name: string }[];
      secrets: { name: string }[];
    }[];
    assert.deepEqual(container!.secrets.map((s) => s.name).sort(), ["DATABASE_URL", "REDIS_URL", "SESSION_SECRET"]);
    assert.deepEqual(container!.environment.map((e) => e.name).sort(), ["NODE_ENV", "PORT"]);
  });

  it("runs the migration on the new task definition before the service moves", () => {
    const release = one(plan, "pulumi-nodejs:dynamic:ReleaseTask", "web-release");
    assert.deepEqual(release.inputs.command, ["node", "migrate.js"]);
    const service = one(plan, "aws:ecs/service:Service", "web-service");
    assert.ok(service.dependsOn.includes(release.urn), "the service waits for the release task");
    assert.deepEqual(service.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
  });

  it("keeps the data: retained on delete, not deletion-protected on a development stack", () => {
    const db = one(plan, "aws:rds/instance:Instance");
    assert.equal(db.retainOnDelete, true);
    assert.equal(db.protect, false);
    assert.equal(db.inputs.publiclyAccessible, false);
    assert.equal(db.inputs.deletionProtection, false);
    assert.equal(one(plan, "aws:elasticache/serverlessCache:ServerlessCache").retainOnDelete, true);
  });

  it("schedules the clean-up job in AWS's cron form", () => {
    const schedule = one(plan, "aws:scheduler/schedule:Schedule");
    assert.equal(schedule.inputs.scheduleExpression, "cron(30 3 * * ? *)");
    assert.equal(schedule.inputs.scheduleExpressionTimezone, "UTC");
  });

  it("prints the cost estimate and masks every secret in --json", () => {
    assert.ok(plan.notes.some((n) => /^aws: about \$\d+\.\d\d\/month/.test(n)), plan.notes.join("\n"));
    const json = JSON.stringify(planJson(plan));
    assert.ok(json.includes("[secret]"));
    assert.ok(!json.includes("placeholder-set-your-own"), "the secure: text never reaches the plan");
  });
});

describe("the sample app on its prod stack (AWS, production tier)", () => {
  let plan: PlanResult;
  before(async () => {
    plan = await planProgram({ dir: REPO, stack: "prod" });
  });

  it("protects the database and keeps a final snapshot", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
    const db = one(plan, "aws:rds/instance:Instance");
    assert.equal(db.protect, true);
    assert.equal(db.inputs.deletionProtection, true);
    assert.equal(db.inputs.skipFinalSnapshot, false);
    assert.equal(db.inputs.instanceClass, "db.t4g.small");
    assert.equal(db.inputs.allocatedStorage, 50);
  });

  it("autoscales the web service between the configured bounds", () => {
    const target = one(plan, "aws:appautoscaling/target:Target");
    assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity], [2, 4]);
    assert.equal(one(plan, "aws:cloudwatch/logGroup:LogGroup", "web-logs").inputs.retentionInDays, 30);
  });
});

describe("the sample app's staging stack moved to Heroku by config alone", () => {
  let plan: PlanResult;
  before(async () => {
    plan = await planProgram({ dir: REPO, stack: "staging", config: { "multicloud:backend": "heroku" } });
  });

  it("plans every part on heroku, with nothing left on AWS", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
    assert.deepEqual(plan.components.map((c) => c.backend), ["heroku", "heroku", "heroku", "heroku"]);
    assert.equal(plan.resources.filter((r) => r.type.startsWith("aws:")).length, 0);
  });

  it("creates the app, its release, its add-ons on the data app, and the cron clock", () => {
    assert.equal(one(plan, "pulumi-nodejs:dynamic/heroku:App", "web").inputs.stack, "container");
    assert.ok(one(plan, "pulumi-nodejs:dynamic/heroku:ContainerRelease", "web-release").inputs.releaseImage);
    assert.equal(one(plan, "pulumi-nodejs:dynamic/heroku:Addon", "db").inputs.plan, "heroku-postgresql:essential-0");
    assert.equal(one(plan, "pulumi-nodejs:dynamic/heroku:Addon", "cache").inputs.plan, "heroku-redis:mini");
    assert.equal(one(plan, "pulumi-nodejs:dynamic/heroku:App", "heroku-clock").inputs.name, "sample-staging-clock");
  });
});
