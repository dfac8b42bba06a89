// Pulumi's wire forms, for the dynamic providers of every backend. Like the providers, this runs inside Pulumi's
// dynamic-provider host after serialization (providers/heroku/resources/providerText.ts): plain functions, no
// package at run time.

// Pulumi's placeholder for a value not known yet (preview): `@pulumi/pulumi/runtime/rpc` `unknownValue`.
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// Pulumi's wire form of a secret (`@pulumi/pulumi/runtime/rpc` `specialSigKey` / `specialSecretSig`). A
// provider that returns an output in this form gets it recorded as a secret by the engine (outputs are
// unmarshalled keeping secrets), on top of `additionalSecretOutputs`.
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

/** The plain value of a (possibly) wire-form secret. The engine sends providers plain values (it does not accept
 * secrets), but tolerate both. */
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

/**
 * A copy without `undefined` members. The host turns outputs into a protobuf Struct, which throws on
 * `undefined` ("Unexpected struct type"): every outs/props/partial-state map goes through this.
 */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
