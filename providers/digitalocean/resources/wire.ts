// Small helpers for the DigitalOcean dynamic providers (they run in the dynamic-provider host: no package at run time).
import type * as pulumi from "@pulumi/pulumi";
import { rememberConfiguredToken } from "../api/settings";
import { reveal } from "../../dynamic/wire";

export { UNKNOWN, containsUnknown, plain, reveal, secretOutput } from "../../dynamic/wire";

/** Deep equality of JSON values (secrets compared by their plain values). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(reveal(a)) === JSON.stringify(reveal(b));
}

/**
 * Reads `digitalocean:token` from the stack config the engine hands dynamic providers (Pulumi >= 3.140, secrets
 * decrypted); without it (older engine, no config), `DIGITALOCEAN_TOKEN` is used. See heroku/resources/README.md.
 */
export async function configureFromStackConfig(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  try {
    rememberConfiguredToken(request.config.get("digitalocean:token"));
  } catch {
    // The SDK's Config throws when the engine sent no config at all: the environment variable is the way then.
  }
}
