// Small helpers for the DigitalOcean dynamic providers (they run in the dynamic-provider host: no package at run time).
import type * as pulumi from "@pulumi/pulumi";
import { rememberConfiguredToken } from "../api/settings";

// Pulumi's wire form of a secret (`@pulumi/pulumi/runtime/rpc` specialSigKey / specialSecretSig) and its placeholder for
// a value unknown during preview (`unknownValue`).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** `value` as a secret output: the engine records it encrypted. */
export function secretOutput<T>(value: T): unknown {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** The plain value of a possibly wire-form secret. */
export function reveal<T>(value: unknown): T {
  if (typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG) {
    return (value as { value: T }).value;
  }
  return value as T;
}

/** True when `value` contains a preview placeholder. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/** Deep equality of JSON values (secrets compared by their plain values). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(reveal(a)) === JSON.stringify(reveal(b));
}

/** A copy without `undefined` members (the host's Struct conversion throws on them). */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
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
