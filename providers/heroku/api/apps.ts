// Apps: https://devcenter.heroku.com/articles/platform-api-reference#app
import type { App } from "@heroku-cli/schema";
import { herokuRequest, segment } from "./client";
import { isNotFound } from "./errors";

/** Body of an app creation. */
export interface CreateAppBody {
  /** Globally unique app name; Heroku generates one when omitted. */
  name?: string;
  /** Region name, e.g. `us` or `eu`. */
  region: string;
  /** Stack name: `container` for Docker images, `heroku-24` for buildpacks. */
  stack: string;
  /** Team that owns the app; when set the app is created through `POST /teams/apps`. */
  team?: string;
}

/** Creates an app (a team app when `team` is set). */
export async function createApp(body: CreateAppBody): Promise<App> {
  const path = body.team ? "/teams/apps" : "/apps";
  const payload: Record<string, string> = { region: body.region, stack: body.stack };
  if (body.name) payload.name = body.name;
  if (body.team) payload.team = body.team;
  return (await herokuRequest<App>({ method: "POST", path, body: payload })).body;
}

/** The app with this id or name; throws a 404 HerokuApiError when it does not exist. */
export async function getApp(app: string): Promise<App> {
  return (await herokuRequest<App>({ method: "GET", path: `/apps/${segment(app)}` })).body;
}

/** The app with this id or name, or undefined when Heroku says 404. */
export async function findApp(app: string): Promise<App | undefined> {
  try {
    return await getApp(app);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Renames an app (the only in-place change this project makes to an app). */
export async function renameApp(app: string, name: string): Promise<App> {
  return (await herokuRequest<App>({ method: "PATCH", path: `/apps/${segment(app)}`, body: { name } })).body;
}

/** Deletes an app and everything in it. Returns false when it was already gone (404). */
export async function deleteApp(app: string): Promise<boolean> {
  try {
    await herokuRequest<App>({ method: "DELETE", path: `/apps/${segment(app)}` });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/**
 * Turns on Automated Certificate Management for the app (idempotent). Heroku then requests certificates for
 * custom domains in the background; callers must not wait on `acm_status`, which can take hours (DNS first).
 */
export async function enableAcm(app: string): Promise<App> {
  return (await herokuRequest<App>({ method: "POST", path: `/apps/${segment(app)}/acm` })).body;
}
