/**
 * The stack's VPC: two public subnets (load balancer and tasks) and two isolated subnets (data) over two availability
 * zones, an internet gateway, and NO NAT gateway (~$33/month each): tasks get public IPs to reach ECR, SSM and the
 * internet, and only the load balancer's security group may open a connection to them.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { StackInfo } from "../backend";
import { formatCidr, parseCidr, splitCidr } from "./cidr";
import { tags } from "./names";
import type { AwsNetwork } from "./types";

/** Subnets per tier: the load balancer needs two zones, and so does an RDS subnet group. */
const ZONES = 2;

export const DEFAULT_VPC_CIDR = "10.0.0.0/16";

/** The network, plus the pieces the platform wires further. */
export interface CreatedNetwork {
  network: AwsNetwork;
  vpc: aws.ec2.Vpc;
  appSecurityGroup: aws.ec2.SecurityGroup;
}

/** Creates the VPC and its subnets, routes and the app security group, parented to `parent`. */
export function createNetwork(
  stack: StackInfo,
  vpcCidr: string,
  parent: pulumi.ComponentResource,
): CreatedNetwork {
  const prefix = `${stack.appName}-aws`;
  const opts = { parent };
  const cidr = parseCidr(vpcCidr);
  if ("error" in cidr) throw new Error(`multicloud:aws.vpcCidr: ${cidr.error}`);
  // Four equal blocks: public a, public b, isolated a, isolated b.
  const blocks = splitCidr(cidr, 2).map(formatCidr);

  const vpc = new aws.ec2.Vpc(
    `${prefix}-vpc`,
    // DNS support and hostnames: tasks resolve private services (Cloud Map) and RDS/ElastiCache endpoints.
    { cidrBlock: vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { ...tags(stack), Name: `${prefix}-vpc` } },
    opts,
  );
  // Adopt the VPC's default security group with no rules: nothing should use it, and by default it lets every member
  // talk to every other.
  new aws.ec2.DefaultSecurityGroup(`${prefix}-default-sg`, { vpcId: vpc.id, tags: tags(stack) }, opts);

  const zones = aws.getAvailabilityZonesOutput(
    // Regular zones only: Local Zones and Wavelength zones lack Fargate and ALB.
    { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
    opts,
  );
  const zone = (i: number): pulumi.Output<string> =>
    zones.names.apply((names) => {
      const name = names[i];
      if (!name) throw new Error(`this region has ${names.length} availability zone(s); the AWS backend needs ${ZONES}`);
      return name;
    });

  const igw = new aws.ec2.InternetGateway(`${prefix}-igw`, { vpcId: vpc.id, tags: { ...tags(stack), Name: `${prefix}-igw` } }, opts);
  const publicRoutes = new aws.ec2.RouteTable(
    `${prefix}-public-rt`,
    { vpcId: vpc.id, tags: { ...tags(stack), Name: `${prefix}-public` } },
    opts,
  );
  new aws.ec2.Route(`${prefix}-public-default-route`, { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, opts);
  // An explicit route table with no route out, rather than the VPC's main table which anyone could edit.
  const isolatedRoutes = new aws.ec2.RouteTable(
    `${prefix}-isolated-rt`,
    { vpcId: vpc.id, tags: { ...tags(stack), Name: `${prefix}-isolated` } },
    opts,
  );

  const subnet = (kind: "public" | "isolated", i: number, routeTable: aws.ec2.RouteTable): aws.ec2.Subnet => {
    const letter = String.fromCharCode(97 + i);
    const s = new aws.ec2.Subnet(
      `${prefix}-${kind}-${letter}`,
      {
        vpcId: vpc.id,
        cidrBlock: blocks[(kind === "public" ? 0 : ZONES) + i]!,
        availabilityZone: zone(i),
        // Tasks get their public IP from `assignPublicIp`; nothing else should get one by accident.
        mapPublicIpOnLaunch: false,
        tags: { ...tags(stack), Name: `${prefix}-${kind}-${letter}`, "multicloud:tier": kind },
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(`${prefix}-${kind}-${letter}-rta`, { subnetId: s.id, routeTableId: routeTable.id }, opts);
    return s;
  };
  const publicSubnets = Array.from({ length: ZONES }, (_, i) => subnet("public", i, publicRoutes));
  const isolatedSubnets = Array.from({ length: ZONES }, (_, i) => subnet("isolated", i, isolatedRoutes));

  // Attached to every task: services, cron jobs, release tasks. Ingress is opened per container port by the platform
  // (from the load balancer, or from peers for private services); data security groups admit this group.
  const appSecurityGroup = new aws.ec2.SecurityGroup(
    `${prefix}-app-sg`,
    { vpcId: vpc.id, description: `${stack.appName} ${stack.stack}: app tasks`, tags: { ...tags(stack), Name: `${prefix}-app` } },
    opts,
  );
  new aws.vpc.SecurityGroupEgressRule(
    `${prefix}-app-egress`,
    { securityGroupId: appSecurityGroup.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "tasks reach ECR, SSM, data and the internet" },
    opts,
  );

  return {
    vpc,
    appSecurityGroup,
    network: {
      vpcId: vpc.id,
      publicSubnetIds: publicSubnets.map((s) => s.id),
      isolatedSubnetIds: isolatedSubnets.map((s) => s.id),
      appSecurityGroupId: appSecurityGroup.id,
    },
  };
}
