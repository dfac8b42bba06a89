// The dynamic provider behind `ConfigVars`: the config vars this program manages on one app.
import type * as pulumi from "@pulumi/pulumi";
import { getConfigVars, patchConfigVars } from "../api/configVars";
import { inResourceContext, isNotFound } from "../api/errors";
import { awaitReleasesSince, latestRelease } from "../api/releases";
import { UNKNOWN, appFailures, configureFromStackConfig, containsUnknown, failure, plain, reveal, sameValue, secretOutput } from "./common";
import type { WireSecret } from "./common";

/** Bump when the provider's behaviour changes in a way existing resources should be updated for. */
export const CONFIG_VARS_PROVIDER_VERSION = "2";

/** Inputs of `ConfigVars`, as the provider receives them. */
export interface ConfigVarsInputs {
  /** The Pulumi resource name, used in error messages. */
  resourceName: string;
  /** Behaviour version of the provider code. */
  providerVersion: string;
  /** App id (or name). */
  app: string;
  /**
   * Desired vars. A string sets the key; `null` removes the key even if this resource never set it. Keys this
   * resource set earlier and that are now absent are removed; keys it never set are left alone.
   */
  vars: Record<string, string | null>;
  /**
   * How long to wait for the release a change makes, which runs the release phase when the app has a `release`
   * process (Heroku's release phase may take up to an hour). @default 3900
   */
  releaseTimeoutSeconds: number;
}

/** What the state holds for `ConfigVars`. */
export interface ConfigVarsOutputs extends Omit<ConfigVarsInputs, "vars"> {
  /** The managed vars and their values, as a secret. */
  vars: WireSecret<Record<string, string>> | Record<string, string>;
  /** Names of the keys this resource set (not secret: names only), sorted. Used to know what to remove. */
  managedKeys: string[];
  /** Names of the keys the inputs asked to remove (`null`), sorted. */
  removedKeys: string[];
}

const KIND = "ConfigVars";
const DEFAULT_RELEASE_TIMEOUT_SECONDS = 3900;
// Heroku's schema: config var keys match ^\w+$.
const KEY = /^\w+$/;

function managed(vars: Record<string, string | null>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(vars)) if (value !== null) result[key] = value;
  return result;
}

function removedKeys(vars: Record<string, string | null>): string[] {
  return Object.keys(vars).filter((key) => vars[key] === null).sort();
}

function outputs(inputs: ConfigVarsInputs, values: Record<string, string>): ConfigVarsOutputs {
  return plain({
    ...inputs,
    vars: secretOutput(values),
    managedKeys: Object.keys(values).sort(),
    removedKeys: removedKeys(reveal(inputs.vars)),
  });
}

/** What the state says this resource did last time. */
export interface PreviousConfigVars {
  /** Values it set. */
  values: Record<string, string>;
  /** Keys it set. */
  keys: string[];
  /** Keys it was asked to remove. */
  removed: string[];
}

/**
 * The one PATCH body taking the app from what the resource did last time to what it wants now: changed or
 * new values, `null` for keys it set before and no longer wants, and `null` for keys newly asked to be
 * removed. Empty when nothing is to be done (a PATCH always makes a release: never send an empty one).
 */
export function configVarChanges(previous: PreviousConfigVars, wanted: Record<string, string | null>): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (value === null) {
      if (previous.keys.includes(key) || !previous.removed.includes(key)) changes[key] = null;
    } else if (previous.values[key] !== value || !previous.keys.includes(key)) {
      changes[key] = value;
    }
  }
  for (const key of previous.keys) if (!(key in wanted)) changes[key] = null;
  return changes;
}

/**
 * Applies one change and waits for the release it makes: every config var change makes a release, which runs
 * the release phase when the app has a `release` process (Dev Center, "Release Phase": "When does the release
 * command run?"), as terraform-provider-heroku waits for it (updateConfigVars). A failed release fails the
 * change, with its release-phase output; the vars are set, but the app keeps running the previous release.
 */
async function applyChanges(inputs: ConfigVarsInputs, changes: Record<string, string | null>): Promise<void> {
  const before = await latestRelease(inputs.app);
  await patchConfigVars(inputs.app, changes);
  await awaitReleasesSince(inputs.app, before, {
    what: `the release of the config var change (${Object.keys(changes).join(", ")})`,
    timeoutMs: (inputs.releaseTimeoutSeconds ?? DEFAULT_RELEASE_TIMEOUT_SECONDS) * 1000,
  });
}

function previousOf(olds: Partial<ConfigVarsOutputs>): PreviousConfigVars {
  const values = (reveal(olds.vars ?? {}) ?? {}) as Record<string, string>;
  return { values, keys: olds.managedKeys ?? Object.keys(values), removed: olds.removedKeys ?? [] };
}

/** The CRUD operations of `ConfigVars`, as a serializable plain object. */
export const configVarsProvider: pulumi.dynamic.ResourceProvider<ConfigVarsInputs, ConfigVarsOutputs> = {
  configure: configureFromStackConfig,

  async check(_olds, news) {
    const failures = appFailures(news.app);
    const inputs: ConfigVarsInputs = { ...news, releaseTimeoutSeconds: news.releaseTimeoutSeconds ?? DEFAULT_RELEASE_TIMEOUT_SECONDS };
    if (!(typeof inputs.releaseTimeoutSeconds === "number" && inputs.releaseTimeoutSeconds > 0)) {
      failures.push(failure("releaseTimeoutSeconds", "must be a positive number of seconds"));
    }
    const vars: unknown = reveal(news.vars);
    if (vars !== UNKNOWN) {
      if (typeof vars !== "object" || vars === null || Array.isArray(vars)) {
        failures.push(failure("vars", "must be a map of config var names to string values (or null to remove)"));
      } else {
        for (const [key, value] of Object.entries(vars)) {
          if (!KEY.test(key)) failures.push(failure("vars", `"${key}" is not a valid config var name (letters, digits, _)`));
          else if (value !== null && typeof value !== "string" && !containsUnknown(value)) {
            failures.push(failure("vars", `the value of ${key} must be a string (or null to remove the key)`));
          }
        }
      }
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const replaces = sameValue(olds.app, news.app) ? [] : ["app"];
    const vars: unknown = reveal(news.vars);
    const wanted = (typeof vars === "object" && vars !== null ? vars : {}) as Record<string, string | null>;
    const changed =
      vars === UNKNOWN ||
      containsUnknown(wanted) ||
      Object.keys(configVarChanges(previousOf(olds), wanted)).length > 0 ||
      !sameValue(olds.providerVersion, news.providerVersion);
    return {
      changes: replaces.length > 0 || changed,
      replaces,
      // Removing our keys from the old app after setting them on the new one would delete them both when the
      // "new" app is the same app under another reference: remove first.
      deleteBeforeReplace: replaces.length > 0,
    };
  },

  async create(inputs) {
    const vars = reveal(inputs.vars);
    try {
      // An empty PATCH still makes a release: never send one (a web service whose links are all attachments).
      if (Object.keys(vars).length > 0) await applyChanges(inputs, vars);
    } catch (error) {
      throw inResourceContext(KIND, inputs.resourceName, error);
    }
    return { id: inputs.app, outs: outputs(inputs, managed(vars)) };
  },

  async update(_id, olds, news) {
    const vars = reveal(news.vars);
    const changes = configVarChanges(previousOf(olds), vars);
    if (Object.keys(changes).length > 0) {
      try {
        await applyChanges(news, changes);
      } catch (error) {
        // Nothing recorded: the state keeps the previous values, so the next `pulumi up` sets them (and releases) again.
        throw inResourceContext(KIND, news.resourceName, error);
      }
    }
    return { outs: outputs(news, managed(vars)) };
  },

  async read(id, props) {
    const state = props as ConfigVarsOutputs;
    try {
      const live = await getConfigVars(state.app ?? id);
      const values: Record<string, string> = {};
      for (const key of previousOf(state).keys) if (typeof live[key] === "string") values[key] = live[key];
      // A managed key deleted behind our back disappears from the state, so the next diff puts it back.
      // A removed key that came back is dropped from `removedKeys`, so it is removed again too.
      const stillRemoved = previousOf(state).removed.filter((key) => live[key] === undefined);
      return {
        id,
        props: plain({ ...state, vars: secretOutput(values), managedKeys: Object.keys(values).sort(), removedKeys: stillRemoved }),
      };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw inResourceContext(KIND, state.resourceName ?? id, error);
    }
  },

  async delete(id, props) {
    const removals: Record<string, null> = {};
    for (const key of previousOf(props).keys) removals[key] = null;
    if (Object.keys(removals).length === 0) return;
    try {
      await patchConfigVars(props.app ?? id, removals);
    } catch (error) {
      if (isNotFound(error)) return;
      throw inResourceContext(KIND, props.resourceName ?? id, error);
    }
  },
};
