/**
 * The stack's one Application Load Balancer, shared by every public service (one ALB is ~$16/month plus two public
 * IPs; one per service would multiply that).
 *
 * Routing, decided here once:
 * - :80 answers 404 by default. A service with domains gets a host-header rule on :80 that redirects to HTTPS and a
 *   host-header rule on :443 that forwards to it; while its certificate is pending (no Route 53 zone, records not
 *   confirmed in config: see ./routing.ts), the :80 rule forwards to it instead and there is no :443 rule.
 * - A public service without a domain is served over plain HTTP on the load balancer's DNS name, by a catch-all rule
 *   on :80 with the lowest priority (an AWS DNS name cannot get a certificate). There can be at most one such service
 *   per stack: the backend's validation says so, naming the services concerned.
 * - :443 exists once a service has domains. Its default certificate is the first such service's, and every
 *   service's certificate (that one included) is attached with `aws.lb.ListenerCertificate`, so that removing the
 *   first service never detaches a certificate that another service needs; the load balancer picks one by SNI.
 *   Unknown hosts get a 404.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { StackInfo } from "../backend";
import { loadBalancerName, stableHash, tags } from "./names";

/** The modern TLS policy: TLS 1.3, and TLS 1.2 with forward-secret ciphers only. */
export const SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The priority of a domainless service's catch-all rule: the lowest there is, so host rules always win. */
export const CATCH_ALL_PRIORITY = 50_000;

/** Host rules take priorities below the catch-all. */
const HOST_RULE_PRIORITIES = 49_000;

export class SharedLoadBalancer {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly alb: aws.lb.LoadBalancer;
  readonly httpListener: aws.lb.Listener;
  private https?: aws.lb.Listener;
  private readonly claimed = new Map<string, Set<number>>();

  constructor(
    private readonly stack: StackInfo,
    vpcId: pulumi.Input<string>,
    publicSubnetIds: pulumi.Input<string>[],
    idleTimeoutSeconds: number,
    private readonly parent: pulumi.ComponentResource,
  ) {
    const prefix = `${stack.appName}-aws`;
    const opts = { parent };
    this.securityGroup = new aws.ec2.SecurityGroup(
      `${prefix}-alb-sg`,
      { vpcId, description: `${stack.appName} ${stack.stack}: load balancer`, tags: { ...tags(stack), Name: `${prefix}-alb` } },
      opts,
    );
    for (const port of [80, 443]) {
      new aws.vpc.SecurityGroupIngressRule(
        `${prefix}-alb-in-${port}`,
        { securityGroupId: this.securityGroup.id, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0", description: "the internet" },
        opts,
      );
    }
    new aws.vpc.SecurityGroupEgressRule(
      `${prefix}-alb-egress`,
      // The tasks' group admits the load balancer on container ports only; egress need not repeat that list.
      { securityGroupId: this.securityGroup.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "to the tasks" },
      opts,
    );
    this.alb = new aws.lb.LoadBalancer(
      `${prefix}-alb`,
      {
        name: loadBalancerName(`${stack.appName}-${stack.stack}`, `${stack.project}/${stack.stack}/${stack.appName}`),
        loadBalancerType: "application",
        internal: false,
        subnets: publicSubnetIds,
        securityGroups: [this.securityGroup.id],
        idleTimeout: idleTimeoutSeconds,
        // Requests with malformed header names are dropped rather than passed to the app (request smuggling).
        dropInvalidHeaderFields: true,
        tags: tags(stack),
      },
      opts,
    );
    this.httpListener = new aws.lb.Listener(
      `${prefix}-http`,
      {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [notFound()],
        tags: tags(stack),
      },
      opts,
    );
  }

  /** The :443 listener, created with `certificateArn` as its default certificate the first time it is asked for. */
  httpsListener(certificateArn: pulumi.Input<string>): aws.lb.Listener {
    if (this.https) return this.https;
    this.https = new aws.lb.Listener(
      `${this.stack.appName}-aws-https`,
      {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: SSL_POLICY,
        certificateArn,
        defaultActions: [notFound()],
        tags: tags(this.stack),
      },
      { parent: this.parent },
    );
    return this.https;
  }

  /**
   * A rule priority on a listener, stable for a given key (a hash of it) so that adding or removing a service does
   * not renumber the others' rules. Collisions move to the next free number, in creation order.
   */
  claimPriority(listener: "http" | "https", key: string): number {
    const taken = this.claimed.get(listener) ?? new Set<number>();
    this.claimed.set(listener, taken);
    let priority = (stableHash(key) % HOST_RULE_PRIORITIES) + 1;
    while (taken.has(priority)) priority = (priority % HOST_RULE_PRIORITIES) + 1;
    taken.add(priority);
    return priority;
  }
}

function notFound(): aws.types.input.lb.ListenerDefaultAction {
  return { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" } };
}
