/**
 * Resolves the app declaration against the stack config: picks each part's backend, applies every default in one
 * place, and collects every problem (with its config key or declaration path) before anything is registered.
 */
import * as path from "node:path";
import type { CacheArgs, CronJobArgs, DatabaseArgs, ImageSpec, Link, WebServiceArgs, AppSpec } from "../components/spec";
import { CACHE_ENGINES, DATABASE_ENGINES, EVICTION_POLICIES } from "../components/spec";
import type { Size } from "../components/sizes";
import type {
  BackendDefinition,
  CacheSpec,
  CronJobSpec,
  DatabaseSpec,
  Offers,
  Problem,
  ResolvedApp,
  ResolvedImage,
  SettingsSchemas,
  StackInfo,
  WebServiceSpec,
} from "../providers/backend";
import { cronProblem, timezoneProblem } from "./cron";
import { zodProblems } from "./problems";
import { NAMESPACE, SECRET_NAME, type PartConfig, type StackConfig } from "./schema";
import { didYouMean } from "./zod-helpers";

export type PartKind = "service" | "cronJob" | "database" | "cache";

/** A link, resolved: which env var of the linking part receives which part's URL. */
export interface ResolvedLink {
  env: string;
  target: string;
  kind: "service" | "database" | "cache";
}

/** Everything the deploy step needs, validated. */
export interface Resolution {
  app: ResolvedApp;
  /** Links per runnable part name. */
  links: Map<string, ResolvedLink[]>;
  /** Declared secret names per runnable part name. */
  secrets: Map<string, string[]>;
  /** Services in an order where every linked service comes before the service that links it. */
  serviceOrder: string[];
  /** The databases and caches kept on the backend they were moved from, by name. */
  previous: { databases: Map<string, DatabaseSpec>; caches: Map<string, CacheSpec> };
  /** Stack-wide settings per backend, parsed by each backend's schema (absent: parse `{}` for defaults). */
  backendSettings: Record<string, unknown>;
  /** Transforms from the declaration, by part name. */
  transforms: Map<string, NonNullable<WebServiceArgs["transform"]>>;
}

const NAME = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;
const APP_NAME = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;

const CONFIG_KEY: Record<PartKind, string> = {
  service: "services",
  cronJob: "cronJobs",
  database: "databases",
  cache: "caches",
};
const OFFER_KEY: Record<PartKind, keyof Offers> = {
  service: "services",
  cronJob: "cronJobs",
  database: "databases",
  cache: "caches",
};
const KIND_PHRASE: Record<PartKind, string> = {
  service: "web services",
  cronJob: "cron jobs",
  database: "databases",
  cache: "caches",
};

/** `web-api` -> `WEB_API` */
export function envName(name: string): string {
  return name.toUpperCase().replace(/-/g, "_");
}

function list(values: readonly string[]): string {
  return values.length ? values.join(", ") : "none";
}

export function resolveApp(
  spec: AppSpec,
  config: StackConfig,
  backends: readonly BackendDefinition[],
  stack: Omit<StackInfo, "tier" | "appName">,
): { resolution: Resolution; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (p: string, message: string) => problems.push({ path: p, message });
  const cfgPath = (kind: PartKind, name: string, key?: string) =>
    `${NAMESPACE}:${CONFIG_KEY[kind]}.${name}${key ? `.${key}` : ""}`;
  const appPath = (kind: PartKind, name: string, key?: string) =>
    `app.${CONFIG_KEY[kind]}.${name}${key ? `.${key}` : ""}`;

  if (!APP_NAME.test(spec.name ?? "")) {
    problem("app.name", `${JSON.stringify(spec.name)} is not an app name: 1-20 lowercase letters, digits and "-", starting with a letter`);
  }
  const info: StackInfo = { ...stack, tier: config.tier, appName: spec.name };
  const declared: Record<PartKind, Record<string, unknown>> = {
    service: spec.services ?? {},
    cronJob: spec.cronJobs ?? {},
    database: spec.databases ?? {},
    cache: spec.caches ?? {},
  };

  // Names: well-formed, unique across kinds, and every name in config declared in the app.
  const seen = new Map<string, PartKind>();
  for (const kind of Object.keys(declared) as PartKind[]) {
    for (const name of Object.keys(declared[kind])) {
      if (!NAME.test(name)) {
        problem(appPath(kind, name), `${JSON.stringify(name)} is not a part name: 1-40 lowercase letters, digits and "-", starting with a letter`);
      }
      const other = seen.get(name);
      if (other) problem(appPath(kind, name), `the name "${name}" is also used by ${CONFIG_KEY[other]}.${name}: names are unique across the app`);
      seen.set(name, kind);
    }
  }
  const configured: Record<PartKind, Record<string, unknown>> = {
    service: config.services,
    cronJob: config.cronJobs,
    database: config.databases,
    cache: config.caches,
  };
  for (const kind of Object.keys(configured) as PartKind[]) {
    const names = Object.keys(declared[kind]);
    for (const name of Object.keys(configured[kind])) {
      if (!(name in declared[kind])) {
        problem(cfgPath(kind, name), `no ${kind} named "${name}" in the app${didYouMean(name, names)}; ${CONFIG_KEY[kind]}: ${list(names)}`);
      }
    }
  }

  const byName = new Map(backends.map((b) => [b.name, b]));
  const offering = (kind: PartKind, test: (offers: NonNullable<Offers[keyof Offers]>) => boolean = () => true) =>
    backends.filter((b) => {
      const offer = b.offers[OFFER_KEY[kind]];
      return offer !== undefined && test(offer);
    }).map((b) => b.name);

  /** The backend of one part, with its size and parsed settings; undefined (and problems) when unusable. */
  function pick(kind: PartKind, name: string, declaredSize: Size | undefined, viaMovedFrom?: string) {
    if (config.invalidKeys.has(`${CONFIG_KEY[kind]}.${name}`)) return undefined; // already reported
    const cfg = (configured[kind][name] ?? {}) as PartConfig;
    const backendName = viaMovedFrom ?? cfg.backend ?? config.backend;
    const keyPath = viaMovedFrom ? cfgPath(kind, name, "movedFrom") : cfg.backend ? cfgPath(kind, name, "backend") : `${NAMESPACE}:backend`;
    if (!backendName) {
      if (config.invalidKeys.has("backend")) return undefined; // already reported
      problem(cfgPath(kind, name, "backend"), `no backend chosen: set ${NAMESPACE}:backend for the stack or ${CONFIG_KEY[kind]}.${name}.backend; backends: ${list(backends.map((b) => b.name))}`);
      return undefined;
    }
    const backend = byName.get(backendName);
    if (!backend) return undefined; // the schema already reported an unknown backend name
    const offers = backend.offers[OFFER_KEY[kind]];
    if (!offers) {
      problem(keyPath, `backend "${backendName}" cannot run ${KIND_PHRASE[kind]}; backends that can: ${list(offering(kind))}`);
      return undefined;
    }
    // The copy a move leaves behind is frozen (see DataOptions.ignoreChanges): the config's size describes the new
    // copy, so the kept one is described by the declaration, and never fails validation for a size.
    let size: Size = (viaMovedFrom ? undefined : cfg.size) ?? declaredSize ?? "nano";
    if (viaMovedFrom && !offers.sizes.includes(size)) size = offers.sizes[0] ?? size;
    if (!offers.sizes.includes(size)) {
      problem(cfg.size || !declaredSize ? cfgPath(kind, name, "size") : appPath(kind, name, "size"),
        `backend "${backendName}" has no "${size}" size for ${KIND_PHRASE[kind]}; sizes it offers: ${list(offers.sizes)}; backends with "${size}": ${list(offering(kind, (o) => o.sizes.includes(size)))}`);
    }
    const schema = backend.settings[kind as keyof SettingsSchemas];
    const block = cfg[backendName] ?? {};
    const parsed = schema.safeParse(block);
    if (!parsed.success) problems.push(...zodProblems(cfgPath(kind, name, backendName), parsed.error, block));
    return { backend, size, settings: parsed.success ? parsed.data : {}, offers, cfg };
  }

  function resolveImage(image: ImageSpec, at: string): ResolvedImage {
    if ("ref" in image) {
      if (!image.ref || /\s/.test(image.ref)) problem(`${at}.ref`, `${JSON.stringify(image.ref)} is not an image reference`);
      return { kind: "ref", ref: image.ref };
    }
    const context = path.resolve(stack.projectDir, image.build.context);
    return {
      kind: "build",
      context,
      dockerfile: path.resolve(context, image.build.dockerfile ?? "Dockerfile"),
      args: image.build.args ?? {},
      ...(image.build.target ? { target: image.build.target } : {}),
    };
  }

  const secrets = new Map<string, string[]>();
  const links = new Map<string, ResolvedLink[]>();

  /** Env, secrets and links of a runnable part: names well-formed, secrets present, targets declared, no clashes. */
  function resolveRunnable(kind: "service" | "cronJob", name: string, args: WebServiceArgs | CronJobArgs) {
    const at = appPath(kind, name);
    const envNames = new Map<string, string>();
    const claim = (env: string, what: string, p: string) => {
      if (!SECRET_NAME.test(env)) problem(p, `${JSON.stringify(env)} is not an env var name: UPPER_CASE letters, digits and _`);
      const previous = envNames.get(env);
      if (previous) problem(p, `env var ${env} is set twice (${previous} and ${what}); rename one (links take { to, as })`);
      envNames.set(env, what);
    };
    if (kind === "service") claim("PORT", "PORT (the port, set by the backend)", `${at}.port`);
    for (const key of Object.keys(args.env ?? {})) claim(key, `env.${key}`, `${at}.env.${key}`);
    const declaredSecrets = args.secrets ?? [];
    declaredSecrets.forEach((secret, i) => {
      claim(secret, `secret ${secret}`, `${at}.secrets[${i}]`);
      if (SECRET_NAME.test(secret) && !config.secretNames.has(secret)) {
        problem(`${NAMESPACE}:${secret}`, `secret ${secret} (used by ${CONFIG_KEY[kind]}.${name}) is not set in stack "${stack.stack}": run \`pulumi config set --secret ${secret} <value> -s ${stack.stack}\``);
      }
    });
    secrets.set(name, declaredSecrets);

    const resolved: ResolvedLink[] = [];
    (args.links ?? []).forEach((link: Link, i) => {
      const target = typeof link === "string" ? link : link.to;
      const p = `${at}.links[${i}]`;
      const targetKind = seen.get(target);
      if (!targetKind || targetKind === "cronJob") {
        const linkable = [...seen].filter(([, k]) => k !== "cronJob").map(([n]) => n);
        problem(p, `links to "${target}", which is not a database, cache or web service of the app${didYouMean(target, linkable)}; linkable: ${list(linkable)}`);
        return;
      }
      if (target === name) {
        problem(p, `"${name}" links to itself`);
        return;
      }
      const engine = targetKind === "database" ? (spec.databases?.[target]?.engine ?? "postgres") : undefined;
      const defaultEnv =
        targetKind === "database" ? (engine === "mongodb" ? "MONGODB_URL" : "DATABASE_URL")
        : targetKind === "cache" ? "REDIS_URL"
        : `${envName(target)}_URL`;
      const env = typeof link === "string" ? defaultEnv : link.as;
      claim(env, `the link to ${target}`, p);
      resolved.push({ env, target, kind: targetKind });
    });
    links.set(name, resolved);
    return [...declaredSecrets, ...resolved.map((l) => l.env)];
  }

  const transforms = new Map<string, NonNullable<WebServiceArgs["transform"]>>();
  const remember = (name: string, t: WebServiceArgs["transform"]) => t && transforms.set(name, t);

  /** A database or cache whose backend lacks its engine is a problem at the key that chose the backend. */
  function checkEngine(kind: "database" | "cache", name: string, picked: NonNullable<ReturnType<typeof pick>>, engine: string, via?: string) {
    const engines = (offers: unknown) => (offers as { engines: readonly string[] }).engines;
    if (engines(picked.offers).includes(engine)) return;
    const at = via ? cfgPath(kind, name, "movedFrom") : picked.cfg.backend ? cfgPath(kind, name, "backend") : `${NAMESPACE}:backend`;
    const advice = (picked.offers as { advice?: Record<string, string> }).advice?.[engine];
    problem(at, `backend "${picked.backend.name}" has no ${engine} ${KIND_PHRASE[kind]} (engines: ${list(engines(picked.offers))}); backends with ${engine}: ${list(offering(kind, (o) => engines(o).includes(engine)))}${advice ? `. ${advice}` : ""}`);
  }

  /** The current copy of a database or cache and, when the config says it moved, the copy kept where it was. */
  function withMove<S extends { backend: string }>(kind: "database" | "cache", name: string, make: (via?: string) => S | undefined) {
    const current = make();
    const movedFrom = (kind === "database" ? config.databases : config.caches)[name]?.movedFrom;
    if (!movedFrom) return { current };
    if (current && movedFrom === current.backend) {
      problem(cfgPath(kind, name, "movedFrom"), `is the same backend as the ${kind}'s own ("${movedFrom}"); remove movedFrom`);
      return { current };
    }
    return { current, previous: make(movedFrom) };
  }

  // Databases and caches.
  const databases: DatabaseSpec[] = [];
  const previousDatabases = new Map<string, DatabaseSpec>();
  for (const [name, args] of Object.entries(spec.databases ?? {}) as [string, DatabaseArgs][]) {
    remember(name, args.transform);
    if (!DATABASE_ENGINES.includes(args.engine)) {
      problem(appPath("database", name, "engine"), `${JSON.stringify(args.engine)} is not an engine; engines: ${DATABASE_ENGINES.join(", ")}`);
      continue;
    }
    const make = (via?: string): DatabaseSpec | undefined => {
      const picked = pick("database", name, args.size, via);
      if (!picked) return undefined;
      checkEngine("database", name, picked, args.engine, via);
      const cfg = via ? undefined : config.databases[name];
      const storageGiB = cfg?.storageGiB ?? args.storageGiB ?? 20;
      if (!Number.isInteger(storageGiB) || storageGiB < 1) problem(appPath("database", name, "storageGiB"), `must be a whole number of GiB >= 1, given ${storageGiB}`);
      const backups = args.backups ?? { retentionDays: 7 };
      if (backups && (!Number.isInteger(backups.retentionDays) || backups.retentionDays < 1 || backups.retentionDays > 35)) {
        problem(appPath("database", name, "backups.retentionDays"), `must be 1-35 days, given ${backups.retentionDays}`);
      }
      return {
        name, backend: picked.backend.name, engine: args.engine, size: picked.size, storageGiB,
        extensions: args.extensions ?? [], backups, settings: picked.settings,
        ...(args.version ? { version: args.version } : {}),
      };
    };
    const { current, previous } = withMove("database", name, make);
    if (current) databases.push(current);
    if (previous) previousDatabases.set(name, previous);
  }

  const caches: CacheSpec[] = [];
  const previousCaches = new Map<string, CacheSpec>();
  for (const [name, args] of Object.entries(spec.caches ?? {}) as [string, CacheArgs][]) {
    remember(name, args.transform);
    const engine = args.engine ?? "valkey";
    const evictionPolicy = args.evictionPolicy ?? "noeviction";
    if (!CACHE_ENGINES.includes(engine)) problem(appPath("cache", name, "engine"), `${JSON.stringify(engine)} is not an engine; engines: ${CACHE_ENGINES.join(", ")}`);
    if (!EVICTION_POLICIES.includes(evictionPolicy)) problem(appPath("cache", name, "evictionPolicy"), `${JSON.stringify(evictionPolicy)} is not an eviction policy; policies: ${EVICTION_POLICIES.join(", ")}`);
    const make = (via?: string): CacheSpec | undefined => {
      const picked = pick("cache", name, args.size, via);
      if (!picked) return undefined;
      checkEngine("cache", name, picked, engine, via);
      const offers = picked.offers as NonNullable<Offers["caches"]>;
      if (!offers.evictionPolicies.includes(evictionPolicy)) {
        problem(appPath("cache", name, "evictionPolicy"), `backend "${picked.backend.name}" cannot set the eviction policy "${evictionPolicy}"; it offers: ${list(offers.evictionPolicies)}`);
      }
      return { name, backend: picked.backend.name, engine, size: picked.size, evictionPolicy, settings: picked.settings, ...(args.version ? { version: args.version } : {}) };
    };
    const { current, previous } = withMove("cache", name, make);
    if (current) caches.push(current);
    if (previous) previousCaches.set(name, previous);
  }

  // Web services.
  const services: WebServiceSpec[] = [];
  for (const [name, args] of Object.entries(spec.services ?? {}) as [string, WebServiceArgs][]) {
    remember(name, args.transform);
    const at = appPath("service", name);
    const secretNames = resolveRunnable("service", name, args);
    const picked = pick("service", name, args.size);
    const cfg = config.services[name];
    const port = args.port ?? 8080;
    if (!Number.isInteger(port) || port < 1 || port > 65535) problem(`${at}.port`, `${JSON.stringify(port)} is not a port: a whole number from 1 to 65535`);
    const health = args.healthCheck ?? { path: "/" };
    if (!health.path.startsWith("/")) problem(`${at}.healthCheck.path`, `${JSON.stringify(health.path)} must start with "/"`);
    const instances = cfg?.instances ?? args.instances ?? 1;
    const scaling = typeof instances === "number"
      ? { min: instances, max: instances, cpuTarget: 70 }
      : { min: instances.min, max: instances.max, cpuTarget: instances.cpuTarget ?? 70 };
    const instancesAt = cfg?.instances !== undefined ? cfgPath("service", name, "instances") : `${at}.instances`;
    if (scaling.min > scaling.max) problem(instancesAt, `min (${scaling.min}) is above max (${scaling.max})`);
    const domains = cfg?.domains ?? args.domains ?? [];
    const isPublic = cfg?.public ?? args.public ?? true;
    if (picked) {
      const offers = picked.offers as NonNullable<Offers["services"]>;
      const can = (test: (o: NonNullable<Offers["services"]>) => boolean) =>
        list(offering("service", (o) => test(o as NonNullable<Offers["services"]>)));
      const where = picked.cfg.backend ? cfgPath("service", name, "backend") : `${NAMESPACE}:backend`;
      if (!isPublic && !offers.private) problem(where, `backend "${picked.backend.name}" has no private networking, and ${name} is private; backends with private services: ${can((o) => o.private)}`);
      if (domains.length && !offers.domains) problem(where, `backend "${picked.backend.name}" cannot serve custom domains; backends that can: ${can((o) => o.domains)}`);
      if (scaling.min !== scaling.max && !offers.autoscaling) problem(instancesAt, `backend "${picked.backend.name}" cannot autoscale; give a fixed count, or use: ${can((o) => o.autoscaling)}`);
      if (args.release && !offers.release) problem(`${at}.release`, `backend "${picked.backend.name}" cannot run a release command; backends that can: ${can((o) => o.release)}`);
      if (!isPublic && domains.length) problem(`${at}.domains`, `a private service cannot have custom domains`);
      services.push({
        name, backend: picked.backend.name, image: resolveImage(args.image, `${at}.image`), size: picked.size,
        env: args.env ?? {}, secretNames, settings: picked.settings, port,
        healthCheck: { path: health.path, intervalSeconds: health.intervalSeconds ?? 30 },
        scaling, domains, public: isPublic,
        ...(args.command ? { command: args.command } : {}),
        ...(args.release ? { release: args.release } : {}),
      });
    }
  }

  // Cron jobs.
  const cronJobs: CronJobSpec[] = [];
  for (const [name, args] of Object.entries(spec.cronJobs ?? {}) as [string, CronJobArgs][]) {
    remember(name, args.transform);
    const at = appPath("cronJob", name);
    const secretNames = resolveRunnable("cronJob", name, args);
    const picked = pick("cronJob", name, args.size);
    const scheduleIssue = cronProblem(args.schedule ?? "");
    if (scheduleIssue) problem(`${at}.schedule`, scheduleIssue);
    const timezone = args.timezone ?? "UTC";
    const zoneIssue = timezoneProblem(timezone);
    if (zoneIssue) problem(`${at}.timezone`, zoneIssue);
    const timeoutSeconds = config.cronJobs[name]?.timeoutSeconds ?? args.timeoutSeconds ?? 3600;
    if (!args.command?.length) problem(`${at}.command`, "a cron job needs a command");
    let image: ResolvedImage | undefined;
    let imageOfService: string | undefined;
    if ("service" in args.image) {
      const service = spec.services?.[args.image.service];
      if (!service) problem(`${at}.image.service`, `no web service named "${args.image.service}"${didYouMean(args.image.service, Object.keys(spec.services ?? {}))}; services: ${list(Object.keys(spec.services ?? {}))}`);
      else {
        image = resolveImage(service.image, `app.services.${args.image.service}.image`);
        imageOfService = args.image.service;
      }
    } else image = resolveImage(args.image, `${at}.image`);
    if (picked && image) {
      cronJobs.push({
        name, backend: picked.backend.name, image, command: args.command ?? [], size: picked.size,
        env: args.env ?? {}, secretNames, settings: picked.settings, schedule: (args.schedule ?? "").trim(), timezone, timeoutSeconds,
        ...(imageOfService ? { imageOfService } : {}),
      });
    }
  }

  // A private service is reachable only on its own backend's private network.
  const serviceSpecs = new Map(services.map((s) => [s.name, s]));
  for (const part of [...services, ...cronJobs]) {
    const kind: PartKind = serviceSpecs.get(part.name) === part ? "service" : "cronJob";
    (links.get(part.name) ?? []).forEach((link) => {
      const target = serviceSpecs.get(link.target);
      if (target && !target.public && target.backend !== part.backend) {
        problem(appPath(kind, part.name, "links"), `links to the private service "${target.name}" on "${target.backend}", but runs on "${part.backend}": a private service is reachable only from its own backend; make it public or move one of them`);
      }
    });
  }

  const serviceOrder = orderServices(services.map((s) => s.name), links, (cycle) =>
    problem(`app.services.${cycle[0]}.links`, `services link to each other in a cycle (${cycle.join(" -> ")}); a service's URL must exist before the services that link to it`));

  const app: ResolvedApp = { stack: info, secretsInConfig: config.secretNames, services, cronJobs, databases, caches };
  const used = new Set([...services, ...cronJobs, ...databases, ...caches, ...previousDatabases.values(), ...previousCaches.values()].map((p) => p.backend));
  for (const backend of backends) {
    if (used.has(backend.name) && backend.validate) problems.push(...backend.validate(app, config.backendSettings[backend.name]));
  }
  return {
    resolution: { app, links, secrets, serviceOrder, previous: { databases: previousDatabases, caches: previousCaches }, transforms, backendSettings: config.backendSettings },
    problems,
  };
}

/** Topological order of services by their service links; reports a cycle through `onCycle`. */
function orderServices(names: string[], links: Map<string, ResolvedLink[]>, onCycle: (cycle: string[]) => void): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      onCycle([...trail.slice(trail.indexOf(name)), name]);
      return;
    }
    state.set(name, "visiting");
    for (const link of links.get(name) ?? []) if (link.kind === "service" && names.includes(link.target)) visit(link.target, [...trail, name]);
    state.set(name, "done");
    order.push(name);
  };
  names.forEach((n) => visit(n, []));
  return order;
}

