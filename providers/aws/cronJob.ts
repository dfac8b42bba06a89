/**
 * A cron job on AWS: EventBridge Scheduler starts a Fargate task on each tick.
 *
 * - Scheduler's ECS target cannot override the command, so each job has its own task definition with the command
 *   baked in (it also has its own size, secrets and log group).
 * - Retries: Scheduler retries a RunTask call that fails (throttling, no Spot capacity) twice within 5 minutes, then
 *   drops that tick: a run hours late is usually worse than the next one on time. A task that starts and then fails
 *   is not retried (its exit code is in the logs).
 * - Timeout: neither Scheduler nor ECS can stop a task after a time. With the setting `enforceTimeout`, the command
 *   runs under `timeout` (coreutils or busybox in the image); without it, `timeoutSeconds` is NOT enforced and a
 *   warning says so on every deploy and in the plan.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { warn } from "../../components/record";
import type { CronJobSpec, RunInputs } from "../backend";
import type { AwsContext } from "./context";
import { toAwsCron } from "./cron";
import { chooseArchitecture } from "./fargate";
import { tags } from "./names";
import { awsCronJobSettings, parseSettings, type AwsCronJobSettings } from "./settings";
import { createPartTask, taskFamily } from "./task";

/** Seconds between SIGTERM and SIGKILL when `timeout` stops a run: time to finish writing, as ECS gives on stop. */
const KILL_AFTER_SECONDS = 30;

/** The warning for a job whose timeout AWS cannot enforce. */
export function unenforcedTimeoutWarning(spec: Pick<CronJobSpec, "name" | "timeoutSeconds">): string {
  return (
    `cronJobs.${spec.name}: timeoutSeconds (${spec.timeoutSeconds}s) is not enforced on AWS: EventBridge Scheduler and ` +
    `ECS cannot stop a task after a time, so a run that hangs keeps running (and billing). Set ` +
    `multicloud:cronJobs.${spec.name}.aws.enforceTimeout: true to run the command under \`timeout\` (the image needs ` +
    `coreutils or busybox), or make the job stop itself.`
  );
}

/** The command the container runs: the job's, under `timeout` when asked to enforce it. */
export function cronCommand(spec: Pick<CronJobSpec, "command" | "timeoutSeconds">, settings: AwsCronJobSettings): string[] {
  if (!settings.enforceTimeout) return spec.command;
  // `-s TERM -k N SECS`: the syntax GNU coreutils and busybox (1.30+) share. Exit code 124 marks a timeout.
  return ["timeout", "-s", "TERM", "-k", String(KILL_AFTER_SECONDS), String(spec.timeoutSeconds), ...spec.command];
}

export function createCronJob(ctx: AwsContext, spec: CronJobSpec, inputs: RunInputs, parent: pulumi.ComponentResource): void {
  const settings = parseSettings(awsCronJobSettings, spec.settings);
  const platform = ctx.platform();
  const name = spec.name;
  const opts = { parent };
  if (!settings.enforceTimeout) warn(unenforcedTimeoutWarning(spec));

  const cron = toAwsCron(spec.schedule);
  if ("error" in cron) throw new Error(`multicloud: cronJobs.${name}.schedule: ${cron.error} (validation should have refused it)`);
  // A job running a service's image follows that service's architecture unless told otherwise, so the build is shared.
  const followed = spec.imageOfService && !settings.architecture ? ctx.serviceArchitectures.get(spec.imageOfService) : undefined;
  const architecture = followed ?? chooseArchitecture(settings, spec.image);
  // A job running a service's image runs that service's code: it moves to a new version only once the service's
  // release command (its migration) has succeeded, whichever architecture it is built for. A failed migration leaves
  // the job's task definition, and so its schedule, on the old version, like the service. (A service on another
  // backend is not seen here: its release does not gate this job.)
  const release = spec.imageOfService ? ctx.serviceReleases.get(spec.imageOfService) : undefined;
  const afterRelease = release ? [release] : [];
  const task = createPartTask(ctx, {
    key: "cronJobs", spec, settings, architecture, inputs, parent, command: cronCommand(spec, settings), dependsOn: afterRelease,
  });

  const role = new aws.iam.Role(
    `${name}-scheduler-role`,
    {
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "scheduler.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": platform.accountId } },
          },
        ],
      }),
      description: `EventBridge Scheduler starts ${name} (${platform.stack.appName} ${platform.stack.stack})`,
      tags: tags(platform.stack, name),
    },
    opts,
  );
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-scheduler-policy`,
    {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            // Every revision of this job's family (`family:*`, as ECS documents for all revisions): known before the
            // task definition exists (which waits for the data behind its secrets, and for a release), and still
            // valid while the schedule moves from one revision to the next. A grant on the revision's ARN was
            // replaced by the new revision's before the schedule moved, refusing a tick in between.
            Sid: "RunThisTask",
            Effect: "Allow",
            Action: "ecs:RunTask",
            Resource: pulumi.interpolate`arn:${platform.partition}:ecs:${platform.region}:${platform.accountId}:task-definition/${taskFamily(platform.stack, name)}:*`,
            Condition: { ArnEquals: { "ecs:cluster": platform.cluster.arn } },
          },
          {
            Sid: "PassItsRoles",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: [task.executionRole.arn, task.taskRole.arn],
            Condition: { StringLike: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
          },
        ],
      }),
    },
    opts,
  );

  new aws.scheduler.Schedule(
    `${name}-schedule`,
    {
      description: `${platform.stack.appName} ${platform.stack.stack}: ${name} (${spec.schedule})`,
      scheduleExpression: cron.expression,
      scheduleExpressionTimezone: spec.timezone,
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      target: {
        arn: platform.cluster.arn,
        roleArn: role.arn,
        ecsParameters: {
          taskDefinitionArn: task.taskDefinition.arn,
          taskCount: 1,
          // Scheduler's model says a public IP may be ENABLED "only when LaunchType is FARGATE"
          // (AwsVpcConfiguration$AssignPublicIp), and launchType excludes a capacity provider strategy: regular
          // Fargate takes that documented path. Spot needs the FARGATE_SPOT strategy; whether Scheduler then accepts
          // the public IP cannot be checked here (ECS RunTask does): see providers/aws/CONFORMANCE.md.
          ...(settings.spot
            ? { capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }
            : { launchType: "FARGATE" }),
          networkConfiguration: {
            subnets: platform.network.publicSubnetIds,
            securityGroups: [platform.network.appSecurityGroupId],
            // No NAT gateway: the public IP is how the task reaches ECR, SSM and the internet.
            assignPublicIp: true,
          },
        },
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 300 },
      },
    },
    { parent, dependsOn: [rolePolicy, platform.capacityProviders, ...task.ready, ...afterRelease] },
  );
}
