// One function that talks to the Heroku Platform API v3: authentication, JSON, retries with backoff, rate-limit
// pacing and readable errors. Endpoint modules (apps.ts, addons.ts, ...) are thin typed wrappers around it.
import { herokuApiError } from "./errors";
import { acquireRateLimitToken, settleRateLimitToken } from "./rateLimiter";
import { isDroppedConnection, isRetryableStatus, parseRetryAfterMs, retryDelayMs, sleep } from "./retry";
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
  /** HTTP status (2xx; 206 for a list page with more after it). */
  status: number;
  /** Parsed JSON body (`undefined` when the body was empty). */
  body: T;
  /** The `Next-Range` header of a 206 list page: the `Range` to send for the next page. */
  nextRange?: string;
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
 * Calls the API and returns the parsed JSON. Every attempt first takes a token from the process-wide rate
 * limiter (rateLimiter.ts), so parallel resources pace themselves together. Retries 429s for up to
 * `rateLimitBudgetMs`, and 5xx and dropped connections up to `maxAttempts`, with exponential backoff and
 * jitter (honouring `Retry-After`). Throws a `HerokuApiError` (see errors.ts) for any other status, or when the
 * retries run out. Errors carry the method and path, never the key or the body.
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
  const limits = { paceMs: settings.rateLimitPaceMs, reserve: settings.rateLimitReserve };
  const started = Date.now();
  let ambiguous = false;
  let failures = 0; // 5xx and dropped connections, bounded by maxAttempts
  let rateLimited = 0; // 429s, bounded by the time budget

  for (;;) {
    await acquireRateLimitToken(limits);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(settings.requestTimeoutMs),
      });
    } catch (error) {
      settleRateLimitToken({ status: 0 });
      if (!isDroppedConnection(error)) throw error;
      if (request.method !== "GET") ambiguous = true;
      if (++failures >= settings.maxAttempts) throw connectionFailure(request, failures, error, ambiguous);
      await sleep(retryDelayMs({ attempt: failures, baseMs: settings.retryBaseDelayMs, maxMs: settings.retryMaxDelayMs }));
      continue;
    }
    const retryAfterMs = parseRetryAfterMs(response.headers.get("Retry-After"));
    settleRateLimitToken({ status: response.status, remaining: response.headers.get("RateLimit-Remaining"), retryAfterMs });
    try {
      // A connection cut while the body streams is the same as one dropped before the answer.
      text = await response.text();
    } catch (error) {
      if (!isDroppedConnection(error)) throw error;
      if (request.method !== "GET") ambiguous = true;
      if (++failures >= settings.maxAttempts) throw connectionFailure(request, failures, error, ambiguous);
      await sleep(retryDelayMs({ attempt: failures, baseMs: settings.retryBaseDelayMs, maxMs: settings.retryMaxDelayMs }));
      continue;
    }

    if (response.ok) {
      return {
        status: response.status,
        body: (text === "" ? undefined : JSON.parse(text)) as T,
        nextRange: response.headers.get("Next-Range") ?? undefined,
      };
    }
    const elapsed = Date.now() - started;
    if (response.status === 429 && elapsed < settings.rateLimitBudgetMs) {
      const wait = retryDelayMs({ attempt: ++rateLimited, baseMs: settings.retryBaseDelayMs, maxMs: settings.retryMaxDelayMs, retryAfterMs });
      await sleep(Math.min(wait, settings.rateLimitBudgetMs - elapsed));
      continue;
    }
    if (response.status !== 429 && isRetryableStatus(response.status) && ++failures < settings.maxAttempts) {
      if (request.method !== "GET") ambiguous = true;
      await sleep(retryDelayMs({ attempt: failures, baseMs: settings.retryBaseDelayMs, maxMs: settings.retryMaxDelayMs, retryAfterMs }));
      continue;
    }
    const details = errorDetails(response.status, text);
    const gaveUp = response.status === 429 ? ` (still rate limited after ${Math.round(elapsed / 1000)}s of retries)` : "";
    throw herokuApiError({
      status: response.status,
      herokuId: details.id,
      herokuMessage: details.message + gaveUp,
      method: request.method,
      path: request.path,
      ambiguous,
    });
  }
}

/** Page size asked of list endpoints: the Platform API's maximum (reference, "Ranges"). */
export const LIST_PAGE_SIZE = 1000;

/**
 * GETs a whole list: asks for pages of {@link LIST_PAGE_SIZE} sorted by `id` (unless `range` says otherwise) and,
 * while Heroku answers 206 Partial Content, asks again with the `Range` its `Next-Range` header gave, as the
 * Platform API reference ("Ranges") and the Heroku CLI (`src/lib/utils/paginator.ts`) do. Every page goes
 * through {@link herokuRequest} (limiter, retries).
 */
export async function herokuList<T>(
  request: Omit<HerokuRequest, "method" | "body">,
  settings: HerokuClientSettings = resolveClientSettings(),
): Promise<T[]> {
  const items: T[] = [];
  let range = request.range ?? `id ..; max=${LIST_PAGE_SIZE}`;
  for (;;) {
    const page = await herokuRequest<T[]>({ ...request, method: "GET", range }, settings);
    items.push(...(page.body ?? []));
    if (page.status !== 206 || !page.nextRange) return items;
    if (page.nextRange === range) {
      throw new Error(`GET ${request.path}: the API answered the same Next-Range twice (${range}); stopping to avoid a loop`);
    }
    range = page.nextRange;
  }
}

/** Encodes one path segment (an app name, an add-on name, a hostname...). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
