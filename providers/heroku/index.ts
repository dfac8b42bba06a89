/**
 * The `heroku` backend: web services, cron jobs, Postgres databases and Key-Value Store caches on Heroku's Common
 * Runtime (Cedar), through the Platform API (dynamic resources in ./resources) and images pushed with
 * `@pulumi/docker`.
 *
 * - Web service: one app per service (`<appName>-<stack>-<service>`, container stack), config vars for env and
 *   secrets, the image released by digest with the release command as the release phase, web dynos sized from
 *   the portable size, custom domains with ACM (service.ts).
 * - Cron job: a clock app per stack starts each run as a one-off dyno (cronJob.ts, ./clock/README.md).
 * - Database / cache: add-ons owned by a per-stack data app that the program never deletes (database.ts,
 *   cache.ts, platform.ts).
 *
 * Credentials: the Heroku API key, from the secret stack config `heroku:apiKey` or `HEROKU_API_KEY` in the
 * environment of `pulumi`. Images: the machine running `pulumi up` needs Docker with the classic image store
 * (see image.ts).
 */
import { CACHE_ENGINES } from "../../components/spec";
import { SIZES } from "../../components/sizes";
import type { BackendDefinition, BackendInstance, StackInfo } from "../backend";
import { deployCache } from "./cache";
import { deployCronJob } from "./cronJob";
import { deployDatabase } from "./database";
import { HerokuPlatform } from "./platform";
import { deployWebService } from "./service";
import {
  herokuCacheSettings,
  herokuCronJobSettings,
  herokuDatabaseSettings,
  herokuServiceSettings,
  herokuStackSettings,
} from "./settings";
import type { HerokuStackSettings } from "./settings";
import { validateHeroku } from "./validate";
import { HEROKU_KVS_MAJORS, HEROKU_POSTGRES_MAJORS } from "./versions";

export const herokuBackend: BackendDefinition = {
  name: "heroku",
  description: "Heroku Common Runtime: an app per service, Postgres and Key-Value Store add-ons, cron jobs run by a clock dyno",
  offers: {
    services: {
      sizes: SIZES,
      // The Common Runtime has no private network: every app is on the internet.
      private: false,
      domains: true,
      // Heroku autoscales only Performance dynos, set in the dashboard: the Platform API cannot.
      autoscaling: false,
      release: true,
    },
    cronJobs: { sizes: SIZES },
    databases: {
      engines: ["postgres"],
      sizes: SIZES,
      advice: {
        mongodb: "Heroku has no MongoDB of its own: use MongoDB Atlas (`backend: atlas`, or `external` with your Atlas cluster's URL)",
        mysql: "Heroku's MySQL add-ons are third-party: use `external` with the add-on's URL, or `aws` (RDS MySQL)",
      },
      versions: { postgres: HEROKU_POSTGRES_MAJORS },
    },
    // The Key-Value Store's maxmemory policy is set through Heroku's data API, not the Platform API: only its
    // default, noeviction.
    caches: { engines: CACHE_ENGINES, sizes: SIZES, evictionPolicies: ["noeviction"], versions: { valkey: HEROKU_KVS_MAJORS, redis: HEROKU_KVS_MAJORS } },
  },
  settings: {
    stack: herokuStackSettings,
    service: herokuServiceSettings,
    cronJob: herokuCronJobSettings,
    database: herokuDatabaseSettings,
    cache: herokuCacheSettings,
  },
  validate: validateHeroku,

  create(stack: StackInfo, stackSettings: unknown): BackendInstance {
    const platform = new HerokuPlatform(stack, stackSettings as HerokuStackSettings);
    return {
      webService: (spec, inputs, parent) => deployWebService(platform, spec, inputs, parent),
      cronJob: (spec, inputs, parent) => deployCronJob(platform, spec, inputs, parent),
      database: (spec, data, parent) => deployDatabase(platform, spec, data, parent),
      cache: (spec, data, parent) => deployCache(platform, spec, data, parent),
    };
  },
};
