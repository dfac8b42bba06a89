/**
 * What RDS offers for the portable database contract, and the problems a declaration can have on AWS. Kept apart
 * from database.ts so that validation loads no cloud SDK.
 */
import type { DatabaseEngine } from "../../components/spec";
import type { DatabaseSpec, Problem, StackInfo } from "../backend";
import { NAMESPACE } from "../../stacks/schema";
import type { DatabaseSettings } from "./database-settings";

/**
 * Majors in RDS standard support, oldest first; the last is the default. PostgreSQL 13 left standard support in
 * February 2026 and MySQL 8.0 on 2026-07-31 (running either bills RDS Extended Support per vCPU-hour), so neither
 * is offered: a database on 8.0 moves to 8.4 by changing `version` (a major upgrade RDS runs in place). Dates are
 * not checkable here against a live `describe-db-major-engine-versions`: see providers/aws/CONFORMANCE.md.
 */
export const RDS_MAJORS: Readonly<Record<Exclude<DatabaseEngine, "mongodb">, readonly string[]>> = {
  postgres: ["14", "15", "16", "17", "18"],
  mysql: ["8.4"],
};

/**
 * Postgres extensions RDS does not ship (`SHOW rds.extensions` lists those it does). pgvector (`vector`) is not here:
 * RDS ships it on every offered major's current minors (0.8.0 from 14.14, 15.9, 16.5 and 17.1), and a major-only
 * engine version always gets a current minor.
 */
const UNAVAILABLE_EXTENSIONS: Readonly<Record<string, string>> = {
  timescaledb: "TimescaleDB is not offered on RDS (Timescale Cloud runs it)",
  citus: "Citus is not offered on RDS (Azure Cosmos DB for PostgreSQL runs it)",
};

/** The storage range RDS accepts per storage type, in GiB, for postgres and mysql. */
export const STORAGE_LIMITS_GIB = { gp3: { min: 20, max: 65536 }, io2: { min: 100, max: 65536 } } as const;

/** Below this much gp3 storage, RDS fixes IOPS and throughput (postgres and mysql): `iops` needs at least this. */
export const GP3_IOPS_MIN_STORAGE_GIB = 400;

/** The engine major a spec gets: its own, or the newest RDS offers. */
export function rdsMajor(spec: Pick<DatabaseSpec, "engine" | "version">): string {
  const majors = RDS_MAJORS[spec.engine as keyof typeof RDS_MAJORS];
  if (!majors) throw new Error(`multicloud: RDS has no ${spec.engine} engine (validation should have refused it)`);
  return spec.version ?? majors[majors.length - 1]!;
}

/** Problems of one AWS database: each says what was given and what is allowed. */
export function databaseProblems(spec: DatabaseSpec, stack: StackInfo): Problem[] {
  const problems: Problem[] = [];
  const at = (key: string) => `app.databases.${spec.name}.${key}`;
  const settingAt = (key: string) => `${NAMESPACE}:databases.${spec.name}.aws.${key}`;
  const majors = RDS_MAJORS[spec.engine as keyof typeof RDS_MAJORS];
  if (!majors) return problems; // the core refuses engines the backend does not offer

  if (spec.version !== undefined && !majors.includes(spec.version)) {
    const withMinor = majors.some((m) => spec.version!.startsWith(`${m}.`));
    const minorHint = withMinor ? " (give the major only: RDS applies minor versions itself)" : "";
    problems.push({ path: at("version"), message: `${JSON.stringify(spec.version)} is not a ${spec.engine} major RDS offers${minorHint}; allowed: ${majors.join(", ")}` });
  }

  if (spec.engine === "mysql" && spec.extensions.length > 0) {
    problems.push({ path: at("extensions"), message: `${JSON.stringify(spec.extensions)} given, but extensions are a postgres feature; a mysql database takes none` });
  }
  if (spec.engine === "postgres") {
    for (const extension of spec.extensions) {
      const why = UNAVAILABLE_EXTENSIONS[extension];
      if (why) problems.push({ path: at("extensions"), message: `"${extension}" is not available on RDS for PostgreSQL: ${why}` });
    }
  }

  if (spec.backups === false && stack.tier === "production") {
    problems.push({ path: at("backups"), message: `false on the production stack "${stack.stack}": production databases keep automated backups; allowed: { retentionDays: 1-35 }` });
  }

  const settings = (spec.settings ?? {}) as DatabaseSettings;
  const storageType = settings.storageType ?? "gp3";
  const limits = STORAGE_LIMITS_GIB[storageType];
  if (spec.storageGiB < limits.min || spec.storageGiB > limits.max) {
    problems.push({ path: at("storageGiB"), message: `${spec.storageGiB} GiB given; RDS ${storageType} storage is ${limits.min}-${limits.max} GiB` });
  }
  if (storageType === "io2" && settings.iops === undefined) {
    problems.push({ path: settingAt("iops"), message: `missing: io2 storage needs provisioned IOPS (e.g. 3000)` });
  }
  if (storageType === "gp3" && settings.iops !== undefined && spec.storageGiB < GP3_IOPS_MIN_STORAGE_GIB) {
    problems.push({ path: settingAt("iops"), message: `${settings.iops} given with ${spec.storageGiB} GiB of gp3; RDS sets gp3 IOPS only from ${GP3_IOPS_MIN_STORAGE_GIB} GiB (below that it is a fixed 3000)` });
  }
  if (settings.maxStorageGiB !== undefined && settings.maxStorageGiB !== 0 && settings.maxStorageGiB < spec.storageGiB) {
    problems.push({ path: settingAt("maxStorageGiB"), message: `${settings.maxStorageGiB} GiB given, below the ${spec.storageGiB} GiB allocated; allowed: 0 (no autoscaling) or at least ${spec.storageGiB}` });
  }
  return problems;
}
