/**
 * What a deployment declared, for `npm run plan`: the parts with their backends, and the warnings a person should
 * read. Kept on `globalThis` under a registered symbol so that the plan sees it even when the program loaded its
 * own copy of this module.
 */
import * as pulumi from "@pulumi/pulumi";

export interface DeployedPart {
  name: string;
  kind: "WebService" | "CronJob" | "Database" | "Cache";
  backend: string;
  /** The backend the part moved from, still kept (databases and caches). */
  movedFrom?: string;
}

export interface DeploymentRecord {
  components: DeployedPart[];
  warnings: string[];
}

const KEY = Symbol.for("multicloud.deployment");

export function deploymentRecord(): DeploymentRecord {
  const holder = globalThis as { [KEY]?: DeploymentRecord };
  return (holder[KEY] ??= { components: [], warnings: [] });
}

/** A warning for the person deploying: shown by `pulumi up`/`preview` and by the plan. */
export function warn(message: string): void {
  deploymentRecord().warnings.push(message);
  void pulumi.log.warn(message);
}
