/**
 * Databases and caches: DigitalOcean Managed Databases (`digitalocean.DatabaseCluster`). A database gets its own
 * logical database and user (`DatabaseDb`, `DatabaseUser`) named after the app, and its URL is built from the
 * cluster's public host with TLS required; a cache is a Valkey cluster (managed Redis ended in 2025) whose URL is
 * the cluster's `rediss://` URI. The firewall (trusting the App) is made by the platform once the App exists.
 *
 * Backups: DigitalOcean backs up every PostgreSQL/MySQL/MongoDB cluster daily and keeps point-in-time recovery
 * for 7 days, included in the price and not configurable through the API (DigitalOcean Managed Databases docs,
 * "How to restore from backups"); Valkey has no backups. `backups.retentionDays` is therefore not honoured beyond 7.
 */
import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import type { CacheSpec, ConnectionResult, DatabaseSpec, DataOptions } from "../backend";
import { parseConnectionUrl } from "../connectionUrl";
import { clusterName } from "./names";
import type { DigitaloceanPlatform } from "./platform";
import type { DigitaloceanCacheSettings, DigitaloceanDatabaseSettings } from "./settings";
import { databaseNode } from "./sizes";

/** DatabaseCluster `engine` slugs (terraform-provider-digitalocean resource_database_cluster.go; godo databases.go). */
export const ENGINE_SLUG = { postgres: "pg", mysql: "mysql", mongodb: "mongodb", valkey: "valkey" } as const;
/** The version used when the declaration names none. */
export const DEFAULT_VERSION = { postgres: "17", mysql: "8", mongodb: "8.0", valkey: "8" } as const;

/**
 * Nodes by tier: production gets a standby (PG/MySQL/Valkey: primary + 1) or a replica set of 3 (MongoDB runs 1 or
 * 3 nodes: DigitalOcean MongoDB docs); development one node.
 */
export function nodeCount(engine: keyof typeof ENGINE_SLUG, production: boolean, override?: number): number {
  if (override) return override;
  if (!production) return 1;
  return engine === "mongodb" ? 3 : 2;
}

function options(data: DataOptions, parent: pulumi.ComponentResource): pulumi.CustomResourceOptions {
  return { parent, retainOnDelete: true, ...(data.ignoreChanges ? { ignoreChanges: data.ignoreChanges } : {}) };
}

/** The connection URL of the app's user on its database, TLS required. */
function databaseUrl(engine: DatabaseSpec["engine"], user: pulumi.Output<string>, password: pulumi.Output<string>, host: pulumi.Output<string>, port: pulumi.Output<number>, db: pulumi.Output<string>): pulumi.Output<string> {
  return pulumi.all([user, password, host, port, db]).apply(([u, p, h, po, d]) => {
    const cred = `${encodeURIComponent(u)}:${encodeURIComponent(p)}`;
    if (engine === "postgres") return `postgresql://${cred}@${h}:${po}/${d}?sslmode=require`;
    if (engine === "mysql") return `mysql://${cred}@${h}:${po}/${d}?ssl-mode=REQUIRED`;
    // DigitalOcean's MongoDB host is an SRV name; users authenticate against admin.
    return `mongodb+srv://${cred}@${h}/${d}?tls=true&authSource=admin`;
  });
}

/**
 * Engines DigitalOcean's online migration copies into a managed database (MySQL, PostgreSQL; also Caching/Valkey,
 * which caches do not use): `databaseOnlineMigration.d.ts` of @pulumi/digitalocean 4.80.1, DigitalOcean API "Start an
 * Online Migration". MongoDB is not among them.
 */
export const ONLINE_MIGRATION_ENGINES: readonly DatabaseSpec["engine"][] = ["postgres", "mysql"];
/** The port a source URL without one listens on (the engines' defaults). */
const DEFAULT_PORT: Partial<Record<DatabaseSpec["engine"], number>> = { postgres: 5432, mysql: 3306 };

/**
 * Lets DigitalOcean copy the old copy's data into `cluster` (continuous logical replication) while a move is in
 * progress. Not retained: removing `movedFrom` removes it, and deleting it stops the migration
 * (terraform-provider-digitalocean `resource_database_online_migration.go`: Delete = `StopOnlineMigration`).
 * TLS to the source stays on (`disableSsl` unset). The source's fields come from the old URL, a secret; the whole
 * `source` output is kept secret too (its password is not marked sensitive in the provider schema).
 */
function onlineMigration(spec: DatabaseSpec, cluster: digitalocean.DatabaseCluster, sourceUrl: pulumi.Output<string>, parent: pulumi.ComponentResource): digitalocean.DatabaseOnlineMigration {
  const source = sourceUrl.apply((url) => {
    const f = parseConnectionUrl(url, DEFAULT_PORT[spec.engine]!, `databases.${spec.name} (movedFrom)`);
    return { host: f.host, port: f.port, dbName: f.database, username: f.username, password: f.password };
  });
  return new digitalocean.DatabaseOnlineMigration(`${spec.name}-migration`, {
    clusterId: cluster.id,
    source: pulumi.secret(source),
  }, { parent, additionalSecretOutputs: ["source"] });
}

/**
 * A part's managed cluster in the stack's region, sized by the portable size and tier (or its settings), its
 * credentials secret outputs, protected like data, and registered for the firewall that trusts the Apps linking it.
 */
function createCluster(
  platform: DigitaloceanPlatform,
  spec: { name: string; size: DatabaseSpec["size"]; settings: { sizeSlug?: string; nodeCount?: number; trustedAddresses?: string[] } },
  engine: keyof typeof ENGINE_SLUG,
  args: { version: string; evictionPolicy?: string },
  data: DataOptions,
  parent: pulumi.ComponentResource,
): { cluster: digitalocean.DatabaseCluster; opts: pulumi.CustomResourceOptions } {
  const production = platform.stack.tier === "production";
  const opts = options(data, parent);
  const cluster = new digitalocean.DatabaseCluster(`${spec.name}-cluster`, {
    name: clusterName(platform.stack.appName, platform.stack.stack, spec.name),
    engine: ENGINE_SLUG[engine],
    size: databaseNode(spec.size, production, spec.settings.sizeSlug).slug,
    nodeCount: nodeCount(engine, production, spec.settings.nodeCount),
    region: platform.region,
    ...args,
  }, { ...opts, protect: data.protect, additionalSecretOutputs: ["password", "uri", "privateUri"] });
  platform.addData({ name: spec.name, cluster, parent, options: opts, trustedAddresses: spec.settings.trustedAddresses ?? [] });
  return { cluster, opts };
}

export function deployDatabase(
  platform: DigitaloceanPlatform,
  spec: DatabaseSpec<DigitaloceanDatabaseSettings>,
  data: DataOptions,
  parent: pulumi.ComponentResource,
): ConnectionResult {
  const { cluster, opts } = createCluster(platform, spec, spec.engine, { version: spec.version ?? DEFAULT_VERSION[spec.engine] }, data, parent);
  const appUser = platform.stack.appName.replace(/-/g, "_");
  const db = new digitalocean.DatabaseDb(`${spec.name}-db`, { clusterId: cluster.id, name: appUser }, opts);
  const user = new digitalocean.DatabaseUser(`${spec.name}-user`, { clusterId: cluster.id, name: appUser }, { ...opts, additionalSecretOutputs: ["password"] });
  const url = pulumi.secret(databaseUrl(spec.engine, user.name, user.password, cluster.host, cluster.port, db.name));
  // Validation refused the setting without a move or on another engine; the URL is there only during a move.
  if (spec.settings.onlineMigration && data.movedFromUrl && ONLINE_MIGRATION_ENGINES.includes(spec.engine)) {
    onlineMigration(spec, cluster, data.movedFromUrl, parent);
    return { url, copiedBy: `DigitalOcean's online migration (${spec.name}-migration)` };
  }
  return { url };
}

export function deployCache(
  platform: DigitaloceanPlatform,
  spec: CacheSpec<DigitaloceanCacheSettings>,
  data: DataOptions,
  parent: pulumi.ComponentResource,
): ConnectionResult {
  // Valkey serves the Redis protocol: both portable engines land on it (managed Redis ended in 2025).
  const { cluster } = createCluster(platform, spec, "valkey", {
    version: DEFAULT_VERSION.valkey,
    // godo databases.go: noeviction, allkeys_lru, allkeys_random, volatile_lru, volatile_random, volatile_ttl.
    evictionPolicy: spec.evictionPolicy.replace("-", "_"),
  }, data, parent);
  // The cluster's URI is rediss:// (TLS only on DigitalOcean's Valkey).
  return { url: pulumi.secret(cluster.uri) };
}
