/**
 * The `digitalocean` backend: web services on App Platform, PostgreSQL/MySQL/MongoDB and Valkey on DigitalOcean
 * Managed Databases, through @pulumi/digitalocean.
 *
 * - Web services: every DigitalOcean service of a stack is a component of ONE App (`<app>-<stack>`), because
 *   private services are reachable only inside their App; images go to the account's DOCR registry and deploy by
 *   digest; release commands are PRE_DEPLOY jobs (appSpec.ts, platform.ts, service.ts). The handlers collect the
 *   services and `finish()` creates the App once all are known.
 * - Databases and caches: a cluster per part, a database and user per app, a firewall trusting the App (data.ts).
 * - Cron jobs: SCHEDULED jobs (cron expression, time zone, timeout) of a second App per stack, `<app>-<stack>-jobs`,
 *   owned by the `ScheduledJobs` dynamic resource over the Apps API (resources/, api/): @pulumi/digitalocean 4.80.1
 *   has no scheduled kind, and `digitalocean.App` owns its whole spec, so each App keeps one writer (cronJob.ts,
 *   jobsSpec.ts). A job links a database through the cluster's firewall trusting the jobs App too.
 *
 * Credentials: the `digitalocean:token` config or `DIGITALOCEAN_TOKEN`, read by the provider (and by the jobs App's
 * dynamic provider, in its host). Images: Docker where
 * `pulumi up` runs.
 */
import { SIZES } from "../../components/sizes";
import type { BackendDefinition, BackendInstance, StackInfo } from "../backend";
import { estimateDigitaloceanCost } from "./cost";
import { deployCronJob } from "./cronJob";
import { deployCache, deployDatabase } from "./data";
import { DigitaloceanPlatform } from "./platform";
import { deployWebService } from "./service";
import {
  digitaloceanCacheSettings,
  digitaloceanCronJobSettings,
  digitaloceanDatabaseSettings,
  digitaloceanServiceSettings,
  digitaloceanStackSettings,
  type DigitaloceanStackSettings,
} from "./settings";
import { validateDigitalocean } from "./validate";

export const digitaloceanBackend: BackendDefinition = {
  name: "digitalocean",
  description: "DigitalOcean: App Platform (one App per stack, private services inside it; scheduled jobs in a second App), Managed PostgreSQL/MySQL/MongoDB and Valkey",
  offers: {
    services: { sizes: SIZES, private: true, domains: true, autoscaling: true, release: true },
    cronJobs: { sizes: SIZES },
    databases: { engines: ["postgres", "mysql", "mongodb"], sizes: SIZES },
    // Valkey's eviction policies (godo databases.go): no LFU.
    caches: {
      engines: ["valkey", "redis"],
      sizes: SIZES,
      evictionPolicies: ["noeviction", "allkeys-lru", "allkeys-random", "volatile-lru", "volatile-random", "volatile-ttl"],
    },
  },
  settings: {
    stack: digitaloceanStackSettings,
    service: digitaloceanServiceSettings,
    cronJob: digitaloceanCronJobSettings,
    database: digitaloceanDatabaseSettings,
    cache: digitaloceanCacheSettings,
  },
  validate: validateDigitalocean,
  estimateCost: estimateDigitaloceanCost,

  create(stack: StackInfo, stackSettings: unknown): BackendInstance {
    const platform = new DigitaloceanPlatform(stack, stackSettings as DigitaloceanStackSettings);
    return {
      webService: (spec, inputs, parent) => deployWebService(platform, spec as never, inputs, parent),
      cronJob: (spec, inputs, parent) => deployCronJob(platform, spec as never, inputs, parent),
      database: (spec, data, parent) => deployDatabase(platform, spec as never, data, parent),
      cache: (spec, data, parent) => deployCache(platform, spec as never, data, parent),
      finish: () => platform.finish(),
    };
  },
};
