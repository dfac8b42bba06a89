// Helpers shared by the Heroku dynamic providers. Like the providers, this runs inside Pulumi's
// dynamic-provider host after serialization: plain functions, no `@pulumi/pulumi` at run time, no captured
// credentials.
import type * as pulumi from "@pulumi/pulumi";
import { rememberConfiguredApiKey } from "../api/settings";

// Pulumi's placeholder for a value not known yet (preview): `@pulumi/pulumi/runtime/rpc` `unknownValue`.
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// Pulumi's wire form of a secret (`@pulumi/pulumi/runtime/rpc` `specialSigKey` / `specialSecretSig`). A
// provider that returns an output in this form gets it recorded as a secret by the engine (outputs are
// unmarshalled keeping secrets); we do it for URLs and config values, on top of `additionalSecretOutputs`.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A value wrapped as a Pulumi secret in wire form. */
export interface WireSecret<T> {
  /** The signature marking a secret. */
  [SIG_KEY]: typeof SECRET_SIG;
  /** The secret value. */
  value: T;
}

/** Wraps `value` as a secret output. */
export function secretOutput<T>(value: T): WireSecret<T> {
  return { [SIG_KEY]: SECRET_SIG, value } as WireSecret<T>;
}

/** The plain value of a (possibly) wire-form secret. The engine sends this provider plain values (it does
 * not accept secrets), but tolerate both. */
export function reveal<T>(value: T | WireSecret<T>): T {
  if (typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG) {
    return (value as WireSecret<T>).value;
  }
  return value as T;
}

/** True when `value` is, or contains, a value unknown during preview. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

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

/**
 * A copy without `undefined` members. The host turns outputs into a protobuf Struct, which throws on
 * `undefined` ("Unexpected struct type"): every outs/props/partial-state map goes through this.
 */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
