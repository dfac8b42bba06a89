/**
 * How traffic reaches a service. Public: a target group on the shared load balancer, with a certificate, HTTPS rules
 * and DNS for its domains (see ./loadBalancer.ts for the routing scheme). Private: a name in the stack's private DNS
 * namespace (Cloud Map), reachable by the app's other tasks, cron jobs and release tasks included.
 *
 * Why Cloud Map DNS rather than ECS Service Connect: Service Connect only serves ECS services, so tasks started by
 * EventBridge Scheduler or by a release could not reach a private service; DNS works for every task in the VPC and
 * adds no proxy sidecar to each task.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { warn } from "../../components/record";
import type { WebServiceSpec } from "../backend";
import { CATCH_ALL_PRIORITY } from "./loadBalancer";
import { dnsLabel, loadBalancerName, privateNamespace, tags } from "./names";
import type { AwsPlatform } from "./platform";
import type { AwsServiceSettings } from "./settings";
import type { DnsRecord } from "./types";

/** Host values per listener rule: an ALB rule takes at most 5 condition values. */
const HOSTS_PER_RULE = 5;

export interface Routing {
  /** The URL the result reports: the first domain, the load balancer's name, or the private name. */
  url: pulumi.Output<string>;
  /** DNS records to create at the DNS provider (certificate validation, domain to load balancer). */
  dnsRecords: pulumi.Output<DnsRecord[]>;
  /** Arguments of the ECS service that attach it to this routing. */
  serviceArgs: Pick<aws.ecs.ServiceArgs, "loadBalancers" | "serviceRegistries" | "healthCheckGracePeriodSeconds">;
  /** What must exist before the ECS service is created (ECS rejects a target group with no listener rule). */
  dependsOn: pulumi.Resource[];
}

export function createPublicRouting(
  spec: WebServiceSpec,
  settings: AwsServiceSettings,
  platform: AwsPlatform,
  parent: pulumi.Resource,
): Routing {
  const name = spec.name;
  const opts = { parent };
  const lb = platform.loadBalancer();
  const ingress = platform.allowFromLoadBalancer(spec.port);
  const interval = spec.healthCheck.intervalSeconds;

  const stack = platform.stack;
  const targetGroup = new aws.lb.TargetGroup(
    `${name}-tg`,
    {
      // What forces a replacement is in the name's hash: the replacement is created before the old group is deleted.
      name: pulumi
        .output(platform.network.vpcId)
        .apply((vpc) => loadBalancerName(`${stack.appName}-${name}`, JSON.stringify([stack.project, stack.stack, name, spec.port, "HTTP", "ip", vpc]))),
      vpcId: platform.network.vpcId,
      // Fargate tasks in awsvpc mode register by IP.
      targetType: "ip",
      port: spec.port,
      protocol: "HTTP",
      deregistrationDelay: settings.deregistrationDelaySeconds ?? 30,
      healthCheck: {
        path: spec.healthCheck.path,
        interval,
        // A redirect (e.g. to a login page) still means the app is up.
        matcher: "200-399",
        timeout: Math.min(5, interval - 1),
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      ...(settings.stickySessions ? { stickiness: { enabled: true, type: "lb_cookie", cookieDuration: 86_400 } } : {}),
      tags: tags(platform.stack, name),
    },
    opts,
  );
  const forward = { type: "forward", targetGroupArn: targetGroup.arn };
  const dependsOn: pulumi.Resource[] = [lb.httpListener, ingress];
  const serviceArgs = {
    loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: name, containerPort: spec.port }],
    healthCheckGracePeriodSeconds: settings.healthCheckGracePeriodSeconds ?? 60,
  };

  if (spec.domains.length === 0) {
    // The one domainless public service of the stack (validation guarantees it): everything :80 no host rule claims.
    dependsOn.push(
      new aws.lb.ListenerRule(
        `${name}-http-rule`,
        {
          listenerArn: lb.httpListener.arn,
          priority: CATCH_ALL_PRIORITY,
          conditions: [{ pathPattern: { values: ["/*"] } }],
          actions: [forward],
          tags: tags(platform.stack, name),
        },
        opts,
      ),
    );
    return {
      url: pulumi.interpolate`http://${lb.alb.dnsName}`,
      dnsRecords: pulumi.output([]),
      serviceArgs,
      dependsOn,
    };
  }

  const zoneId = settings.zoneId ?? platform.settings.route53ZoneId;
  const stage = certificateStage(zoneId, settings);
  const certificate = createCertificate(spec, zoneId, stage, platform, parent);
  const https = certificate.arn ? lb.httpsListener(certificate.arn) : undefined;
  if (https && certificate.arn) {
    dependsOn.push(
      https,
      new aws.lb.ListenerCertificate(`${name}-listener-cert`, { listenerArn: https.arn, certificateArn: certificate.arn }, opts),
    );
  }

  for (let i = 0; i * HOSTS_PER_RULE < spec.domains.length; i++) {
    const hosts = spec.domains.slice(i * HOSTS_PER_RULE, (i + 1) * HOSTS_PER_RULE);
    const suffix = i === 0 ? "" : `-${i + 1}`;
    const httpsRule = https
      ? new aws.lb.ListenerRule(
          `${name}-https-rule${suffix}`,
          {
            listenerArn: https.arn,
            priority: lb.claimPriority("https", `${name}#${i}`),
            conditions: [{ hostHeader: { values: hosts } }],
            actions: [forward],
            tags: tags(platform.stack, name),
          },
          opts,
        )
      : undefined;
    // One :80 rule per host group, the same resource in every stage (so it is updated in place, keeping its
    // priority): it forwards while the certificate is pending, and redirects to HTTPS once HTTPS is served. It is
    // switched only after the HTTPS rule exists: if the certificate never comes, HTTP keeps being served.
    const httpRule = new aws.lb.ListenerRule(
      `${name}-http-hosts${suffix}`,
      {
        listenerArn: lb.httpListener.arn,
        priority: lb.claimPriority("http", `${name}#${i}`),
        conditions: [{ hostHeader: { values: hosts } }],
        actions: httpsRule ? [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] : [forward],
        tags: tags(platform.stack, name),
      },
      httpsRule ? { parent, dependsOn: [httpsRule] } : opts,
    );
    dependsOn.push(...(httpsRule ? [httpsRule] : []), httpRule);
  }

  const domainRecords: pulumi.Output<DnsRecord[]> = lb.alb.dnsName.apply((target) =>
    spec.domains.map((domain) => ({ name: domain, type: "CNAME", value: target, purpose: `${name}: route ${domain} to the load balancer` })),
  );
  if (zoneId) {
    for (const domain of spec.domains) {
      new aws.route53.Record(
        `${name}-alias-${domain.replace(/^\*\./, "wildcard.")}`,
        {
          zoneId,
          name: domain,
          type: "A",
          aliases: [{ name: lb.alb.dnsName, zoneId: lb.alb.zoneId, evaluateTargetHealth: true }],
        },
        opts,
      );
    }
  }
  const dnsRecords = pulumi.all([certificate.records, domainRecords]).apply(([a, b]) => [...a, ...b]);
  const url = `${https ? "https" : "http"}://${spec.domains[0]}`;
  if (stage === "pending") {
    // The user's turn: shown (and exported as `dnsRecords`) as soon as ACM has answered, while nothing waits.
    dnsRecords.apply((records) => warn(pendingCertificateMessage(name, url, records)));
  }
  return { url: pulumi.output(url), dnsRecords, serviceArgs, dependsOn };
}

/**
 * Where a service's certificate stands, from config alone (a program cannot see DNS records at another provider):
 * - `route53`: the records are created in the hosted zone, and `up` waits for ACM (minutes).
 * - `pending`: no zone, and the config does not say the records exist. Nothing waits on ACM: the records are printed
 *   and exported, and the domains are served over plain HTTP meanwhile (AWS refuses a pending certificate on a
 *   listener, so HTTPS cannot be served yet). This is every first `up` of a domain without a zone.
 * - `records-created`: no zone, and `aws.certificateRecordsCreated` says the records exist: `up` waits for ACM, at most
 *   {@link CERTIFICATE_WAIT_MINUTES} minutes, then serves HTTPS and redirects HTTP.
 */
export type CertificateStage = "route53" | "pending" | "records-created";

export function certificateStage(zoneId: string | undefined, settings: Pick<AwsServiceSettings, "certificateRecordsCreated">): CertificateStage {
  if (zoneId) return "route53";
  return settings.certificateRecordsCreated ? "records-created" : "pending";
}

/**
 * How long an `up` waits for ACM once the config says the records exist, instead of the provider's 75 minutes. ACM
 * usually validates within minutes of the record resolving; a record that is missing or mistyped then fails the
 * `up` in reasonable time rather than holding it for over an hour. ACM itself keeps trying for 72 hours: fix the
 * record and run `up` again.
 */
export const CERTIFICATE_WAIT_MINUTES = 20;

/** What the user must do for a service whose certificate is pending. */
export function pendingCertificateMessage(name: string, url: string, records: DnsRecord[]): string {
  const lines = records.map((r) => `  ${r.name} ${r.type} ${r.value}`).join("\n");
  return (
    `${name}: create these DNS records at your DNS provider (also in the stack output \`dnsRecords\`; at a zone apex, ` +
    `use your provider's ALIAS/ANAME record instead of a CNAME):\n${lines}\n` +
    `Until its certificate is issued, ${url} is served over plain HTTP. Once the validation records (those pointing at *.acm-validations.aws.) exist, run ` +
    `\`pulumi config set --path 'multicloud:services.${name}.aws.certificateRecordsCreated' true\` and \`pulumi up\`: ` +
    `that update waits (at most ${CERTIFICATE_WAIT_MINUTES} minutes) for ACM to issue the certificate, then serves HTTPS and redirects HTTP to it. ` +
    `Or set multicloud:aws.route53ZoneId to have every record created for you.`
  );
}

/**
 * A DNS-validated certificate for the service's domains and, unless it is pending, the ARN to serve it by: the
 * validation's `certificateArn`, only known once the certificate is issued (AWS refuses a pending certificate on a
 * listener).
 */
function createCertificate(
  spec: WebServiceSpec,
  zoneId: string | undefined,
  stage: CertificateStage,
  platform: AwsPlatform,
  parent: pulumi.Resource,
): { arn?: pulumi.Output<string>; records: pulumi.Output<DnsRecord[]> } {
  const name = spec.name;
  const opts = { parent };
  const [first, ...rest] = spec.domains;
  const certificate = new aws.acm.Certificate(
    `${name}-cert`,
    {
      domainName: first!,
      ...(rest.length > 0 ? { subjectAlternativeNames: rest } : {}),
      validationMethod: "DNS",
      tags: tags(platform.stack, name),
    },
    opts,
  );
  // `example.com` and `*.example.com` share one validation record: one per base name.
  const bases = [...new Set(spec.domains.map((d) => d.replace(/^\*\./, "")))];
  const validationFor = (base: string) =>
    certificate.domainValidationOptions.apply((options) => {
      const option = options.find((o) => o.domainName.replace(/^\*\./, "") === base);
      if (!option) throw new Error(`ACM returned no validation record for ${base}`);
      return option;
    });
  const records = pulumi.all(bases.map(validationFor)).apply((options) =>
    options.map((o) => ({
      name: o.resourceRecordName,
      type: o.resourceRecordType,
      value: o.resourceRecordValue,
      purpose: `${name}: prove control of ${o.domainName.replace(/^\*\./, "")} to issue the certificate`,
    })),
  );
  if (stage === "pending") return { records };

  let fqdns: pulumi.Output<string>[] | undefined;
  if (zoneId) {
    fqdns = bases.map((base) => {
      const option = validationFor(base);
      return new aws.route53.Record(
        `${name}-cert-validation-${base}`,
        {
          zoneId,
          name: option.resourceRecordName,
          type: option.resourceRecordType,
          records: [option.resourceRecordValue],
          ttl: 60,
          // Another certificate for the same name (a previous deploy, another stack) has the same record.
          allowOverwrite: true,
        },
        opts,
      ).fqdn;
    });
  }
  const validation = new aws.acm.CertificateValidation(
    `${name}-cert-validation`,
    { certificateArn: certificate.arn, ...(fqdns ? { validationRecordFqdns: fqdns } : {}) },
    stage === "records-created" ? { parent, customTimeouts: { create: `${CERTIFICATE_WAIT_MINUTES}m` } } : opts,
  );
  if (stage === "records-created") {
    // Said before the wait starts: a domain added since the records were created needs its own (new) record.
    records.apply((list) => {
      const lines = list.map((r) => `  ${r.name} ${r.type} ${r.value}`).join("\n");
      void pulumi.log.info(
        `${name}: waiting at most ${CERTIFICATE_WAIT_MINUTES} minutes for ACM to validate the certificate; these records must resolve:\n${lines}`,
        validation,
      );
    });
  }
  return { arn: validation.certificateArn, records };
}

export function createPrivateRouting(spec: WebServiceSpec, platform: AwsPlatform, parent: pulumi.Resource): Routing {
  const name = spec.name;
  const namespace = platform.privateDnsNamespace();
  const ingress = platform.allowFromPeers(spec.port);
  const discovery = new aws.servicediscovery.Service(
    `${name}-discovery`,
    {
      name: dnsLabel(name),
      namespaceId: namespace.id,
      dnsConfig: {
        namespaceId: namespace.id,
        // One A record per running task; a short TTL so that replaced tasks drop out quickly.
        dnsRecords: [{ type: "A", ttl: 10 }],
        routingPolicy: "MULTIVALUE",
      },
      // ECS deregisters stopped tasks itself; do not block deleting the service on leftovers.
      forceDestroy: true,
      tags: tags(platform.stack, name),
    },
    { parent },
  );
  return {
    url: pulumi.output(`http://${dnsLabel(name)}.${privateNamespace(platform.stack)}:${spec.port}`),
    dnsRecords: pulumi.output([]),
    serviceArgs: { serviceRegistries: { registryArn: discovery.arn } },
    dependsOn: [ingress, namespace],
  };
}
