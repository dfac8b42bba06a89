/**
 * Names on DigitalOcean. App and component names: 2-32 characters, lowercase letters, digits and "-", starting with
 * a letter (DigitalOcean API reference, App spec `name`: `^[a-z][a-z0-9-]{0,30}[a-z0-9]$`); an App's name is unique
 * in the account. Longer names are shortened with a hash so that two stacks never collide.
 */
import { createHash } from "node:crypto";

export const COMPONENT_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/** `name` if it fits in `max` characters, else its head and a 6-hex hash of the whole. */
export function fit(name: string, max: number): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  if (clean.length <= max) return clean;
  const hash = createHash("sha256").update(clean).digest("hex").slice(0, 6);
  return `${clean.slice(0, max - 7).replace(/-+$/, "")}-${hash}`;
}

/** The stack's App: `<app>-<stack>`. */
export const appName = (app: string, stack: string) => fit(`${app}-${stack}`, 32);
/** The stack's jobs App, holding its scheduled jobs: `<app>-<stack>-jobs`. */
export const jobsAppName = (app: string, stack: string) => fit(`${app}-${stack}-jobs`, 32);
/** A database or cache cluster: `<app>-<stack>-<part>` (cluster names allow 63). */
export const clusterName = (app: string, stack: string, part: string) => fit(`${app}-${stack}-${part}`, 63);
/** A service's (or a cron job's own) DOCR repository: `<app>-<service>` (images are pushed and deployed by digest, so stacks may share it). */
export const repositoryName = (app: string, service: string) => fit(`${app}-${service}`, 63);
