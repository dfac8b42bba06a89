/**
 * What the offline plan pretends the cloud answered: each resource's inputs, plus readable stand-ins for the
 * outputs that programs read (ARNs, DNS names, digests). A stand-in names what it stands for, so a URL built from
 * one reads `https://<web-alb.dnsName>` in the plan instead of a made-up address.
 */
import type * as pulumi from "@pulumi/pulumi";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";

function standIn(name: string, output: string): string {
  return `<${name}.${output}>`;
}

/** Outputs by resource type, for the types whose outputs programs read. */
const OUTPUTS: Record<string, (name: string, inputs: Record<string, unknown>) => Record<string, unknown>> = {
  "aws:lb/loadBalancer:LoadBalancer": (n) => ({ dnsName: standIn(n, "dnsName"), zoneId: "Z35SXDOTRQ7X7K", arnSuffix: `app/${n}/0` }),
  "aws:ecr/repository:Repository": (n, i) => ({ repositoryUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${String(i.name ?? n)}` }),
  "docker:index/image:Image": (n, i) => ({ repoDigest: `${String(i.imageName ?? n).split(":")[0]}@sha256:${"0".repeat(64)}`, imageName: i.imageName }),
  "aws:rds/instance:Instance": (n) => ({ address: standIn(n, "address"), endpoint: standIn(n, "endpoint"), port: 5432 }),
  "aws:elasticache/serverlessCache:ServerlessCache": (n) => ({ endpoints: [{ address: standIn(n, "address"), port: 6379 }] }),
  "aws:elasticache/replicationGroup:ReplicationGroup": (n) => ({ primaryEndpointAddress: standIn(n, "primaryEndpointAddress"), port: 6379 }),
  // ACM answers one validation record per name on the certificate.
  "aws:acm/certificate:Certificate": (n, i) => ({
    domainValidationOptions: [i.domainName, ...((i.subjectAlternativeNames as unknown[] | undefined) ?? [])].map((domain) => ({
      domainName: domain,
      resourceRecordName: `_validation.${String(domain).replace(/^\*\./, "")}.`,
      resourceRecordType: "CNAME",
      resourceRecordValue: standIn(`${n}.${String(domain)}`, "validation"),
    })),
  }),
  "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": (n, i) => ({ hostedZone: standIn(n, "hostedZone"), name: i.name }),
  "aws:ssm/parameter:Parameter": () => ({ version: 1 }),
  "random:index/randomPassword:RandomPassword": (n) => ({ result: standIn(n, "result") }),
  "mongodbatlas:index/advancedCluster:AdvancedCluster": (n, i) => ({ connectionStrings: { standardSrv: `mongodb+srv://${String(i.name ?? n)}.<${n}.srvHost>` } }),
};

/** Plausible answers to the invokes (data sources) programs call. */
const CALLS: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ names: [`${REGION}a`, `${REGION}b`, `${REGION}c`], zoneIds: ["use1-az1", "use1-az2", "use1-az4"] }),
  "aws:index/getRegion:getRegion": () => ({ name: REGION, region: REGION, id: REGION }),
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/plan`, userId: "PLAN" }),
  "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com" }),
  "aws:ecr/getAuthorizationToken:getAuthorizationToken": () => ({ userName: "AWS", password: "[ecr token]", proxyEndpoint: `https://${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com` }),
  "aws:iam/getPolicyDocument:getPolicyDocument": (i) => ({ json: JSON.stringify({ Version: "2012-10-17", Statement: i.statements ?? [] }) }),
};

export function mockResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
  const kind = args.type.split(":")[1]?.split("/").pop() ?? "resource";
  const arn = `arn:aws:${kind}:${REGION}:${ACCOUNT}:${args.name}`;
  const extra = OUTPUTS[args.type]?.(args.name, args.inputs) ?? {};
  return { id: `${args.name}-id`, state: { arn, name: args.inputs.name ?? args.name, ...args.inputs, ...extra } };
}

export function mockCall(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
  return CALLS[args.token]?.(args.inputs) ?? args.inputs;
}
