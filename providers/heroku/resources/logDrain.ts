import * as pulumi from "@pulumi/pulumi";
import { LOG_DRAIN_PROVIDER_VERSION } from "./logDrainProvider";
import { HerokuDynamicResource } from "./dynamicResource";

/** Arguments of {@link LogDrain}. */
export interface LogDrainArgs {
  /** The app's id (`App.id`). */
  app: pulumi.Input<string>;
  /** `syslog+tls://...` or `https://...`; kept secret (it usually carries a token). Changing it replaces the drain. */
  url: pulumi.Input<string>;
}

/** Ships the app's logs to an external endpoint. */
export class LogDrain extends HerokuDynamicResource {
  /** The drain URL (secret). */
  declare readonly url: pulumi.Output<string>;
  /** Heroku's drain token (`d.<uuid>`). */
  declare readonly token: pulumi.Output<string>;

  constructor(name: string, args: LogDrainArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { file: "logDrainProvider", exportName: "logDrainProvider" },
      name,
      {
        resourceName: name,
        providerVersion: LOG_DRAIN_PROVIDER_VERSION,
        app: args.app,
        url: pulumi.secret(args.url),
        token: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["url"] }),
      "LogDrain",
    );
  }
}
