'use strict';
/**
 * Postgres connections. The `pg` driver is required lazily, inside the functions, so that modules depending on
 * this one (server.js) can be loaded and tested without the driver installed.
 */
const { postgresSettings } = require('./tls');

/** Fail fast when the database is unreachable: a health check must answer before the load balancer gives up. */
const CONNECT_TIMEOUT_MS = 5000;

/** Options shared by pools and single clients. */
function connectionOptions(env) {
  const { connectionString, ssl } = postgresSettings(env);
  return {
    connectionString,
    ssl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Shows up in pg_stat_activity, which makes "who holds these connections?" answerable.
    application_name: 'multicloud-sample',
  };
}

/**
 * A connection pool for the web service. Small by default (PG_POOL_MAX, default 5) because the smallest managed
 * plans allow 20-25 connections shared by every instance and the release command.
 */
function createPool(env, log = console) {
  const { Pool } = require('pg');
  const pool = new Pool({
    ...connectionOptions(env),
    max: Number.parseInt(env.PG_POOL_MAX || '5', 10),
    idleTimeoutMillis: 30000,
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it would crash the process.
  pool.on('error', (err) => log.error(`postgres: idle connection lost: ${err.message}`));
  return pool;
}

/** A single connection, for one-shot commands (migration, cron job). */
function createClient(env) {
  const { Client } = require('pg');
  return new Client(connectionOptions(env));
}

module.exports = { createPool, createClient, connectionOptions };
