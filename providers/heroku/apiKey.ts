/**
 * The Heroku API key, as the program needs it: the registry password for image pushes and the clock's key. The
 * dynamic resources read it on their own, at call time (providers/heroku/resources): never from here, so that it
 * is never serialized into their provider code.
 *
 * Sources, in the order the dynamic resources use: the secret stack config `heroku:apiKey`, then `HEROKU_API_KEY`
 * in the environment of `pulumi`. Always a secret output.
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "../../stacks/schema";

export const MISSING_KEY_MESSAGE =
  "no Heroku API key: set HEROKU_API_KEY in the environment that runs `pulumi`, " +
  "or the secret stack config `heroku:apiKey` (pulumi config set --secret heroku:apiKey ...)";

/** The stack config keys the key may come from, in the dynamic resources' order. */
const CONFIG_KEYS = ["heroku:apiKey"] as const;

/**
 * The deploy key as a secret output. Without one, `pulumi up` fails here, before any resource is registered; a
 * preview only warns (previews push no image).
 */
export function deployApiKey(): pulumi.Output<string> {
  // Only whether a config key is set matters here; its value is then read as a secret.
  const all = pulumi.runtime.allConfig();
  const configured = CONFIG_KEYS.find((key) => (all[key] ?? "").trim() !== "");
  if (configured) {
    const [namespace, name] = configured.split(":") as [string, string];
    return new pulumi.Config(namespace).requireSecret(name).apply((key) => key.trim());
  }
  const fromEnv = process.env.HEROKU_API_KEY?.trim();
  if (fromEnv) return pulumi.secret(fromEnv);
  if (!pulumi.runtime.isDryRun()) throw new Error(MISSING_KEY_MESSAGE);
  void pulumi.log.warn(`heroku: ${MISSING_KEY_MESSAGE}; \`pulumi up\` will fail without it`);
  return pulumi.secret("");
}

/** The clock's key: `multicloud:<secretName>` when the stack names one, else the deploy key. */
export function clockApiKey(secretName: string | undefined, deployKey: pulumi.Output<string>): pulumi.Output<string> {
  return secretName ? new pulumi.Config(NAMESPACE).requireSecret(secretName) : deployKey;
}
