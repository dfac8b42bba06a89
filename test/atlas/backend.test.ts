/**
 * The Atlas backend under Pulumi's mock runtime, over the real @pulumi/mongodbatlas classes: the project and its
 * access list as config says, the cluster's tier, backups and protection by stack tier, the user's scope and role,
 * the URL (a secret, well formed, credentials encoded), and the refusal of a class change Atlas cannot make in place.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { atlasBackend } from "../../providers/atlas";
import { guardedReplicationSpecs, regionConfig } from "../../providers/atlas/cluster";
import type { AtlasTier } from "../../providers/atlas/tiers";
import { connectionUrl } from "../../providers/atlas/url";
import type { DatabaseSpec, StackInfo } from "../../providers/backend";
import { isSecret, parentComponent, recordResources, reveal, settleOutput, stackInfo, type Recorded, type Recording } from "../support/mocks";

const T = {
  project: "mongodbatlas:index/project:Project",
  access: "mongodbatlas:index/projectIpAccessList:ProjectIpAccessList",
  cluster: "mongodbatlas:index/advancedCluster:AdvancedCluster",
  backups: "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule",
  user: "mongodbatlas:index/databaseUser:DatabaseUser",
  password: "random:index/randomPassword:RandomPassword",
  listClusters: "mongodbatlas:index/getAdvancedClusters:getAdvancedClusters",
};
const ORG = "0123456789abcdef01234567";
const PROJECT = "fedcba9876543210fedcba98";
/** A password with every character a URL must encode, to see it encoded in the URL. */
const PASSWORD = "p@ss:w/rd?#%";

const db = (overrides: Partial<DatabaseSpec> = {}): DatabaseSpec => ({
  name: "db", backend: "atlas", engine: "mongodb", size: "nano", storageGiB: 20, extensions: [], backups: { retentionDays: 7 }, settings: {}, ...overrides,
});

interface Run {
  tier?: StackInfo["tier"];
  settings?: Record<string, unknown>;
  databases?: DatabaseSpec[];
  config?: Record<string, string>;
  /** Clusters Atlas already has in the project (the answer of getAdvancedClusters). */
  existing?: { name: string; providerName: string }[];
  frozen?: boolean;
  /** The cluster's outputs by its name. @default a public SRV string only */
  clusterState?: (name: string) => Record<string, unknown>;
}

async function deploy(run: Run): Promise<{ rec: Recording; urls: Map<string, { value: string } | { error: unknown }>; secret: Map<string, boolean> }> {
  const outputs = new Map<string, pulumi.Output<string>>();
  const settled = new Map<string, Promise<{ value: string } | { error: unknown }>>();
  const rec = await recordResources(
    () => {
      const stack = stackInfo({ appName: "mipedido", stack: run.tier === "production" ? "prod" : "staging", tier: run.tier ?? "development" });
      const settings = atlasBackend.settings.stack.parse(run.settings ?? { orgId: ORG, access: { allow: ["0.0.0.0/0"] } });
      const instance = atlasBackend.create(stack, settings);
      const data = { retainOnDelete: true as const, protect: stack.tier === "production", ...(run.frozen ? { ignoreChanges: ["*"] } : {}) };
      for (const d of run.databases ?? [db()]) {
        const url = instance.database!(d, data, parentComponent("Database", d.name)).url;
        outputs.set(d.name, url);
        settled.set(d.name, settleOutput(url));
      }
    },
    {
      config: run.config ?? {},
      state: ({ type, inputs }) => {
        if (type === T.password) return { result: PASSWORD };
        if (type === T.cluster) return run.clusterState?.(String(inputs.name)) ?? { connectionStrings: { standardSrv: `mongodb+srv://${String(inputs.name)}.ab1cd.mongodb.net` } };
        return undefined;
      },
      call: (token) =>
        token === T.listClusters
          ? { results: (run.existing ?? []).map((c) => ({ name: c.name, replicationSpecs: [{ regionConfigs: [{ providerName: c.providerName }] }] })) }
          : undefined,
    },
  );
  const urls = new Map<string, { value: string } | { error: unknown }>();
  const secret = new Map<string, boolean>();
  for (const [name, promise] of settled) urls.set(name, await promise);
  for (const [name, output] of outputs) if ("value" in urls.get(name)!) secret.set(name, await pulumi.isSecret(output));
  return { rec, urls, secret };
}

const input = <V = unknown>(r: Recorded, key: string): V => reveal<V>(r.inputs[key]);
const regionConfigOf = (cluster: Recorded) =>
  input<{ regionConfigs: Record<string, unknown>[] }[]>(cluster, "replicationSpecs")[0]!.regionConfigs[0]!;
const urlOf = (result: { value: string } | { error: unknown } | undefined): string => {
  assert.ok(result && "value" in result, `the URL resolved${result && "error" in result ? `, not: ${String(result.error)}` : ""}`);
  return result.value;
};

describe("atlas: the cluster by stack tier", () => {
  it("development nano: the free M0 (TENANT on AWS), no backups, no termination protection, retained but not protected", async () => {
    const { rec } = await deploy({});
    const cluster = rec.one(T.cluster, "db");
    assert.equal(input(cluster, "name"), "mipedido-staging-db");
    assert.equal(input(cluster, "clusterType"), "REPLICASET");
    assert.deepEqual(regionConfigOf(cluster), { providerName: "TENANT", backingProviderName: "AWS", regionName: "US_EAST_1", priority: 7, electableSpecs: { instanceSize: "M0" } });
    assert.equal(input(cluster, "backupEnabled"), undefined, "M0 has no Cloud Backup to turn on");
    assert.equal(input(cluster, "terminationProtectionEnabled"), false);
    assert.equal(rec.ofType(T.backups).length, 0);
    assert.equal(cluster.options.retainOnDelete, true);
    assert.equal(cluster.options.protect, false);
    assert.ok(rec.warnings.some((w) => w.includes("free M0") && w.includes("no Atlas backups")), rec.warnings.join("\n"));
  });

  it("development micro: Flex on the backing cloud, no specs", async () => {
    const { rec } = await deploy({ databases: [db({ size: "micro" })] });
    assert.deepEqual(regionConfigOf(rec.one(T.cluster, "db")), { providerName: "FLEX", backingProviderName: "AWS", regionName: "US_EAST_1", priority: 7 });
  });

  it("production: a dedicated M10 of 3 nodes with cloud backups (daily, the declared retention), termination protection, protected", async () => {
    const { rec } = await deploy({ tier: "production", databases: [db({ backups: { retentionDays: 14 }, version: "7" })], settings: { orgId: ORG, access: { allow: ["203.0.113.7"] } } });
    const cluster = rec.one(T.cluster, "db");
    assert.deepEqual(regionConfigOf(cluster), {
      providerName: "AWS", regionName: "US_EAST_1", priority: 7, electableSpecs: { instanceSize: "M10", nodeCount: 3 }, autoScaling: { diskGbEnabled: true },
    });
    assert.equal(input(cluster, "backupEnabled"), true);
    assert.equal(input(cluster, "retainBackupsEnabled"), true);
    assert.equal(input(cluster, "terminationProtectionEnabled"), true);
    assert.equal(input(cluster, "mongoDbMajorVersion"), "7.0");
    assert.equal(cluster.options.protect, true);
    const schedule = rec.one(T.backups, "db-backups");
    assert.equal(input(schedule, "clusterName"), "mipedido-prod-db");
    assert.deepEqual(input(schedule, "policyItemDaily"), { frequencyInterval: 1, retentionUnit: "days", retentionValue: 14 });
    // The project and every resource of the data are retained; only the data-holding ones are protected.
    for (const r of [cluster, schedule, rec.one(T.user), rec.one(T.password), rec.one(T.project)]) assert.equal(r.options.retainOnDelete, true, r.name);
    assert.equal(rec.one(T.user).options.protect, undefined);
    assert.equal(rec.one(T.project).options.protect, true);
  });

  it("maps larger sizes to the dedicated tier with their vCPUs and memory, and takes an explicit tier", async () => {
    const { rec } = await deploy({
      tier: "production",
      databases: [db({ name: "a", size: "medium" }), db({ name: "b", size: "large" }), db({ name: "c", size: "nano", settings: { tier: "M30" } })],
    });
    const size = (name: string) => (regionConfigOf(rec.one(T.cluster, name)).electableSpecs as { instanceSize: string }).instanceSize;
    assert.deepEqual([size("a"), size("b"), size("c")], ["M20", "M40", "M30"]);
  });

  it("runs in the stack's AWS region when the config gives one", async () => {
    const { rec } = await deploy({ config: { "aws:region": "eu-west-1" } });
    assert.equal(regionConfigOf(rec.one(T.cluster, "db")).regionName, "EU_WEST_1");
  });
});

describe("atlas: the user and the URL", () => {
  it("gives the app's user readWrite on its database only, scoped to its cluster, with the generated password", async () => {
    const { rec } = await deploy({ databases: [db({ settings: { databaseName: "mipedido" } })] });
    const user = rec.one(T.user, "db-user");
    assert.equal(input(user, "username"), "mipedido-staging-db-app");
    assert.equal(input(user, "authDatabaseName"), "admin");
    assert.deepEqual(input(user, "roles"), [{ roleName: "readWrite", databaseName: "mipedido" }]);
    assert.deepEqual(input(user, "scopes"), [{ name: "mipedido-staging-db", type: "CLUSTER" }]);
    assert.ok(isSecret(user.inputs.password), "the password reaches the provider as a secret");
    assert.equal(input(user, "password"), PASSWORD);
    const password = rec.one(T.password, "db-password");
    assert.equal(input(password, "length"), 32);
  });

  it("builds a secret mongodb+srv URL from the cluster's SRV string, credentials URL-encoded, with the database", async () => {
    const { urls, secret } = await deploy({ databases: [db({ settings: { databaseName: "mipedido" } })] });
    const url = urlOf(urls.get("db"));
    assert.equal(secret.get("db"), true);
    assert.equal(url, `mongodb+srv://mipedido-staging-db-app:${encodeURIComponent(PASSWORD)}@mipedido-staging-db.ab1cd.mongodb.net/mipedido?retryWrites=true&w=majority`);
    const parsed = new URL(url);
    assert.equal(decodeURIComponent(parsed.password), PASSWORD);
    assert.equal(parsed.pathname, "/mipedido");
  });
});

describe("atlas: connectionUrl", () => {
  it("accepts the SRV string with or without a trailing slash or options, and refuses anything else", () => {
    for (const srv of ["mongodb+srv://c0.ab1cd.mongodb.net", "mongodb+srv://c0.ab1cd.mongodb.net/", "mongodb+srv://c0.ab1cd.mongodb.net/?appName=x"]) {
      assert.equal(connectionUrl(srv, "u", "p w", "app"), "mongodb+srv://u:p%20w@c0.ab1cd.mongodb.net/app?retryWrites=true&w=majority");
    }
    for (const srv of ["", "mongodb://h1:27017,h2:27017", "mongodb+srv://user:pw@c0.ab1cd.mongodb.net"]) {
      assert.throws(() => connectionUrl(srv, "u", "p", "app"), /expected mongodb\+srv:\/\/<host>/);
    }
  });
});

describe("atlas: the project and network access", () => {
  it("creates a project per stack in the organisation, and the access list as config says (addresses and CIDRs)", async () => {
    const { rec } = await deploy({ settings: { orgId: ORG, access: { allow: ["203.0.113.7", "198.51.100.0/24"] } } });
    const project = rec.one(T.project);
    assert.deepEqual([input(project, "orgId"), input(project, "name")], [ORG, "mipedido-staging"]);
    const entries = rec.ofType(T.access).map((r) => ({ ip: input(r, "ipAddress"), cidr: input(r, "cidrBlock"), project: input(r, "projectId") }));
    assert.deepEqual(entries, [
      { ip: "203.0.113.7", cidr: undefined, project: project.id },
      { ip: undefined, cidr: "198.51.100.0/24", project: project.id },
    ]);
    assert.equal(input(rec.one(T.cluster), "projectId"), project.id);
    assert.ok(!rec.warnings.some((w) => w.includes("network access")), "a development stack with an access list says it as information");
  });

  it("opens to the internet only when written, and warns that it did", async () => {
    const { rec } = await deploy({ settings: { orgId: ORG, access: { allow: ["0.0.0.0/0"] } } });
    assert.deepEqual(rec.ofType(T.access).map((r) => input(r, "cidrBlock")), ["0.0.0.0/0"]);
    assert.ok(rec.warnings.some((w) => w.includes("OPEN TO THE WHOLE INTERNET")), rec.warnings.join("\n"));
  });

  it("with private endpoints, adds no access-list entry and says so on production", async () => {
    const { rec } = await deploy({ tier: "production", settings: { projectId: PROJECT, access: { privateEndpoint: true } } });
    assert.equal(rec.ofType(T.access).length, 0);
    assert.equal(rec.ofType(T.project).length, 0, "an existing project is used, not created");
    assert.equal(input(rec.one(T.cluster), "projectId"), PROJECT);
    assert.ok(rec.warnings.some((w) => w.includes("private endpoints only")), rec.warnings.join("\n"));
    assert.ok(rec.warnings.some((w) => w.includes("no private endpoint yet")), "until the endpoint exists, the URL is the public one, said");
  });

  it("with private endpoints, links the private endpoint's SRV string once Atlas lists one", async () => {
    const { urls } = await deploy({
      tier: "production",
      settings: { projectId: PROJECT, access: { privateEndpoint: true } },
      clusterState: (name) => ({
        connectionStrings: {
          standardSrv: `mongodb+srv://${name}.ab1cd.mongodb.net`,
          privateEndpoints: [{ srvConnectionString: `mongodb+srv://${name}-pl-0.ab1cd.mongodb.net`, connectionString: "", endpoints: [], type: "MONGOD" }],
        },
      }),
    });
    assert.match(urlOf(urls.get("db")), /@mipedido-prod-db-pl-0\.ab1cd\.mongodb\.net\/db\?/);
  });
});

describe("atlas: changes Atlas cannot make in place", () => {
  /**
   * The guard alone, as the cluster's `replicationSpecs` gets it: when it rejects, the cluster (and everything that
   * reads the cluster) is never sent to Atlas and `pulumi up` fails with this message. Run alone because the
   * rejection would reach every dependent registration as an unhandled rejection under the mock runtime.
   */
  async function guard(tier: AtlasTier, existing: { name: string; providerName: string }[]): Promise<{ value: unknown } | { error: unknown }> {
    let settled!: Promise<{ value: unknown } | { error: unknown }>;
    await recordResources(
      () => {
        const parent = parentComponent("Database", "db");
        const specs = guardedReplicationSpecs("db", pulumi.output(PROJECT), "mipedido-staging-db", tier, regionConfig(tier, "AWS", "US_EAST_1"), parent);
        settled = settleOutput(specs);
      },
      { call: (token, inputs) => (token === T.listClusters && inputs.projectId === PROJECT ? { results: existing.map((c) => ({ name: c.name, replicationSpecs: [{ regionConfigs: [{ providerName: c.providerName }] }] })) } : undefined) },
    );
    return settled;
  }

  it("refuses M0 -> dedicated with the upgrade steps", async () => {
    const result = await guard("M10", [{ name: "mipedido-staging-db", providerName: "TENANT" }]);
    assert.ok("error" in result, "the guard rejects");
    const message = String((result.error as Error).message);
    assert.match(message, /is the free M0, and the config now asks for M10/);
    assert.match(message, /mongodump/);
    assert.match(message, /pulumi refresh/);
  });

  it("refuses dedicated -> Flex (Atlas cannot go back) with the copy steps", async () => {
    const result = await guard("FLEX", [{ name: "mipedido-staging-db", providerName: "AWS" }]);
    assert.ok("error" in result);
    assert.match(String((result.error as Error).message), /cannot turn a dedicated \(M10 and up\) cluster into Flex.*mongorestore/);
  });

  it("lets a new cluster, another project's cluster of that name or the same class through", async () => {
    for (const existing of [[], [{ name: "other", providerName: "TENANT" }], [{ name: "mipedido-staging-db", providerName: "GCP" }]]) {
      const result = await guard("M10", existing);
      assert.ok("value" in result, JSON.stringify(existing));
      assert.equal((result.value as { regionConfigs: { electableSpecs: { instanceSize: string } }[] }[])[0]!.regionConfigs[0]!.electableSpecs.instanceSize, "M10");
    }
  });

  it("feeds the cluster through the guard: the cluster's spec is whatever the guard let through", async () => {
    const { rec } = await deploy({ databases: [db({ settings: { tier: "M10" } })] });
    assert.equal(rec.callsOf(T.listClusters).length, 1);
    assert.deepEqual(rec.callsOf(T.listClusters)[0]!.inputs.projectId, rec.one(T.project).id);
  });

  it("lets a change within dedicated tiers through (Atlas resizes in place)", async () => {
    const { rec, urls } = await deploy({ tier: "production", databases: [db({ settings: { tier: "M20" } })], existing: [{ name: "mipedido-prod-db", providerName: "AWS" }] });
    urlOf(urls.get("db"));
    assert.equal((regionConfigOf(rec.one(T.cluster)).electableSpecs as { instanceSize: string }).instanceSize, "M20");
  });

  it("leaves the copy a move left behind frozen: ignoreChanges on all, no class check", async () => {
    const { rec, urls } = await deploy({ frozen: true, databases: [db({ settings: { tier: "M10" } })], existing: [{ name: "mipedido-staging-db", providerName: "TENANT" }] });
    urlOf(urls.get("db"));
    assert.equal(rec.callsOf(T.listClusters).length, 0);
    for (const r of [rec.one(T.cluster), rec.one(T.user), rec.one(T.password), rec.one(T.backups)]) assert.deepEqual(r.options.ignoreChanges, ["*"], r.name);
  });
});
