/**
 * createDatabase under Pulumi's mock runtime: the real @pulumi/aws classes register against a recorder, and a
 * transformation on the parent records each child's resource options (retainOnDelete, protect).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { DatabaseSpec, StackInfo } from "../../providers/backend";
import type { DatabaseSettings } from "../../providers/aws/database";
import { createDatabase, databaseSettings, RDS_INSTANCE_CLASSES } from "../../providers/aws/database";
import { deployDataPart, secret } from "./dataHarness";
import type { Child, DeployedDataPart } from "./dataHarness";

/** A password with characters a URL must encode, to prove the URL encodes it. */
const MOCK_PASSWORD = "p@ss/w:rd";
const HOST = "db.abc123.us-east-1.rds.amazonaws.com";

/** Runs `createDatabase` under mocks; returns the children by logical name, the URL and whether it is secret. */
function deploy(spec: DatabaseSpec<DatabaseSettings>, tier: StackInfo["tier"], frozen = false) {
  return deployDataPart({
    tier,
    frozen,
    password: MOCK_PASSWORD,
    outputsByType: { "aws:rds/instance:Instance": { address: HOST } },
    create: (net, data, parent, stack) => createDatabase(net, spec, data, parent, stack),
  });
}

function spec(overrides: Partial<DatabaseSpec<DatabaseSettings>> = {}): DatabaseSpec<DatabaseSettings> {
  return { name: "db", backend: "aws", engine: "postgres", size: "nano", storageGiB: 20, extensions: [], backups: { retentionDays: 7 }, settings: {}, ...overrides };
}

describe("createDatabase: postgres on a development stack", () => {
  // Each deploy replaces the process-wide mocks: run them in hooks, one after another, never at collection time.
  let children: DeployedDataPart["children"], child: DeployedDataPart["child"], url: string, urlIsSecret: boolean, instance: Child;
  before(async () => {
    ({ children, child, url, urlIsSecret } = await deploy(spec(), "development"));
    instance = child("db", "aws:rds/instance:Instance");
  });

  it("is private, encrypted gp3 storage, TLS-only postgres at the newest major", () => {
    assert.equal(instance.inputs.publiclyAccessible, false);
    assert.equal(instance.inputs.storageEncrypted, true);
    assert.equal(instance.inputs.storageType, "gp3");
    assert.equal(instance.inputs.engine, "postgres");
    assert.equal(instance.inputs.engineVersion, "18");
    assert.equal(instance.inputs.autoMinorVersionUpgrade, true);
    const params = child("db-params", "aws:rds/parameterGroup:ParameterGroup");
    assert.equal(params.inputs.family, "postgres18");
    // pending-reboot: `rds.force_ssl` is static on older postgres families (immediate is refused there with
    // InvalidParameterCombination), and AWS reads the apply method back on its own terms (a diff on every `up`).
    assert.deepEqual(params.inputs.parameters, [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }]);
    assert.equal(instance.inputs.parameterGroupName, "db-params-physical");
  });

  it("lives in a subnet group over the isolated subnets only", () => {
    const subnets = child("db-subnets", "aws:rds/subnetGroup:SubnetGroup");
    assert.deepEqual(subnets.inputs.subnetIds, ["isolated-a", "isolated-b"]);
    assert.equal(instance.inputs.dbSubnetGroupName, "db-subnets-physical");
  });

  it("admits the postgres port from the app security group only", () => {
    const sg = child("db-sg", "aws:ec2/securityGroup:SecurityGroup");
    assert.equal(sg.inputs.vpcId, "vpc-1");
    assert.equal(sg.inputs.ingress, undefined);
    assert.deepEqual(instance.inputs.vpcSecurityGroupIds, ["db-sg-id"]);
    const rules = [...children.values()].filter((c) => c.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    assert.equal(rules.length, 1);
    const rule = rules[0]!.inputs;
    assert.equal(rule.securityGroupId, "db-sg-id");
    assert.equal(rule.referencedSecurityGroupId, "sg-app");
    assert.equal(rule.cidrIpv4, undefined);
    assert.deepEqual([rule.ipProtocol, rule.fromPort, rule.toPort], ["tcp", 5432, 5432]);
  });

  it("has no deletion protection nor final snapshot, applies changes at once, single-AZ, no storage autoscaling", () => {
    assert.equal(instance.inputs.deletionProtection, false);
    assert.equal(instance.inputs.skipFinalSnapshot, true);
    assert.equal(instance.inputs.finalSnapshotIdentifier, undefined);
    assert.equal(instance.inputs.applyImmediately, true);
    assert.equal(instance.inputs.multiAz, false);
    assert.equal(instance.inputs.maxAllocatedStorage, 0);
  });

  it("keeps 7 days of backups and copies tags to snapshots", () => {
    assert.equal(instance.inputs.backupRetentionPeriod, 7);
    assert.equal(instance.inputs.copyTagsToSnapshot, true);
  });

  it("is retained on delete but not protected; its dependencies are retained, the ingress rule and password are not", () => {
    assert.equal(instance.opts.retainOnDelete, true);
    assert.ok(!instance.opts.protect);
    for (const name of ["db-sg", "db-subnets", "db-params"]) assert.equal(children.get(name)?.opts.retainOnDelete, true, name);
    assert.ok(!children.get("db-from-app")?.opts.retainOnDelete);
    assert.ok(!children.get("db-password")?.opts.retainOnDelete);
  });

  it("maps nano to db.t4g.micro", () => assert.equal(instance.inputs.instanceClass, "db.t4g.micro"));

  it("returns a secret postgres URL with the encoded password and sslmode=require", () => {
    assert.equal(urlIsSecret, true);
    assert.equal(url, `postgres://app:${encodeURIComponent(MOCK_PASSWORD)}@${HOST}:5432/db?sslmode=require`);
    // The engine receives the password as a secret (its wire form), never as plain text.
    assert.deepEqual(instance.inputs.password, secret(MOCK_PASSWORD));
  });
});

describe("createDatabase: postgres on a production stack", () => {
  let children: DeployedDataPart["children"], instance: Child;
  before(async () => {
    const deployed = await deploy(spec({ storageGiB: 50 }), "production");
    children = deployed.children;
    instance = deployed.child("db", "aws:rds/instance:Instance");
  });

  it("has deletion protection and a final snapshot", () => {
    assert.equal(instance.inputs.deletionProtection, true);
    assert.equal(instance.inputs.skipFinalSnapshot, false);
    assert.equal(instance.inputs.finalSnapshotIdentifier, "sample-prod-db-final");
  });
  it("is protected and retained", () => {
    assert.equal(instance.opts.protect, true);
    assert.equal(instance.opts.retainOnDelete, true);
    assert.ok(!children.get("db-sg")?.opts.protect, "only the data resource is protected");
  });
  it("is Multi-AZ, autoscales storage to 4x, waits for the maintenance window, keeps backups after deletion", () => {
    assert.equal(instance.inputs.multiAz, true);
    assert.equal(instance.inputs.maxAllocatedStorage, 200);
    assert.equal(instance.inputs.applyImmediately, false);
    assert.equal(instance.inputs.deleteAutomatedBackups, false);
  });
});

describe("createDatabase: production storage autoscaling near RDS's maximum", () => {
  // RDS gp3/io2 storage ends at 65536 GiB (CreateDBInstanceMessage.AllocatedStorage): autoscaling can grow no further,
  // so the 4x default must not ask for more than that.
  it("caps the 4x default at the storage type's 65536 GiB", async () => {
    const { child } = await deploy(spec({ storageGiB: 20_000 }), "production");
    assert.equal(child("db", "aws:rds/instance:Instance").inputs.maxAllocatedStorage, 65_536);
  });
  it("turns autoscaling off when the storage is already at the maximum", async () => {
    const { child } = await deploy(spec({ storageGiB: 65_536 }), "production");
    assert.equal(child("db", "aws:rds/instance:Instance").inputs.maxAllocatedStorage, 0);
  });
});

describe("createDatabase: settings and engines", () => {
  it("maps every size to an instance class, and instanceClass overrides it", async () => {
    assert.deepEqual(RDS_INSTANCE_CLASSES, {
      nano: "db.t4g.micro", micro: "db.t4g.small", small: "db.t4g.medium", medium: "db.m7g.large", large: "db.m7g.xlarge", xlarge: "db.m7g.2xlarge",
    });
    const medium = await deploy(spec({ size: "medium" }), "development");
    assert.equal(medium.child("db", "aws:rds/instance:Instance").inputs.instanceClass, "db.m7g.large");
    const custom = await deploy(spec({ size: "medium", settings: { instanceClass: "db.r7g.large" } }), "development");
    assert.equal(custom.child("db", "aws:rds/instance:Instance").inputs.instanceClass, "db.r7g.large");
  });

  it("runs mysql on 3306 with require_secure_transport and a mysql URL requiring TLS", async () => {
    const { child, url } = await deploy(spec({ engine: "mysql", version: "8.4" }), "development");
    const instance = child("db", "aws:rds/instance:Instance");
    assert.equal(instance.inputs.engine, "mysql");
    assert.equal(instance.inputs.engineVersion, "8.4");
    assert.equal(instance.inputs.port, 3306);
    const params = child("db-params", "aws:rds/parameterGroup:ParameterGroup");
    assert.equal(params.inputs.family, "mysql8.4");
    assert.deepEqual(params.inputs.parameters, [{ name: "require_secure_transport", value: "ON", applyMethod: "pending-reboot" }]);
    assert.equal(url, `mysql://app:${encodeURIComponent(MOCK_PASSWORD)}@${HOST}:3306/db?ssl-mode=REQUIRED`);
  });

  it("turns backups: false into a zero retention period", async () => {
    const { child } = await deploy(spec({ backups: false }), "development");
    assert.equal(child("db", "aws:rds/instance:Instance").inputs.backupRetentionPeriod, 0);
  });

  it("adds parameters over the TLS default, pending-reboot unless immediate is asked", async () => {
    const settings = databaseSettings.parse({
      parameters: {
        // Static: `immediate` would fail the create.
        shared_preload_libraries: "pg_stat_statements,pg_cron",
        log_min_duration_statement: { value: "500", applyMethod: "immediate" },
        work_mem: { value: "8192" },
      },
    });
    const { child } = await deploy(spec({ settings }), "development");
    assert.deepEqual(child("db-params", "aws:rds/parameterGroup:ParameterGroup").inputs.parameters, [
      { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
      { name: "shared_preload_libraries", value: "pg_stat_statements,pg_cron", applyMethod: "pending-reboot" },
      { name: "log_min_duration_statement", value: "500", applyMethod: "immediate" },
      { name: "work_mem", value: "8192", applyMethod: "pending-reboot" },
    ]);
  });

  it("lets settings override the tier's defaults", async () => {
    const { child } = await deploy(spec({ settings: { multiAz: false, maxStorageGiB: 0, finalSnapshot: false, performanceInsights: true } }), "production");
    const instance = child("db", "aws:rds/instance:Instance");
    assert.equal(instance.inputs.multiAz, false);
    assert.equal(instance.inputs.maxAllocatedStorage, 0);
    assert.equal(instance.inputs.skipFinalSnapshot, true);
    assert.equal(instance.inputs.performanceInsightsEnabled, true);
    assert.equal(instance.inputs.deletionProtection, true, "deletion protection is not a setting");
  });

  it("names the database with underscores, since identifiers take no hyphen", async () => {
    const { child, url } = await deploy(spec({ name: "main-db" }), "development");
    assert.equal(child("main-db", "aws:rds/instance:Instance").inputs.dbName, "main_db");
    assert.match(url, /\/main_db\?sslmode=require$/);
  });

  it("refuses unknown settings keys and malformed values", () => {
    assert.equal(databaseSettings.safeParse({ multiAZ: true }).success, false);
    assert.equal(databaseSettings.safeParse({ instanceClass: "t4g.micro" }).success, false);
    assert.equal(databaseSettings.safeParse({ storageType: "gp2" }).success, false);
    assert.equal(databaseSettings.safeParse({}).success, true);
  });
});

describe("createDatabase: the copy a move leaves behind", () => {
  it("freezes every resource of a kept copy, and none of a current one", async () => {
    const kept = await deploy(spec(), "production", true);
    assert.ok(kept.children.size >= 4);
    for (const [name, child] of kept.children) if (name !== "parent") assert.deepEqual(child.opts.ignoreChanges, ["*"], name);
    const current = await deploy(spec(), "production");
    for (const [name, child] of current.children) assert.equal(child.opts.ignoreChanges, undefined, name);
  });
});
