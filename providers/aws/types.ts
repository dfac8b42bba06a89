/** Shapes shared between the AWS backend's files. */
import type * as pulumi from "@pulumi/pulumi";

/** The stack's one VPC, shared by every AWS part of the app. No NAT gateway: tasks run in public subnets. */
export interface AwsNetwork {
  vpcId: pulumi.Output<string>;
  /** For the load balancer and the tasks (which get public IPs to reach ECR and SSM without a NAT gateway). */
  publicSubnetIds: pulumi.Output<string>[];
  /** For data (RDS, ElastiCache): no route to or from the internet. */
  isolatedSubnetIds: pulumi.Output<string>[];
  /** Attached to every task (services, cron jobs, release tasks); data security groups admit it. */
  appSecurityGroupId: pulumi.Output<string>;
}

export type { DnsRecord } from "../backend";
