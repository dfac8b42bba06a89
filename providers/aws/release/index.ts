// `ReleaseTask`: the release (migration) command of an ECS Fargate service, run as a one-off task on
// the service's NEW task definition before the service moves to it. Make the `aws.ecs.Service`
// `dependsOn` it: a failed release fails the deploy and the service keeps its old version.
import * as pulumi from "@pulumi/pulumi";
import { releaseTaskProvider } from "./provider";

export { releaseTaskProvider } from "./provider";
export type { ReleaseTaskState } from "./provider";
export {
  DEFAULT_POLL_INTERVAL_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  buildRunTaskRequest,
  describeLogLocation,
  releaseInputProblems,
  runReleaseTask,
} from "./runReleaseTask";
export type { ReleaseRunInputs, ReleaseRunResult } from "./runReleaseTask";

/**
 * Inputs of {@link ReleaseTask}. The release runs on create and again whenever `taskDefinition`,
 * `container` or `command` changes; other changes (network, timeout, logs) are recorded without a run.
 */
export interface ReleaseTaskArgs {
  /**
   * AWS region of the cluster, e.g. `eu-west-1`. Credentials come from the stack's `aws:` config (keys, profile,
   * shared files, `aws:assumeRoles`), else the standard AWS chain of the machine running `pulumi up` (./credentials.ts).
   */
  region: pulumi.Input<string>;
  /** ARN of the ECS cluster to run the task in. */
  cluster: pulumi.Input<string>;
  /** ARN of the task definition revision to run: the NEW revision (`aws.ecs.TaskDefinition.arn`). */
  taskDefinition: pulumi.Input<string>;
  /** Name of the container whose command is overridden and whose exit code decides the deploy. */
  container: pulumi.Input<string>;
  /** The release command in exec form, e.g. `["node", "migrate.js"]`. Must not be empty. */
  command: pulumi.Input<pulumi.Input<string>[]>;
  /** Subnet IDs for the task (awsvpc). Must not be empty. */
  subnets: pulumi.Input<pulumi.Input<string>[]>;
  /** Security group IDs for the task, e.g. the group that may reach the database. */
  securityGroups: pulumi.Input<pulumi.Input<string>[]>;
  /** Give the task a public IP: needed in public subnets without NAT, to pull the image and read secrets. */
  assignPublicIp: pulumi.Input<boolean>;
  /**
   * Capacity provider to run on, e.g. `FARGATE`. Unset: launch type FARGATE. Avoid `FARGATE_SPOT`: a
   * reclaimed task fails the deploy.
   * @default undefined (launch type FARGATE)
   */
  capacityProvider?: pulumi.Input<string>;
  /**
   * Seconds to wait for the task to stop, from RunTask (image pull included). Past it, the task is
   * stopped and the deploy fails. Changing it alone does not re-run the release.
   * @default 1800
   */
  timeoutSeconds?: pulumi.Input<number>;
  /**
   * Seconds between two DescribeTasks calls while waiting (tests shorten it).
   * @default 5
   */
  pollIntervalSeconds?: pulumi.Input<number>;
  /**
   * CloudWatch log group of the container's `awslogs` driver; only used to say where the logs are.
   * @default undefined (messages point at the task definition's log configuration)
   */
  logGroup?: pulumi.Input<string>;
  /**
   * The container's `awslogs-stream-prefix`; with `logGroup` it names the exact log stream in messages.
   * @default undefined
   */
  logStreamPrefix?: pulumi.Input<string>;
}

/**
 * Runs the release command once per new task definition (or command) and waits for it: a non-zero exit
 * code, a task that stopped without one, a RunTask failure or a timeout fails the deploy with the task
 * ARN, the exit code or stop reason, and where the logs are. Nothing is deleted on destroy.
 *
 * The identity running `pulumi up` needs `ecs:RunTask` (on the task definition), `ecs:DescribeTasks` and
 * `ecs:StopTask` (on the cluster's tasks), and `iam:PassRole` on the task definition's execution and task
 * roles. It signs with what the stack's `aws:` config gives, as the aws provider does, and refuses to run when
 * those credentials belong to another account than the cluster's (STS GetCallerIdentity, no permission needed).
 * The region comes from `region`; the endpoints can be redirected with the SDK's standard
 * `AWS_ENDPOINT_URL_ECS` / `AWS_ENDPOINT_URL_STS` (tests use them for an emulator).
 */
export class ReleaseTask extends pulumi.dynamic.Resource {
  /** ARN of the task of the last successful run. */
  declare readonly taskArn: pulumi.Output<string>;
  /** Exit code of the release container in the last run (0: any other fails the deploy). */
  declare readonly exitCode: pulumi.Output<number>;
  /** When the task of the last run started (ISO 8601). */
  declare readonly startedAt: pulumi.Output<string>;
  /** When the task of the last run stopped (ISO 8601). */
  declare readonly stoppedAt: pulumi.Output<string>;

  constructor(name: string, args: ReleaseTaskArgs, opts?: pulumi.CustomResourceOptions) {
    // Output properties must be present (undefined) in the props for Pulumi to populate them.
    super(
      releaseTaskProvider,
      name,
      { ...args, taskArn: undefined, exitCode: undefined, startedAt: undefined, stoppedAt: undefined },
      opts,
      undefined,
      "ReleaseTask",
    );
  }
}
