/**
 * A MongoDB database on Atlas: a cluster (cluster.ts) of the tier the size and stack tier map to, cloud backups on
 * dedicated tiers, a generated password, and a database user that may only `readWrite` the app's database on that
 * cluster. The URL (url.ts) is a secret.
 *
 * Data options: every resource is `retainOnDelete` (a config change never deletes data, nor the user the app logs
 * in with); the cluster is also `protect`ed on production stacks, where Atlas's own termination protection is on
 * too. The copy a move leaves behind (`ignoreChanges: ["*"]`) is neither checked against the config nor changed.
 */
import * as mongodbatlas from "@pulumi/mongodbatlas";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { warn } from "../../components/record";
import type { ConnectionResult, DataOptions, DatabaseSpec } from "../backend";
import { guardedReplicationSpecs, regionConfig } from "./cluster";
import { clusterName, userName } from "./names";
import type { AtlasPlatform } from "./platform";
import type { AtlasDatabaseSettings } from "./settings";
import { atlasMajor, defaultTier, monthlyUsd, tierClass, type AtlasTier } from "./tiers";
import { connectionUrl } from "./url";

/** The tier of a database: the `tier` setting, else the size and stack tier's. */
export function databaseTier(spec: Pick<DatabaseSpec, "size" | "settings">, stackTier: AtlasPlatform["stack"]["tier"]): AtlasTier {
  return (spec.settings as AtlasDatabaseSettings).tier ?? defaultTier(spec.size, stackTier);
}

/** The database the app's user may read and write. */
export function databaseNameOf(spec: Pick<DatabaseSpec, "name" | "settings">): string {
  return (spec.settings as AtlasDatabaseSettings).databaseName ?? spec.name;
}

export function deployDatabase(platform: AtlasPlatform, spec: DatabaseSpec, data: DataOptions, parent: pulumi.ComponentResource): ConnectionResult {
  if (spec.engine !== "mongodb") {
    throw new Error(`multicloud: the atlas backend has no ${spec.engine} databases (a bug: validation should have refused it)`);
  }
  const tier = databaseTier(spec, platform.stack.tier);
  const cls = tierClass(tier);
  const name = clusterName(platform.stack, spec.name);
  const database = databaseNameOf(spec);
  const projectId = platform.projectId();
  const frozen = Boolean(data.ignoreChanges);
  const base = { parent, retainOnDelete: data.retainOnDelete, ...(frozen ? { ignoreChanges: data.ignoreChanges } : {}) };
  const backups = cls === "dedicated" && spec.backups !== false;

  const config = regionConfig(tier, platform.provider, platform.region);
  const cluster = new mongodbatlas.AdvancedCluster(
    spec.name,
    {
      projectId,
      name,
      clusterType: "REPLICASET",
      replicationSpecs: frozen ? [{ regionConfigs: [config] }] : guardedReplicationSpecs(spec.name, projectId, name, tier, config, parent),
      // Cloud Backup exists on dedicated tiers only; M0 has none and Flex takes Atlas's daily snapshots by itself.
      ...(cls === "dedicated" ? { backupEnabled: backups, retainBackupsEnabled: platform.production } : {}),
      // M0 and Flex run the MongoDB version Atlas picks (8.0 today).
      ...(cls === "dedicated" && spec.version ? { mongoDbMajorVersion: atlasMajor(spec.version) } : {}),
      terminationProtectionEnabled: platform.production,
    },
    { ...base, protect: data.protect },
  );

  if (backups && spec.backups) {
    new mongodbatlas.CloudBackupSchedule(
      `${spec.name}-backups`,
      {
        projectId,
        clusterName: cluster.name,
        policyItemDaily: { frequencyInterval: 1, retentionUnit: "days", retentionValue: spec.backups.retentionDays },
      },
      base,
    );
  }

  const password = new random.RandomPassword(`${spec.name}-password`, { length: 32, special: false }, base);
  const username = userName(platform.stack, spec.name);
  const user = new mongodbatlas.DatabaseUser(
    `${spec.name}-user`,
    {
      projectId,
      username,
      password: password.result,
      // Password (SCRAM) users authenticate against `admin` (Atlas requires it); their rights are the roles below.
      authDatabaseName: "admin",
      roles: [{ roleName: "readWrite", databaseName: database }],
      // Only this cluster: the same user cannot reach the project's other clusters.
      scopes: [{ name: cluster.name, type: "CLUSTER" }],
    },
    base,
  );

  if (!frozen) report(platform, spec, tier);
  const srv = cluster.connectionStrings.apply((c) => srvOf(c, platform.privateEndpointOnly, spec.name, frozen));
  const url = pulumi.all([srv, user.username, password.result]).apply(([s, u, p]) => connectionUrl(s, u, p, database));
  return { url: pulumi.secret(url) };
}

/**
 * The SRV string the app connects with: the public one, or with `access: {privateEndpoint: true}` the first private
 * endpoint's (Atlas lists it only once an endpoint exists in every region of the cluster; until then the public one,
 * which no access-list entry opens, with a warning).
 */
function srvOf(strings: mongodbatlas.types.output.AdvancedClusterConnectionStrings | undefined, privateOnly: boolean, part: string, frozen: boolean): string {
  if (privateOnly) {
    const endpoint = strings?.privateEndpoints?.find((p) => p.srvConnectionString)?.srvConnectionString;
    if (endpoint) return endpoint;
    if (!frozen) warn(`atlas: databases.${part} has no private endpoint yet: the app gets the public SRV string, which no access-list entry opens; create the endpoint, then run \`pulumi up\` again`);
  }
  return strings?.standardSrv ?? "";
}

/** What the person deploying should know about this tier: its price and its limits. */
function report(platform: AtlasPlatform, spec: DatabaseSpec, tier: AtlasTier): void {
  const at = `atlas: databases.${spec.name}`;
  const cls = tierClass(tier);
  if (cls === "free") {
    warn(`${at} is the free M0: 512 MB of storage, shared hardware, one per project, no Atlas backups (schedule mongodump yourself), and only some regions (${platform.region} must be one: \`atlas clusters availableRegions list --provider ${platform.provider} --tier M0\`)`);
  } else if (cls === "flex") {
    void pulumi.log.info(`${at} is Flex: $8/month up to 100 ops/s, up to $30 with use; 5 GB; Atlas takes daily snapshots (backups.retentionDays does not apply)`);
    if (platform.production) warn(`${at} is Flex on a production stack: shared hardware and no private endpoints; a dedicated tier (M10+) is the production default`);
  } else {
    void pulumi.log.info(`${at} is ${tier}: about $${monthlyUsd(tier).toFixed(2)}/month (3 nodes, ${platform.provider} list price), plus backup storage and data transfer`);
    if (spec.backups === false && platform.production) warn(`${at} has backups turned off on a production stack`);
  }
}
