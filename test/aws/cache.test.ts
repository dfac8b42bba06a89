/**
 * createCache under Pulumi's mock runtime: the real @pulumi/aws classes register against a recorder, and a
 * transformation on the parent records each child's resource options (retainOnDelete, protect).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CacheSpec, StackInfo } from "../../providers/backend";
import type { CacheSettings } from "../../providers/aws/cache";
import { CACHE_NODE_TYPES, cacheSettings, createCache } from "../../providers/aws/cache";
import { elastiCacheId } from "../../providers/aws/cache-names";
import { deployDataPart, secret, stackOf, valueOf } from "./dataHarness";
import type { Child, DeployedDataPart } from "./dataHarness";

const MOCK_PASSWORD = "Secret/With@Chars";
const SERVERLESS_HOST = "cache-abc.serverless.use1.cache.amazonaws.com";
const PRIMARY_HOST = "master.cache-abc.use1.cache.amazonaws.com";

/** Runs `createCache` under mocks; returns the children by logical name, the URL and whether it is secret. */
function deploy(spec: CacheSpec<CacheSettings>, tier: StackInfo["tier"], frozen = false) {
  return deployDataPart({
    tier,
    frozen,
    password: MOCK_PASSWORD,
    outputsByType: {
      "aws:elasticache/serverlessCache:ServerlessCache": { endpoints: [{ address: SERVERLESS_HOST, port: 6379 }] },
      "aws:elasticache/replicationGroup:ReplicationGroup": { primaryEndpointAddress: PRIMARY_HOST },
    },
    create: (net, data, parent, stack) => createCache(net, spec, data, parent, stack),
  });
}

function spec(overrides: Partial<CacheSpec<CacheSettings>> = {}): CacheSpec<CacheSettings> {
  return { name: "cache", backend: "aws", engine: "valkey", size: "nano", evictionPolicy: "noeviction", settings: {}, ...overrides };
}

const SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache";
const NODES = "aws:elasticache/replicationGroup:ReplicationGroup";
const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

describe("createCache: the default (valkey, noeviction) is serverless", () => {
  // Each deploy replaces the process-wide mocks: run them in hooks, one after another, never at collection time.
  let deployed: DeployedDataPart, cache: Child;
  before(async () => {
    deployed = await deploy(spec(), "development");
    cache = deployed.child("cache", SERVERLESS);
  });

  it("is a serverless valkey cache at the newest major, in the isolated subnets", () => {
    assert.equal(cache.inputs.engine, "valkey");
    assert.equal(cache.inputs.majorEngineVersion, "8");
    assert.deepEqual(cache.inputs.subnetIds, ["isolated-a", "isolated-b"]);
    assert.equal(deployed.ofType(NODES).length, 0);
  });

  it("admits 6379-6380 (primary and reader endpoints) from the app security group only", () => {
    const sg = deployed.child("cache-sg", "aws:ec2/securityGroup:SecurityGroup");
    assert.equal(sg.inputs.ingress, undefined);
    assert.deepEqual(cache.inputs.securityGroupIds, ["cache-sg-id"]);
    const rules = deployed.ofType(RULE);
    assert.equal(rules.length, 1);
    assert.deepEqual(
      [rules[0]!.inputs.securityGroupId, rules[0]!.inputs.referencedSecurityGroupId, rules[0]!.inputs.ipProtocol, rules[0]!.inputs.fromPort, rules[0]!.inputs.toPort],
      ["cache-sg-id", "sg-app", "tcp", 6379, 6380],
    );
  });

  it("requires a password: an app user with full access, and a disabled default user", () => {
    const app = deployed.child("cache-user", "aws:elasticache/user:User");
    assert.equal(app.inputs.userName, "app");
    assert.equal(app.inputs.accessString, "on ~* &* +@all");
    assert.deepEqual(app.inputs.passwords, secret([MOCK_PASSWORD]));
    const fallback = deployed.child("cache-default-user", "aws:elasticache/user:User");
    assert.equal(fallback.inputs.userName, "default");
    assert.match(String(fallback.inputs.accessString), /^off /);
    const group = deployed.child("cache-users", "aws:elasticache/userGroup:UserGroup");
    assert.deepEqual(group.inputs.userIds, [app.inputs.userId, fallback.inputs.userId]);
    assert.equal(cache.inputs.userGroupId, group.inputs.userGroupId);
  });

  it("caps compute from the size but not storage (a storage cap would evict under noeviction)", () => {
    assert.deepEqual(cache.inputs.cacheUsageLimits, { ecpuPerSeconds: [{ maximum: 5000 }] });
  });

  it("is retained but not protected on development; its users and security group are retained too", () => {
    assert.equal(cache.opts.retainOnDelete, true);
    assert.ok(!cache.opts.protect);
    for (const name of ["cache-sg", "cache-user", "cache-default-user", "cache-users"]) assert.equal(deployed.children.get(name)?.opts.retainOnDelete, true, name);
    assert.ok(!deployed.children.get("cache-from-app")?.opts.retainOnDelete);
  });

  it("returns a secret rediss:// URL with the app user and the encoded password", () => {
    assert.equal(deployed.urlIsSecret, true);
    assert.equal(deployed.url, `rediss://app:${encodeURIComponent(MOCK_PASSWORD)}@${SERVERLESS_HOST}:6379`);
  });

  it("gives ElastiCache ids of at most 40 characters, a letter first", () => {
    for (const id of [cache.inputs.name, deployed.child("cache-user", "aws:elasticache/user:User").inputs.userId]) {
      assert.match(String(id), /^[a-z][a-z0-9-]{0,39}$/);
      assert.doesNotMatch(String(id), /--/);
    }
  });
});

describe("createCache: eviction policies", () => {
  it("volatile-lru stays serverless, with a storage cap from the size", async () => {
    const nano = await deploy(spec({ evictionPolicy: "volatile-lru" }), "development");
    assert.deepEqual(nano.child("cache", SERVERLESS).inputs.cacheUsageLimits, { dataStorage: { maximum: 1, unit: "GB" }, ecpuPerSeconds: [{ maximum: 5000 }] });
    const small = await deploy(spec({ evictionPolicy: "volatile-lru", size: "small", settings: { maxEcpuPerSecond: 9000 } }), "development");
    assert.deepEqual(small.child("cache", SERVERLESS).inputs.cacheUsageLimits, { dataStorage: { maximum: 2, unit: "GB" }, ecpuPerSeconds: [{ maximum: 9000 }] });
  });

  it("allkeys-lru picks node mode, whose parameter group sets maxmemory-policy", async () => {
    const { child, ofType } = await deploy(spec({ evictionPolicy: "allkeys-lru" }), "development");
    assert.equal(ofType(SERVERLESS).length, 0);
    const params = child("cache-params", "aws:elasticache/parameterGroup:ParameterGroup");
    assert.equal(params.inputs.family, "valkey8");
    assert.deepEqual(params.inputs.parameters, [{ name: "maxmemory-policy", value: "allkeys-lru" }]);
    assert.equal(child("cache", NODES).inputs.parameterGroupName, "cache-params-physical");
  });

  it("mode serverless with a policy serverless cannot honour is refused, not silently changed", async () => {
    await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) }, "multicloud", "test", false);
    const parent = new pulumi.ComponentResource("test:index:Parent", "refused", {});
    const net = { vpcId: pulumi.output("v"), publicSubnetIds: [], isolatedSubnetIds: [], appSecurityGroupId: pulumi.output("s") };
    assert.throws(
      () => createCache(net, spec({ evictionPolicy: "allkeys-lfu", settings: { mode: "serverless" } }), { retainOnDelete: true, protect: false }, parent, stackOf("development")),
      /serverless.*allkeys-lfu/,
    );
    await valueOf(parent.urn);
  });
});

describe("createCache: node mode", () => {
  let deployed: DeployedDataPart, group: Child;
  before(async () => {
    deployed = await deploy(spec({ settings: { mode: "node" } }), "development");
    group = deployed.child("cache", NODES);
  });

  it("encrypts in transit (required) and at rest, with an AUTH token sent as a secret", () => {
    assert.equal(group.inputs.transitEncryptionEnabled, true);
    assert.equal(group.inputs.transitEncryptionMode, "required");
    assert.equal(group.inputs.atRestEncryptionEnabled, true);
    assert.deepEqual(group.inputs.authToken, secret(MOCK_PASSWORD));
  });

  it("runs valkey 8.2 on cache.t4g.micro (nano), one node on development, in the isolated subnets", () => {
    assert.equal(group.inputs.engine, "valkey");
    assert.equal(group.inputs.engineVersion, "8.2");
    assert.equal(group.inputs.nodeType, "cache.t4g.micro");
    assert.equal(group.inputs.numCacheClusters, 1);
    assert.equal(group.inputs.automaticFailoverEnabled, false);
    assert.deepEqual(deployed.child("cache-subnets", "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds, ["isolated-a", "isolated-b"]);
    assert.equal(group.inputs.subnetGroupName, "cache-subnets-physical");
  });

  it("sets noeviction explicitly and admits 6379 only from the app security group", () => {
    assert.deepEqual(deployed.child("cache-params", "aws:elasticache/parameterGroup:ParameterGroup").inputs.parameters, [{ name: "maxmemory-policy", value: "noeviction" }]);
    const rules = deployed.ofType(RULE);
    assert.deepEqual([rules.length, rules[0]!.inputs.referencedSecurityGroupId, rules[0]!.inputs.fromPort, rules[0]!.inputs.toPort], [1, "sg-app", 6379, 6379]);
  });

  it("returns a secret rediss:// URL with the AUTH token", () => {
    assert.equal(deployed.urlIsSecret, true);
    assert.equal(deployed.url, `rediss://:${encodeURIComponent(MOCK_PASSWORD)}@${PRIMARY_HOST}:6379`);
  });
});

describe("createCache: production and sizes", () => {
  it("on production, node mode gets a replica with automatic failover, and the cache is protected", async () => {
    const { child } = await deploy(spec({ evictionPolicy: "allkeys-lfu" }), "production");
    const group = child("cache", NODES);
    assert.equal(group.inputs.numCacheClusters, 2);
    assert.equal(group.inputs.automaticFailoverEnabled, true);
    assert.equal(group.inputs.multiAzEnabled, true);
    assert.equal(group.inputs.applyImmediately, false);
    assert.equal(group.opts.protect, true);
    assert.equal(group.opts.retainOnDelete, true);
  });

  it("on production, the serverless cache is protected", async () => {
    const { child } = await deploy(spec(), "production");
    assert.equal(child("cache", SERVERLESS).opts.protect, true);
  });

  it("maps sizes to node types; nodeType and replicas override them; redis 7 runs 7.1", async () => {
    assert.deepEqual(CACHE_NODE_TYPES, {
      nano: "cache.t4g.micro", micro: "cache.t4g.small", small: "cache.t4g.medium", medium: "cache.m7g.large", large: "cache.m7g.xlarge", xlarge: "cache.m7g.2xlarge",
    });
    const medium = await deploy(spec({ engine: "redis", size: "medium", evictionPolicy: "allkeys-lru" }), "development");
    const group = medium.child("cache", NODES);
    assert.equal(group.inputs.nodeType, "cache.m7g.large");
    assert.equal(group.inputs.engineVersion, "7.1");
    assert.equal(medium.child("cache-params", "aws:elasticache/parameterGroup:ParameterGroup").inputs.family, "redis7");
    const custom = await deploy(spec({ evictionPolicy: "allkeys-lru", settings: { nodeType: "cache.r7g.large", replicas: 2 } }), "development");
    assert.equal(custom.child("cache", NODES).inputs.nodeType, "cache.r7g.large");
    assert.equal(custom.child("cache", NODES).inputs.numCacheClusters, 3);
  });

  it("a change of engine or mode gives new ElastiCache ids, so a retained old cache never collides with its successor", () => {
    const stack = stackOf("production");
    const ids = new Set([
      elastiCacheId(stack, "cache", ["valkey", "serverless"]),
      elastiCacheId(stack, "cache", ["valkey", "node"]),
      elastiCacheId(stack, "cache", ["redis", "serverless"]),
      elastiCacheId(stackOf("development"), "cache", ["valkey", "serverless"]),
    ]);
    assert.equal(ids.size, 4);
    const long = elastiCacheId({ ...stack, appName: "a-very-long-application-name" }, "an-equally-long-cache-name", ["valkey", "node"], "default");
    assert.ok(long.length <= 40, long);
    assert.match(long, /^[a-z][a-z0-9-]*-[0-9a-f]{8}-default$/);
  });

  it("refuses unknown settings keys and out-of-range limits", () => {
    assert.equal(cacheSettings.safeParse({ mode: "cluster" }).success, false);
    assert.equal(cacheSettings.safeParse({ maxEcpuPerSecond: 10 }).success, false);
    assert.equal(cacheSettings.safeParse({ nodetype: "cache.t4g.micro" }).success, false);
    assert.equal(cacheSettings.safeParse({}).success, true);
  });
});

describe("createCache: the copy a move leaves behind", () => {
  for (const mode of ["serverless", "node"] as const) {
    it(`freezes every resource of a kept ${mode} copy, and none of a current one`, async () => {
      const kept = await deploy(spec({ settings: { mode } }), "production", true);
      assert.ok(kept.children.size >= 3);
      for (const [name, child] of kept.children) if (name !== "parent") assert.deepEqual(child.opts.ignoreChanges, ["*"], name);
      const current = await deploy(spec({ settings: { mode } }), "production");
      for (const [name, child] of current.children) assert.equal(child.opts.ignoreChanges, undefined, name);
    });
  }
});
