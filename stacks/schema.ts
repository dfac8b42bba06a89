/**
 * The stack config schema: what `Pulumi.<stack>.yaml` may say under the `multicloud:` namespace.
 *
 * ```yaml
 * config:
 *   multicloud:tier: production          # production | development (default)
 *   multicloud:backend: aws              # the default backend of every part
 *   multicloud:env: { LOG_LEVEL: info }  # plain env of every service and cron job (a part's own env wins)
 *   multicloud:aws: { logRetentionDays: 30 }   # stack-wide settings of a backend
 *   multicloud:services:
 *     web: { backend: heroku, size: micro, instances: { min: 1, max: 3 }, domains: [api.example.com],
 *            env: { CORS_ALLOWED_ORIGINS: "https://example.com" }, heroku: { dynoSize: standard-1x } }   # settings for one backend: kept when you switch away
 *   multicloud:databases:
 *     db: { backend: aws, size: micro, movedFrom: heroku }
 *   multicloud:SESSION_SECRET: { secure: ... }   # secrets: UPPER_CASE names, set with --secret
 * ```
 * The per-backend setting schemas come from the backends, so the schema is built from the registry.
 */
import { z } from "zod";
import { SIZES } from "../components/sizes";
import { configEnv, domains, instances, SECRET_NAME_PATTERN, storageGiB, timeoutSeconds } from "../components/spec-schema";
import type { BackendDefinition, SettingsSchemas } from "../providers/backend";
import { oneOf, strictObject } from "./zod-helpers";

export const NAMESPACE = "multicloud";
export const TIERS = ["production", "development"] as const;

/** Per-backend settings blocks keyed by backend name, for one kind of part. */
function backendBlocks(backends: readonly BackendDefinition[], kind: keyof SettingsSchemas) {
  return Object.fromEntries(backends.map((b) => [b.name, b.settings[kind].optional()]));
}

/** Builds the schema of every structured `multicloud:` key from the registered backends. */
export function configSchemas(backends: readonly BackendDefinition[]) {
  const names = backends.map((b) => b.name) as [string, ...string[]];
  const backendName = oneOf(names);
  const common = { backend: backendName.optional(), size: oneOf(SIZES).optional() };
  return {
    tier: oneOf(TIERS),
    backend: backendName,
    /** Plain env of every service and cron job of the stack, over the declaration's; a part's own `env` wins. */
    env: configEnv,
    /** One entry of each part map (`multicloud:services.<name>`...): entries are checked one by one. */
    services: strictObject({
      ...common,
      instances: instances.optional(),
      domains: domains.optional(),
      public: z.boolean({ error: "must be true or false" }).optional(),
      /** Plain env of this service in this stack, over the declaration's and `multicloud:env`. */
      env: configEnv.optional(),
      ...backendBlocks(backends, "service"),
    }),
    cronJobs: strictObject({
      ...common,
      timeoutSeconds: timeoutSeconds.optional(),
      env: configEnv.optional(),
      ...backendBlocks(backends, "cronJob"),
    }),
    databases: strictObject({
      ...common,
      storageGiB: storageGiB.optional(),
      /** The backend this database lived on before: its copy is kept, frozen, until you remove this. */
      movedFrom: backendName.optional(),
      ...backendBlocks(backends, "database"),
    }),
    caches: strictObject({ ...common, movedFrom: backendName.optional(), ...backendBlocks(backends, "cache") }),
  };
}

type Schemas = ReturnType<typeof configSchemas>;

/** The parsed stack config. Backend settings blocks are `unknown` here; each backend parses its own. */
export interface StackConfig {
  tier: (typeof TIERS)[number];
  /** The default backend; absent when the stack names one per part. */
  backend?: string;
  /** `multicloud:env`: plain env of every runnable part. @default {} */
  env: Record<string, string>;
  services: Record<string, z.infer<Schemas["services"]>>;
  cronJobs: Record<string, z.infer<Schemas["cronJobs"]>>;
  databases: Record<string, z.infer<Schemas["databases"]>>;
  caches: Record<string, z.infer<Schemas["caches"]>>;
  /** Stack-wide settings per backend (`multicloud:<backend>`), parsed by that backend's schema. */
  backendSettings: Record<string, unknown>;
  /**
   * Keys whose value was rejected (`backend`, `services.web`...): checks that depend on them are skipped rather
   * than piled on.
   */
  invalidKeys: Set<string>;
  /** Names of the secrets present in config (`multicloud:NAME`, UPPER_CASE). */
  secretNames: Set<string>;
}

/** Settings of one part, for the backends it names. */
export type PartConfig = { backend?: string; size?: (typeof SIZES)[number] } & Record<string, unknown>;

/** Secrets are UPPER_CASE config keys; everything else under the namespace is structured config. */
export const SECRET_NAME = SECRET_NAME_PATTERN;
