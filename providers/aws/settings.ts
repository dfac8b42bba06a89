/**
 * The AWS backend's settings: the escape hatches a stack config may set under `multicloud:aws` (stack-wide),
 * `multicloud:services.<name>.aws` and `multicloud:cronJobs.<name>.aws`. Strict: a misspelt key is an error.
 */
import { z } from "zod";
import { strictObject } from "../../stacks/zod-helpers";
import { parseCidr } from "./cidr";
import { FARGATE_CPUS } from "./fargate";

/** The retention periods CloudWatch Logs accepts (days). "Never expire" is deliberately not offered. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const hostedZoneId = z
  .string()
  .regex(/^Z[A-Z0-9]{1,32}$/, { error: (i) => `${JSON.stringify(i.input)} is not a Route 53 hosted zone ID (e.g. Z0123456789ABCDEFGHIJ)` });

const policyArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/, {
    error: (i) => `${JSON.stringify(i.input)} is not an IAM policy ARN (e.g. arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess)`,
  });

const cpu = z
  .number()
  .int()
  .refine((v) => FARGATE_CPUS.includes(v), { error: `must be a Fargate CPU value: ${FARGATE_CPUS.join(", ")}` });

const memory = z.number().int().min(512).max(122_880);

const architecture = z.enum(["arm64", "x86_64"], { error: "must be arm64 or x86_64" });

/** `multicloud:aws`: settings of the stack's shared AWS platform. */
export const awsStackSettings = strictObject({
  /**
   * The Route 53 hosted zone of the services' domains: certificate validation records and alias records for the
   * domains are created in it. Without it, the records to create at your DNS provider are logged during `up`.
   * @default none
   */
  route53ZoneId: hostedZoneId.optional(),
  /** How long CloudWatch keeps the logs of services and cron jobs. @default 30 on production stacks, else 7 */
  logRetentionDays: z
    .number()
    .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
      error: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .optional(),
  /** ECS Container Insights (per-task metrics, billed as CloudWatch custom metrics). @default false */
  containerInsights: z.boolean().optional(),
  /**
   * The VPC's IPv4 block, /16 to /24; split into 4 equal subnets (2 public, 2 isolated). Choose one that does not
   * overlap networks you may peer with.
   * @default "10.0.0.0/16"
   */
  vpcCidr: z
    .string()
    .superRefine((value, ctx) => {
      const parsed = parseCidr(value);
      if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
      else if (parsed.prefix < 16 || parsed.prefix > 24) {
        ctx.addIssue({ code: "custom", message: `prefix /${parsed.prefix} is not allowed: use /16 to /24` });
      }
    })
    .optional(),
  /**
   * Seconds the load balancer keeps an idle connection open. It is one setting for the whole (shared) load balancer:
   * raise it for long-polling or WebSocket services.
   * @default 60
   */
  albIdleTimeoutSeconds: z.number().int().min(1).max(4000).optional(),
});
export type AwsStackSettings = z.infer<typeof awsStackSettings>;

/** Settings both services and cron jobs have. */
const taskSettingsShape = {
  /**
   * Run on Fargate Spot (up to 70% cheaper; tasks may be stopped with two minutes' notice), on either architecture
   * (FARGATE_SPOT runs ARM64 on platform version 1.4.0, the LATEST we use).
   * @default false
   */
  spot: z.boolean().optional(),
  /** The CPU architecture. @default "arm64" for images built here (cheaper), "x86_64" for prebuilt images */
  architecture: architecture.optional(),
  /** CPU units (1024 = 1 vCPU), replacing the portable size's. @default from the size (nano: 256 ... xlarge: 8192) */
  cpu: cpu.optional(),
  /** Memory in MiB, replacing the portable size's; must suit `cpu` (Fargate's table). @default from the size */
  memory: memory.optional(),
  /** IAM managed policies attached to the task role: the app's own AWS permissions. @default [] */
  policyArns: z.array(policyArn).optional(),
};

/** `multicloud:services.<name>.aws`. */
export const awsServiceSettings = strictObject({
  ...taskSettingsShape,
  /**
   * With `spot`, how many tasks always run on regular Fargate so a Spot reclaim never takes the service down;
   * tasks beyond it run on Spot. 0 puts every task on Spot.
   * @default 1
   */
  onDemandBase: z.number().int().min(0).max(100).optional(),
  /** The Route 53 hosted zone of this service's domains, overriding the stack's `route53ZoneId`. @default the stack's */
  zoneId: hostedZoneId.optional(),
  /**
   * Without a Route 53 zone only: you have created the certificate's validation records (the ones `up` printed and
   * exported as `dnsRecords`) at your DNS provider. Until then, `up` waits on nothing: the domains are served over
   * plain HTTP. Once true, `up` waits (at most 20 minutes) for ACM to issue the certificate, then serves HTTPS and
   * redirects HTTP to it. See providers/aws/routing.ts.
   * @default false
   */
  certificateRecordsCreated: z.boolean().optional(),
  /** Send a client to the same task for a day (load balancer cookie): for WebSocket or in-memory sessions. @default false */
  stickySessions: z.boolean().optional(),
  /** Seconds the load balancer lets in-flight requests finish on a task being replaced. @default 30 */
  deregistrationDelaySeconds: z.number().int().min(0).max(3600).optional(),
  /** Seconds after a task starts during which failed health checks are ignored (slow boots). @default 60 */
  healthCheckGracePeriodSeconds: z.number().int().min(0).max(7200).optional(),
});
export type AwsServiceSettings = z.infer<typeof awsServiceSettings>;

/** `multicloud:cronJobs.<name>.aws`. */
export const awsCronJobSettings = strictObject({
  ...taskSettingsShape,
  /**
   * Enforce `timeoutSeconds` by running the command under `timeout` (coreutils or busybox must be in the image, as in
   * Debian, Ubuntu and Alpine based images; not in distroless ones). Off, nothing stops a run that hangs: EventBridge
   * Scheduler and ECS have no run-time limit.
   * @default false
   */
  enforceTimeout: z.boolean().optional(),
});
export type AwsCronJobSettings = z.infer<typeof awsCronJobSettings>;

/** Parses settings that the core may hand over as `undefined` when the config has no block for this backend. */
export function parseSettings<T>(schema: z.ZodType<T>, value: unknown): T {
  return schema.parse(value ?? {});
}
