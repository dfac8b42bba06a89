/**
 * What a deployment declared, for `npm run plan`: the parts and their backends. Kept on `globalThis` under a
 * registered symbol so that the plan sees it even when the program loaded its own copy of this module.
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
}

const KEY = Symbol.for("multicloud.deployment");

export function deploymentRecord(): DeploymentRecord {
  const holder = globalThis as { [KEY]?: DeploymentRecord };
  return (holder[KEY] ??= { components: [] });
}

/** A warning for the person deploying: shown by `pulumi up`/`preview`, and by the plan. */
export function warn(message: string): void {
  void pulumi.log.warn(message);
}
