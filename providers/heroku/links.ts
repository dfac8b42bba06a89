/**
 * Links of a Heroku app to the stack's own Heroku databases and caches, wired as add-on attachments instead of
 * copied URLs. Heroku rotates add-on credentials (maintenance, failover, `pg:credentials:rotate`) and then updates
 * only the apps the add-on is attached to: a copied `DATABASE_URL` would go stale until the next `pulumi up`.
 * An attachment named `DATABASE` makes Heroku set and keep `DATABASE_URL` on the app.
 *
 * Attached: links to a database or cache on `heroku` in this stack whose env var is `<NAME>_URL` (a valid
 * attachment name). Copied as before: links to parts on other backends, to web services, env names not ending in
 * `_URL` (an attachment can only provide `<NAME>_URL`), and the pieces of a URL a link asks for (`REDIS_HOST`...):
 * Heroku keeps only the attached URL current, so copied pieces follow a credential rotation at the next `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { LinkInfo } from "../backend";
import type { HerokuPlatform } from "./platform";
import type { Addon } from "./resources";
import { AddonAttachment } from "./resources";

/** The backend name links carry for this backend's parts. */
const HEROKU = "heroku";
const URL_VAR = /^([A-Z][A-Z0-9_]*)_URL$/;

/** A link that can be an attachment: the link, the data add-on it points at, and the attachment name. */
export interface AttachableLink {
  /** The link, from `RunInputs.links`. */
  link: LinkInfo;
  /** The add-on of the linked database or cache (owned by the stack's data app). */
  addon: Addon;
  /** The attachment name: the env var without `_URL` (`DATABASE_URL` -> `DATABASE`). */
  name: string;
}

/** The attachment name for a link's env var: `DATABASE_URL` -> `DATABASE`; undefined when it cannot be one. */
export function attachmentNameForEnv(env: string): string | undefined {
  return URL_VAR.exec(env)?.[1];
}

/** The links that become attachments (see the file comment for which). */
export function attachableLinks(platform: Pick<HerokuPlatform, "addonOf">, links: readonly LinkInfo[]): AttachableLink[] {
  const attachable: AttachableLink[] = [];
  for (const link of links) {
    if (link.backend !== HEROKU || (link.kind !== "database" && link.kind !== "cache")) continue;
    if ((link.part ?? "url") !== "url") continue;
    const name = attachmentNameForEnv(link.env);
    const addon = platform.addonOf(link.target);
    if (name && addon) attachable.push({ link, addon, name });
  }
  return attachable;
}

/**
 * Warns when a part reads pieces of a Heroku add-on's URL (`REDIS_HOST`...): they are copies, current until Heroku
 * rotates the add-on's credentials, and fixed at the next `pulumi up`.
 */
export function warnCopiedPieces(part: string, links: readonly LinkInfo[]): void {
  const copied = links.filter((l) => l.backend === HEROKU && l.kind !== "service" && (l.part ?? "url") !== "url");
  if (!copied.length) return;
  void pulumi.log.warn(
    `${part}: ${copied.map((l) => l.env).join(", ")} are copied from the URL of ${[...new Set(copied.map((l) => l.target))].join(", ")} at deploy time. ` +
      `Heroku keeps only attached <NAME>_URL vars current: after a credential rotation (maintenance, failover, pg:credentials:rotate) run \`pulumi up\` again, or have the app read the URL.`,
  );
}

/** `vars` without the attached env vars: their values come from Heroku, and a key managed both ways would fight. */
export function withoutAttached<V>(vars: Record<string, V>, attached: readonly AttachableLink[]): Record<string, V> {
  const envs = new Set(attached.map((a) => a.link.env));
  return Object.fromEntries(Object.entries(vars).filter(([key]) => !envs.has(key)));
}

/**
 * One attachment per attachable link, to `app`, named `<part>-attachment-<NAME>`. `after` are the resources that
 * must settle first: the app's `ConfigVars`, which removes an earlier copy of the same var (stacks deployed before
 * attachments existed) so that Heroku can attach under that name.
 */
export function attachLinks(
  part: string,
  app: pulumi.Input<string>,
  attachable: readonly AttachableLink[],
  opts: { parent: pulumi.Resource; after?: pulumi.Resource[] },
): AddonAttachment[] {
  return attachable.map(
    ({ addon, name }) =>
      new AddonAttachment(`${part}-attachment-${name}`, { addon: addon.id, app, name }, { parent: opts.parent, dependsOn: opts.after ?? [] }),
  );
}
