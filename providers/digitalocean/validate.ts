/**
 * What the DigitalOcean backend refuses beyond its offers, before anything is registered: component names App
 * Platform rejects (services and cron jobs), database versions DigitalOcean does not run, route paths two public services share, and a
 * cache version other than Valkey's.
 */
import { NAMESPACE } from "../../stacks/schema";
import type { Problem, ResolvedApp } from "../backend";
import { COMPONENT_NAME } from "./names";
import { routePath, type ServiceEntry } from "./appSpec";
import { ONLINE_MIGRATION_ENGINES } from "./data";
import type { DigitaloceanDatabaseSettings } from "./settings";

const BACKEND = "digitalocean";

/**
 * Majors DigitalOcean Managed Databases run (DigitalOcean "Supported versions" pages, 2026: PostgreSQL 13-17, MySQL 8,
 * MongoDB 7.0 and 8.0, Valkey 8); `doctl databases options versions` prints the live list.
 */
export const VERSIONS: Readonly<Record<"postgres" | "mysql" | "mongodb", readonly string[]>> = {
  postgres: ["13", "14", "15", "16", "17"],
  mysql: ["8"],
  mongodb: ["7.0", "8.0"],
};

export function validateDigitalocean(app: ResolvedApp): Problem[] {
  const problems: Problem[] = [];
  const services = app.services.filter((s) => s.backend === BACKEND);
  for (const s of services) {
    // The release job is `<name>-release`: the name must leave room for it too.
    if (!COMPONENT_NAME.test(s.name)) {
      problems.push({ path: `app.services.${s.name}`, message: `"${s.name}" is not an App Platform component name: 2-32 lowercase letters, digits and -, starting with a letter, not ending with - (rename the service, or run it on aws or heroku)` });
    }
  }
  // Cron jobs are components of the jobs App: the same name rule. Their 5-field schedule and IANA time zone pass to
  // App Platform's `schedule {cron, time_zone}` as they are, and the timeout to `timeout`: nothing else to refuse.
  for (const j of app.cronJobs.filter((p) => p.backend === BACKEND)) {
    if (!COMPONENT_NAME.test(j.name)) {
      problems.push({ path: `app.cronJobs.${j.name}`, message: `"${j.name}" is not an App Platform component name: 2-32 lowercase letters, digits and -, starting with a letter, not ending with - (rename the cron job, or run it on aws or heroku)` });
    }
  }
  // A private service is routed only inside the services App; cron jobs run in the stack's jobs App (cronJob.ts).
  const privateServices = new Set(services.filter((s) => !s.public).map((s) => s.name));
  for (const j of app.cronJobs.filter((p) => p.backend === BACKEND)) {
    for (const link of app.links?.get(j.name) ?? []) {
      if (link.kind === "service" && privateServices.has(link.target)) {
        problems.push({
          path: `app.cronJobs.${j.name}.links`,
          message: `links to services.${link.target}, a private DigitalOcean service, but App Platform routes a private service only inside its own App and cron jobs run in the stack's jobs App; make ${link.target} public, or run ${j.name} on aws or heroku`,
        });
      }
    }
  }
  const publics = services.filter((s) => s.public);
  const paths = new Map<string, string>();
  for (const s of publics) {
    const path = routePath({ spec: s as ServiceEntry["spec"], repository: "", digest: "", secretEnv: {} }, publics.length);
    const other = paths.get(path);
    const key = `${NAMESPACE}:services.${s.name}.${BACKEND}.routePath`;
    if (other) problems.push({ path: key, message: `"${path}" is also the route of services.${other} in the stack's App; give each public service its own path` });
    else paths.set(path, s.name);
  }
  for (const d of app.databases.filter((p) => p.backend === BACKEND)) {
    if (d.engine === "postgres" || d.engine === "mysql" || d.engine === "mongodb") {
      const allowed = VERSIONS[d.engine];
      if (d.version !== undefined && !allowed.includes(d.version)) {
        problems.push({ path: `app.databases.${d.name}.version`, message: `DigitalOcean runs ${d.engine} ${allowed.join(", ")}; got "${d.version}"` });
      }
    }
  }
  for (const d of app.databases.filter((p) => p.backend === BACKEND)) {
    if (!(d.settings as DigitaloceanDatabaseSettings | undefined)?.onlineMigration) continue;
    const key = `${NAMESPACE}:databases.${d.name}.${BACKEND}.onlineMigration`;
    if (!d.movedFrom) {
      problems.push({ path: key, message: `copies the data in from the copy a move leaves behind, but databases.${d.name} is not moving (no movedFrom); remove onlineMigration, or set movedFrom to the backend the data is on` });
    } else if (!ONLINE_MIGRATION_ENGINES.includes(d.engine)) {
      problems.push({ path: key, message: `DigitalOcean's online migration copies ${ONLINE_MIGRATION_ENGINES.join(" and ")} databases; databases.${d.name} is ${d.engine}: remove onlineMigration and copy the data as the move notice says` });
    }
  }
  for (const c of app.caches.filter((p) => p.backend === BACKEND)) {
    if (c.engine === "valkey" && c.version !== undefined && c.version !== "8") {
      problems.push({ path: `app.caches.${c.name}.version`, message: `DigitalOcean runs Valkey 8; got "${c.version}"` });
    }
  }
  return problems;
}
