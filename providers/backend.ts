/**
 * The contract between the portable components and a backend. A backend is one folder under `providers/` that
 * exports a `BackendDefinition`, plus one entry in `providers/registry.ts`: nothing else in the core changes.
 *
 * The core validates the whole app against the stack config and each backend's `offers` and `validate` before any
 * resource is registered; a backend's methods are then called with specs whose defaults are all applied.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { CacheEngine, DatabaseEngine, EvictionPolicy, LinkPart } from "../components/spec";
import type { Size } from "../components/sizes";

/** Production stacks get protected data, deletion protection, final snapshots and sturdier plans. */
export type Tier = "production" | "development";

/** Facts about the stack being deployed. */
export interface StackInfo {
  /** The Pulumi project name. */
  project: string;
  /** The Pulumi stack name, e.g. "staging". */
  stack: string;
  /** From `multicloud:tier`. */
  tier: Tier;
  /** From the app declaration: a prefix for cloud resource names. */
  appName: string;
  /** The project directory: build contexts are resolved against it. */
  projectDir: string;
}

/** A validation problem: where (a config key path or an app declaration path) and what is wrong. */
export interface Problem {
  /** `multicloud:services.web.size` for stack config, `app.services.web.port` for index.ts. */
  path: string;
  /** What was given and what is allowed. */
  message: string;
}

/** An image to run, with paths made absolute. */
export type ResolvedImage =
  | { kind: "build"; context: string; dockerfile: string; args: Record<string, string>; target?: string }
  | { kind: "ref"; ref: string };

/** Fields every runnable spec has after defaults. */
interface RunnableSpec<Settings> {
  name: string;
  backend: string;
  image: ResolvedImage;
  command?: string[];
  size: Size;
  /** Plain env vars: never secret. */
  env: Record<string, string>;
  /** Names of env vars that arrive through `RunInputs.secretEnv` (declared secrets and links). */
  secretNames: string[];
  /** This component's settings for its backend (`multicloud:services.<name>.<backend>`), parsed by its schema. */
  settings: Settings;
}

export interface WebServiceSpec<Settings = unknown> extends RunnableSpec<Settings> {
  port: number;
  healthCheck: { path: string; intervalSeconds: number };
  /** A fixed count has min === max. `cpuTarget` is a percentage. */
  scaling: { min: number; max: number; cpuTarget: number };
  domains: string[];
  public: boolean;
  release?: string[];
}

export interface CronJobSpec<Settings = unknown> extends RunnableSpec<Settings> {
  command: string[];
  /** A validated 5-field cron expression. */
  schedule: string;
  /** A validated IANA time zone. */
  timezone: string;
  timeoutSeconds: number;
  /** Set when the job runs a web service's image: backends may reuse that service's build. */
  imageOfService?: string;
}

export interface DatabaseSpec<Settings = unknown> {
  name: string;
  backend: string;
  engine: DatabaseEngine;
  version?: string;
  size: Size;
  storageGiB: number;
  extensions: string[];
  backups: { retentionDays: number } | false;
  settings: Settings;
  /** The backend that keeps the old copy while a move is in progress (`movedFrom` in config). @default absent: no move */
  movedFrom?: string;
}

export interface CacheSpec<Settings = unknown> {
  name: string;
  backend: string;
  engine: CacheEngine;
  version?: string;
  size: Size;
  evictionPolicy: EvictionPolicy;
  settings: Settings;
}

/** The validated app, every default applied, as backends' `validate` hooks see it. */
export interface ResolvedApp {
  stack: StackInfo;
  /** Names of the secrets set in the stack config (values are never read during validation). */
  secretsInConfig: ReadonlySet<string>;
  services: WebServiceSpec[];
  cronJobs: CronJobSpec[];
  databases: DatabaseSpec[];
  caches: CacheSpec[];
  /**
   * Each runnable part's links (by part name), for checks that depend on what a part reaches: e.g. a backend whose
   * private services are unreachable from its cron jobs. A part with no links may be absent. @default empty
   */
  links?: ReadonlyMap<string, readonly ResolvedLinkTarget[]>;
}

/** A link as validation sees it: which env var receives which part's URL (or a piece of it). */
export interface ResolvedLinkTarget {
  env: string;
  /** The linked part's name. */
  target: string;
  kind: "service" | "database" | "cache";
  /** What the env var receives: the URL, or one piece of it (`Link.env`). @default "url" */
  part?: LinkPart;
}

/** One link of a runnable part, resolved: which env var receives which part's URL. */
export interface LinkInfo {
  /** The env var, e.g. `DATABASE_URL`. Its value is also in `RunInputs.secretEnv`. */
  env: string;
  /** The linked part's name. */
  target: string;
  kind: "service" | "database" | "cache";
  /** What the env var receives: the URL, or one piece of it (`Link.env`). @default "url" */
  part?: LinkPart;
  /** The backend the linked part runs on: a backend may wire a link to its own part natively (an add-on attachment). */
  backend: string;
}

/** Values known only at deploy time, handed to runnable parts. */
export interface RunInputs {
  /** Declared secrets and links (URLs, or the pieces a link asks for), by env var name; every value a Pulumi secret. */
  secretEnv: Record<string, pulumi.Output<string>>;
  /** The part's links, for backends that can wire some of them natively instead of copying the URL. @default [] */
  links?: LinkInfo[];
}

/**
 * Options for the resources of a database or cache: config changes never delete data. A backend puts
 * `retainOnDelete` on every resource the data depends on, `protect` on the data-holding one, and `ignoreChanges`
 * (when set) on every resource of the copy.
 */
export interface DataOptions {
  retainOnDelete: true;
  /** True on production stacks. */
  protect: boolean;
  /**
   * `["*"]` on the copy a move leaves behind (`movedFrom`): Pulumi never changes it again, whatever the config now
   * says about sizes, so the database being drained is neither resized nor replaced. Absent on the current copy.
   */
  ignoreChanges?: string[];
  /**
   * The connection URL of the copy a move leaves behind (`movedFrom`), a secret: set on the current copy only while a
   * move is in progress, for a backend that can copy the data in itself (DigitalOcean's online migration). Absent
   * otherwise, and always absent on the kept copy.
   */
  movedFromUrl?: pulumi.Output<string>;
}

/** A DNS record a person must create (when the backend cannot create it itself). */
export interface DnsRecord {
  name: string;
  type: string;
  value: string;
  /** Why it is needed. */
  purpose: string;
}

export interface WebServiceResult {
  /** The public URL (custom domain first), or the private URL for a private service. */
  url: pulumi.Output<string>;
  /** Records the service's custom domains need: certificate validation, and where to point the domain. */
  dnsRecords?: pulumi.Output<DnsRecord[]>;
}

export interface ConnectionResult {
  /** The connection URL, credentials included: always a Pulumi secret. */
  url: pulumi.Output<string>;
  /**
   * Set when the handler copies the data in itself from the copy a move leaves behind (`DataOptions.movedFromUrl`):
   * what copies it, for the move notice (which then tells the user to wait for it instead of copying by hand).
   * @default absent: the user copies the data
   */
  copiedBy?: string;
}

/** A backend's handlers for one stack. Each creates its children parented to `parent`. */
export interface BackendInstance {
  webService?(spec: WebServiceSpec, inputs: RunInputs, parent: pulumi.ComponentResource): WebServiceResult;
  cronJob?(spec: CronJobSpec, inputs: RunInputs, parent: pulumi.ComponentResource): void;
  database?(spec: DatabaseSpec, data: DataOptions, parent: pulumi.ComponentResource): ConnectionResult;
  cache?(spec: CacheSpec, data: DataOptions, parent: pulumi.ComponentResource): ConnectionResult;
  /**
   * Called once by `deployApp` after every part of the stack has been handed to its handlers: for a backend whose
   * resources span several parts and need them all known (DigitalOcean's one App holding every service). A handler
   * may return outputs that resolve only once `finish` ran (`pulumi.deferredOutput`).
   */
  finish?(): void;
}

/** What a backend can serve; validation reads it to reject what it cannot, naming the backends that can. */
export interface Offers {
  services?: {
    sizes: readonly Size[];
    /** Private services reachable by the app's other parts on this backend. */
    private: boolean;
    domains: boolean;
    autoscaling: boolean;
    release: boolean;
  };
  cronJobs?: { sizes: readonly Size[] };
  databases?: {
    engines: readonly DatabaseEngine[];
    sizes: readonly Size[];
    /** What to use instead of an engine it lacks, added to the error. @example { mongodb: "use MongoDB Atlas" } */
    advice?: Partial<Record<DatabaseEngine, string>>;
    /**
     * The major versions it can run, per engine: a declared version outside them is refused, naming the backends
     * that have it. @default any version (an engine without a list takes what it is given, e.g. `external`)
     */
    versions?: Partial<Record<DatabaseEngine, readonly string[]>>;
  };
  caches?: {
    engines: readonly CacheEngine[];
    sizes: readonly Size[];
    evictionPolicies: readonly EvictionPolicy[];
    /** The major versions it can run, per engine, as for databases. @default any version */
    versions?: Partial<Record<CacheEngine, readonly string[]>>;
  };
}

/** Schemas of a backend's settings: the escape hatches, validated like the rest of the config. */
export interface SettingsSchemas {
  /** `multicloud:<backend>`: stack-wide. */
  stack: z.ZodType;
  /** `multicloud:services.<name>.<backend>` */
  service: z.ZodType;
  /** `multicloud:cronJobs.<name>.<backend>` */
  cronJob: z.ZodType;
  /** `multicloud:databases.<name>.<backend>` */
  database: z.ZodType;
  /** `multicloud:caches.<name>.<backend>` */
  cache: z.ZodType;
}

/** A monthly list-price estimate of what a backend creates for the stack. */
export interface CostEstimate {
  /** One line per billed item. */
  lines: { part: string; item: string; monthlyUsd: number }[];
  /** The sum of the lines, in USD: an estimate, not a quote. */
  monthlyUsd: number;
  /** What the estimate leaves out or could not price. */
  notes: string[];
}

export interface BackendDefinition {
  /** The name used in config: `backend: aws`. */
  name: string;
  /** One line for error messages and the plan. */
  description: string;
  offers: Offers;
  settings: SettingsSchemas;
  /**
   * Problems beyond `offers`: cron expressions it cannot express, versions it lacks, stack settings it requires.
   * Runs before any resource. `stackSettings` is its `multicloud:<backend>` block as parsed by `settings.stack`;
   * undefined when the stack sets none (or sets an invalid one, already reported).
   */
  validate?(app: ResolvedApp, stackSettings?: unknown): Problem[];
  /** What its parts of the app cost a month, at list prices: shown by `pulumi preview`/`up` and the plan. */
  estimateCost?(app: ResolvedApp): CostEstimate;
  /**
   * The handlers for one stack. Called only when some part of the app uses this backend. Shared platform
   * resources (a VPC, a cluster, a registry) are created lazily, once, by the instance.
   */
  create(stack: StackInfo, stackSettings: unknown): BackendInstance;
}
