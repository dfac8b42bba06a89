// Add-ons and their attachments: https://devcenter.heroku.com/articles/platform-api-reference#add-on
import type { AddOn, AddOnAttachment } from "@heroku-cli/schema";
import { getApp } from "./apps";
import { herokuRequest, segment } from "./client";
import { isNotFound } from "./errors";

/** Body of an add-on creation. */
export interface CreateAddonBody {
  /** `service:plan`, e.g. `heroku-postgresql:essential-0`. */
  plan: string;
  /** Attachment name: the config var prefix (`DATABASE` gives `DATABASE_URL`). */
  attachmentName: string;
  /**
   * The app's NAME, sent as `confirm`. @default looked up from `app` (one GET), since callers hold the app's id
   */
  appName?: string;
}

/**
 * Requests an add-on. Its `state` is usually `provisioning`: wait with {@link getAddon} until `provisioned`.
 *
 * Sends `confirm` with the app's name, as `heroku addons:create --confirm <app>` does (heroku/cli
 * `src/lib/addons/create-addon.ts`, `createAddonRequest`; the schema's `confirm`, "name of billing entity for
 * confirmation"): for the add-ons Heroku wants confirmed it answers 423 `confirmation_required` otherwise (the
 * CLI then asks the user; `pulumi up` is that confirmation already).
 */
export async function createAddon(app: string, body: CreateAddonBody): Promise<AddOn> {
  const confirm = body.appName ?? (await getApp(app)).name;
  return (
    await herokuRequest<AddOn>({
      method: "POST",
      path: `/apps/${segment(app)}/addons`,
      body: { plan: body.plan, attachment: { name: body.attachmentName }, confirm },
    })
  ).body;
}

/** The add-on (by id or global name) as seen from the app; throws a 404 HerokuApiError when absent. */
export async function getAddon(app: string, addon: string): Promise<AddOn> {
  return (await herokuRequest<AddOn>({ method: "GET", path: `/apps/${segment(app)}/addons/${segment(addon)}` })).body;
}

/** Like {@link getAddon}, but undefined on 404. */
export async function findAddon(app: string, addon: string): Promise<AddOn | undefined> {
  try {
    return await getAddon(app, addon);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The attachment with this name on the app (e.g. `DATABASE`), or undefined when there is none. */
export async function findAttachment(app: string, attachmentName: string): Promise<AddOnAttachment | undefined> {
  try {
    return (
      await herokuRequest<AddOnAttachment>({
        method: "GET",
        path: `/apps/${segment(app)}/addon-attachments/${segment(attachmentName)}`,
      })
    ).body;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Changes the add-on's plan in place (only where Heroku can do it without a data copy). */
export async function changeAddonPlan(app: string, addon: string, plan: string): Promise<AddOn> {
  return (
    await herokuRequest<AddOn>({ method: "PATCH", path: `/apps/${segment(app)}/addons/${segment(addon)}`, body: { plan } })
  ).body;
}

/** Destroys the add-on AND ITS DATA. Returns false when it was already gone (404). */
export async function deleteAddon(app: string, addon: string): Promise<boolean> {
  try {
    await herokuRequest<AddOn>({ method: "DELETE", path: `/apps/${segment(app)}/addons/${segment(addon)}` });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
