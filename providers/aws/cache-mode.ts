/**
 * `multicloud:caches.<name>.aws` and the choice between ElastiCache Serverless and a node-based replication group.
 * Kept apart from cache.ts so that validation loads no cloud SDK; cache.ts re-exports the schema.
 *
 * Serverless cannot set `maxmemory-policy`. It never evicts while its storage may grow; with a storage maximum it
 * evicts keys that have a TTL, least recently used first, once the maximum is reached: `volatile-lru`. So:
 * - `noeviction` (the portable default) runs serverless with no storage maximum (storage, and its cost, grow with
 *   the data, up to ElastiCache's 5,000 GB);
 * - `volatile-lru` runs serverless with a storage maximum from the size (or `maxDataStorageGB`);
 * - any other policy picks `node` mode automatically, where `maxmemory-policy` is set exactly; asking for
 *   `mode: serverless` with such a policy is a validation problem rather than a silent change of behaviour.
 */
import { z } from "zod";
import type { CacheEngine, EvictionPolicy } from "../../components/spec";
import type { Size } from "../../components/sizes";
import { SIZE_SPECS } from "../../components/sizes";
import type { CacheSpec, Problem } from "../backend";
import { NAMESPACE } from "../../stacks/schema";
import { oneOf, strictObject } from "../../stacks/zod-helpers";

export const CACHE_MODES = ["serverless", "node"] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

export const cacheSettings = strictObject({
  /**
   * `serverless` (ElastiCache Serverless: scales itself, multi-AZ, from ~$6/month for Valkey) or `node` (a
   * replication group of fixed nodes: cache.t4g.micro ~$9.3/month for Valkey, every eviction policy).
   * @default "serverless" when the eviction policy is `noeviction` or `volatile-lru`, "node" otherwise
   */
  mode: oneOf(CACHE_MODES).optional(),
  /**
   * Serverless only: the most data it may hold, in GB. Reaching it evicts keys with a TTL (LRU), so it requires
   * the `volatile-lru` eviction policy.
   * @default with `volatile-lru`: the size's memory rounded up to whole GB (nano 1 ... xlarge 16); with
   *   `noeviction`: none
   */
  maxDataStorageGB: z.int().min(1).max(5000).optional(),
  /**
   * Serverless only: the most ElastiCache Processing Units per second (about one simple command of up to 1 KB
   * each): a ceiling on compute cost; above it requests are throttled, not dropped.
   * @default 20,000 per vCPU of the size (nano 5,000 ... xlarge 160,000)
   */
  maxEcpuPerSecond: z.int().min(1000).max(15_000_000).optional(),
  /**
   * Node only: the node type, overriding the size mapping (nano cache.t4g.micro, micro cache.t4g.small, small
   * cache.t4g.medium, medium cache.m7g.large, large cache.m7g.xlarge, xlarge cache.m7g.2xlarge).
   * @default from the size
   * @example "cache.r7g.large"
   */
  nodeType: z.string().regex(/^cache\.[a-z0-9-]+\.[a-z0-9]+$/, 'must be an ElastiCache node type such as "cache.t4g.micro"').optional(),
  /**
   * Node only: read replicas in other availability zones; with one or more, a failed primary fails over
   * automatically. Each replica costs as much as the primary.
   * @default 1 on production stacks, 0 on development ones
   */
  replicas: z.int().min(0).max(5).optional(),
});

export type CacheSettings = z.infer<typeof cacheSettings>;

/** The policies serverless honours (see the file's comment). */
const SERVERLESS_POLICIES: readonly EvictionPolicy[] = ["noeviction", "volatile-lru"];

/** Engine majors ElastiCache offers; the last is the default. */
export const CACHE_MAJORS: Readonly<Record<CacheEngine, readonly string[]>> = {
  valkey: ["7", "8"],
  redis: ["7"],
};

/** The engine major a spec gets: its own, or the newest ElastiCache offers. */
export function cacheMajor(spec: Pick<CacheSpec, "engine" | "version">): string {
  const majors = CACHE_MAJORS[spec.engine];
  return spec.version ?? majors[majors.length - 1]!;
}

/** Node mode needs major.minor: the newest minor of each major on node-based ElastiCache. */
export const NODE_ENGINE_VERSIONS: Readonly<Record<CacheEngine, Readonly<Record<string, string>>>> = {
  valkey: { "7": "7.2", "8": "8.2" },
  redis: { "7": "7.1" },
};

/** Where the cache runs, or why it cannot run as its settings ask. */
export function cacheMode(spec: Pick<CacheSpec, "evictionPolicy">, settings: CacheSettings): { mode: CacheMode } | { error: string } {
  const serverlessCan = SERVERLESS_POLICIES.includes(spec.evictionPolicy);
  if (settings.mode === "serverless" && !serverlessCan) {
    return {
      error: `"serverless" cannot evict with "${spec.evictionPolicy}" (serverless evicts only volatile-lru, or never); eviction policies serverless honours: ${SERVERLESS_POLICIES.join(", ")}; mode "node" honours every policy`,
    };
  }
  return { mode: settings.mode ?? (serverlessCan ? "serverless" : "node") };
}

/** Serverless usage limits for a size: the data ceiling applies only when evicting is allowed (volatile-lru). */
export function serverlessLimits(spec: Pick<CacheSpec, "size" | "evictionPolicy">, settings: CacheSettings): { dataStorageGB?: number; ecpuPerSecond: number } {
  const { vcpu, memoryGiB } = SIZE_SPECS[spec.size as Size];
  const ecpuPerSecond = settings.maxEcpuPerSecond ?? Math.round(vcpu * 20_000);
  if (spec.evictionPolicy !== "volatile-lru") return { ecpuPerSecond };
  return { dataStorageGB: settings.maxDataStorageGB ?? Math.max(1, Math.ceil(memoryGiB)), ecpuPerSecond };
}

/** Problems of one AWS cache: each says what was given and what is allowed. */
export function cacheProblems(spec: CacheSpec): Problem[] {
  const problems: Problem[] = [];
  const settingAt = (key: string) => `${NAMESPACE}:caches.${spec.name}.aws.${key}`;
  const settings = (spec.settings ?? {}) as CacheSettings;

  const majors = CACHE_MAJORS[spec.engine];
  if (spec.version !== undefined && !majors.includes(spec.version)) {
    problems.push({ path: `app.caches.${spec.name}.version`, message: `${JSON.stringify(spec.version)} is not a ${spec.engine} major ElastiCache offers (give the major only); allowed: ${majors.join(", ")}` });
  }

  const chosen = cacheMode(spec, settings);
  if ("error" in chosen) {
    problems.push({ path: settingAt("mode"), message: chosen.error });
    return problems;
  }
  const misplaced = chosen.mode === "serverless" ? (["nodeType", "replicas"] as const) : (["maxDataStorageGB", "maxEcpuPerSecond"] as const);
  for (const key of misplaced) {
    if (settings[key] !== undefined) {
      problems.push({ path: settingAt(key), message: `${settings[key]} given, but it applies only to mode "${chosen.mode === "serverless" ? "node" : "serverless"}" and this cache runs in mode "${chosen.mode}"` });
    }
  }
  if (chosen.mode === "serverless" && spec.evictionPolicy === "noeviction" && settings.maxDataStorageGB !== undefined) {
    problems.push({
      path: settingAt("maxDataStorageGB"),
      message: `${settings.maxDataStorageGB} given with the eviction policy "noeviction": at that maximum serverless evicts keys with a TTL (volatile-lru); allowed: no maximum, or evictionPolicy "volatile-lru", or mode "node"`,
    });
  }
  return problems;
}
