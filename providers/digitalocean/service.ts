/** A web service on App Platform: its image pushed to DOCR, then its place in the stack's App (platform.ts). */
import type * as pulumi from "@pulumi/pulumi";
import type { RunInputs, WebServiceResult, WebServiceSpec } from "../backend";
import { pushImage } from "./image";
import { repositoryName } from "./names";
import type { DigitaloceanPlatform } from "./platform";
import type { DigitaloceanServiceSettings } from "./settings";

export function deployWebService(
  platform: DigitaloceanPlatform,
  spec: WebServiceSpec<DigitaloceanServiceSettings>,
  inputs: RunInputs,
  parent: pulumi.ComponentResource,
): WebServiceResult {
  const registry = platform.registry();
  const repository = repositoryName(platform.stack.appName, spec.name);
  const digest = pushImage(`${spec.name}-image`, { registry: registry.name, repository, source: spec.image, credentials: registry.credentials }, { parent });
  return platform.addService({ spec, repository, digest, secretEnv: inputs.secretEnv }, inputs.links ?? []);
}
