'use strict';
/**
 * The cron job (`node jobs/cleanup.js`): deletes visits older than RETENTION_DAYS, logs how many, exits.
 * Deletes in batches so a large backlog never holds one long transaction (locks, WAL bursts, replica lag).
 * Exits non-zero on failure so the scheduler records the run as failed.
 */
const { createClient } = require('../lib/db');

const RETENTION_DAYS = 30;
const BATCH_SIZE = 10000;

/** Deletes old visits through `client` (a connected pg Client); returns how many were deleted. */
async function deleteOldVisits(client, { retentionDays = RETENTION_DAYS, batchSize = BATCH_SIZE } = {}) {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await client.query(
      `DELETE FROM visits WHERE id IN (
         SELECT id FROM visits WHERE visited_at < now() - make_interval(days => $1) LIMIT $2
       )`,
      [retentionDays, batchSize],
    );
    deleted += rowCount;
    if (rowCount < batchSize) return deleted;
  }
}

async function main() {
  const client = createClient(process.env);
  try {
    await client.connect();
    const deleted = await deleteOldVisits(client);
    console.log(`cleanup: deleted ${deleted} visits older than ${RETENTION_DAYS} days`);
  } finally {
    await client.end().catch(() => {});
  }
}

module.exports = { deleteOldVisits, RETENTION_DAYS };

if (require.main === module) {
  main().catch((err) => {
    console.error(`cleanup: failed: ${err.message}`);
    process.exitCode = 1;
  });
}
