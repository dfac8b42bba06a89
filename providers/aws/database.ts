/**
 * A portable database on AWS: one RDS instance (postgres or mysql) in the isolated subnets, reachable only from the
 * app's security group, encrypted, TLS-only, with automated backups. Production stacks add deletion protection, a
 * final snapshot, a Multi-AZ standby and storage autoscaling (each overridable in `databaseSettings`).
 *
 * Cost: db.t4g.micro ~$11.7/month + gp3 $0.115/GB-month (us-east-1); Multi-AZ doubles the instance part.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Size } from "../../components/sizes";
import type { ConnectionResult, DatabaseSpec, DataOptions, StackInfo } from "../backend";
import type { DatabaseSettings } from "./database-settings";
import { rdsMajor, STORAGE_LIMITS_GIB } from "./database-versions";
import type { AwsNetwork } from "./types";

export { databaseSettings, type DatabaseSettings } from "./database-settings";

/** Portable size -> RDS instance class: at least the size's vCPUs and memory; Graviton throughout (cheapest). */
export const RDS_INSTANCE_CLASSES: Readonly<Record<Size, string>> = {
  nano: "db.t4g.micro",
  micro: "db.t4g.small",
  small: "db.t4g.medium",
  medium: "db.m7g.large",
  large: "db.m7g.xlarge",
  xlarge: "db.m7g.2xlarge",
};

/** What differs between the two engines RDS runs for us. */
const ENGINES = {
  postgres: {
    port: 5432,
    family: (major: string) => `postgres${major}`,
    // Refuse plaintext connections (the default from 15 on; explicit for every major).
    tlsParameter: { name: "rds.force_ssl", value: "1" },
    url: (user: string, password: string, host: string, port: number, db: string) =>
      `postgres://${user}:${encodeURIComponent(password)}@${host}:${port}/${db}?sslmode=require`,
  },
  mysql: {
    port: 3306,
    family: (major: string) => `mysql${major}`,
    tlsParameter: { name: "require_secure_transport", value: "ON" },
    // `ssl-mode` is the parameter of MySQL's own connection URIs; the server refuses plaintext regardless.
    url: (user: string, password: string, host: string, port: number, db: string) =>
      `mysql://${user}:${encodeURIComponent(password)}@${host}:${port}/${db}?ssl-mode=REQUIRED`,
  },
} as const;

/** The master user the app connects as. */
const USERNAME = "app";

/** A database or user name: postgres and mysql identifiers take letters, digits and `_`, not `-`. */
function identifier(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, "_");
}

/** A snapshot identifier: a letter first, letters, digits and single hyphens, no trailing hyphen. */
function snapshotIdentifier(...parts: string[]): string {
  const id = parts.join("-").toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
  return /^[a-z]/.test(id) ? id : `db-${id}`;
}

/** Creates the database; children are parented to `parent` and named from `spec.name`. */
export function createDatabase(
  net: AwsNetwork,
  spec: DatabaseSpec<DatabaseSettings>,
  data: DataOptions,
  parent: pulumi.ComponentResource,
  stack: StackInfo,
): ConnectionResult {
  if (spec.engine !== "postgres" && spec.engine !== "mysql") {
    throw new Error(`multicloud: RDS has no ${spec.engine} engine (validation should have refused it)`);
  }
  const engine = ENGINES[spec.engine];
  const settings = spec.settings ?? {};
  const production = stack.tier === "production";
  const major = rdsMajor(spec);
  const name = spec.name;
  // Everything the instance depends on is retained with it: deleting a security group, subnet group or parameter
  // group still in use by a retained instance would fail the deployment. Only the instance itself is protected.
  // A copy left behind by a move is frozen: none of its resources changes again.
  const own: pulumi.CustomResourceOptions = { parent, ...(data.ignoreChanges ? { ignoreChanges: data.ignoreChanges } : {}) };
  const kept: pulumi.CustomResourceOptions = { ...own, retainOnDelete: data.retainOnDelete };

  const password = new random.RandomPassword(`${name}-password`, {
    length: 32,
    // Only URL-unreserved specials: the password goes into a URL as is and RDS refuses `/`, `"`, `@` and spaces.
    special: true,
    overrideSpecial: "-_",
  }, own);

  const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
    vpcId: net.vpcId,
    description: `multicloud database ${name}: ${engine.port} from the app only`,
    // No egress rules: a database answers connections, it opens none.
  }, kept);
  // Not retained: a rule left behind would keep the app security group from ever being deleted.
  new aws.vpc.SecurityGroupIngressRule(`${name}-from-app`, {
    securityGroupId: securityGroup.id,
    referencedSecurityGroupId: net.appSecurityGroupId,
    ipProtocol: "tcp",
    fromPort: engine.port,
    toPort: engine.port,
    // EC2 allows only a-zA-Z0-9, spaces and ._-:/()#,@[]+=&;{}!$* here (no apostrophe): see the AWS CONFORMANCE table.
    description: "from the app tasks",
  }, own);

  const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, {
    subnetIds: net.isolatedSubnetIds,
    description: `multicloud database ${name}: isolated subnets`,
  }, kept);

  // Every parameter `pending-reboot` unless `immediate` is asked for: RDS accepts `immediate` for dynamic parameters
  // only (a static one fails the create with InvalidParameterCombination, and `rds.force_ssl` is static on some
  // postgres families), while `pending-reboot` is accepted for both. A new instance boots with its group's values
  // either way. And the provider reads each parameter's apply method back from AWS (DescribeDBParameters) and
  // compares it with ours, so a method AWS reports differently is a diff on every `up`; reported output shows
  // `pending-reboot` for `rds.force_ssl` (ministryofjustice/cloud-platform#1197). What AWS reports for each
  // family cannot be checked from here: see providers/aws/CONFORMANCE.md.
  const parameters = Object.entries({ [engine.tlsParameter.name]: engine.tlsParameter.value, ...settings.parameters }).map(
    ([paramName, value]) =>
      typeof value === "string"
        ? { name: paramName, value, applyMethod: "pending-reboot" }
        : { name: paramName, value: value.value, applyMethod: value.applyMethod ?? "pending-reboot" },
  );
  const parameterGroup = new aws.rds.ParameterGroup(`${name}-params`, {
    family: engine.family(major),
    description: `multicloud database ${name}`,
    parameters,
  }, kept);

  const finalSnapshot = settings.finalSnapshot ?? production;
  // The production default grows to 4x, never past what the storage type allows (65536 GiB for gp3 and io2): with
  // the storage already at that maximum there is nothing to grow into, so autoscaling is off.
  const storageMax = STORAGE_LIMITS_GIB[settings.storageType ?? "gp3"].max;
  const defaultMaxStorageGiB = spec.storageGiB < storageMax ? Math.min(spec.storageGiB * 4, storageMax) : 0;
  const maxStorageGiB = settings.maxStorageGiB ?? (production ? defaultMaxStorageGiB : 0);
  const dbName = identifier(name);
  const instance = new aws.rds.Instance(name, {
    engine: spec.engine,
    // A major only: RDS picks the current minor and `autoMinorVersionUpgrade` keeps it current.
    engineVersion: major,
    autoMinorVersionUpgrade: true,
    // Changing `version` is an explicit request for a major upgrade; without this RDS refuses it.
    allowMajorVersionUpgrade: true,
    instanceClass: settings.instanceClass ?? RDS_INSTANCE_CLASSES[spec.size],
    allocatedStorage: spec.storageGiB,
    maxAllocatedStorage: maxStorageGiB,
    storageType: settings.storageType ?? "gp3",
    iops: settings.iops,
    storageEncrypted: true,
    dbName,
    username: USERNAME,
    password: password.result,
    port: engine.port,
    dbSubnetGroupName: subnetGroup.name,
    vpcSecurityGroupIds: [securityGroup.id],
    parameterGroupName: parameterGroup.name,
    publiclyAccessible: false,
    multiAz: settings.multiAz ?? production,
    backupRetentionPeriod: spec.backups ? spec.backups.retentionDays : 0,
    copyTagsToSnapshot: true,
    // On production, automated backups outlive the instance (until their retention ends).
    deleteAutomatedBackups: !production,
    deletionProtection: production,
    skipFinalSnapshot: !finalSnapshot,
    finalSnapshotIdentifier: finalSnapshot ? snapshotIdentifier(stack.appName, stack.stack, name, "final") : undefined,
    performanceInsightsEnabled: settings.performanceInsights ?? false,
    // Production changes wait for the maintenance window instead of restarting the database mid-day.
    applyImmediately: !production,
  }, { ...kept, protect: data.protect });

  const url = pulumi
    .all([password.result, instance.address, instance.port])
    .apply(([pw, host, port]) => engine.url(USERNAME, pw, host, port, dbName));
  return { url: pulumi.secret(url) };
}
