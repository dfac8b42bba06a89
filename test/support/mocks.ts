/**
 * A mock Pulumi runtime that records every resource a program registers: its type, logical name, the inputs the
 * engine would receive (Pulumi secrets still wrapped, so a test can tell a secret from a plain value), its parent
 * and its resource options (`protect`, `retainOnDelete`, `dependsOn`, `ignoreChanges`...).
 *
 * The program runs inside `runInPulumiStack` with a stack transformation installed: that is the only place the SDK
 * exposes a resource's options under mocks (the mock monitor is only told type, name and inputs). The two views are
 * joined on (type, name); see {@link Recorded.ambiguous} for the one case that join cannot settle.
 *
 * Plausible outputs are filled in for the invokes and resources that programs commonly read (AWS account facts, ARNs,
 * ECR URLs, docker image digests, load balancer DNS names...): override or extend them with
 * {@link RecordOptions.state} and {@link RecordOptions.call}.
 *
 * `pulumi.runtime.setMocks` is process-global and `node --test` runs each test file in its own process: one file may
 * call {@link recordResources} many times, one after the other, never concurrently.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { registerStackTransformation, runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import type { CronJobSpec, ResolvedApp, StackInfo, WebServiceSpec } from "../../providers/backend";

/** The wire form of a secret, as a mock monitor receives it: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG_KEY = pulumi.runtime.specialSigKey;
export const SECRET_SIG = pulumi.runtime.specialSecretSig;
/** The placeholder for a value not known yet (preview). */
export const UNKNOWN = pulumi.runtime.unknownValue;

/** The account, region and partition the default invoke results describe. */
export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_REGION = "us-east-1";

/** Resource options as the program passed them, made comparable. */
export interface RecordedOptions {
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  additionalSecretOutputs?: string[];
  customTimeouts?: pulumi.CustomTimeouts;
  /** The resources this one explicitly depends on (resolved, in order). */
  dependsOn: Recorded[];
  /** How many aliases the program declared. */
  aliases: number;
}

/** One resource the program registered. */
export interface Recorded {
  /** The type token, e.g. `aws:ecs/service:Service` or `multicloud:aws:Platform`. */
  type: string;
  /** The logical name. */
  name: string;
  /** True for provider-managed resources, false for components. */
  custom: boolean;
  /**
   * The inputs the engine would receive: Outputs resolved, secrets wrapped (see {@link isSecret}), unknowns as
   * {@link UNKNOWN} in preview. Empty until the registration reached the mock monitor.
   */
  inputs: Record<string, unknown>;
  /** The ID the mock gave it (components have none). */
  id?: string;
  /** The state the mock answered: the inputs plus plausible outputs (`arn`, `dnsName`...). */
  outputs: Record<string, unknown>;
  /** The parent resource, or undefined when the parent is the stack itself. */
  parent?: Recorded;
  options: RecordedOptions;
  /**
   * True when another resource has the same type and name (legal under different parent types): inputs are then
   * matched to these records in registration order, which may be wrong. Tests should not rely on such inputs.
   */
  ambiguous: boolean;
}

/** An invoke the program made. */
export interface RecordedCall {
  token: string;
  inputs: Record<string, unknown>;
}

/** What {@link recordResources} returns: every resource, every invoke and the program's result, with finders. */
export class Recording {
  constructor(
    /** Every resource, in construction order (the stack root excluded). */
    readonly resources: Recorded[],
    readonly calls: RecordedCall[],
    /** Messages the program logged with `pulumi.log.warn`. */
    readonly warnings: string[],
    /** Whatever the program returned. */
    readonly result: unknown,
  ) {}

  /** Every resource of a type. */
  ofType(type: string): Recorded[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of a type (and name, when given); throws when there are none or several. */
  one(type: string, name?: string): Recorded {
    const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) {
      const names = this.ofType(type).map((r) => r.name);
      throw new Error(
        `expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${found.length}` +
          ` (registered of that type: ${names.length ? names.join(", ") : "none"})`,
      );
    }
    return found[0]!;
  }

  /** The resource of a type and name, or undefined. */
  find(type: string, name: string): Recorded | undefined {
    return this.resources.find((r) => r.type === type && r.name === name);
  }

  /** The direct children of a resource. */
  childrenOf(parent: Recorded): Recorded[] {
    return this.resources.filter((r) => r.parent === parent);
  }

  /** Every resource under a resource, at any depth. */
  descendantsOf(ancestor: Recorded): Recorded[] {
    return this.resources.filter((r) => isDescendant(r, ancestor));
  }

  /** The invokes made with a token. */
  callsOf(token: string): RecordedCall[] {
    return this.calls.filter((c) => c.token === token);
  }
}

/** True when `r` sits under `ancestor` (at any depth). */
export function isDescendant(r: Recorded, ancestor: Recorded): boolean {
  for (let p = r.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

/** True for a secret in wire form. */
export function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** The value with every secret wrapper removed, at any depth. */
export function reveal<T = unknown>(value: unknown): T {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map((v) => reveal(v)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)])) as T;
  }
  return value as T;
}

/** True when `text` occurs anywhere in the value outside a secret wrapper (strings searched as substrings). */
export function containsInPlainText(value: unknown, text: string): boolean {
  if (isSecret(value)) return false;
  if (typeof value === "string") return value.includes(text);
  if (Array.isArray(value)) return value.some((v) => containsInPlainText(v, text));
  if (typeof value === "object" && value !== null) return Object.values(value).some((v) => containsInPlainText(v, text));
  return false;
}

/** Arguments of {@link RecordOptions.state}. */
export interface StateArgs {
  type: string;
  name: string;
  /** The inputs, secrets unwrapped. */
  inputs: Record<string, unknown>;
}

export interface RecordOptions {
  /** `pulumi.getProject()`. @default "multicloud" */
  project?: string;
  /** `pulumi.getStack()`. @default "test" */
  stack?: string;
  /** Run as a preview. @default false */
  preview?: boolean;
  /**
   * Stack config, e.g. `{ "aws:region": "eu-west-1", "multicloud:tier": "production" }`. Keys listed in
   * `secretConfigKeys` read back as secrets.
   * @default {} (the region reported by invokes is then {@link MOCK_REGION})
   */
  config?: Record<string, string>;
  /** @default [] */
  secretConfigKeys?: string[];
  /**
   * Extra output state for a resource, merged over its inputs and the defaults; `id` sets its ID.
   * @default none
   */
  state?: (args: StateArgs) => Record<string, unknown> | undefined;
  /** The result of an invoke; return undefined to fall back to the defaults (see {@link defaultCallResult}). */
  call?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
}

/**
 * Runs `program` under mocks inside a stack and returns everything it registered once every registration has reached
 * the mock monitor. A program that throws rejects the promise.
 */
export async function recordResources(
  program: () => unknown,
  options: RecordOptions = {},
): Promise<Recording> {
  const region = options.config?.["aws:region"] ?? MOCK_REGION;
  const resources: Recorded[] = [];
  const byObject = new Map<pulumi.Resource, Recorded>();
  const rawDependsOn = new Map<Recorded, unknown>();
  // Records whose inputs have reached the mock monitor.
  const filled = new Set<Recorded>();
  const calls: RecordedCall[] = [];
  const warnings: string[] = [];

  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretConfigKeys ?? []);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        let record: Recorded | undefined;
        if (args.type !== "pulumi:pulumi:Stack") {
          const pending = resources.filter((r) => r.type === args.type && r.name === args.name && !filled.has(r));
          record = pending[0];
          if (!record) {
            // Registered outside the stack transformation (e.g. an explicit provider): no options to record.
            record = { type: args.type, name: args.name, custom: args.custom ?? true, inputs: {}, outputs: {}, options: { dependsOn: [], aliases: 0 }, ambiguous: false };
            resources.push(record);
          }
        }
        const plain = reveal<Record<string, unknown>>(inputs);
        const extra = { ...defaultState(args.type, args.name, plain, region), ...options.state?.({ type: args.type, name: args.name, inputs: plain }) };
        const { id: givenId, ...outputs } = extra;
        const id = typeof givenId === "string" ? givenId : `${args.name}-id`;
        const state = { ...inputs, ...outputs };
        if (record) {
          record.inputs = inputs;
          record.outputs = state;
          if (args.custom) record.id = id;
          filled.add(record);
        }
        return { id, state };
      },
      call(args) {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        calls.push({ token: args.token, inputs });
        return options.call?.(args.token, inputs) ?? defaultCallResult(args.token, inputs, region);
      },
    },
    options.project ?? "multicloud",
    options.stack ?? "test",
    options.preview ?? false,
  );

  // `pulumi.log.warn` goes to console.warn when no engine is attached: keep those messages for assertions.
  const originalWarn = console.warn;
  console.warn = (...parts: unknown[]) => {
    const message = parts.map(String).join(" ");
    const prefix = "warning: [runtime] ";
    if (message.startsWith(prefix)) warnings.push(message.slice(prefix.length));
    else originalWarn(...parts);
  };

  // The SDK captures a stack trace for every resource and every internal promise, and under tsx each one is mapped
  // through source maps: that is most of a mock run's time. Errors raised by the program lose their stack trace
  // (not their message) meanwhile; set MOCKS_KEEP_STACKS=1 to keep them when debugging.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.MOCKS_KEEP_STACKS) Error.stackTraceLimit = 0;

  let result: unknown;
  let failure: { error: unknown } | undefined;
  try {
    await runInPulumiStack(async () => {
      registerStackTransformation((args) => {
        const record: Recorded = {
          type: args.type,
          name: args.name,
          custom: pulumi.CustomResource.isInstance(args.resource),
          inputs: {},
          outputs: {},
          parent: args.opts.parent ? byObject.get(args.opts.parent) : undefined,
          options: {
            protect: args.opts.protect,
            retainOnDelete: args.opts.retainOnDelete,
            deleteBeforeReplace: (args.opts as pulumi.CustomResourceOptions).deleteBeforeReplace,
            ignoreChanges: args.opts.ignoreChanges,
            replaceOnChanges: args.opts.replaceOnChanges,
            additionalSecretOutputs: (args.opts as pulumi.CustomResourceOptions).additionalSecretOutputs,
            customTimeouts: args.opts.customTimeouts,
            dependsOn: [],
            aliases: args.opts.aliases?.length ?? 0,
          },
          ambiguous: false,
        };
        for (const other of resources) {
          if (other.type === record.type && other.name === record.name) other.ambiguous = record.ambiguous = true;
        }
        resources.push(record);
        byObject.set(args.resource, record);
        if (args.opts.dependsOn !== undefined) rawDependsOn.set(record, args.opts.dependsOn);
        return undefined;
      });
      // A program error is kept and rethrown below: letting it reject the stack's own initialisation would also
      // surface as an unhandled rejection inside the SDK.
      try {
        result = await program();
      } catch (error) {
        failure = { error };
      }
      return {};
    });
    // Registrations are asynchronous: wait until the RPC queue has drained.
    await pulumi.runtime.disconnect();
    // Applies on the last resources' outputs are promise chains still settling: let them run before returning.
    await new Promise((resolve) => setImmediate(resolve));
    if (failure) throw failure.error;
  } finally {
    console.warn = originalWarn;
    Error.stackTraceLimit = stackTraceLimit;
  }

  for (const [record, raw] of rawDependsOn) {
    const resolved = await resolveInput(raw);
    const list = (Array.isArray(resolved) ? resolved : [resolved]) as unknown[];
    const deps: Recorded[] = [];
    for (const item of list) {
      const value = await resolveInput(item);
      const dep = byObject.get(value as pulumi.Resource);
      if (dep) deps.push(dep);
    }
    record.options.dependsOn = deps;
  }
  return new Recording(resources, calls, warnings, result);
}

/**
 * The value of an Output, or the error its apply threw, with every promise behind it consumed (an Output whose apply
 * throws rejects four promises: value, known-ness, secretness and dependencies; leaving one alone is an unhandled
 * rejection, which the test runner counts as a failure). Start it inside the program; await it after the run.
 */
export function settleOutput<T>(output: pulumi.Output<T>): Promise<{ value: T } | { error: unknown }> {
  const o = output as unknown as { promise(): Promise<T>; isKnown: Promise<boolean>; isSecret: Promise<boolean>; allResources?(): Promise<unknown> };
  const [value, ...rest] = [o.promise(), o.isKnown, o.isSecret, o.allResources?.()];
  for (const p of rest) p?.catch(() => undefined);
  return value.then(
    (v) => ({ value: v }),
    (error: unknown) => ({ error }),
  );
}

/** Resolves an Input (a value, a promise or an Output) after the run. */
async function resolveInput(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    // `promise()` is the SDK's own accessor for an Output's value; under mocks every value is known by now.
    return (value as unknown as { promise(): Promise<unknown> }).promise();
  }
  return await value;
}

/** A short stable hex digest, for fake IDs and digests. */
function digest(text: string, length = 12): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** The service part of an `aws:<module>/<kind>:<Type>` token, e.g. `ecs`. */
function awsModule(type: string): string {
  return type.split(":")[1]?.split("/")[0] ?? "";
}

/** Plausible outputs for resources programs commonly read. Only fields the real provider returns. */
export function defaultState(type: string, name: string, inputs: Record<string, unknown>, region = MOCK_REGION): Record<string, unknown> {
  const acct = MOCK_ACCOUNT_ID;
  const str = (key: string): string | undefined => (typeof inputs[key] === "string" ? (inputs[key] as string) : undefined);
  // Auto-named resources get the logical name plus a random suffix from the real provider: mimic it.
  const physical = str("name") ?? `${name}-${digest(name, 7)}`;
  if (type.startsWith("aws:")) {
    const base: Record<string, unknown> = { arn: `arn:aws:${awsModule(type)}:${region}:${acct}:${awsModule(type)}/${physical}` };
    switch (type) {
      case "aws:ecr/repository:Repository":
        return { ...base, name: physical, registryId: acct, repositoryUrl: `${acct}.dkr.ecr.${region}.amazonaws.com/${physical}` };
      case "aws:ecs/cluster:Cluster":
        return { ...base, arn: `arn:aws:ecs:${region}:${acct}:cluster/${physical}`, name: physical };
      case "aws:ecs/taskDefinition:TaskDefinition": {
        const arnWithoutRevision = `arn:aws:ecs:${region}:${acct}:task-definition/${str("family") ?? physical}`;
        return { arn: `${arnWithoutRevision}:1`, arnWithoutRevision, revision: 1 };
      }
      case "aws:ecs/service:Service":
        return { id: `arn:aws:ecs:${region}:${acct}:service/${physical}`, name: physical };
      case "aws:iam/role:Role":
        return { arn: `arn:aws:iam::${acct}:role/${physical}`, name: physical, uniqueId: `AROA${digest(name, 16).toUpperCase()}` };
      case "aws:ssm/parameter:Parameter":
        return { arn: `arn:aws:ssm:${region}:${acct}:parameter${physical.startsWith("/") ? "" : "/"}${physical}`, version: 1 };
      case "aws:cloudwatch/logGroup:LogGroup":
        return { arn: `arn:aws:logs:${region}:${acct}:log-group:${physical}`, name: physical };
      case "aws:lb/loadBalancer:LoadBalancer":
        return {
          arn: `arn:aws:elasticloadbalancing:${region}:${acct}:loadbalancer/app/${physical}/${digest(name, 16)}`,
          arnSuffix: `app/${physical}/${digest(name, 16)}`,
          dnsName: `${physical}-${digest(name, 8)}.${region}.elb.amazonaws.com`,
          zoneId: "Z35SXDOTRQ7X7K",
        };
      case "aws:lb/targetGroup:TargetGroup":
        return {
          arn: `arn:aws:elasticloadbalancing:${region}:${acct}:targetgroup/${physical}/${digest(name, 16)}`,
          arnSuffix: `targetgroup/${physical}/${digest(name, 16)}`,
          name: physical,
        };
      case "aws:lb/listener:Listener":
        return { arn: `arn:aws:elasticloadbalancing:${region}:${acct}:listener/app/${digest(name, 16)}` };
      case "aws:acm/certificate:Certificate": {
        const domains = [str("domainName"), ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])].filter(
          (d): d is string => typeof d === "string",
        );
        return {
          arn: `arn:aws:acm:${region}:${acct}:certificate/${digest(name, 32)}`,
          domainValidationOptions: domains.map((d) => ({
            domainName: d,
            resourceRecordName: `_${digest(d.replace(/^\*\./, ""), 32)}.${d.replace(/^\*\./, "")}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${digest(`v${d}`, 32)}.acm-validations.aws.`,
          })),
        };
      }
      case "aws:route53/record:Record":
        return { fqdn: str("name") ?? physical };
      case "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace":
        return { ...base, id: `ns-${digest(name, 16)}`, hostedZone: `Z${digest(name, 12).toUpperCase()}` };
      case "aws:servicediscovery/service:Service":
        return { ...base, id: `srv-${digest(name, 16)}` };
      case "aws:ec2/vpc:Vpc":
        return { ...base, id: `vpc-${digest(name, 17)}`, defaultSecurityGroupId: `sg-${digest(`${name}default`, 17)}` };
      case "aws:ec2/subnet:Subnet":
        return { ...base, id: `subnet-${digest(name, 17)}` };
      case "aws:ec2/securityGroup:SecurityGroup":
        return { ...base, id: `sg-${digest(name, 17)}` };
      default:
        return base;
    }
  }
  if (type === "docker:index/image:Image") {
    const imageName = str("imageName") ?? name;
    const repository = imageName.replace(/:[^:/]+$/, "");
    const build = (inputs.build ?? {}) as Record<string, unknown>;
    return { repoDigest: `${repository}@sha256:${digest(JSON.stringify([imageName, build]), 64)}`, baseImageName: imageName };
  }
  return {};
}

/** Plausible results for the invokes programs commonly make; `{}` for any other. */
export function defaultCallResult(token: string, inputs: Record<string, unknown>, region = MOCK_REGION): Record<string, unknown> {
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        id: region,
        region,
        names: ["a", "b", "c"].map((z) => `${region}${z}`),
        zoneIds: ["1", "2", "3"].map((z) => `use1-az${z}`),
        groupNames: [region],
      };
    case "aws:index/getRegion:getRegion":
      return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { id: MOCK_ACCOUNT_ID, accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/test`, userId: "AIDATEST" };
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
      return {
        id: region,
        region,
        registryId: inputs.registryId ?? MOCK_ACCOUNT_ID,
        userName: "AWS",
        password: "mock-ecr-password",
        authorizationToken: Buffer.from("AWS:mock-ecr-password").toString("base64"),
        proxyEndpoint: `https://${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com`,
        expiresAt: "2099-01-01T00:00:00Z",
      };
    default:
      return {};
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Spec builders: resolved specs (every default applied) as a backend receives them, for backend tests.

/** Facts about a test stack. */
export function stackInfo(overrides: Partial<StackInfo> = {}): StackInfo {
  return { project: "multicloud", stack: "test", tier: "development", appName: "shop", projectDir: "/project", ...overrides };
}

/** The fields web services and cron jobs share, with the core's defaults (new objects on every call). */
function runnableDefaults(): Pick<WebServiceSpec & CronJobSpec, "backend" | "image" | "size" | "env" | "secretNames" | "settings"> {
  return {
    backend: "aws",
    image: { kind: "build", context: "/project/app", dockerfile: "/project/app/Dockerfile", args: {} },
    size: "nano",
    env: {},
    secretNames: [],
    settings: {},
  };
}

/** A web service spec with the core's defaults. */
export function webServiceSpec(overrides: Partial<WebServiceSpec> & { name: string }): WebServiceSpec {
  return {
    ...runnableDefaults(),
    port: 8080,
    healthCheck: { path: "/", intervalSeconds: 30 },
    scaling: { min: 1, max: 1, cpuTarget: 70 },
    domains: [],
    public: true,
    ...overrides,
  };
}

/** A cron job spec with the core's defaults. */
export function cronJobSpec(overrides: Partial<CronJobSpec> & { name: string }): CronJobSpec {
  return {
    ...runnableDefaults(),
    command: ["node", "job.js"],
    schedule: "30 7 * * 1-5",
    timezone: "UTC",
    timeoutSeconds: 3600,
    ...overrides,
  };
}

/** A resolved app holding the given parts. */
export function resolvedApp(parts: Partial<ResolvedApp>): ResolvedApp {
  return { stack: stackInfo(), secretsInConfig: new Set(), services: [], cronJobs: [], databases: [], caches: [], ...parts };
}

/** The component a backend's children hang under, as the core creates it. */
export function parentComponent(kind: "WebService" | "CronJob" | "Database" | "Cache", name: string): pulumi.ComponentResource {
  return new pulumi.ComponentResource(`multicloud:index:${kind}`, name, {}, {});
}
