import * as pulumi from "@pulumi/pulumi";
import { ADDON_PROVIDER_VERSION } from "./addonProvider";
import { HerokuDynamicResource } from "./dynamicResource";

/** Arguments of {@link Addon}. */
export interface AddonArgs {
  /** The app's id (`App.id`). Add-on creation is serialized per app, so use the same value everywhere. */
  app: pulumi.Input<string>;
  /**
   * `service:plan`, e.g. `heroku-postgresql:essential-0` or `heroku-redis:mini`. Changing the plan upgrades in
   * place where Heroku can (within the Essential tier; between Standard/Premium/...); a change that needs a
   * data copy (essential-* -> standard-*, mini -> premium-*) FAILS with migration steps. Never a replacement.
   */
  plan: pulumi.Input<string>;
  /**
   * Attachment name, i.e. the config var prefix (`DATABASE` gives `DATABASE_URL`). Cannot change later.
   * @default "DATABASE" for heroku-postgresql, "REDIS" for heroku-redis, else the service name in upper case
   */
  attachmentName?: pulumi.Input<string>;
  /**
   * How long to wait for provisioning. Past it the add-on is recorded as still provisioning (no duplicate is
   * requested later) and the deployment fails; the next `pulumi up` waits again.
   * @default 1200
   */
  provisionTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * A Heroku add-on (Postgres, Key-Value Store, ...) on one app, ready when created: the URL it provides is an
 * output, kept secret. Deleting or replacing it (only a change of app replaces it) DESTROYS ITS DATA: protect
 * production data stores with `protect: true`.
 */
export class Addon extends HerokuDynamicResource {
  /** The connection URL the add-on provides (secret). */
  declare readonly url: pulumi.Output<string>;
  /** The config var holding that URL on the app, e.g. `DATABASE_URL`. */
  declare readonly configVarName: pulumi.Output<string>;
  /** Heroku's globally unique add-on name. */
  declare readonly addonName: pulumi.Output<string>;
  /** The plan as Heroku reports it. */
  declare readonly plan: pulumi.Output<string>;
  /** The attachment name in use. */
  declare readonly attachmentName: pulumi.Output<string>;
  /** `provisioned` once ready. */
  declare readonly state: pulumi.Output<string>;

  constructor(name: string, args: AddonArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { file: "addonProvider", exportName: "addonProvider" },
      name,
      {
        resourceName: name,
        providerVersion: ADDON_PROVIDER_VERSION,
        app: args.app,
        plan: args.plan,
        attachmentName: args.attachmentName,
        provisionTimeoutSeconds: args.provisionTimeoutSeconds,
        url: undefined,
        configVarName: undefined,
        addonName: undefined,
        state: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["url"] }),
      "Addon",
    );
  }
}
