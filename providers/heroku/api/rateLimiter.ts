// One client-side token bucket for every Heroku call made in this process.
//
// Heroku limits each account to a bucket of 4,500 request tokens refilled at about 75 a minute, and reports what
// is left in `RateLimit-Remaining` on every answer (Platform API reference, "Rate Limits"). The Pulumi engine
// creates independent resources in parallel, all in ONE dynamic-provider host process, but each resource's
// provider is deserialized on its own, so a module variable here would exist once per provider text. The bucket
// therefore lives on `globalThis` under a fixed string key, where every deserialized copy finds the same one.
//
// The model: we mirror the server's bucket. Each answer's `RateLimit-Remaining` resets our count (less the
// requests still in flight, which the server has not counted yet); between answers the count refills at
// Heroku's rate. A request goes out only when the count is above `reserve` (tokens left for the user's CLI or
// the clock app sharing the account); otherwise it waits, in arrival order, for the refill. Until the first
// answer tells us the count, one request at a time goes out.

import { sleep } from "./retry";

/** Heroku's documented bucket size; our estimate never refills above it. */
export const HEROKU_RATE_LIMIT_CAPACITY = 4500;

const LIMITER_SLOT = "__multicloudHerokuRateLimiter";

/** The process-wide limiter state (plain data, so any copy of this code can use it). */
export interface RateLimiterState {
  /** Tokens we believe the account holds as of `checkedAt`; undefined until an answer said. */
  tokens: number | undefined;
  /** When `tokens` was last brought up to date (ms since epoch). */
  checkedAt: number;
  /** Requests sent and not answered yet. */
  inFlight: number;
  /** True once any answer (or failure) came back: without a count then, the server gives none. */
  answered: boolean;
  /** No request may go out before this time (a 429's `Retry-After`). */
  pausedUntil: number;
  /** Tail of the queue of callers waiting for a token (first come, first served). */
  queue: Promise<void>;
  /** Wakes callers waiting for the first answer. */
  wakeUps: (() => void)[];
}

/** Tuning of {@link acquireRateLimitToken}. */
export interface RateLimitOptions {
  /** Milliseconds per refilled token (Heroku: 75 a minute, 800 ms). 0 turns the limiter off. */
  paceMs: number;
  /** Tokens left untouched for other clients of the account. */
  reserve: number;
}

/** The limiter every Heroku call of this process shares. */
export function rateLimiterState(): RateLimiterState {
  const holder = globalThis as Record<string, unknown>;
  let state = holder[LIMITER_SLOT] as RateLimiterState | undefined;
  if (!state) {
    state = { tokens: undefined, checkedAt: Date.now(), inFlight: 0, answered: false, pausedUntil: 0, queue: Promise.resolve(), wakeUps: [] };
    holder[LIMITER_SLOT] = state;
  }
  return state;
}

/** Forgets everything learnt (tests). */
export function resetRateLimiter(): void {
  delete (globalThis as Record<string, unknown>)[LIMITER_SLOT];
}

/** Brings `state.tokens` up to `now` at one token per `paceMs`, never above Heroku's capacity. */
function refill(state: RateLimiterState, now: number, paceMs: number): void {
  if (state.tokens !== undefined && paceMs > 0 && now > state.checkedAt) {
    state.tokens = Math.min(HEROKU_RATE_LIMIT_CAPACITY, state.tokens + (now - state.checkedAt) / paceMs);
  }
  state.checkedAt = Math.max(state.checkedAt, now);
}

/**
 * How long a request must wait before it may go out (0: now), given the state brought up to `now`:
 * until a 429's pause ends; until the first answer when the count is unknown and a request is in flight
 * (`Infinity`: wait for a wake-up); until enough tokens refilled when the count is at or below `reserve`.
 */
export function tokenWaitMs(state: RateLimiterState, now: number, options: RateLimitOptions): number {
  if (options.paceMs <= 0) return 0;
  if (state.pausedUntil > now) return state.pausedUntil - now;
  if (state.tokens === undefined) return state.answered || state.inFlight === 0 ? 0 : Infinity;
  const missing = options.reserve + 1 - state.tokens;
  return missing > 0 ? Math.ceil(missing * options.paceMs) : 0;
}

async function waitForToken(state: RateLimiterState, options: RateLimitOptions): Promise<void> {
  for (;;) {
    const now = Date.now();
    refill(state, now, options.paceMs);
    const wait = tokenWaitMs(state, now, options);
    if (wait === 0) break;
    if (wait === Infinity) await new Promise<void>((resolve) => state.wakeUps.push(resolve));
    else await sleep(wait);
  }
  if (state.tokens !== undefined && options.paceMs > 0) state.tokens -= 1;
  state.inFlight++;
}

/**
 * Waits for this caller's turn and a token, then counts the request as in flight. Every call must be followed
 * by exactly one {@link settleRateLimitToken}, whatever happens to the request.
 */
export async function acquireRateLimitToken(options: RateLimitOptions): Promise<void> {
  const state = rateLimiterState();
  const turn = state.queue.then(() => waitForToken(state, options));
  state.queue = turn.catch(() => undefined);
  await turn;
}

/** What an answer said about the budget. */
export interface RateLimitAnswer {
  /** The `RateLimit-Remaining` header, if the answer had one (none when the connection dropped). */
  remaining?: string | null;
  /** The answer's status (0 when none came). */
  status: number;
  /** For a 429: how long its `Retry-After` asked every client of the account to wait. */
  retryAfterMs?: number;
}

/** Records an answer (or a failure) to a request that {@link acquireRateLimitToken} let out. */
export function settleRateLimitToken(answer: RateLimitAnswer): void {
  const state = rateLimiterState();
  const now = Date.now();
  state.inFlight = Math.max(0, state.inFlight - 1);
  state.answered = true;
  const remaining = answer.remaining === null || answer.remaining === undefined ? NaN : Number(answer.remaining);
  if (answer.status === 429) {
    // The bucket is empty whatever the header says; requests still in flight will find it empty too.
    state.tokens = 0;
    state.checkedAt = now;
    if (answer.retryAfterMs !== undefined) state.pausedUntil = Math.max(state.pausedUntil, now + answer.retryAfterMs);
  } else if (Number.isFinite(remaining)) {
    // The server has not counted the requests still in flight yet: each will take one.
    state.tokens = Math.max(0, remaining - state.inFlight);
    state.checkedAt = now;
  }
  for (const wake of state.wakeUps.splice(0)) wake();
}
