/**
 * What the Atlas backend refuses before anything is registered: a stack without a project or an explicit network
 * access decision, a cloud without a region, and what the free M0 and Flex cannot do (production data on M0, two
 * M0s in one project, a chosen MongoDB version, private endpoints).
 */
import { NAMESPACE } from "../../stacks/schema";
import type { Problem, ResolvedApp } from "../backend";
import { databaseTier } from "./database";
import { atlasStackSettings, type AtlasDatabaseSettings, type AtlasStackSettings } from "./settings";
import { atlasMajor, tierClass } from "./tiers";

const BACKEND = "atlas";

/** MongoDB majors Atlas deploys on dedicated tiers (those not past end of life: 6.0 ended July 2025). */
export const ATLAS_MAJORS = ["7.0", "8.0"] as const;
/** The only version M0 and Flex run (chosen by Atlas). */
export const SHARED_TIER_MAJOR = "8.0";

export function validateAtlas(app: ResolvedApp, stackSettings?: unknown): Problem[] {
  const problems: Problem[] = [];
  const settings: AtlasStackSettings = (stackSettings as AtlasStackSettings | undefined) ?? atlasStackSettings.parse({});
  const key = `${NAMESPACE}:${BACKEND}`;
  const stack = app.stack.stack;

  if (!settings.orgId && !settings.projectId) {
    problems.push({
      path: key,
      message: `the atlas backend needs a project: set orgId (a project "${app.stack.appName}-${stack}" is created there: \`pulumi config set --path '${key}.orgId' <24-hex org id> -s ${stack}\`) or projectId (an existing project)`,
    });
  } else if (settings.orgId && settings.projectId) {
    problems.push({ path: `${key}.projectId`, message: "give orgId (a project per stack) or projectId (an existing project), not both" });
  }
  if (!settings.access) {
    problems.push({
      path: `${key}.access`,
      message:
        "network access to the Atlas clusters must be decided in config: Heroku dynos, App Platform and Fargate tasks in public subnets have no fixed egress address. " +
        'Choose { allow: ["203.0.113.7", "198.51.100.0/24"] } (your static egress addresses), { allow: ["0.0.0.0/0"] } (the whole internet: only the generated password and TLS protect the data), ' +
        "or { privateEndpoint: true } (dedicated tiers, M10 and up, with a private endpoint you create)",
    });
  }
  if (settings.provider && settings.provider !== "AWS" && !settings.region) {
    problems.push({ path: `${key}.region`, message: `is required with provider ${settings.provider}: an Atlas region name of that cloud (e.g. GCP WESTERN_EUROPE, Azure EUROPE_WEST)` });
  }

  const privateOnly = Boolean(settings.access && "privateEndpoint" in settings.access);
  let free: string | undefined;
  for (const db of app.databases.filter((d) => d.backend === BACKEND)) {
    const tier = databaseTier(db, app.stack.tier);
    const cls = tierClass(tier);
    const tierKey = `${NAMESPACE}:databases.${db.name}.${BACKEND}.tier`;
    const chosen = (db.settings as AtlasDatabaseSettings).tier ? tierKey : `${NAMESPACE}:databases.${db.name}.size`;
    if (cls === "free") {
      if (app.stack.tier === "production") {
        problems.push({ path: chosen, message: `M0 on a production stack: the free tier has no backups and shares hardware; use FLEX or a dedicated tier (M10 and up), e.g. ${tierKey}: M10` });
      }
      if (free) {
        problems.push({ path: chosen, message: `a second M0 (after databases.${free}): Atlas allows one free M0 cluster per project; give this one ${tierKey}: FLEX (or M10)` });
      } else free = db.name;
    }
    if (cls !== "dedicated") {
      if (db.version && atlasMajor(db.version) !== SHARED_TIER_MAJOR) {
        problems.push({ path: `app.databases.${db.name}.version`, message: `"${db.version}" on ${tier}: Atlas runs MongoDB ${SHARED_TIER_MAJOR} on M0 and Flex and does not let you choose; remove the version or use a dedicated tier (M10 and up)` });
      }
      if (privateOnly) {
        problems.push({ path: chosen, message: `${tier} with ${key}.access { privateEndpoint: true }: private endpoints need a dedicated tier (M10 and up); use one, or an access list` });
      }
    } else if (db.version && !(ATLAS_MAJORS as readonly string[]).includes(atlasMajor(db.version))) {
      problems.push({ path: `app.databases.${db.name}.version`, message: `"${db.version}" is not a MongoDB version Atlas deploys; allowed: ${ATLAS_MAJORS.join(", ")}` });
    }
  }
  return problems;
}
