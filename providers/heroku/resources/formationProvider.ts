// The dynamic provider behind `Formation`: quantity and dyno size of the process types this program manages.
import type * as pulumi from "@pulumi/pulumi";
import type { Formation as HerokuFormation } from "@heroku-cli/schema";
import { inResourceContext, isNotFound, isUnprocessable } from "../api/errors";
import { formationSizeName, listFormation, updateFormation } from "../api/formation";
import type { FormationUpdate } from "../api/formation";
import { UNKNOWN, appFailures, configureFromStackConfig, containsUnknown, failure, plain, sameValue } from "./common";

/** Bump when the provider's behaviour changes in a way existing resources should be updated for. */
export const FORMATION_PROVIDER_VERSION = "1";

/** Desired scale of one process type. */
export interface ProcessScale {
  /** Dynos to run (0 stops the process type). */
  quantity: number;
  /** Dyno size: `eco`, `basic`, `standard-1X`, `standard-2X`, `performance-M`, `performance-L`... (any case). */
  size: string;
}

/** Inputs of `Formation`, as the provider receives them. */
export interface FormationInputs {
  /** The Pulumi resource name, used in error messages. */
  resourceName: string;
  /** Behaviour version of the provider code. */
  providerVersion: string;
  /** App id (or name). */
  app: string;
  /** Process type (`web`, `worker`...) to its scale. Types must exist in the app's current release. */
  processes: Record<string, ProcessScale>;
}

/** What the state holds for `Formation`: `processes` as Heroku reports them (sizes capitalised). */
export type FormationOutputs = FormationInputs;

const KIND = "Formation";
const PROCESS_TYPE = /^[a-zA-Z0-9_-]+$/;

/** Same scale? Sizes compare case-insensitively: Heroku answers `Standard-1X` to `standard-1x`. */
export function sameScale(a: ProcessScale | undefined, b: ProcessScale | undefined): boolean {
  if (!a || !b) return a === b;
  return a.quantity === b.quantity && String(a.size).toLowerCase() === String(b.size).toLowerCase();
}

/** The updates taking the app from `previous` to `wanted`: changed types, and removed types scaled to 0. */
export function formationUpdates(
  previous: Record<string, ProcessScale>,
  wanted: Record<string, ProcessScale>,
): FormationUpdate[] {
  const updates: FormationUpdate[] = [];
  for (const [type, scale] of Object.entries(wanted)) {
    if (!sameScale(previous[type], scale)) updates.push({ type, quantity: scale.quantity, size: scale.size });
  }
  for (const type of Object.keys(previous)) if (!(type in wanted)) updates.push({ type, quantity: 0 });
  return updates;
}

/** Managed types as Heroku reports them; a type Heroku did not return keeps the wanted scale. */
function reported(wanted: Record<string, ProcessScale>, formation: HerokuFormation[]): Record<string, ProcessScale> {
  const result: Record<string, ProcessScale> = {};
  for (const [type, scale] of Object.entries(wanted)) {
    const live = formation.find((f) => f.type === type);
    result[type] = live ? { quantity: live.quantity ?? scale.quantity, size: formationSizeName(live) ?? scale.size } : scale;
  }
  return result;
}

async function apply(inputs: FormationInputs, previous: Record<string, ProcessScale>): Promise<FormationOutputs> {
  const updates = formationUpdates(previous, inputs.processes);
  try {
    const answer = updates.length > 0 ? await updateFormation(inputs.app, updates) : await listFormation(inputs.app);
    return plain({ ...inputs, processes: reported(inputs.processes, answer) });
  } catch (error) {
    throw inResourceContext(KIND, inputs.resourceName, error);
  }
}

/** The CRUD operations of `Formation`, as a serializable plain object. */
export const formationProvider: pulumi.dynamic.ResourceProvider<FormationInputs, FormationOutputs> = {
  configure: configureFromStackConfig,

  async check(_olds, news) {
    const failures = appFailures(news.app);
    const processes: unknown = news.processes;
    if (processes !== UNKNOWN) {
      if (typeof processes !== "object" || processes === null || Array.isArray(processes)) {
        failures.push(failure("processes", "must map process types to { quantity, size }"));
      } else {
        for (const [type, scale] of Object.entries(processes as Record<string, ProcessScale>)) {
          if (!PROCESS_TYPE.test(type) || type === "release") {
            failures.push(failure("processes", `"${type}" is not a process type that can be scaled`));
          }
          if (containsUnknown(scale)) continue;
          if (!Number.isInteger(scale?.quantity) || scale.quantity < 0) {
            failures.push(failure("processes", `${type}: quantity must be a whole number >= 0`));
          }
          if (typeof scale?.size !== "string" || scale.size.trim() === "") {
            failures.push(failure("processes", `${type}: size is required (e.g. "basic", "standard-1X")`));
          }
        }
      }
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = sameValue(olds.app, news.app) ? [] : ["app"];
    const changed =
      containsUnknown(news.processes) ||
      formationUpdates(olds.processes ?? {}, news.processes ?? {}).length > 0 ||
      !sameValue(olds.providerVersion, news.providerVersion);
    // Scaling the old app to 0 after scaling the new one would stop both if they are the same app.
    return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    return { id: inputs.app, outs: await apply(inputs, {}) };
  },

  async update(_id, olds, news) {
    return { outs: await apply(news, olds.processes ?? {}) };
  },

  async read(id, props) {
    const state = props as FormationOutputs;
    try {
      const formation = await listFormation(state.app ?? id);
      const processes: Record<string, ProcessScale> = {};
      for (const type of Object.keys(state.processes ?? {})) {
        const live = formation.find((f) => f.type === type);
        if (live) processes[type] = { quantity: live.quantity ?? 0, size: formationSizeName(live) ?? "" };
      }
      return { id, props: plain({ ...state, processes }) };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw inResourceContext(KIND, state.resourceName ?? id, error);
    }
  },

  // Heroku has no "delete" for a formation: stop the managed process types instead.
  async delete(id, props) {
    const app = props.app ?? id;
    const types = Object.keys(props.processes ?? {});
    if (types.length === 0) return;
    try {
      try {
        await updateFormation(app, types.map((type) => ({ type, quantity: 0 })));
      } catch (error) {
        if (!isUnprocessable(error)) throw error;
        // A type no longer in the current release cannot be scaled (nothing runs it): scale the others.
        const existing = new Set((await listFormation(app)).map((f) => f.type));
        const present = types.filter((type) => existing.has(type));
        if (present.length > 0) await updateFormation(app, present.map((type) => ({ type, quantity: 0 })));
      }
    } catch (error) {
      if (isNotFound(error)) return;
      throw inResourceContext(KIND, props.resourceName ?? id, error);
    }
  },
};
