/**
 * Names in Atlas. Cluster names: 1-64 ASCII letters, digits and hyphens, starting and ending with a letter or digit
 * (terraform-provider-mongodbatlas `ValidateClusterName`); fixed once created (a new name is a new cluster). Ours
 * include the stack, so that stacks sharing one project (`multicloud:atlas.projectId`) never collide.
 */
import { createHash } from "node:crypto";
import type { StackInfo } from "../backend";

export const CLUSTER_NAME_MAX = 64;
export const CLUSTER_NAME = /^([a-zA-Z0-9][a-zA-Z0-9-]*)?[a-zA-Z0-9]+$/;

function label(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-{2,}/g, "-").replace(/^-+|-+$/g, "");
}

/** `<appName>-<stack>-<part>`, shortened with a hash of the full name past 64 characters. */
export function atlasName(stack: Pick<StackInfo, "appName" | "stack">, part?: string): string {
  const full = [stack.appName, stack.stack, part].filter((p): p is string => Boolean(p)).map(label).filter(Boolean).join("-");
  if (full.length <= CLUSTER_NAME_MAX) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
  return `${full.slice(0, CLUSTER_NAME_MAX - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/** The cluster of a database part. */
export function clusterName(stack: Pick<StackInfo, "appName" | "stack">, part: string): string {
  return atlasName(stack, part);
}

/** The project created for a stack (when no `projectId` is given). */
export function projectName(stack: Pick<StackInfo, "appName" | "stack">): string {
  return atlasName(stack);
}

/** The app's database user: project-wide in Atlas, so it carries the stack too. */
export function userName(stack: Pick<StackInfo, "appName" | "stack">, part: string): string {
  return `${atlasName(stack, part)}-app`;
}
