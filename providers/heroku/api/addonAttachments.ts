// Add-on attachments: one add-on made visible in another app, whose `<NAME>_URL` config var Heroku then keeps
// current there (credential rotations included). https://devcenter.heroku.com/articles/platform-api-reference#add-on-attachment
// Finding an attachment by app and name is `findAttachment` in ./addons.ts (add-on creation uses it too).
import type { AddOnAttachment } from "@heroku-cli/schema";
import { herokuList, herokuRequest, segment } from "./client";
import { isNotFound } from "./errors";

/** Body of an attachment creation. */
export interface CreateAddonAttachmentBody {
  /** The add-on, by id (preferably) or global name. */
  addon: string;
  /** The app to attach it to, by id or name. */
  app: string;
  /** The attachment name on that app: its config var prefix (`DATABASE` gives `DATABASE_URL`). */
  name: string;
}

/** Attaches an add-on to an app; Heroku sets `<name>_URL` on that app (a release) and keeps it current. */
export async function createAddonAttachment(body: CreateAddonAttachmentBody): Promise<AddOnAttachment> {
  return (
    await herokuRequest<AddOnAttachment>({ method: "POST", path: "/addon-attachments", body: { addon: body.addon, app: body.app, name: body.name } })
  ).body;
}

/** The attachment by id, or undefined on 404. */
export async function findAddonAttachment(id: string): Promise<AddOnAttachment | undefined> {
  try {
    return (await herokuRequest<AddOnAttachment>({ method: "GET", path: `/addon-attachments/${segment(id)}` })).body;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Every attachment visible in the app: its own add-ons' and the ones attached to it (every page). */
export async function listAppAddonAttachments(app: string): Promise<AddOnAttachment[]> {
  return herokuList<AddOnAttachment>({ path: `/apps/${segment(app)}/addon-attachments` });
}

/** Detaches (never deletes the add-on): Heroku removes `<name>_URL` from the app. False when already gone (404). */
export async function deleteAddonAttachment(id: string): Promise<boolean> {
  try {
    await herokuRequest<AddOnAttachment>({ method: "DELETE", path: `/addon-attachments/${segment(id)}` });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
