/**
 * Every string field the AWS backend sets, by Pulumi resource type and input property (as the `@pulumi/aws`
 * typings name them), mapped to the AWS API member it becomes, plus what AWS documents about it that its API model
 * does not encode. `scripts/aws-constraints/extract.ts` reads the members listed here from the AWS API models
 * (`aws/api-models-aws`) into ./model-constraints.json; ./check.ts checks planned resources against both.
 *
 * A field the backend does not set need not be here; a field it sets must be, or the check cannot see it (the test
 * "maps every string field" in test/aws/constraints.test.ts lists what a plan sets and this file does not cover).
 */

import { SSM_MAX_PARAMETER_NAME, SSM_RESERVED_PREFIX } from "../names";

/** An API member in the Smithy models: `<model folder>#<structure>$<member>`, optionally its list item / map key or value. */
export interface ApiMember {
  /** The model's folder in aws/api-models-aws, e.g. `elastic-load-balancing-v2`. */
  service: string;
  /** The input structure, e.g. `CreateLoadBalancerInput`. */
  shape: string;
  member: string;
  /** For a list or map member: its item, or the map's key or value. */
  part?: "item" | "key" | "value";
}

/** A constraint AWS documents (API reference, or the model's own documentation text) but the model does not encode. */
export interface DocumentedRule {
  /** What a value must satisfy, as a whole-string JS regular expression. */
  pattern?: RegExp;
  /** What a value must NOT contain or start with. */
  forbidden?: RegExp;
  maxLength?: number;
  minLength?: number;
  /** The rule in words, as the error says it. */
  rule: string;
  /** Where AWS says so. */
  source: string;
}

export interface FieldRule {
  /** The Pulumi type token, e.g. `aws:ec2/securityGroup:SecurityGroup`. */
  type: string;
  /**
   * The input property: dot-separated; `*` steps into every array item (or map value), `*key` / `*value` into a
   * map's keys or values, `(json)` parses a JSON string (e.g. container definitions).
   */
  property: string;
  /** The API member whose model constraints apply; absent when the model is not available (EC2). */
  member?: ApiMember;
  /**
   * The provider names the resource when the program does not: Pulumi's auto-naming, `<logical name>-<7 random
   * hex>` (pulumi-terraform-bridge `AutoName`: separator `-`, `Randlen: 7`). Checked with a stand-in suffix.
   */
  autoName?: boolean;
  documented?: DocumentedRule[];
}

// ---- Rules AWS documents outside the models (or in the models' documentation text only) ----

const EC2_API = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference";
/** EC2's character set for security group names and descriptions and rule descriptions (EC2-VPC). */
const EC2_CHARS = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const EC2_CHARS_WORDS = "at most 255 characters: a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*";

const ec2Text = (source: string): DocumentedRule => ({ pattern: EC2_CHARS, maxLength: 255, rule: EC2_CHARS_WORDS, source });

/** EC2 tags (the EC2 model is not in the snapshot; the Tag shape documents these). */
const EC2_TAGS: FieldRule[] = [
  {
    type: "",
    property: "tags.*key",
    documented: [
      { minLength: 1, maxLength: 127, forbidden: /^aws:/i, rule: "1-127 characters, not starting with aws:", source: `${EC2_API}/API_Tag.html` },
    ],
  },
  { type: "", property: "tags.*value", documented: [{ maxLength: 255, rule: "at most 255 characters", source: `${EC2_API}/API_Tag.html` }] },
];

const ELB_NAME = (what: string, extra: RegExp[] = []): DocumentedRule[] => [
  {
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    maxLength: 32,
    rule: `${what}: 1-32 letters, digits and hyphens, not starting or ending with a hyphen`,
    source: "aws/api-models-aws elastic-load-balancing-v2 (documentation of the Name member)",
  },
  ...extra.map((forbidden) => ({ forbidden, rule: `${what}: must not start with "internal-"`, source: "aws/api-models-aws elastic-load-balancing-v2 CreateLoadBalancerInput$Name" })),
];

const ECS_NAME = (what: string): DocumentedRule[] => [
  {
    pattern: /^[a-zA-Z0-9_-]+$/,
    maxLength: 255,
    rule: `${what}: up to 255 letters, digits, underscores and hyphens`,
    source: "aws/api-models-aws ecs (documentation of the member)",
  },
];

/** RDS identifiers (instances, snapshots, parameter groups): a letter first, no trailing hyphen, no `--`. */
const RDS_IDENTIFIER = (what: string, max: number, source: string): DocumentedRule[] => [
  {
    pattern: /^[a-zA-Z][a-zA-Z0-9-]*$/,
    maxLength: max,
    minLength: 1,
    rule: `${what}: 1-${max} letters, digits and hyphens, a letter first`,
    source,
  },
  { forbidden: /--|-$/, rule: `${what}: no two consecutive hyphens and no hyphen at the end`, source },
];

const ELASTICACHE_ID = (what: string, source: string): DocumentedRule[] => [
  { pattern: /^[a-zA-Z][a-zA-Z0-9-]*$/, maxLength: 40, rule: `${what}: 1-40 letters, digits and hyphens, a letter first`, source },
  { forbidden: /--|-$/, rule: `${what}: no two consecutive hyphens and no hyphen at the end`, source },
];

const SSM_DOCS = "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html";

/** The tags of a resource, by the model's Tag shape of its service. */
function tagsOf(type: string, service: string, shape = "Tag", key = "Key", value = "Value"): FieldRule[] {
  return [
    { type, property: "tags.*key", member: { service, shape, member: key } },
    { type, property: "tags.*value", member: { service, shape, member: value } },
  ];
}

function ec2Tags(type: string): FieldRule[] {
  return EC2_TAGS.map((rule) => ({ ...rule, type }));
}

const elb = (shape: string, member: string, part?: ApiMember["part"]): ApiMember => ({ service: "elastic-load-balancing-v2", shape, member, ...(part ? { part } : {}) });

export const FIELDS: readonly FieldRule[] = [
  // ---- EC2 (security groups and their rules; the VPC's own resources carry tags only) ----
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    property: "name",
    autoName: true,
    documented: [
      ec2Text(`${EC2_API}/API_CreateSecurityGroup.html (GroupName)`),
      { forbidden: /^sg-/i, rule: 'must not start with "sg-"', source: `${EC2_API}/API_CreateSecurityGroup.html (GroupName)` },
    ],
  },
  { type: "aws:ec2/securityGroup:SecurityGroup", property: "description", documented: [ec2Text(`${EC2_API}/API_CreateSecurityGroup.html (GroupDescription)`)] },
  ...ec2Tags("aws:ec2/securityGroup:SecurityGroup"),
  ...ec2Tags("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"),
  {
    type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    property: "description",
    documented: [ec2Text(`${EC2_API}/API_IpRange.html and API_UserIdGroupPair.html (Description), sent by AuthorizeSecurityGroupIngress`)],
  },
  {
    type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    property: "description",
    documented: [ec2Text(`${EC2_API}/API_IpRange.html (Description), sent by AuthorizeSecurityGroupEgress`)],
  },
  ...ec2Tags("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
  ...ec2Tags("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
  ...ec2Tags("aws:ec2/vpc:Vpc"),
  ...ec2Tags("aws:ec2/subnet:Subnet"),
  ...ec2Tags("aws:ec2/internetGateway:InternetGateway"),
  ...ec2Tags("aws:ec2/routeTable:RouteTable"),

  // ---- Elastic Load Balancing v2 ----
  { type: "aws:lb/loadBalancer:LoadBalancer", property: "name", member: elb("CreateLoadBalancerInput", "Name"), documented: ELB_NAME("load balancer name", [/^internal-/]) },
  ...tagsOf("aws:lb/loadBalancer:LoadBalancer", "elastic-load-balancing-v2"),
  { type: "aws:lb/targetGroup:TargetGroup", property: "name", member: elb("CreateTargetGroupInput", "Name"), documented: ELB_NAME("target group name") },
  { type: "aws:lb/targetGroup:TargetGroup", property: "healthCheck.path", member: elb("CreateTargetGroupInput", "HealthCheckPath") },
  ...tagsOf("aws:lb/targetGroup:TargetGroup", "elastic-load-balancing-v2"),
  { type: "aws:lb/listener:Listener", property: "defaultActions.*.fixedResponse.messageBody", member: elb("FixedResponseActionConfig", "MessageBody") },
  ...tagsOf("aws:lb/listener:Listener", "elastic-load-balancing-v2"),
  {
    type: "aws:lb/listenerRule:ListenerRule",
    property: "conditions.*.hostHeader.values.*",
    member: elb("HostHeaderConditionConfig", "Values", "item"),
    documented: [{ maxLength: 128, rule: "a host name of at most 128 characters", source: "aws/api-models-aws elastic-load-balancing-v2 HostHeaderConditionConfig$Values (documentation)" }],
  },
  ...tagsOf("aws:lb/listenerRule:ListenerRule", "elastic-load-balancing-v2"),

  // ---- ECS ----
  { type: "aws:ecs/cluster:Cluster", property: "name", autoName: true, member: { service: "ecs", shape: "CreateClusterRequest", member: "clusterName" }, documented: ECS_NAME("cluster name") },
  ...tagsOf("aws:ecs/cluster:Cluster", "ecs", "Tag", "key", "value"),
  { type: "aws:ecs/service:Service", property: "name", autoName: true, member: { service: "ecs", shape: "CreateServiceRequest", member: "serviceName" }, documented: ECS_NAME("service name") },
  ...tagsOf("aws:ecs/service:Service", "ecs", "Tag", "key", "value"),
  { type: "aws:ecs/taskDefinition:TaskDefinition", property: "family", member: { service: "ecs", shape: "RegisterTaskDefinitionRequest", member: "family" }, documented: ECS_NAME("task definition family") },
  {
    type: "aws:ecs/taskDefinition:TaskDefinition",
    property: "containerDefinitions.(json).*.name",
    member: { service: "ecs", shape: "ContainerDefinition", member: "name" },
    documented: ECS_NAME("container name"),
  },
  {
    type: "aws:ecs/taskDefinition:TaskDefinition",
    property: "containerDefinitions.(json).*.portMappings.*.name",
    member: { service: "ecs", shape: "PortMapping", member: "name" },
    documented: [
      {
        pattern: /^[a-z0-9_][a-z0-9_-]*$/,
        maxLength: 64,
        rule: "port mapping name: up to 64 lowercase letters, digits, underscores and hyphens, not starting with a hyphen",
        source: "aws/api-models-aws ecs PortMapping$name (documentation)",
      },
    ],
  },
  ...tagsOf("aws:ecs/taskDefinition:TaskDefinition", "ecs", "Tag", "key", "value"),

  // ---- IAM ----
  { type: "aws:iam/role:Role", property: "name", autoName: true, member: { service: "iam", shape: "CreateRoleRequest", member: "RoleName" } },
  { type: "aws:iam/role:Role", property: "description", member: { service: "iam", shape: "CreateRoleRequest", member: "Description" } },
  ...tagsOf("aws:iam/role:Role", "iam"),
  { type: "aws:iam/rolePolicy:RolePolicy", property: "name", autoName: true, member: { service: "iam", shape: "PutRolePolicyRequest", member: "PolicyName" } },

  // ---- SSM Parameter Store ----
  {
    type: "aws:ssm/parameter:Parameter",
    property: "name",
    member: { service: "ssm", shape: "PutParameterRequest", member: "Name" },
    documented: [
      { pattern: /^[a-zA-Z0-9_.\-/]+$/, rule: "only a-zA-Z0-9_.- and / between levels", source: "aws/api-models-aws ssm PutParameterRequest$Name (documentation)" },
      // The documentation says "can't be prefixed with aws or ssm"; that a leading `/` does not lift the rule is our
      // (conservative) reading: see SSM_RESERVED_PREFIX.
      { forbidden: SSM_RESERVED_PREFIX, rule: 'must not start with "aws" or "ssm" (case-insensitive), with or without the leading "/"', source: `aws/api-models-aws ssm PutParameterRequest$Name (documentation); ${SSM_DOCS}` },
      { maxLength: SSM_MAX_PARAMETER_NAME, rule: "at most 1011 characters with the parameter's ARN prefix (about 64 of them)", source: "aws/api-models-aws ssm PutParameterRequest$Name (documentation)" },
      { forbidden: /^(?:\/[^/]*){16,}$/, rule: "at most 15 levels of hierarchy", source: "aws/api-models-aws ssm PutParameterRequest$Name (documentation)" },
    ],
  },
  { type: "aws:ssm/parameter:Parameter", property: "description", member: { service: "ssm", shape: "PutParameterRequest", member: "Description" } },
  ...tagsOf("aws:ssm/parameter:Parameter", "ssm"),

  // ---- CloudWatch Logs ----
  { type: "aws:cloudwatch/logGroup:LogGroup", property: "name", member: { service: "cloudwatch-logs", shape: "CreateLogGroupRequest", member: "logGroupName" } },
  { type: "aws:cloudwatch/logGroup:LogGroup", property: "tags.*key", member: { service: "cloudwatch-logs", shape: "CreateLogGroupRequest", member: "tags", part: "key" } },
  { type: "aws:cloudwatch/logGroup:LogGroup", property: "tags.*value", member: { service: "cloudwatch-logs", shape: "CreateLogGroupRequest", member: "tags", part: "value" } },

  // ---- ECR ----
  { type: "aws:ecr/repository:Repository", property: "name", member: { service: "ecr", shape: "CreateRepositoryRequest", member: "repositoryName" } },
  ...tagsOf("aws:ecr/repository:Repository", "ecr"),

  // ---- RDS ----
  {
    type: "aws:rds/instance:Instance",
    property: "identifier",
    autoName: true,
    member: { service: "rds", shape: "CreateDBInstanceMessage", member: "DBInstanceIdentifier" },
    documented: RDS_IDENTIFIER("DB instance identifier", 63, "aws/api-models-aws rds CreateDBInstanceMessage$DBInstanceIdentifier (documentation)"),
  },
  {
    type: "aws:rds/instance:Instance",
    property: "dbName",
    member: { service: "rds", shape: "CreateDBInstanceMessage", member: "DBName" },
    documented: [
      {
        pattern: /^[a-zA-Z][a-zA-Z0-9_]*$/,
        maxLength: 63,
        rule: "database name: 1-63 letters, digits and underscores, a letter first (PostgreSQL; MySQL allows 64)",
        source: "aws/api-models-aws rds CreateDBInstanceMessage$DBName (documentation)",
      },
    ],
  },
  {
    type: "aws:rds/instance:Instance",
    property: "username",
    member: { service: "rds", shape: "CreateDBInstanceMessage", member: "MasterUsername" },
    documented: [{ pattern: /^[a-zA-Z][a-zA-Z0-9_]*$/, maxLength: 16, rule: "1-16 letters, digits and underscores, a letter first", source: "aws/api-models-aws rds CreateDBInstanceMessage$MasterUsername (documentation)" }],
  },
  {
    type: "aws:rds/instance:Instance",
    property: "finalSnapshotIdentifier",
    member: { service: "rds", shape: "DeleteDBInstanceMessage", member: "FinalDBSnapshotIdentifier" },
    documented: RDS_IDENTIFIER("final snapshot identifier", 255, "aws/api-models-aws rds DeleteDBInstanceMessage$FinalDBSnapshotIdentifier (documentation)"),
  },
  {
    type: "aws:rds/instance:Instance",
    property: "tags.*key",
    member: { service: "rds", shape: "Tag", member: "Key" },
    documented: [{ forbidden: /^(aws|rds):/i, rule: 'tag keys must not start with "aws:" or "rds:"', source: "aws/api-models-aws rds Tag$Key (documentation)" }],
  },
  {
    type: "aws:rds/subnetGroup:SubnetGroup",
    property: "name",
    autoName: true,
    member: { service: "rds", shape: "CreateDBSubnetGroupMessage", member: "DBSubnetGroupName" },
    documented: [
      {
        pattern: /^[a-zA-Z][a-zA-Z0-9._ -]*$/,
        maxLength: 255,
        rule: "DB subnet group name: up to 255 letters, digits, periods, underscores, spaces or hyphens, a letter first",
        source: "aws/api-models-aws rds CreateDBSubnetGroupMessage$DBSubnetGroupName (documentation)",
      },
      { forbidden: /^default$/i, rule: 'must not be "default"', source: "aws/api-models-aws rds CreateDBSubnetGroupMessage$DBSubnetGroupName (documentation)" },
    ],
  },
  { type: "aws:rds/subnetGroup:SubnetGroup", property: "description", member: { service: "rds", shape: "CreateDBSubnetGroupMessage", member: "DBSubnetGroupDescription" } },
  {
    type: "aws:rds/parameterGroup:ParameterGroup",
    property: "name",
    autoName: true,
    member: { service: "rds", shape: "CreateDBParameterGroupMessage", member: "DBParameterGroupName" },
    documented: RDS_IDENTIFIER("DB parameter group name", 255, "aws/api-models-aws rds CreateDBParameterGroupMessage$DBParameterGroupName (documentation)"),
  },
  { type: "aws:rds/parameterGroup:ParameterGroup", property: "description", member: { service: "rds", shape: "CreateDBParameterGroupMessage", member: "Description" } },

  // ---- ElastiCache ----
  {
    type: "aws:elasticache/serverlessCache:ServerlessCache",
    property: "name",
    member: { service: "elasticache", shape: "CreateServerlessCacheRequest", member: "ServerlessCacheName" },
    // The model documents no rule for this name; we hold it to the replication group id's (and 40 characters, which
    // terraform-provider-aws also enforces): a stricter rule can only refuse too much, never let through too much.
    documented: ELASTICACHE_ID("serverless cache name", "aws/api-models-aws elasticache CreateReplicationGroupMessage$ReplicationGroupId (documentation), applied by analogy"),
  },
  {
    type: "aws:elasticache/serverlessCache:ServerlessCache",
    property: "description",
    member: { service: "elasticache", shape: "CreateServerlessCacheRequest", member: "Description" },
    documented: [{ maxLength: 255, rule: "at most 255 characters", source: "aws/api-models-aws elasticache CreateServerlessCacheRequest$Description (documentation)" }],
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    property: "replicationGroupId",
    member: { service: "elasticache", shape: "CreateReplicationGroupMessage", member: "ReplicationGroupId" },
    documented: ELASTICACHE_ID("replication group id", "aws/api-models-aws elasticache CreateReplicationGroupMessage$ReplicationGroupId (documentation)"),
  },
  { type: "aws:elasticache/replicationGroup:ReplicationGroup", property: "description", member: { service: "elasticache", shape: "CreateReplicationGroupMessage", member: "ReplicationGroupDescription" } },
  { type: "aws:elasticache/user:User", property: "userId", member: { service: "elasticache", shape: "CreateUserMessage", member: "UserId" } },
  { type: "aws:elasticache/user:User", property: "userName", member: { service: "elasticache", shape: "CreateUserMessage", member: "UserName" } },
  { type: "aws:elasticache/userGroup:UserGroup", property: "userGroupId", member: { service: "elasticache", shape: "CreateUserGroupMessage", member: "UserGroupId" } },
  {
    type: "aws:elasticache/subnetGroup:SubnetGroup",
    property: "name",
    autoName: true,
    member: { service: "elasticache", shape: "CreateCacheSubnetGroupMessage", member: "CacheSubnetGroupName" },
    documented: [
      { pattern: /^[a-zA-Z0-9-]+$/, maxLength: 255, rule: "cache subnet group name: up to 255 letters, digits or hyphens", source: "aws/api-models-aws elasticache CreateCacheSubnetGroupMessage$CacheSubnetGroupName (documentation)" },
    ],
  },
  { type: "aws:elasticache/subnetGroup:SubnetGroup", property: "description", member: { service: "elasticache", shape: "CreateCacheSubnetGroupMessage", member: "CacheSubnetGroupDescription" } },
  // The model documents no rule for cache parameter group names: only the model's (none) is checked.
  { type: "aws:elasticache/parameterGroup:ParameterGroup", property: "name", autoName: true, member: { service: "elasticache", shape: "CreateCacheParameterGroupMessage", member: "CacheParameterGroupName" } },
  { type: "aws:elasticache/parameterGroup:ParameterGroup", property: "description", member: { service: "elasticache", shape: "CreateCacheParameterGroupMessage", member: "Description" } },

  // ---- EventBridge Scheduler ----
  { type: "aws:scheduler/schedule:Schedule", property: "name", autoName: true, member: { service: "scheduler", shape: "CreateScheduleInput", member: "Name" } },
  { type: "aws:scheduler/schedule:Schedule", property: "description", member: { service: "scheduler", shape: "CreateScheduleInput", member: "Description" } },
  { type: "aws:scheduler/schedule:Schedule", property: "scheduleExpressionTimezone", member: { service: "scheduler", shape: "CreateScheduleInput", member: "ScheduleExpressionTimezone" } },

  // ---- Cloud Map ----
  { type: "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", property: "name", member: { service: "servicediscovery", shape: "CreatePrivateDnsNamespaceRequest", member: "Name" } },
  { type: "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", property: "description", member: { service: "servicediscovery", shape: "CreatePrivateDnsNamespaceRequest", member: "Description" } },
  ...tagsOf("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "servicediscovery"),
  { type: "aws:servicediscovery/service:Service", property: "name", member: { service: "servicediscovery", shape: "CreateServiceRequest", member: "Name" } },
  ...tagsOf("aws:servicediscovery/service:Service", "servicediscovery"),

  // ---- ACM, Route 53 ----
  {
    type: "aws:acm/certificate:Certificate",
    property: "domainName",
    member: { service: "acm", shape: "RequestCertificateRequest", member: "DomainName" },
    documented: [{ maxLength: 64, rule: "the certificate's domain name (its Common Name): at most 64 characters; longer names fit as alternative names", source: "aws/api-models-aws acm RequestCertificateRequest$DomainName (documentation)" }],
  },
  { type: "aws:acm/certificate:Certificate", property: "subjectAlternativeNames.*", member: { service: "acm", shape: "RequestCertificateRequest", member: "SubjectAlternativeNames", part: "item" } },
  ...tagsOf("aws:acm/certificate:Certificate", "acm"),
  { type: "aws:route53/record:Record", property: "name", member: { service: "route-53", shape: "ResourceRecordSet", member: "Name" } },

  // ---- Application Auto Scaling ----
  { type: "aws:appautoscaling/target:Target", property: "resourceId", member: { service: "application-auto-scaling", shape: "RegisterScalableTargetRequest", member: "ResourceId" } },
  { type: "aws:appautoscaling/target:Target", property: "tags.*key", member: { service: "application-auto-scaling", shape: "RegisterScalableTargetRequest", member: "Tags", part: "key" } },
  { type: "aws:appautoscaling/target:Target", property: "tags.*value", member: { service: "application-auto-scaling", shape: "RegisterScalableTargetRequest", member: "Tags", part: "value" } },
  { type: "aws:appautoscaling/policy:Policy", property: "name", autoName: true, member: { service: "application-auto-scaling", shape: "PutScalingPolicyRequest", member: "PolicyName" } },
];

/** The key of an API member in model-constraints.json. */
export function memberKey(m: ApiMember): string {
  return `${m.service}#${m.shape}$${m.member}${m.part ? `/${m.part}` : ""}`;
}
