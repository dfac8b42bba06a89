/**
 * The Heroku backend's settings: what a stack config may set under `multicloud:heroku` (stack-wide) and
 * `multicloud:<services|cronJobs|databases|caches>.<name>.heroku`. Strict: a misspelt key is an error.
 */
import { z } from "zod";
import { SECRET_NAME } from "../../stacks/schema";
import { oneOf, strictObject } from "../../stacks/zod-helpers";
import { HEROKU_APP_NAME } from "./names";
import { DYNO_SIZES } from "./sizes";

const dynoSize = oneOf(DYNO_SIZES);

const appName = z.string().regex(HEROKU_APP_NAME, {
  error: (i) => `${JSON.stringify(i.input)} is not a Heroku app name: 3-30 lowercase letters, digits and "-", starting with a letter, not ending with "-"`,
});

/** A plan name within an add-on service, without the service: `essential-1`, `premium-0`. */
const plan = (example: string) =>
  z.string().regex(/^[a-z0-9][a-z0-9-]*$/, {
    error: (i) => `${JSON.stringify(i.input)} is not a plan name (e.g. "${example}"; the service prefix is implied)`,
  });

/** `multicloud:heroku`: settings of every Heroku app of the stack. */
export const herokuStackSettings = strictObject({
  /** The Common Runtime region of every app. Changing it REPLACES the apps (and the data app's add-ons). @default "us" */
  region: oneOf(["us", "eu"]).optional(),
  /** The Heroku team that owns the apps. Changing it replaces the apps. @default the API key's personal account */
  team: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "must be a Heroku team name (lowercase letters, digits, -)" }).optional(),
  /**
   * The secret config key (`multicloud:<NAME>`) holding the API key the cron jobs' clock uses to start runs, e.g. a
   * long-lived token from `heroku authorizations:create -d clock`, so that rotating your own key does not stop
   * the jobs.
   * @default the key `pulumi up` uses (`heroku:apiKey`, or `HEROKU_API_KEY`)
   */
  clockApiKeySecret: z.string().regex(SECRET_NAME, { error: "must be an UPPER_CASE secret name, e.g. CLOCK_HEROKU_API_KEY" }).optional(),
  /** The clock dyno's size. Eco is not offered: an always-on Eco dyno exhausts the account's shared Eco hours. @default "basic" */
  clockDynoSize: oneOf(["basic", "standard-1x", "standard-2x"]).optional(),
});
export type HerokuStackSettings = z.infer<typeof herokuStackSettings>;

/** `multicloud:services.<name>.heroku` */
export const herokuServiceSettings = strictObject({
  /** The dyno size, instead of the one the portable size maps to. @default from the size: nano eco (development) or basic (production), micro standard-2x, small performance-m, larger performance-l */
  dynoSize: dynoSize.optional(),
  /** The Heroku app's name (globally unique). Changing it renames the app in place. @default `<appName>-<stack>-<service>`, shortened to 30 characters */
  appName: appName.optional(),
});
export type HerokuServiceSettings = z.infer<typeof herokuServiceSettings>;

/** `multicloud:cronJobs.<name>.heroku` */
export const herokuCronJobSettings = strictObject({
  /** The size of each run's one-off dyno. @default from the size, as for services */
  dynoSize: dynoSize.optional(),
  /**
   * The name of the job's own app (used when the job does not run in a Heroku service's app).
   * @default `<appName>-<stack>-<job>`, shortened to 30 characters
   */
  appName: appName.optional(),
});
export type HerokuCronJobSettings = z.infer<typeof herokuCronJobSettings>;

/** `multicloud:databases.<name>.heroku` */
export const herokuDatabaseSettings = strictObject({
  /**
   * The heroku-postgresql plan, instead of the one the size and tier map to. Plans change in place within the
   * Essential tier and among Standard/Premium; Essential to Standard needs a data copy and fails with the steps.
   * @default development: nano essential-0, micro essential-1, small essential-2; otherwise nano and micro standard-0, small standard-2, medium standard-3, large standard-4, xlarge standard-5
   */
  plan: plan("standard-0").optional(),
});
export type HerokuDatabaseSettings = z.infer<typeof herokuDatabaseSettings>;

/** `multicloud:caches.<name>.heroku` */
export const herokuCacheSettings = strictObject({
  /**
   * The heroku-redis (Key-Value Store) plan, instead of the one the size and tier map to.
   * @default development: nano mini, micro premium-0 ... xlarge premium-5; production: nano premium-0 ... xlarge premium-7
   */
  plan: plan("premium-0").optional(),
});
export type HerokuCacheSettings = z.infer<typeof herokuCacheSettings>;
