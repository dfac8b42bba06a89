import * as pulumi from "@pulumi/pulumi";
import { CONFIG_VARS_PROVIDER_VERSION } from "./configVarsProvider";
import { HerokuDynamicResource } from "./dynamicResource";

/** Arguments of {@link ConfigVars}. */
export interface ConfigVarsArgs {
  /** The app's id (`App.id`). Changing it moves the vars: removed from the old app first, then set on the new. */
  app: pulumi.Input<string>;
  /**
   * Config vars to set (string) or to make sure are absent (`null`). All values are kept secret. Keys this
   * resource set before and that are no longer listed are removed; keys it never set are left alone (e.g.
   * `DATABASE_URL`, owned by the add-on). Every change is ONE call, hence one release.
   */
  vars: pulumi.Input<Record<string, pulumi.Input<string | null>>>;
  /**
   * How long to wait for the release each change makes (its release phase included, when the app has a
   * `release` process); a failed release fails the change with its output. @default 3900
   */
  releaseTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * Config vars this program manages on one app. Values are secret in the state and in outputs. Several
 * `ConfigVars` may share an app as long as they manage different keys (each only touches its own). Each change
 * makes a Heroku release, which runs the release phase if the app has one: the change waits for it and fails if
 * it fails.
 */
export class ConfigVars extends HerokuDynamicResource {
  /** The managed vars and their values (secret). */
  declare readonly vars: pulumi.Output<Record<string, string>>;
  /** Names of the managed keys (not secret). */
  declare readonly managedKeys: pulumi.Output<string[]>;

  constructor(name: string, args: ConfigVarsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { file: "configVarsProvider", exportName: "configVarsProvider" },
      name,
      {
        resourceName: name,
        providerVersion: CONFIG_VARS_PROVIDER_VERSION,
        app: args.app,
        vars: pulumi.secret(args.vars),
        releaseTimeoutSeconds: args.releaseTimeoutSeconds,
        managedKeys: undefined,
        removedKeys: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["vars"] }),
      "ConfigVars",
    );
  }
}
