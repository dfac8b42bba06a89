// The dynamic provider behind `AddonAttachment`: an add-on of one app attached to another, so that Heroku keeps
// the add-on's `<NAME>_URL` config var current in that app (credential rotations, failovers).
import type * as pulumi from "@pulumi/pulumi";
import type { AddOnAttachment } from "@heroku-cli/schema";
import { createAddonAttachment, deleteAddonAttachment, findAddonAttachment } from "../api/addonAttachments";
import { findAttachment } from "../api/addons";
import { inResourceContext, isConfirmationRequired, isNotFound, isUnprocessable } from "../api/errors";
import { UNKNOWN, appFailures, configureFromStackConfig, failure, plain, sameValue } from "./common";

/** Bump when the provider's behaviour changes in a way existing resources should be updated for. */
export const ADDON_ATTACHMENT_PROVIDER_VERSION = "1";

/** Inputs of `AddonAttachment`, as the provider receives them. */
export interface AddonAttachmentInputs {
  /** The Pulumi resource name, used in error messages. */
  resourceName: string;
  /** Behaviour version of the provider code. */
  providerVersion: string;
  /** The add-on's id (or global name). */
  addon: string;
  /** The app it is attached to: id (or name). */
  app: string;
  /** Attachment name on that app, the config var prefix (`DATABASE` gives `DATABASE_URL`). */
  name: string;
}

/** What the state holds for an `AddonAttachment`. */
export interface AddonAttachmentOutputs extends AddonAttachmentInputs {
  /** The config var Heroku keeps on the app, `<name>_URL`. */
  configVarName: string;
  /** Heroku's global name of the add-on, e.g. `postgresql-curly-12345`. */
  addonName: string;
}

const KIND = "AddonAttachment";
const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]*$/;

function outputsFrom(inputs: AddonAttachmentInputs, attachment: AddOnAttachment): AddonAttachmentOutputs {
  return plain({ ...inputs, configVarName: `${inputs.name}_URL`, addonName: attachment.addon?.name ?? "" });
}

/** True when the attachment is of the add-on the inputs name (by id or by global name). */
function isOf(attachment: AddOnAttachment, addon: string): boolean {
  return attachment.addon?.id === addon || attachment.addon?.name === addon;
}

/**
 * Attaches, or adopts the attachment of this add-on already under this name on the app (an earlier attempt
 * whose answer was lost). Names are unique per app: Heroku refuses the retried POST with `confirmation_required`
 * (it would overwrite the attachment only with `confirm`, which we never send: heroku/cli `addons:attach
 * --confirm`, "overwrite existing add-on attachment with same name"; the status is not published, the CLI's test
 * uses 400), or with a 422. Never a second one, never an overwrite.
 */
async function findOrCreate(inputs: AddonAttachmentInputs): Promise<AddOnAttachment> {
  try {
    return await createAddonAttachment({ addon: inputs.addon, app: inputs.app, name: inputs.name });
  } catch (error) {
    if (!isUnprocessable(error) && !isConfirmationRequired(error)) throw error;
    const existing = await findAttachment(inputs.app, inputs.name);
    if (!existing) throw error;
    if (!isOf(existing, inputs.addon)) {
      throw new Error(
        `the attachment name ${inputs.name} is already used on this app by add-on ${existing.addon?.name ?? "(unknown)"}; ` +
          "detach it (`heroku addons:detach`) or link under another env var name",
      );
    }
    return existing;
  }
}

/** The CRUD operations of `AddonAttachment`, as a serializable plain object. */
export const addonAttachmentProvider: pulumi.dynamic.ResourceProvider<AddonAttachmentInputs, AddonAttachmentOutputs> = {
  configure: configureFromStackConfig,

  async check(_olds, news) {
    const failures = appFailures(news.app);
    if (news.addon !== UNKNOWN && !(typeof news.addon === "string" && news.addon.trim() !== "")) {
      failures.push(failure("addon", "the add-on (its id, preferably, or its global name) is required"));
    }
    if (news.name !== UNKNOWN && !(typeof news.name === "string" && ATTACHMENT_NAME.test(news.name))) {
      failures.push(failure("name", `"${String(news.name)}" must be upper case letters, digits and _ (e.g. DATABASE)`));
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    // Heroku changes nothing of an attachment in place: any other add-on, app or name is a new attachment.
    const replaces = (["addon", "app", "name"] as const).filter((key) => !sameValue(olds[key], news[key]));
    return {
      changes: replaces.length > 0 || !sameValue(olds.providerVersion, news.providerVersion),
      replaces,
      // Names are unique per app: the old attachment must go before the new one takes its name.
      deleteBeforeReplace: replaces.length > 0 && sameValue(olds.name, news.name),
    };
  },

  async create(inputs) {
    try {
      const attachment = await findOrCreate(inputs);
      return { id: attachment.id as string, outs: outputsFrom(inputs, attachment) };
    } catch (error) {
      throw inResourceContext(KIND, inputs.resourceName, error);
    }
  },

  async update(id, _olds, news) {
    try {
      const attachment = await findAddonAttachment(id);
      if (!attachment) throw new Error(`add-on attachment ${news.name} (${id}) no longer exists; run \`pulumi refresh\` to recreate it`);
      return { outs: outputsFrom(news, attachment) };
    } catch (error) {
      throw inResourceContext(KIND, news.resourceName, error);
    }
  },

  async read(id, props) {
    const state = props as AddonAttachmentOutputs;
    try {
      const attachment = await findAddonAttachment(id);
      return attachment ? { id, props: outputsFrom(state, attachment) } : {};
    } catch (error) {
      if (isNotFound(error)) return {};
      throw inResourceContext(KIND, state.resourceName ?? id, error);
    }
  },

  async delete(id, props) {
    // Detaches only: the add-on and its data stay with the app that owns it.
    try {
      await deleteAddonAttachment(id);
    } catch (error) {
      if (isNotFound(error)) return;
      throw inResourceContext(KIND, props.resourceName ?? id, error);
    }
  },
};
