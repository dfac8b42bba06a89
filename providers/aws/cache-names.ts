/**
 * Physical names for ElastiCache resources. ElastiCache ids are at most 40 characters and user ids are not
 * auto-named, so names are built here: readable (app and part name) and unique per stack (a hash of project, stack
 * and part). What forces a replacement (engine, mode) goes into the hash too: the retained old resource keeps its
 * name and the new one gets another, instead of colliding with it.
 */
import { createHash } from "node:crypto";
import type { StackInfo } from "../backend";

const MAX_ID_LENGTH = 40;

/** `<app>-<name>-<hash8>[-suffix]`: lowercase, letters, digits and single hyphens, a letter first, <= 40 chars. */
export function elastiCacheId(stack: StackInfo, name: string, salt: readonly string[], suffix = ""): string {
  const hash = createHash("sha256").update([stack.project, stack.stack, name, ...salt].join("/")).digest("hex").slice(0, 8);
  const tail = `-${hash}${suffix ? `-${suffix}` : ""}`;
  let readable = `${stack.appName}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-+/g, "-").replace(/^-+/, "");
  if (!/^[a-z]/.test(readable)) readable = `c${readable}`;
  return `${readable.slice(0, MAX_ID_LENGTH - tail.length).replace(/-+$/, "")}${tail}`;
}
