/**
 * A cache on Heroku: a Key-Value Store (heroku-redis) add-on owned by the stack's data app, like databases (see
 * database.ts), with the same data options. Heroku Key-Value Store speaks the Redis protocol (Valkey on current
 * versions), so both portable engines map to it.
 *
 * TLS: the URL is `rediss://` with a self-signed certificate on current versions: clients must use TLS without
 * verifying the certificate chain (e.g. node-redis `socket: { tls: true, rejectUnauthorized: false }`).
 *
 * Eviction: the store's default `maxmemory-policy` is `noeviction`, and the policy is set through Heroku's data
 * API (`heroku redis:maxmemory`), not the Platform API the add-on resource uses: only `noeviction` is offered.
 */
import * as pulumi from "@pulumi/pulumi";
import { warn } from "../../components/record";
import type { CacheSpec, ConnectionResult, DataOptions } from "../backend";
import { addonCostLine } from "./cost";
import { attachmentNameOf } from "./names";
import type { HerokuPlatform } from "./platform";
import { Addon } from "./resources";
import type { HerokuCacheSettings } from "./settings";
import { redisPlanFor } from "./sizes";

export const REDIS_SERVICE = "heroku-redis";

/** The plan of a cache: the `plan` setting, else the size and tier's. */
export function cachePlan(spec: Pick<CacheSpec, "size" | "settings">, platform: Pick<HerokuPlatform, "stack">): string {
  return (spec.settings as HerokuCacheSettings).plan ?? redisPlanFor(spec.size, platform.stack.tier);
}

export function deployCache(platform: HerokuPlatform, spec: CacheSpec, data: DataOptions, parent: pulumi.ComponentResource): ConnectionResult {
  const plan = cachePlan(spec, platform);
  const addon = new Addon(
    spec.name,
    { app: platform.dataApp().id, plan: `${REDIS_SERVICE}:${plan}`, attachmentName: attachmentNameOf(spec.name) },
    { parent, retainOnDelete: data.retainOnDelete, protect: data.protect, ...(data.ignoreChanges ? { ignoreChanges: data.ignoreChanges } : {}) },
  );
  // The current copy is attached to the Heroku apps that link it; a copy left behind by a move is linked by none.
  if (!data.ignoreChanges) platform.addons.set(spec.name, addon);
  if (spec.version) {
    warn(`heroku: caches.${spec.name} asks for version ${spec.version}; Heroku provisions its default Key-Value Store version (check with \`heroku redis:info\`)`);
  }
  void pulumi.log.info(`heroku: ${addonCostLine(REDIS_SERVICE, plan)}`, parent);
  return { url: pulumi.secret(addon.url) };
}
