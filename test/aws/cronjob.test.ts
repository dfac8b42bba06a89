/** Cron jobs on AWS: EventBridge Scheduler running a Fargate task with the command baked in. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { awsBackend } from "../../providers/aws";
import { cronCommand, unenforcedTimeoutWarning } from "../../providers/aws/cronJob";
import type { CronJobSpec } from "../../providers/backend";
import {
  containsInPlainText,
  cronJobSpec,
  isDescendant,
  isSecret,
  parentComponent,
  recordResources,
  reveal,
  stackInfo,
  webServiceSpec,
  type Recorded,
  type Recording,
} from "../support/mocks";

const T = {
  schedule: "aws:scheduler/schedule:Schedule",
  task: "aws:ecs/taskDefinition:TaskDefinition",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  param: "aws:ssm/parameter:Parameter",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
};

function deploy(specs: CronJobSpec[], secretEnv: Record<string, string> = {}): Promise<Recording> {
  return recordResources(() => {
    const instance = awsBackend.create(stackInfo(), {});
    for (const spec of specs) {
      const secrets = Object.fromEntries(Object.entries(secretEnv).map(([k, v]) => [k, pulumi.secret(v)]));
      instance.cronJob!(spec, { secretEnv: secrets }, parentComponent("CronJob", spec.name));
    }
  });
}

/** The schedule's target, as far as these tests read it. */
interface Target {
  arn: string;
  roleArn: string;
  retryPolicy: unknown;
  ecsParameters: { taskDefinitionArn: string; taskCount: number; launchType?: string; capacityProviderStrategies?: unknown; networkConfiguration: unknown };
}

function container(task: Recorded): Record<string, unknown> {
  return JSON.parse(task.inputs.containerDefinitions as string)[0];
}

describe("AWS cron job", () => {
  it("schedules a Fargate task with the AWS form of the expression, in the job's time zone", async () => {
    const rec = await deploy([cronJobSpec({ name: "report", schedule: "30 7 * * 1-5", timezone: "Europe/Paris" })]);
    const schedule = rec.one(T.schedule);
    assert.equal(schedule.inputs.scheduleExpression, "cron(30 7 ? * MON-FRI *)");
    assert.equal(schedule.inputs.scheduleExpressionTimezone, "Europe/Paris");
    assert.deepEqual(schedule.inputs.flexibleTimeWindow, { mode: "OFF" });

    const target = schedule.inputs.target as Target;
    assert.equal(target.arn, rec.one("aws:ecs/cluster:Cluster").outputs.arn);
    assert.equal(target.roleArn, rec.one(T.role, "report-scheduler-role").outputs.arn);
    assert.equal(target.ecsParameters.taskDefinitionArn, rec.one(T.task).outputs.arn);
    assert.equal(target.ecsParameters.taskCount, 1);
    // The documented path for a public IP from Scheduler: launchType FARGATE, no capacity provider strategy.
    assert.equal(target.ecsParameters.launchType, "FARGATE");
    assert.equal(target.ecsParameters.capacityProviderStrategies, undefined);
    const publicSubnets = rec.ofType("aws:ec2/subnet:Subnet").filter((s) => s.name.includes("-public-")).map((s) => s.id);
    assert.deepEqual(target.ecsParameters.networkConfiguration, {
      subnets: publicSubnets,
      securityGroups: [rec.one("aws:ec2/securityGroup:SecurityGroup", "shop-aws-app-sg").id],
      assignPublicIp: true,
    });
    assert.deepEqual(target.retryPolicy, { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 300 });
    assert.ok(schedule.options.dependsOn.includes(rec.one(T.rolePolicy, "report-scheduler-policy")));
  });

  it("bakes the command into the job's own task definition, with no port", async () => {
    const rec = await deploy([cronJobSpec({ name: "report", command: ["node", "report.js", "--daily"], env: { TZ: "UTC" } })]);
    const c = container(rec.one(T.task));
    assert.deepEqual(c.command, ["node", "report.js", "--daily"]);
    assert.deepEqual(c.portMappings, []);
    assert.deepEqual(c.environment, [{ name: "TZ", value: "UTC" }]);
  });

  it("lets Scheduler run exactly this job's task definitions on this cluster and pass only its two roles", async () => {
    const rec = await deploy([cronJobSpec({ name: "report" }), cronJobSpec({ name: "report-weekly" })]);
    const role = rec.one(T.role, "report-scheduler-role");
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0];
    assert.deepEqual(trust.Principal, { Service: "scheduler.amazonaws.com" });
    assert.deepEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });

    const [run, pass] = JSON.parse(reveal<string>(rec.one(T.rolePolicy, "report-scheduler-policy").inputs.policy)).Statement;
    assert.equal(run.Action, "ecs:RunTask");
    // Every revision of this job's family, not the one revision: a grant on a revision's ARN is replaced by the next
    // one's before the schedule moves to it (a tick in between is refused), and it waits for the task definition,
    // i.e. for the data behind its secrets. `family:*` is known from the start and matches no other family.
    const task = rec.one(T.task, "report-task");
    assert.equal(run.Resource, `arn:aws:ecs:us-east-1:123456789012:task-definition/${String(task.inputs.family)}:*`);
    assert.ok(String(task.outputs.arn).startsWith(String(run.Resource).replace(/\*$/, "")));
    assert.ok(!String(rec.one(T.task, "report-weekly-task").outputs.arn).startsWith(String(run.Resource).replace(/\*$/, "")));
    assert.deepEqual(run.Condition, { ArnEquals: { "ecs:cluster": rec.one("aws:ecs/cluster:Cluster").outputs.arn } });
    assert.equal(pass.Action, "iam:PassRole");
    assert.deepEqual(pass.Resource, [rec.one(T.role, "report-execution-role").outputs.arn, rec.one(T.role, "report-task-role").outputs.arn]);
  });

  it("passes secrets through SSM like services, and logs to its own group", async () => {
    const rec = await deploy([cronJobSpec({ name: "report" })], { SMTP_PASSWORD: "mail-pass-123" });
    const param = rec.one(T.param);
    assert.equal(param.inputs.name, "/shop/test/report/SMTP_PASSWORD");
    assert.equal(param.inputs.type, "SecureString");
    assert.ok(isSecret(param.inputs.value));
    assert.deepEqual(container(rec.one(T.task)).secrets, [{ name: "SMTP_PASSWORD", valueFrom: param.outputs.arn }]);
    for (const r of rec.resources) assert.ok(!containsInPlainText(r.inputs, "mail-pass-123"), `${r.name} has no plain secret`);
    const logs = rec.one(T.logGroup);
    assert.equal(logs.inputs.name, "/shop/test/report");
    assert.equal(logs.inputs.retentionInDays, 7);
  });

  it("runs on Fargate Spot, as ARM64 like any build, when asked", async () => {
    const rec = await deploy([cronJobSpec({ name: "report", settings: { spot: true } })]);
    const target = rec.one(T.schedule).inputs.target as Target;
    assert.deepEqual(target.ecsParameters.capacityProviderStrategies, [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
    assert.equal(target.ecsParameters.launchType, undefined, "launchType and a strategy exclude each other");
    assert.equal((rec.one(T.task).inputs.runtimePlatform as Record<string, string>).cpuArchitecture, "ARM64");
  });

  it("says the timeout is not enforced, unless enforceTimeout wraps the command in `timeout`", async () => {
    const loose = await deploy([cronJobSpec({ name: "report", timeoutSeconds: 600 })]);
    assert.ok(loose.warnings.includes(unenforcedTimeoutWarning({ name: "report", timeoutSeconds: 600 })));
    assert.deepEqual(container(loose.one(T.task)).command, ["node", "job.js"]);

    const strict = await deploy([cronJobSpec({ name: "report", timeoutSeconds: 600, settings: { enforceTimeout: true } })]);
    assert.equal(strict.warnings.filter((w) => w.includes("not enforced")).length, 0);
    assert.deepEqual(container(strict.one(T.task)).command, ["timeout", "-s", "TERM", "-k", "30", "600", "node", "job.js"]);
    assert.deepEqual(cronCommand({ command: ["a"], timeoutSeconds: 5 }, {}), ["a"]);
  });

  it("keeps every child under the job's component", async () => {
    const rec = await deploy([cronJobSpec({ name: "report" })], { A: "b" });
    const component = rec.one("multicloud:index:CronJob", "report");
    for (const type of [T.schedule, T.task, T.role, T.rolePolicy, T.param, T.logGroup, "docker:index/image:Image"]) {
      for (const r of rec.ofType(type)) {
        assert.ok(isDescendant(r, component), `${type} ${r.name} is under the job`);
        assert.ok(r.name.startsWith("report-"), `${r.name} is named from the job`);
      }
    }
  });

  it("moves a job running a service's image to the new version only after the service's release command succeeded", async () => {
    const web = webServiceSpec({ name: "web", release: ["node", "migrate.js"] });
    const rec = await recordResources(() => {
      const instance = awsBackend.create(stackInfo(), {});
      // The core registers services before cron jobs.
      instance.webService!(web, { secretEnv: {} }, parentComponent("WebService", "web"));
      for (const spec of [
        cronJobSpec({ name: "cleanup", image: web.image, imageOfService: "web" }),
        // Spot runs x86: another build of the same code, which the migration gates all the same.
        cronJobSpec({ name: "spotty", image: web.image, imageOfService: "web", settings: { spot: true } }),
        cronJobSpec({ name: "own", image: { kind: "ref", ref: "busybox:1.36" } }),
      ]) {
        instance.cronJob!(spec, { secretEnv: {} }, parentComponent("CronJob", spec.name));
      }
    });
    const release = rec.one("pulumi-nodejs:dynamic:ReleaseTask", "web-release");
    for (const job of ["cleanup", "spotty"]) {
      // A failed migration leaves the job's task definition (and so its schedule) on the old version.
      assert.ok(rec.one(T.task, `${job}-task`).options.dependsOn.includes(release), `${job}'s task definition waits for the release`);
      assert.ok(rec.one(T.schedule, `${job}-schedule`).options.dependsOn.includes(release), `${job}'s schedule waits for the release`);
    }
    assert.ok(!rec.one(T.task, "own-task").options.dependsOn.includes(release), "a job with its own image does not wait");
    assert.ok(!rec.one(T.schedule, "own-schedule").options.dependsOn.includes(release));
  });

  it("refuses a schedule AWS cannot express (validation reports it first)", async () => {
    await assert.rejects(deploy([cronJobSpec({ name: "report", schedule: "0 0 1 * 1" })]), /split it into two cron jobs/);
  });
});
