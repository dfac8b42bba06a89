// The bad-config corpus (test/fixtures/bad/<case>/), each planned end to end under the mock runtime: the plan must
// fail with a ConfigError naming the key path and what is allowed, before any resource is registered. This process
// plans every case, one after the other, and checks that a failed plan leaves nothing behind for the next one.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { BACKENDS } from "../../providers/registry";
import { planProgram, type PlanResult } from "../../scripts/plan/run";
import { ConfigError } from "../../stacks/problems";

const BAD = path.join(__dirname, "..", "fixtures", "bad");

interface Case {
  /** The folder under test/fixtures/bad. */
  name: string;
  /** The key path of the problem. */
  path: string;
  /** Words its message must contain: what was given, what is allowed. */
  words: string[];
  /** True when the fixture holds exactly this one problem. */
  only: boolean;
  /** Other key paths that must be reported in the same run (all problems at once). */
  others?: string[];
  /** Text that must appear nowhere in the error: values that may be credentials. */
  absent?: string[];
  /** Config added over the fixture's stack file. */
  config?: Record<string, string>;
  /** Why the case cannot run yet. */
  todo?: string;
}

/** A registered backend that runs web services without private networking, if any (Heroku-like). */
const publicOnly = BACKENDS.find((b) => b.offers.services && !b.offers.services.private);
const hasAws = BACKENDS.some((b) => b.name === "aws");

const CASES: Case[] = [
  {
    name: "unknown-backend",
    path: "multicloud:databases.db.backend",
    words: [`"exteranl" is not allowed`, "allowed: cloud, paas, docs, bare, external", `did you mean "external"?`],
    only: true,
  },
  {
    name: "misspelt-key",
    path: "multicloud:services.api",
    words: [`unknown key "szie" (did you mean "size"?)`, "allowed: backend, size, instances, domains, public"],
    only: true,
  },
  {
    name: "mongodb-on-aws",
    path: "multicloud:backend",
    words: [`backend "aws" has no mongodb databases`, "backends with mongodb:", "atlas", "external", "use MongoDB Atlas"],
    only: false,
    ...(hasAws ? {} : { todo: `the aws backend is not in providers/registry.ts yet (has: ${BACKENDS.map((b) => b.name).join(", ")})` }),
  },
  {
    name: "invalid-cron",
    path: "app.cronJobs.rating.schedule",
    words: [`"0 0 4 * * *" has 6 fields`, "standard 5-field cron expression", "minute hour day-of-month month day-of-week"],
    only: true,
  },
  {
    name: "port-out-of-range",
    path: "app.services.gateway.port",
    words: ["a whole number from 1 to 65535", "(given 80800)"],
    only: true,
  },
  {
    name: "link-to-missing",
    path: "app.services.gateway.links[0]",
    words: [`links to "postgress"`, `did you mean "postgres"?`, "linkable: gateway, postgres, redis"],
    only: true,
  },
  {
    name: "missing-secret",
    path: "multicloud:JWT_SECRET",
    words: ["secret JWT_SECRET (used by services.api)", `not set in stack "staging"`, "`pulumi config set --secret JWT_SECRET <value> -s staging`"],
    only: true,
  },
  {
    name: "unknown-top-level-key",
    path: "multicloud:backends",
    words: [`unknown key "backends"`, `did you mean "backend"?`, "allowed: tier, backend, env, services, cronJobs, databases, caches", "UPPER_CASE secret name"],
    // The stack then has no default backend: "no backend chosen" follows for the service.
    only: false,
  },
  {
    name: "structured-as-string",
    path: "multicloud:databases",
    words: ["must be a map (structured config)", `given the string "paas"`],
    only: true,
  },
  {
    name: "private-on-paas",
    path: "multicloud:backend",
    words: [`backend "${publicOnly?.name ?? "heroku"}" has no private networking`, "wallet is private", "backends with private services:"],
    only: false,
    ...(publicOnly
      ? { config: { "multicloud:backend": publicOnly.name } }
      : { todo: `no backend in providers/registry.ts runs web services without private networking yet (has: ${BACKENDS.map((b) => b.name).join(", ")})` }),
  },
  {
    name: "moved-same-backend",
    path: "multicloud:databases.db.movedFrom",
    words: [`is the same backend as the database's own ("cloud")`, "remove movedFrom"],
    only: true,
  },
  // Group 1: the declaration validated at run time (index.ts runs transpile-only).
  {
    name: "decl-unknown-field",
    path: "app.services.api",
    words: [`unknown key "healthCheckPath"`, `did you mean "healthCheck"?`, "allowed: image, command"],
    only: true,
  },
  {
    name: "decl-out-of-range",
    path: "app.services.api.instances",
    words: ["a whole number of instances from 0 to 100", "(given -1)"],
    only: true,
  },
  {
    name: "domain-as-url",
    path: "app.services.api.domains[0]",
    words: ["is a URL", `give the host name only: "api.gengar.example.com"`],
    only: true,
  },
  // Group 2: one mistake does not hide (or crash) the others.
  {
    name: "decl-wrong-types",
    path: "app.services.api.links",
    words: [`must be a list: write ["db"]`],
    others: ["app.services.api.env.WORKERS", "app.services.api.command", "app.cronJobs.digest.command", "app.databases.db.version"],
    only: false,
  },
  // Group 3: config keys that are almost right.
  {
    name: "namespace-misspelt",
    path: "multicoud:services",
    words: [`unknown namespace "multicoud"`, `did you mean "multicloud"?`, "rename it to multicloud:services"],
    only: true,
  },
  {
    name: "tier-upper-case",
    path: "multicloud:TIER",
    words: ["case-sensitive", "read as a secret's name", "write multicloud:tier"],
    // Its value is not printed either: an UPPER_CASE key may hold a secret.
    absent: ["production"],
    only: true,
  },
  // Group 4: messages that point where to edit.
  {
    name: "config-wrong-kind",
    path: "multicloud:services.db",
    words: [`"db" is a database, not a web service`, "its settings go under multicloud:databases.db"],
    only: true,
  },
  {
    name: "instances-from-config",
    path: "multicloud:services.api.instances",
    words: [`backend "paas" cannot autoscale`, "give a fixed count"],
    only: true,
  },
  {
    name: "secret-near-miss",
    path: "multicloud:SESSION_SECRET",
    words: [`not set in stack "staging"`, "multicloud:SESION_SECRET is set"],
    only: true,
  },
  // Group 5: schedules and versions that would not do what was written.
  {
    name: "cron-never-fires",
    path: "app.cronJobs.report.schedule",
    words: ["never fires", "day 30 does not occur in FEB"],
    only: true,
  },
  {
    name: "cron-step-too-large",
    path: "app.cronJobs.sync.schedule",
    words: ["step /75 in the minute field", "the largest minute step is 59"],
    only: true,
  },
  {
    name: "version-no-backend",
    path: "app.caches.cache.version",
    words: [`"99" is not a redis version backend "cloud" offers`, "it offers: 7", "no backend offers redis 99"],
    only: true,
  },
  // Group 6: what the Docker build would only find later.
  {
    name: "missing-build-context",
    path: "app.services.api.image.build.context",
    words: [`"./api" is not a directory`, "does not exist"],
    only: true,
  },
  // Group 6b: per-stack env and link pieces.
  {
    name: "env-shadows-link",
    path: "multicloud:env.DATABASE_URL",
    words: ["would shadow the link to db of services.api"],
    absent: ["readonly@db.example.net"],
    only: true,
  },
  {
    name: "link-piece-not-offered",
    path: "app.services.api.links[0].env.REDIS_DB",
    words: [`the cache "cache" has no "database"`, "url, host, port, user, password"],
    only: true,
  },
  // Group 7: secrets.
  {
    name: "plaintext-secret",
    path: "multicloud:SESSION_SECRET",
    words: ["plain text in Pulumi.staging.yaml", "`pulumi config set --secret SESSION_SECRET <value> -s staging`"],
    absent: ["hunter2"],
    only: true,
  },
  {
    name: "secret-value-as-name",
    path: "multicloud:caches.cache.external.urlSecret",
    words: ["must be an UPPER_CASE secret name"],
    absent: ["hunter2", "cache.example.com"],
    only: true,
  },
];

void describe("the bad-config corpus", () => {
  const plans: PlanResult[] = [];
  const leaks: unknown[] = [];
  const recordLeak = (reason: unknown) => leaks.push(reason);
  before(async () => {
    process.on("unhandledRejection", recordLeak);
    for (const c of CASES) {
      plans.push(await planProgram({ dir: path.join(BAD, c.name), stack: "staging", ...(c.config ? { config: c.config } : {}) }));
    }
    // Let whatever the last plan left behind surface.
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  after(() => {
    process.off("unhandledRejection", recordLeak);
  });

  void it("has a test case for every fixture folder", () => {
    assert.deepEqual(readdirSync(BAD).sort(), CASES.map((c) => c.name).sort());
  });

  CASES.forEach((c, index) => {
    void it(`${c.name}: fails at ${c.path} before registering anything`, c.todo ? { todo: c.todo } : {}, () => {
      const plan = plans[index]!;
      assert.ok(plan.error instanceof ConfigError, `expected a ConfigError, got: ${plan.error?.stack ?? "no error"}`);
      const { problems, message } = plan.error;
      const problem = problems.find((p) => p.path === c.path);
      assert.ok(problem, `no problem at ${c.path}:\n${message}`);
      for (const word of c.words) assert.ok(problem.message.includes(word), `the problem at ${c.path} should say ${JSON.stringify(word)}: ${problem.message}`);
      // The message a person reads carries the path next to what is wrong, and names the stack.
      assert.ok(message.includes(`  - ${c.path}: ${problem.message}`), message);
      assert.ok(message.includes(`stack "staging"`), message);
      if (c.only) assert.equal(problems.length, 1, message);
      for (const other of c.others ?? []) assert.ok(problems.some((p) => p.path === other), `no problem at ${other}:\n${message}`);
      for (const text of c.absent ?? []) assert.ok(!message.includes(text), `the error prints ${JSON.stringify(text)}:\n${message}`);
      // Nothing is registered, not even a component: the stack itself is not a recorded resource.
      assert.deepEqual(plan.resources, []);
      assert.deepEqual(plan.components, []);
      assert.deepEqual(plan.warnings, []);
    });
  });

  void it("leaves no unhandled rejection behind when a program fails", () => {
    assert.deepEqual(leaks, []);
  });
});
