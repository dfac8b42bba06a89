// Helpers shared by the Heroku dynamic providers. Like the providers, this runs inside Pulumi's
// dynamic-provider host after serialization: plain functions, no `@pulumi/pulumi` at run time, no captured
// credentials.
import type * as pulumi from "@pulumi/pulumi";
import { rememberConfiguredApiKey } from "../api/settings";
import { UNKNOWN, reveal } from "../../dynamic/wire";

export { UNKNOWN, containsUnknown, plain, reveal, secretOutput } from "../../dynamic/wire";
export type { WireSecret } from "../../dynamic/wire";

/** Deep equality for JSON-like input values (secrets compared by their plain values). */
export function sameValue(a: unknown, b: unknown): boolean {
  const x = reveal(a);
  const y = reveal(b);
  if (x === y) return true;
  if (x === null || y === null || typeof x !== "object" || typeof y !== "object") {
    // An absent optional input and an explicit null mean the same thing.
    return (x === undefined || x === null) && (y === undefined || y === null);
  }
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const key of keys) {
    if (!sameValue((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** A check failure for `property`. */
export function failure(property: string, reason: string): pulumi.dynamic.CheckFailure {
  return { property, reason };
}

/**
 * Reads the API key from secret stack config, if set (`heroku:apiKey`), for
 * every later call in this process. The engine hands dynamic providers the whole stack config, secrets
 * decrypted, through Configure (Pulumi >= 3.140); older engines, or a host that never got Configure, fall back
 * to `HEROKU_API_KEY` silently.
 */
export async function configureFromStackConfig(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  try {
    rememberConfiguredApiKey(request.config.get("heroku:apiKey"));
  } catch {
    // The SDK's Config throws when the engine sent no config at all: the environment variable is the way then.
  }
}

/** The `app` input of any app-scoped resource, checked. */
export function appFailures(app: unknown): pulumi.dynamic.CheckFailure[] {
  if (app === UNKNOWN) return [];
  return typeof app === "string" && app.trim() !== ""
    ? []
    : [failure("app", "the Heroku app (its id, preferably, or its name) is required")];
}
