// Waiting for Heroku's slow operations (add-on provisioning, release phase) with a bounded poll.
import { sleep } from "./retry";

/** What one poll found. */
export type PollOutcome<T> = { done: true; value: T } | { done: false; status: string };

/** A wait that ran out of time; `lastStatus` says where things stood. */
export interface PollTimeoutError extends Error {
  name: "PollTimeoutError";
  /** What the last poll reported. */
  lastStatus: string;
}

/** True for the error {@link pollUntil} throws when time runs out. */
export function isPollTimeout(error: unknown): error is PollTimeoutError {
  return error instanceof Error && error.name === "PollTimeoutError";
}

/** Timing of {@link pollUntil}. */
export interface PollOptions {
  /** Wait after the first probe; each later wait is 1.5 times the previous one, up to `maxIntervalMs`. */
  intervalMs: number;
  /** Give up after this long. */
  timeoutMs: number;
  /** Longest wait between probes. @default 6 * intervalMs (30 s for the default 5 s interval) */
  maxIntervalMs?: number;
}

/**
 * Calls `probe` until it reports done, and returns its value. The waits between probes start at `intervalMs`
 * and grow to `maxIntervalMs`: a quick operation is seen quickly, and a 20-minute add-on provisioning costs about
 * 40 requests of the account's rate-limit budget instead of 240 (each probe also waits for its token from the
 * process-wide limiter, like any call). After `timeoutMs` throws a PollTimeoutError "timed out after Ns waiting
 * for <what> (last status: ...)". Errors from `probe` propagate.
 */
export async function pollUntil<T>(what: string, probe: () => Promise<PollOutcome<T>>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const maxIntervalMs = options.maxIntervalMs ?? options.intervalMs * 6;
  let intervalMs = options.intervalMs;
  for (;;) {
    const outcome = await probe();
    if (outcome.done) return outcome.value;
    if (Date.now() + intervalMs > deadline) {
      const error = new Error(
        `timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${what} (last status: ${outcome.status})`,
      ) as PollTimeoutError;
      error.name = "PollTimeoutError";
      error.lastStatus = outcome.status;
      throw error;
    }
    await sleep(intervalMs);
    intervalMs = Math.min(maxIntervalMs, intervalMs * 1.5);
  }
}
