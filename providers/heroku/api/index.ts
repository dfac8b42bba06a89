/**
 * A small Heroku Platform API v3 client: global `fetch`, retries with backoff (429, 5xx, dropped connections),
 * rate-limit pacing, and errors that carry Heroku's `id` and `message`.
 *
 * Credentials: `HEROKU_API_KEY` from the environment of the process making the call, or a key read from stack
 * config by a dynamic provider's `configure` ({@link rememberConfiguredApiKey}). API root: `HEROKU_API_URL`
 * (default https://api.heroku.com). Tuning variables are listed on {@link HerokuClientSettings}.
 *
 * Provider code should import the specific module it needs (`./apps`, `./addons`...), not this index, so that
 * the serialized provider text only carries what it uses.
 */
export * from "./addonAttachments";
export * from "./addons";
export * from "./appLock";
export * from "./apps";
export * from "./client";
export * from "./configVars";
export * from "./domains";
export * from "./errors";
export * from "./formation";
export * from "./logDrains";
export * from "./poll";
export * from "./rateLimiter";
export * from "./releases";
export * from "./retry";
export * from "./settings";
