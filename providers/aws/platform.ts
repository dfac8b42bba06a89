/**
 * `multicloud:aws:Platform`: what every AWS part of one stack shares, created once and lazily by the backend
 * instance: the network, the ECS cluster, and on demand the load balancer, the private DNS namespace and the
 * security group rules for each container port.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackInfo } from "../backend";
import { SharedLoadBalancer } from "./loadBalancer";
import { privateNamespace, tags } from "./names";
import { createNetwork, DEFAULT_VPC_CIDR } from "./network";
import { ecsServiceLinkedRole } from "./serviceLinkedRole";
import type { AwsStackSettings } from "./settings";
import type { AwsNetwork } from "./types";

export const PLATFORM_TYPE = "multicloud:aws:Platform";

/** Log retention when the stack does not set one: a month in production, a week elsewhere. */
export function defaultLogRetentionDays(stack: StackInfo): number {
  return stack.tier === "production" ? 30 : 7;
}

export class AwsPlatform extends pulumi.ComponentResource {
  readonly network: AwsNetwork;
  readonly cluster: aws.ecs.Cluster;
  /** Services and schedules that use capacity providers must wait for them to be attached to the cluster. */
  readonly capacityProviders: aws.ecs.ClusterCapacityProviders;
  readonly region: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
  readonly logRetentionDays: number;

  private lb?: SharedLoadBalancer;
  private namespace?: aws.servicediscovery.PrivateDnsNamespace;
  private readonly portRules = new Map<string, aws.vpc.SecurityGroupIngressRule>();

  constructor(
    readonly stack: StackInfo,
    readonly settings: AwsStackSettings,
  ) {
    super(PLATFORM_TYPE, `${stack.appName}-aws`, {}, {});
    const opts = { parent: this };
    this.region = aws.getRegionOutput({}, opts).region;
    this.accountId = aws.getCallerIdentityOutput({}, opts).accountId;
    this.partition = aws.getPartitionOutput({}, opts).partition;
    this.logRetentionDays = settings.logRetentionDays ?? defaultLogRetentionDays(stack);

    this.network = createNetwork(stack, settings.vpcCidr ?? DEFAULT_VPC_CIDR, this).network;

    this.cluster = new aws.ecs.Cluster(
      `${stack.appName}-aws-cluster`,
      {
        // Off by default: Container Insights bills per-task metrics as CloudWatch custom metrics.
        settings: [{ name: "containerInsights", value: settings.containerInsights ? "enabled" : "disabled" }],
        tags: tags(stack),
      },
      // In an account that has never used ECS, its service-linked role first (see ./serviceLinkedRole.ts).
      { parent: this, dependsOn: ecsServiceLinkedRole(`${stack.appName}-aws-ecs-service-role`, this) },
    );
    this.capacityProviders = new aws.ecs.ClusterCapacityProviders(
      `${stack.appName}-aws-capacity`,
      {
        clusterName: this.cluster.name,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }],
      },
      opts,
    );
    this.registerOutputs({ vpcId: this.network.vpcId, clusterArn: this.cluster.arn });
  }

  /** The shared load balancer, created with the first public service. */
  loadBalancer(): SharedLoadBalancer {
    this.lb ??= new SharedLoadBalancer(
      this.stack,
      this.network.vpcId,
      this.network.publicSubnetIds,
      this.settings.albIdleTimeoutSeconds ?? 60,
      this,
    );
    return this.lb;
  }

  /** True once a public service has asked for the load balancer. */
  get hasLoadBalancer(): boolean {
    return this.lb !== undefined;
  }

  /** The private DNS namespace private services register in, created with the first private service. */
  privateDnsNamespace(): aws.servicediscovery.PrivateDnsNamespace {
    this.namespace ??= new aws.servicediscovery.PrivateDnsNamespace(
      `${this.stack.appName}-aws-namespace`,
      {
        name: privateNamespace(this.stack),
        vpc: this.network.vpcId,
        description: `${this.stack.appName} ${this.stack.stack}: private services`,
        tags: tags(this.stack),
      },
      { parent: this },
    );
    return this.namespace;
  }

  /**
   * Lets the load balancer reach the tasks on a container port. One rule per port, however many services use it:
   * AWS rejects duplicate rules.
   */
  allowFromLoadBalancer(port: number): aws.vpc.SecurityGroupIngressRule {
    return this.portRule(`alb-${port}`, port, this.loadBalancer().securityGroup.id, "from the load balancer");
  }

  /** Lets the app's tasks reach each other on a container port (private services). */
  allowFromPeers(port: number): aws.vpc.SecurityGroupIngressRule {
    return this.portRule(`peers-${port}`, port, this.network.appSecurityGroupId, "from the app tasks (private services)");
  }

  private portRule(key: string, port: number, source: pulumi.Input<string>, description: string): aws.vpc.SecurityGroupIngressRule {
    let rule = this.portRules.get(key);
    if (!rule) {
      rule = new aws.vpc.SecurityGroupIngressRule(
        `${this.stack.appName}-aws-app-in-${key}`,
        {
          securityGroupId: this.network.appSecurityGroupId,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: source,
          description,
        },
        { parent: this },
      );
      this.portRules.set(key, rule);
    }
    return rule;
  }
}
