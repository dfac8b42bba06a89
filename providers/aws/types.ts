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

/** A DNS record the user must create at their DNS provider (when no Route 53 zone is configured). */
export interface DnsRecord {
  /** The record's name, e.g. `_3f2a....api.example.com.` or `api.example.com`. */
  name: string;
  /** `CNAME` for every record we ask for. */
  type: string;
  /** What it points to. */
  value: string;
  /** Why it is needed, for the plan and the logs. */
  purpose: string;
}
