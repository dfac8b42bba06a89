/**
 * What a service and a cron job both run: a Fargate task definition with its log group, its secrets in SSM Parameter
 * Store, an execution role (what ECS needs to start the task: pull the image, write logs, read exactly these
 * secrets) and a task role (what the app itself may do in AWS).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CronJobSpec, RunInputs, WebServiceSpec } from "../backend";
import type { AwsContext } from "./context";
import { resolveFargateSize, type CpuArchitecture, type FargateSize, type SizeOverrides } from "./fargate";
import type { TaskImage } from "./images";
import { parameterName, partPath, tags } from "./names";
import type { AwsPlatform } from "./platform";

/** The docker label carrying the versions of the task's secrets (see {@link createTask}). */
export const SECRET_VERSIONS_LABEL = "multicloud.secret-versions";

export interface TaskArgs {
  /** The part's name: names the children, the container and the log/parameter paths. */
  part: string;
  platform: AwsPlatform;
  image: TaskImage;
  architecture: CpuArchitecture;
  size: FargateSize;
  /** Overrides the image's CMD. */
  command?: string[];
  /** Plain environment variables. */
  env: Record<string, string>;
  /** Secret environment variables: each becomes an SSM SecureString read by ECS at task start. */
  secretEnv: Record<string, pulumi.Input<string>>;
  /** The container port, for services. */
  port?: number;
  /** Managed policies for the task role. */
  policyArns: string[];
  parent: pulumi.Resource;
}

export interface Task {
  taskDefinition: aws.ecs.TaskDefinition;
  executionRole: aws.iam.Role;
  taskRole: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
  /** The container's name (the part's name): release tasks and load balancers address it. */
  containerName: string;
  /** The awslogs stream prefix: streams are `<prefix>/<container>/<task id>`. */
  logStreamPrefix: string;
  parameters: aws.ssm.Parameter[];
  /** What must exist before a task starts (role policies): services, schedules and release tasks depend on it. */
  ready: pulumi.Resource[];
}

/**
 * An IAM trust policy letting ECS tasks assume a role. The task role (the app's permissions) gets the confused-deputy
 * guard AWS documents for task roles: only ECS acting for this account. AWS documents the execution role's trust
 * without conditions (the agents assume it), so it gets none rather than a guard that could stop tasks starting.
 */
function ecsTasksTrust(accountId?: pulumi.Output<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        ...(accountId ? { Condition: { StringEquals: { "aws:SourceAccount": accountId } } } : {}),
      },
    ],
  });
}

/** One web service's or cron job's part in `createPartTask`. */
export interface PartTaskArgs {
  /** Where the part's config lives, for errors: `services` or `cronJobs`. */
  key: "services" | "cronJobs";
  spec: WebServiceSpec | CronJobSpec;
  /** The part's AWS settings: Fargate overrides and the task role's policies. */
  settings: SizeOverrides & { policyArns?: string[] };
  architecture: CpuArchitecture;
  command?: string[];
  port?: number;
  inputs: RunInputs;
  parent: pulumi.Resource;
}

/**
 * The task definition of a web service or cron job: its Fargate size (the portable size, or the settings'
 * overrides), its image built (or reused) for `architecture`, its env and secrets.
 */
export function createPartTask(ctx: AwsContext, args: PartTaskArgs): Task {
  const { spec, settings, parent } = args;
  const size = resolveFargateSize(spec.size, settings);
  if ("error" in size) throw new Error(`multicloud:${args.key}.${spec.name}.aws: ${size.error}`);
  return createTask({
    part: spec.name,
    platform: ctx.platform(),
    image: ctx.images().image(spec.name, spec.image, args.architecture, parent),
    architecture: args.architecture,
    size,
    ...(args.command ? { command: args.command } : {}),
    env: spec.env,
    secretEnv: args.inputs.secretEnv,
    ...(args.port !== undefined ? { port: args.port } : {}),
    policyArns: settings.policyArns ?? [],
    parent,
  });
}

export function createTask(args: TaskArgs): Task {
  const { part, platform, parent } = args;
  const stack = platform.stack;
  const opts = { parent };
  const prefix = partPath(stack, part);

  const logGroup = new aws.cloudwatch.LogGroup(
    `${part}-logs`,
    { name: prefix, retentionInDays: platform.logRetentionDays, tags: tags(stack, part) },
    opts,
  );

  // Sorted so that the order of declaration does not churn the task definition.
  const secretNames = Object.keys(args.secretEnv).sort();
  const parameters = secretNames.map(
    (name) =>
      new aws.ssm.Parameter(
        `${part}-secret-${name}`,
        {
          name: parameterName(stack, part, name),
          type: "SecureString",
          value: pulumi.secret(args.secretEnv[name]!),
          description: `${stack.appName} ${stack.stack} ${part}: ${name}`,
          tags: tags(stack, part),
        },
        opts,
      ),
  );

  const executionRole = new aws.iam.Role(
    `${part}-execution-role`,
    { assumeRolePolicy: ecsTasksTrust(), description: `ECS starts ${part} tasks (${stack.appName} ${stack.stack})`, tags: tags(stack, part) },
    opts,
  );
  const statements: pulumi.Input<Record<string, unknown>>[] = [
    {
      Sid: "Logs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
    },
  ];
  if (args.image.repositoryArn) {
    statements.push(
      // GetAuthorizationToken has no resource-level permissions.
      { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "EcrPull",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        Resource: args.image.repositoryArn,
      },
    );
  }
  if (parameters.length > 0) {
    // Exactly this part's parameters. SecureStrings use the AWS-managed key, which needs no kms:Decrypt grant.
    statements.push({ Sid: "Secrets", Effect: "Allow", Action: "ssm:GetParameters", Resource: parameters.map((p) => p.arn) });
  }
  const ready: pulumi.Resource[] = [];
  const executionPolicy = new aws.iam.RolePolicy(
    `${part}-execution-policy`,
    { role: executionRole.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) },
    opts,
  );
  ready.push(executionPolicy);

  const taskRole = new aws.iam.Role(
    `${part}-task-role`,
    { assumeRolePolicy: ecsTasksTrust(platform.accountId), description: `The ${part} app (${stack.appName} ${stack.stack})`, tags: tags(stack, part) },
    opts,
  );
  for (const arn of args.policyArns) {
    // Named after the policy, not its position, so that reordering the list changes nothing.
    ready.push(
      new aws.iam.RolePolicyAttachment(`${part}-task-policy-${arn.split("/").pop()}`, { role: taskRole.name, policyArn: arn }, opts),
    );
  }

  const env: Record<string, string> = { ...args.env, ...(args.port !== undefined ? { PORT: String(args.port) } : {}) };
  const environment = Object.keys(env)
    // A name that is also a secret goes through `secrets` only: ECS rejects a name in both lists.
    .filter((name) => !(name in args.secretEnv))
    .sort()
    .map((name) => ({ name, value: env[name]! }));
  const logStreamPrefix = part;
  const containerDefinitions = pulumi.jsonStringify([
    {
      name: part,
      image: args.image.uri,
      essential: true,
      ...(args.command ? { command: args.command } : {}),
      portMappings: args.port !== undefined ? [{ containerPort: args.port, hostPort: args.port, protocol: "tcp", name: "http" }] : [],
      environment,
      secrets: parameters.map((p, i) => ({ name: secretNames[i]!, valueFrom: p.arn })),
      // Tasks read secrets when they start. Putting the parameters' versions in the definition makes a changed secret
      // a new revision, so the service rolls onto it (versions are counters, nothing secret).
      ...(parameters.length > 0
        ? { dockerLabels: { [SECRET_VERSIONS_LABEL]: pulumi.all(parameters.map((p) => p.version)).apply((v) => v.join(",")) } }
        : {}),
      logConfiguration: {
        logDriver: "awslogs",
        options: { "awslogs-group": logGroup.name, "awslogs-region": platform.region, "awslogs-stream-prefix": logStreamPrefix },
      },
    },
  ]);

  const taskDefinition = new aws.ecs.TaskDefinition(
    `${part}-task`,
    {
      family: `${stack.appName}-${stack.stack}-${part}`.replace(/[^A-Za-z0-9_-]/g, "-"),
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(args.size.cpu),
      memory: String(args.size.memory),
      runtimePlatform: { cpuArchitecture: args.architecture, operatingSystemFamily: "LINUX" },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      containerDefinitions,
      tags: tags(stack, part),
    },
    opts,
  );

  return { taskDefinition, executionRole, taskRole, logGroup, containerName: part, logStreamPrefix, parameters, ready };
}
