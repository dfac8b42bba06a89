/**
 * A cron job on App Platform: a SCHEDULED job of the stack's jobs App (platform.ts, jobsSpec.ts). It runs the image
 * of the DigitalOcean web service it names (same repository and digest, nothing pushed twice), or its own image pushed
 * to DOCR.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CronJobSpec, RunInputs } from "../backend";
import { pushImage } from "./image";
import { repositoryName } from "./names";
import type { DigitaloceanPlatform } from "./platform";
import type { DigitaloceanCronJobSettings } from "./settings";

export function deployCronJob(
  platform: DigitaloceanPlatform,
  spec: CronJobSpec<DigitaloceanCronJobSettings>,
  inputs: RunInputs,
  parent: pulumi.ComponentResource,
): void {
  // A link to a private DigitalOcean service was refused by validation (validate.ts): the jobs App cannot reach it.
  const links = inputs.links ?? [];
  const service = spec.imageOfService ? platform.service(spec.imageOfService) : undefined;
  if (service) {
    platform.addCronJob({ spec, repository: service.repository, digest: service.digest, secretEnv: inputs.secretEnv }, links);
    return;
  }
  const registry = platform.registry();
  const repository = repositoryName(platform.stack.appName, spec.name);
  const digest = pushImage(`${spec.name}-image`, { registry: registry.name, repository, source: spec.image, credentials: registry.credentials }, { parent });
  platform.addCronJob({ spec, repository, digest, secretEnv: inputs.secretEnv }, links);
}
