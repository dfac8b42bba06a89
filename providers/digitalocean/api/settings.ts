// Where and how the DigitalOcean API client calls: the token, the API root and the retry/poll knobs. Runs in the
// dynamic-provider host: the token is read there (stack config through `configure`, or the environment), kept on
// `globalThis` (module state is per provider text, and nothing on `globalThis` is ever serialized), never in the
// program's memory.

/** The `globalThis` key holding the token a provider's `configure` read from `digitalocean:token`. */
const TOKEN_KEY = "__multicloudDigitaloceanToken";

/** Remembers the token from stack config (ignored when absent or empty). */
export function rememberConfiguredToken(token: string | undefined): void {
  if (typeof token === "string" && token.trim() !== "") (globalThis as Record<string, unknown>)[TOKEN_KEY] = token.trim();
}

/** Everything a call needs. */
export interface DigitaloceanClientSettings {
  /** Personal access token: `digitalocean:token` (secret stack config) first, then `DIGITALOCEAN_TOKEN`. */
  token: string;
  /** API root, no trailing slash. `DIGITALOCEAN_API_URL`, @default "https://api.digitalocean.com" */
  baseUrl: string;
  /** Attempts for a 5xx or a dropped connection. `DIGITALOCEAN_MAX_ATTEMPTS`, @default 5 */
  maxAttempts: number;
  /** Backoff base. `DIGITALOCEAN_RETRY_BASE_MS`, @default 1000 */
  retryBaseDelayMs: number;
  /** Longest single wait. `DIGITALOCEAN_RETRY_MAX_DELAY_MS`, @default 60000 */
  retryMaxDelayMs: number;
  /** How long 429s are retried (DigitalOcean: 5,000 requests an hour, 250 a minute). `DIGITALOCEAN_RATE_LIMIT_BUDGET_MS`, @default 600000 */
  rateLimitBudgetMs: number;
  /** Per-request timeout. `DIGITALOCEAN_REQUEST_TIMEOUT_MS`, @default 60000 */
  requestTimeoutMs: number;
  /** Deployment polling interval (terraform's WaitForAppDeployment polls every 10 s). `DIGITALOCEAN_POLL_INTERVAL_MS`, @default 10000 */
  pollIntervalMs: number;
  /** How long a deployment may take (terraform's default create timeout: 30 min). `DIGITALOCEAN_DEPLOY_TIMEOUT_MS`, @default 1800000 */
  deployTimeoutMs: number;
}

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** The settings now; throws (naming both ways to set it, never a value) when there is no token. */
export function resolveClientSettings(): DigitaloceanClientSettings {
  const configured = (globalThis as Record<string, unknown>)[TOKEN_KEY];
  const token = typeof configured === "string" ? configured : (process.env.DIGITALOCEAN_TOKEN ?? "").trim();
  if (!token) {
    throw new Error("no DigitalOcean token: set it with `pulumi config set --secret digitalocean:token <token>` or DIGITALOCEAN_TOKEN in the environment of `pulumi`");
  }
  return {
    token,
    baseUrl: (process.env.DIGITALOCEAN_API_URL ?? "https://api.digitalocean.com").replace(/\/+$/, ""),
    maxAttempts: Math.max(1, numberFromEnv("DIGITALOCEAN_MAX_ATTEMPTS", 5)),
    retryBaseDelayMs: numberFromEnv("DIGITALOCEAN_RETRY_BASE_MS", 1000),
    retryMaxDelayMs: numberFromEnv("DIGITALOCEAN_RETRY_MAX_DELAY_MS", 60_000),
    rateLimitBudgetMs: numberFromEnv("DIGITALOCEAN_RATE_LIMIT_BUDGET_MS", 600_000),
    requestTimeoutMs: numberFromEnv("DIGITALOCEAN_REQUEST_TIMEOUT_MS", 60_000),
    pollIntervalMs: numberFromEnv("DIGITALOCEAN_POLL_INTERVAL_MS", 10_000),
    deployTimeoutMs: numberFromEnv("DIGITALOCEAN_DEPLOY_TIMEOUT_MS", 1_800_000),
  };
}
