// One function that calls the DigitalOcean API v2: bearer token, JSON, retries and readable errors. Runs in the
// dynamic-provider host (no package at run time). The retry policy's pure functions are the Heroku client's
// (`../../heroku/api/retry.ts`: exponential backoff with equal jitter, `Retry-After`, dropped connections).
import { isDroppedConnection, isRetryableStatus, parseRetryAfterMs, retryDelayMs, sleep } from "../../heroku/api/retry";
import { resolveClientSettings, type DigitaloceanClientSettings } from "./settings";

/** One call. */
export interface DigitaloceanRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under the API root, e.g. `/v2/apps/<id>`; segments already URI-encoded. */
  path: string;
  /** JSON body. */
  body?: unknown;
}

/** An API failure: status, DigitalOcean's error id, the method and path; never the token or a request body. */
export interface DigitaloceanApiError extends Error {
  status: number;
  /** DigitalOcean's `id` (`not_found`, `unprocessable_entity`...) or `http_<status>`. */
  apiId: string;
  /** True when an earlier attempt of this non-GET call may have been applied (5xx or a lost answer, then retried). */
  ambiguous: boolean;
}

/** Builds a {@link DigitaloceanApiError}. A plain Error with fields: classes do not survive into provider texts well. */
export function apiError(status: number, apiId: string, message: string, request: DigitaloceanRequest, ambiguous: boolean): DigitaloceanApiError {
  return Object.assign(new Error(`DigitalOcean ${request.method} ${request.path}: ${status ? `${status} ` : ""}${apiId}${message ? `: ${message}` : ""}`), {
    status,
    apiId,
    ambiguous,
  });
}

/** True for a {@link DigitaloceanApiError} with this status. */
export function hasStatus(error: unknown, status: number): boolean {
  return typeof error === "object" && error !== null && (error as { status?: unknown }).status === status;
}

/** DigitalOcean's error body is `{id, message, request_id}`. */
function errorDetails(status: number, text: string): { id: string; message: string } {
  try {
    const parsed = JSON.parse(text) as { id?: unknown; message?: unknown };
    return { id: typeof parsed.id === "string" ? parsed.id : `http_${status}`, message: typeof parsed.message === "string" ? parsed.message : "" };
  } catch {
    return { id: `http_${status}`, message: text.trim().slice(0, 200) };
  }
}

/**
 * How long a 429 asks to wait: `Retry-After` when sent; otherwise, with `RateLimit-Remaining: 0`, until
 * `RateLimit-Reset` (Unix seconds; godo `godo.go` reads these three headers).
 */
export function rateLimitWaitMs(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = parseRetryAfterMs(headers.get("Retry-After"), now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(headers.get("RateLimit-Reset"));
  if (headers.get("RateLimit-Remaining") === "0" && Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return undefined;
}

/**
 * Calls the API and returns the parsed JSON (undefined for an empty body). 429s are retried for up to
 * `rateLimitBudgetMs` (waiting as the headers ask); 5xx and dropped connections up to `maxAttempts` with backoff,
 * non-GET calls included, marking the final error `ambiguous` so a creator can look for what an earlier attempt
 * made. Any other status throws at once.
 */
export async function digitaloceanRequest<T>(request: DigitaloceanRequest, settings: DigitaloceanClientSettings = resolveClientSettings()): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${settings.token}`, Accept: "application/json", "User-Agent": "multicloud-pulumi-digitalocean" };
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const started = Date.now();
  let ambiguous = false;
  let failures = 0;
  let rateLimited = 0;
  const backoff = (retryAfterMs?: number) => retryDelayMs({ attempt: failures, baseMs: settings.retryBaseDelayMs, maxMs: settings.retryMaxDelayMs, retryAfterMs });
  for (;;) {
    let response: Response;
    let text: string;
    try {
      response = await fetch(settings.baseUrl + request.path, { method: request.method, headers, body, signal: AbortSignal.timeout(settings.requestTimeoutMs) });
      text = await response.text();
    } catch (error) {
      if (!isDroppedConnection(error)) throw error;
      if (request.method !== "GET") ambiguous = true;
      if (++failures >= settings.maxAttempts) {
        throw apiError(0, "connection_failed", `no answer after ${failures} attempts: ${error instanceof Error ? error.message : String(error)}`, request, ambiguous);
      }
      await sleep(backoff());
      continue;
    }
    if (response.ok) return (text === "" ? undefined : JSON.parse(text)) as T;
    const elapsed = Date.now() - started;
    if (response.status === 429 && elapsed < settings.rateLimitBudgetMs) {
      const wait = retryDelayMs({ attempt: ++rateLimited, baseMs: settings.retryBaseDelayMs, maxMs: settings.retryMaxDelayMs, retryAfterMs: rateLimitWaitMs(response.headers) });
      await sleep(Math.min(wait, settings.rateLimitBudgetMs - elapsed));
      continue;
    }
    if (response.status !== 429 && isRetryableStatus(response.status) && ++failures < settings.maxAttempts) {
      if (request.method !== "GET") ambiguous = true;
      await sleep(backoff(parseRetryAfterMs(response.headers.get("Retry-After"))));
      continue;
    }
    const details = errorDetails(response.status, text);
    throw apiError(response.status, details.id, details.message, request, ambiguous || (request.method !== "GET" && response.status >= 500));
  }
}
