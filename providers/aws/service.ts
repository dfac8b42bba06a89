/**
 * A web service on ECS Fargate: task definition, routing (load balancer or private DNS), optional release task,
 * the ECS service (circuit breaker with rollback; `up` waits for steady state, so a deploy that ECS rolled back
 * fails instead of reporting success) and CPU target-tracking autoscaling when the instance count is a range.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RunInputs, WebServiceResult, WebServiceSpec } from "../backend";
import type { AwsContext } from "./context";
import { chooseArchitecture } from "./fargate";
import { tags } from "./names";
import { ReleaseTask } from "./release";
import { createPrivateRouting, createPublicRouting } from "./routing";
import { awsServiceSettings, parseSettings, type AwsServiceSettings } from "./settings";
import { createPartTask } from "./task";
import type { DnsRecord } from "./types";

/** What the AWS backend returns for a service: the portable result plus the DNS records it needs. */
export interface AwsWebServiceResult extends WebServiceResult {
  /** The DNS records the service's domains need (created in Route 53 when a zone is configured). */
  dnsRecords: pulumi.Output<DnsRecord[]>;
}

/** How tasks are spread over regular Fargate and Fargate Spot. */
export function serviceCapacityStrategy(settings: AwsServiceSettings): aws.types.input.ecs.ServiceCapacityProviderStrategy[] {
  if (!settings.spot) return [{ capacityProvider: "FARGATE", weight: 1 }];
  const base = settings.onDemandBase ?? 1;
  if (base === 0) return [{ capacityProvider: "FARGATE_SPOT", weight: 1 }];
  // `base` tasks on regular Fargate so a Spot reclaim never empties the service; beyond them, 1 in 4 regular.
  return [
    { capacityProvider: "FARGATE", base, weight: 1 },
    { capacityProvider: "FARGATE_SPOT", weight: 3 },
  ];
}

export function createWebService(
  ctx: AwsContext,
  spec: WebServiceSpec,
  inputs: RunInputs,
  parent: pulumi.ComponentResource,
): AwsWebServiceResult {
  const settings = parseSettings(awsServiceSettings, spec.settings);
  const platform = ctx.platform();
  const name = spec.name;
  const opts = { parent };

  const architecture = chooseArchitecture(settings, spec.image);
  ctx.serviceArchitectures.set(name, architecture);
  const task = createPartTask(ctx, {
    key: "services", spec, settings, architecture, inputs, parent, port: spec.port, ...(spec.command ? { command: spec.command } : {}),
  });
  const routing = spec.public ? createPublicRouting(spec, settings, platform, parent) : createPrivateRouting(spec, platform, parent);
  const network = {
    subnets: platform.network.publicSubnetIds,
    securityGroups: [platform.network.appSecurityGroupId],
    // Public subnets without a NAT gateway: the public IP is how the task reaches ECR, SSM and the internet. Inbound,
    // the app security group admits only the load balancer (or peers, for private services).
    assignPublicIp: true,
  };

  const before: pulumi.Resource[] = [platform.capacityProviders, ...task.ready, ...routing.dependsOn];
  if (spec.release) {
    // Runs on the NEW task definition before the service moves to it; a failure fails the deploy and the service
    // keeps serving the old version (and cron jobs running its image stay on the old version too: ./cronJob.ts).
    const release = new ReleaseTask(
      `${name}-release`,
      {
        region: platform.region,
        cluster: platform.cluster.arn,
        taskDefinition: task.taskDefinition.arn,
        container: task.containerName,
        command: spec.release,
        subnets: network.subnets,
        securityGroups: network.securityGroups,
        assignPublicIp: true,
        // Regular Fargate: a Spot reclaim in the middle of a migration would fail the deploy for nothing.
        capacityProvider: "FARGATE",
        logGroup: task.logGroup.name,
        logStreamPrefix: task.logStreamPrefix,
      },
      { parent, dependsOn: [platform.capacityProviders, ...task.ready] },
    );
    ctx.serviceReleases.set(name, release);
    before.push(release);
  }

  const autoscaling = spec.scaling.min < spec.scaling.max;
  const service = new aws.ecs.Service(
    `${name}-service`,
    {
      cluster: platform.cluster.arn,
      taskDefinition: task.taskDefinition.arn,
      desiredCount: spec.scaling.min,
      capacityProviderStrategies: serviceCapacityStrategy(settings),
      // Required for strategy changes to apply; every update of the service then rolls the tasks.
      forceNewDeployment: true,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      waitForSteadyState: true,
      networkConfiguration: network,
      ...routing.serviceArgs,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      tags: tags(platform.stack, name),
    },
    {
      parent,
      dependsOn: before,
      // Autoscaling owns the count between deploys; a deploy must not reset it to the minimum.
      ...(autoscaling ? { ignoreChanges: ["desiredCount"] } : {}),
    },
  );

  if (autoscaling) {
    const target = new aws.appautoscaling.Target(
      `${name}-scaling`,
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${platform.cluster.name}/${service.name}`,
        minCapacity: spec.scaling.min,
        maxCapacity: spec.scaling.max,
        tags: tags(platform.stack, name),
      },
      opts,
    );
    new aws.appautoscaling.Policy(
      `${name}-scaling-cpu`,
      {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
          targetValue: spec.scaling.cpuTarget,
          // Out quickly, in slowly: a flapping count costs more than a few idle minutes.
          scaleOutCooldown: 60,
          scaleInCooldown: 300,
        },
      },
      opts,
    );
  }

  // The provider waits for steady state, but a deployment the circuit breaker rolled back is steady too, on the OLD
  // task definition (hashicorp/terraform-provider-aws#20858): the service's task definition, read back after the
  // wait, tells the two apart. The URL depends on the check so that the deploy fails loudly.
  const deployed = pulumi.all([service.taskDefinition, task.taskDefinition.arn]).apply(([running, wanted]) => {
    if (running && wanted && running !== wanted) throw new Error(rolledBackMessage(platform.stack.appName, platform.stack.stack, name, wanted, running));
    return running;
  });
  return { url: pulumi.all([routing.url, deployed]).apply(([url]) => url), dnsRecords: routing.dnsRecords };
}

/** Why the deploy failed when ECS rolled the new version back. */
export function rolledBackMessage(app: string, stack: string, name: string, wanted: string, running: string): string {
  return (
    `services.${name}: the new version never became healthy and ECS rolled it back (deployment circuit breaker): ` +
    `${wanted} failed, ${running} still serves. See the service's events in the ECS console and the logs in ` +
    `/${app}/${stack}/${name}; the next \`pulumi up\` deploys it again.`
  );
}

