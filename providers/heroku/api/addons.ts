// Add-ons and their attachments: https://devcenter.heroku.com/articles/platform-api-reference#add-on
import type { AddOn, AddOnAttachment } from "@heroku-cli/schema";
import { getApp } from "./apps";
import { herokuRequest, segment } from "./client";
import { getConfigVars } from "./configVars";
import { isConfirmationRequired, isNotFound } from "./errors";
import { resolveClientSettings } from "./settings";

/** Body of an add-on creation. */
export interface CreateAddonBody {
  /** `service:plan`, e.g. `heroku-postgresql:essential-0`. */
  plan: string;
  /** Attachment name: the config var prefix (`DATABASE` gives `DATABASE_URL`). */
  attachmentName: string;
  /**
   * The app's NAME, sent as `confirm` when Heroku asks for it. @default looked up from `app` (one GET, only then),
   * since callers hold the app's id
   */
  appName?: string;
}

/**
 * Requests an add-on. Its `state` is usually `provisioning`: wait with {@link getAddon} until `provisioned`.
 *
 * `confirm` (the app's name) is sent only when Heroku asks for it with `confirmation_required`, as the Heroku CLI
 * does (heroku/cli `src/lib/addons/create-addon.ts` with `util.trapConfirmationRequired`): some add-ons ask (billing,
 * Private Space networking; `pulumi up` is that confirmation), but a confirmed creation also OVERWRITES an
 * attachment or config var of the same name (`addons:create --confirm`: "overwrite existing config vars or existing
 * add-on attachments"). So the confirmed request is sent only when neither exists, and only once: the client's
 * retry of a POST whose answer was lost would otherwise overwrite the attachment the first attempt made. A lost
 * answer surfaces as an error with `ambiguous: true`; callers then look for the attachment (addonProvider.ts).
 */
export async function createAddon(app: string, body: CreateAddonBody): Promise<AddOn> {
  const request = (confirm?: string) => ({
    method: "POST" as const,
    path: `/apps/${segment(app)}/addons`,
    body: { plan: body.plan, attachment: { name: body.attachmentName }, ...(confirm !== undefined ? { confirm } : {}) },
  });
  try {
    return (await herokuRequest<AddOn>(request())).body;
  } catch (error) {
    if (!isConfirmationRequired(error)) throw error;
    // Heroku's reason is in its message; what we can check is whether confirming would overwrite something.
    if (await findAttachment(app, body.attachmentName)) throw error;
    const configVar = `${body.attachmentName}_URL`;
    const appName = body.appName ?? (await getApp(app)).name;
    if (configVar in (await getConfigVars(app))) {
      throw new Error(
        `${configVar} is already set on app ${appName}, and the add-on would overwrite it: unset it ` +
          `(heroku config:unset ${configVar} -a ${appName}) or choose another attachment name`,
      );
    }
    return (await herokuRequest<AddOn>(request(appName), { ...resolveClientSettings(), maxAttempts: 1 })).body;
  }
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
