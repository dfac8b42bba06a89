/**
 * A database on Heroku: a heroku-postgresql add-on owned by the stack's data app (see platform.ts for why not by
 * a service's app), attached there as `<NAME>` (`<NAME>_URL`); its URL is linked into the parts that use it.
 * The add-on carries the data options: `retainOnDelete` always, `protect` on production stacks. A plan change
 * Heroku cannot make in place (Essential to Standard) fails with the migration steps, never replaces.
 *
 * Linking Heroku apps (web services, cron jobs' apps) get the add-on ATTACHED (links.ts): Heroku keeps their
 * `<NAME>_URL` current when it changes the database's credentials or host (maintenance, failover,
 * `pg:credentials:rotate`). Parts on other backends get the URL copied: after such a change, run
 * `pulumi refresh` then `pulumi up`.
 *
 * Heroku plans bundle storage and backups: `storageGiB` cannot be chosen (a plan too small is warned about), the
 * backup retention is the plan's (scheduled backups are set with `heroku pg:backups:schedule`, not the Platform
 * API; a retention other than the default is warned about), and the major version is Heroku's default (the add-on
 * resource does not pass `--version`).
 */
import * as pulumi from "@pulumi/pulumi";
import { warn } from "../../components/record";
import type { ConnectionResult, DataOptions, DatabaseSpec } from "../backend";
import { addonCostLine } from "./cost";
import { attachmentNameOf } from "./names";
import type { HerokuPlatform } from "./platform";
import { Addon } from "./resources";
import type { HerokuDatabaseSettings } from "./settings";
import { POSTGRES_PLAN_STORAGE_GIB, postgresPlanFor } from "./sizes";

export const POSTGRES_SERVICE = "heroku-postgresql";

/** The plan of a database: the `plan` setting, else the size and tier's. */
export function databasePlan(spec: Pick<DatabaseSpec, "size" | "settings">, platform: Pick<HerokuPlatform, "stack">): string {
  return (spec.settings as HerokuDatabaseSettings).plan ?? postgresPlanFor(spec.size, platform.stack.tier);
}

export function deployDatabase(platform: HerokuPlatform, spec: DatabaseSpec, data: DataOptions, parent: pulumi.ComponentResource): ConnectionResult {
  if (spec.engine !== "postgres") {
    throw new Error(`multicloud: the heroku backend has no ${spec.engine} databases (a bug: validation should have refused it)`);
  }
  const plan = databasePlan(spec, platform);
  const addon = new Addon(
    spec.name,
    { app: platform.dataApp().id, plan: `${POSTGRES_SERVICE}:${plan}`, attachmentName: attachmentNameOf(spec.name) },
    { parent, retainOnDelete: data.retainOnDelete, protect: data.protect, ...(data.ignoreChanges ? { ignoreChanges: data.ignoreChanges } : {}) },
  );
  // The current copy is attached to the Heroku apps that link it; a copy left behind by a move is linked by none.
  if (!data.ignoreChanges) platform.addons.set(spec.name, addon);
  const included = POSTGRES_PLAN_STORAGE_GIB[plan];
  if (included !== undefined && spec.storageGiB > included) {
    warn(`heroku: databases.${spec.name} asks for ${spec.storageGiB} GiB; ${POSTGRES_SERVICE}:${plan} includes ${included} GiB (Heroku plans bundle storage): choose a larger size or plan`);
  }
  if (spec.backups && spec.backups.retentionDays !== 7) {
    warn(`heroku: databases.${spec.name} asks for ${spec.backups.retentionDays} days of backups; Heroku keeps backups per plan: schedule them with \`heroku pg:backups:schedule\` and check the plan's retention`);
  }
  if (spec.version) {
    warn(`heroku: databases.${spec.name} asks for Postgres ${spec.version}; Heroku provisions its default major version (check with \`heroku pg:info\`)`);
  }
  void pulumi.log.info(`heroku: ${addonCostLine(POSTGRES_SERVICE, plan)}`, parent);
  return { url: pulumi.secret(addon.url) };
}
