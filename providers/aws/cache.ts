/**
 * A portable cache on AWS: ElastiCache Serverless (the default) or a node-based replication group, in the isolated
 * subnets, reachable only from the app's security group, TLS always, encrypted at rest, password-protected.
 * See cache-mode.ts for which mode an eviction policy gets.
 *
 * - Serverless: access control is RBAC only, so it gets a user group with an `app` user (the URL's credentials)
 *   and a disabled `default` user (Redis-engine user groups must contain one; it keeps unauthenticated clients out).
 *   Clients should speak cluster mode for multi-key commands across slots.
 * - Node: one primary (and replicas per settings), cluster mode off, an AUTH token, and a parameter group setting
 *   `maxmemory-policy` to the declared eviction policy.
 *
 * Cost (us-east-1): serverless Valkey from ~$6/month (100 MB minimum) plus ECPUs; cache.t4g.micro Valkey ~$9.3/month
 * per node.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Size } from "../../components/sizes";
import type { CacheSpec, ConnectionResult, DataOptions, StackInfo } from "../backend";
import type { CacheSettings } from "./cache-mode";
import { cacheMajor, cacheMode, NODE_ENGINE_VERSIONS, serverlessLimits } from "./cache-mode";
import { elastiCacheId } from "./cache-names";
import type { AwsNetwork } from "./types";

export { cacheSettings, type CacheSettings } from "./cache-mode";

/** Portable size -> node type: at least the size's memory; Graviton throughout. */
export const CACHE_NODE_TYPES: Readonly<Record<Size, string>> = {
  nano: "cache.t4g.micro",
  micro: "cache.t4g.small",
  small: "cache.t4g.medium",
  medium: "cache.m7g.large",
  large: "cache.m7g.xlarge",
  xlarge: "cache.m7g.2xlarge",
};

const PORT = 6379;
/** Serverless also serves reads from replicas on the next port. */
const SERVERLESS_READER_PORT = 6380;
/** The user the app connects as on serverless. */
const APP_USER = "app";

/**
 * A password ElastiCache accepts both as an RBAC user password (16-128 characters, no `,` `"` `/` `@`) and as an AUTH
 * token (16-128 printable ASCII whose only special characters may be `!&#$^<>-`: API model,
 * CreateReplicationGroupMessage.AuthToken), and that a URL keeps as is: letters and digits only.
 */
function cachePassword(name: string, kept: pulumi.CustomResourceOptions): random.RandomPassword {
  // Not retained (a password is only state), but frozen with the rest of a kept copy.
  const { parent, ignoreChanges } = kept;
  return new random.RandomPassword(name, { length: 40, special: false }, { parent, ...(ignoreChanges ? { ignoreChanges } : {}) });
}

/** Creates the cache; children are parented to `parent` and named from `spec.name`. */
export function createCache(
  net: AwsNetwork,
  spec: CacheSpec<CacheSettings>,
  data: DataOptions,
  parent: pulumi.ComponentResource,
  stack: StackInfo,
): ConnectionResult {
  const settings = spec.settings ?? {};
  const chosen = cacheMode(spec, settings);
  if ("error" in chosen) throw new Error(`multicloud: caches.${spec.name}: ${chosen.error} (validation should have refused it)`);
  const name = spec.name;
  const production = stack.tier === "production";
  // What the cache depends on is retained with it (deleting a security group or user group still in use by a
  // retained cache fails the deployment); only the cache itself is protected.
  // A copy left behind by a move is frozen: none of its resources changes again.
  const own: pulumi.CustomResourceOptions = { parent, ...(data.ignoreChanges ? { ignoreChanges: data.ignoreChanges } : {}) };
  const kept: pulumi.CustomResourceOptions = { ...own, retainOnDelete: data.retainOnDelete };
  const serverless = chosen.mode === "serverless";

  const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
    vpcId: net.vpcId,
    description: `multicloud cache ${name}: ${serverless ? `${PORT}-${SERVERLESS_READER_PORT}` : PORT} from the app only`,
    // No egress rules: a cache answers connections, it opens none.
  }, kept);
  // Not retained: a rule left behind would keep the app security group from ever being deleted.
  new aws.vpc.SecurityGroupIngressRule(`${name}-from-app`, {
    securityGroupId: securityGroup.id,
    referencedSecurityGroupId: net.appSecurityGroupId,
    ipProtocol: "tcp",
    fromPort: PORT,
    toPort: serverless ? SERVERLESS_READER_PORT : PORT,
    // EC2 allows only a-zA-Z0-9, spaces and ._-:/()#,@[]+=&;{}!$* here (no apostrophe): see the AWS CONFORMANCE table.
    description: "from the app tasks",
  }, own);

  const salt = [spec.engine, chosen.mode];
  const url = serverless
    ? createServerless(net, spec, settings, securityGroup, stack, salt, kept, data.protect)
    : createNodes(net, spec, settings, securityGroup, stack, salt, kept, data.protect, production);
  return { url: pulumi.secret(url) };
}

function createServerless(
  net: AwsNetwork,
  spec: CacheSpec<CacheSettings>,
  settings: CacheSettings,
  securityGroup: aws.ec2.SecurityGroup,
  stack: StackInfo,
  salt: string[],
  kept: pulumi.CustomResourceOptions,
  protect: boolean,
): pulumi.Output<string> {
  const name = spec.name;
  const password = cachePassword(`${name}-password`, kept);
  const fallbackPassword = cachePassword(`${name}-default-password`, kept);
  const appUser = new aws.elasticache.User(`${name}-user`, {
    userId: elastiCacheId(stack, name, salt, "app"),
    userName: APP_USER,
    engine: spec.engine,
    // `&*`: pub/sub channels too, which users created on Redis 7+ engines otherwise lack.
    accessString: "on ~* &* +@all",
    // `passwords` rather than `authenticationMode.passwords`: the provider marks this field secret in state.
    passwords: [password.result],
  }, kept);
  const defaultUser = new aws.elasticache.User(`${name}-default-user`, {
    userId: elastiCacheId(stack, name, salt, "default"),
    userName: "default",
    engine: spec.engine,
    accessString: "off -@all",
    passwords: [fallbackPassword.result],
  }, kept);
  const userGroup = new aws.elasticache.UserGroup(`${name}-users`, {
    userGroupId: elastiCacheId(stack, name, salt),
    engine: spec.engine,
    userIds: [appUser.userId, defaultUser.userId],
  }, kept);

  const limits = serverlessLimits(spec, settings);
  const cache = new aws.elasticache.ServerlessCache(name, {
    name: elastiCacheId(stack, name, salt),
    description: `multicloud cache ${name}`,
    engine: spec.engine,
    majorEngineVersion: cacheMajor(spec),
    subnetIds: net.isolatedSubnetIds,
    securityGroupIds: [securityGroup.id],
    userGroupId: userGroup.userGroupId,
    cacheUsageLimits: {
      ...(limits.dataStorageGB !== undefined ? { dataStorage: { maximum: limits.dataStorageGB, unit: "GB" } } : {}),
      ecpuPerSeconds: [{ maximum: limits.ecpuPerSecond }],
    },
  }, { ...kept, protect });

  return pulumi.all([password.result, cache.endpoints]).apply(([pw, endpoints]) => {
    const endpoint = endpoints[0];
    if (!endpoint) throw new Error(`multicloud: the serverless cache ${name} reported no endpoint`);
    return `rediss://${APP_USER}:${encodeURIComponent(pw)}@${endpoint.address}:${endpoint.port}`;
  });
}

function createNodes(
  net: AwsNetwork,
  spec: CacheSpec<CacheSettings>,
  settings: CacheSettings,
  securityGroup: aws.ec2.SecurityGroup,
  stack: StackInfo,
  salt: string[],
  kept: pulumi.CustomResourceOptions,
  protect: boolean,
  production: boolean,
): pulumi.Output<string> {
  const name = spec.name;
  const major = cacheMajor(spec);
  const engineVersion = NODE_ENGINE_VERSIONS[spec.engine][major];
  if (!engineVersion) throw new Error(`multicloud: caches.${name}: ElastiCache has no ${spec.engine} ${major} (validation should have refused it)`);
  const replicas = settings.replicas ?? (production ? 1 : 0);

  const authToken = cachePassword(`${name}-auth-token`, kept);
  const subnetGroup = new aws.elasticache.SubnetGroup(`${name}-subnets`, {
    subnetIds: net.isolatedSubnetIds,
    description: `multicloud cache ${name}: isolated subnets`,
  }, kept);
  const parameterGroup = new aws.elasticache.ParameterGroup(`${name}-params`, {
    family: `${spec.engine}${major}`,
    description: `multicloud cache ${name}: maxmemory-policy ${spec.evictionPolicy}`,
    parameters: [{ name: "maxmemory-policy", value: spec.evictionPolicy }],
  }, kept);

  const group = new aws.elasticache.ReplicationGroup(name, {
    replicationGroupId: elastiCacheId(stack, name, salt),
    description: `multicloud cache ${name}`,
    engine: spec.engine,
    engineVersion,
    autoMinorVersionUpgrade: true,
    nodeType: settings.nodeType ?? CACHE_NODE_TYPES[spec.size],
    clusterMode: "disabled",
    numCacheClusters: 1 + replicas,
    automaticFailoverEnabled: replicas > 0,
    multiAzEnabled: replicas > 0,
    port: PORT,
    parameterGroupName: parameterGroup.name,
    subnetGroupName: subnetGroup.name,
    securityGroupIds: [securityGroup.id],
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    authToken: authToken.result,
    // Production changes wait for the maintenance window.
    applyImmediately: !production,
  }, { ...kept, protect });

  return pulumi.all([authToken.result, group.primaryEndpointAddress, group.port]).apply(
    ([token, host, port]) => `rediss://:${encodeURIComponent(token)}@${host}:${port ?? PORT}`,
  );
}
