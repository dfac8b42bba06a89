// runReleaseTask against the ECS emulator, one behaviour per test: the request it sends, how it waits,
// and the verdict (with the message a person needs when the release fails).
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runReleaseTask } from "../../providers/aws/release";
import { readAwsSettings } from "../../providers/aws/release/awsConfig";
import type { ReleaseRunInputs } from "../../providers/aws/release";
import { exitsWith, neverStops, startEcsEmulator, stopsWithoutExitCode } from "../emulators/ecs";
import type { EcsEmulator, EcsScenario } from "../emulators/ecs";

const CLUSTER = "arn:aws:ecs:eu-west-1:123456789012:cluster/shop";
const TASK_DEFINITION = "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web:7";

function inputs(overrides: Partial<ReleaseRunInputs> = {}): ReleaseRunInputs {
  return {
    region: "eu-west-1",
    cluster: CLUSTER,
    taskDefinition: TASK_DEFINITION,
    container: "web",
    command: ["node", "migrate.js"],
    subnets: ["subnet-a", "subnet-b"],
    securityGroups: ["sg-app"],
    assignPublicIp: true,
    pollIntervalSeconds: 0.01,
    timeoutSeconds: 30,
    logGroup: "/multicloud/shop/web",
    logStreamPrefix: "web",
    ...overrides,
  };
}

/** The last path segment of a task ARN: the task ID, which the awslogs stream name ends with. */
function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf("/") + 1);
}

void describe("runReleaseTask", () => {
  let emulator: EcsEmulator | undefined;
  const savedEnv = { ...process.env };

  beforeEach(() => {
    // Fake credentials and no shared config: the SDK's default chain must not reach for a real account.
    process.env.AWS_ACCESS_KEY_ID = "AKIAEMULATORTEST0001";
    process.env.AWS_SECRET_ACCESS_KEY = "emulator-secret-not-real";
    process.env.AWS_CONFIG_FILE = "/nonexistent/aws-config";
    process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/aws-credentials";
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_ENDPOINT_URL;
  });

  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    process.env = { ...savedEnv };
  });

  async function start(scenario: EcsScenario): Promise<EcsEmulator> {
    emulator = await startEcsEmulator(scenario);
    // The SDK's own service-specific endpoint variable: no endpoint input exists in the provider.
    process.env.AWS_ENDPOINT_URL_ECS = emulator.url;
    process.env.AWS_ENDPOINT_URL_STS = emulator.url;
    return emulator;
  }

  void it("runs the command on the new task definition and resolves once the task is STOPPED with exit code 0", async () => {
    const ecs = await start({ phases: exitsWith(0) });
    const result = await runReleaseTask(inputs());

    assert.equal(ecs.tasks.length, 1);
    assert.equal(result.taskArn, ecs.tasks[0]?.taskArn);
    assert.equal(result.exitCode, 0);
    assert.ok(!Number.isNaN(Date.parse(result.startedAt)), `startedAt is a time: ${result.startedAt}`);
    assert.ok(Date.parse(result.stoppedAt) > Date.parse(result.startedAt));

    const [runTask, ...moreRunTasks] = ecs.requestsOf("RunTask");
    assert.equal(moreRunTasks.length, 0);
    assert.ok(runTask);
    assert.equal(runTask.body.taskDefinition, TASK_DEFINITION);
    assert.equal(runTask.body.cluster, CLUSTER);
    assert.equal(runTask.body.count, 1);
    assert.equal(runTask.body.launchType, "FARGATE");
    assert.deepEqual(runTask.body.overrides, { containerOverrides: [{ name: "web", command: ["node", "migrate.js"] }] });
    assert.deepEqual(runTask.body.networkConfiguration, {
      awsvpcConfiguration: { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-app"], assignPublicIp: "ENABLED" },
    });
    assert.equal(typeof runTask.body.clientToken, "string");

    // It waited through PROVISIONING, PENDING and RUNNING (RUNNING is not the end) to STOPPED.
    const describes = ecs.requestsOf("DescribeTasks");
    assert.equal(describes.length, exitsWith(0).length);
    assert.deepEqual(describes[0]?.body, { cluster: CLUSTER, tasks: [result.taskArn] });
    assert.equal(ecs.requestsOf("StopTask").length, 0);
  });

  void it("runs on a capacity provider instead of the FARGATE launch type when one is given", async () => {
    const ecs = await start({ phases: exitsWith(0) });
    await runReleaseTask(inputs({ capacityProvider: "FARGATE", assignPublicIp: false }));

    const body = ecs.requestsOf("RunTask")[0]?.body;
    assert.deepEqual(body?.capacityProviderStrategy, [{ capacityProvider: "FARGATE", weight: 1 }]);
    assert.equal(body?.launchType, undefined);
    assert.equal((body?.networkConfiguration as { awsvpcConfiguration: { assignPublicIp: string } }).awsvpcConfiguration.assignPublicIp, "DISABLED");
  });

  void it("fails on a non-zero exit code, naming the code, the task ARN and the log stream", async () => {
    const ecs = await start({ phases: exitsWith(3) });
    const error = await runReleaseTask(inputs()).then(
      () => assert.fail("a release that exited 3 must fail"),
      (e: unknown) => e as Error,
    );
    const taskArn = ecs.tasks[0]?.taskArn ?? "";
    assert.ok(taskArn);
    assert.match(error.message, /exited with code 3/);
    assert.ok(error.message.includes(taskArn), error.message);
    assert.ok(error.message.includes("/multicloud/shop/web"), error.message);
    assert.ok(error.message.includes(`web/web/${taskIdOf(taskArn)}`), error.message);
    assert.ok(error.message.includes('["node","migrate.js"]'), error.message);
  });

  void it("points at the task definition's log configuration when no log group is given", async () => {
    await start({ phases: exitsWith(1) });
    await assert.rejects(
      runReleaseTask(inputs({ logGroup: undefined, logStreamPrefix: undefined })),
      (e: Error) => e.message.includes("exited with code 1") && e.message.includes(`log configuration of container "web" in ${TASK_DEFINITION}`),
    );
  });

  void it("fails when the task stopped without an exit code, giving the stopped reason", async () => {
    const reason = "CannotPullContainerError: pull image manifest has been retried 5 time(s): not found";
    const ecs = await start({ phases: stopsWithoutExitCode(reason, "CannotPullContainerError: not found") });
    const error = await runReleaseTask(inputs()).then(
      () => assert.fail("a task that never ran must fail the release"),
      (e: unknown) => e as Error,
    );
    const taskArn = ecs.tasks[0]?.taskArn ?? "";
    assert.ok(error.message.includes(taskArn), error.message);
    assert.ok(error.message.includes(reason), error.message);
    assert.match(error.message, /stopCode: TaskFailedToStart/);
    assert.match(error.message, /without an exit code/);
    assert.ok(error.message.includes(`web/web/${taskIdOf(taskArn)}`), error.message);
  });

  // Slowest test (~6 s): after a throttle, the SDK's adaptive mode rate-limits the client itself (about one
  // request per 2 s at first). That is the production behaviour under test, so it is not shortened.
  void it("recovers from a throttling burst through the SDK's retries, without starting a second task", async () => {
    const ecs = await start({ phases: exitsWith(0), faults: { RunTask: ["throttle", "throttle"] } });
    const result = await runReleaseTask(inputs());

    assert.equal(result.exitCode, 0);
    const runTasks = ecs.requestsOf("RunTask");
    assert.deepEqual(runTasks.map((r) => r.status), [400, 400, 200]);
    assert.equal(new Set(runTasks.map((r) => r.body.clientToken)).size, 1, "retries reuse the idempotency token");
    assert.equal(ecs.tasks.length, 1);
    assert.equal(result.taskArn, ecs.tasks[0]?.taskArn);
  });

  void it("recovers from 500s, and a RunTask answered 500 after starting the task does not start it twice", async () => {
    const ecs = await start({
      phases: exitsWith(0),
      faults: { RunTask: ["server-error-after-start"], DescribeTasks: ["server-error", "server-error"] },
    });
    const result = await runReleaseTask(inputs());

    assert.deepEqual(ecs.requestsOf("RunTask").map((r) => r.status), [500, 200]);
    assert.equal(ecs.tasks.length, 1, "the retried RunTask carried the same clientToken");
    assert.equal(result.taskArn, ecs.tasks[0]?.taskArn);
    assert.deepEqual(ecs.requestsOf("DescribeTasks").slice(0, 3).map((r) => r.status), [500, 500, 200]);
  });

  void it("keeps waiting while DescribeTasks does not list the new task yet (MISSING)", async () => {
    const ecs = await start({ phases: exitsWith(0), missingDescribes: 2 });
    const result = await runReleaseTask(inputs());
    assert.equal(result.exitCode, 0);
    assert.equal(ecs.requestsOf("DescribeTasks").length, 2 + exitsWith(0).length);
  });

  void it("stops a task that outlives timeoutSeconds and fails, naming the task", async () => {
    const ecs = await start({ phases: neverStops() });
    const error = await runReleaseTask(inputs({ timeoutSeconds: 0.2, pollIntervalSeconds: 0.02 })).then(
      () => assert.fail("a task that never stops must time out"),
      (e: unknown) => e as Error,
    );
    const taskArn = ecs.tasks[0]?.taskArn ?? "";
    assert.match(error.message, /did not stop within 0\.2 s/);
    assert.match(error.message, /last status RUNNING/);
    assert.ok(error.message.includes(taskArn), error.message);

    const stops = ecs.requestsOf("StopTask");
    assert.equal(stops.length, 1);
    assert.equal(stops[0]?.body.task, taskArn);
    assert.equal(stops[0]?.body.cluster, CLUSTER);
    assert.match(String(stops[0]?.body.reason), /timeoutSeconds=0\.2/);
    assert.ok(ecs.tasks[0]?.stopReason, "the emulator saw the task stopped");
  });

  void it("fails with ECS's reason when RunTask answers failures instead of a task", async () => {
    const ecs = await start({
      runTaskFailures: [{ arn: CLUSTER, reason: "Capacity is unavailable at this time. Please try again later" }],
    });
    await assert.rejects(runReleaseTask(inputs()), (e: Error) => {
      assert.match(e.message, /could not start the release task/);
      assert.match(e.message, /Capacity is unavailable at this time/);
      assert.ok(e.message.includes(TASK_DEFINITION), e.message);
      return true;
    });
    assert.equal(ecs.requestsOf("DescribeTasks").length, 0);
  });

  void it("refuses an empty command before calling ECS", async () => {
    const ecs = await start({});
    await assert.rejects(runReleaseTask(inputs({ command: [] })), /command: must be a non-empty list/);
    assert.equal(ecs.requests.length, 0);
  });

  void it("signs with the profile of aws:profile from aws:sharedCredentialsFiles, over the environment's keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "release-profile-"));
    const file = join(dir, "credentials");
    writeFileSync(file, "[default]\naws_access_key_id = AKIADEFAULTPROFILE01\naws_secret_access_key = d\n\n[deploy]\naws_access_key_id = AKIADEPLOYPROFILE001\naws_secret_access_key = p\n");
    try {
      const ecs = await start({ phases: exitsWith(0) });
      const settings = readAwsSettings({ "aws:profile": "deploy", "aws:sharedCredentialsFiles": JSON.stringify([file]) });
      await runReleaseTask(inputs(), settings);
      assert.ok(ecs.requests.length > 0);
      for (const r of ecs.requests) assert.equal(r.accessKeyId, "AKIADEPLOYPROFILE001", `${r.operation} signed with ${r.accessKeyId}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it("refuses a cluster ARN of another region than the client's before calling AWS", async () => {
    const ecs = await start({});
    await assert.rejects(runReleaseTask(inputs({ region: "us-east-1" })), /cluster: is in region eu-west-1, not in region us-east-1/);
    assert.equal(ecs.requests.length, 0);
  });

  void it("sends startedBy and a clientToken ECS accepts, and the emulator echoes startedBy", async () => {
    const ecs = await start({ phases: exitsWith(0) });
    await runReleaseTask(inputs());
    const body = ecs.requestsOf("RunTask")[0]?.body ?? {};
    assert.match(String(body.startedBy), /^[A-Za-z0-9_/-]{1,128}$/);
    assert.match(String(body.clientToken), /^[\x21-\x7e]{1,64}$/);
    assert.equal(ecs.requestsOf("DescribeTasks").length > 0, true);
  });
});

void describe("readAwsSettings (the stack's aws: config)", () => {
  void it("reads keys, profile, one shared file and a role chain with pulumi-aws's field names", () => {
    const settings = readAwsSettings({
      "aws:accessKey": "AKIA1",
      "aws:secretKey": "s",
      "aws:token": "t",
      "aws:profile": "deploy",
      "aws:sharedConfigFiles": '["/etc/aws/config"]',
      "aws:assumeRoles": JSON.stringify([
        { roleArn: "arn:aws:iam::111111111111:role/a", duration: "1h30m", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], tags: { team: "web" } },
      ]),
    });
    assert.equal(settings.problems, undefined);
    assert.equal(settings.sharedConfigFile, "/etc/aws/config");
    assert.deepEqual(settings.assumeRoles?.[0]?.durationSeconds, 5400);
    assert.deepEqual(settings.assumeRoles?.[0]?.tags, { team: "web" });
  });

  void it("takes the older aws:assumeRole object (pulumi-aws < 7) as a one-role chain", () => {
    const settings = readAwsSettings({ "aws:assumeRole": JSON.stringify({ roleArn: "arn:aws:iam::111111111111:role/a", durationSeconds: 900 }) });
    assert.deepEqual(settings.assumeRoles?.map((r) => [r.roleArn, r.durationSeconds]), [["arn:aws:iam::111111111111:role/a", 900]]);
  });

  void it("names each malformed key, without echoing a secret", () => {
    const settings = readAwsSettings({
      "aws:secretKey": "very-secret-value",
      "aws:sharedCredentialsFiles": '["/a","/b"]',
      "aws:assumeRoles": '[{"roleArn": "not-an-arn"}]',
      "aws:assumeRole": '{"roleArn": "arn:aws:iam::111111111111:role/a"}',
    });
    const problems = (settings.problems ?? []).join("\n");
    assert.match(problems, /aws:accessKey and aws:secretKey must be set together/);
    assert.match(problems, /aws:sharedCredentialsFiles lists 2 files/);
    assert.match(problems, /aws:assumeRoles and aws:assumeRole are both set/);
    assert.ok(!problems.includes("very-secret-value"));
  });
});
