// The dynamic provider behind `ReleaseTask`. Pulumi serializes this object (and what it reaches) into
// the state and runs it in its dynamic-provider host, so it is a plain object of plain functions: no
// classes, no clients, no credentials, no `@pulumi/pulumi` at run time (type imports only). The stack's
// `aws:` config (credentials included) arrives through `configure`, in the host, and is kept on `globalThis`.
import type * as pulumi from "@pulumi/pulumi";
import { configureFromStackConfig, rememberedAwsSettings } from "./awsConfig";
import { releaseInputProblems, runReleaseTask } from "./runReleaseTask";
import type { ReleaseRunInputs, ReleaseRunResult } from "./runReleaseTask";

/** What the state holds for a release run: the inputs of the last run plus its record. */
export type ReleaseTaskState = ReleaseRunInputs & ReleaseRunResult;

// Pulumi's placeholder for a value not known yet (preview); `@pulumi/pulumi/runtime/rpc` `unknownValue`.
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// The inputs that define WHAT runs. A change to any of them means the release must run again (an
// update, never a replace: there is nothing to delete). Network, timeout or log inputs do not.
const RUN_DEFINING_INPUTS = ["taskDefinition", "container", "command"] as const;

const INPUT_KEYS: readonly (keyof ReleaseRunInputs)[] = [
  "region",
  "cluster",
  "taskDefinition",
  "container",
  "command",
  "subnets",
  "securityGroups",
  "assignPublicIp",
  "capacityProvider",
  "timeoutSeconds",
  "pollIntervalSeconds",
  "logGroup",
  "logStreamPrefix",
];

/** Keeps only our input fields (drops `__provider` and previous outputs). */
function pickInputs(props: Record<string, unknown>): ReleaseRunInputs {
  const picked: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) {
    if (props[key] !== undefined && props[key] !== null) picked[key] = props[key];
  }
  return picked as unknown as ReleaseRunInputs;
}

function containsUnknown(value: unknown): boolean {
  return value === UNKNOWN_VALUE || (Array.isArray(value) && value.some(containsUnknown));
}

async function runAndRecord(props: Record<string, unknown>): Promise<ReleaseTaskState> {
  const inputs = pickInputs(props);
  const run = await runReleaseTask(inputs, rememberedAwsSettings());
  return { ...inputs, ...run };
}

/** The CRUD operations of `ReleaseTask`, as a serializable plain object. */
export const releaseTaskProvider: pulumi.dynamic.ResourceProvider = {
  configure: configureFromStackConfig,

  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    // Values still unknown at preview are checked again at `up`, when they are known.
    const failures = releaseInputProblems(news).filter((p) => !containsUnknown(news[p.property]));
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const changed = RUN_DEFINING_INPUTS.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
    return { changes: changed.length > 0 };
  },

  async create(props: Record<string, unknown>) {
    const outs = await runAndRecord(props);
    // The ID of a run record is the ARN of its first task; later runs are reported by `taskArn`.
    return { id: outs.taskArn, outs };
  },

  async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { outs: await runAndRecord(news) };
  },

  // A finished task is a record, not a thing to tear down.
  async delete() {},
};
