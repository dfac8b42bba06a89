// Log drains: https://devcenter.heroku.com/articles/platform-api-reference#log-drain
import type { LogDrain } from "@heroku-cli/schema";
import { herokuList, herokuRequest, segment } from "./client";
import { isHerokuApiError, isNotFound } from "./errors";
import { pollUntil } from "./poll";
import { resolveClientSettings } from "./settings";

/**
 * How long a drain request keeps being retried while a new app has no log channel yet: terraform-provider-heroku
 * retries the same error for 2 minutes (`resource_heroku_drain.go`, `resourceHerokuDrainCreate`).
 */
export const LOG_CHANNEL_WAIT_MS = 120_000;

/**
 * True for Heroku's refusal of a drain on an app just created: "App hasn't yet been assigned a log channel.
 * Please try again momentarily." (the text terraform-provider-heroku matches, `retryableError` in
 * `resource_heroku_drain.go`). Matched on the message, as terraform does; the status (422 here) is not published.
 */
export function isLogChannelPending(error: unknown): boolean {
  return isHerokuApiError(error) && error.status >= 400 && error.status < 500 && /log channel/i.test(error.herokuMessage);
}

/**
 * Adds a log drain (syslog or HTTPS URL; may embed credentials, so treat it as a secret). While the app has no
 * log channel yet, tries again for up to `waitMs`: first after a fifth of the poll interval (1 s; "momentarily",
 * says Heroku), then slower (see pollUntil), each attempt paced by the process-wide rate limiter.
 */
export async function createLogDrain(app: string, url: string, waitMs: number = LOG_CHANNEL_WAIT_MS): Promise<LogDrain> {
  return pollUntil(
    `a log channel on app ${app}`,
    async () => {
      try {
        const drain = (await herokuRequest<LogDrain>({ method: "POST", path: `/apps/${segment(app)}/log-drains`, body: { url } })).body;
        return { done: true, value: drain };
      } catch (error) {
        if (!isLogChannelPending(error)) throw error;
        return { done: false, status: (error as Error).message };
      }
    },
    { intervalMs: Math.max(1, resolveClientSettings().pollIntervalMs / 5), timeoutMs: waitMs },
  );
}

/** All drains of the app (every page). */
export async function listLogDrains(app: string): Promise<LogDrain[]> {
  return herokuList<LogDrain>({ path: `/apps/${segment(app)}/log-drains` });
}

/** The drain by id, or undefined on 404. */
export async function findLogDrain(app: string, drain: string): Promise<LogDrain | undefined> {
  try {
    return (await herokuRequest<LogDrain>({ method: "GET", path: `/apps/${segment(app)}/log-drains/${segment(drain)}` })).body;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Removes the drain. Returns false when it was already gone (404). */
export async function deleteLogDrain(app: string, drain: string): Promise<boolean> {
  try {
    await herokuRequest<LogDrain>({ method: "DELETE", path: `/apps/${segment(app)}/log-drains/${segment(drain)}` });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
