import type * as pulumi from "@pulumi/pulumi";
import { CONTAINER_RELEASE_PROVIDER_VERSION } from "./containerReleaseProvider";
import { HerokuDynamicResource } from "./dynamicResource";

/** Arguments of {@link ContainerRelease}. */
export interface ContainerReleaseArgs {
  /** The app's id (`App.id`); its stack must be `container`. */
  app: pulumi.Input<string>;
  /**
   * Process type to the manifest digest (`sha256:<64 hex>`, `docker.Image.repoDigest`'s) of the image already
   * pushed to `registry.heroku.com/<app name>/<type>` (linux/amd64, Docker v2 schema-2 manifest). At release time
   * the provider reads that manifest and releases its image id (the config digest), as `heroku container:release`
   * does; an OCI manifest fails before anything is released. A new digest re-releases.
   */
  images: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Manifest digest of the image pushed as `registry.heroku.com/<app name>/release`: its command (the Dockerfile's CMD)
   * runs as the release phase before the release goes live; if it fails, the deployment fails with its output.
   * @default no release phase
   */
  releaseImage?: pulumi.Input<string>;
  /** How long to wait for the release, release phase included. @default 3900 */
  releaseTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * Releases container images on an app and waits for the release (and its release phase) to succeed; when Heroku
 * makes no release because the app already runs those images, it finishes at once. Deleting it does nothing (a
 * release cannot be undone; scale with `Formation`).
 */
export class ContainerRelease extends HerokuDynamicResource {
  /** Id of the release made. */
  declare readonly releaseId: pulumi.Output<string>;
  /** Its version number. */
  declare readonly releaseVersion: pulumi.Output<number>;
  /** `succeeded`. */
  declare readonly releaseStatus: pulumi.Output<string>;

  constructor(name: string, args: ContainerReleaseArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { file: "containerReleaseProvider", exportName: "containerReleaseProvider" },
      name,
      {
        resourceName: name,
        providerVersion: CONTAINER_RELEASE_PROVIDER_VERSION,
        app: args.app,
        images: args.images,
        releaseImage: args.releaseImage,
        releaseTimeoutSeconds: args.releaseTimeoutSeconds,
        releaseId: undefined,
        releaseVersion: undefined,
        releaseStatus: undefined,
      },
      opts,
      "ContainerRelease",
    );
  }
}
