/**
 * Resolves the app declaration against the stack config: picks each part's backend, applies every default in one
 * place, and collects every problem (with its config key or declaration path) before anything is registered.
 */
import * as path from "node:path";
import { LINK_PARTS, type CacheArgs, type CronJobArgs, type DatabaseArgs, type ImageSpec, type Link, type LinkPart, type WebServiceArgs, type AppSpec } from "../components/spec";
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
  ResolvedLinkTarget,
  SettingsSchemas,
  StackInfo,
  WebServiceSpec,
} from "../providers/backend";
import { cronProblem, timezoneProblem } from "./cron";
import { checkDeclaration } from "./declaration";
import { buildProblems } from "./images";
import { zodProblems } from "./problems";
import { NAMESPACE, SECRET_NAME, type PartConfig, type StackConfig } from "./schema";
import { closest, didYouMean } from "./zod-helpers";

export type PartKind = "service" | "cronJob" | "database" | "cache";

/** A link, resolved: which env var of the linking part receives which part's URL. */
export type ResolvedLink = ResolvedLinkTarget;

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
/** `scheme://user:password@...`: a connection URL with its credential in it. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

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
const KIND_OF_KEY: Record<string, PartKind> = { services: "service", cronJobs: "cronJob", databases: "database", caches: "cache" };
/** Fields the stack config may set for a part over the declaration: a problem with one is reported at its config key. */
const CONFIG_FIELDS: Record<PartKind, readonly string[]> = {
  service: ["size", "instances", "domains", "public"],
  cronJob: ["size", "timeoutSeconds"],
  database: ["size", "storageGiB"],
  cache: ["size"],
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

/** The pieces of a connection a link to this kind of part may inject (see `Link.env` in components/spec.ts). */
function linkPartsOf(kind: "service" | "database" | "cache", engine?: string): readonly LinkPart[] {
  if (kind === "service") return ["url", "host", "port"];
  if (kind === "cache") return ["url", "host", "port", "user", "password"];
  // A MongoDB URL may list several hosts (a replica set) or be an SRV name (mongodb+srv, Atlas): no one host:port.
  return engine === "mongodb" ? ["url", "user", "password", "database"] : LINK_PARTS;
}

function list(values: readonly string[]): string {
  return values.length ? values.join(", ") : "none";
}

/**
 * @param declaration the app as `index.ts` declared it: checked here against its run-time schema first (the program
 *   runs transpile-only, so its types were never checked)
 */
export function resolveApp(
  declaration: AppSpec,
  config: StackConfig,
  backends: readonly BackendDefinition[],
  stack: Omit<StackInfo, "tier" | "appName">,
): { resolution: Resolution; problems: Problem[] } {
  const checked = checkDeclaration(declaration);
  const spec = checked.spec;
  const problems: Problem[] = [...checked.problems];
  const problem = (p: string, message: string) => problems.push({ path: p, message });
  const cfgPath = (kind: PartKind, name: string, key?: string) =>
    `${NAMESPACE}:${CONFIG_KEY[kind]}.${name}${key ? `.${key}` : ""}`;
  const appPath = (kind: PartKind, name: string, key?: string) =>
    `app.${CONFIG_KEY[kind]}.${name}${key ? `.${key}` : ""}`;

  const info: StackInfo = { ...stack, tier: config.tier, appName: String(spec.name) };
  /** Every declared name, also of parts that failed their schema (they are declared, just wrong). */
  const declared: Record<PartKind, string[]> = {
    service: checked.names.services,
    cronJob: checked.names.cronJobs,
    database: checked.names.databases,
    cache: checked.names.caches,
  };
  /** Parts with a problem of their own: left out of what backends validate. */
  const failed = new Set<string>();
  /** Runs the checks of one part, and marks it failed when they found a problem. */
  const checking = (name: string, checks: () => void) => {
    const before = problems.length;
    checks();
    if (problems.length > before) failed.add(name);
  };

  // Names: well-formed, unique across kinds, and every name in config declared in the app.
  const seen = new Map<string, PartKind>();
  for (const kind of Object.keys(declared) as PartKind[]) {
    for (const name of declared[kind]) {
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
    const names = declared[kind];
    for (const name of Object.keys(configured[kind])) {
      if (names.includes(name)) continue;
      const actual = seen.get(name);
      problem(cfgPath(kind, name), actual
        ? `"${name}" is a ${KIND_PHRASE[actual].slice(0, -1)}, not a ${KIND_PHRASE[kind].slice(0, -1)}: its settings go under ${cfgPath(actual, name)}`
        : `no ${kind} named "${name}" in the app${didYouMean(name, names)}; ${CONFIG_KEY[kind]}: ${list(names)}`);
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

  /**
   * Plain env is stored in plain text (the stack file, the backend's plain config): a URL carrying a password there
   * is a credential in the clear. Refused, without repeating the value.
   */
  function checkPlainValues(vars: [string, string][], keyPath: string) {
    for (const [key, value] of vars) {
      if (typeof value === "string" && URL_WITH_PASSWORD.test(value)) {
        problem(`${keyPath}.${key}`, `holds a URL with a password (user:password@; the value is not shown): plain env is stored in plain text. Make it a secret (\`pulumi config set --secret ${key} <value>\` and list it in the part's secrets), or link the part that serves it`);
      }
    }
  }

  const secrets = new Map<string, string[]>();
  const links = new Map<string, ResolvedLink[]>();

  /**
   * Env, secrets and links of a runnable part: names well-formed, secrets present, targets declared, no clashes.
   * Returns the names of its secret env vars and its plain env: the declaration's, then `multicloud:env`, then the
   * part's own `env` in config, each over the one before; config env never shadows a secret, a link or PORT.
   */
  function resolveRunnable(kind: "service" | "cronJob", name: string, args: WebServiceArgs | CronJobArgs) {
    const at = appPath(kind, name);
    const envNames = new Map<string, string>();
    const claim = (env: string, what: string, p: string) => {
      if (!SECRET_NAME.test(env)) problem(p, `${JSON.stringify(env)} is not an env var name: UPPER_CASE letters, digits and _`);
      const previous = envNames.get(env);
      if (previous) problem(p, `env var ${env} is set twice (${previous} and ${what}); rename one (links take { to, as } or { to, env })`);
      envNames.set(env, what);
    };
    if (kind === "service") claim("PORT", "PORT (the port, set by the backend)", `${at}.port`);
    for (const key of Object.keys(args.env ?? {})) claim(key, `env.${key}`, `${at}.env.${key}`);
    const declaredSecrets = args.secrets ?? [];
    declaredSecrets.forEach((secret, i) => {
      claim(secret, `secret ${secret}`, `${at}.secrets[${i}]`);
      if (SECRET_NAME.test(secret) && !config.secretNames.has(secret)) {
        const near = closest(secret, [...config.secretNames]);
        const hint = near ? ` (${NAMESPACE}:${near} is set: a misspelling? rename it, or the secret)` : "";
        problem(`${NAMESPACE}:${secret}`, `secret ${secret} (used by ${CONFIG_KEY[kind]}.${name}) is not set in stack "${stack.stack}"${hint}: run \`pulumi config set --secret ${secret} <value> -s ${stack.stack}\``);
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
      const pieces = typeof link === "string" ? undefined : link.env;
      const urlEnv = typeof link === "string" ? defaultEnv : (link.as ?? (pieces ? undefined : defaultEnv));
      if (urlEnv) {
        claim(urlEnv, `the link to ${target}`, p);
        resolved.push({ env: urlEnv, target, kind: targetKind, part: "url" });
      }
      const offered = linkPartsOf(targetKind, engine);
      for (const [env, piece] of Object.entries(pieces ?? {})) {
        if (!offered.includes(piece)) {
          const why = engine === "mongodb" && (piece === "host" || piece === "port")
            ? ` (a MongoDB URL may name several hosts or an SRV record: give drivers the URL)` : "";
          problem(`${p}.env.${env}`, `a link to the ${KIND_PHRASE[targetKind].replace(/s$/, "")} "${target}" has no "${piece}"${why}; pieces it offers: ${list(offered)}`);
          continue;
        }
        claim(env, `the ${piece} of the link to ${target}`, `${p}.env.${env}`);
        resolved.push({ env, target, kind: targetKind, part: piece });
      }
    });
    links.set(name, resolved);

    // The stack's plain env, over the declaration's: it may override declared env, never a secret, link or PORT.
    const overridable = new Set(Object.keys(args.env ?? {}));
    const fromConfig = (vars: Record<string, string>, keyPath: string, checkValues = true) => {
      const kept = Object.entries(vars).filter(([key]) => {
        const taken = envNames.get(key);
        if (taken && !overridable.has(key)) problem(`${keyPath}.${key}`, `would shadow ${taken} of ${CONFIG_KEY[kind]}.${name}; rename the env var, or drop it from the config`);
        return !taken || overridable.has(key);
      });
      if (checkValues) checkPlainValues(kept, keyPath);
      return Object.fromEntries(kept);
    };
    checkPlainValues(Object.entries(args.env ?? {}), `${at}.env`);
    const partEnv = (kind === "service" ? config.services : config.cronJobs)[name]?.env ?? {};
    const env = {
      ...args.env,
      ...fromConfig(config.env, `${NAMESPACE}:env`, false), // its values are checked once, below
      ...fromConfig(partEnv, cfgPath(kind, name, "env")),
    };
    return { secretNames: [...declaredSecrets, ...resolved.map((l) => l.env)], env };
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

  /**
   * A version the chosen backend does not offer (its `offers.<kind>.versions`), naming the versions it has and the
   * backends that have this one. A backend that lists no versions for the engine takes any (e.g. external).
   */
  function checkVersion(kind: "database" | "cache", name: string, picked: NonNullable<ReturnType<typeof pick>>, engine: string, version: string | undefined) {
    if (version === undefined) return;
    const versionsOf = (offers: unknown) => (offers as { versions?: Partial<Record<string, readonly string[]>> }).versions?.[engine];
    const offered = versionsOf(picked.offers);
    if (!offered || offered.includes(version)) return;
    const major = offered.find((v) => version.startsWith(`${v}.`));
    const hint = major ? ` (give the major only, "${major}": the backend applies minor versions itself)` : "";
    const others = offering(kind, (o) => { const v = versionsOf(o); return v === undefined ? false : v.includes(version); });
    problem(appPath(kind, name, "version"),
      `${JSON.stringify(version)} is not a ${engine} version backend "${picked.backend.name}" offers${hint}; it offers: ${list(offered)}; ` +
      (others.length ? `backends with ${engine} ${version}: ${list(others)}` : `no backend offers ${engine} ${version}`));
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

  checkPlainValues(Object.entries(config.env), `${NAMESPACE}:env`);

  // Databases and caches.
  const databases: DatabaseSpec[] = [];
  const previousDatabases = new Map<string, DatabaseSpec>();
  for (const [name, args] of Object.entries(spec.databases ?? {}) as [string, DatabaseArgs][]) checking(name, () => {
    remember(name, args.transform);
    const make = (via?: string): DatabaseSpec | undefined => {
      const picked = pick("database", name, args.size, via);
      if (!picked) return undefined;
      checkEngine("database", name, picked, args.engine, via);
      if (!via) checkVersion("database", name, picked, args.engine, args.version);
      const cfg = via ? undefined : config.databases[name];
      return {
        name, backend: picked.backend.name, engine: args.engine, size: picked.size, storageGiB: cfg?.storageGiB ?? args.storageGiB ?? 20,
        extensions: args.extensions ?? [], backups: args.backups ?? { retentionDays: 7 }, settings: picked.settings,
        ...(args.version ? { version: args.version } : {}),
      };
    };
    const { current, previous } = withMove("database", name, make);
    // Backends see that a move is under way (e.g. to validate a setting that copies the data in).
    if (current) databases.push(previous ? { ...current, movedFrom: previous.backend } : current);
    if (previous) previousDatabases.set(name, previous);
  });

  const caches: CacheSpec[] = [];
  const previousCaches = new Map<string, CacheSpec>();
  for (const [name, args] of Object.entries(spec.caches ?? {}) as [string, CacheArgs][]) checking(name, () => {
    remember(name, args.transform);
    const engine = args.engine ?? "valkey";
    const evictionPolicy = args.evictionPolicy ?? "noeviction";
    const make = (via?: string): CacheSpec | undefined => {
      const picked = pick("cache", name, args.size, via);
      if (!picked) return undefined;
      checkEngine("cache", name, picked, engine, via);
      if (!via) checkVersion("cache", name, picked, engine, args.version);
      const offers = picked.offers as NonNullable<Offers["caches"]>;
      if (!offers.evictionPolicies.includes(evictionPolicy)) {
        problem(appPath("cache", name, "evictionPolicy"), `backend "${picked.backend.name}" cannot set the eviction policy "${evictionPolicy}"; it offers: ${list(offers.evictionPolicies)}`);
      }
      return { name, backend: picked.backend.name, engine, size: picked.size, evictionPolicy, settings: picked.settings, ...(args.version ? { version: args.version } : {}) };
    };
    const { current, previous } = withMove("cache", name, make);
    if (current) caches.push(current);
    if (previous) previousCaches.set(name, previous);
  });

  // Web services.
  const services: WebServiceSpec[] = [];
  for (const [name, args] of Object.entries(spec.services ?? {}) as [string, WebServiceArgs][]) checking(name, () => {
    remember(name, args.transform);
    const at = appPath("service", name);
    const { secretNames, env } = resolveRunnable("service", name, args);
    const picked = pick("service", name, args.size);
    const cfg = config.services[name];
    const port = args.port ?? 8080;
    const health = args.healthCheck ?? { path: "/" };
    const instances = cfg?.instances ?? args.instances ?? 1;
    const scaling = typeof instances === "number"
      ? { min: instances, max: instances, cpuTarget: 70 }
      : { min: instances.min, max: instances.max, cpuTarget: instances.cpuTarget ?? 70 };
    const instancesAt = `${at}.instances`; // reported at the config key when the config set it (see configOrigin)
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
        env, secretNames, settings: picked.settings, port,
        healthCheck: { path: health.path, intervalSeconds: health.intervalSeconds ?? 30 },
        scaling, domains, public: isPublic,
        ...(args.command ? { command: args.command } : {}),
        ...(args.release ? { release: args.release } : {}),
      });
    }
  });

  // Cron jobs.
  const cronJobs: CronJobSpec[] = [];
  for (const [name, args] of Object.entries(spec.cronJobs ?? {}) as [string, CronJobArgs][]) checking(name, () => {
    remember(name, args.transform);
    const at = appPath("cronJob", name);
    const { secretNames, env } = resolveRunnable("cronJob", name, args);
    const picked = pick("cronJob", name, args.size);
    const scheduleIssue = cronProblem(args.schedule ?? "");
    if (scheduleIssue) problem(`${at}.schedule`, scheduleIssue);
    const timezone = args.timezone ?? "UTC";
    const zoneIssue = timezoneProblem(timezone);
    if (zoneIssue) problem(`${at}.timezone`, zoneIssue);
    const timeoutSeconds = config.cronJobs[name]?.timeoutSeconds ?? args.timeoutSeconds ?? 3600;
    let image: ResolvedImage | undefined;
    let imageOfService: string | undefined;
    if ("service" in args.image) {
      const service = spec.services?.[args.image.service];
      if (!service && declared.service.includes(args.image.service)) failed.add(name); // the service's own problems say why
      else if (!service) problem(`${at}.image.service`, `no web service named "${args.image.service}"${didYouMean(args.image.service, Object.keys(spec.services ?? {}))}; services: ${list(Object.keys(spec.services ?? {}))}`);
      else {
        image = resolveImage(service.image, `app.services.${args.image.service}.image`);
        imageOfService = args.image.service;
      }
    } else image = resolveImage(args.image, `${at}.image`);
    if (picked && image) {
      cronJobs.push({
        name, backend: picked.backend.name, image, command: args.command ?? [], size: picked.size,
        env, secretNames, settings: picked.settings, schedule: (args.schedule ?? "").trim(), timezone, timeoutSeconds,
        ...(imageOfService ? { imageOfService } : {}),
      });
    }
  });

  // A private service is reachable only on its own backend's private network.
  const serviceSpecs = new Map(services.map((s) => [s.name, s]));
  for (const part of [...services, ...cronJobs]) {
    const kind: PartKind = serviceSpecs.get(part.name) === part ? "service" : "cronJob";
    (links.get(part.name) ?? []).forEach((link) => {
      const target = serviceSpecs.get(link.target);
      if (target && !target.public && target.backend !== part.backend) {
        failed.add(part.name);
        problem(appPath(kind, part.name, "links"), `links to the private service "${target.name}" on "${target.backend}", but runs on "${part.backend}": a private service is reachable only from its own backend; make it public or move one of them`);
      }
    });
  }

  const serviceOrder = orderServices(services.map((s) => s.name), links, (cycle) => {
    cycle.forEach((n) => failed.add(n));
    problem(`app.services.${cycle[0]}.links`, `services link to each other in a cycle (${cycle.join(" -> ")}); a service's URL must exist before the services that link to it`);
  });

  // Images built from source: the context and Dockerfile must exist, or `pulumi up` fails later in the build.
  const declaredImages: [PartKind, string, ImageSpec | { service: string }][] = [
    ...services.map((p) => ["service", p.name, spec.services![p.name]!.image] as [PartKind, string, ImageSpec]),
    ...cronJobs.map((p) => ["cronJob", p.name, spec.cronJobs![p.name]!.image] as [PartKind, string, ImageSpec | { service: string }]),
  ];
  for (const [kind, name, image] of declaredImages) {
    if ("build" in image) checking(name, () => problems.push(...buildProblems(image.build, appPath(kind, name, "image.build"), stack.projectDir)));
  }

  const app: ResolvedApp = { stack: info, secretsInConfig: config.secretNames, services, cronJobs, databases, caches, links };
  // A backend never sees a part that failed the core's checks, nor any part when the app itself is wrong.
  const appFailed = problems.some((p) => p.path === "app" || p.path.startsWith("app.name"));
  if (!appFailed) {
    const clean = <P extends { name: string }>(parts: P[]) => parts.filter((p) => !failed.has(p.name));
    const validated: ResolvedApp = {
      ...app,
      services: clean(services),
      cronJobs: clean(cronJobs),
      databases: clean(databases),
      caches: clean(caches),
    };
    const kept = [...previousDatabases.values(), ...previousCaches.values()].filter((p) => !failed.has(p.name));
    const used = new Set([...validated.services, ...validated.cronJobs, ...validated.databases, ...validated.caches, ...kept].map((p) => p.backend));
    for (const backend of backends) {
      if (used.has(backend.name) && backend.validate) problems.push(...backend.validate(validated, config.backendSettings[backend.name]));
    }
  }
  const configOrigin = (p: Problem): Problem => ({ ...p, path: configPathOf(p.path, configured) });
  return {
    resolution: { app, links, secrets, serviceOrder, previous: { databases: previousDatabases, caches: previousCaches }, transforms, backendSettings: config.backendSettings },
    problems: problems.map(configOrigin),
  };
}

/**
 * Where the user must edit: `app.services.web.instances` becomes `multicloud:services.web.instances` when the stack
 * config set the instances (config overrides the declaration), so a problem with a value that came from config
 * points at the config key, whoever found it (the core or a backend).
 */
function configPathOf(at: string, configured: Record<PartKind, Record<string, unknown>>): string {
  const match = /^app\.(services|cronJobs|databases|caches)\.([^.[]+)\.([A-Za-z]+)(.*)$/.exec(at);
  if (!match) return at;
  const [, key, name, field, rest] = match as unknown as [string, string, string, string, string];
  const kind = KIND_OF_KEY[key]!;
  const entry = configured[kind][name] as Record<string, unknown> | undefined;
  if (!entry || entry[field] === undefined || !CONFIG_FIELDS[kind].includes(field)) return at;
  return `${NAMESPACE}:${key}.${name}.${field}${rest}`;
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

