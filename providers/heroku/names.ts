/**
 * Heroku app names: globally unique, 3 to 30 lowercase letters, digits and dashes, starting with a letter and not
 * ending with a dash. Ours are `<appName>-<stack>-<part>`, shortened deterministically when too long.
 */
import { createHash } from "node:crypto";
import type { StackInfo } from "../backend";

export const APP_NAME_MAX = 30;
/** Heroku's rule for app names. */
export const HEROKU_APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;

/** Lowercase letters, digits and single dashes; no leading or trailing dash. */
function label(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * `<appName>-<stack>-<part>` as a Heroku app name. When longer than 30 characters it becomes the first 23
 * characters, a dash and 6 hex characters of the full name's SHA-256: still readable, stable across runs, and
 * distinct for names that share their first 23 characters.
 * @example herokuAppName({ appName: "shop", stack: "production" }, "web") === "shop-production-web"
 */
export function herokuAppName(stack: Pick<StackInfo, "appName" | "stack">, part: string): string {
  let full = [stack.appName, stack.stack, part].map(label).filter(Boolean).join("-");
  if (!/^[a-z]/.test(full)) full = `a-${full}`;
  if (full.length <= APP_NAME_MAX && HEROKU_APP_NAME.test(full)) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
  const head = full.slice(0, APP_NAME_MAX - hash.length - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}

/** The per-stack app that runs the cron jobs' clock. */
export function clockAppName(stack: Pick<StackInfo, "appName" | "stack">): string {
  return herokuAppName(stack, "clock");
}

/** The per-stack app that owns the databases' and caches' add-ons (it runs no dynos). */
export function dataAppName(stack: Pick<StackInfo, "appName" | "stack">): string {
  return herokuAppName(stack, "data");
}

/** An add-on attachment name (its config var prefix) for a part: `db-main` -> `DB_MAIN`. */
export function attachmentNameOf(part: string): string {
  return part.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}
