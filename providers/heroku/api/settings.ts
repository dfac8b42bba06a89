// Where the Heroku client takes its credentials and tuning from. Everything is read when a request is made,
// never when the module loads, so that nothing here is captured into a serialized dynamic provider: the state
// holds code, not keys.

/** Settings of one Heroku Platform API call. Resolved per call by {@link resolveClientSettings}. */
export interface HerokuClientSettings {
  /** Bearer token for `Authorization`. Never logged, never stored in state. */
  apiKey: string;
  /**
   * API root, without trailing slash. From `HEROKU_API_URL`.
   * @default "https://api.heroku.com"
   */
  baseUrl: string;
  /**
   * Attempts per request, the first included, for server errors (5xx) and dropped connections. 429s are bounded
   * by {@link rateLimitBudgetMs} instead.
   * From `HEROKU_MAX_ATTEMPTS`.
   * @default 7
   */
  maxAttempts: number;
  /**
   * Base of the exponential backoff: attempt n waits about `base * 2^(n-1)` (with jitter).
   * From `HEROKU_RETRY_BASE_MS`.
   * @default 500
   */
  retryBaseDelayMs: number;
  /**
   * Ceiling of any single wait between attempts, `Retry-After` included. From `HEROKU_RETRY_MAX_DELAY_MS`.
   * @default 60000
   */
  retryMaxDelayMs: number;
  /**
   * Tokens of the account's rate-limit bucket this process leaves for other clients (the Heroku CLI, the clock
   * app): once the estimate of what is left (see rateLimiter.ts) reaches it, requests wait for the refill.
   * From `HEROKU_RATE_LIMIT_RESERVE`.
   * @default 50
   */
  rateLimitReserve: number;
  /**
   * Milliseconds per token Heroku refills (about 75 a minute): the pace of requests once the bucket is down to
   * the reserve, process-wide. 0 turns client-side pacing off. From `HEROKU_RATE_LIMIT_PACE_MS`.
   * @default 800
   */
  rateLimitPaceMs: number;
  /**
   * How long one call keeps retrying 429s before giving up, from its first attempt. Minutes, not attempts: an
   * emptied bucket refills at 75 tokens a minute, and a deployment that gives up mid-way leaves more to redo
   * than one that waits (heroku-go, which terraform-provider-heroku uses, retries 429s with no time limit).
   * From `HEROKU_RATE_LIMIT_BUDGET_MS`.
   * @default 900000 (15 minutes)
   */
  rateLimitBudgetMs: number;
  /**
   * Abort a single HTTP exchange after this long (then it counts as a dropped connection).
   * From `HEROKU_REQUEST_TIMEOUT_MS`.
   * @default 60000
   */
  requestTimeoutMs: number;
  /**
   * Interval between polls of slow operations (add-on provisioning, release phase, app readiness).
   * From `HEROKU_POLL_INTERVAL_MS`.
   * @default 5000
   */
  pollIntervalMs: number;
}

const DEFAULT_BASE_URL = "https://api.heroku.com";

// Key on globalThis where `configure` leaves a key read from stack config. A plain string key, not a Symbol:
// Pulumi's closure serializer cannot carry a registered Symbol across (it would mint a different one).
const CONFIGURED_KEY_SLOT = "__multicloudHerokuConfiguredApiKey";

/**
 * Remembers an API key read from stack config by a provider's `configure`, for the rest of this process (the
 * dynamic-provider host). Kept on `globalThis`, not on the provider object, so no later serialization of a
 * provider in this process can capture it. An empty or missing value is ignored.
 */
export function rememberConfiguredApiKey(apiKey: string | undefined): void {
  if (typeof apiKey === "string" && apiKey.trim() !== "") {
    (globalThis as Record<string, unknown>)[CONFIGURED_KEY_SLOT] = apiKey.trim();
  }
}

/** The key remembered by {@link rememberConfiguredApiKey}, if any. */
function configuredApiKey(): string | undefined {
  const value = (globalThis as Record<string, unknown>)[CONFIGURED_KEY_SLOT];
  return typeof value === "string" ? value : undefined;
}

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const parsed = Number(raw);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

/**
 * Settings for the next call: the API key from stack config (`heroku:apiKey`, via
 * `configure`) or else `HEROKU_API_KEY`; everything else from the environment, with the documented defaults.
 * Throws when no key is available, naming both ways to provide one.
 */
export function resolveClientSettings(): HerokuClientSettings {
  const apiKey = configuredApiKey() ?? process.env.HEROKU_API_KEY?.trim();
  if (!apiKey) {
    throw new Error(
      "no Heroku API key: set HEROKU_API_KEY in the environment that runs `pulumi`, " +
        "or the secret stack config `heroku:apiKey` (pulumi config set --secret heroku:apiKey ...)",
    );
  }
  return {
    apiKey,
    baseUrl: (process.env.HEROKU_API_URL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, ""),
    maxAttempts: Math.max(1, Math.floor(numberFromEnv("HEROKU_MAX_ATTEMPTS", 7))),
    retryBaseDelayMs: numberFromEnv("HEROKU_RETRY_BASE_MS", 500),
    retryMaxDelayMs: numberFromEnv("HEROKU_RETRY_MAX_DELAY_MS", 60_000),
    rateLimitReserve: numberFromEnv("HEROKU_RATE_LIMIT_RESERVE", 50),
    rateLimitPaceMs: numberFromEnv("HEROKU_RATE_LIMIT_PACE_MS", 800),
    rateLimitBudgetMs: numberFromEnv("HEROKU_RATE_LIMIT_BUDGET_MS", 900_000),
    requestTimeoutMs: numberFromEnv("HEROKU_REQUEST_TIMEOUT_MS", 60_000),
    pollIntervalMs: numberFromEnv("HEROKU_POLL_INTERVAL_MS", 5_000),
  };
}
