import type * as pulumi from "@pulumi/pulumi";
import { ADDON_ATTACHMENT_PROVIDER_VERSION } from "./addonAttachmentProvider";
import { HerokuDynamicResource } from "./dynamicResource";

/** Arguments of {@link AddonAttachment}. */
export interface AddonAttachmentArgs {
  /** The add-on's id (`Addon.id`). Changing it replaces the attachment. */
  addon: pulumi.Input<string>;
  /** The id (`App.id`) of the app to attach it to. Changing it replaces the attachment. */
  app: pulumi.Input<string>;
  /**
   * The attachment name, i.e. the config var prefix on that app (`DATABASE` gives `DATABASE_URL`): upper case
   * letters, digits and `_`, unique per app. Changing it replaces the attachment (the old one is detached first
   * only when the name stays, since names are unique per app).
   */
  name: pulumi.Input<string>;
}

/**
 * An add-on (owned by another app) attached to an app: Heroku sets `<name>_URL` on the app and keeps it current
 * when the add-on's credentials or host change, which a copied URL would not. Deleting it detaches: the add-on
 * and its data are untouched. Do not also manage `<name>_URL` with `ConfigVars` on the same app.
 */
export class AddonAttachment extends HerokuDynamicResource {
  /** The config var Heroku keeps on the app, `<name>_URL`. */
  declare readonly configVarName: pulumi.Output<string>;
  /** Heroku's global name of the add-on. */
  declare readonly addonName: pulumi.Output<string>;

  constructor(name: string, args: AddonAttachmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { file: "addonAttachmentProvider", exportName: "addonAttachmentProvider" },
      name,
      {
        resourceName: name,
        providerVersion: ADDON_ATTACHMENT_PROVIDER_VERSION,
        addon: args.addon,
        app: args.app,
        name: args.name,
        configVarName: undefined,
        addonName: undefined,
      },
      opts,
      "AddonAttachment",
    );
  }
}
