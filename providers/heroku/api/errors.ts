// Errors of the Heroku client, as plain `Error` objects with extra fields rather than subclasses: they travel
// inside serialized provider code, and plain functions serialize more predictably than class hierarchies.

/** A Heroku call that failed for good (after any retries). */
export interface HerokuApiError extends Error {
  name: "HerokuApiError";
  /** HTTP status; 0 when no response ever arrived (dropped connections until the attempts ran out). */
  status: number;
  /** Heroku's error id (`invalid_params`, `not_found`, `rate_limit`...); `connection_failed` for status 0. */
  herokuId: string;
  /** Heroku's human message, or a description of the network failure. */
  herokuMessage: string;
  /** HTTP method of the call. */
  method: string;
  /** Path of the call, relative to the API root. */
  path: string;
  /**
   * True when an earlier attempt of this (non-GET) call failed in a way that may have been applied anyway
   * (5xx or a dropped connection), so a 422 "already taken" may be our own earlier attempt's doing.
   */
  ambiguous: boolean;
}

/** Fields of {@link herokuApiError}. */
export type HerokuApiErrorFields = Pick<HerokuApiError, "status" | "herokuId" | "herokuMessage" | "method" | "path" | "ambiguous">;

/** Builds a {@link HerokuApiError}; its message reads like `422 invalid_params: Name is already taken`. */
export function herokuApiError(fields: HerokuApiErrorFields): HerokuApiError {
  const message =
    fields.status === 0
      ? `${fields.method} ${fields.path}: ${fields.herokuMessage}`
      : `${fields.status} ${fields.herokuId}: ${fields.herokuMessage}`;
  const error = new Error(message) as HerokuApiError;
  error.name = "HerokuApiError";
  return Object.assign(error, fields);
}

/** True for an error built by {@link herokuApiError} (also after {@link inResourceContext} rewrapped it). */
export function isHerokuApiError(error: unknown): error is HerokuApiError {
  return error instanceof Error && typeof (error as Partial<HerokuApiError>).herokuId === "string";
}

/** True when Heroku answered 404: the thing (or its app) does not exist. */
export function isNotFound(error: unknown): boolean {
  return isHerokuApiError(error) && error.status === 404;
}

/** True when Heroku answered 422 (`invalid_params`, "already taken", ...). */
export function isUnprocessable(error: unknown): boolean {
  return isHerokuApiError(error) && error.status === 422;
}

/**
 * True when Heroku wants the app's name as `confirm` before doing it (`confirmation_required`: an add-on that needs
 * confirming, an attachment that would overwrite another). Matched on the id: its status varies (423 in the CLI's
 * add-on test, 400 in its attachment test), heroku/cli `src/lib/addons/util.ts` `trapConfirmationRequired` does too.
 */
export function isConfirmationRequired(error: unknown): boolean {
  return isHerokuApiError(error) && error.herokuId === "confirmation_required";
}

/**
 * Prefixes an error with the resource it concerns — `heroku App "mipedido-api": 422 invalid_params: Name is
 * already taken` — keeping the original's fields (status, herokuId, id/properties of a partial state...) so
 * callers and the dynamic-provider host still see them. Errors already prefixed are returned unchanged.
 */
export function inResourceContext(kind: string, name: string, error: unknown): Error {
  const prefix = `heroku ${kind} "${name}": `;
  if (error instanceof Error && error.message.startsWith(prefix)) return error;
  const original = error instanceof Error ? error : new Error(String(error));
  const wrapped = Object.assign(new Error(prefix + original.message, { cause: original }), original);
  wrapped.name = original.name;
  return wrapped;
}

/**
 * The shape the Pulumi dynamic-provider host recognises as "created, but failed to initialise": any thrown
 * object with `id` (and `properties`, `reasons`). The SDK has no named class for it: its host
 * (`cmd/dynamic-provider`, `grpcResponseFromError`, used by Create and Update only) packs these fields into an
 * `ErrorResourceInitFailed` detail, and the engine then records the resource with that id and those
 * properties in the state, reports the error, and on the next `pulumi up` calls Update on it.
 */
export interface PartialStateError extends Error {
  /** Id of the resource that does exist. */
  id: string;
  /**
   * Outputs to record. MUST include `__provider` (spread the inputs), or later operations on the state, which
   * deserialize the provider from it, fail.
   */
  properties: Record<string, unknown>;
  /** Why initialisation is incomplete, shown by the engine. */
  reasons: string[];
}

/** Builds a {@link PartialStateError} whose message is `cause`'s, prefixed with `kind "name"`. */
export function partialStateError(
  kind: string,
  name: string,
  cause: unknown,
  id: string,
  properties: Record<string, unknown>,
): PartialStateError {
  const error = inResourceContext(kind, name, cause) as PartialStateError;
  error.id = id;
  error.properties = properties;
  error.reasons = [error.message];
  return error;
}
