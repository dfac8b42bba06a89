// The dynamic provider behind `Addon`: a Heroku Postgres / Key-Value Store (or other) add-on on one app.
import type * as pulumi from "@pulumi/pulumi";
import type { AddOn } from "@heroku-cli/schema";
import { changeAddonPlan, createAddon, deleteAddon, findAddon, findAttachment, getAddon } from "../api/addons";
import { withAppLock } from "../api/appLock";
import { getConfigVars } from "../api/configVars";
import { inResourceContext, isNotFound, partialStateError } from "../api/errors";
import { pollUntil } from "../api/poll";
import { resolveClientSettings } from "../api/settings";
import { defaultAttachmentName, parsePlan, planChangeProblem } from "./addonPlans";
import { UNKNOWN, appFailures, configureFromStackConfig, failure, plain, sameValue, secretOutput } from "./common";
import type { WireSecret } from "./common";

/** Bump when the provider's behaviour changes in a way existing resources should be updated for. */
export const ADDON_PROVIDER_VERSION = "2";

/** Inputs of `Addon`, as the provider receives them after `check`. */
export interface AddonInputs {
  /** The Pulumi resource name, used in error messages. */
  resourceName: string;
  /** Behaviour version of the provider code. */
  providerVersion: string;
  /** App id (or name). Add-on creation is serialized per value of this field. */
  app: string;
  /** `service:plan`, e.g. `heroku-postgresql:essential-0` or `heroku-redis:mini`. */
  plan: string;
  /** Attachment name, the config var prefix. Defaults to `DATABASE` / `REDIS` / the service name. */
  attachmentName: string;
  /** How long to wait for provisioning before recording a partial state. @default 1200 (20 min) */
  provisionTimeoutSeconds: number;
}

/** What the state holds for an `Addon`. */
export interface AddonOutputs extends AddonInputs {
  /** Heroku's globally unique add-on name, e.g. `postgresql-curly-12345`. */
  addonName: string;
  /** `provisioning`, `provisioned` or `deprovisioned`. */
  state: string;
  /** The config var holding the connection URL, e.g. `DATABASE_URL`. */
  configVarName: string;
  /** The connection URL, as a secret; absent until provisioned. */
  url?: WireSecret<string> | string;
}

const KIND = "Addon";
const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]*$/;
const DEFAULT_PROVISION_TIMEOUT_SECONDS = 20 * 60;

function serviceOf(addon: AddOn): string | undefined {
  return addon.addon_service?.name ?? addon.plan?.name?.split(":")[0];
}

/** The config var carrying the URL: `<ATTACHMENT>_URL` when Heroku lists it, else the first `*_URL`. */
function urlVarOf(addon: AddOn, attachmentName: string): string {
  const vars = addon.config_vars ?? [];
  const preferred = `${attachmentName}_URL`;
  return vars.find((v) => v === preferred) ?? vars.find((v) => v.endsWith("_URL")) ?? vars[0] ?? preferred;
}

/** Outputs for an add-on not (yet) known to be ready: no URL. */
function pendingOutputs(inputs: AddonInputs, addon: AddOn): AddonOutputs {
  const { url: _stale, ...rest } = inputs as AddonInputs & { url?: unknown };
  return plain({
    ...rest,
    plan: addon.plan?.name ?? inputs.plan,
    addonName: addon.name ?? "",
    state: addon.state ?? "provisioning",
    configVarName: urlVarOf(addon, inputs.attachmentName),
  });
}

/**
 * Waits until the add-on is provisioned, then until its URL is among the app's config vars, both within one
 * deadline (`provisionTimeoutSeconds`): Heroku may set the config var after the add-on reads `provisioned`, so
 * terraform-provider-heroku retries for it too (resource_heroku_addon.go, create, "config vars are set").
 */
async function settle(inputs: AddonInputs, addon: AddOn): Promise<AddonOutputs> {
  const id = addon.id;
  const intervalMs = resolveClientSettings().pollIntervalMs;
  const timeoutMs = (inputs.provisionTimeoutSeconds ?? DEFAULT_PROVISION_TIMEOUT_SECONDS) * 1000;
  const deadline = Date.now() + timeoutMs;
  const ready =
    addon.state === "provisioned"
      ? addon
      : await pollUntil(
          `add-on ${addon.name ?? id} to be provisioned`,
          async () => {
            const current = await getAddon(inputs.app, id);
            if (current.state === "provisioned") return { done: true, value: current };
            if (current.state === "deprovisioned") {
              throw new Error(`add-on ${current.name ?? id} failed to provision (Heroku deprovisioned it)`);
            }
            return { done: false, status: current.state ?? "unknown" };
          },
          { intervalMs, timeoutMs },
        );
  const outputs = pendingOutputs(inputs, ready);
  const url = await pollUntil(
    `${outputs.configVarName} of add-on ${ready.name ?? id} to be set on the app (provisioning and config var ` +
      `share the ${timeoutMs / 1000}s of provisionTimeoutSeconds)`,
    async () => {
      const value = (await getConfigVars(inputs.app))[outputs.configVarName];
      return typeof value === "string" && value !== "" ? { done: true, value } : { done: false, status: "provisioned, config var not set yet" };
    },
    { intervalMs, timeoutMs: Math.max(0, deadline - Date.now()) },
  );
  return { ...outputs, url: secretOutput(url) };
}

/** Moves an adopted or existing add-on to the wanted plan when Heroku can do it in place. */
async function ensurePlan(inputs: AddonInputs, addon: AddOn): Promise<AddOn> {
  const current = addon.plan?.name;
  if (!current || current === inputs.plan) return addon;
  const problem = planChangeProblem(current, inputs.plan, inputs.app, inputs.attachmentName);
  if (problem) throw new Error(problem);
  return changeAddonPlan(inputs.app, addon.id, inputs.plan);
}

/**
 * The add-on behind our attachment name if there is one (a previous create that timed out, or whose answer was
 * lost), else a new one. Never makes a second add-on for the same attachment.
 */
async function findOrCreate(inputs: AddonInputs): Promise<AddOn> {
  const service = parsePlan(inputs.plan)?.service;
  const adopt = async (): Promise<AddOn | undefined> => {
    const attachment = await findAttachment(inputs.app, inputs.attachmentName);
    if (!attachment?.addon?.id) return undefined;
    const existing = await getAddon(inputs.app, attachment.addon.id);
    if (serviceOf(existing) !== service) {
      throw new Error(
        `the attachment name ${inputs.attachmentName} is already used on this app by ${existing.name} ` +
          `(${serviceOf(existing)}); choose another attachmentName`,
      );
    }
    return ensurePlan(inputs, existing);
  };
  const existing = await adopt();
  if (existing) return existing;
  try {
    return await createAddon(inputs.app, { plan: inputs.plan, attachmentName: inputs.attachmentName });
  } catch (error) {
    // The POST may have been applied before its answer was lost: then our attachment exists now. The retry's
    // refusal may be a 422, `confirmation_required` (the name is taken now), or the lost answer itself (the
    // confirmed POST is sent once): any error marked ambiguous.
    if ((error as { ambiguous?: boolean }).ambiguous) {
      const made = await adopt();
      if (made) return made;
    }
    throw error;
  }
}

/** The CRUD operations of `Addon`, as a serializable plain object. */
export const addonProvider: pulumi.dynamic.ResourceProvider<AddonInputs, AddonOutputs> = {
  configure: configureFromStackConfig,

  async check(olds, news) {
    const failures = appFailures(news.app);
    const inputs: AddonInputs = { ...news, provisionTimeoutSeconds: news.provisionTimeoutSeconds ?? DEFAULT_PROVISION_TIMEOUT_SECONDS };
    if (news.plan !== UNKNOWN) {
      const plan = typeof news.plan === "string" ? parsePlan(news.plan) : undefined;
      if (!plan) {
        failures.push(failure("plan", `"${news.plan}" is not an add-on plan: expected service:plan, e.g. heroku-postgresql:essential-0`));
      } else if (!news.attachmentName) {
        inputs.attachmentName = defaultAttachmentName(plan.service);
      }
    }
    const attachmentName = inputs.attachmentName;
    if (attachmentName !== undefined && attachmentName !== UNKNOWN && !ATTACHMENT_NAME.test(attachmentName)) {
      failures.push(failure("attachmentName", `"${attachmentName}" must be upper case letters, digits and _ (e.g. DATABASE)`));
    }
    if (olds.attachmentName && attachmentName !== UNKNOWN && olds.attachmentName !== attachmentName) {
      failures.push(
        failure(
          "attachmentName",
          `cannot change from ${olds.attachmentName} to ${attachmentName} in place (the app's config var would change ` +
            "name under it); declare a new Addon instead",
        ),
      );
    }
    if (olds.plan && news.plan !== UNKNOWN && typeof news.plan === "string" && sameValue(olds.app, news.app)) {
      const problem = planChangeProblem(olds.plan, news.plan, news.app, attachmentName ?? "DATABASE");
      if (problem) failures.push(failure("plan", problem));
    }
    if (!(typeof inputs.provisionTimeoutSeconds === "number" && inputs.provisionTimeoutSeconds > 0)) {
      failures.push(failure("provisionTimeoutSeconds", "must be a positive number of seconds"));
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    // Never a replacement for a plan change: that would destroy the data (check refuses what cannot be done
    // in place). A new app is a new add-on: the old app, and its data, are going away anyway.
    const replaces = sameValue(olds.app, news.app) ? [] : ["app"];
    const incomplete = olds.state !== "provisioned" || olds.url === undefined;
    const changes =
      replaces.length > 0 ||
      incomplete ||
      !sameValue(olds.plan, news.plan) ||
      !sameValue(olds.providerVersion, news.providerVersion);
    return { changes, replaces };
  },

  async create(inputs) {
    // Heroku cannot take several add-on requests for one app at once: one at a time per app, from the request
    // until provisioned (see api/appLock.ts for why an in-process lock).
    return withAppLock(`addons:${inputs.app}`, async () => {
      let addon: AddOn;
      try {
        addon = await findOrCreate(inputs);
      } catch (error) {
        throw inResourceContext(KIND, inputs.resourceName, error);
      }
      try {
        return { id: addon.id, outs: await settle(inputs, addon) };
      } catch (error) {
        // The add-on exists (and is billed): record it, so the next `pulumi up` waits for it again instead of
        // requesting another.
        throw partialStateError(KIND, inputs.resourceName, error, addon.id, { ...pendingOutputs(inputs, addon) });
      }
    });
  },

  async update(id, olds, news) {
    try {
      const problem = planChangeProblem(olds.plan, news.plan, news.app, news.attachmentName);
      if (problem) throw new Error(problem);
      const addon = await findAddon(news.app, id);
      if (!addon) throw new Error(`add-on ${olds.addonName || id} no longer exists; run \`pulumi refresh\` to recreate it`);
      return { outs: await settle(news, await ensurePlan(news, addon)) };
    } catch (error) {
      throw inResourceContext(KIND, news.resourceName, error);
    }
  },

  async read(id, props) {
    const state = props as AddonOutputs;
    try {
      const addon = await findAddon(state.app, id);
      if (!addon || addon.state === "deprovisioned") return {};
      const outputs = pendingOutputs(state, addon);
      if (addon.state !== "provisioned") return { id, props: outputs };
      const url = (await getConfigVars(state.app))[outputs.configVarName];
      return { id, props: url ? { ...outputs, url: secretOutput(url) } : outputs };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw inResourceContext(KIND, state.resourceName ?? id, error);
    }
  },

  async delete(id, props) {
    try {
      await deleteAddon(props.app, id);
    } catch (error) {
      if (isNotFound(error)) return;
      throw inResourceContext(KIND, props.resourceName ?? id, error);
    }
  },
};
