/** The AWS backend definition: what it offers, its settings, and data parts wired to the shared network. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SIZES } from "../../components/sizes";
import { EVICTION_POLICIES } from "../../components/spec";
import { awsBackend } from "../../providers/aws";
import { CACHE_MAJORS } from "../../providers/aws/cache-mode";
import { RDS_MAJORS } from "../../providers/aws/database-versions";
import { awsCronJobSettings, awsServiceSettings, awsStackSettings } from "../../providers/aws/settings";
import { parentComponent, recordResources, stackInfo, webServiceSpec } from "../support/mocks";

describe("AWS backend definition", () => {
  it("offers every size, private services, domains, autoscaling, releases, postgres/mysql and valkey/redis", () => {
    assert.equal(awsBackend.name, "aws");
    const { advice, ...databases } = awsBackend.offers.databases!;
    assert.deepEqual({ ...awsBackend.offers, databases }, {
      services: { sizes: SIZES, private: true, domains: true, autoscaling: true, release: true },
      cronJobs: { sizes: SIZES },
      databases: { engines: ["postgres", "mysql"], sizes: SIZES, versions: RDS_MAJORS },
      caches: { engines: ["valkey", "redis"], sizes: SIZES, evictionPolicies: EVICTION_POLICIES, versions: CACHE_MAJORS },
    });
    // MongoDB is not offered (DocumentDB is not MongoDB): the error points to Atlas.
    assert.deepEqual(Object.keys(advice ?? {}), ["mongodb"]);
    assert.match(advice!.mongodb!, /MongoDB Atlas/);
    assert.equal(awsBackend.settings.stack, awsStackSettings);
    assert.equal(awsBackend.settings.service, awsServiceSettings);
    assert.equal(awsBackend.settings.cronJob, awsCronJobSettings);
  });

  it("puts a database in the platform's isolated subnets, open to the app's tasks only, in the same VPC", async () => {
    const rec = await recordResources(() => {
      const instance = awsBackend.create(stackInfo(), {});
      instance.database!(
        { name: "db", backend: "aws", engine: "postgres", size: "nano", storageGiB: 20, extensions: [], backups: { retentionDays: 7 }, settings: {} },
        { retainOnDelete: true, protect: false },
        parentComponent("Database", "db"),
      );
      instance.webService!(webServiceSpec({ name: "web" }), { secretEnv: {} }, parentComponent("WebService", "web"));
    });
    assert.equal(rec.ofType("aws:ec2/vpc:Vpc").length, 1, "data and services share the stack's one VPC");
    const isolated = rec.ofType("aws:ec2/subnet:Subnet").filter((s) => s.name.includes("-isolated-")).map((s) => s.id);
    const [subnetGroup] = rec.ofType("aws:rds/subnetGroup:SubnetGroup");
    assert.deepEqual(subnetGroup!.inputs.subnetIds, isolated);
    const appSg = rec.one("aws:ec2/securityGroup:SecurityGroup", "shop-aws-app-sg");
    const dbIngress = rec
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .filter((r) => r.parent?.name === "db");
    assert.ok(dbIngress.length > 0);
    assert.ok(dbIngress.every((r) => r.inputs.referencedSecurityGroupId === appSg.id));
  });

  it("parses the stack settings it is given, and refuses bad ones before creating anything", async () => {
    assert.throws(() => awsBackend.create(stackInfo(), { vpcCidr: "nonsense" }), /not an IPv4 CIDR block/);
    const rec = await recordResources(() => {
      awsBackend.create(stackInfo(), undefined).webService!(webServiceSpec({ name: "web" }), { secretEnv: {} }, parentComponent("WebService", "web"));
    });
    assert.equal(rec.one("aws:ec2/vpc:Vpc").inputs.cidrBlock, "10.0.0.0/16");
  });
});
