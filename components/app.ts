/**
 * `deployApp`: the app declared once, deployed to the backends the stack config picks.
 *
 * It reads the stack config, validates the whole app against it and against what each backend offers, and only
 * then registers resources: databases and caches first, then web services (each after the services it links to),
 * then cron jobs, so that every link's URL exists before the part that uses it.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { BackendDefinition, BackendInstance, DnsRecord, ResolvedApp, RunInputs, StackInfo } from "../providers/backend";
import { linkPieces } from "../providers/connectionUrl";
import { BACKENDS } from "../providers/registry";
import { loadStackConfig } from "../stacks/load";
import { ConfigError } from "../stacks/problems";
import { resolveApp, type Resolution } from "../stacks/resolve";
import { NAMESPACE } from "../stacks/schema";
import { Cache } from "./Cache";
import { CronJob } from "./CronJob";
import { Database } from "./Database";
import { deploymentRecord, warn } from "./record";
import type { AppSpec } from "./spec";
import { WebService } from "./WebService";

export interface DeployOptions {
  /** The backends config may name. @default every backend in `providers/registry.ts` */
  backends?: readonly BackendDefinition[];
  /** The directory build contexts are relative to. @default the Pulumi project's root directory */
  projectDir?: string;
}

export interface DeployedApp {
  services: Record<string, WebService>;
  cronJobs: Record<string, CronJob>;
  databases: Record<string, Database>;
  caches: Record<string, Cache>;
  /** Each web service's URL, for a stack output. */
  urls: Record<string, pulumi.Output<string>>;
  /** Which backend runs each part, for a stack output. */
  backends: Record<string, string>;
  /** The DNS records each web service's custom domains need, for a stack output. */
  dnsRecords: Record<string, pulumi.Output<DnsRecord[]>>;
}

/**
 * The engine runs a program with the project directory as its root and working directory; the mock runtime
 * reports a placeholder root, and the offline plan runs in the project directory, so fall back to that.
 */
function projectRoot(): string {
  const root = pulumi.runtime.getRootDirectory();
  return root && path.isAbsolute(root) ? root : process.cwd();
}

/**
 * Which config keys hold secrets, as the engine tells the program. The Node.js language host starts the program
 * with its config in the `PULUMI_CONFIG` env var (JSON) and the keys set with `--secret` (`secure:` in the stack
 * file) in `PULUMI_CONFIG_SECRET_KEYS` (a JSON list): pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go,
 * `Run` (`constructConfigSecretKeys`). `@pulumi/pulumi` reads both into its runtime store
 * (node_modules/@pulumi/pulumi/runtime/state.js, `getStore`), `allConfig()` returns the first, and the runtime's
 * `isConfigSecret(key)` (runtime/config.js; exported at run time, left out of the typings as @internal) reads the
 * second. The mock runtime and the offline plan fill the same store (`setAllConfig(config, secretKeys)`).
 * Undefined (not checked) when the runtime has no such function.
 */
function configSecretKeys(): ((fullKey: string) => boolean) | undefined {
  // A language host that hands over config without the list of secret keys (older than the list) cannot tell a
  // plain-text value from a decrypted one: then nothing is refused rather than every secret.
  if (process.env.PULUMI_CONFIG !== undefined && process.env.PULUMI_CONFIG_SECRET_KEYS === undefined) return undefined;
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  return typeof runtime.isConfigSecret === "function" ? (key) => runtime.isConfigSecret!(key) : undefined;
}

/** Validates the app against the stack config; throws `ConfigError` listing every problem. */
export function validateApp(spec: AppSpec, options: DeployOptions = {}): Resolution {
  const backends = options.backends ?? BACKENDS;
  const stack: Omit<StackInfo, "tier" | "appName"> = {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    // The engine runs the program in the project directory; so does the offline plan.
    projectDir: options.projectDir ?? projectRoot(),
  };
  const loaded = loadStackConfig(pulumi.runtime.allConfig(), backends, {
    stack: stack.stack,
    project: stack.project,
    isSecret: configSecretKeys(),
  });
  const resolved = resolveApp(spec, loaded.config, backends, stack);
  const problems = [...loaded.problems, ...resolved.problems];
  if (problems.length) throw new ConfigError(problems, stack.stack);
  return resolved.resolution;
}

export function deployApp(spec: AppSpec, options: DeployOptions = {}): DeployedApp {
  const backends = options.backends ?? BACKENDS;
  const resolution = validateApp(spec, options);
  const { app, links, secrets, serviceOrder, previous, transforms, backendSettings } = resolution;
  const record = deploymentRecord();
  const production = app.stack.tier === "production";

  // One instance per backend in use: it owns that backend's shared platform for this stack.
  const instances = new Map<string, BackendInstance>();
  const instance = (name: string): BackendInstance => {
    let found = instances.get(name);
    if (!found) {
      const definition = backends.find((b) => b.name === name)!;
      found = definition.create(app.stack, backendSettings[name] ?? definition.settings.stack.parse({}));
      instances.set(name, found);
    }
    return found;
  };

  reportCosts(backends, app);

  const urls = new Map<string, pulumi.Output<string>>();
  const deployed: DeployedApp = { services: {}, cronJobs: {}, databases: {}, caches: {}, urls: {}, backends: {}, dnsRecords: {} };

  /** The arguments of a Database or Cache: its current copy and, during a move, the copy kept where it was. */
  const placement = <S extends { name: string; backend: string }>(spec: S, old: S | undefined) => ({
    current: { spec, backend: instance(spec.backend) },
    ...(old ? { previous: { spec: old, backend: instance(old.backend) } } : {}),
    production,
    transform: transforms.get(spec.name),
  });
  const recordData = (kind: "Database" | "Cache", spec: { name: string; backend: string }, old: { backend: string } | undefined, url: pulumi.Output<string>) => {
    urls.set(spec.name, url);
    record.components.push({ name: spec.name, kind, backend: spec.backend, ...(old ? { movedFrom: old.backend } : {}) });
  };

  for (const db of app.databases) {
    const old = previous.databases.get(db.name);
    deployed.databases[db.name] = new Database(db.name, placement(db, old));
    recordData("Database", db, old, deployed.databases[db.name]!.url);
    if (old) warn(moveNotice("databases", db.name, old.backend, db.backend, db.engine, deployed.databases[db.name]!.copiedBy));
  }
  for (const cache of app.caches) {
    const old = previous.caches.get(cache.name);
    deployed.caches[cache.name] = new Cache(cache.name, placement(cache, old));
    recordData("Cache", cache, old, deployed.caches[cache.name]!.url);
    if (old) warn(moveNotice("caches", cache.name, old.backend, cache.backend, "redis"));
  }

  const config = new pulumi.Config(NAMESPACE);
  const backendOf = new Map([...app.services, ...app.databases, ...app.caches].map((p) => [p.name, p.backend]));
  const runInputs = (name: string): RunInputs => {
    const secretEnv: RunInputs["secretEnv"] = {};
    for (const secret of secrets.get(name) ?? []) secretEnv[secret] = config.requireSecret(secret);
    for (const link of links.get(name) ?? []) {
      const url = urls.get(link.target)!;
      const part = link.part ?? "url";
      // The pieces are parsed from the URL at deploy time, in one place (linkPieces); each stays a secret.
      secretEnv[link.env] = pulumi.secret(part === "url" ? url : url.apply((u) => linkPieces(u, `${name}: the link to ${link.target}`)[part]));
    }
    return { secretEnv, links: (links.get(name) ?? []).map((l) => ({ ...l, backend: backendOf.get(l.target)! })) };
  };

  const services = new Map(app.services.map((s) => [s.name, s]));
  for (const name of serviceOrder) {
    const spec = services.get(name)!;
    const component = new WebService(name, {
      spec, inputs: runInputs(name), backend: instance(spec.backend), transform: transforms.get(name),
    });
    deployed.services[name] = component;
    deployed.urls[name] = component.url;
    deployed.dnsRecords[name] = component.dnsRecords;
    urls.set(name, component.url);
    record.components.push({ name, kind: "WebService", backend: spec.backend });
  }
  for (const job of app.cronJobs) {
    deployed.cronJobs[job.name] = new CronJob(job.name, {
      spec: job, inputs: runInputs(job.name), backend: instance(job.backend), transform: transforms.get(job.name),
    });
    record.components.push({ name: job.name, kind: "CronJob", backend: job.backend });
  }
  // Every part is known now: backends whose resources span parts create them (BackendInstance.finish).
  for (const backendInstance of instances.values()) backendInstance.finish?.();
  for (const part of record.components) deployed.backends[part.name] = part.backend;
  return deployed;
}

/** Each backend's monthly estimate, as information in `pulumi preview`/`up` and in the plan. */
function reportCosts(backends: readonly BackendDefinition[], app: ResolvedApp): void {
  const used = new Set([...app.services, ...app.cronJobs, ...app.databases, ...app.caches].map((p) => p.backend));
  for (const backend of backends) {
    if (!used.has(backend.name) || !backend.estimateCost) continue;
    const estimate = backend.estimateCost(app);
    const lines = estimate.lines.map((l) => `${l.part}: ${l.item} $${l.monthlyUsd.toFixed(2)}`).join("; ");
    void pulumi.log.info(
      `${backend.name}: about $${estimate.monthlyUsd.toFixed(2)}/month at list prices (${lines})` +
        (estimate.notes.length ? `. Not counted: ${estimate.notes.join("; ")}` : ""),
    );
  }
}

/** What to do while a database or cache moves between backends. */
function moveNotice(key: "databases" | "caches", name: string, from: string, to: string, engine: string, copiedBy?: string): string {
  const release = `then remove ${NAMESPACE}:${key}.${name}.movedFrom: the ${from} copy is then released from the stack, never deleted.`;
  if (copiedBy) {
    return (
      `${key}.${name} is moving from ${from} to ${to}: the ${from} copy is kept as it is (never updated or deleted), the app now connects to ${to}. ` +
      `${copiedBy} is copying the data in. Stop writes, wait until it has caught up, ` + release
    );
  }
  const copy =
    engine === "postgres" ? `pg_dump --format=custom --no-owner --no-acl "$OLD_URL" | pg_restore --no-owner --no-acl --dbname "$NEW_URL"`
    : engine === "mysql" ? `mysqldump --single-transaction --routines -h OLD_HOST -u USER -p DB | mysql -h NEW_HOST -u USER -p DB`
    : engine === "mongodb" ? `mongodump --uri "$OLD_URL" --archive | mongorestore --uri "$NEW_URL" --archive`
    : `redis-cli -u "$OLD_URL" --rdb dump.rdb, then load it, or let the cache refill`;
  return (
    `${key}.${name} is moving from ${from} to ${to}: the ${from} copy is kept as it is (never updated or deleted), the app now connects to ${to}. ` +
    `Stop writes, copy the data (${copy}; URLs: \`pulumi stack output --show-secrets\` or the component's url/previousUrl), ` +
    release
  );
}
