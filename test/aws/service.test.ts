/** Web services on ECS Fargate: task definition, secrets, routing, deployment safety, scaling, release. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { awsBackend } from "../../providers/aws";
import { PLATFORM_TYPE } from "../../providers/aws/platform";
import { rolledBackMessage, type AwsWebServiceResult } from "../../providers/aws/service";
import type { DnsRecord } from "../../providers/aws/types";
import type { StackInfo, WebServiceSpec } from "../../providers/backend";
import {
  containsInPlainText,
  isDescendant,
  isSecret,
  parentComponent,
  recordResources,
  reveal,
  settleOutput,
  stackInfo,
  UNKNOWN,
  webServiceSpec,
  type Recorded,
  type Recording,
} from "../support/mocks";

const T = {
  task: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  param: "aws:ssm/parameter:Parameter",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  tg: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  rule: "aws:lb/listenerRule:ListenerRule",
  listenerCert: "aws:lb/listenerCertificate:ListenerCertificate",
  cert: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  record: "aws:route53/record:Record",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  subnet: "aws:ec2/subnet:Subnet",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  discovery: "aws:servicediscovery/service:Service",
  namespace: "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
  image: "docker:index/image:Image",
};

const DB_PASSWORD = "hunter2-s3cret";

interface Deployed {
  rec: Recording;
  results: Map<string, { url: string; dnsRecords: DnsRecord[] }>;
}

/** Deploys services through the backend, as the core would; resolves each result's outputs. */
async function deploy(
  specs: WebServiceSpec[],
  options: { stackSettings?: unknown; stack?: StackInfo; secretEnv?: Record<string, string> } = {},
): Promise<Deployed> {
  const results = new Map<string, { url: string; dnsRecords: DnsRecord[] }>();
  const rec = await recordResources(() => {
    const instance = awsBackend.create(options.stack ?? stackInfo(), options.stackSettings ?? {});
    for (const spec of specs) {
      const secretEnv = Object.fromEntries(Object.entries(options.secretEnv ?? {}).map(([k, v]) => [k, pulumi.secret(v)]));
      const result = instance.webService!(spec, { secretEnv }, parentComponent("WebService", spec.name)) as AwsWebServiceResult;
      pulumi.all([result.url, result.dnsRecords]).apply(([url, dnsRecords]) => results.set(spec.name, { url, dnsRecords }));
    }
  });
  return { rec, results };
}

/** The first container of a task definition, parsed. */
function container(task: Recorded): Record<string, unknown> & {
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
} {
  const json = task.inputs.containerDefinitions;
  assert.equal(typeof json, "string", "container definitions are plain JSON, not a secret");
  return JSON.parse(json as string)[0];
}

/** A role policy's statements. */
function statements(policy: Recorded): { Sid?: string; Action: string | string[]; Resource: string | string[] }[] {
  return JSON.parse(reveal<string>(policy.inputs.policy)).Statement;
}

describe("AWS web service", () => {
  it("keeps every child under the service's component (shared parts under the platform)", async () => {
    const { rec } = await deploy([webServiceSpec({ name: "web", domains: ["shop.example.com"], release: ["migrate"], scaling: { min: 1, max: 2, cpuTarget: 70 } })], {
      secretEnv: { DATABASE_URL: "x" },
    });
    const component = rec.one("multicloud:index:WebService", "web");
    const platform = rec.one(PLATFORM_TYPE);
    for (const r of rec.resources) {
      if (r === component || r === platform) continue;
      assert.ok(isDescendant(r, component) || isDescendant(r, platform), `${r.type} ${r.name} has a parent`);
      if (isDescendant(r, component)) assert.ok(r.name.startsWith("web-"), `${r.name} is named from the service`);
    }
    for (const type of [T.task, T.service, T.param, T.tg, T.cert, T.scalingTarget, "pulumi-nodejs:dynamic:ReleaseTask"]) {
      assert.ok(rec.ofType(type).every((r) => isDescendant(r, component)), `${type} is under the component`);
    }
  });

  it("passes secrets through SSM SecureStrings and the container's `secrets`, never its environment", async () => {
    const { rec } = await deploy([webServiceSpec({ name: "web", env: { NODE_ENV: "production" } })], {
      secretEnv: { DATABASE_URL: `postgres://app:${DB_PASSWORD}@db:5432/shop`, SESSION_SECRET: "abc-session" },
    });
    const params = rec.ofType(T.param);
    assert.deepEqual(params.map((p) => p.inputs.name).sort(), ["/shop/test/web/DATABASE_URL", "/shop/test/web/SESSION_SECRET"]);
    for (const p of params) {
      assert.equal(p.inputs.type, "SecureString");
      assert.ok(isSecret(p.inputs.value), "the parameter value is a Pulumi secret");
    }
    assert.equal(reveal(rec.one(T.param, "web-secret-DATABASE_URL").inputs.value), `postgres://app:${DB_PASSWORD}@db:5432/shop`);

    const task = rec.one(T.task);
    const c = container(task);
    assert.deepEqual(
      c.secrets,
      params.map((p) => ({ name: String(p.inputs.name).split("/").pop(), valueFrom: p.outputs.arn })),
    );
    assert.deepEqual(c.environment, [
      { name: "NODE_ENV", value: "production" },
      { name: "PORT", value: "8080" },
    ]);
    // Not in the task definition, not in any plain input of any resource.
    for (const r of rec.resources) {
      assert.ok(!containsInPlainText(r.inputs, DB_PASSWORD), `${r.type} ${r.name} does not carry the password in plain text`);
    }
  });

  it("lets the execution role read exactly this service's parameters and pull its own image", async () => {
    const { rec } = await deploy([webServiceSpec({ name: "web" }), webServiceSpec({ name: "api", public: false, image: { kind: "ref", ref: "nginx:1.27" } })], {
      secretEnv: { API_KEY: "k" },
    });
    const policy = statements(rec.one(T.rolePolicy, "web-execution-policy"));
    const secrets = policy.find((s) => s.Sid === "Secrets")!;
    assert.equal(secrets.Action, "ssm:GetParameters");
    // A path prefix (see the next test): it covers web's parameters, not api's.
    const prefix = String(secrets.Resource).replace(/\*$/, "");
    assert.ok(String(secrets.Resource).endsWith("/*"));
    for (const p of rec.ofType(T.param)) assert.equal(String(p.outputs.arn).startsWith(prefix), p.parent?.name === "web", String(p.outputs.arn));
    const pull = policy.find((s) => s.Sid === "EcrPull")!;
    assert.equal(pull.Resource, rec.one("aws:ecr/repository:Repository", "web-repo").outputs.arn);
    // A public image needs no ECR grant.
    assert.equal(statements(rec.one(T.rolePolicy, "api-execution-policy")).find((s) => s.Sid === "EcrPull"), undefined);
  });

  it("grants the execution role its part's parameters by path prefix, before any parameter (or the data behind it) exists", async () => {
    // A linked database's URL is not known until the database exists (many minutes into a first `up`). The grant must
    // not wait for it: a policy created just before the first task starts may not have propagated in IAM yet.
    const rec = await recordResources(
      () => {
        const instance = awsBackend.create(stackInfo(), {});
        for (const name of ["web", "web-admin"]) {
          instance.webService!(webServiceSpec({ name, domains: [`${name}.example.com`] }), { secretEnv: { DATABASE_URL: pulumi.secret("postgres://db") } }, parentComponent("WebService", name));
        }
      },
      // In a preview of a first `up`, a parameter's ARN is not known (it waits on the database's URL).
      { preview: true, state: ({ type }) => (type === T.param ? { arn: UNKNOWN } : undefined) },
    );
    const policy = rec.one(T.rolePolicy, "web-execution-policy");
    // The mock monitor receives an unknown input as the SDK's sentinel or, from recent SDKs, as `{__pulumiUnknown: true}`.
    const unknown = (v: unknown) => v === UNKNOWN || (typeof v === "object" && v !== null && "__pulumiUnknown" in v);
    assert.ok(!unknown(policy.inputs.policy), "the execution policy is known before the parameters are");
    const secrets = statements(policy).find((s) => s.Sid === "Secrets")!;
    assert.equal(secrets.Action, "ssm:GetParameters");
    const pattern = "arn:aws:ssm:us-east-1:123456789012:parameter/shop/test/web/*";
    assert.equal(secrets.Resource, pattern);
    // IAM's `*` matches any characters, `/` included: the prefix must end at a `/` so that `web` does not also read
    // `web-admin`'s parameters, and it must be the prefix the parameters are actually named with.
    const matches = (arn: string) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("\\*", ".*")}$`).test(arn);
    const arnOf = (name: unknown) => `arn:aws:ssm:us-east-1:123456789012:parameter${String(name)}`;
    const params = rec.ofType(T.param);
    assert.ok(params.length === 2);
    for (const p of params) assert.equal(matches(arnOf(p.inputs.name)), p.parent?.name === "web", `${String(p.inputs.name)}`);
  });

  it("attaches the settings' managed policies to the task role, not the execution role", async () => {
    const arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
    const { rec } = await deploy([webServiceSpec({ name: "web", settings: { policyArns: [arn] } })]);
    const [attachment] = rec.ofType(T.attachment);
    assert.equal(attachment!.inputs.policyArn, arn);
    const taskRole = rec.one("aws:iam/role:Role", "web-task-role");
    assert.equal(attachment!.inputs.role, taskRole.outputs.name);
    assert.equal(rec.one(T.task).inputs.taskRoleArn, taskRole.outputs.arn);
    assert.notEqual(rec.one(T.task).inputs.executionRoleArn, taskRole.outputs.arn);
    // Both are for ECS tasks; only the app's role carries the confused-deputy guard (see providers/aws/task.ts).
    const trust = (role: string) => JSON.parse(rec.one("aws:iam/role:Role", role).inputs.assumeRolePolicy as string).Statement[0];
    assert.deepEqual(trust("web-task-role").Principal, { Service: "ecs-tasks.amazonaws.com" });
    assert.deepEqual(trust("web-task-role").Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    assert.deepEqual(trust("web-execution-role").Principal, { Service: "ecs-tasks.amazonaws.com" });
    assert.equal(trust("web-execution-role").Condition, undefined);
  });

  it("sizes the task from the portable size, or from valid cpu/memory settings", async () => {
    const { rec } = await deploy([
      webServiceSpec({ name: "a", size: "micro" }),
      webServiceSpec({ name: "b", size: "nano", settings: { cpu: 1024 }, domains: ["b.example.com"] }),
      webServiceSpec({ name: "c", size: "small", settings: { memory: 4096 }, domains: ["c.example.com"] }),
    ]);
    const size = (name: string) => {
      const t = rec.one(T.task, `${name}-task`);
      return [t.inputs.cpu, t.inputs.memory];
    };
    assert.deepEqual(size("a"), ["512", "1024"]);
    assert.deepEqual(size("b"), ["1024", "2048"], "512 MiB is not allowed with 1 vCPU: the smallest allowed is taken");
    assert.deepEqual(size("c"), ["1024", "4096"]);
  });

  it("names the load balancer and target groups within AWS's 32 characters, whatever the names' length", async () => {
    const long = "a-rather-long-service-name-of-forty-chars";
    const { rec } = await deploy([webServiceSpec({ name: long })], { stack: stackInfo({ appName: "twenty-chars-app-nam", stack: "staging-eu-west-1" }) });
    const alb = rec.one("aws:lb/loadBalancer:LoadBalancer");
    const tg = rec.one(T.tg);
    for (const name of [alb.inputs.name, tg.inputs.name] as string[]) {
      assert.ok(name.length <= 32, `${name} fits`);
      assert.match(name, /^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    }
    // A port change replaces the group: the replacement gets another name, so it can exist beside the old one.
    const moved = await deploy([webServiceSpec({ name: long, port: 9090 })], { stack: stackInfo({ appName: "twenty-chars-app-nam", stack: "staging-eu-west-1" }) });
    assert.notEqual(moved.rec.one(T.tg).inputs.name, tg.inputs.name);
    assert.equal(moved.rec.one("aws:lb/loadBalancer:LoadBalancer").inputs.name, alb.inputs.name);
  });

  it("checks health on the service's path through an IP target group", async () => {
    const { rec } = await deploy([webServiceSpec({ name: "web", port: 3000, healthCheck: { path: "/health", intervalSeconds: 15 } })]);
    const tg = rec.one(T.tg);
    assert.equal(tg.inputs.targetType, "ip");
    assert.equal(tg.inputs.port, 3000);
    const hc = tg.inputs.healthCheck as Record<string, unknown>;
    assert.equal(hc.path, "/health");
    assert.equal(hc.interval, 15);
    assert.equal(hc.matcher, "200-399");
    assert.ok((hc.timeout as number) < 15);
    const service = rec.one(T.service);
    assert.deepEqual(service.inputs.loadBalancers, [{ targetGroupArn: tg.outputs.arn, containerName: "web", containerPort: 3000 }]);
  });

  it("deploys safely: circuit breaker with rollback, waits for steady state, public IP in public subnets, after its listeners", async () => {
    const { rec } = await deploy([webServiceSpec({ name: "web", domains: ["shop.example.com"] })]);
    const service = rec.one(T.service);
    assert.deepEqual(service.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
    assert.equal(service.inputs.waitForSteadyState, true);
    const net = service.inputs.networkConfiguration as { assignPublicIp: boolean; subnets: string[]; securityGroups: string[] };
    assert.equal(net.assignPublicIp, true);
    const publicSubnets = rec.ofType(T.subnet).filter((s) => s.name.includes("-public-")).map((s) => s.id);
    assert.deepEqual(net.subnets, publicSubnets);
    assert.deepEqual(net.securityGroups, [rec.one(T.sg, "shop-aws-app-sg").id]);
    assert.equal(service.inputs.taskDefinition, rec.one(T.task).outputs.arn);

    const deps = service.options.dependsOn;
    for (const listener of rec.ofType(T.listener)) assert.ok(deps.includes(listener), `depends on listener :${listener.inputs.port}`);
    for (const rule of rec.ofType(T.rule)) assert.ok(deps.includes(rule), `depends on rule ${rule.name}`);
    assert.ok(deps.includes(rec.one(T.rolePolicy, "web-execution-policy")), "starts after its execution role can pull and log");
  });

  it("autoscales on CPU only with a range, and lets autoscaling own the count", async () => {
    const { rec } = await deploy([
      webServiceSpec({ name: "fixed", scaling: { min: 2, max: 2, cpuTarget: 70 } }),
      webServiceSpec({ name: "ranged", scaling: { min: 1, max: 4, cpuTarget: 60 }, domains: ["r.example.com"] }),
    ]);
    const fixed = rec.one(T.service, "fixed-service");
    assert.equal(fixed.inputs.desiredCount, 2);
    assert.equal(fixed.options.ignoreChanges, undefined);
    const ranged = rec.one(T.service, "ranged-service");
    assert.equal(ranged.inputs.desiredCount, 1);
    assert.deepEqual(ranged.options.ignoreChanges, ["desiredCount"]);

    const [target] = rec.ofType(T.scalingTarget);
    assert.equal(rec.ofType(T.scalingTarget).length, 1);
    assert.equal(target!.parent?.name, "ranged");
    assert.equal(target!.inputs.minCapacity, 1);
    assert.equal(target!.inputs.maxCapacity, 4);
    const cluster = rec.one("aws:ecs/cluster:Cluster");
    assert.equal(target!.inputs.resourceId, `service/${cluster.outputs.name}/${ranged.outputs.name}`);
    const [policy] = rec.ofType(T.scalingPolicy);
    const config = policy!.inputs.targetTrackingScalingPolicyConfiguration as {
      targetValue: number;
      predefinedMetricSpecification: { predefinedMetricType: string };
    };
    assert.equal(policy!.inputs.policyType, "TargetTrackingScaling");
    assert.equal(config.targetValue, 60);
    assert.equal(config.predefinedMetricSpecification.predefinedMetricType, "ECSServiceAverageCPUUtilization");
  });

  it("runs ARM64 by default, Spot too (with a regular-Fargate base)", async () => {
    const { rec } = await deploy([
      webServiceSpec({ name: "arm" }),
      webServiceSpec({ name: "spot", settings: { spot: true }, domains: ["s.example.com"] }),
      webServiceSpec({ name: "allspot", settings: { spot: true, onDemandBase: 0 }, domains: ["a.example.com"] }),
    ]);
    const arch = (name: string) => (rec.one(T.task, `${name}-task`).inputs.runtimePlatform as Record<string, string>).cpuArchitecture;
    assert.equal(arch("arm"), "ARM64");
    assert.equal(arch("spot"), "ARM64");
    assert.equal((rec.one(T.task, "arm-task").inputs.runtimePlatform as Record<string, string>).operatingSystemFamily, "LINUX");
    assert.deepEqual(rec.one(T.service, "arm-service").inputs.capacityProviderStrategies, [{ capacityProvider: "FARGATE", weight: 1 }]);
    assert.deepEqual(rec.one(T.service, "spot-service").inputs.capacityProviderStrategies, [
      { capacityProvider: "FARGATE", base: 1, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
    ]);
    assert.deepEqual(rec.one(T.service, "allspot-service").inputs.capacityProviderStrategies, [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
    assert.ok(rec.one(T.service, "spot-service").options.dependsOn.includes(rec.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")));
  });

  it("without a Route 53 zone, waits on nothing: prints the records and serves the domain over HTTP until told they exist", async () => {
    const { rec, results } = await deploy([webServiceSpec({ name: "web", domains: ["shop.example.com", "www.shop.example.com"] })]);
    const cert = rec.one(T.cert);
    assert.equal(cert.inputs.domainName, "shop.example.com");
    assert.deepEqual(cert.inputs.subjectAlternativeNames, ["www.shop.example.com"]);
    assert.equal(cert.inputs.validationMethod, "DNS");
    // Nothing waits for ACM: no validation, and nothing uses the (pending) certificate, which AWS would refuse.
    assert.equal(rec.ofType(T.validation).length, 0);
    assert.equal(rec.ofType(T.listenerCert).length, 0);
    assert.deepEqual(rec.ofType(T.listener).map((l) => l.inputs.port), [80]);

    // The domain answers over HTTP meanwhile, so the service has a listener rule (ECS needs one) and can be tried.
    const http = rec.one(T.listener);
    const hostRule = rec.one(T.rule, "web-http-hosts");
    assert.equal(hostRule.inputs.listenerArn, http.outputs.arn);
    assert.deepEqual(hostRule.inputs.conditions, [{ hostHeader: { values: ["shop.example.com", "www.shop.example.com"] } }]);
    assert.deepEqual(hostRule.inputs.actions, [{ type: "forward", targetGroupArn: rec.one(T.tg).outputs.arn }]);
    assert.ok(rec.one(T.service).options.dependsOn.includes(hostRule));

    const result = results.get("web")!;
    assert.equal(result.url, "http://shop.example.com");
    const validationRecords = result.dnsRecords.filter((r) => r.value.endsWith(".acm-validations.aws."));
    assert.equal(validationRecords.length, 2);
    assert.deepEqual(result.dnsRecords.filter((r) => r.type === "CNAME" && !validationRecords.includes(r)).map((r) => r.name), ["shop.example.com", "www.shop.example.com"]);
    assert.equal(rec.ofType(T.record).length, 0);
    // The user sees every record to create and the one setting that says they exist.
    const [warning, ...others] = rec.warnings.filter((w) => w.startsWith("web:"));
    assert.equal(others.length, 0);
    for (const r of result.dnsRecords) assert.ok(warning!.includes(`${r.name} ${r.type} ${r.value}`), `the warning shows ${r.name}`);
    assert.match(warning!, /pulumi config set --path 'multicloud:services\.web\.aws\.certificateRecordsCreated' true/);
    assert.match(warning!, /http:\/\/shop\.example\.com/);
  });

  it("once the records exist (by config), waits a bounded time for the certificate, then serves HTTPS and redirects HTTP", async () => {
    const { rec, results } = await deploy([
      webServiceSpec({ name: "web", domains: ["shop.example.com", "www.shop.example.com"], settings: { certificateRecordsCreated: true } }),
    ]);
    const cert = rec.one(T.cert);
    const validation = rec.one(T.validation);
    assert.equal(validation.inputs.certificateArn, cert.outputs.arn);
    assert.equal(validation.inputs.validationRecordFqdns, undefined, "the records are at another DNS provider");
    // Not the provider's 75 minutes: a record that is missing or mistyped fails the `up` in reasonable time.
    assert.deepEqual(validation.options.customTimeouts, { create: "20m" });

    const https = rec.ofType(T.listener).find((l) => l.inputs.port === 443)!;
    const http = rec.ofType(T.listener).find((l) => l.inputs.port === 80)!;
    assert.equal(https.inputs.certificateArn, validation.outputs.certificateArn, "the listener waits for the validated certificate");
    const forward = rec.one(T.rule, "web-https-rule");
    assert.equal(forward.inputs.listenerArn, https.outputs.arn);
    assert.deepEqual(forward.inputs.conditions, [{ hostHeader: { values: ["shop.example.com", "www.shop.example.com"] } }]);
    assert.deepEqual(forward.inputs.actions, [{ type: "forward", targetGroupArn: rec.one(T.tg).outputs.arn }]);
    const redirect = rec.one(T.rule, "web-http-hosts");
    assert.equal(redirect.inputs.listenerArn, http.outputs.arn);
    assert.deepEqual(redirect.inputs.conditions, forward.inputs.conditions);
    assert.deepEqual(redirect.inputs.actions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
    // HTTP keeps being served until HTTPS is: if the certificate does not come, the rule is not switched to a redirect.
    assert.ok(redirect.options.dependsOn.includes(forward));

    assert.equal(results.get("web")!.url, "https://shop.example.com");
    assert.equal(rec.warnings.filter((w) => w.startsWith("web:")).length, 0, "nothing left for the user to do");
  });

  it("creates validation and alias records in the configured Route 53 zone", async () => {
    const { rec } = await deploy([webServiceSpec({ name: "web", domains: ["example.com", "*.example.com"] })], {
      stackSettings: { route53ZoneId: "Z0STACKZONE" },
    });
    const records = rec.ofType(T.record);
    // example.com and *.example.com share one validation record.
    const validationRecords = records.filter((r) => r.inputs.type === "CNAME");
    assert.equal(validationRecords.length, 1);
    assert.equal(validationRecords[0]!.inputs.zoneId, "Z0STACKZONE");
    assert.deepEqual(rec.one(T.validation).inputs.validationRecordFqdns, [validationRecords[0]!.outputs.fqdn]);
    // Route 53 answers ACM within minutes of the record's creation: the provider's own timeout applies.
    assert.equal(rec.one(T.validation).options.customTimeouts, undefined);
    assert.ok(rec.ofType(T.listener).some((l) => l.inputs.port === 443));
    const aliases = records.filter((r) => r.inputs.type === "A");
    assert.deepEqual(aliases.map((r) => r.inputs.name).sort(), ["*.example.com", "example.com"]);
    const alb = rec.one("aws:lb/loadBalancer:LoadBalancer");
    for (const a of aliases) assert.deepEqual(a.inputs.aliases, [{ name: alb.outputs.dnsName, zoneId: alb.outputs.zoneId, evaluateTargetHealth: true }]);
    assert.equal(rec.warnings.length, 0, "nothing for the user to do by hand");

    const override = await deploy([webServiceSpec({ name: "web", domains: ["shop.example.com"], settings: { zoneId: "Z0SERVICEZONE" } })], {
      stackSettings: { route53ZoneId: "Z0STACKZONE" },
    });
    assert.ok(override.rec.ofType(T.record).every((r) => r.inputs.zoneId === "Z0SERVICEZONE"));
  });

  it("serves the one domainless service on the load balancer's name, behind every host rule", async () => {
    const { rec, results } = await deploy([
      webServiceSpec({ name: "web" }),
      webServiceSpec({ name: "admin", domains: ["admin.example.com"] }),
    ]);
    const http = rec.ofType(T.listener).find((l) => l.inputs.port === 80)!;
    const catchAll = rec.one(T.rule, "web-http-rule");
    assert.equal(catchAll.inputs.listenerArn, http.outputs.arn);
    assert.equal(catchAll.inputs.priority, 50000);
    assert.deepEqual(catchAll.inputs.conditions, [{ pathPattern: { values: ["/*"] } }]);
    const hostRule = rec.one(T.rule, "admin-http-hosts");
    assert.ok((hostRule.inputs.priority as number) < 50000);
    assert.equal(results.get("web")!.url, `http://${rec.one("aws:lb/loadBalancer:LoadBalancer").outputs.dnsName}`);
  });

  it("adds each further service's certificate to the HTTPS listener, with distinct rule priorities", async () => {
    const { rec } = await deploy(
      [
        webServiceSpec({ name: "web", domains: ["shop.example.com"] }),
        webServiceSpec({ name: "admin", domains: ["admin.example.com"] }),
        webServiceSpec({ name: "docs", domains: ["a.docs.io", "b.docs.io", "c.docs.io", "d.docs.io", "e.docs.io", "f.docs.io"] }),
      ],
      { stackSettings: { route53ZoneId: "Z0STACKZONE" } },
    );
    const https = rec.ofType(T.listener).find((l) => l.inputs.port === 443)!;
    assert.equal(https.inputs.certificateArn, rec.one(T.cert, "web-cert").outputs.arn);
    // Every certificate is in the listener's list, the default one too: removing the first service detaches only its own.
    const attached = rec.ofType(T.listenerCert);
    assert.deepEqual(
      attached.map((c) => c.inputs.certificateArn).sort(),
      ["web", "admin", "docs"].map((n) => rec.one(T.cert, `${n}-cert`).outputs.arn).sort(),
    );
    assert.ok(attached.every((c) => c.inputs.listenerArn === https.outputs.arn));
    for (const listener of rec.ofType(T.listener)) {
      const priorities = rec.ofType(T.rule).filter((r) => r.inputs.listenerArn === listener.outputs.arn).map((r) => r.inputs.priority);
      assert.equal(new Set(priorities).size, priorities.length, `priorities on :${listener.inputs.port} are distinct`);
    }
    // An ALB rule takes at most 5 host values: 6 domains make two rules per listener.
    const docsHttps = rec.ofType(T.rule).filter((r) => r.parent?.name === "docs" && r.inputs.listenerArn === https.outputs.arn);
    assert.deepEqual(docsHttps.map((r) => (r.inputs.conditions as { hostHeader: { values: string[] } }[])[0]!.hostHeader.values.length), [5, 1]);
  });

  it("makes a private service reachable by name inside the VPC, without the load balancer", async () => {
    const { rec, results } = await deploy([webServiceSpec({ name: "api", public: false, port: 9000 })]);
    assert.equal(rec.ofType(T.tg).length, 0);
    assert.equal(rec.ofType(T.rule).length, 0);
    const namespace = rec.one(T.namespace);
    assert.equal(namespace.inputs.name, "test.shop.internal");
    const discovery = rec.one(T.discovery);
    assert.equal(discovery.inputs.name, "api");
    assert.equal(discovery.inputs.namespaceId, namespace.id);
    const service = rec.one(T.service);
    assert.deepEqual(service.inputs.serviceRegistries, { registryArn: discovery.outputs.arn });
    assert.equal(service.inputs.loadBalancers, undefined);
    assert.equal(results.get("api")!.url, "http://api.test.shop.internal:9000");
    const peerRule = rec.ofType(T.ingress).find((r) => r.inputs.fromPort === 9000)!;
    const appSg = rec.one(T.sg, "shop-aws-app-sg");
    assert.equal(peerRule.inputs.securityGroupId, appSg.id);
    assert.equal(peerRule.inputs.referencedSecurityGroupId, appSg.id, "only the app's own tasks reach it");
  });

  it("runs the release command on the new task definition before the service moves to it", async () => {
    const { rec } = await deploy([webServiceSpec({ name: "web", release: ["node", "migrate.js"] })]);
    const release = rec.one("pulumi-nodejs:dynamic:ReleaseTask", "web-release");
    const task = rec.one(T.task);
    assert.equal(release.inputs.taskDefinition, task.outputs.arn);
    assert.deepEqual(release.inputs.command, ["node", "migrate.js"]);
    assert.equal(release.inputs.container, "web");
    assert.equal(release.inputs.cluster, rec.one("aws:ecs/cluster:Cluster").outputs.arn);
    assert.equal(release.inputs.assignPublicIp, true);
    assert.equal(release.inputs.region, "us-east-1");
    assert.equal(release.inputs.logGroup, "/shop/test/web");
    assert.deepEqual(release.inputs.securityGroups, [rec.one(T.sg, "shop-aws-app-sg").id]);
    assert.ok(rec.one(T.service).options.dependsOn.includes(release));

    const none = await deploy([webServiceSpec({ name: "web" })]);
    assert.equal(none.rec.ofType("pulumi-nodejs:dynamic:ReleaseTask").length, 0);
  });

  it("fails the deploy when ECS rolled the new version back, though the service is steady", async () => {
    const old = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-test-web:6";
    let settled: ReturnType<typeof settleOutput<string>> | undefined;
    const rec = await recordResources(
      () => {
        const result = awsBackend.create(stackInfo(), {}).webService!(webServiceSpec({ name: "web" }), { secretEnv: {} }, parentComponent("WebService", "web"));
        settled = settleOutput(result.url);
      },
      // What the provider reads back after its wait: the task definition the circuit breaker rolled back to.
      { state: ({ type }) => (type === "aws:ecs/service:Service" ? { taskDefinition: old } : undefined) },
    );
    const outcome = await settled!;
    assert.ok("error" in outcome && outcome.error instanceof Error, "the URL output fails");
    assert.equal(outcome.error.message, rolledBackMessage("shop", "test", "web", rec.one(T.task).outputs.arn as string, old));
    assert.match(outcome.error.message, /ECS rolled it back/);

    const healthy = await recordResources(() => {
      const result = awsBackend.create(stackInfo(), {}).webService!(webServiceSpec({ name: "web" }), { secretEnv: {} }, parentComponent("WebService", "web"));
      settled = settleOutput(result.url);
    });
    assert.deepEqual(await settled, { value: `http://${healthy.one("aws:lb/loadBalancer:LoadBalancer").outputs.dnsName}` });
  });

  it("rejects a cpu/memory pair Fargate does not offer", async () => {
    await assert.rejects(
      deploy([webServiceSpec({ name: "web", settings: { cpu: 256, memory: 4096 } })]),
      /memory 4096 MiB is not allowed with cpu 256 on Fargate; allowed: 512, 1024, 2048/,
    );
  });
});
