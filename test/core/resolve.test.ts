// resolveApp: each part's backend, size and settings picked from the stack config, every default applied in one
// place, and every problem reported with the config key (or declaration path) and what is allowed. The fake
// backends (test/core/fakeBackends.ts): cloud offers everything; paas is Heroku-like (public only, no autoscaling,
// sizes micro-medium, postgres, redis); docs hosts MongoDB only; bare runs small public services and nothing else.
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { AppSpec, WebServiceArgs } from "../../components/spec";
import type { Problem, ResolvedApp } from "../../providers/backend";
import { assertPaths, assertProblem, resolve, resolveOk, STACK } from "./check";
import { fakeBackend, FAKE_BACKENDS } from "./fakeBackends";

const web: WebServiceArgs = { image: { ref: "ghcr.io/acme/shop:1.4.2" } };

/** An app with one web service, plus whatever else the test needs. */
function app(parts: Omit<AppSpec, "name"> = {}): AppSpec {
  return { name: "shop", services: { web }, ...parts };
}

const servicesOf = (spec: AppSpec, config: Record<string, unknown>) => resolveOk(spec, config).app.services;

void describe("resolveApp: backends", () => {
  void it("puts every part on the stack's default backend", () => {
    const { app: resolved } = resolveOk(
      app({ databases: { db: { engine: "postgres" } }, caches: { cache: {} }, cronJobs: { nightly: { image: { service: "web" }, command: ["true"], schedule: "0 3 * * *" } } }),
      { backend: "cloud" },
    );
    const backends = [...resolved.services, ...resolved.cronJobs, ...resolved.databases, ...resolved.caches].map((p) => p.backend);
    assert.deepEqual(backends, ["cloud", "cloud", "cloud", "cloud"]);
  });

  void it("lets one part's backend override the stack default", () => {
    const { app: resolved } = resolveOk(app({ databases: { db: { engine: "postgres", size: "micro" } } }), {
      backend: "cloud",
      databases: { db: { backend: "paas" } },
    });
    assert.equal(resolved.services[0]!.backend, "cloud");
    assert.equal(resolved.databases[0]!.backend, "paas");
  });

  void it("asks for a backend when neither the stack nor the part names one", () => {
    const { problems } = resolve(app(), {});
    assertPaths(problems, "multicloud:services.web.backend");
    assertProblem(problems, "multicloud:services.web.backend", "no backend chosen", "multicloud:backend",
      "services.web.backend", "backends: cloud, paas, docs, bare, external");
  });

  void it("reports an unknown backend once, with a guess, and nothing that depends on it", () => {
    const { problems } = resolve(app({ databases: { db: { engine: "postgres" } } }), { backend: "clodu" });
    assertPaths(problems, "multicloud:backend");
    assertProblem(problems, "multicloud:backend", `"clodu" is not allowed`, `did you mean "cloud"?`);
  });

  void it("does not resolve a part against the stack default when its config was rejected", () => {
    const { problems } = resolve(app({ databases: { db: { engine: "postgres" }, events: { engine: "mongodb" } } }), {
      backend: "paas",
      services: { web: { size: "micro" } },
      databases: { db: { backend: "exteranl" }, events: { backend: "docs" } },
    });
    // Only the typo: not "paas has no nano size" for db, nor "paas has no mongodb" for events (which is on docs).
    assertPaths(problems, "multicloud:databases.db.backend");
  });

  void it("names the backends that can run a kind the chosen backend cannot", () => {
    const { problems } = resolve(
      app({ cronJobs: { nightly: { image: { service: "web" }, command: ["true"], schedule: "0 3 * * *" } } }),
      { backend: "cloud", cronJobs: { nightly: { backend: "docs" } } },
    );
    assertPaths(problems, "multicloud:cronJobs.nightly.backend");
    assertProblem(problems, "multicloud:cronJobs.nightly.backend", `backend "docs" cannot run cron jobs`, "backends that can: cloud, paas");
  });

  void it("points at the stack default when the part inherits a backend that cannot run it", () => {
    const { problems } = resolve(app(), { backend: "external" });
    assertProblem(problems, "multicloud:backend", `backend "external" cannot run web services`, "backends that can: cloud, paas, bare");
  });

  void it("calls a backend's own validation only when some part uses it", () => {
    const seen: ResolvedApp[] = [];
    const strict = fakeBackend("strict", { databases: { engines: ["postgres"], sizes: ["nano"] } }, {}, (resolved) => {
      seen.push(resolved);
      return [{ path: "multicloud:strict", message: "strict says no" }];
    });
    const backends = [...FAKE_BACKENDS, strict];
    assert.deepEqual(resolve(app(), { backend: "cloud" }, backends).problems, []);
    assert.equal(seen.length, 0);
    const { problems } = resolve(app({ databases: { db: { engine: "postgres" } } }), { backend: "cloud", databases: { db: { backend: "strict" } } }, backends);
    assertProblem(problems, "multicloud:strict", "strict says no");
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.databases[0]!.backend, "strict");
    assert.deepEqual(seen[0]!.stack, { ...STACK, tier: "development", appName: "shop" });
  });
});

void describe("resolveApp: sizes", () => {
  void it("takes the config's size over the app's, and the app's over nano", () => {
    const spec = app({ services: { web, api: { ...web, size: "small" }, admin: { ...web, size: "small" } } });
    const sizes = servicesOf(spec, { backend: "cloud", services: { admin: { size: "large" } } }).map((s) => [s.name, s.size]);
    assert.deepEqual(sizes, [["web", "nano"], ["api", "small"], ["admin", "large"]]);
  });

  void it("rejects a config size the backend lacks, naming its sizes and the backends that have it", () => {
    const { problems } = resolve(app(), { backend: "paas", services: { web: { size: "large" } } });
    assertPaths(problems, "multicloud:services.web.size");
    assertProblem(problems, "multicloud:services.web.size", `backend "paas" has no "large" size for web services`,
      "sizes it offers: micro, small, medium", `backends with "large": cloud`);
  });

  void it("rejects a declared size the backend lacks at the declaration, and a default one at the config key that would override it", () => {
    const { problems } = resolve(app({ databases: { db: { engine: "postgres", size: "medium" } } }), { backend: "paas" });
    assertPaths(problems, "multicloud:services.web.size", "app.databases.db.size");
    assertProblem(problems, "multicloud:services.web.size", `no "nano" size for web services`, "sizes it offers: micro, small, medium", `backends with "nano": cloud, bare`);
    assertProblem(problems, "app.databases.db.size", `no "medium" size for databases`, "sizes it offers: micro, small", `backends with "medium": cloud, docs, external`);
  });
});

void describe("resolveApp: what a backend offers", () => {
  void it("rejects a database engine the backend lacks, naming the backends that have it", () => {
    const { problems } = resolve(app({ databases: { orders: { engine: "mongodb" } } }), { backend: "cloud" });
    assertPaths(problems, "multicloud:backend");
    assertProblem(problems, "multicloud:backend", `backend "cloud" has no mongodb databases`, "engines: postgres, mysql", "backends with mongodb: docs, external");
  });

  void it("rejects a cache engine and an eviction policy the backend lacks", () => {
    const { problems } = resolve(app({ caches: { cache: { engine: "valkey", evictionPolicy: "allkeys-lfu" } } }), {
      backend: "cloud",
      caches: { cache: { backend: "paas", size: "micro" } },
    });
    assertPaths(problems, "multicloud:caches.cache.backend", "app.caches.cache.evictionPolicy");
    assertProblem(problems, "multicloud:caches.cache.backend", `backend "paas" has no valkey caches`, "engines: redis", "backends with valkey: cloud, external");
    assertProblem(problems, "app.caches.cache.evictionPolicy", `cannot set the eviction policy "allkeys-lfu"`, "it offers: noeviction, allkeys-lru");
  });

  void it("rejects a private service on a backend without private networking", () => {
    const { problems } = resolve(app({ services: { web: { ...web, size: "micro", public: false } } }), { backend: "paas" });
    assertPaths(problems, "multicloud:backend");
    assertProblem(problems, "multicloud:backend", `backend "paas" has no private networking`, "web is private", "backends with private services: cloud");
  });

  void it("lets config make a service private, and checks it against the backend", () => {
    const { problems } = resolve(app(), { backend: "cloud", services: { web: { backend: "bare", public: false } } });
    assertProblem(problems, "multicloud:services.web.backend", `backend "bare" has no private networking`);
  });

  void it("rejects custom domains, autoscaling and a release command where the backend lacks them", () => {
    const spec = app({ services: { web: { ...web, domains: ["shop.example.com"], release: ["node", "migrate.js"] } } });
    const { problems } = resolve(spec, { backend: "bare", services: { web: { instances: { min: 1, max: 3 } } } });
    assertPaths(problems, "multicloud:backend", "multicloud:services.web.instances", "app.services.web.release");
    assertProblem(problems, "multicloud:backend", `backend "bare" cannot serve custom domains`, "backends that can: cloud, paas");
    assertProblem(problems, "multicloud:services.web.instances", `backend "bare" cannot autoscale`, "give a fixed count", "cloud");
    assertProblem(problems, "app.services.web.release", `backend "bare" cannot run a release command`, "backends that can: cloud, paas");
  });

  void it("accepts a fixed count where autoscaling is not offered", () => {
    const [service] = servicesOf(app({ services: { web: { ...web, size: "micro", instances: 2 } } }), { backend: "paas" });
    assert.deepEqual(service!.scaling, { min: 2, max: 2, cpuTarget: 70 });
  });

  void it("rejects custom domains on a private service", () => {
    const { problems } = resolve(app({ services: { web: { ...web, public: false, domains: ["internal.example.com"] } } }), { backend: "cloud" });
    assertProblem(problems, "app.services.web.domains", "a private service cannot have custom domains");
  });
});

void describe("resolveApp: per-backend settings", () => {
  void it("hands a part only the settings of the backend it runs on", () => {
    const [service] = servicesOf(app(), {
      backend: "cloud",
      services: { web: { cloud: { cpuArchitecture: "arm64", spot: true }, paas: { dynoType: "eco" } } },
    });
    assert.deepEqual(service!.settings, { cpuArchitecture: "arm64", spot: true });
  });

  void it("keeps the settings of a backend the part moved away from, without using them", () => {
    const [service] = servicesOf(app({ services: { web: { ...web, size: "micro" } } }), {
      backend: "cloud",
      services: { web: { backend: "paas", cloud: { spot: true }, paas: { dynoType: "basic" } } },
    });
    assert.deepEqual(service!.settings, { dynoType: "basic" });
  });

  void it("applies the schema's defaults when a part gives no settings", () => {
    const [service] = servicesOf(app(), { backend: "cloud" });
    assert.deepEqual(service!.settings, {});
  });

  void it("reports a bad setting once, at its full key path", () => {
    const { problems } = resolve(app(), { backend: "cloud", services: { web: { cloud: { spot: "yes" } } } });
    assertPaths(problems, "multicloud:services.web.cloud.spot");
    assertProblem(problems, "multicloud:services.web.cloud.spot", `(given "yes")`);
  });

  void it("passes a backend's stack-wide settings through", () => {
    const { backendSettings } = resolveOk(app(), { backend: "cloud", cloud: { region: "eu-west-1" } });
    assert.deepEqual(backendSettings, { cloud: { region: "eu-west-1" } });
  });
});

void describe("resolveApp: names", () => {
  void it("rejects a malformed app name and part names", () => {
    const { problems } = resolve({ name: "My Shop", services: { Web: web, "web-": web } }, { backend: "cloud" });
    assertPaths(problems, "app.name", "app.services.Web", "app.services.web-");
    assertProblem(problems, "app.name", `"My Shop" is not an app name`, "lowercase letters, digits");
    assertProblem(problems, "app.services.Web", `"Web" is not a part name`, "1-40 lowercase letters");
  });

  void it("rejects a name used by two kinds of part", () => {
    const { problems } = resolve(app({ databases: { web: { engine: "postgres" } } }), { backend: "cloud" });
    assertProblem(problems, "app.databases.web", `the name "web" is also used by services.web`, "unique across the app");
  });

  void it("rejects config for a part the app does not declare, guessing the name", () => {
    const { problems } = resolve(app({ databases: { db: { engine: "postgres" } } }), {
      backend: "cloud",
      services: { wbe: { size: "micro" } },
      caches: { db: { size: "micro" } },
    });
    assertPaths(problems, "multicloud:services.wbe", "multicloud:caches.db");
    assertProblem(problems, "multicloud:services.wbe", `"wbe"`, `did you mean "web"?`, "services: web");
    // "db" is declared, as a database: the entry is under the wrong kind, and the message says where it belongs.
    assertProblem(problems, "multicloud:caches.db", `"db" is a database, not a cache`, "its settings go under multicloud:databases.db");
  });
});

void describe("resolveApp: links", () => {
  const data = { databases: { db: { engine: "postgres" as const }, events: { engine: "mongodb" as const } }, caches: { cache: {} } };
  const linksOf = (services: AppSpec["services"], config: Record<string, unknown> = {}) =>
    resolveOk(app({ ...data, services }), { backend: "cloud", databases: { events: { backend: "docs" } }, ...config }).links;

  void it("names each link's env var after the kind it links to", () => {
    const links = linksOf({ web, "billing-api": { ...web, links: ["db", "events", "cache", "web"] } });
    assert.deepEqual(links.get("billing-api"), [
      { env: "DATABASE_URL", target: "db", kind: "database", part: "url" },
      { env: "MONGODB_URL", target: "events", kind: "database", part: "url" },
      { env: "REDIS_URL", target: "cache", kind: "cache", part: "url" },
      { env: "WEB_URL", target: "web", kind: "service", part: "url" },
    ]);
  });

  void it("names a web service's link <NAME>_URL, dashes as underscores", () => {
    const links = linksOf({ web: { ...web, links: ["billing-api"] }, "billing-api": web });
    assert.deepEqual(links.get("web"), [{ env: "BILLING_API_URL", target: "billing-api", kind: "service", part: "url" }]);
  });

  void it("renames a link's env var with `as`", () => {
    const links = linksOf({ web: { ...web, links: [{ to: "db", as: "PRIMARY_DB_URL" }, { to: "cache", as: "CACHE_URL" }] } });
    assert.deepEqual(links.get("web")!.map((l) => l.env), ["PRIMARY_DB_URL", "CACHE_URL"]);
  });

  void it("lists the link env vars among the part's secret env names, after its secrets", () => {
    const { app: resolved } = resolveOk(
      app({ ...data, services: { web: { ...web, secrets: ["SESSION_SECRET"], links: ["db"] } } }),
      { backend: "cloud", databases: { events: { backend: "docs" } }, SESSION_SECRET: "[secret]" },
    );
    assert.deepEqual(resolved.services[0]!.secretNames, ["SESSION_SECRET", "DATABASE_URL"]);
  });

  void it("rejects a link to a missing part, guessing the name and listing what is linkable", () => {
    const { problems } = resolve(app({ ...data, services: { web: { ...web, links: ["dbb"] } } }), { backend: "cloud", databases: { events: { backend: "docs" } } });
    assertPaths(problems, "app.services.web.links[0]");
    assertProblem(problems, "app.services.web.links[0]", `links to "dbb"`, "not a database, cache or web service", `did you mean "db"?`, "linkable: web, db, events, cache");
  });

  void it("rejects a link to a cron job", () => {
    const { problems } = resolve(
      app({ services: { web: { ...web, links: ["nightly"] } }, cronJobs: { nightly: { image: { service: "web" }, command: ["true"], schedule: "0 3 * * *" } } }),
      { backend: "cloud" },
    );
    assertProblem(problems, "app.services.web.links[0]", `links to "nightly"`, "linkable: web");
  });

  void it("rejects a service linking to itself", () => {
    const { problems } = resolve(app({ services: { web: { ...web, links: ["web"] } } }), { backend: "cloud" });
    assertPaths(problems, "app.services.web.links[0]");
    assertProblem(problems, "app.services.web.links[0]", `"web" links to itself`);
  });

  void it("rejects two links, or a link and an env var, on the same env var", () => {
    const { problems } = resolve(
      app({ ...data, services: { web: { ...web, env: { REDIS_URL: "redis://localhost" }, links: ["db", { to: "events", as: "DATABASE_URL" }, "cache"] } } }),
      { backend: "cloud", databases: { events: { backend: "docs" } } },
    );
    assertPaths(problems, "app.services.web.links[1]", "app.services.web.links[2]");
    assertProblem(problems, "app.services.web.links[1]", "env var DATABASE_URL is set twice", "the link to db", "the link to events", "{ to, as }");
    assertProblem(problems, "app.services.web.links[2]", "env var REDIS_URL is set twice", "env.REDIS_URL");
  });

  void it("rejects a link env var that is not an env var name", () => {
    const { problems } = resolve(app({ databases: { db: { engine: "postgres" } }, services: { web: { ...web, links: [{ to: "db", as: "database-url" }] } } }), { backend: "cloud" });
    assertProblem(problems, "app.services.web.links[0].as", `"database-url" is not an env var name`);
  });

  void it("rejects a link to a private service on another backend", () => {
    const { problems } = resolve(
      app({ services: { internal: { ...web, public: false }, web: { ...web, size: "micro", links: ["internal"] } } }),
      { backend: "cloud", services: { web: { backend: "paas" } } },
    );
    assertPaths(problems, "app.services.web.links");
    assertProblem(problems, "app.services.web.links", `the private service "internal" on "cloud"`, `runs on "paas"`, "make it public or move one of them");
  });

  void it("allows a link to a private service on the same backend, and to a public one on another", () => {
    resolveOk(
      app({ services: { internal: { ...web, public: false }, api: web, web: { ...web, size: "micro", links: ["api"] }, admin: { ...web, links: ["internal"] } } }),
      { backend: "cloud", services: { web: { backend: "paas" } } },
    );
  });

  void it("orders services so that each comes after the services it links to", () => {
    const { serviceOrder } = resolveOk(
      app({ services: { web: { ...web, links: ["api"] }, api: { ...web, links: ["auth"] }, auth: web, admin: { ...web, links: ["auth", "api"] } } }),
      { backend: "cloud" },
    );
    assert.equal(serviceOrder.length, 4);
    const before = (a: string, b: string) => assert.ok(serviceOrder.indexOf(a) < serviceOrder.indexOf(b), `${a} before ${b}: ${serviceOrder.join(", ")}`);
    before("auth", "api");
    before("api", "web");
    before("api", "admin");
  });

  void it("rejects services linking to each other in a cycle, showing the cycle", () => {
    const { problems } = resolve(
      app({ services: { web: { ...web, links: ["api"] }, api: { ...web, links: ["auth"] }, auth: { ...web, links: ["web"] } } }),
      { backend: "cloud" },
    );
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0]!.path, /^app\.services\.(web|api|auth)\.links$/);
    assert.match(problems[0]!.message, /cycle \((web -> api -> auth -> web|api -> auth -> web -> api|auth -> web -> api -> auth)\)/);
  });
});

void describe("resolveApp: secrets and env", () => {
  void it("rejects a secret the stack does not set, with the exact command to set it", () => {
    const { problems } = resolve(app({ services: { web: { ...web, secrets: ["SESSION_SECRET", "STRIPE_KEY"] } } }), { backend: "cloud", STRIPE_KEY: "[secret]" });
    assertPaths(problems, "multicloud:SESSION_SECRET");
    assertProblem(problems, "multicloud:SESSION_SECRET", "secret SESSION_SECRET (used by services.web)", `not set in stack "staging"`,
      "`pulumi config set --secret SESSION_SECRET <value> -s staging`");
  });

  void it("rejects a secret name that is not UPPER_CASE, never echoing it (it may be the secret itself)", () => {
    const { problems } = resolve(app({ services: { web: { ...web, secrets: ["sk_live_51Hx9pasted"] } } }), { backend: "cloud" });
    assertPaths(problems, "app.services.web.secrets[0]");
    const message = assertProblem(problems, "app.services.web.secrets[0]", "is not a secret's name", "UPPER_CASE", "not shown");
    assert.ok(!message.includes("sk_live"), message);
  });

  void it("rejects a secret set twice", () => {
    const { problems } = resolve(app({ services: { web: { ...web, secrets: ["API_KEY", "API_KEY"] } } }), { backend: "cloud", API_KEY: "x" });
    assertPaths(problems, "app.services.web.secrets[1]");
    assertProblem(problems, "app.services.web.secrets[1]", "env var API_KEY is set twice");
  });

  void it("rejects PORT in a web service's env: the backend sets it", () => {
    const { problems } = resolve(app({ services: { web: { ...web, env: { PORT: "3000" } } } }), { backend: "cloud" });
    assertProblem(problems, "app.services.web.env.PORT", "env var PORT is set twice", "env.PORT");
  });

  void it("rejects an env var name that is not UPPER_CASE", () => {
    const { problems } = resolve(app({ services: { web: { ...web, env: { "node-env": "production" } } } }), { backend: "cloud" });
    assertProblem(problems, "app.services.web.env.node-env", `"node-env" is not an env var name`);
  });
});

void describe("resolveApp: cron jobs", () => {
  const job = (over: Partial<NonNullable<AppSpec["cronJobs"]>[string]> = {}) =>
    app({ cronJobs: { nightly: { image: { service: "web" }, command: ["node", "jobs/cleanup.js"], schedule: "30 3 * * *", ...over } } });
  const problemsOf = (over: Parameters<typeof job>[0]) => resolve(job(over), { backend: "cloud" }).problems;

  void it("applies the defaults and runs the image of the service it names", () => {
    const { app: resolved } = resolveOk(job(), { backend: "cloud" });
    const [nightly] = resolved.cronJobs;
    assert.deepEqual(
      { schedule: nightly!.schedule, timezone: nightly!.timezone, timeoutSeconds: nightly!.timeoutSeconds, size: nightly!.size, imageOfService: nightly!.imageOfService },
      { schedule: "30 3 * * *", timezone: "UTC", timeoutSeconds: 3600, size: "nano", imageOfService: "web" },
    );
    assert.deepEqual(nightly!.image, resolved.services[0]!.image);
  });

  void it("takes the timeout from config over the app", () => {
    const { app: resolved } = resolveOk(job({ timeoutSeconds: 60 }), { backend: "cloud", cronJobs: { nightly: { timeoutSeconds: 900 } } });
    assert.equal(resolved.cronJobs[0]!.timeoutSeconds, 900);
  });

  void it("accepts steps, ranges, lists and month and day names", () => {
    for (const schedule of ["*/15 * * * *", "0 9-17 * * 1-5", "0 0 1,15 * *", "0 6 * JAN,JUL MON-FRI", " 0 4 * * sun "]) {
      assert.deepEqual(problemsOf({ schedule }), [], schedule);
    }
  });

  void it("rejects a schedule without 5 fields, saying how many it has", () => {
    for (const [schedule, count] of [["0 0 3 * * *", "6 fields"], ["@daily", "1 field;"], ["0 3 * *", "4 fields"]] as const) {
      assertProblem(problemsOf({ schedule }), "app.cronJobs.nightly.schedule", `${JSON.stringify(schedule)} has ${count}`, "standard 5-field cron expression", "minute hour day-of-month month day-of-week");
    }
  });

  void it("rejects the non-standard L, W, # and ? extensions", () => {
    for (const [schedule, field] of [["0 3 L * *", "L"], ["0 3 15W * *", "15W"], ["0 3 * * 5#2", "5#2"], ["0 3 ? * MON", "?"], ["0 3 * * 5L", "5L"]] as const) {
      assertProblem(problemsOf({ schedule }), "app.cronJobs.nightly.schedule", `uses "${field}"`, "L, W, # and ? are not standard cron");
    }
  });

  void it("rejects values out of range", () => {
    for (const schedule of ["61 * * * *", "0 24 * * *", "0 0 32 * *", "0 0 * 13 *", "0 0 * * 8", "x 0 * * *"]) {
      assertProblem(problemsOf({ schedule }), "app.cronJobs.nightly.schedule", `${JSON.stringify(schedule)} is not a valid cron expression`);
    }
  });

  void it("rejects a time zone that is not IANA", () => {
    assertProblem(problemsOf({ timezone: "Europe/Madird" }), "app.cronJobs.nightly.timezone", `"Europe/Madird" is not an IANA time zone`, "Europe/Madrid");
    assert.deepEqual(problemsOf({ timezone: "America/Argentina/Buenos_Aires" }), []);
  });

  void it("rejects an image naming a service the app lacks, guessing the name", () => {
    assertProblem(problemsOf({ image: { service: "wbe" } }), "app.cronJobs.nightly.image.service", `no web service named "wbe"`, `did you mean "web"?`, "services: web");
  });

  void it("rejects a cron job without a command", () => {
    assertProblem(problemsOf({ command: [] }), "app.cronJobs.nightly.command", "command needs at least one argument");
  });

  void it("rejects a cron job's secret that the stack does not set", () => {
    assertProblem(problemsOf({ secrets: ["REPORT_TOKEN"] }), "multicloud:REPORT_TOKEN", "used by cronJobs.nightly", "pulumi config set --secret REPORT_TOKEN <value> -s staging");
  });
});

void describe("resolveApp: web service checks and defaults", () => {
  const problemsOf = (over: Partial<WebServiceArgs>, config: Record<string, unknown> = {}) =>
    resolve(app({ services: { web: { ...web, ...over } } }), { backend: "cloud", ...config }).problems;

  void it("applies every default in one place", () => {
    const [service] = servicesOf(app(), { backend: "cloud" });
    assert.deepEqual(service, {
      name: "web", backend: "cloud", image: { kind: "ref", ref: "ghcr.io/acme/shop:1.4.2" }, size: "nano", env: {},
      secretNames: [], settings: {}, port: 8080, healthCheck: { path: "/", intervalSeconds: 30 },
      scaling: { min: 1, max: 1, cpuTarget: 70 }, domains: [], public: true,
    });
  });

  void it("resolves a build context against the project directory", () => {
    const [service] = servicesOf(app({ services: { web: { image: { build: { context: "./app", target: "runtime" } } } } }), { backend: "cloud" });
    assert.deepEqual(service!.image, {
      kind: "build", context: path.resolve(STACK.projectDir, "app"), dockerfile: path.resolve(STACK.projectDir, "app", "Dockerfile"),
      args: {}, target: "runtime",
    });
  });

  void it("takes instances and domains from config over the app", () => {
    const [service] = servicesOf(app({ services: { web: { ...web, instances: 1, domains: ["old.example.com"] } } }), {
      backend: "cloud", services: { web: { instances: { min: 2, max: 6, cpuTarget: 60 }, domains: ["shop.example.com"] } },
    });
    assert.deepEqual(service!.scaling, { min: 2, max: 6, cpuTarget: 60 });
    assert.deepEqual(service!.domains, ["shop.example.com"]);
  });

  void it("rejects a port out of range", () => {
    for (const port of [0, 70000, 80.5]) {
      assertProblem(problemsOf({ port }), "app.services.web.port", "a whole number from 1 to 65535", `(given ${port})`);
    }
  });

  void it("rejects a health check path without a leading /", () => {
    assertProblem(problemsOf({ healthCheck: { path: "health" } }), "app.services.web.healthCheck.path", `"health" must start with "/"`);
  });

  void it("rejects min above max, where they were given", () => {
    assertProblem(problemsOf({ instances: { min: 3, max: 2 } }), "app.services.web.instances", "min (3) is above max (2)");
    assertProblem(problemsOf({}, { services: { web: { instances: { min: 5, max: 2 } } } }), "multicloud:services.web.instances", "min (5) is above max (2)");
  });

  void it("rejects an image reference with spaces", () => {
    assertProblem(problemsOf({ image: { ref: "ghcr.io/acme/shop 1.4" } }), "app.services.web.image.ref", "is not an image reference");
  });
});

void describe("resolveApp: databases and caches", () => {
  void it("applies the defaults of databases and caches", () => {
    const { app: resolved } = resolveOk(app({ databases: { db: { engine: "postgres" } }, caches: { cache: {} } }), { backend: "cloud" });
    assert.deepEqual(resolved.databases[0], { name: "db", backend: "cloud", engine: "postgres", size: "nano", storageGiB: 20, extensions: [], backups: { retentionDays: 7 }, settings: {} });
    assert.deepEqual(resolved.caches[0], { name: "cache", backend: "cloud", engine: "valkey", size: "nano", evictionPolicy: "noeviction", settings: {} });
  });

  void it("takes storage from config over the app", () => {
    const { app: resolved } = resolveOk(app({ databases: { db: { engine: "postgres", storageGiB: 20 } } }), { backend: "cloud", databases: { db: { storageGiB: 100 } } });
    assert.equal(resolved.databases[0]!.storageGiB, 100);
  });

  void it("rejects an unknown engine, storage below 1 GiB and backups kept too long", () => {
    const { problems } = resolve(
      app({ databases: { db: { engine: "postgres", storageGiB: 0, backups: { retentionDays: 40 } }, old: { engine: "oracle" as "mysql" } } }),
      { backend: "cloud" },
    );
    assertPaths(problems, "app.databases.db.storageGiB", "app.databases.db.backups.retentionDays", "app.databases.old.engine");
    assertProblem(problems, "app.databases.old.engine", `"oracle" is not allowed`, "allowed: postgres, mongodb, mysql");
    assertProblem(problems, "app.databases.db.storageGiB", "from 1 to 65536", "given 0");
    assertProblem(problems, "app.databases.db.backups.retentionDays", "days from 1 to 35", "given 40");
  });
});

void describe("resolveApp: movedFrom", () => {
  const data = app({ databases: { db: { engine: "postgres", size: "micro" } }, caches: { cache: { engine: "redis", size: "micro" } } });

  void it("keeps a moved database and cache on the backend they came from", () => {
    const { app: resolved, previous } = resolveOk(data, {
      backend: "cloud", databases: { db: { movedFrom: "paas" } }, caches: { cache: { movedFrom: "paas" } },
    });
    assert.equal(resolved.databases[0]!.backend, "cloud");
    assert.equal(previous.databases.get("db")!.backend, "paas");
    assert.equal(previous.databases.get("db")!.engine, "postgres");
    assert.equal(resolved.caches[0]!.backend, "cloud");
    assert.equal(previous.caches.get("cache")!.backend, "paas");
  });

  void it("gives the previous copy its own backend's settings", () => {
    const { app: resolved, previous } = resolveOk(data, {
      backend: "cloud", databases: { db: { movedFrom: "paas", cloud: { multiAz: true }, paas: { plan: "essential-0" } } },
    });
    assert.deepEqual(resolved.databases[0]!.settings, { multiAz: true });
    assert.deepEqual(previous.databases.get("db")!.settings, { plan: "essential-0" });
  });

  void it("rejects movedFrom naming the part's own backend", () => {
    const { problems, resolution } = resolve(data, { backend: "cloud", databases: { db: { movedFrom: "cloud" } }, caches: { cache: { backend: "paas", movedFrom: "paas" } } });
    assertPaths(problems, "multicloud:databases.db.movedFrom", "multicloud:caches.cache.movedFrom");
    assertProblem(problems, "multicloud:databases.db.movedFrom", `same backend as the database's own ("cloud")`, "remove movedFrom");
    assertProblem(problems, "multicloud:caches.cache.movedFrom", `("paas")`);
    assert.equal(resolution.previous.databases.size, 0);
  });

  void it("lets the new copy grow during a move without touching the kept copy", () => {
    const { problems, resolution } = resolve(app({ databases: { db: { engine: "postgres", size: "micro" } } }), {
      backend: "cloud", databases: { db: { size: "large", storageGiB: 200, movedFrom: "paas" } },
    });
    assert.deepEqual(problems, []);
    assert.equal(resolution.app.databases[0]!.size, "large");
    assert.notEqual(resolution.previous.databases.get("db")?.storageGiB, 200);
  });

  void it("checks the previous backend too, at the movedFrom key", () => {
    const { problems } = resolve(app({ databases: { events: { engine: "mongodb" } } }), {
      backend: "cloud", databases: { events: { backend: "docs", movedFrom: "cloud" } },
    });
    assertPaths(problems, "multicloud:databases.events.movedFrom");
    assertProblem(problems, "multicloud:databases.events.movedFrom", `backend "cloud" has no mongodb databases`);
  });

  void it("rejects movedFrom naming an unknown backend, with a guess", () => {
    const { problems } = resolve(data, { backend: "cloud", databases: { db: { movedFrom: "heroku-postgres" } } });
    assertProblem(problems, "multicloud:databases.db.movedFrom", `"heroku-postgres" is not allowed`, "allowed: cloud, paas");
  });
});

void describe("resolveApp: external data", () => {
  void it("asks for the URL secret of an external database, with the exact command", () => {
    const { problems } = resolve(app({ databases: { db: { engine: "postgres" } }, caches: { "session-cache": {} } }), {
      backend: "cloud", databases: { db: { backend: "external", external: { urlSecret: "HEROKU_DATABASE_URL" } } }, caches: { "session-cache": { backend: "external" } },
    });
    assertPaths(problems, "multicloud:HEROKU_DATABASE_URL", "multicloud:SESSION_CACHE_URL");
    assertProblem(problems, "multicloud:HEROKU_DATABASE_URL", "databases.db is external", "`pulumi config set --secret HEROKU_DATABASE_URL <url> -s staging`");
    assertProblem(problems, "multicloud:SESSION_CACHE_URL", "caches.session-cache is external", "pulumi config set --secret SESSION_CACHE_URL <url> -s staging");
  });

  void it("accepts external data whose URL secrets are set", () => {
    const problems: Problem[] = resolve(app({ databases: { db: { engine: "mongodb" } } }), {
      backend: "cloud", databases: { db: { backend: "external" } }, DB_URL: "[secret]",
    }).problems;
    assert.deepEqual(problems, []);
  });
});

void describe("resolveApp: tier", () => {
  void it("hands the tier and the app name to the backends", () => {
    const { app: resolved } = resolveOk(app(), { backend: "cloud", tier: "production" });
    assert.deepEqual(resolved.stack, { ...STACK, tier: "production", appName: "shop" });
  });
});
