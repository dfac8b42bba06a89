/**
 * `multicloud:databases.<name>.aws`: the RDS escape hatches. Kept apart from database.ts so that validation loads no
 * cloud SDK; database.ts re-exports it.
 */
import { z } from "zod";
import { oneOf, strictObject } from "../../stacks/zod-helpers";

/**
 * A DB parameter: its value (applied at the next reboot; a new instance boots with it), or `{ value, applyMethod }`.
 * RDS accepts `immediate` for dynamic parameters only and refuses it for static ones; `pending-reboot` works for both.
 */
const parameterValue = z.union([
  z.string(),
  strictObject({
    /** The parameter's value, as RDS spells it. */
    value: z.string(),
    /**
     * `immediate` applies a change to a dynamic parameter of a running instance at once (RDS refuses it for static
     * parameters); `pending-reboot` waits for the next reboot.
     * @default "pending-reboot"
     */
    applyMethod: oneOf(["immediate", "pending-reboot"]).optional(),
  }),
]);

export const databaseSettings = strictObject({
  /**
   * The RDS instance class, overriding the size mapping (nano db.t4g.micro, micro db.t4g.small, small
   * db.t4g.medium, medium db.m7g.large, large db.m7g.xlarge, xlarge db.m7g.2xlarge).
   * @default from the size
   * @example "db.r7g.large"
   */
  instanceClass: z.string().regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, 'must be an RDS instance class such as "db.t4g.micro"').optional(),
  /**
   * A standby in a second availability zone with automatic failover. Doubles the instance cost (db.t4g.micro:
   * ~$11.7 -> ~$23.4 a month), which buys minutes instead of hours of downtime when a zone or the host fails.
   * @default true on production stacks, false on development ones
   */
  multiAz: z.boolean().optional(),
  /** `gp3` (general purpose, 20 GiB and up) or `io2` (provisioned IOPS, 100 GiB and up: set `iops`). @default "gp3" */
  storageType: oneOf(["gp3", "io2"]).optional(),
  /** Provisioned IOPS: required with io2; with gp3 only from 400 GiB (below that gp3 gives a fixed 3000). @default none */
  iops: z.int().positive().optional(),
  /**
   * Storage autoscaling: RDS grows the disk up to this many GiB when it runs low (you pay only for what it grows
   * to); 0 turns it off. A full disk stops the database, hence the production default.
   * @default 4 x storageGiB on production stacks, 0 on development ones
   */
  maxStorageGiB: z.int().min(0).max(65536).optional(),
  /** Performance Insights (7 days of query-level load history, no extra charge at that retention). @default false */
  performanceInsights: z.boolean().optional(),
  /**
   * DB parameter group entries, set over the defaults (which force TLS: `rds.force_ssl` = 1 on postgres,
   * `require_secure_transport` = ON on mysql).
   * @default {}
   * @example { "shared_preload_libraries": "pg_stat_statements,pg_cron", "log_min_duration_statement": { "value": "500", "applyMethod": "immediate" } }
   */
  parameters: z.record(z.string().min(1), parameterValue).optional(),
  /**
   * Take a final snapshot when the instance is deleted (outside Pulumi: Pulumi retains databases instead of
   * deleting them).
   * @default true on production stacks, false on development ones
   */
  finalSnapshot: z.boolean().optional(),
});

export type DatabaseSettings = z.infer<typeof databaseSettings>;
