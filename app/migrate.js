'use strict';
/**
 * The release command (`node migrate.js`): brings the schema up to date before a new version serves traffic.
 * Idempotent (safe to run on every deploy) and serialized by an advisory lock, because two deploys (or a
 * retried release task) may run it at the same time. Exits non-zero on any failure, which stops the release.
 */
const { createClient } = require('./lib/db');

/** Arbitrary constant identifying this app's migration lock among all advisory locks on the database. */
const MIGRATION_LOCK_ID = 7340021;

/** Statements run in order, in one transaction; each must be idempotent. */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS visits (
     id bigserial PRIMARY KEY,
     visited_at timestamptz NOT NULL DEFAULT now()
   )`,
  // The clean-up job deletes by age.
  'CREATE INDEX IF NOT EXISTS visits_visited_at_idx ON visits (visited_at)',
];

/** Applies SCHEMA through `client` (a connected pg Client). */
async function migrate(client) {
  await client.query('BEGIN');
  try {
    // Transaction-scoped: released by COMMIT/ROLLBACK, or by the server if this process dies.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    for (const statement of SCHEMA) await client.query(statement);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

async function main() {
  const client = createClient(process.env);
  try {
    await client.connect();
    await migrate(client);
    console.log(`migrate: schema up to date (${SCHEMA.length} statements applied)`);
  } finally {
    await client.end().catch(() => {});
  }
}

module.exports = { migrate, SCHEMA };

if (require.main === module) {
  main().catch((err) => {
    console.error(`migrate: failed: ${err.message}`);
    process.exitCode = 1;
  });
}
