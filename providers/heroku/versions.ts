/**
 * The major versions Heroku's data add-ons run, for `offers` (the core refuses a declared version outside them,
 * naming the backends that have it). Heroku provisions its default major: the add-on resource does not pass
 * `--version`, so a listed version other than the default is still warned about when deployed (database.ts,
 * cache.ts).
 *
 * Sources (not checkable against a live account here):
 * - Postgres: https://devcenter.heroku.com/articles/heroku-postgres-version-support (Heroku supports the latest three
 *   majors; when one is released the third before it is deprecated, changelog item 2722) and
 *   https://devcenter.heroku.com/articles/upgrading-heroku-postgres-databases (Oct 2025: "the most recent major
 *   Postgres version supported by Heroku is 17"): 15, 16, 17.
 * - Key-Value Store: https://devcenter.heroku.com/articles/heroku-redis-version-upgrade (Dec 2024: new instances use
 *   the latest Valkey, "currently 7.2"): major 7 for both portable engines (KVS serves Redis clients).
 */
export const HEROKU_POSTGRES_MAJORS = ["15", "16", "17"] as const;
export const HEROKU_KVS_MAJORS = ["7"] as const;
