/**
 * What `pulumi up` would send to AWS, checked against AWS's own constraints (its API models and what its API
 * references document; see providers/aws/constraints/): the sample stacks and a generated worst case (the longest
 * names validation accepts, every kind of part) must plan with zero violations; what the user can get wrong must be
 * refused by validation, with the key to edit, before any resource is registered.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { awsBackend } from "../../providers/aws";
import { checkAwsConstraints, checkedTypes, formatViolations } from "../../providers/aws/constraints/check";
import { planProgram, type PlanResult } from "../../scripts/plan/run";
import { resolvedApp, stackInfo, webServiceSpec, cronJobSpec } from "../support/mocks";
import type { CacheSpec, DatabaseSpec } from "../../providers/backend";

const REPO = path.resolve(__dirname, "../..");

/**
 * AWS resource types that receive no constrained string of ours (only IDs, ARNs, numbers, or documents whose
 * syntax is not a name). A new type in a plan must be mapped in fields.ts or listed here, with a reason.
 */
const NO_CONSTRAINED_STRINGS = new Set([
  "aws:ec2/route:Route", // IDs and a CIDR
  "aws:ec2/routeTableAssociation:RouteTableAssociation", // IDs
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", // the cluster's name (checked on the cluster) and fixed provider names
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment", // a role name (checked on the role) and a policy ARN
  "aws:lb/listenerCertificate:ListenerCertificate", // ARNs
  "aws:acm/certificateValidation:CertificateValidation", // an ARN and record FQDNs (checked on the records)
  "aws:ecr/lifecyclePolicy:LifecyclePolicy", // a repository name (checked on the repository) and a JSON policy
]);

function assertNoViolations(plan: PlanResult): void {
  assert.equal(plan.error, undefined, plan.error?.message);
  const violations = checkAwsConstraints(plan.resources);
  assert.equal(violations.length, 0, `AWS would refuse:\n${formatViolations(violations)}`);
}

function assertEveryTypeMapped(plan: PlanResult): void {
  const known = checkedTypes();
  const unmapped = [...new Set(plan.resources.map((r) => r.type))].filter((t) => t.startsWith("aws:") && !known.has(t) && !NO_CONSTRAINED_STRINGS.has(t));
  assert.deepEqual(unmapped, [], "AWS resource types with no entry in providers/aws/constraints/fields.ts");
}

describe("the checker", () => {
  it("catches the apostrophe EC2 refuses in a security group rule's description (AuthorizeSecurityGroupIngress)", () => {
    const violations = checkAwsConstraints([
      { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "db-from-app", inputs: { description: "the app's tasks" } },
    ]);
    assert.equal(violations.length, 1);
    assert.equal(violations[0]!.field, "description");
    assert.match(violations[0]!.constraint, /a-z, A-Z, 0-9, spaces and \._-:\/\(\)#,@\[\]\+=&;\{\}!\$\*/);
    assert.match(violations[0]!.source, /API_IpRange/);
  });

  it("checks auto-named fields as Pulumi names them: <logical name>-<7 hex>", () => {
    const violations = checkAwsConstraints([{ type: "aws:rds/instance:Instance", name: "my--db", inputs: {} }]);
    assert.deepEqual(violations.map((v) => [v.field, v.value]), [["identifier", "my--db-abcdef0"]]);
    assert.match(violations[0]!.constraint, /no two consecutive hyphens/);
  });

  it("checks model patterns, lengths, tags and names inside container definitions", () => {
    const violations = checkAwsConstraints([
      { type: "aws:scheduler/schedule:Schedule", name: "job", inputs: { name: "has space" } },
      { type: "aws:iam/role:Role", name: "r".repeat(60), inputs: { tags: { "bad#key": "v" } } },
      { type: "aws:ecs/taskDefinition:TaskDefinition", name: "t", inputs: { family: "ok", containerDefinitions: JSON.stringify([{ name: "web.app" }]) } },
      { type: "aws:ssm/parameter:Parameter", name: "p", inputs: { name: "/SSMtool/staging/web/X" } },
    ]);
    assert.deepEqual(violations.map((v) => [v.resource.split(" ")[0], v.field]), [
      ["aws:scheduler/schedule:Schedule", "name"],
      ["aws:iam/role:Role", "name"],
      ["aws:iam/role:Role", "tags.bad#key (key)"],
      ["aws:ecs/taskDefinition:TaskDefinition", "containerDefinitions[0].name"],
      ["aws:ssm/parameter:Parameter", "name"],
    ]);
  });

  it("skips values not known at plan time", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    assert.deepEqual(checkAwsConstraints([{ type: "aws:route53/record:Record", name: "r", inputs: { name: unknown } }]), []);
  });
});

describe("the sample app's stacks, as AWS would receive them", () => {
  for (const stack of ["staging", "prod"]) {
    it(`${stack}: zero violations, every AWS resource type mapped`, async () => {
      const plan = await planProgram({ dir: REPO, stack });
      assertNoViolations(plan);
      assertEveryTypeMapped(plan);
    });
  }
});

// ---- The worst case: the longest names validation accepts, every kind of part, on AWS ----

/** 20 characters (the longest app name), with the `--` app names may contain. */
const APP = "wx--abcdefghijklmnop";
/** Pulumi's longest stack name (100), with every character it allows. */
const STACK = `Stage_1.eu-${"s".repeat(89)}`;
const long = (head: string) => `${head}${"x".repeat(40 - head.length)}`;
const WEB = long("web--");
const API = long("api-");
const PRIVATE = long("priv--");
const JOB = long("cron--");
const DEFAULT_PG = long("pg-");
const PG = DEFAULT_PG;
const MYSQL = long("mysql-");
const VALKEY = long("valkey-");
const REDIS = long("redis-");
const SECRET = `S${"E".repeat(60)}`;
/** The first domain within ACM's 64-character Common Name; the others up to the load balancer's 128 per host. */
const DOMAINS = [`${"a".repeat(50)}.example.com`, `${"b".repeat(60)}.${"c".repeat(54)}.example.com`, "*.example.org"];

function worstCaseProject(dir: string, PG = DEFAULT_PG): void {
  const runnable = { secrets: [SECRET], links: [PG, { to: MYSQL, as: "MYSQL_URL" }, VALKEY, { to: REDIS, as: "LRU_REDIS_URL" }] };
  const app = {
    name: APP,
    databases: { [PG]: { engine: "postgres", version: "16" }, [MYSQL]: { engine: "mysql", version: "8.4" } },
    caches: { [VALKEY]: { engine: "valkey" }, [REDIS]: { engine: "redis", evictionPolicy: "allkeys-lru" } },
    services: {
      [WEB]: { image: { build: { context: "." } }, port: 8080, healthCheck: { path: "/health" }, release: ["node", "migrate.js"], ...runnable },
      [API]: { image: { ref: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1" }, port: 3000, domains: DOMAINS, release: ["migrate"], ...runnable },
      [PRIVATE]: { image: { ref: "ghcr.io/example/private:1" }, port: 9000, public: false, links: [API] },
    },
    cronJobs: {
      [JOB]: { image: { service: WEB }, command: ["node", "job.js"], schedule: "30 7 * * 1-5", timezone: "America/Argentina/ComodRivadavia", ...runnable },
    },
  };
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify({ name: "worst-case", runtime: "nodejs" }));
  fs.writeFileSync(
    path.join(dir, `Pulumi.${STACK}.yaml`),
    stringify({
      config: {
        "aws:region": "us-east-1",
        "multicloud:tier": "production",
        "multicloud:backend": "aws",
        "multicloud:aws": { route53ZoneId: "Z0123456789ABCDEFGHIJ" },
        "multicloud:services": { [WEB]: { instances: { min: 1, max: 3 } } },
        "multicloud:cronJobs": { [JOB]: { aws: { enforceTimeout: true } } },
        [`multicloud:${SECRET}`]: { secure: "v1:placeholder" },
      },
    }),
  );
  fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n");
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    `import { deployApp } from ${JSON.stringify(path.join(REPO, "components/app"))};\ndeployApp(${JSON.stringify(app, null, 1)} as never);\n`,
  );
}

describe("a generated worst case on AWS (longest app, stack and part names; every part kind; domains; private services; cron; releases)", () => {
  let dir: string;
  let plan: PlanResult;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-worst-case-"));
    worstCaseProject(dir);
    plan = await planProgram({ dir, stack: STACK });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("plans every part on AWS", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
    assert.equal(plan.components.filter((c) => c.backend === "aws").length, 8);
    for (const type of ["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/serverlessCache:ServerlessCache", "aws:servicediscovery/service:Service", "aws:acm/certificate:Certificate", "aws:scheduler/schedule:Schedule", "aws:appautoscaling/policy:Policy"]) {
      assert.ok(plan.resources.some((r) => r.type === type), `the worst case creates a ${type}`);
    }
  });

  it("sends AWS nothing it refuses", () => {
    assertNoViolations(plan);
    assertEveryTypeMapped(plan);
  });
});

describe("a name AWS would refuse, in a whole program", () => {
  it("stops the plan with the key to edit, before any resource is registered", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-bad-name-"));
    try {
      worstCaseProject(dir, "main--db");
      const plan = await planProgram({ dir, stack: STACK });
      assert.match(plan.error?.message ?? "", /app\.databases\.main--db: "main--db" has two consecutive hyphens/);
      assert.deepEqual(plan.resources.filter((r) => r.custom), [], "nothing registered");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run plan", () => {
  it("warns of what AWS would refuse that no validation foresaw (a transform's value)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-transform-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify({ name: "transformed", runtime: "nodejs" }));
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stringify({ config: { "aws:region": "us-east-1", "multicloud:backend": "aws" } }));
      fs.writeFileSync(
        path.join(dir, "index.ts"),
        `import { deployApp } from ${JSON.stringify(path.join(REPO, "components/app"))};
deployApp({
  name: "shop",
  services: {
    web: {
      image: { ref: "ghcr.io/example/web:1" },
      port: 8080,
      // The escape hatch: anything goes, including what AWS refuses.
      transform: (args) => args.type === "aws:ecs/taskDefinition:TaskDefinition" ? { props: { ...args.props, family: "shop's web" }, opts: args.opts } : undefined,
    },
  },
});
`,
      );
      const plan = await planProgram({ dir, stack: "dev" });
      assert.equal(plan.error, undefined, plan.error?.message);
      const refused = plan.warnings.filter((w) => w.startsWith("AWS would refuse"));
      assert.equal(refused.length, 1, plan.warnings.join("\n"));
      assert.match(refused[0]!, /aws:ecs\/taskDefinition:TaskDefinition web-task family = "shop's web": task definition family: up to 255 letters/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- What the user can get wrong: refused by validation, with the key to edit ----

const validate = awsBackend.validate!;

function database(name: string): DatabaseSpec {
  return { name, backend: "aws", engine: "postgres", version: "16", size: "nano", storageGiB: 20, backups: { retentionDays: 7 }, extensions: [], settings: {} } as unknown as DatabaseSpec;
}
function cache(name: string): CacheSpec {
  return { name, backend: "aws", engine: "valkey", size: "nano", evictionPolicy: "volatile-lru", settings: {} } as unknown as CacheSpec;
}

describe("AWS validation refuses the names AWS would refuse", () => {
  it("a database or cache name with two consecutive hyphens (RDS identifiers and parameter groups, ElastiCache)", () => {
    const problems = validate(resolvedApp({ databases: [database("main--db")], caches: [cache("hot--cache")] }));
    assert.deepEqual(problems.map((p) => p.path), ["app.databases.main--db", "app.caches.hot--cache"]);
    assert.match(problems[0]!.message, /"main--db".*two consecutive hyphens.*RDS/);
    assert.match(problems[0]!.message, /e\.g\. "main-db"/);
  });

  it("an app name SSM refuses as the start of a parameter path (aws..., ssm..., any case)", () => {
    for (const appName of ["aws-shop", "ssmtool"]) {
      const problems = validate(resolvedApp({ stack: stackInfo({ appName }), services: [webServiceSpec({ name: "web" })] }));
      assert.deepEqual(problems.map((p) => p.path), ["app.name"], appName);
      assert.match(problems[0]!.message, new RegExp(`"${appName}".*SSM parameter.*"aws" or "ssm"`));
    }
    // No AWS runnable part, no parameter.
    assert.deepEqual(validate(resolvedApp({ stack: stackInfo({ appName: "aws-shop" }), databases: [database("db")] })).map((p) => p.path), []);
  });

  it("an app name, or a database or cache name, that would start a security group name with sg-", () => {
    const problems = validate(resolvedApp({ stack: stackInfo({ appName: "sg-shop" }), services: [webServiceSpec({ name: "web" })], databases: [database("sg-db")] }));
    assert.deepEqual(problems.map((p) => p.path), ["app.name", "app.databases.sg-db"]);
    assert.match(problems[0]!.message, /security group names .* "sg-"/);
  });

  it("a first domain longer than ACM's 64-character Common Name, and any host longer than a listener rule's 128", () => {
    const long64 = `${"a".repeat(60)}.example.com`;
    const long128 = `${"b".repeat(60)}.${"c".repeat(60)}.example.com`;
    const problems = validate(
      resolvedApp({
        services: [
          webServiceSpec({ name: "web", domains: [long64, "ok.example.com"] }),
          webServiceSpec({ name: "api", domains: ["api.example.com", long128] }),
        ],
      }),
    );
    assert.deepEqual(problems.map((p) => p.path), ["app.services.web.domains", "app.services.api.domains"]);
    assert.match(problems[0]!.message, /72 characters.*64.*put a shorter domain first/);
    assert.match(problems[1]!.message, /133 characters.*128/);
  });

  it("a secret or link env var whose SSM parameter name would exceed SSM's length", () => {
    const secret = `S${"X".repeat(1000)}`;
    const problems = validate(resolvedApp({ services: [webServiceSpec({ name: "web", secretNames: [secret, "SHORT"] })] }));
    assert.deepEqual(problems.map((p) => p.path), ["app.services.web"]);
    assert.match(problems[0]!.message, /env var SX+ .*\/shop\/test\/web\/SX+\.\.\. \(1016 characters\), longer than the 947/);
  });

  it("accepts what the worst case uses", () => {
    const problems = validate(
      resolvedApp({
        stack: stackInfo({ appName: APP, stack: STACK }),
        services: [webServiceSpec({ name: WEB }), webServiceSpec({ name: API, domains: DOMAINS }), webServiceSpec({ name: PRIVATE, public: false })],
        cronJobs: [cronJobSpec({ name: JOB })],
        databases: [database(PG)],
        caches: [cache(VALKEY)],
      }),
    );
    assert.deepEqual(problems, []);
  });
});
