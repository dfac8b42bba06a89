/**
 * The portable contract: what an app declares in `index.ts`, knowing no cloud. Each stack's config then picks the
 * backend (and may override sizing) per name; see `stacks/schema.ts`.
 *
 * `pulumi up` runs `index.ts` transpile-only, so these types are not checked where users deploy: `./spec-schema.ts`
 * is the same contract at run time (a test keeps the two equal), and every field below is validated by it.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Size } from "./sizes";

/** A container image: built from source, or a prebuilt reference. */
export type ImageSpec =
  | {
      /** Build the image from a Docker context. */
      build: {
        /** The build context, relative to the project directory. @example "./app" */
        context: string;
        /** The Dockerfile, relative to the context. @default "Dockerfile" */
        dockerfile?: string;
        /** `--build-arg` values. @default {} */
        args?: Record<string, string>;
        /** The multi-stage target to build. @default the last stage */
        target?: string;
      };
    }
  | {
      /** A prebuilt image reference, pulled as is. @example "ghcr.io/acme/api:1.4.2" */
      ref: string;
    };

/** A piece of a linked part's connection URL that a link can inject on its own (see `Link`). */
export const LINK_PARTS = ["url", "host", "port", "user", "password", "database"] as const;
export type LinkPart = (typeof LINK_PARTS)[number];

/**
 * A link to another part of the app: its connection is injected as secret env vars. By default the whole URL, under
 * one name; `env` injects the pieces the app reads instead (parsed from the URL at deploy time, in one place).
 */
export type Link =
  | string
  | {
      /** The name of the database, cache or web service to link. */
      to: string;
      /**
       * The env var that receives the connection URL.
       * @default `DATABASE_URL` (postgres, mysql), `MONGODB_URL` (mongodb), `REDIS_URL` (caches),
       *   `<NAME>_URL` for a web service (name upper-cased, `-` as `_`); with `env` given, no URL unless `as` is set
       */
      as?: string;
      /**
       * Pieces of the connection, by the env var that receives each: `url`, `host`, `port`, `user`, `password`,
       * `database` (the database's name). Databases offer all six (MongoDB: no `host`/`port`, its URLs may name
       * several hosts or an SRV record), caches all but `database`, web services `url`, `host`, `port`. A piece the
       * URL lacks (a cache without a user) is injected as an empty string. Every value is a secret env var.
       * @default none: only the URL, under `as`
       * @example { REDIS_HOST: "host", REDIS_PORT: "port", REDIS_PASSWORD: "password" }
       */
      env?: Record<string, LinkPart>;
    };

/**
 * A resource transform, applied to every child resource of the component (Pulumi's `transforms` option): the
 * escape hatch for anything the portable contract does not model.
 * @example (args) => args.type === "aws:ecs/taskDefinition:TaskDefinition"
 *   ? { props: { ...args.props, pidMode: "task" }, opts: args.opts } : undefined
 */
export type Transform = pulumi.ResourceTransform;

/** Settings every runnable part shares. */
interface RunnableArgs {
  /** The command to run, overriding the image's CMD. @default the image's CMD */
  command?: string[];
  /** The portable size; the stack config may override it. @default "nano" */
  size?: Size;
  /** Plain environment variables. Never put secrets here: use `secrets`. @default {} */
  env?: Record<string, string>;
  /**
   * Names of secrets whose values come from the stack's secret config (`pulumi config set --secret NAME value`).
   * Each is injected as an env var of the same name through the backend's secret store.
   * @default []
   * @example ["STRIPE_SECRET_KEY", "SESSION_SECRET"]
   */
  secrets?: string[];
  /**
   * Databases, caches and web services whose connections are injected as secret env vars: their URL, or the pieces
   * the app reads (`{ to: "cache", env: { REDIS_HOST: "host" } }`). @default []
   */
  links?: Link[];
  /** Patch any child resource. @default none */
  transform?: Transform;
}

/** A long-running HTTP (or WebSocket) service. */
export interface WebServiceArgs extends RunnableArgs {
  /** The container image. */
  image: ImageSpec;
  /** The port the container listens on; also passed as `PORT`. @default 8080 */
  port?: number;
  /** The health check the load balancer or platform uses. @default { path: "/" } */
  healthCheck?: {
    /** An HTTP path answering 2xx (or 3xx) when the service can serve. @example "/health" */
    path: string;
    /** Seconds between checks, where the backend lets you choose. @default 30 */
    intervalSeconds?: number;
  };
  /**
   * How many instances: a fixed count, or a range scaled on CPU. The stack config may override it.
   * @default 1
   * @example { min: 1, max: 4 }
   */
  instances?: number | { min: number; max: number; cpuTarget?: number };
  /** Custom domains, with managed TLS. The stack config may override them. @default [] */
  domains?: string[];
  /**
   * Public services get a URL on the internet; private ones are reachable only by the app's other parts, on
   * backends with private networking. @default true
   */
  public?: boolean;
  /**
   * A command run on the new version before it serves traffic (migrations). A non-zero exit fails the deploy and
   * keeps the old version serving. @default none
   * @example ["node", "migrate.js"]
   */
  release?: string[];
}

/** A job run on a schedule, once per tick, until it exits. */
export interface CronJobArgs extends RunnableArgs {
  /** Its own image, or `{ service: "<name>" }` to run the image of a web service. */
  image: ImageSpec | { service: string };
  /** The command to run. */
  command: string[];
  /** A standard 5-field cron expression (minute hour day-of-month month day-of-week). @example "30 7 * * 1-5" */
  schedule: string;
  /** The IANA time zone the schedule is read in. @default "UTC" */
  timezone?: string;
  /** Seconds after which a run is stopped. @default 3600 */
  timeoutSeconds?: number;
}

export const DATABASE_ENGINES = ["postgres", "mongodb", "mysql"] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** A managed database. Never deleted by a config change. */
export interface DatabaseArgs {
  /** The engine. */
  engine: DatabaseEngine;
  /** The major version. @default the backend's newest supported major */
  version?: string;
  /** The portable size; the stack config may override it. @default "nano" */
  size?: Size;
  /** Storage in GiB, where the backend lets you choose. @default 20 */
  storageGiB?: number;
  /** Extensions the app needs (postgres). Created by the app's migration; the backend guarantees availability. @example ["vector"] */
  extensions?: string[];
  /** Automated backups. @default { retentionDays: 7 } */
  backups?: { retentionDays: number } | false;
  /** Patch any child resource. @default none */
  transform?: Transform;
}

export const CACHE_ENGINES = ["valkey", "redis"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];

export const EVICTION_POLICIES = [
  "noeviction",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
] as const;
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];

/** A managed Redis-protocol cache. */
export interface CacheArgs {
  /** The engine. @default "valkey" */
  engine?: CacheEngine;
  /** The major version. @default the backend's newest supported major */
  version?: string;
  /** The portable size; the stack config may override it. @default "nano" */
  size?: Size;
  /** What happens when memory is full. @default "noeviction" */
  evictionPolicy?: EvictionPolicy;
  /** Patch any child resource. @default none */
  transform?: Transform;
}

/** The whole app, declared once. Names are unique across all four maps. */
export interface AppSpec {
  /** The app's name: a prefix for cloud resource names. Lowercase letters, digits and `-`. */
  name: string;
  services?: Record<string, WebServiceArgs>;
  cronJobs?: Record<string, CronJobArgs>;
  databases?: Record<string, DatabaseArgs>;
  caches?: Record<string, CacheArgs>;
}
