// One function that talks to the Heroku Platform API v3: authentication, JSON, retries with backoff, rate-limit
// pacing and readable errors. Endpoint modules (apps.ts, addons.ts, ...) are thin typed wrappers around it.
import { herokuApiError } from "./errors";
import { isDroppedConnection, isRetryableStatus, parseRetryAfterMs, rateLimitPauseMs, retryDelayMs, sleep } from "./retry";
import { resolveClientSettings } from "./settings";
import type { HerokuClientSettings } from "./settings";

/** One call to the Platform API. */
export interface HerokuRequest {
  /** HTTP method. */
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path under the API root, starting with `/`; path segments must already be URI-encoded. */
  path: string;
  /** JSON body, if any. */
  body?: unknown;
  /**
   * Variant appended to the API version in `Accept`, e.g. `docker-releases` for
   * `application/vnd.heroku+json; version=3.docker-releases`.
   * @default none (plain version 3)
   */
  variant?: string;
  /** `Range` header for list endpoints, e.g. `version ..; max=1, order=desc`. @default none */
  range?: string;
}

/** A successful answer. */
export interface HerokuResponse<T> {
  /** HTTP status (2xx). */
  status: number;
  /** Parsed JSON body (`undefined` when the body was empty). */
  body: T;
}

// Process-wide memory of the last `RateLimit-Remaining`: every provider deserialized in this process (one
// dynamic-provider host per deployment) shares Heroku's per-account budget, so they share the pacing too.
const RATE_LIMIT_SLOT = "__multicloudHerokuRateLimitRemaining";

function lastRemaining(): number | undefined {
  const value = (globalThis as Record<string, unknown>)[RATE_LIMIT_SLOT];
  return typeof value === "number" ? value : undefined;
}

function rememberRemaining(header: string | null): void {
  if (header === null) return;
  const remaining = Number(header);
  if (Number.isFinite(remaining)) (globalThis as Record<string, unknown>)[RATE_LIMIT_SLOT] = remaining;
}

function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error && parts.length < 3; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === "string" ? `${e.message} (${code})` : e.message);
  }
  return parts.join(": ") || String(error);
}

function connectionFailure(request: HerokuRequest, attempts: number, error: unknown, ambiguous: boolean): Error {
  return herokuApiError({
    status: 0,
    herokuId: "connection_failed",
    herokuMessage: `no answer after ${attempts} attempts: ${describeNetworkError(error)}`,
    method: request.method,
    path: request.path,
    ambiguous,
  });
}

/** Reads Heroku's error body `{id, message}`; falls back to the start of whatever text came back. */
function errorDetails(status: number, text: string): { id: string; message: string } {
  try {
    const parsed = JSON.parse(text) as { id?: unknown; message?: unknown };
    if (typeof parsed.id === "string" || typeof parsed.message === "string") {
      return {
        id: typeof parsed.id === "string" ? parsed.id : `http_${status}`,
        message: typeof parsed.message === "string" ? parsed.message : "",
      };
    }
  } catch {
    // not JSON: a proxy's HTML page or an empty body
  }
  return { id: `http_${status}`, message: text.trim().slice(0, 200) || "(empty response)" };
}

/**
 * Calls the API and returns the parsed JSON. Retries 429, 5xx and dropped connections with exponential backoff
 * and jitter (honouring `Retry-After`), pacing itself while `RateLimit-Remaining` is low. Throws a
 * `HerokuApiError` (see errors.ts) for any other status, or when the attempts run out.
 *
 * Non-GET calls are retried too: a 429 was never applied, and for a 5xx or a cut connection the error carries
 * `ambiguous: true` so creators can look for what the earlier attempt may have made instead of duplicating it.
 */
export async function herokuRequest<T>(
  request: HerokuRequest,
  settings: HerokuClientSettings = resolveClientSettings(),
): Promise<HerokuResponse<T>> {
  const headers: Record<string, string> = {
    Accept: `application/vnd.heroku+json; version=3${request.variant ? `.${request.variant}` : ""}`,
    Authorization: `Bearer ${settings.apiKey}`,
    "User-Agent": "multicloud-pulumi-heroku",
  };
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  if (request.range) headers.Range = request.range;
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const url = settings.baseUrl + request.path;
  let ambiguous = false;

  for (let attempt = 1; ; attempt++) {
    await sleep(rateLimitPauseMs(lastRemaining(), settings.rateLimitLowWatermark, settings.rateLimitPaceMs));

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(settings.requestTimeoutMs),
      });
      rememberRemaining(response.headers.get("RateLimit-Remaining"));
      // A connection cut while the body streams is the same as one dropped before the answer.
      text = await response.text();
    } catch (error) {
      if (!isDroppedConnection(error)) throw error;
      if (request.method !== "GET") ambiguous = true;
      if (attempt >= settings.maxAttempts) throw connectionFailure(request, attempt, error, ambiguous);
      await sleep(retryDelayMs({ attempt, baseMs: settings.retryBaseDelayMs, maxMs: settings.retryMaxDelayMs }));
      continue;
    }

    if (response.ok) {
      return { status: response.status, body: (text === "" ? undefined : JSON.parse(text)) as T };
    }
    if (isRetryableStatus(response.status) && attempt < settings.maxAttempts) {
      if (response.status !== 429 && request.method !== "GET") ambiguous = true;
      const retryAfterMs = parseRetryAfterMs(response.headers.get("Retry-After"));
      await sleep(
        retryDelayMs({ attempt, baseMs: settings.retryBaseDelayMs, maxMs: settings.retryMaxDelayMs, retryAfterMs }),
      );
      continue;
    }
    const details = errorDetails(response.status, text);
    throw herokuApiError({
      status: response.status,
      herokuId: details.id,
      herokuMessage: details.message,
      method: request.method,
      path: request.path,
      ambiguous,
    });
  }
}

/** Encodes one path segment (an app name, an add-on name, a hostname...). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
