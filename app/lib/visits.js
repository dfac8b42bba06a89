'use strict';
/**
 * The visit counter behind `GET /`: every visit is a row in Postgres (table `visits`, created by migrate.js);
 * the total is cached in Redis so that most requests do not `count(*)` a growing table.
 * The cached total is incremented atomically with each visit while it lives, and recounted from Postgres
 * when it expires: concurrent recounts or the clean-up job can skew it, but never for longer than
 * CACHE_TTL_SECONDS.
 */

const CACHE_KEY = 'multicloud-sample:visits:total';
const CACHE_TTL_SECONDS = 60;

/** INCR only if the key exists: a plain INCR on an expired key would restart the total at 1. */
const INCR_IF_CACHED = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCR', KEYS[1]) end return false";

/**
 * Records one visit and returns `{ visits, cached }`. `db` is a pg Pool (or anything with `query`), `cache` a
 * node-redis client. A failing cache is logged and bypassed; a failing database rejects.
 */
async function recordVisit({ db, cache, log = console }) {
  await db.query('INSERT INTO visits DEFAULT VALUES');
  try {
    const total = await cache.eval(INCR_IF_CACHED, { keys: [CACHE_KEY] });
    if (total !== null) return { visits: Number(total), cached: true };
  } catch (err) {
    log.error(`cache: read failed, counting in Postgres: ${err.message}`);
  }
  const { rows } = await db.query('SELECT count(*)::bigint AS total FROM visits');
  const visits = Number(rows[0].total);
  try {
    await cache.set(CACHE_KEY, String(visits), { EX: CACHE_TTL_SECONDS });
  } catch (err) {
    log.error(`cache: write failed: ${err.message}`);
  }
  return { visits, cached: false };
}

module.exports = { recordVisit, CACHE_KEY, CACHE_TTL_SECONDS };
