/**
 * Runs a Pulumi program under Pulumi's mock runtime, over the real SDK classes: no CLI, no credentials, no network.
 * Records every resource the program registers (type, name, parent, inputs, data-safety options) — the offline
 * plan, and the harness of the tests.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { deploymentRecord, type DeployedPart } from "../../components/record";
import { checkAwsConstraints } from "../../providers/aws/constraints/check";
import { loadStack } from "./stackConfig";
import { mockCall, mockResource } from "./mockOutputs";

// Internal to the SDK, but the same drain `pulumi` waits for before it ends a program.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** The parent's URN; absent for the stack itself. */
  parent?: string;
  custom: boolean;
  /** As the engine would receive them: secrets still wrapped (see `isSecret`). */
  inputs: Record<string, unknown>;
  protect: boolean;
  retainOnDelete: boolean;
  /** Properties Pulumi will not update (`["*"]`: none). */
  ignoreChanges: string[];
  /** URNs this resource explicitly depends on. */
  dependsOn: string[];
}

export interface PlanResult {
  project: string;
  stack: string;
  resources: PlannedResource[];
  components: DeployedPart[];
  /** What the program logged as warnings (`pulumi.log.warn`). */
  warnings: string[];
  /** What it logged as information (`pulumi.log.info`): costs, DNS targets. */
  notes: string[];
  /** The program's stack outputs. */
  outputs: Record<string, unknown>;
  /** The program's error (e.g. a config error): nothing after it was registered. */
  error?: Error;
}

export interface PlanOptions {
  /** The project directory (Pulumi.yaml, Pulumi.<stack>.yaml, the program). */
  dir: string;
  stack: string;
  /** The program to run. @default `<dir>/index.ts` */
  program?: string;
  /** Config to add or override, as `pulumi.runtime.allConfig()` holds it. */
  config?: Record<string, string>;
  /** Secret config to add or override, as `pulumi config set --secret` would (the keys are marked secret). */
  secretConfig?: Record<string, string>;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** Whether a recorded input value is a Pulumi secret. */
export function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

/** The value with every secret replaced by `mask` (for printing). */
export function maskSecrets(value: unknown, mask = "[secret]"): unknown {
  if (isSecret(value)) return mask;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, mask));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, mask)]));
  }
  return value;
}

/** The value with every secret unwrapped (for assertions on what the cloud would receive). */
export function revealSecrets(value: unknown): unknown {
  if (isSecret(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
  }
  return value;
}

interface Registration {
  type: string;
  name: string;
  parent?: pulumi.Resource;
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  dependsOn: pulumi.Resource[];
}

export async function planProgram(options: PlanOptions): Promise<PlanResult> {
  const dir = path.resolve(options.dir);
  const stack = loadStack(dir, options.stack);
  const secretKeys = [...stack.secretKeys, ...Object.keys(options.secretConfig ?? {})];
  pulumi.runtime.setAllConfig({ ...stack.config, ...options.config, ...options.secretConfig }, secretKeys);

  const inputs = new Map<string, { inputs: Record<string, unknown>; custom: boolean }[]>();
  const registrations: Registration[] = [];
  const registrationByKey = new Map<string, Registration>();
  // The engine applies a component's `transforms` to all its descendants; the mock monitor only hands each
  // resource its own. So the plan applies the inherited ones itself, the resource's own first, then its ancestors'.
  const ownTransforms = new Map<string, pulumi.ResourceTransform[]>();
  const inherited = (key: string): pulumi.ResourceTransform[] => {
    const reg = registrationByKey.get(key);
    const parentKey = reg?.parent && identity(reg.parent);
    return [...(ownTransforms.get(key) ?? []), ...(parentKey ? inherited(parentKey) : [])];
  };
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        const key = `${args.type}::${args.name}`;
        ownTransforms.set(key, args.transforms ?? []);
        let props = args.inputs as Record<string, unknown>;
        for (const transform of inherited(key)) {
          const result = await transform({ type: args.type, name: args.name, custom: args.custom ?? true, props, opts: {} });
          if (result) props = result.props as Record<string, unknown>;
        }
        inputs.set(key, [...(inputs.get(key) ?? []), { inputs: props, custom: args.custom ?? true }]);
        return mockResource({ ...args, inputs: props });
      },
      call: mockCall,
    },
    stack.project,
    stack.stack,
    true,
  );

  const record = deploymentRecord();
  record.components.length = 0;
  const log = captureRuntimeLog();
  const previousDir = process.cwd();
  process.chdir(dir);
  // The SDK captures a stack trace for every resource and many internal promises, and under tsx each is mapped
  // through source maps: most of a plan's time. The plan reports errors by message, so it captures none
  // (MULTICLOUD_PLAN_STACKS=1 keeps them, for debugging a program).
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.MULTICLOUD_PLAN_STACKS) Error.stackTraceLimit = 0;
  let error: Error | undefined;
  let outputs: Record<string, unknown> = {};
  try {
    outputs =
      (await runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
          const registration: Registration = {
            type: args.type,
            name: args.name,
            parent: args.opts.parent,
            protect: Boolean(args.opts.protect),
            retainOnDelete: Boolean(args.opts.retainOnDelete),
            ignoreChanges: args.opts.ignoreChanges ?? [],
            dependsOn: [args.opts.dependsOn ?? []].flat() as pulumi.Resource[],
          };
          registrations.push(registration);
          registrationByKey.set(`${args.type}::${args.name}`, registration);
          return undefined;
        });
        // Caught here, not outside: a program error escaping this callback would also reject the stack's
        // outputs, promises nobody awaits.
        try {
          return { ...loadProgram(path.resolve(dir, options.program ?? "index.ts"), dir) };
        } catch (e) {
          error = e instanceof Error ? e : new Error(String(e));
          return {};
        }
      })) ?? {};
    await waitForRPCs();
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
  } finally {
    process.chdir(previousDir);
    log.stop();
    Error.stackTraceLimit = stackTraceLimit;
  }

  const resources = resolveResources(registrations, inputs);
  // What AWS would refuse (a transform's value, a name no validation foresaw): said before `pulumi up` meets it.
  const refused = checkAwsConstraints(resources).map(
    (v) => `AWS would refuse ${v.resource} ${v.field} = ${JSON.stringify(v.value)}: ${v.constraint} (${v.source})`,
  );
  return {
    project: stack.project,
    stack: stack.stack,
    resources,
    components: [...record.components],
    warnings: [...log.warnings, ...refused],
    notes: log.notes,
    outputs,
    ...(error ? { error } : {}),
  };
}

/**
 * With no engine, `pulumi.log` writes `warning: [runtime] …` and `info: [runtime] …` to the console. The plan keeps
 * them as its warnings and notes instead (deduplicated, in order), and lets every other line through.
 */
function captureRuntimeLog() {
  const warnings: string[] = [];
  const notes: string[] = [];
  const { warn, log } = console;
  const keep = (list: string[], line: string) => list.includes(line) || list.push(line);
  const route = (original: (...args: unknown[]) => void) => (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (text.startsWith("warning: [runtime] ")) keep(warnings, text.slice("warning: [runtime] ".length));
    else if (text.startsWith("info: [runtime] ")) keep(notes, text.slice("info: [runtime] ".length));
    else if (!text.startsWith("debug: [runtime] ")) original(...args);
  };
  console.warn = route(warn);
  console.log = route(log);
  return { warnings, notes, stop: () => Object.assign(console, { warn, log }) };
}

/**
 * Loads the program afresh: a second plan in the same process (another stack, other config) must run it again,
 * so the project's own modules (not its node_modules) are dropped from the require cache first.
 */
function loadProgram(program: string, dir: string): Record<string, unknown> {
  for (const cached of Object.keys(require.cache)) {
    if (cached.startsWith(dir + path.sep) && !cached.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[cached];
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(program) as Record<string, unknown>;
}

/** The SDK's own record of a resource's type and name (set by every Resource constructor). */
function identity(resource: pulumi.Resource): string {
  const r = resource as unknown as { __pulumiType?: string; __name?: string };
  return `${r.__pulumiType}::${r.__name}`;
}

/**
 * Pairs each registration with the inputs the mock monitor received, and computes each URN the way the engine
 * does: the stack's name and project, the chain of parent types, the resource's type and name.
 */
function resolveResources(
  registrations: Registration[],
  inputs: Map<string, { inputs: Record<string, unknown>; custom: boolean }[]>,
): PlannedResource[] {
  const byIdentity = new Map(registrations.map((r) => [`${r.type}::${r.name}`, r]));
  const typeChain = (reg: Registration): string => {
    const parent = reg.parent && byIdentity.get(identity(reg.parent));
    return parent ? `${typeChain(parent)}$${reg.type}` : reg.type;
  };
  const urnOf = (reg: Registration) => `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${typeChain(reg)}::${reg.name}`;
  const urnOfResource = (resource: pulumi.Resource) => {
    const reg = byIdentity.get(identity(resource));
    return reg ? urnOf(reg) : undefined;
  };
  const taken = new Map<string, number>();
  return registrations.map((reg) => {
    const key = `${reg.type}::${reg.name}`;
    const index = taken.get(key) ?? 0;
    taken.set(key, index + 1);
    const seen = inputs.get(key)?.[index];
    const parent = reg.parent && urnOfResource(reg.parent);
    return {
      urn: urnOf(reg),
      type: reg.type,
      name: reg.name,
      ...(parent ? { parent } : {}),
      custom: seen?.custom ?? true,
      inputs: seen?.inputs ?? {},
      protect: reg.protect,
      retainOnDelete: reg.retainOnDelete,
      ignoreChanges: reg.ignoreChanges,
      dependsOn: reg.dependsOn.map(urnOfResource).filter((u): u is string => u !== undefined),
    };
  });
}
