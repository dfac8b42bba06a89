// Runs one release (migration) command as a one-off Fargate task and waits for its verdict.
//
// This module is captured by Pulumi's closure serialization (through ./provider), so it must stay
// serializable: plain functions and constants only, the SDK reached through ./sdk (serialized as
// `require("@aws-sdk/client-ecs")`, the package entry point), and no client, credential or environment value
// held at module scope. The clients are built inside `runReleaseTask`, on the machine running `pulumi up`,
// with the credentials the stack's `aws:` config gives (./credentials).
import { randomUUID } from "node:crypto";
import type { ECSClient, RunTaskCommandInput, Task } from "@aws-sdk/client-ecs";
import type { ReleaseAwsSettings } from "./awsConfig";
import { releaseCredentials } from "./credentials";
import type { ClientCredentials } from "./credentials";
import { loadEcs, loadSts } from "./sdk";

/** What one release run needs, as plain values (the resolved form of `ReleaseTaskArgs`). */
export interface ReleaseRunInputs {
  /** AWS region of the cluster, e.g. `eu-west-1`. */
  region: string;
  /** ARN (or name) of the ECS cluster to run the task in. */
  cluster: string;
  /** ARN of the task definition revision to run: the NEW revision the service is about to move to. */
  taskDefinition: string;
  /** Name of the container (in that task definition) whose command is overridden and whose exit code decides. */
  container: string;
  /** The release command, exec form, e.g. `["node", "migrate.js"]`. Must not be empty. */
  command: string[];
  /** Subnet IDs for the task's awsvpc network interface. Must not be empty. */
  subnets: string[];
  /** Security group IDs for the task's network interface (e.g. the "app" group that may reach the database). */
  securityGroups: string[];
  /** Whether the task gets a public IP (needed in public subnets without NAT to pull the image and read secrets). */
  assignPublicIp: boolean;
  /**
   * Capacity provider to run on (e.g. `FARGATE`). When unset the task is started with launch type FARGATE.
   * `FARGATE_SPOT` is accepted but a reclaimed Spot task fails the deploy: prefer on-demand for migrations.
   * @default undefined (launch type FARGATE)
   */
  capacityProvider?: string;
  /**
   * How long to wait for the task to stop, counted from RunTask (so image pull time is included). When it
   * elapses the task is stopped (StopTask) and the run fails.
   * @default 1800
   */
  timeoutSeconds?: number;
  /**
   * Seconds between two DescribeTasks calls while waiting.
   * @default 5
   */
  pollIntervalSeconds?: number;
  /** CloudWatch log group of the container's `awslogs` driver, only used to say where the logs are. */
  logGroup?: string;
  /** The container's `awslogs-stream-prefix`, only used to name the log stream in messages. */
  logStreamPrefix?: string;
}

/** The record of a successful release run. */
export interface ReleaseRunResult {
  /** ARN of the task that ran the release command. */
  taskArn: string;
  /** Exit code of the release container: always 0 here, since any other ends the run with an error. */
  exitCode: number;
  /** When the task started (ISO 8601), or when it was created if ECS did not report a start. */
  startedAt: string;
  /** When the task stopped (ISO 8601). */
  stoppedAt: string;
}

/** Default of {@link ReleaseRunInputs.timeoutSeconds}. */
export const DEFAULT_TIMEOUT_SECONDS = 1800;
/** Default of {@link ReleaseRunInputs.pollIntervalSeconds}. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
// Attempts per API call, throttling and 5xx included; the SDK's adaptive mode also slows the
// whole client down after throttling, which is what a long poll loop wants.
const SDK_MAX_ATTEMPTS = 8;
// ECS limits: startedBy <= 128 chars, StopTask reason <= 1024; ours are far shorter.
const STARTED_BY = "multicloud-release";

/**
 * Runs `inputs.command` once as a Fargate task on `inputs.taskDefinition` and waits until the task is
 * STOPPED. Resolves when the container named `inputs.container` exited 0; rejects with a message naming
 * the task ARN, the exit code or stop reason, and where the logs are, in every other case (RunTask
 * failures, non-zero exit, a task that stopped before the container ran, timeout).
 */
export async function runReleaseTask(inputs: ReleaseRunInputs, aws: ReleaseAwsSettings = {}): Promise<ReleaseRunResult> {
  assertRunnable(inputs);
  if (aws.problems && aws.problems.length > 0) {
    throw new Error(`The stack's AWS config cannot be used for the release task: ${aws.problems.join("; ")}`);
  }
  const timeoutSeconds = inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const pollMs = (inputs.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS) * 1000;
  const { credentials, source } = releaseCredentials(aws, aws.stsRegion ?? inputs.region);
  await assertCallerOwnsCluster(inputs, credentials, source, aws.stsRegion ?? inputs.region);
  // Endpoint: the SDK reads AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL itself (tests point it at an emulator).
  const client = new (loadEcs().ECSClient)({ region: inputs.region, credentials, maxAttempts: SDK_MAX_ATTEMPTS, retryMode: "adaptive" });
  try {
    const taskArn = await startTask(client, inputs);
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (;;) {
      await sleep(Math.max(0, Math.min(pollMs, deadline - Date.now())));
      const task = await describeTask(client, inputs, taskArn);
      if (task?.lastStatus === "STOPPED") return judgeStoppedTask(inputs, taskArn, task);
      if (Date.now() >= deadline) {
        throw new Error(await stopAfterTimeout(client, inputs, taskArn, timeoutSeconds, task));
      }
    }
  } finally {
    client.destroy();
  }
}

/** The parts of a cluster ARN, `arn:<partition>:ecs:<region>:<account>:cluster/<name>`; undefined for a bare name. */
export function parseClusterArn(cluster: string): { region: string; account: string; name: string } | undefined {
  const match = /^arn:[^:]+:ecs:([^:]+):(\d{12}):cluster\/(.+)$/.exec(cluster);
  return match ? { region: match[1] as string, account: match[2] as string, name: match[3] as string } : undefined;
}

/**
 * Fails, before anything runs, when the credentials belong to another account than the cluster's: ECS has no
 * cross-account RunTask, and the task definition, roles and network of this stack live in the cluster's
 * account. The caller's account comes from STS GetCallerIdentity, which needs no IAM permission
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html); the static keys alone do
 * not carry it. A cluster given by name is looked up in the caller's own account, so there is nothing to compare.
 */
async function assertCallerOwnsCluster(
  inputs: ReleaseRunInputs,
  credentials: ClientCredentials,
  source: string,
  stsRegion: string,
): Promise<void> {
  const cluster = parseClusterArn(inputs.cluster);
  if (!cluster) return;
  const { STSClient, GetCallerIdentityCommand } = loadSts();
  const sts = new STSClient({ region: stsRegion, credentials, maxAttempts: SDK_MAX_ATTEMPTS });
  let identity;
  try {
    identity = await sts.send(new GetCallerIdentityCommand({}));
  } catch (error) {
    throw new Error(
      `Could not tell which AWS identity the release task would run as (STS GetCallerIdentity with ${source}): ` +
        `${describeError(error)}`,
    );
  } finally {
    sts.destroy();
  }
  if (identity.Account !== cluster.account) {
    throw new Error(
      `The release task would run as ${identity.Arn ?? "an unknown identity"} in AWS account ${identity.Account ?? "(none returned)"}, ` +
        `but cluster ${inputs.cluster} is in account ${cluster.account}. The credentials come from ${source}: ` +
        "point the stack's aws: config (aws:profile, aws:accessKey/aws:secretKey, aws:assumeRoles) or the environment at " +
        `account ${cluster.account}, the one the stack deploys to.`,
    );
  }
}

function assertRunnable(inputs: ReleaseRunInputs): void {
  const problems = releaseInputProblems(inputs);
  if (problems.length > 0) {
    throw new Error(`Release task inputs are invalid: ${problems.map((p) => `${p.property}: ${p.reason}`).join("; ")}`);
  }
}

/**
 * Checks the inputs that would make RunTask fail or the wait meaningless. Values that are not plain
 * values yet (Pulumi's unknown placeholder during preview) are skipped by the caller, not here.
 */
export function releaseInputProblems(inputs: Partial<Record<keyof ReleaseRunInputs, unknown>>): { property: string; reason: string }[] {
  const problems: { property: string; reason: string }[] = [];
  const nonEmptyString = (property: keyof ReleaseRunInputs) => {
    const value = inputs[property];
    if (typeof value !== "string" || value.length === 0) problems.push({ property, reason: "must be a non-empty string" });
  };
  const stringList = (property: keyof ReleaseRunInputs, mayBeEmpty: boolean) => {
    const value = inputs[property];
    if (!Array.isArray(value) || (!mayBeEmpty && value.length === 0) || !value.every((v) => typeof v === "string" && v.length > 0)) {
      problems.push({ property, reason: `must be a ${mayBeEmpty ? "" : "non-empty "}list of non-empty strings` });
    }
  };
  const positiveNumber = (property: keyof ReleaseRunInputs) => {
    const value = inputs[property];
    if (value !== undefined && !(typeof value === "number" && Number.isFinite(value) && value > 0)) {
      problems.push({ property, reason: "must be a positive number of seconds" });
    }
  };
  nonEmptyString("region");
  nonEmptyString("cluster");
  // The ECS client is built for `region`: a cluster ARN of another region would answer ClusterNotFoundException.
  const clusterArn = typeof inputs.cluster === "string" ? parseClusterArn(inputs.cluster) : undefined;
  if (clusterArn && typeof inputs.region === "string" && inputs.region !== "" && clusterArn.region !== inputs.region) {
    problems.push({ property: "cluster", reason: `is in region ${clusterArn.region}, not in region ${inputs.region}` });
  }
  nonEmptyString("taskDefinition");
  nonEmptyString("container");
  stringList("command", false);
  stringList("subnets", false);
  stringList("securityGroups", true);
  if (typeof inputs.assignPublicIp !== "boolean") problems.push({ property: "assignPublicIp", reason: "must be a boolean" });
  positiveNumber("timeoutSeconds");
  positiveNumber("pollIntervalSeconds");
  return problems;
}

/** The RunTask request for one release run (exported so the request shape can be read and tested). */
export function buildRunTaskRequest(inputs: ReleaseRunInputs, clientToken: string): RunTaskCommandInput {
  return {
    cluster: inputs.cluster,
    taskDefinition: inputs.taskDefinition,
    count: 1,
    // launchType and capacityProviderStrategy are mutually exclusive in RunTask.
    ...(inputs.capacityProvider
      ? { capacityProviderStrategy: [{ capacityProvider: inputs.capacityProvider, weight: 1 }] }
      : { launchType: "FARGATE" as const }),
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: inputs.subnets,
        securityGroups: inputs.securityGroups,
        assignPublicIp: inputs.assignPublicIp ? "ENABLED" : "DISABLED",
      },
    },
    overrides: { containerOverrides: [{ name: inputs.container, command: inputs.command }] },
    startedBy: STARTED_BY,
    // The SDK retries RunTask after throttling or a 5xx with the same input; the token makes ECS
    // return the task it may already have started instead of running the migration twice.
    clientToken,
  };
}

async function startTask(client: ECSClient, inputs: ReleaseRunInputs): Promise<string> {
  let response;
  try {
    response = await client.send(new (loadEcs().RunTaskCommand)(buildRunTaskRequest(inputs, randomUUID())));
  } catch (error) {
    throw new Error(`RunTask for the release command on cluster ${inputs.cluster} failed: ${describeError(error)}`);
  }
  const failures = response.failures ?? [];
  const taskArn = response.tasks?.[0]?.taskArn;
  if (failures.length > 0 || !taskArn) {
    const reasons = failures.map((f) => [f.arn, f.reason, f.detail].filter(Boolean).join(": ")).join("; ");
    throw new Error(
      `ECS could not start the release task on cluster ${inputs.cluster} ` +
        `(task definition ${inputs.taskDefinition}): ${reasons || "RunTask returned no task"}`,
    );
  }
  return taskArn;
}

/** The task, or undefined while ECS does not list it yet (DescribeTasks is eventually consistent). */
async function describeTask(client: ECSClient, inputs: ReleaseRunInputs, taskArn: string): Promise<Task | undefined> {
  let response;
  try {
    response = await client.send(new (loadEcs().DescribeTasksCommand)({ cluster: inputs.cluster, tasks: [taskArn] }));
  } catch (error) {
    throw new Error(
      `Could not read the state of release task ${taskArn}: ${describeError(error)}. ` +
        `The task may still be running: check it before deploying again. ${describeLogLocation(inputs, taskArn)}`,
    );
  }
  const task = response.tasks?.find((t) => t.taskArn === taskArn);
  if (task) return task;
  const failure = response.failures?.find((f) => f.reason !== "MISSING");
  if (failure) {
    throw new Error(`DescribeTasks for release task ${taskArn} failed: ${[failure.reason, failure.detail].filter(Boolean).join(": ")}`);
  }
  return undefined;
}

function judgeStoppedTask(inputs: ReleaseRunInputs, taskArn: string, task: Task): ReleaseRunResult {
  const container = task.containers?.find((c) => c.name === inputs.container);
  const exitCode = container?.exitCode;
  const logs = describeLogLocation(inputs, taskArn);
  if (exitCode === 0) {
    return {
      taskArn,
      exitCode,
      startedAt: isoTime(task.startedAt ?? task.createdAt),
      stoppedAt: isoTime(task.stoppedAt),
    };
  }
  if (typeof exitCode === "number") {
    throw new Error(
      `Release command ${JSON.stringify(inputs.command)} failed: container "${inputs.container}" of task ${taskArn} ` +
        `exited with code ${exitCode}. ${logs}`,
    );
  }
  // No exit code: the container never ran or was killed (image pull, secrets, ENI, Spot reclaim...).
  const details = [
    task.stoppedReason ? `stoppedReason: ${task.stoppedReason}` : "no stoppedReason",
    task.stopCode ? `stopCode: ${task.stopCode}` : undefined,
    container?.reason ? `container reason: ${container.reason}` : undefined,
    container ? undefined : `no container named "${inputs.container}" in the task`,
  ].filter(Boolean);
  throw new Error(
    `Release task ${taskArn} stopped without an exit code for container "${inputs.container}" ` +
      `(${details.join("; ")}). ${logs}`,
  );
}

async function stopAfterTimeout(
  client: ECSClient,
  inputs: ReleaseRunInputs,
  taskArn: string,
  timeoutSeconds: number,
  lastSeen: Task | undefined,
): Promise<string> {
  const reason = `multicloud: release command exceeded timeoutSeconds=${timeoutSeconds}`;
  let stopOutcome = "it was asked to stop (StopTask)";
  try {
    await client.send(new (loadEcs().StopTaskCommand)({ cluster: inputs.cluster, task: taskArn, reason }));
  } catch (error) {
    stopOutcome = `StopTask failed (${describeError(error)}): stop it by hand`;
  }
  return (
    `Release task ${taskArn} did not stop within ${timeoutSeconds} s ` +
    `(last status ${lastSeen?.lastStatus ?? "unknown"}); ${stopOutcome}. ${describeLogLocation(inputs, taskArn)}`
  );
}

/**
 * Where the release container's logs are. The awslogs driver names streams
 * `<prefix>/<container>/<task id>`, so the stream is known only when the prefix is given.
 */
export function describeLogLocation(inputs: ReleaseRunInputs, taskArn: string): string {
  if (!inputs.logGroup) {
    return `Logs: see the log configuration of container "${inputs.container}" in ${inputs.taskDefinition}.`;
  }
  if (!inputs.logStreamPrefix) {
    return `Logs: CloudWatch log group ${inputs.logGroup} (region ${inputs.region}), stream of task ${taskId(taskArn)}.`;
  }
  const stream = `${inputs.logStreamPrefix}/${inputs.container}/${taskId(taskArn)}`;
  return (
    `Logs: CloudWatch log group ${inputs.logGroup}, stream ${stream} ` +
    `(aws logs tail ${inputs.logGroup} --log-stream-names ${stream} --region ${inputs.region}).`
  );
}

/** The task ID is the last segment of `arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`. */
function taskId(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf("/") + 1);
}

function isoTime(value: Date | undefined): string {
  return value ? value.toISOString() : "";
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
