/** The shared AWS platform: one VPC without NAT, subnets, security groups, cluster and load balancer per stack. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { awsBackend } from "../../providers/aws";
import { AwsPlatform, PLATFORM_TYPE } from "../../providers/aws/platform";
import {
  isDescendant,
  parentComponent,
  recordResources,
  stackInfo,
  webServiceSpec,
  type Recorded,
  type Recording,
} from "../support/mocks";
import type { StackInfo, WebServiceSpec } from "../../providers/backend";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  igw: "aws:ec2/internetGateway:InternetGateway",
  nat: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  route: "aws:ec2/route:Route",
  routeTable: "aws:ec2/routeTable:RouteTable",
  rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  cluster: "aws:ecs/cluster:Cluster",
  capacity: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  alb: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
};

/** Deploys services through the backend, as the core would, and records the result. */
function deployServices(specs: WebServiceSpec[], stackSettings: unknown = {}, stack: StackInfo = stackInfo()): Promise<Recording> {
  return recordResources(() => {
    const instance = awsBackend.create(stack, stackSettings);
    for (const spec of specs) instance.webService!(spec, { secretEnv: {} }, parentComponent("WebService", spec.name));
  });
}

/** The ID the mock gave a resource. */
function idOf(r: Recorded): string {
  assert.ok(r.id, `${r.type} ${r.name} has an ID`);
  return r.id;
}

describe("AWS platform", () => {
  it("creates nothing until a part needs it", async () => {
    const rec = await recordResources(() => {
      awsBackend.create(stackInfo(), {});
    });
    assert.deepEqual(rec.resources, []);
  });

  it("is one component named <app>-aws at the stack root, owning every shared resource", async () => {
    const rec = await deployServices([webServiceSpec({ name: "web" })]);
    const platform = rec.one(PLATFORM_TYPE);
    assert.equal(platform.name, "shop-aws");
    assert.equal(platform.parent, undefined);
    for (const type of [T.vpc, T.subnet, T.igw, T.routeTable, T.cluster, T.capacity, T.alb, T.listener]) {
      for (const r of rec.ofType(type)) assert.ok(isDescendant(r, platform), `${type} ${r.name} is under the platform`);
    }
  });

  it("builds a two-zone VPC: public and isolated subnets, an internet gateway and no NAT gateway", async () => {
    const rec = await deployServices([webServiceSpec({ name: "web" })]);
    const vpc = rec.one(T.vpc);
    assert.equal(vpc.inputs.cidrBlock, "10.0.0.0/16");
    assert.equal(vpc.inputs.enableDnsHostnames, true, "private service names and RDS endpoints resolve inside the VPC");
    assert.equal(rec.ofType(T.nat).length, 0);
    assert.equal(rec.ofType(T.eip).length, 0);

    const subnets = rec.ofType(T.subnet);
    const byTier = (tier: string) => subnets.filter((s) => (s.inputs.tags as Record<string, string>)["multicloud:tier"] === tier);
    assert.deepEqual(byTier("public").map((s) => s.inputs.cidrBlock), ["10.0.0.0/18", "10.0.64.0/18"]);
    assert.deepEqual(byTier("isolated").map((s) => s.inputs.cidrBlock), ["10.0.128.0/18", "10.0.192.0/18"]);
    assert.deepEqual(byTier("public").map((s) => s.inputs.availabilityZone), ["us-east-1a", "us-east-1b"]);
    assert.deepEqual(byTier("isolated").map((s) => s.inputs.availabilityZone), ["us-east-1a", "us-east-1b"]);

    // The only route out is the public table's default route to the internet gateway.
    const routes = rec.ofType(T.route);
    assert.equal(routes.length, 1);
    assert.equal(routes[0]!.inputs.destinationCidrBlock, "0.0.0.0/0");
    assert.equal(routes[0]!.inputs.gatewayId, idOf(rec.one(T.igw)));
    const publicTable = rec.one(T.routeTable, "shop-aws-public-rt");
    assert.equal(routes[0]!.inputs.routeTableId, idOf(publicTable));
    const isolatedTable = rec.one(T.routeTable, "shop-aws-isolated-rt");
    assert.equal(isolatedTable.inputs.routes, undefined, "isolated subnets have no route out");
    const tableOf = (subnet: Recorded) => rec.ofType(T.rta).find((a) => a.inputs.subnetId === idOf(subnet))!.inputs.routeTableId;
    for (const s of byTier("public")) assert.equal(tableOf(s), idOf(publicTable));
    for (const s of byTier("isolated")) assert.equal(tableOf(s), idOf(isolatedTable));
  });

  it("carves the VPC block from the vpcCidr setting", async () => {
    const rec = await deployServices([webServiceSpec({ name: "web" })], { vpcCidr: "172.20.0.0/20" });
    assert.equal(rec.one(T.vpc).inputs.cidrBlock, "172.20.0.0/20");
    assert.deepEqual(
      rec.ofType(T.subnet).map((s) => s.inputs.cidrBlock),
      ["172.20.0.0/22", "172.20.4.0/22", "172.20.8.0/22", "172.20.12.0/22"],
    );
  });

  it("opens the load balancer to the internet on 80/443 and the tasks to the load balancer only", async () => {
    const rec = await deployServices([webServiceSpec({ name: "web", port: 3000 })]);
    const albSg = rec.one(T.sg, "shop-aws-alb-sg");
    const appSg = rec.one(T.sg, "shop-aws-app-sg");
    const ingressOf = (sg: Recorded) => rec.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === idOf(sg));

    const albIn = ingressOf(albSg);
    assert.deepEqual(albIn.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]).sort(), [
      [443, 443, "0.0.0.0/0"],
      [80, 80, "0.0.0.0/0"],
    ]);
    const appIn = ingressOf(appSg);
    assert.equal(appIn.length, 1);
    assert.equal(appIn[0]!.inputs.fromPort, 3000);
    assert.equal(appIn[0]!.inputs.toPort, 3000);
    assert.equal(appIn[0]!.inputs.referencedSecurityGroupId, idOf(albSg));
    assert.equal(appIn[0]!.inputs.cidrIpv4, undefined, "no address range reaches the tasks directly");

    for (const sg of [albSg, appSg]) {
      const out = rec.ofType(T.egress).filter((r) => r.inputs.securityGroupId === idOf(sg));
      assert.equal(out.length, 1);
      assert.equal(out[0]!.inputs.ipProtocol, "-1");
    }
    // The VPC's default group is adopted with no rules, so nothing can rely on its allow-all-members default.
    const defaultSg = rec.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    assert.equal(defaultSg.inputs.ingress, undefined);
    assert.equal(defaultSg.inputs.egress, undefined);
  });

  it("shares one VPC, cluster, load balancer and port rule between two services", async () => {
    const rec = await deployServices([
      webServiceSpec({ name: "web", domains: ["shop.example.com"] }),
      webServiceSpec({ name: "admin", domains: ["admin.example.com"] }),
    ], { route53ZoneId: "Z0TESTZONE" });
    assert.equal(rec.ofType(T.vpc).length, 1);
    assert.equal(rec.ofType(T.cluster).length, 1);
    assert.equal(rec.ofType(T.alb).length, 1);
    assert.deepEqual(rec.ofType(T.listener).map((l) => l.inputs.port).sort(), [443, 80]);
    // Both listen on 8080: one rule (AWS rejects duplicates).
    assert.equal(rec.ofType(T.ingress).filter((r) => r.inputs.fromPort === 8080).length, 1);
    const cluster = rec.one(T.cluster);
    const services = rec.ofType("aws:ecs/service:Service");
    assert.equal(services.length, 2);
    for (const service of services) assert.equal(service.inputs.cluster, cluster.outputs.arn);
  });

  it("creates no load balancer for private services only", async () => {
    const rec = await deployServices([webServiceSpec({ name: "worker", public: false })]);
    assert.equal(rec.ofType(T.alb).length, 0);
    assert.equal(rec.ofType(T.listener).length, 0);
    assert.equal(rec.find(T.sg, "shop-aws-alb-sg"), undefined);
  });

  it("answers unknown hosts with 404 and uses a TLS 1.3 policy on :443", async () => {
    const rec = await deployServices([webServiceSpec({ name: "web", domains: ["shop.example.com"], settings: { certificateRecordsCreated: true } })]);
    const http = rec.ofType(T.listener).find((l) => l.inputs.port === 80)!;
    const https = rec.ofType(T.listener).find((l) => l.inputs.port === 443)!;
    for (const listener of [http, https]) {
      const [action] = listener.inputs.defaultActions as { type: string; fixedResponse: { statusCode: string } }[];
      assert.equal(action!.type, "fixed-response");
      assert.equal(action!.fixedResponse.statusCode, "404");
    }
    assert.equal(https.inputs.protocol, "HTTPS");
    assert.equal(https.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    assert.equal(rec.one(T.alb).inputs.idleTimeout, 60);
  });

  it("creates ECS's service-linked role before the cluster only in an account that lacks it, and never deletes it", async () => {
    const ROLES = "aws:iam/getRoles:getRoles";
    const slr = "aws:iam/serviceLinkedRole:ServiceLinkedRole";
    const run = (names: string[] | "no answer" | "denied") =>
      recordResources(
        () => {
          const instance = awsBackend.create(stackInfo(), {});
          instance.webService!(webServiceSpec({ name: "web" }), { secretEnv: {} }, parentComponent("WebService", "web"));
        },
        // The data source answers with the region as its ID, and the roles under ECS's service-role path.
        {
          call: (token) => {
            if (token !== ROLES || names === "no answer") return undefined;
            if (names === "denied") throw new Error("AccessDenied: not authorized to perform: iam:ListRoles");
            return { id: "us-east-1", names, arns: names.map((n) => `arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/${n}`) };
          },
        },
      );

    // A brand-new account: created first, and the cluster (whose capacity providers need the role) waits for it.
    const fresh = await run([]);
    const [call] = fresh.callsOf(ROLES);
    assert.equal(call!.inputs.pathPrefix, "/aws-service-role/ecs.amazonaws.com/");
    const role = fresh.one(slr);
    assert.equal(role.inputs.awsServiceName, "ecs.amazonaws.com");
    assert.equal(role.options.retainOnDelete, true, "other stacks and apps in the account use it: never deleted");
    assert.equal(role.parent, fresh.one(PLATFORM_TYPE));
    assert.ok(fresh.one(T.cluster).options.dependsOn.includes(role));

    // An account that has it (nearly all): creating it again would fail ("has been taken in this account").
    const existing = await run(["AWSServiceRoleForECS"]);
    assert.equal(existing.ofType(slr).length, 0);
    assert.deepEqual(existing.one(T.cluster).options.dependsOn, []);
    // No answer (the offline plan; a deployer without iam:ListRoles): leave it to ECS, which creates it on CreateCluster.
    assert.equal((await run("no answer")).ofType(slr).length, 0);
    const denied = await run("denied");
    assert.equal(denied.ofType(slr).length, 0);
    assert.equal(denied.ofType("aws:ecs/service:Service").length, 1, "the deploy goes on");
  });

  it("turns Container Insights on only when asked (it is billed)", async () => {
    const off = await deployServices([webServiceSpec({ name: "web" })]);
    assert.deepEqual(off.one(T.cluster).inputs.settings, [{ name: "containerInsights", value: "disabled" }]);
    const on = await deployServices([webServiceSpec({ name: "web" })], { containerInsights: true });
    assert.deepEqual(on.one(T.cluster).inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
    assert.deepEqual(off.one(T.capacity).inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
  });

  it("keeps logs 7 days on development stacks, 30 on production, or as set", async () => {
    const retention = async (stack: StackInfo, settings: unknown = {}) =>
      (await deployServices([webServiceSpec({ name: "web" })], settings, stack)).one(T.logGroup).inputs.retentionInDays;
    assert.equal(await retention(stackInfo()), 7);
    assert.equal(await retention(stackInfo({ tier: "production" })), 30);
    assert.equal(await retention(stackInfo({ tier: "production" }), { logRetentionDays: 90 }), 90);
  });

  it("exposes the network to data parts: isolated subnets for data, the app group for tasks", async () => {
    let platform: AwsPlatform | undefined;
    const isolated: string[] = [];
    const rec = await recordResources(() => {
      platform = new AwsPlatform(stackInfo(), {});
      for (const id of platform.network.isolatedSubnetIds) id.apply((v) => isolated.push(v));
    });
    assert.ok(platform);
    const expected = rec.ofType(T.subnet).filter((s) => s.name.includes("isolated")).map(idOf);
    assert.deepEqual(isolated.sort(), expected.sort());
    assert.equal(rec.ofType(T.alb).length, 0, "the load balancer is created by the first public service, not the platform");
  });
});
