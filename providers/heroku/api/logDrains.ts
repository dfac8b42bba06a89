// Log drains: https://devcenter.heroku.com/articles/platform-api-reference#log-drain
import type { LogDrain } from "@heroku-cli/schema";
import { herokuRequest, segment } from "./client";
import { isNotFound } from "./errors";

/** Adds a log drain (syslog or HTTPS URL; may embed credentials, so treat it as a secret). */
export async function createLogDrain(app: string, url: string): Promise<LogDrain> {
  return (await herokuRequest<LogDrain>({ method: "POST", path: `/apps/${segment(app)}/log-drains`, body: { url } })).body;
}

/** All drains of the app. */
export async function listLogDrains(app: string): Promise<LogDrain[]> {
  return (await herokuRequest<LogDrain[]>({ method: "GET", path: `/apps/${segment(app)}/log-drains` })).body ?? [];
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
