/**
 * The DigitalOcean backend's settings: `multicloud:digitalocean` (stack-wide) and
 * `multicloud:<services|cronJobs|databases|caches>.<name>.digitalocean`. Strict: a misspelt key is an error.
 */
import { z } from "zod";
import { oneOf, strictObject } from "../../stacks/zod-helpers";

/** A datacenter slug (`nyc3`, `fra1`...): DatabaseCluster's `region` (the `Region` enum of @pulumi/digitalocean). */
export const DATACENTER = /^[a-z]{3}[0-9]$/;
/** A DOCR registry name: lowercase letters, digits and "-", at most 63 (DigitalOcean API, "Create Container Registry"). */
export const REGISTRY_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const instanceSlug = z.string().regex(/^apps-[sd]-\d+vcpu-[\d.]+gb(?:-fixed)?$/, {
  error: (i) => `${JSON.stringify(i.input)} is not an App Platform instance size slug (e.g. "apps-s-1vcpu-1gb", "apps-d-2vcpu-4gb"; \`doctl apps tier instance-size list\`)`,
});
const databaseSlug = z.string().regex(/^(?:db|gd|so1_5|m|c)-[a-z0-9-]+$/, {
  error: (i) => `${JSON.stringify(i.input)} is not a database size slug (e.g. "db-s-1vcpu-2gb"; \`doctl databases options slugs --engine pg\`)`,
});
const nodeCount = z.number().int().min(1).max(3);

/** `multicloud:digitalocean`: settings of every DigitalOcean resource of the stack. */
export const digitaloceanStackSettings = strictObject({
  /**
   * The datacenter of the databases and caches; the App runs in the App Platform region of the same city (`nyc3` ->
   * `nyc`). Changing it REPLACES the clusters (a new, empty database): use `movedFrom` instead. @default "nyc3"
   */
  region: z.string().regex(DATACENTER, { error: (i) => `${JSON.stringify(i.input)} is not a datacenter slug (e.g. "nyc3", "ams3", "fra1", "sfo3", "sgp1", "lon1", "tor1", "syd1", "blr1")` }).optional(),
  /**
   * The account's container registry (DOCR) images are pushed to. Lower subscription tiers allow one registry per
   * account, so by default an existing registry of this name is used (and must exist). @default the app's name
   */
  registry: z.string().regex(REGISTRY_NAME, { error: "must be a DOCR registry name: lowercase letters, digits and -, at most 63" }).optional(),
  /** Create the registry with this subscription tier instead of using an existing one. @default absent: use the existing one */
  createRegistry: oneOf(["starter", "basic", "professional"]).optional(),
  /** The DigitalOcean project the App and clusters are grouped in (created). @default `<app>-<stack>` */
  project: z.string().min(1).max(175).optional(),
});
export type DigitaloceanStackSettings = z.infer<typeof digitaloceanStackSettings>;

/** `multicloud:services.<name>.digitalocean` */
export const digitaloceanServiceSettings = strictObject({
  /** The App Platform instance size, instead of the one the portable size maps to. @default from the size (sizes.ts) */
  instanceSizeSlug: instanceSlug.optional(),
  /**
   * The path prefix the service answers on at the App's default URL, when the App has several public services.
   * @default "/" for the only public service, `/<name>` when there are several
   */
  routePath: z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, { error: "must be a path starting with /" }).optional(),
});
export type DigitaloceanServiceSettings = z.infer<typeof digitaloceanServiceSettings>;

/** `multicloud:cronJobs.<name>.digitalocean`: a scheduled job of the stack's jobs App (jobsSpec.ts). */
export const digitaloceanCronJobSettings = strictObject({
  /** The App Platform instance size of each run, instead of the shared size the portable size maps to. @default sizes.ts */
  instanceSizeSlug: instanceSlug.optional(),
});
export type DigitaloceanCronJobSettings = z.infer<typeof digitaloceanCronJobSettings>;

/** `multicloud:databases.<name>.digitalocean` */
export const digitaloceanDatabaseSettings = strictObject({
  /** The node size, instead of the one the size and tier map to. Changes in place (a resize). @default sizes.ts */
  sizeSlug: databaseSlug.optional(),
  /** Nodes: 1 primary plus standbys. @default 1 in development, 2 in production */
  nodeCount: nodeCount.optional(),
  /**
   * Extra trusted sources (IPv4 addresses or CIDRs) for parts on other backends that link this database: by default
   * the firewall trusts only the DigitalOcean App. @default []
   */
  trustedAddresses: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/, { error: "must be an IPv4 address or CIDR" })).optional(),
  /**
   * During a move into DigitalOcean (`movedFrom`), let DigitalOcean copy the data in itself from the old copy
   * (`DatabaseOnlineMigration`, continuous until `movedFrom` is removed, which stops it) instead of a dump by hand.
   * PostgreSQL and MySQL only. The old database must be reachable from the internet by DigitalOcean, and its URL's
   * user needs superuser rights on PostgreSQL (logical replication): see CONFORMANCE.md. @default false
   */
  onlineMigration: z.boolean().optional(),
});
export type DigitaloceanDatabaseSettings = z.infer<typeof digitaloceanDatabaseSettings>;

/** `multicloud:caches.<name>.digitalocean` */
export const digitaloceanCacheSettings = strictObject({
  sizeSlug: databaseSlug.optional(),
  nodeCount: nodeCount.optional(),
  trustedAddresses: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/, { error: "must be an IPv4 address or CIDR" })).optional(),
});
export type DigitaloceanCacheSettings = z.infer<typeof digitaloceanCacheSettings>;
