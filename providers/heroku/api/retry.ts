// When and how long to wait before trying a Heroku call again. Pure functions (plus `sleep`) so the policy can
// be tested without clocks.
//
// Why not `async-retry` / `p-retry`: both compute delays from a fixed exponential schedule and give no way to
// make one particular wait longer (a `Retry-After` of 30 s, or pacing on a low `RateLimit-Remaining`); and a
// package required by the serialized provider must stay resolvable from the dynamic-provider host for as long
// as the state exists (`destroy` runs the old code). The policy below is twenty lines; owning it is cheaper.

/** HTTP statuses worth another attempt: rate limiting and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

// Error codes Node's fetch (undici) reports when a connection is refused, reset or cut mid-response. An
// array, not a Set: Pulumi's closure serializer cannot carry a Set's contents into the provider text.
const DROPPED_CONNECTION_CODES: readonly string[] = [
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
];

/**
 * True when `error` (thrown by `fetch`) means the exchange never completed: a reset or refused connection, a
 * socket closed mid-response, or our own per-request timeout. Such a request may or may not have been processed.
 */
export function isDroppedConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "TimeoutError" || error.name === "AbortError") return true;
  const codes: unknown[] = [];
  for (let e: unknown = error; e instanceof Error && codes.length < 5; e = (e as { cause?: unknown }).cause) {
    codes.push((e as { code?: unknown }).code);
  }
  if (codes.some((code) => typeof code === "string" && DROPPED_CONNECTION_CODES.includes(code))) return true;
  // undici wraps every network failure as `TypeError: fetch failed`, sometimes without a code.
  return error.name === "TypeError" && error.message === "fetch failed";
}

/**
 * Milliseconds asked for by a `Retry-After` header (delta-seconds or an HTTP date), or undefined when the
 * header is absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === "") return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Inputs of {@link retryDelayMs}. */
export interface RetryDelayInput {
  /** The attempt that just failed, from 1. */
  attempt: number;
  /** Backoff base in ms. */
  baseMs: number;
  /** Ceiling of the result in ms. */
  maxMs: number;
  /** What the server's `Retry-After` asked for, if anything. */
  retryAfterMs?: number;
  /** A number in [0, 1): the jitter draw. @default Math.random() */
  random?: number;
}

/**
 * The wait before the next attempt: exponential backoff with "equal jitter" (half fixed, half random, so many
 * clients hitting one 429 spread out without any of them retrying immediately), never shorter than the
 * server's `Retry-After`, never longer than `maxMs`.
 */
export function retryDelayMs(input: RetryDelayInput): number {
  const exponential = Math.min(input.maxMs, input.baseMs * 2 ** Math.max(0, input.attempt - 1));
  const random = input.random ?? Math.random();
  const jittered = exponential / 2 + (exponential / 2) * random;
  const wanted = Math.max(jittered, input.retryAfterMs ?? 0);
  return Math.round(Math.min(input.maxMs, wanted));
}

/** Resolves after `ms` milliseconds (immediately for 0 or less). */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
