'use strict';
/**
 * The web service.
 *   GET /health  200 {"ok":true} when every dependency answers, else 503 {"ok":false,"failed":["database",...]}
 *   GET /        records a visit and returns {"visits":N,"cached":bool}
 *
 * `createServer({ checks, countVisit })` builds the HTTP server from injected functions and needs no database
 * driver; `start()` wires the real Postgres pool and Redis client (drivers loaded only then) and handles SIGTERM.
 */
const http = require('node:http');

/** A health check answers within this or counts as failed: load balancers give up after ~5 s. */
const DEFAULT_CHECK_TIMEOUT_MS = 3000;

/** After SIGTERM, in-flight requests get this long; Heroku and ECS both send SIGKILL 30 s after SIGTERM. */
const SHUTDOWN_GRACE_MS = 20000;

/** Rejects if `promise` has not settled within `ms`. */
function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every check concurrently; returns the names of those that failed, in declaration order. */
async function failedChecks(checks, timeoutMs, log) {
  const names = Object.keys(checks);
  const results = await Promise.allSettled(
    // Promise.resolve().then(...) turns a check that throws synchronously into a rejection too.
    names.map((name) => withTimeout(Promise.resolve().then(checks[name]), timeoutMs)),
  );
  const failed = [];
  results.forEach((result, i) => {
    if (result.status === 'rejected') {
      failed.push(names[i]);
      // Details go to the log only: /health is public, and driver errors name hosts and ports.
      log.error(`health: ${names[i]} failed: ${result.reason && result.reason.message}`);
    }
  });
  return failed;
}

function sendJson(res, status, body, extraHeaders = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  res.end(payload);
}

/**
 * Builds the HTTP server (not listening yet).
 * @param {object} deps
 * @param {Record<string, () => Promise<unknown>>} deps.checks  dependency name => check that rejects when down
 * @param {() => Promise<object>} [deps.countVisit]  records a visit and returns the JSON for `GET /`
 * @param {number} [deps.checkTimeoutMs=3000]
 * @param {{log: Function, error: Function}} [deps.log=console]
 */
function createServer({ checks, countVisit, checkTimeoutMs = DEFAULT_CHECK_TIMEOUT_MS, log = console }) {
  if (!checks) throw new Error('createServer: checks are required');

  async function handle(req, res) {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    } else if (pathname === '/health') {
      const failed = await failedChecks(checks, checkTimeoutMs, log);
      if (failed.length === 0) sendJson(res, 200, { ok: true });
      else sendJson(res, 503, { ok: false, failed });
    } else if (pathname === '/' && countVisit) {
      try {
        sendJson(res, 200, await countVisit());
      } catch (err) {
        log.error(`visit: ${err.message}`);
        sendJson(res, 503, { error: 'database unavailable' });
      }
    } else {
      sendJson(res, 404, { error: 'not found' });
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error(`request failed: ${err.stack || err.message}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  // Longer than the load balancers' idle timeout (ALB: 60 s), so they never reuse a connection we just closed
  // (which shows up as sporadic 502s).
  server.keepAliveTimeout = 65000;
  server.headersTimeout = 66000;
  return server;
}

/** Starts the real service: Postgres pool, Redis client, HTTP server on PORT, graceful SIGTERM/SIGINT. */
function start(env = process.env, log = console) {
  const { createPool } = require('./lib/db');
  const { createCache } = require('./lib/cache');
  const { recordVisit } = require('./lib/visits');

  const db = createPool(env, log);
  const cache = createCache(env, log);
  // Not awaited: the service starts (and reports 503) while the cache is down; the client keeps reconnecting
  // and its 'error' handler logs why.
  cache.connect().catch(() => {});

  const server = createServer({
    checks: {
      database: () => db.query('SELECT 1'),
      cache: () => cache.ping(),
    },
    countVisit: () => recordVisit({ db, cache, log }),
    log,
  });
  const port = Number.parseInt(env.PORT || '8080', 10);
  server.listen(port, () => log.log(`listening on port ${port}`));

  let stopping = false;
  function shutdown(signal) {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: draining connections`);
    setTimeout(() => {
      log.error(`shutdown: still busy after ${SHUTDOWN_GRACE_MS} ms, exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    server.close(async () => {
      await Promise.allSettled([db.end(), cache.isReady ? cache.close() : Promise.resolve(cache.destroy())]);
      log.log('shutdown: done');
    });
    // Keep-alive connections with no request in flight would otherwise hold server.close() open.
    server.closeIdleConnections();
  }
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return server;
}

module.exports = { createServer, start };

if (require.main === module) {
  try {
    start();
  } catch (err) {
    // Configuration errors (missing DATABASE_URL, bad REDIS_TLS, ...): say which, never the values.
    console.error(`startup failed: ${err.message}`);
    process.exit(1);
  }
}
