/**
 * The run-time schema of the declaration in `index.ts` (the contract documented field by field in `./spec.ts`).
 *
 * `pulumi up` runs the program transpile-only (`noCheck`), so TypeScript never checks the declaration where users
 * deploy: this schema does, with the same library and the same helpers as the stack config (`stacks/schema.ts`),
 * strict about unknown keys. `test/core/specSchema.test.ts` checks at compile time that `z.input` of each schema and
 * the documented interface are the same type, so the two cannot drift apart.
 *
 * Ranges the stack config may also set (instances, domains, timeouts, storage) are defined once here and shared.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { SIZES } from "./sizes";
import { CACHE_ENGINES, DATABASE_ENGINES, EVICTION_POLICIES, LINK_PARTS } from "./spec";
import { oneOf, strictObject } from "../stacks/zod-helpers";

/** Secret and env var names: UPPER_CASE letters, digits and `_`. */
export const SECRET_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

/** A whole number in `[min, max]`, whose every error says so. */
export function wholeNumber(min: number, max: number, unit = "") {
  const message = `must be a whole number${unit ? ` of ${unit}` : ""} from ${min} to ${max}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** Hostnames for custom domains: lowercase labels, at least one dot, optional leading wildcard. */
export const hostname = z.string({ error: "must be a host name (e.g. api.example.com)" }).regex(
  /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  {
    error: (issue) => {
      const given = String(issue.input);
      const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(given);
      if (url) return `${JSON.stringify(given)} is a URL; give the host name only: ${JSON.stringify(url[1]!.toLowerCase())}`;
      const lower = given.toLowerCase();
      const hint = lower !== given ? `; host names are lowercase: ${JSON.stringify(lower)}` : "";
      return `${JSON.stringify(given)} is not a hostname (e.g. api.example.com)${hint}`;
    },
  },
);

/** A fixed instance count, or a CPU-scaled range: shared by `app.services.<name>.instances` and the stack config. */
export const instances = z.union(
  [
    wholeNumber(0, 100, "instances"),
    strictObject({
      min: wholeNumber(0, 100, "instances"),
      max: wholeNumber(1, 100, "instances"),
      cpuTarget: wholeNumber(10, 95, "percent").optional(),
    }).refine((range) => range.min <= range.max, {
      error: (issue) => {
        const range = issue.input as { min: number; max: number };
        return `min (${range.min}) is above max (${range.max})`;
      },
    }),
  ],
  { error: "must be a whole number of instances (0-100) or { min, max, cpuTarget? }" },
);

/** Seconds a cron run may last: shared with `multicloud:cronJobs.<name>.timeoutSeconds`. */
export const timeoutSeconds = wholeNumber(1, 86_400, "seconds");
/** Database storage: shared with `multicloud:databases.<name>.storageGiB`. */
export const storageGiB = wholeNumber(1, 65_536, "GiB");
export const size = oneOf(SIZES);
export const domains = z.array(hostname, { error: "must be a list of host names, e.g. [\"api.example.com\"]" });

/** An env var name: what secrets, env keys and links' `as` must be. */
const envVarName = z.string({ error: "must be an env var name: UPPER_CASE letters, digits and _" }).regex(SECRET_NAME_PATTERN, {
  error: (issue) => `${JSON.stringify(issue.input)} is not an env var name: UPPER_CASE letters, digits and _`,
});

/**
 * A secret's NAME. What is given is never echoed: a value pasted where the name belongs would be the secret itself.
 */
const secretName = z.string({ error: "must be a secret's name (UPPER_CASE), e.g. SESSION_SECRET" }).regex(SECRET_NAME_PATTERN, {
  error: "is not a secret's name (UPPER_CASE letters, digits and _, e.g. SESSION_SECRET); the value given is not shown, in case it is the secret itself",
});

/** A command line, as a list of arguments (no shell). */
const argv = (what: string) =>
  z.array(z.string({ error: "must be a string (one argument)" }), {
    error: (issue) =>
      typeof issue.input === "string"
        ? `${what} is a list of arguments, not one string: write ${JSON.stringify(issue.input.trim().split(/\s+/))}`
        : `${what} is a list of arguments, e.g. ["node", "job.js"]`,
  }).min(1, { error: `${what} needs at least one argument` });

const stringMap = (what: string) =>
  z.record(z.string(), z.string({
    error: (issue) => issue.input === undefined ? undefined : `${what} values are strings: write ${JSON.stringify(String(issue.input))}`,
  }), { error: `must be a map of ${what} names to string values` });

/**
 * Plain env vars set by the stack config (`multicloud:env`, `multicloud:services.<name>.env`): names checked like
 * the declaration's secrets and links, values strings (a YAML number or boolean gets the quoted form to write).
 */
export const configEnv = z.record(envVarName, z.string({
  error: (issue) => issue.input === undefined ? undefined : `env values are strings: write ${JSON.stringify(String(issue.input))} (quoted)`,
}), { error: `must be a map of env var names to string values, e.g. { LOG_LEVEL: "info" }` });

const transform = z.custom<pulumi.ResourceTransform>((value) => typeof value === "function", {
  error: "must be a function (args) => ({ props, opts }) | undefined: Pulumi's resource transform",
});

const buildImage = strictObject({
  build: strictObject({
    context: z.string({ error: "must be a path, relative to the project directory (e.g. \"./app\")" }).min(1, { error: "must not be empty" }),
    dockerfile: z.string().min(1).optional(),
    args: stringMap("build-arg").optional(),
    target: z.string().min(1).optional(),
  }),
});
const refImage = strictObject({
  ref: z.string({ error: "must be an image reference, e.g. \"ghcr.io/acme/api:1.4.2\"" }).regex(/^\S+$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not an image reference (no spaces; e.g. "ghcr.io/acme/api:1.4.2")`,
  }),
});
const serviceImage = strictObject({ service: z.string({ error: "must be the name of a web service of the app" }) });

/** The error of an image that matches no form: a plain string gets the exact fix. */
const imageError = (forms: string) => (issue: { input?: unknown }) =>
  typeof issue.input === "string"
    ? `an image is ${forms}, not a plain string: write { ref: ${JSON.stringify(issue.input)} }`
    : `an image is ${forms}`;
const IMAGE_FORMS = `{ build: { context } } or { ref: "<image reference>" }`;
export const image = z.union([buildImage, refImage], { error: imageError(IMAGE_FORMS) });
const cronImage = z.union([buildImage, refImage, serviceImage], { error: imageError(`${IMAGE_FORMS} or { service: "<web service>" }`) });

const linkPart = z.enum(LINK_PARTS, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a piece of a connection; pieces: ${LINK_PARTS.join(", ")}`,
});
const link = z.union(
  [
    z.string().min(1),
    strictObject({
      to: z.string({ error: "must be the name of a database, cache or web service of the app" }),
      as: envVarName.optional(),
      env: z.record(envVarName, linkPart, {
        error: `must map env var names to pieces of the connection, e.g. { REDIS_HOST: "host", REDIS_PORT: "port" }`,
      }).optional(),
    }),
  ],
  { error: `a link is a part's name ("db"), { to: "db", as: "PRIMARY_DATABASE_URL" } or { to: "cache", env: { REDIS_HOST: "host" } }` },
);

/** Fields every runnable part shares (`RunnableArgs`). */
const runnable = {
  command: argv("command").optional(),
  size: size.optional(),
  env: stringMap("env").optional(),
  secrets: z.array(secretName, { error: `must be a list of secret names, e.g. ["SESSION_SECRET"]` }).optional(),
  links: z.array(link, {
    error: (issue) => typeof issue.input === "string" ? `must be a list: write [${JSON.stringify(issue.input)}]` : `must be a list, e.g. ["db", "cache"]`,
  }).optional(),
  transform: transform.optional(),
};

export const webServiceSchema = strictObject({
  image,
  ...runnable,
  port: wholeNumber(1, 65_535).optional(),
  healthCheck: strictObject({
    path: z.string({ error: "must be an HTTP path, e.g. \"/health\"" }).regex(/^\//, {
      error: (issue) => `${JSON.stringify(issue.input)} must start with "/"`,
    }),
    intervalSeconds: wholeNumber(1, 3_600, "seconds").optional(),
  }).optional(),
  instances: instances.optional(),
  domains: domains.optional(),
  public: z.boolean({ error: "must be true or false" }).optional(),
  release: argv("release").optional(),
});

export const cronJobSchema = strictObject({
  ...runnable,
  image: cronImage,
  command: argv("command"),
  schedule: z.string({ error: "must be a 5-field cron expression, e.g. \"30 7 * * 1-5\"" }),
  timezone: z.string({ error: "must be an IANA time zone, e.g. \"Europe/Madrid\"" }).optional(),
  timeoutSeconds: timeoutSeconds.optional(),
});

/** A version is text: `16`, not 16 (`16.1` would read as a number, `8.0` as 8). */
const version = z.string({
  error: (issue) => typeof issue.input === "number" ? `must be a string: write "${String(issue.input)}" (quoted)` : "must be a version string, e.g. \"16\"",
});

export const databaseSchema = strictObject({
  engine: oneOf(DATABASE_ENGINES),
  version: version.optional(),
  size: size.optional(),
  storageGiB: storageGiB.optional(),
  extensions: z.array(z.string().min(1), { error: `must be a list of extension names, e.g. ["vector"]` }).optional(),
  backups: z.union([z.literal(false), strictObject({ retentionDays: wholeNumber(1, 35, "days") })], {
    error: "must be { retentionDays: 1-35 } or false",
  }).optional(),
  transform: transform.optional(),
});

export const cacheSchema = strictObject({
  engine: oneOf(CACHE_ENGINES).optional(),
  version: version.optional(),
  size: size.optional(),
  evictionPolicy: oneOf(EVICTION_POLICIES).optional(),
  transform: transform.optional(),
});

/** The app's name prefixes cloud resource names, some of which allow few characters. */
const APP_NAME = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
const APP_NAME_RULE = `1-20 lowercase letters, digits and "-", starting with a letter`;

/** A map of parts: names to their settings. Each entry is checked on its own (see `stacks/declaration.ts`). */
const parts = <T extends z.ZodType>(schema: T, kind: string) =>
  z.record(z.string(), schema, { error: `must be a map from ${kind} names to their settings` });

export const PART_SCHEMAS = {
  services: webServiceSchema,
  cronJobs: cronJobSchema,
  databases: databaseSchema,
  caches: cacheSchema,
} as const;

export const appSchema = strictObject({
  name: z.string({ error: APP_NAME_RULE }).regex(APP_NAME, { error: (issue) => `${JSON.stringify(issue.input)} is not an app name: ${APP_NAME_RULE}` }),
  services: parts(webServiceSchema, "web service").optional(),
  cronJobs: parts(cronJobSchema, "cron job").optional(),
  databases: parts(databaseSchema, "database").optional(),
  caches: parts(cacheSchema, "cache").optional(),
});
