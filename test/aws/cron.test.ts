import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CacheSpec, CronJobSpec, DatabaseSpec, ResolvedApp, StackInfo } from "../../providers/backend";
import { toAwsCron, validateAws } from "../../providers/aws/cron";

function expression(expr: string): string {
  const result = toAwsCron(expr);
  assert.ok("expression" in result, `expected a translation of ${expr}, got ${JSON.stringify(result)}`);
  return result.expression;
}

function error(expr: string): string {
  const result = toAwsCron(expr);
  assert.ok("error" in result, `expected ${expr} to be refused, got ${JSON.stringify(result)}`);
  return result.error;
}

describe("toAwsCron: translations", () => {
  const cases: [string, string, string][] = [
    ["weekdays at 07:30 (the brief's example)", "30 7 * * 1-5", "cron(30 7 ? * MON-FRI *)"],
    ["every day: day-of-week becomes ?", "0 3 * * *", "cron(0 3 * * ? *)"],
    ["a minute step starts at 0", "*/15 * * * *", "cron(0/15 * * * ? *)"],
    ["an hour step", "0 */2 * * *", "cron(0 0/2 * * ? *)"],
    ["Sunday as 0 is SUN, not AWS's 0", "5 4 * * 0", "cron(5 4 ? * SUN *)"],
    ["Sunday as 7 is SUN too", "5 4 * * 7", "cron(5 4 ? * SUN *)"],
    ["a day name", "5 4 * * sun", "cron(5 4 ? * SUN *)"],
    ["day names as a range", "0 9 * * mon-fri", "cron(0 9 ? * MON-FRI *)"],
    ["0-7 is every day of the week", "0 0 * * 0-7", "cron(0 0 * * ? *)"],
    ["days of the month as a list: day-of-week becomes ?", "0 0 1,15 * *", "cron(0 0 1,15 * ? *)"],
    ["a month step", "0 0 1 */3 *", "cron(0 0 1 1/3 ? *)"],
    ["month names as a list of numbers", "0 0 * jan,jul *", "cron(0 0 * 1,7 ? *)"],
    ["a two-value list stays a list", "0,30 * * * *", "cron(0,30 * * * ? *)"],
    ["a step over day-of-week becomes the days it means (AWS has no / there)", "0 0 * * */2", "cron(0 0 ? * SUN,TUE,THU,SAT *)"],
    ["a weekend list, whatever its order", "0 0 * * 6,0", "cron(0 0 ? * SUN,SAT *)"],
    ["a stepped range that stops before the field's end stays a list", "0 9-17/2 * * *", "cron(0 9,11,13,15,17 * * ? *)"],
    ["a stepped range that runs to the end becomes start/step", "10-50/10 * * * *", "cron(10/10 * * * ? *)"],
    ["an hour range with weekdays", "0 9-17 * * 1-5", "cron(0 9-17 ? * MON-FRI *)"],
    // POSIX: neither day field starts with "*", so a day matching either runs; 1-31 matches every day.
    ["day-of-month 1-31 OR weekdays is every day", "0 0 1-31 * 1-5", "cron(0 0 * * ? *)"],
    ["a day-of-month step with day-of-week *", "0 0 */2 * *", "cron(0 0 1/2 * ? *)"],
  ];
  for (const [what, given, expected] of cases) {
    it(`${what}: ${given} -> ${expected}`, () => assert.equal(expression(given), expected));
  }
});

describe("toAwsCron: refusals", () => {
  it("both day fields restricted (standard cron: either) -> two jobs suggested, with their expressions", () => {
    const message = error("0 9 1 * 1");
    assert.match(message, /either/);
    assert.match(message, /two cron jobs/);
    assert.match(message, /"0 9 1 \* \*" and "0 9 \* \* 1"/);
  });
  it("a starred day-of-month step with weekdays (standard cron: both) -> refused, saying which fields", () => {
    const message = error("0 9 */2 * 1-5");
    assert.match(message, /both day-of-month "\*\/2" and day-of-week "1-5"/);
  });
  for (const quartz of ["0 0 L * *", "0 0 * * 5#2", "0 0 15W * *", "0 0 ? * 1", "0 0 * * 1L"]) {
    it(`a Quartz extension is not standard cron: ${quartz}`, () => assert.match(error(quartz), /not standard cron/));
  }
  it("Jenkins' H (a hashed random minute) is refused", () => assert.match(error("H 0 * * *"), /"H"/));
  it("six fields (seconds) are refused", () => assert.match(error("0 0 0 * * *"), /6 fields/));
  it("a macro is refused", () => assert.match(error("@daily"), /1 field/));
  it("an out-of-range value is refused with cron-parser's reason", () => assert.match(error("60 0 * * *"), /0-59/));
  it("an unknown name is refused", () => assert.match(error("0 0 * * FUN"), /FUN|not a valid/));
});

const stack: StackInfo = { project: "multicloud", stack: "prod", tier: "production", appName: "sample", projectDir: "/tmp" };

function app(parts: { cronJobs?: CronJobSpec[]; databases?: DatabaseSpec[]; caches?: CacheSpec[] }, info: StackInfo = stack): ResolvedApp {
  return { stack: info, secretsInConfig: new Set(), services: [], cronJobs: parts.cronJobs ?? [], databases: parts.databases ?? [], caches: parts.caches ?? [] };
}

function job(name: string, schedule: string, backend = "aws"): CronJobSpec {
  return {
    name, backend, schedule, timezone: "UTC", timeoutSeconds: 3600, command: ["true"], size: "nano", env: {}, secretNames: [],
    image: { kind: "ref", ref: "busybox" }, settings: {},
  };
}

function database(overrides: Partial<DatabaseSpec> = {}): DatabaseSpec {
  return { name: "db", backend: "aws", engine: "postgres", size: "nano", storageGiB: 20, extensions: [], backups: { retentionDays: 7 }, settings: {}, ...overrides };
}

function cache(overrides: Partial<CacheSpec> = {}): CacheSpec {
  return { name: "cache", backend: "aws", engine: "valkey", size: "nano", evictionPolicy: "noeviction", settings: {}, ...overrides };
}

describe("validateAws", () => {
  it("reports an AWS job's untranslatable schedule at its schedule path", () => {
    assert.deepEqual(validateAws(app({ cronJobs: [job("report", "0 9 1 * 1")] })).map((p) => p.path), ["app.cronJobs.report.schedule"]);
  });
  it("ignores jobs on other backends and translatable schedules", () => {
    assert.deepEqual(validateAws(app({ cronJobs: [job("report", "0 9 1 * 1", "heroku"), job("nightly", "30 3 * * *")] })), []);
  });
  it("leaves invalid expressions to the core's own check (no duplicate problem)", () => {
    assert.deepEqual(validateAws(app({ cronJobs: [job("report", "0 0 L * *")] })), []);
  });

  it("accepts every offered postgres and mysql major, and no version at all", () => {
    const dbs = [...["14", "15", "16", "17", "18"].map((v) => database({ name: `pg${v}`, version: v })),
      database({ name: "my84", engine: "mysql", version: "8.4" }), database({ name: "latest" })];
    assert.deepEqual(validateAws(app({ databases: dbs })), []);
  });
  it("refuses a postgres major RDS no longer supports, listing the allowed ones", () => {
    const [problem, ...rest] = validateAws(app({ databases: [database({ version: "13" })] }));
    assert.equal(rest.length, 0);
    assert.equal(problem?.path, "app.databases.db.version");
    assert.match(problem!.message, /"13".*allowed: 14, 15, 16, 17, 18/);
  });
  it("refuses a minor version, saying to give the major", () => {
    const [problem] = validateAws(app({ databases: [database({ version: "16.4" })] }));
    assert.match(problem!.message, /major only/);
  });
  it("refuses a mysql version that is not 8.4", () => {
    const [problem] = validateAws(app({ databases: [database({ engine: "mysql", version: "5.7" })] }));
    assert.match(problem!.message, /allowed: 8\.4$/);
  });
  it("refuses mysql 8.0, out of RDS standard support since 2026-07-31 (Extended Support bills per vCPU-hour)", () => {
    const [problem, ...rest] = validateAws(app({ databases: [database({ engine: "mysql", version: "8.0" })] }));
    assert.equal(rest.length, 0);
    assert.equal(problem?.path, "app.databases.db.version");
    assert.match(problem!.message, /"8\.0".*allowed: 8\.4/);
  });
  it("accepts vector on postgres, refuses extensions RDS does not ship and any extension on mysql", () => {
    assert.deepEqual(validateAws(app({ databases: [database({ version: "14", extensions: ["vector", "pg_trgm"] })] })), []);
    assert.deepEqual(validateAws(app({ databases: [database({ extensions: ["timescaledb"] })] })).map((p) => p.path), ["app.databases.db.extensions"]);
    assert.deepEqual(validateAws(app({ databases: [database({ engine: "mysql", extensions: ["vector"] })] })).map((p) => p.path), ["app.databases.db.extensions"]);
  });
  it("refuses backups: false on production only", () => {
    assert.deepEqual(validateAws(app({ databases: [database({ backups: false })] })).map((p) => p.path), ["app.databases.db.backups"]);
    assert.deepEqual(validateAws(app({ databases: [database({ backups: false })] }, { ...stack, tier: "development" })), []);
  });
  it("refuses storage below what the storage type allows, and io2 without iops", () => {
    assert.match(validateAws(app({ databases: [database({ storageGiB: 10 })] }))[0]!.message, /gp3 storage is 20-65536 GiB/);
    const io2 = validateAws(app({ databases: [database({ storageGiB: 100, settings: { storageType: "io2" } })] }));
    assert.deepEqual(io2.map((p) => p.path), ["multicloud:databases.db.aws.iops"]);
  });
  it("refuses gp3 iops below 400 GiB and a storage maximum below the allocation", () => {
    const problems = validateAws(app({ databases: [database({ storageGiB: 50, settings: { iops: 6000, maxStorageGiB: 40 } })] }));
    assert.deepEqual(problems.map((p) => p.path), ["multicloud:databases.db.aws.iops", "multicloud:databases.db.aws.maxStorageGiB"]);
  });

  it("accepts the default cache (valkey, noeviction: serverless without a storage cap)", () => {
    assert.deepEqual(validateAws(app({ caches: [cache()] })), []);
  });
  it("refuses a cache major ElastiCache does not offer", () => {
    const [problem] = validateAws(app({ caches: [cache({ engine: "redis", version: "8" })] }));
    assert.equal(problem?.path, "app.caches.cache.version");
    assert.match(problem!.message, /allowed: 7/);
  });
  it("refuses mode serverless with an eviction policy serverless cannot honour", () => {
    const [problem] = validateAws(app({ caches: [cache({ evictionPolicy: "allkeys-lru", settings: { mode: "serverless" } })] }));
    assert.equal(problem?.path, "multicloud:caches.cache.aws.mode");
    assert.match(problem!.message, /allkeys-lru/);
  });
  it("accepts allkeys-lru without a mode (node mode is picked)", () => {
    assert.deepEqual(validateAws(app({ caches: [cache({ evictionPolicy: "allkeys-lru" })] })), []);
  });
  it("refuses a serverless storage cap with noeviction (the cap would evict)", () => {
    const [problem] = validateAws(app({ caches: [cache({ settings: { maxDataStorageGB: 2 } })] }));
    assert.equal(problem?.path, "multicloud:caches.cache.aws.maxDataStorageGB");
  });
  it("refuses settings of the other mode", () => {
    const problems = validateAws(app({ caches: [cache({ settings: { replicas: 1 } }), cache({ name: "lru", evictionPolicy: "allkeys-lru", settings: { maxEcpuPerSecond: 5000 } })] }));
    assert.deepEqual(problems.map((p) => p.path), ["multicloud:caches.cache.aws.replicas", "multicloud:caches.lru.aws.maxEcpuPerSecond"]);
  });
});
