// Issue 10 items 1 and 2: plain env set per stack (`multicloud:env`, a part's `env`) merged over the declaration,
// and links that inject pieces of a connection (`{ to, env: { REDIS_HOST: "host" } }`), parsed from the URL once.
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import type { AppSpec } from "../../components/spec";
import { linkPieces } from "../../providers/connectionUrl";
import { planProgram, revealSecrets, type PlanResult } from "../../scripts/plan/run";
import { assertPaths, assertProblem, resolve, resolveOk } from "./check";

const image = { ref: "ghcr.io/acme/shop:1.4.2" };
const untyped = (spec: unknown) => spec as AppSpec;

void describe("per-stack plain env", () => {
  const spec: AppSpec = {
    name: "shop",
    databases: { db: { engine: "postgres" } },
    services: { web: { image, env: { LOG_LEVEL: "info", TZ: "UTC" }, secrets: ["SESSION_SECRET"], links: ["db"] } },
    cronJobs: { nightly: { image, command: ["job"], schedule: "0 3 * * *" } },
  };
  const secrets = { SESSION_SECRET: "secure-ciphertext" };

  void it("merges declaration < multicloud:env < the part's env, for services and cron jobs", () => {
    const { app } = resolveOk(spec, {
      backend: "cloud",
      ...secrets,
      env: { ENVIRONMENT: "staging", LOG_LEVEL: "debug" },
      services: { web: { env: { LOG_LEVEL: "warn", CORS_ALLOWED_ORIGINS: "https://a.example" } } },
    });
    assert.deepEqual(app.services[0]!.env, { LOG_LEVEL: "warn", TZ: "UTC", ENVIRONMENT: "staging", CORS_ALLOWED_ORIGINS: "https://a.example" });
    assert.deepEqual(app.cronJobs[0]!.env, { ENVIRONMENT: "staging", LOG_LEVEL: "debug" });
  });

  void it("never lets config env shadow a secret, a link or PORT, naming the key to edit", () => {
    const { problems } = resolve(spec, {
      backend: "cloud",
      ...secrets,
      env: { SESSION_SECRET: "oops" },
      services: { web: { env: { DATABASE_URL: "postgres://elsewhere", PORT: "80" } } },
    });
    assertProblem(problems, "multicloud:env.SESSION_SECRET", "would shadow secret SESSION_SECRET of services.web");
    assertProblem(problems, "multicloud:services.web.env.DATABASE_URL", "would shadow the link to db");
    assertProblem(problems, "multicloud:services.web.env.PORT", "would shadow PORT");
    assert.equal(problems.length, 3);
  });

  void it("refuses names that are not env var names and values that are not strings, before anything", () => {
    const { problems } = resolve(spec, {
      backend: "cloud",
      ...secrets,
      env: { log_level: "debug" },
      cronJobs: { nightly: { env: { WORKERS: 4 } } },
    });
    assertProblem(problems, "multicloud:env.log_level", "is not an env var name");
    assertProblem(problems, "multicloud:cronJobs.nightly.env.WORKERS", `write "4"`);
  });

  void it("refuses a URL with a password in plain env, declared or configured, without printing it", () => {
    const { problems } = resolve(untyped({ ...spec, services: { web: { ...spec.services!.web, env: { LEGACY_DSN: "postgres://u:hunter2@db.example.net/app" } } } }), {
      backend: "cloud",
      ...secrets,
      env: { BROKER_URL: "amqp://guest:hunter2@mq.example.net:5672", DOCS_URL: "https://docs.example.net/a:b@c" },
    });
    assertProblem(problems, "app.services.web.env.LEGACY_DSN", "holds a URL with a password", "pulumi config set --secret LEGACY_DSN");
    assertProblem(problems, "multicloud:env.BROKER_URL", "holds a URL with a password");
    assert.equal(problems.length, 2, "once for the stack's env, whatever parts it reaches; none for a URL without credentials");
    assert.ok(problems.every((p) => !p.message.includes("hunter2")));
  });

  void it("refuses an env that is not a map", () => {
    const { problems } = resolve(spec, { backend: "cloud", ...secrets, env: "LOG_LEVEL=debug" });
    assertPaths(problems, "multicloud:env");
  });
});

void describe("links that inject pieces of a connection", () => {
  const base = {
    name: "shop",
    databases: { db: { engine: "postgres" }, docs: { engine: "mongodb" } },
    caches: { cache: {} },
  };
  /** The fake `cloud` has no MongoDB: `docs` serves it. */
  const DOCS_ON_DOCS = { backend: "cloud", databases: { docs: { backend: "docs" } } };

  void it("resolves one secret env var per piece, and the URL only when `as` asks for it", () => {
    const { app, links } = resolveOk(untyped({
      ...base,
      services: {
        web: { image, links: [{ to: "cache", env: { REDIS_HOST: "host", REDIS_PORT: "port" } }, { to: "db", as: "PG_URL", env: { PGDATABASE: "database" } }] },
      },
    }), DOCS_ON_DOCS);
    assert.deepEqual(links.get("web"), [
      { env: "REDIS_HOST", target: "cache", kind: "cache", part: "host" },
      { env: "REDIS_PORT", target: "cache", kind: "cache", part: "port" },
      { env: "PG_URL", target: "db", kind: "database", part: "url" },
      { env: "PGDATABASE", target: "db", kind: "database", part: "database" },
    ]);
    assert.deepEqual(app.services[0]!.secretNames, ["REDIS_HOST", "REDIS_PORT", "PG_URL", "PGDATABASE"]);
  });

  void it("refuses a piece the linked part has not, saying which it has", () => {
    const { problems } = resolve(untyped({
      ...base,
      services: {
        api: { image },
        web: {
          image,
          links: [
            { to: "cache", env: { REDIS_DB: "database" } },
            { to: "docs", env: { MONGO_HOST: "host" } },
            { to: "api", env: { API_PASSWORD: "password" } },
          ],
        },
      },
    }), DOCS_ON_DOCS);
    assertProblem(problems, "app.services.web.links[0].env.REDIS_DB", `the cache "cache" has no "database"`, "url, host, port, user, password");
    assertProblem(problems, "app.services.web.links[1].env.MONGO_HOST", `no "host"`, "several hosts or an SRV record", "url, user, password, database");
    assertProblem(problems, "app.services.web.links[2].env.API_PASSWORD", `the web service "api" has no "password"`, "url, host, port");
    assert.equal(problems.length, 3);
  });

  void it("refuses a name that is no piece at all, in the declaration's schema", () => {
    const { problems } = resolve(untyped({ ...base, services: { web: { image, links: [{ to: "db", env: { PGHOST: "hostname" } }] } } }), DOCS_ON_DOCS);
    assertProblem(problems, "app.services.web.links[0].env.PGHOST", `"hostname" is not a piece of a connection`, "url, host, port, user, password, database");
  });

  void it("refuses a piece's env var that clashes with another var", () => {
    const { problems } = resolve(untyped({
      ...base,
      services: { web: { image, env: { REDIS_HOST: "localhost" }, links: [{ to: "cache", env: { REDIS_HOST: "host" } }] } },
    }), DOCS_ON_DOCS);
    assertProblem(problems, "app.services.web.links[0].env.REDIS_HOST", "env var REDIS_HOST is set twice");
  });

  void it("splits URLs the way drivers read them: decoded credentials, the scheme's port when none is given", () => {
    assert.deepEqual(linkPieces("rediss://:p%40ss%2Fw0rd@cache.example.net", "t"), {
      url: "rediss://:p%40ss%2Fw0rd@cache.example.net", host: "cache.example.net", port: "6379", user: "", password: "p@ss/w0rd", database: "",
    });
    assert.deepEqual(linkPieces("postgresql://app:s3cret@db.example.net:6432/orders?sslmode=require", "t"), {
      url: "postgresql://app:s3cret@db.example.net:6432/orders?sslmode=require", host: "db.example.net", port: "6432", user: "app", password: "s3cret", database: "orders",
    });
    assert.equal(linkPieces("https://api.example.net", "t").port, "443");
    assert.equal(linkPieces("mongodb+srv://u:p@cluster0.abcde.mongodb.net/shop?retryWrites=true", "t").database, "shop");
  });

  void it("never repeats a URL it cannot parse: it holds a password", () => {
    assert.throws(() => linkPieces("not a url with hunter2", "web: the link to db"), (e: Error) => {
      assert.match(e.message, /web: the link to db: the connection URL is not a URL/);
      assert.doesNotMatch(e.message, /hunter2/);
      return true;
    });
  });
});

void describe("plan: per-stack env and link pieces reach the backend", () => {
  let plan: PlanResult;
  before(async () => {
    plan = await planProgram({ dir: path.join(__dirname, "..", "fixtures", "pieces"), stack: "staging" });
  });
  const inputsOf = (type: string, name: string) => {
    const found = plan.resources.find((r) => r.type === type && r.name === name);
    assert.ok(found, `${type} ${name}`);
    return found.inputs as { env?: Record<string, string>; secretEnv: unknown; spec: { env: Record<string, string> } };
  };

  void it("plans without error", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
  });

  void it("hands each part its merged plain env", () => {
    assert.deepEqual(inputsOf("fakecloud:index:Service", "api").spec.env, {
      LOG_LEVEL: "warn", TZ: "UTC", ENVIRONMENT: "staging", CORS_ALLOWED_ORIGINS: "https://staging.mipedido.example",
    });
    assert.deepEqual(inputsOf("fakecloud:index:Job", "cleanup").spec.env, { ENVIRONMENT: "staging", LOG_LEVEL: "debug", DRY_RUN: "true" });
  });

  void it("injects each piece, parsed from the linked part's URL, as a secret", () => {
    assert.deepEqual(revealSecrets(inputsOf("fakecloud:index:Service", "api").secretEnv), {
      MONGODB_URL: "mongodb://app@db-id.docs.example.net/app",
      DATABASE_NAME: "app",
      REDIS_HOST: "cache-id.cloud.example.net",
      REDIS_PORT: "6379",
      REDIS_PASSWORD: "",
      PGHOST: "orders-id.cloud.example.net",
      PGPORT: "5432",
      PGUSER: "app",
      PGDATABASE: "app",
    });
    assert.deepEqual(revealSecrets(inputsOf("fakecloud:index:Service", "engine").secretEnv), { API_HOST: "api-id.cloud.example.net", API_PORT: "443" });
    assert.deepEqual(revealSecrets(inputsOf("fakecloud:index:Job", "cleanup").secretEnv), { REDIS_URL: "rediss://cache-id.cloud.example.net:6379" });
  });
});
