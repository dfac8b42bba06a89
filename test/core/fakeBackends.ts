/**
 * Small fake backends for the core's tests: chosen `offers` and zod settings, so that validation can be tested
 * without depending on what AWS or Heroku offer this week. Their handlers register in-process custom resources of
 * made-up types (`fakecloud:index:Service`...), which only ever run under Pulumi's mock runtime.
 *
 * - `cloud`: offers everything (private networking, domains, autoscaling, release), every size but xlarge;
 *   postgres 15-17 and mysql 8.0/8.4, valkey 7/8 and redis 7.
 * - `paas`: a Heroku-like platform: public services only, no autoscaling, sizes from micro up; postgres only;
 *   redis only with two eviction policies; postgres 14-16, redis 6/7.
 * - `docs`: a MongoDB-only database host (Atlas-like).
 * - `external`: the real external backend (URLs in secret config).
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Size } from "../../components/sizes";
import { SIZES } from "../../components/sizes";
import type {
  BackendDefinition,
  BackendInstance,
  DataOptions,
  Offers,
  Problem,
  ResolvedApp,
  SettingsSchemas,
} from "../../providers/backend";
import { externalBackend } from "../../providers/external";
import { oneOf, strictObject } from "../../stacks/zod-helpers";

const none = strictObject({});

/** A resource of a made-up type: only ever registered under the mock runtime. */
class FakeResource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

/** The sizes from `from` to `to`, inclusive, in portable order. */
export function sizesBetween(from: Size, to: Size): Size[] {
  return SIZES.slice(SIZES.indexOf(from), SIZES.indexOf(to) + 1);
}

/**
 * A backend whose handlers register one fake custom resource per part, parented to the component, named after the
 * part, with the part's spec and inputs as resource inputs (so tests can check what a cloud would receive).
 */
export function fakeBackend(
  name: string,
  offers: Offers,
  settings: Partial<SettingsSchemas> = {},
  validate?: (app: ResolvedApp) => Problem[],
): BackendDefinition {
  const type = (kind: string) => `fake${name}:index:${kind}`;
  const dataOptions = (parent: pulumi.ComponentResource, data: DataOptions): pulumi.CustomResourceOptions => ({
    parent,
    retainOnDelete: data.retainOnDelete,
    protect: data.protect,
    ...(data.ignoreChanges ? { ignoreChanges: data.ignoreChanges } : {}),
  });
  return {
    name,
    description: `a fake ${name} backend for tests`,
    offers,
    settings: { stack: none, service: none, cronJob: none, database: none, cache: none, ...settings },
    ...(validate ? { validate } : {}),
    create(stack, stackSettings): BackendInstance {
      const instance: BackendInstance = {};
      if (offers.services) {
        instance.webService = (spec, inputs, parent) => {
          const service = new FakeResource(
            type("Service"),
            spec.name,
            { spec, env: spec.env, secretEnv: inputs.secretEnv, stack: stack.stack, stackSettings },
            { parent },
          );
          return { url: pulumi.interpolate`https://${service.id}.${name}.example.net` };
        };
      }
      if (offers.cronJobs) {
        instance.cronJob = (spec, inputs, parent) => {
          new FakeResource(type("Job"), spec.name, { spec, secretEnv: inputs.secretEnv }, { parent });
        };
      }
      if (offers.databases) {
        instance.database = (spec, data, parent) => {
          const db = new FakeResource(type("Database"), spec.name, { spec }, dataOptions(parent, data));
          return { url: pulumi.secret(pulumi.interpolate`${spec.engine}://app@${db.id}.${name}.example.net/app`) };
        };
      }
      if (offers.caches) {
        instance.cache = (spec, data, parent) => {
          const cache = new FakeResource(type("Cache"), spec.name, { spec }, dataOptions(parent, data));
          return { url: pulumi.secret(pulumi.interpolate`rediss://${cache.id}.${name}.example.net:6379`) };
        };
      }
      return instance;
    },
  };
}

/** Offers everything: the reference full-featured cloud. */
export const cloud = fakeBackend(
  "cloud",
  {
    services: { sizes: sizesBetween("nano", "large"), private: true, domains: true, autoscaling: true, release: true },
    cronJobs: { sizes: sizesBetween("nano", "large") },
    databases: { engines: ["postgres", "mysql"], sizes: sizesBetween("nano", "large"), versions: { postgres: ["15", "16", "17"], mysql: ["8.0", "8.4"] } },
    caches: {
      engines: ["valkey", "redis"], sizes: sizesBetween("nano", "large"), evictionPolicies: ["noeviction", "allkeys-lru", "volatile-lru"],
      versions: { valkey: ["7", "8"], redis: ["7"] },
    },
  },
  {
    stack: strictObject({ region: z.string().regex(/^[a-z]{2}-[a-z]+-\d$/, "must be a region like eu-west-1").optional() }),
    service: strictObject({
      cpuArchitecture: oneOf(["x86_64", "arm64"]).optional(),
      spot: z.boolean().optional(),
    }),
    database: strictObject({ multiAz: z.boolean().optional() }),
  },
);

/** A Heroku-like platform: public services only, fixed instance counts, no nano size, postgres and redis only. */
export const paas = fakeBackend(
  "paas",
  {
    services: { sizes: sizesBetween("micro", "medium"), private: false, domains: true, autoscaling: false, release: true },
    cronJobs: { sizes: sizesBetween("micro", "small") },
    databases: { engines: ["postgres"], sizes: sizesBetween("micro", "small"), versions: { postgres: ["14", "15", "16"] } },
    caches: { engines: ["redis"], sizes: ["micro"], evictionPolicies: ["noeviction", "allkeys-lru"], versions: { redis: ["6", "7"] } },
  },
  {
    service: strictObject({ dynoType: oneOf(["eco", "basic", "standard-1x", "standard-2x"]).optional() }),
    database: strictObject({ plan: z.string().min(1).optional() }),
  },
);

/** A MongoDB-only database host (Atlas-like). */
export const docs = fakeBackend("docs", {
  databases: { engines: ["mongodb"], sizes: sizesBetween("nano", "medium") },
});

/** A platform with web services only: no domains, no release, no cron jobs. */
export const bare = fakeBackend("bare", {
  services: { sizes: ["nano", "micro"], private: false, domains: false, autoscaling: false, release: false },
});

/** The backend list most tests pass to `loadStackConfig`, `resolveApp` and `deployApp`. */
export const FAKE_BACKENDS: readonly BackendDefinition[] = [cloud, paas, docs, bare, externalBackend];
