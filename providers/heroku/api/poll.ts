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

/**
 * Calls `probe` every `intervalMs` until it reports done, and returns its value. After `timeoutMs` throws a
 * PollTimeoutError "timed out after Ns waiting for <what> (last status: ...)". Errors from `probe` propagate.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<PollOutcome<T>>,
  options: { intervalMs: number; timeoutMs: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const outcome = await probe();
    if (outcome.done) return outcome.value;
    if (Date.now() + options.intervalMs > deadline) {
      const error = new Error(
        `timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${what} (last status: ${outcome.status})`,
      ) as PollTimeoutError;
      error.name = "PollTimeoutError";
      error.lastStatus = outcome.status;
      throw error;
    }
    await sleep(options.intervalMs);
  }
}
