/**
 * The Heroku backend under Pulumi's mock runtime: the real dynamic resources and docker.Image register against a
 * recorder. For each part: the resources and the settings that matter (app stack, formation size by tier, secret
 * config vars, images and release, domains, add-on plans by tier and their data options, the clock and its job
 * vars), and that no credential or secret reaches a serialized dynamic provider.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CacheSpec, CronJobSpec, DatabaseSpec, LinkInfo, StackInfo, WebServiceSpec } from "../../providers/backend";
import { deployApp } from "../../components/app";
import type { AppSpec } from "../../components/spec";
import { externalBackend } from "../../providers/external";
import { herokuBackend } from "../../providers/heroku";
import { CLOCK_SOURCE_DIR } from "../../providers/heroku/clockApp";
import type { ClockJob } from "../../providers/heroku/clock/jobs";
import { herokuAppName } from "../../providers/heroku/names";
import { addonAttachmentProvider } from "../../providers/heroku/resources/addonAttachmentProvider";
import { addonProvider } from "../../providers/heroku/resources/addonProvider";
import { appProvider } from "../../providers/heroku/resources/appProvider";
import { configVarsProvider } from "../../providers/heroku/resources/configVarsProvider";
import { containerReleaseProvider } from "../../providers/heroku/resources/containerReleaseProvider";
import { domainProvider } from "../../providers/heroku/resources/domainProvider";
import { formationProvider } from "../../providers/heroku/resources/formationProvider";
import {
  containsInPlainText,
  cronJobSpec,
  isSecret,
  parentComponent,
  recordResources,
  resolvedApp,
  reveal,
  stackInfo,
  webServiceSpec,
  type Recorded,
  type Recording,
} from "../support/mocks";

/** The repo's own project directory: build contexts must exist (./app), as at `pulumi up`. */
const REPO = path.resolve(__dirname, "..", "..");
const API_KEY = "hrku-TEST-deploy-key-7f3a9c";
const SESSION_SECRET = "session-secret-value-91b2";
const T = {
  app: "pulumi-nodejs:dynamic/heroku:App",
  config: "pulumi-nodejs:dynamic/heroku:ConfigVars",
  release: "pulumi-nodejs:dynamic/heroku:ContainerRelease",
  formation: "pulumi-nodejs:dynamic/heroku:Formation",
  domain: "pulumi-nodejs:dynamic/heroku:Domain",
  addon: "pulumi-nodejs:dynamic/heroku:Addon",
  attachment: "pulumi-nodejs:dynamic/heroku:AddonAttachment",
  image: "docker:index/image:Image",
};
const DIGEST = /^sha256:[0-9a-f]{64}$/;

interface Parts {
  stack?: Partial<StackInfo>;
  settings?: Record<string, unknown>;
  services?: WebServiceSpec[];
  cronJobs?: CronJobSpec[];
  databases?: DatabaseSpec[];
  caches?: CacheSpec[];
  /** Secret env of every runnable part. */
  secretEnv?: Record<string, string>;
  /** Links of runnable parts, by part name; their env vars get the linked part's URL (a copy, as the core does). */
  links?: Record<string, LinkInfo[]>;
  /** Deploy the data as the copy a move leaves behind. */
  frozen?: boolean;
}

const urls = new Map<string, pulumi.Output<string>>();
/** `pulumi.log.info` lines of the last deploy (the cost lines). */
const infos: string[] = [];

/** Runs the backend over the parts, in the core's order (data, services, cron jobs), recording everything. */
async function deploy(parts: Parts, options: { preview?: boolean } = {}): Promise<Recording> {
  urls.clear();
  infos.length = 0;
  // Without an engine, `pulumi.log.info` prints to the console: keep those lines for assertions instead.
  const originalLog = console.log;
  console.log = (...args: unknown[]) => {
    const line = args.map(String).join(" ");
    if (line.startsWith("info: [runtime] ")) infos.push(line.slice("info: [runtime] ".length));
    else originalLog(...args);
  };
  try {
    return await record(parts, options);
  } finally {
    console.log = originalLog;
  }
}

function record(parts: Parts, options: { preview?: boolean }): Promise<Recording> {
  return recordResources(
    () => {
      const stack = stackInfo({ appName: "shop", stack: "staging", ...parts.stack });
      const instance = herokuBackend.create(stack, herokuBackend.settings.stack.parse(parts.settings ?? {}));
      const data = { retainOnDelete: true as const, protect: stack.tier === "production", ...(parts.frozen ? { ignoreChanges: ["*"] } : {}) };
      for (const db of parts.databases ?? []) urls.set(db.name, instance.database!(db, data, parentComponent("Database", db.name)).url);
      for (const cache of parts.caches ?? []) urls.set(cache.name, instance.cache!(cache, data, parentComponent("Cache", cache.name)).url);
      const inputs = (part: string) => {
        const secretEnv = Object.fromEntries(Object.entries(parts.secretEnv ?? {}).map(([k, v]) => [k, pulumi.secret(v)]));
        const links = parts.links?.[part] ?? [];
        for (const link of links) secretEnv[link.env] = pulumi.secret(urls.get(link.target) ?? pulumi.output(`postgres://elsewhere/${link.target}`));
        return { secretEnv, links };
      };
      for (const service of parts.services ?? []) urls.set(service.name, instance.webService!(service, inputs(service.name), parentComponent("WebService", service.name)).url);
      for (const job of parts.cronJobs ?? []) instance.cronJob!(job, inputs(job.name), parentComponent("CronJob", job.name));
    },
    {
      preview: options.preview ?? false,
      state: mockState,
    },
  );
}

/** Outputs Heroku would answer: an app's web URL (with its trailing slash), an add-on's URL. */
function mockState({ type, name, inputs }: { type: string; name: string; inputs: Record<string, unknown> }): Record<string, unknown> | undefined {
  if (type === T.app) return { webUrl: `https://${String(inputs.name)}-0a1b2c3d4e5f.herokuapp.com/` };
  if (type === T.domain) return { cname: `${String(inputs.hostname).split(".")[0]}-shiny-ab12cd.herokudns.com` };
  if (type === T.addon) {
    return { url: String(inputs.plan).startsWith("heroku-redis") ? `rediss://:pw-${name}@ec2-1-2-3-4.compute-1.amazonaws.com:6380` : `postgres://u:pw-${name}@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1` };
  }
  return undefined;
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

const web = (overrides: Partial<WebServiceSpec> = {}) => webServiceSpec({ name: "web", backend: "heroku", ...overrides });
const job = (overrides: Partial<CronJobSpec> & { name: string }) => cronJobSpec({ backend: "heroku", ...overrides });
const db = (overrides: Partial<DatabaseSpec> = {}): DatabaseSpec => ({
  name: "db", backend: "heroku", engine: "postgres", size: "nano", storageGiB: 1, extensions: [], backups: { retentionDays: 7 }, settings: {}, ...overrides,
});
const cache = (overrides: Partial<CacheSpec> = {}): CacheSpec => ({
  name: "cache", backend: "heroku", engine: "valkey", size: "nano", evictionPolicy: "noeviction", settings: {}, ...overrides,
});

const link = (env: string, target: string, kind: LinkInfo["kind"], backend = "heroku"): LinkInfo => ({ env, target, kind, backend });

const input = <V = unknown>(r: Recorded, key: string): V => reveal<V>(r.inputs[key]);
const dependsOnNames = (r: Recorded) => r.options.dependsOn.map((d) => d.name);

/** The jobs the clock app's config vars hold. */
function clockJobs(rec: Recording): ClockJob[] {
  const clockApp = rec.one(T.app, "heroku-clock");
  return rec
    .ofType(T.config)
    .filter((c) => input(c, "app") === clockApp.id && c.name !== "heroku-clock-config")
    .flatMap((c) => Object.values(input<Record<string, string>>(c, "vars")).map((v) => JSON.parse(v) as ClockJob));
}

void describe("heroku backend", () => {
  const savedEnv = { ...process.env };
  beforeEach(() => {
    process.env.HEROKU_API_KEY = API_KEY;
  });
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  void describe("web service", () => {
    void it("is a container app with secret config vars, an image pushed to its registry and released by digest", async () => {
      const rec = await deploy({ services: [web({ env: { LOG_LEVEL: "info" } })], secretEnv: { SESSION_SECRET } });
      const app = rec.one(T.app, "web");
      assert.equal(input(app, "name"), "shop-staging-web");
      assert.equal(input(app, "stack"), "container");
      assert.equal(input(app, "region"), "us");

      const config = rec.one(T.config, "web-config");
      assert.equal(input(config, "app"), app.id);
      assert.ok(isSecret(config.inputs.vars), "config vars are sent as a secret");
      assert.deepEqual(input(config, "vars"), { LOG_LEVEL: "info", SESSION_SECRET });
      assert.ok(!("PORT" in input<object>(config, "vars")), "Heroku's router assigns PORT");

      const image = rec.one(T.image, "web-web-image");
      assert.equal(input(image, "imageName"), "registry.heroku.com/shop-staging-web/web");
      const build = input<Record<string, unknown>>(image, "build");
      assert.equal(build.platform, "linux/amd64");
      assert.equal(build.builderVersion, "BuilderBuildKit");
      // Relative to the project directory (/project here): an absolute path would name the checkout.
      assert.equal(build.context, "app");
      assert.equal(build.dockerfile, "app/Dockerfile");
      const registry = input<Record<string, unknown>>(image, "registry");
      assert.deepEqual(registry, { server: "registry.heroku.com", username: "_", password: API_KEY });
      assert.ok(!containsInPlainText(image.inputs, API_KEY), "the registry password (the API key) is sent as a secret");

      const release = rec.one(T.release, "web-release");
      assert.equal(input(release, "app"), app.id);
      assert.match(input<Record<string, string>>(release, "images").web ?? "", DIGEST);
      assert.equal(input(release, "releaseImage"), undefined);
      assert.deepEqual(dependsOnNames(release), ["web-config"], "the release follows the config vars");

      const formation = rec.one(T.formation, "web-formation");
      assert.deepEqual(input(formation, "processes"), { web: { quantity: 1, size: "eco" } });
      assert.deepEqual(dependsOnNames(formation), ["web-release"]);
    });

    void it("sizes web dynos from the portable size and the tier, or the dynoSize setting", async () => {
      const sizes = async (tier: StackInfo["tier"], service: WebServiceSpec) =>
        input(rec1(await deploy({ stack: { tier }, services: [service] })), "processes");
      const rec1 = (rec: Recording) => rec.one(T.formation, "web-formation");
      assert.deepEqual(await sizes("development", web({ size: "nano" })), { web: { quantity: 1, size: "eco" } });
      assert.deepEqual(await sizes("production", web({ size: "nano" })), { web: { quantity: 1, size: "basic" } });
      assert.deepEqual(await sizes("production", web({ size: "micro", scaling: { min: 3, max: 3, cpuTarget: 70 } })), { web: { quantity: 3, size: "standard-2X" } });
      assert.deepEqual(await sizes("production", web({ size: "small" })), { web: { quantity: 1, size: "performance-M" } });
      assert.deepEqual(await sizes("production", web({ size: "xlarge" })), { web: { quantity: 1, size: "performance-L" } });
      assert.deepEqual(await sizes("production", web({ size: "nano", settings: { dynoSize: "standard-1x" } })), { web: { quantity: 1, size: "standard-1X" } });
    });

    void it("runs the release command as a release image built FROM the web image, and overrides the web command the same way", async () => {
      const rec = await deploy({ services: [web({ command: ["node", "server.js"], release: ["node", "migrate.js", "--all"] })] });
      const base = rec.one(T.image, "web-image");
      assert.equal(input(base, "imageName"), "registry.heroku.com/shop-staging-web/base");
      const baseDigest = reveal<string>(base.outputs.repoDigest);

      for (const [name, type, command] of [["web-web-image", "web", ["node", "server.js"]], ["web-release-image", "release", ["node", "migrate.js", "--all"]]] as const) {
        const derived = rec.one(T.image, name);
        assert.equal(input(derived, "imageName"), `registry.heroku.com/shop-staging-web/${type}`);
        const build = input<{ context: string; dockerfile: string; args: Record<string, string>; platform: string }>(derived, "build");
        assert.equal(build.args.BASE_IMAGE, baseDigest, `${name} is built FROM the pushed base image`);
        assert.equal(build.platform, "linux/amd64");
        const dockerfile = fs.readFileSync(build.dockerfile, "utf8");
        assert.match(dockerfile, /^FROM \$\{BASE_IMAGE\}$/m);
        assert.ok(dockerfile.includes(`CMD ${JSON.stringify(command)}`), dockerfile);
      }
      const release = rec.one(T.release, "web-release");
      assert.equal(input(release, "releaseImage"), reveal<string>(rec.one(T.image, "web-release-image").outputs.repoDigest).split("@")[1]);
      assert.equal(input<Record<string, string>>(release, "images").web, reveal<string>(rec.one(T.image, "web-web-image").outputs.repoDigest).split("@")[1]);
    });

    void it("re-pushes a prebuilt image reference to the app's registry", async () => {
      const rec = await deploy({ services: [web({ image: { kind: "ref", ref: "ghcr.io/acme/api:1.4.2" } })] });
      const image = rec.one(T.image, "web-web-image");
      assert.equal(input<{ args: Record<string, string> }>(image, "build").args.BASE_IMAGE, "ghcr.io/acme/api:1.4.2");
      assert.equal(rec.ofType(T.image).length, 1);
    });

    void it("does not claim ACM refuses wildcard domains: Common Runtime ACM covers them (Dev Center, Sept 2024)", async () => {
      const rec = await deploy({ services: [web({ domains: ["*.example.com"] })] });
      assert.deepEqual(rec.ofType(T.domain).map((d) => input(d, "hostname")), ["*.example.com"]);
      assert.ok(!rec.warnings.some((w) => /ACM cannot issue/.test(w)), rec.warnings.join("\n"));
    });

    void it("adds custom domains after the formation and answers on the first one", async () => {
      const rec = await deploy({ services: [web({ domains: ["api.example.com", "www.example.com"] })] });
      const domains = rec.ofType(T.domain);
      assert.deepEqual(domains.map((d) => input(d, "hostname")), ["api.example.com", "www.example.com"]);
      for (const d of domains) assert.deepEqual(dependsOnNames(d), ["web-formation"]);
      assert.equal(await valueOf(urls.get("web")!), "https://api.example.com");
      assert.ok(rec.warnings.some((w) => w.startsWith("heroku: point the DNS of api.example.com at api-shiny-ab12cd.herokudns.com")), rec.warnings.join("\n"));
      assert.ok(rec.warnings.some((w) => w.startsWith("heroku: point the DNS of www.example.com at www-shiny-ab12cd.herokudns.com")));
    });

    void it("answers on the app's web URL without custom domains", async () => {
      const rec = await deploy({ services: [web()] });
      assert.equal(rec.ofType(T.domain).length, 0);
      assert.equal(rec.find(T.config, "web-config"), undefined, "no vars, no config release");
      assert.deepEqual(dependsOnNames(rec.one(T.release, "web-release")), []);
      assert.equal(await valueOf(urls.get("web")!), "https://shop-staging-web-0a1b2c3d4e5f.herokuapp.com");
    });

    void it("attaches linked Heroku databases and caches instead of copying their URLs, and copies every other link", async () => {
      const rec = await deploy({
        services: [web()],
        databases: [db(), db({ name: "legacy" })],
        caches: [cache()],
        secretEnv: { SESSION_SECRET },
        links: {
          web: [
            link("DATABASE_URL", "db", "database"),
            link("REDIS_URL", "cache", "cache"),
            link("ANALYTICS_URL", "analytics", "database", "aws"),
            link("LEGACY_DSN", "legacy", "database"),
          ],
        },
      });
      const app = rec.one(T.app, "web");
      const attachments = rec.ofType(T.attachment);
      assert.deepEqual(attachments.map((a) => a.name).sort(), ["web-attachment-DATABASE", "web-attachment-REDIS"]);
      for (const [name, part] of [["DATABASE", "db"], ["REDIS", "cache"]] as const) {
        const attachment = rec.one(T.attachment, `web-attachment-${name}`);
        assert.equal(input(attachment, "name"), name);
        assert.equal(input(attachment, "app"), app.id);
        assert.equal(input(attachment, "addon"), rec.one(T.addon, part).id, `${name} attaches ${part}'s add-on`);
        assert.deepEqual(dependsOnNames(attachment), ["web-config"], "after the config vars drop an earlier copy of the var");
      }
      const config = rec.one(T.config, "web-config");
      const vars = input<Record<string, string>>(config, "vars");
      assert.deepEqual(Object.keys(vars).sort(), ["ANALYTICS_URL", "LEGACY_DSN", "SESSION_SECRET"], "no DATABASE_URL or REDIS_URL copy");
      assert.equal(vars.ANALYTICS_URL, "postgres://elsewhere/analytics", "another backend's URL is copied");
      assert.match(vars.LEGACY_DSN ?? "", /^postgres:\/\/u:pw-legacy@/, "an env name an attachment cannot provide is copied");
      assert.deepEqual(dependsOnNames(rec.one(T.release, "web-release")).sort(), ["web-attachment-DATABASE", "web-attachment-REDIS", "web-config"], "the release phase sees the attached vars");
    });

    void it("copies the pieces of a Heroku add-on's URL a link asks for (never attached), and warns they go stale on rotation", async () => {
      const rec = await deploy({
        services: [web()],
        caches: [cache()],
        links: { web: [{ ...link("REDIS_HOST", "cache", "cache"), part: "host" }, link("REDIS_URL", "cache", "cache")] },
      });
      assert.deepEqual(rec.ofType(T.attachment).map((a) => a.name), ["web-attachment-REDIS"], "only the URL is attached");
      assert.deepEqual(Object.keys(input<Record<string, string>>(rec.one(T.config, "web-config"), "vars")), ["REDIS_HOST"]);
      assert.ok(rec.warnings.some((w) => w.includes("web: REDIS_HOST are copied from the URL of cache") && w.includes("credential rotation")), rec.warnings.join("\n"));
    });

    void it("keeps a ConfigVars with no vars when every link is attached, so copies left by earlier deployments are removed first", async () => {
      const rec = await deploy({ services: [web()], databases: [db()], links: { web: [link("DATABASE_URL", "db", "database")] } });
      assert.deepEqual(input(rec.one(T.config, "web-config"), "vars"), {});
      assert.deepEqual(dependsOnNames(rec.one(T.attachment, "web-attachment-DATABASE")), ["web-config"]);
      const plain = await deploy({ services: [web()] });
      assert.equal(plain.find(T.config, "web-config"), undefined, "still no resource (and no release) for no vars and no links");
    });

    void it("does not attach the copy a move leaves behind on Heroku", async () => {
      const rec = await deploy({ services: [web()], databases: [db()], frozen: true, links: { web: [link("DATABASE_URL", "db", "database")] } });
      assert.equal(rec.ofType(T.attachment).length, 0);
      assert.ok("DATABASE_URL" in input<Record<string, string>>(rec.one(T.config, "web-config"), "vars"));
    });

    void it("says what the dynos cost", async () => {
      await deploy({ stack: { tier: "production" }, services: [web({ size: "micro", scaling: { min: 2, max: 2, cpuTarget: 70 } })] });
      assert.ok(infos.includes("heroku: 2 x standard-2x dyno: $100/month"), infos.join("\n"));
    });

    void it("uses the appName setting and the stack's region and team", async () => {
      const rec = await deploy({ settings: { region: "eu", team: "acme" }, services: [web({ settings: { appName: "acme-api" } })] });
      const app = rec.one(T.app, "web");
      assert.equal(input(app, "name"), "acme-api");
      assert.equal(input(app, "region"), "eu");
      assert.equal(input(app, "team"), "acme");
      assert.equal(input(rec.one(T.image, "web-web-image"), "imageName"), "registry.heroku.com/acme-api/web");
    });
  });

  void describe("cron jobs", () => {
    void it("run through one clock app per stack, built from the clock folder, on a basic dyno", async () => {
      const rec = await deploy({ services: [web()], cronJobs: [job({ name: "a", image: web().image, imageOfService: "web" }), job({ name: "b", command: ["node", "b.js"], image: web().image, imageOfService: "web" })] });
      const clock = rec.one(T.app, "heroku-clock");
      assert.equal(input(clock, "name"), "shop-staging-clock");
      assert.equal(input(clock, "stack"), "container");
      const image = rec.one(T.image, "heroku-clock-image");
      assert.equal(input(image, "imageName"), "registry.heroku.com/shop-staging-clock/clock");
      const clockContext = input<{ context: string }>(image, "build").context;
      assert.ok(!path.isAbsolute(clockContext), clockContext);
      assert.equal(path.resolve("/project", clockContext), CLOCK_SOURCE_DIR);
      assert.ok(fs.existsSync(`${CLOCK_SOURCE_DIR}/Dockerfile`));
      assert.deepEqual(input<Record<string, string>>(rec.one(T.release, "heroku-clock-release"), "images").clock?.match(DIGEST)?.length, 1);
      assert.deepEqual(input(rec.one(T.formation, "heroku-clock-formation"), "processes"), { clock: { quantity: 1, size: "basic" } });
      const key = rec.one(T.config, "heroku-clock-config");
      assert.ok(isSecret(key.inputs.vars));
      assert.deepEqual(input(key, "vars"), { HEROKU_API_KEY: API_KEY });
      assert.equal(clockJobs(rec).length, 2);
    });

    void it("run a service's image in that service's app, with the job's own env and secrets per run", async () => {
      const rec = await deploy({
        services: [web()],
        cronJobs: [job({ name: "cleanup", image: web().image, imageOfService: "web", command: ["node", "cleanup.js", "--older-than", "30 days"], schedule: "0 3 * * *", timezone: "Europe/Madrid", timeoutSeconds: 900, env: { MODE: "full" } })],
        secretEnv: { SESSION_SECRET },
      });
      const schedule = rec.one(T.config, "cleanup-schedule");
      assert.ok(isSecret(schedule.inputs.vars), "the job's var carries its secrets: sent as a secret");
      assert.deepEqual(Object.keys(input<object>(schedule, "vars")), ["CLOCK_JOB_CLEANUP"]);
      assert.deepEqual(dependsOnNames(schedule), ["heroku-clock-release"]);
      assert.deepEqual(clockJobs(rec), [{
        name: "cleanup",
        app: rec.one(T.app, "web").id,
        command: "node cleanup.js --older-than '30 days'",
        schedule: "0 3 * * *",
        timezone: "Europe/Madrid",
        size: "eco",
        timeoutSeconds: 900,
        env: { MODE: "full", SESSION_SECRET },
      }]);
      assert.equal(rec.find(T.app, "cleanup"), undefined, "no app of its own");
    });

    void it("get their own app when they have their own image, released as process type job", async () => {
      const rec = await deploy({
        stack: { tier: "production" },
        cronJobs: [job({ name: "rating", image: { kind: "build", context: "/project/rating", dockerfile: "/project/rating/Dockerfile", args: {} }, command: ["/app/rating"], size: "micro" })],
      });
      const app = rec.one(T.app, "rating");
      assert.equal(input(app, "name"), "shop-staging-rating");
      const image = rec.one(T.image, "rating-image");
      assert.equal(input(image, "imageName"), "registry.heroku.com/shop-staging-rating/job");
      assert.equal(input<{ context: string }>(image, "build").context, "rating");
      const release = rec.one(T.release, "rating-release");
      assert.match(input<Record<string, string>>(release, "images").job ?? "", DIGEST);
      assert.equal(rec.find(T.formation, "rating-formation"), undefined, "no dynos run between runs");
      const [encoded] = clockJobs(rec);
      assert.equal(encoded?.app, app.id);
      assert.equal(encoded?.processType, "job");
      assert.equal(encoded?.size, "standard-2X");
      assert.deepEqual(dependsOnNames(rec.one(T.config, "rating-schedule")), ["heroku-clock-release", "rating-release"]);
    });

    void it("attach links in their own app before publishing the schedule, and leave those out of the run's env", async () => {
      const rec = await deploy({
        databases: [db()],
        cronJobs: [job({ name: "nightly", env: { MODE: "full" } })],
        links: { nightly: [link("DATABASE_URL", "db", "database"), link("OTHER_URL", "other", "database", "aws")] },
      });
      const attachment = rec.one(T.attachment, "nightly-attachment-DATABASE");
      assert.equal(input(attachment, "app"), rec.one(T.app, "nightly").id);
      assert.equal(input(attachment, "addon"), rec.one(T.addon, "db").id);
      assert.deepEqual(dependsOnNames(rec.one(T.config, "nightly-schedule")).sort(), ["heroku-clock-release", "nightly-attachment-DATABASE", "nightly-release"]);
      assert.deepEqual(clockJobs(rec)[0]?.env, { MODE: "full", OTHER_URL: "postgres://elsewhere/other" });
    });

    void it("in a service's app read the links the service attached from the app, and copy the others", async () => {
      const rec = await deploy({
        services: [web()],
        databases: [db(), db({ name: "reports" })],
        cronJobs: [job({ name: "cleanup", imageOfService: "web" })],
        links: {
          web: [link("DATABASE_URL", "db", "database")],
          cleanup: [link("DATABASE_URL", "db", "database"), link("REPORTS_URL", "reports", "database")],
        },
      });
      assert.deepEqual(rec.ofType(T.attachment).map((a) => a.name), ["web-attachment-DATABASE"], "the job attaches nothing to the service's app");
      const env = clockJobs(rec)[0]?.env ?? {};
      assert.deepEqual(Object.keys(env), ["REPORTS_URL"], "DATABASE_URL comes from the service's attachment");
      assert.match(env.REPORTS_URL ?? "", /pw-reports/);
    });

    void it("create no clock when the stack has no Heroku cron job", async () => {
      const rec = await deploy({ services: [web()] });
      assert.equal(rec.find(T.app, "heroku-clock"), undefined);
    });

    void it("give the clock its own key when the stack names one", async () => {
      const rec = await recordResources(
        () => {
          const instance = herokuBackend.create(stackInfo(), herokuBackend.settings.stack.parse({ clockApiKeySecret: "CLOCK_KEY" }));
          instance.cronJob!(job({ name: "a" }), { secretEnv: {} }, parentComponent("CronJob", "a"));
        },
        { config: { "multicloud:CLOCK_KEY": "clock-only-token" }, secretConfigKeys: ["multicloud:CLOCK_KEY"] },
      );
      assert.deepEqual(input(rec.one(T.config, "heroku-clock-config"), "vars"), { HEROKU_API_KEY: "clock-only-token" });
    });
  });

  void describe("databases and caches", () => {
    void it("are add-ons of the stack's data app, retained always and protected on production", async () => {
      for (const tier of ["development", "production"] as const) {
        const rec = await deploy({ stack: { tier }, databases: [db()], caches: [cache()] });
        const dataApp = rec.one(T.app, "heroku-data");
        assert.equal(input(dataApp, "name"), "shop-staging-data");
        assert.equal(dataApp.options.retainOnDelete, true, "deleting the app would delete its add-ons");
        assert.equal(dataApp.options.protect, tier === "production");
        for (const [name, plan] of [["db", tier === "production" ? "heroku-postgresql:standard-0" : "heroku-postgresql:essential-0"], ["cache", tier === "production" ? "heroku-redis:premium-0" : "heroku-redis:mini"]]) {
          const addon = rec.one(T.addon, name);
          assert.equal(input(addon, "app"), dataApp.id);
          assert.equal(input(addon, "plan"), plan);
          assert.equal(input(addon, "attachmentName"), name!.toUpperCase());
          assert.equal(addon.options.retainOnDelete, true);
          assert.equal(addon.options.protect, tier === "production");
          assert.equal(await pulumi.isSecret(urls.get(name!)!), true, `${name}'s URL is a secret`);
        }
        assert.equal(rec.ofType(T.app).length, 1, "one data app for both");
      }
    });

    void it("freeze the add-ons of a copy a move leaves behind, but not the data app other copies share", async () => {
      const kept = await deploy({ databases: [db()], caches: [cache()], frozen: true });
      for (const name of ["db", "cache"]) assert.deepEqual(kept.one(T.addon, name).options.ignoreChanges, ["*"], name);
      assert.deepEqual(kept.one(T.app, "heroku-data").options.ignoreChanges ?? [], []);
      const current = await deploy({ databases: [db()], caches: [cache()] });
      for (const name of ["db", "cache"]) assert.deepEqual(current.one(T.addon, name).options.ignoreChanges ?? [], [], name);
    });

    void it("map sizes to plans by tier, or take the plan setting", async () => {
      const plan = async (tier: StackInfo["tier"], spec: DatabaseSpec) => input(( await deploy({ stack: { tier }, databases: [spec] })).one(T.addon, "db"), "plan");
      assert.equal(await plan("development", db({ size: "micro" })), "heroku-postgresql:essential-1");
      assert.equal(await plan("development", db({ size: "small" })), "heroku-postgresql:essential-2");
      assert.equal(await plan("development", db({ size: "large" })), "heroku-postgresql:standard-4");
      assert.equal(await plan("production", db({ size: "small" })), "heroku-postgresql:standard-2");
      assert.equal(await plan("production", db({ size: "xlarge" })), "heroku-postgresql:standard-5");
      assert.equal(await plan("production", db({ settings: { plan: "standard-3" } })), "heroku-postgresql:standard-3");
      const redis = await deploy({ stack: { tier: "production" }, caches: [cache({ size: "large", settings: {} })] });
      assert.equal(input(redis.one(T.addon, "cache"), "plan"), "heroku-redis:premium-5");
    });

    void it("warn when the plan's storage is below the declared storage", async () => {
      const rec = await deploy({ databases: [db({ storageGiB: 20 })] });
      assert.ok(rec.warnings.some((w) => w.includes("asks for 20 GiB; heroku-postgresql:essential-0 includes 1 GiB")), rec.warnings.join("\n"));
    });
  });

  void it("keeps the API key and secret values out of every serialized dynamic provider", async () => {
    process.env.HEROKU_API_KEY = API_KEY;
    const rec = await deploy({
      services: [web({ release: ["node", "migrate.js"], domains: ["api.example.com"] })],
      cronJobs: [job({ name: "nightly" })],
      databases: [db()],
      caches: [cache()],
      secretEnv: { SESSION_SECRET },
    });
    const dynamic = rec.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
    assert.ok(dynamic.length >= 10);
    for (const r of dynamic) {
      const provider = r.inputs.__provider;
      const text = typeof provider === "string" ? provider : JSON.stringify(reveal(provider));
      assert.ok(text.length > 100, `${r.name} has a serialized provider`);
      assert.ok(!text.includes(API_KEY), `${r.type} ${r.name}: the API key is in the provider text`);
      assert.ok(!text.includes(SESSION_SECRET), `${r.type} ${r.name}: a secret is in the provider text`);
      assert.ok(!isSecret(provider), `${r.type} ${r.name}: the provider captured a secret`);
    }
    for (const r of rec.resources) {
      assert.ok(!containsInPlainText(r.inputs, API_KEY), `${r.type} ${r.name} has the API key outside a secret`);
      assert.ok(!containsInPlainText(r.inputs, SESSION_SECRET), `${r.type} ${r.name} has a secret outside a secret`);
    }
  });

  void it("gives every Heroku resource inputs its provider's check accepts", async () => {
    const providers: Record<string, pulumi.dynamic.ResourceProvider> = {
      [T.app]: appProvider,
      [T.config]: configVarsProvider,
      [T.release]: containerReleaseProvider,
      [T.formation]: formationProvider,
      [T.domain]: domainProvider,
      [T.addon]: addonProvider,
      [T.attachment]: addonAttachmentProvider,
    };
    const rec = await deploy({
      stack: { tier: "production" },
      settings: { region: "eu", team: "acme" },
      services: [web({ size: "micro", command: ["node", "server.js"], release: ["node", "migrate.js"], domains: ["api.example.com"], env: { A: "1" } })],
      cronJobs: [job({ name: "own" }), job({ name: "shared", imageOfService: "web", size: "micro", command: ["node", "x.js"] })],
      databases: [db({ size: "large" })],
      caches: [cache({ size: "small" })],
      secretEnv: { SESSION_SECRET },
      links: { web: [link("DATABASE_URL", "db", "database"), link("REDIS_URL", "cache", "cache")], own: [link("DATABASE_URL", "db", "database")] },
    });
    const dynamic = rec.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
    assert.deepEqual(new Set(dynamic.map((r) => r.type)), new Set(Object.keys(providers)));
    for (const r of dynamic) {
      const { __provider: _text, ...news } = reveal<Record<string, unknown>>(r.inputs);
      const checked = await providers[r.type]!.check!({}, news);
      assert.deepEqual(checked.failures ?? [], [], `${r.type} ${r.name}: ${JSON.stringify(checked.failures)}`);
    }
  });

  void it("fails `up` without an API key, and only warns in a preview", async () => {
    delete process.env.HEROKU_API_KEY;
    await assert.rejects(deploy({ services: [web()] }), /no Heroku API key/);
    const preview = await deploy({ services: [web()] }, { preview: true });
    assert.ok(preview.warnings.some((w) => w.includes("no Heroku API key")), preview.warnings.join("\n"));
  });
});

void describe("heroku through the core", () => {
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  const shop: AppSpec = {
    name: "shop",
    services: { web: { image: { build: { context: "./app" } }, links: ["db", "cache"], secrets: ["SESSION_SECRET"], release: ["node", "migrate.js"] } },
    cronJobs: { cleanup: { image: { service: "web" }, command: ["node", "jobs/cleanup.js"], schedule: "0 3 * * *", links: ["db"] } },
    databases: { db: { engine: "postgres" } },
    caches: { cache: {} },
  };
  const run = (spec: AppSpec, config: Record<string, string>) =>
    recordResources(() => deployApp(spec, { backends: [herokuBackend, externalBackend], projectDir: REPO }), {
      stack: "staging",
      config: { "multicloud:backend": "heroku", "multicloud:SESSION_SECRET": SESSION_SECRET, ...config },
      // Set as `pulumi config set --secret` would: a plain-text UPPER_CASE key is refused.
      secretConfigKeys: ["multicloud:SESSION_SECRET", ...Object.keys(config).filter((key) => /^multicloud:[A-Z_]/.test(key))],
      state: mockState,
    });

  void it("attaches the data app's add-ons to the service's app; the job in that app reads them from it", async () => {
    process.env.HEROKU_API_KEY = API_KEY;
    const rec = await run(shop, {});
    const vars = input<Record<string, string>>(rec.one(T.config, "web-config"), "vars");
    assert.deepEqual(Object.keys(vars), ["SESSION_SECRET"]);
    assert.ok(isSecret(rec.one(T.config, "web-config").inputs.vars));
    const webApp = rec.one(T.app, "web");
    for (const [name, part] of [["DATABASE", "db"], ["REDIS", "cache"]] as const) {
      const attachment = rec.one(T.attachment, `web-attachment-${name}`);
      assert.equal(input(attachment, "app"), webApp.id);
      assert.equal(input(attachment, "addon"), rec.one(T.addon, part).id);
    }
    const [cleanup] = clockJobs(rec);
    assert.deepEqual(cleanup?.env, {}, "DATABASE_URL is the web app's attached var");
    assert.equal(cleanup?.app, webApp.id);
    assert.equal(rec.one(T.addon, "db").options.retainOnDelete, true);
  });

  void it("copies the URL of a linked part on another backend, as a secret", async () => {
    process.env.HEROKU_API_KEY = API_KEY;
    const rec = await run(shop, {
      "multicloud:caches": JSON.stringify({ cache: { backend: "external" } }),
      "multicloud:CACHE_URL": "rediss://:external-pw@cache.example.com:6380",
    });
    assert.deepEqual(rec.ofType(T.attachment).map((a) => a.name), ["web-attachment-DATABASE"]);
    const config = rec.one(T.config, "web-config");
    assert.deepEqual(input<Record<string, string>>(config, "vars"), { SESSION_SECRET, REDIS_URL: "rediss://:external-pw@cache.example.com:6380" });
    assert.ok(!containsInPlainText(config.inputs, "external-pw"));
  });

  void it("refuses what Heroku cannot run, naming the backends that can", async () => {
    process.env.HEROKU_API_KEY = API_KEY;
    const spec: AppSpec = {
      name: "shop",
      services: { web: { image: { build: { context: "./app" } }, public: false } },
      databases: { docs: { engine: "mongodb" } },
      caches: { cache: { evictionPolicy: "allkeys-lru" } },
    };
    await assert.rejects(run(spec, {}), (error: Error) => {
      assert.match(error.message, /backend "heroku" has no mongodb databases .* backends with mongodb: external/);
      assert.match(error.message, /cannot set the eviction policy "allkeys-lru"; it offers: noeviction/);
      assert.match(error.message, /backend "heroku" has no private networking/);
      return true;
    });
  });
});

void describe("heroku validate", () => {
  const validate = (parts: Parameters<typeof resolvedApp>[0]) => herokuBackend.validate!(resolvedApp({ stack: stackInfo({ appName: "shop", stack: "staging" }), ...parts }));

  void it("accepts a plain app", () => {
    assert.deepEqual(validate({ services: [web()], cronJobs: [job({ name: "a", imageOfService: "web" })], databases: [db()] }), []);
  });

  void it("refuses several Eco or Basic dynos of one process type", () => {
    const problems = validate({ services: [web({ scaling: { min: 2, max: 2, cpuTarget: 70 } })] });
    assert.deepEqual(problems.map((p) => p.path), ["app.services.web.instances"]);
    assert.match(problems[0]!.message, /at most one eco dyno per process type/);
    assert.deepEqual(validate({ services: [web({ size: "micro", scaling: { min: 2, max: 2, cpuTarget: 70 } })] }), []);
  });

  void it("refuses runs longer than a one-off dyno may live", () => {
    const problems = validate({ cronJobs: [job({ name: "long", timeoutSeconds: 90_000 })] });
    assert.deepEqual(problems.map((p) => p.path), ["app.cronJobs.long.timeoutSeconds"]);
  });

  void it("refuses a job whose dyno tier cannot run in its service's app", () => {
    const problems = validate({ services: [web()], cronJobs: [job({ name: "big", imageOfService: "web", size: "micro" })] });
    assert.deepEqual(problems.map((p) => p.path), ["multicloud:cronJobs.big.heroku.dynoSize"]);
    assert.match(problems[0]!.message, /whose dynos are eco.*standard-2x run cannot start there/);
  });

  void it("refuses two jobs the clock could not tell apart", () => {
    const problems = validate({ services: [web()], cronJobs: [job({ name: "a", imageOfService: "web" }), job({ name: "b", imageOfService: "web" })] });
    assert.deepEqual(problems.map((p) => p.path), ["app.cronJobs.b.command"]);
  });

  void it("refuses app names that collide, naming the setting that fixes it", () => {
    const problems = validate({ services: [web({ name: "clock" })], cronJobs: [job({ name: "a" })] });
    assert.deepEqual(problems.map((p) => p.path), ["app.services.clock"]);
    assert.match(problems[0]!.message, /"shop-staging-clock" is also the name of the cron clock's app; set multicloud:services\.clock\.heroku\.appName/);
    const overridden = validate({ services: [web({ name: "clock", settings: { appName: "shop-clockwork" } })], cronJobs: [job({ name: "a" })] });
    assert.deepEqual(overridden, []);
  });
});

void describe("heroku app names", () => {
  void it("are <app>-<stack>-<part>, shortened with a stable hash past 30 characters", () => {
    assert.equal(herokuAppName({ appName: "shop", stack: "staging" }, "web"), "shop-staging-web");
    const long = herokuAppName({ appName: "kendalls-nails-api", stack: "production" }, "websocket-engine");
    assert.equal(long.length, 30);
    assert.match(long, /^kendalls-nails-api-prod-[0-9a-f]{6}$/);
    assert.equal(herokuAppName({ appName: "kendalls-nails-api", stack: "production" }, "websocket-engine"), long);
    assert.notEqual(herokuAppName({ appName: "kendalls-nails-api", stack: "production" }, "websocket-engine2"), long);
    assert.equal(herokuAppName({ appName: "shop", stack: "Prod_EU" }, "web"), "shop-prod-eu-web");
  });
});
