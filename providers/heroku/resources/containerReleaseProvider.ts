// The dynamic provider behind `ContainerRelease`: releases images already pushed to registry.heroku.com through
// the formation API, by the image ids read from the registry; waits for the release (and its release phase).
import type * as pulumi from "@pulumi/pulumi";
import type { Release } from "@heroku-cli/schema";
import { findApp, getApp } from "../api/apps";
import { inResourceContext } from "../api/errors";
import { releaseDockerImages } from "../api/formation";
import type { DockerImageUpdate } from "../api/formation";
import { imageReference, readImageManifest, releasableImageId } from "../api/registry";
import { awaitReleasesSince, latestRelease, recentReleases } from "../api/releases";
import { UNKNOWN, appFailures, configureFromStackConfig, containsUnknown, failure, plain, sameValue } from "./common";

/** Bump when the provider's behaviour changes in a way existing resources should be updated for. */
export const CONTAINER_RELEASE_PROVIDER_VERSION = "2";

/** Inputs of `ContainerRelease`, as the provider receives them after `check`. */
export interface ContainerReleaseInputs {
  /** The Pulumi resource name, used in error messages. */
  resourceName: string;
  /** Behaviour version of the provider code. */
  providerVersion: string;
  /** App id (or name); its stack must be `container`. */
  app: string;
  /**
   * Process type (`web`, `worker`...) to the manifest digest (`sha256:<64 hex>`, what a push reports) of the
   * image pushed to `registry.heroku.com/<app name>/<type>`.
   */
  images: Record<string, string>;
  /** Manifest digest of the image pushed for process type `release`, whose command runs before the release goes live. */
  releaseImage?: string;
  /** How long to wait for the release (the release phase may take up to an hour). @default 3900 */
  releaseTimeoutSeconds: number;
}

/** What the state holds for a `ContainerRelease`. */
export interface ContainerReleaseOutputs extends ContainerReleaseInputs {
  /** Id of the release this resource made (or, when Heroku made none because the images already ran, the current one). */
  releaseId: string;
  /** Its version number (`v42` is 42). */
  releaseVersion: number;
  /** `succeeded` (a failed release fails the deployment and is not recorded). */
  releaseStatus: string;
}

const KIND = "ContainerRelease";
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const DEFAULT_TIMEOUT_SECONDS = 3900;
const PROCESS_TYPE = /^[a-zA-Z0-9_-]+$/;

/** Process type to pushed manifest digest, the release-phase image as type `release`. */
export function imagesToRelease(inputs: Pick<ContainerReleaseInputs, "images" | "releaseImage">): Record<string, string> {
  return { ...inputs.images, ...(inputs.releaseImage ? { release: inputs.releaseImage } : {}) };
}

/**
 * The formation updates releasing these images: for each, the image id (config digest) read from the registry
 * manifest of the pushed digest. Reading every manifest before the PATCH means an image Heroku cannot run (an OCI
 * manifest from Docker's containerd image store, or one never pushed) fails the deployment before anything is
 * released.
 */
export async function imageUpdates(appName: string, images: Record<string, string>): Promise<DockerImageUpdate[]> {
  const updates: DockerImageUpdate[] = [];
  for (const [type, digest] of Object.entries(images)) {
    const manifest = await readImageManifest(appName, type, digest);
    updates.push({ type, docker_image: releasableImageId(manifest, imageReference(appName, type, digest)) });
  }
  return updates;
}

/**
 * Releases the images and waits for the release it made (see `awaitReleasesSince`); returns at once when
 * Heroku made none because the app already runs these images.
 */
async function release(inputs: ContainerReleaseInputs): Promise<ContainerReleaseOutputs> {
  const app = await getApp(inputs.app);
  if (app.stack?.name !== "container" && app.build_stack?.name !== "container") {
    // As the CLI's ensureContainerStack (either stack may be `container`), before anything is read or released.
    throw new Error(`app ${app.name} runs on the ${app.stack?.name ?? "unknown"} stack; container images need the container stack`);
  }
  const updates = await imageUpdates(app.name ?? inputs.app, imagesToRelease(inputs));
  const before = await latestRelease(inputs.app);
  await releaseDockerImages(inputs.app, updates);
  const { made, newest } = await awaitReleasesSince(inputs.app, before, {
    what: `the release of ${Object.keys(inputs.images).join(", ")} to finish`,
    timeoutMs: (inputs.releaseTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
  });
  // No release made: the images already run, in the app's current release (not always the newest: a later
  // one may have failed).
  const current: Release | undefined =
    made.length > 0 ? newest : ((await recentReleases(inputs.app, 10)).find((r) => r.current) ?? newest);
  return plain({
    ...inputs,
    releaseId: current?.id ?? "",
    releaseVersion: current?.version ?? 0,
    releaseStatus: current?.status ?? "succeeded",
  });
}

/** The CRUD operations of `ContainerRelease`, as a serializable plain object. */
export const containerReleaseProvider: pulumi.dynamic.ResourceProvider<ContainerReleaseInputs, ContainerReleaseOutputs> = {
  configure: configureFromStackConfig,

  async check(_olds, news) {
    const failures = appFailures(news.app);
    const inputs: ContainerReleaseInputs = {
      ...news,
      releaseTimeoutSeconds: news.releaseTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    };
    if (!inputs.releaseImage) delete inputs.releaseImage;
    const images: unknown = news.images;
    if (images !== UNKNOWN) {
      if (typeof images !== "object" || images === null || Array.isArray(images) || Object.keys(images).length === 0) {
        failures.push(failure("images", "must map at least one process type (e.g. web) to an image digest"));
      } else {
        for (const [type, digest] of Object.entries(images as Record<string, unknown>)) {
          if (!PROCESS_TYPE.test(type) || type === "release") {
            failures.push(failure("images", `"${type}" is not a process type (use releaseImage for the release phase)`));
          }
          if (digest !== UNKNOWN && !(typeof digest === "string" && DIGEST.test(digest))) {
            failures.push(failure("images", `${type}: "${String(digest)}" is not an image digest (sha256:<64 hex>)`));
          }
        }
      }
    }
    const releaseImage: unknown = inputs.releaseImage;
    if (releaseImage !== undefined && releaseImage !== UNKNOWN && !(typeof releaseImage === "string" && DIGEST.test(releaseImage))) {
      failures.push(failure("releaseImage", `"${String(releaseImage)}" is not an image digest (sha256:<64 hex>)`));
    }
    if (!(typeof inputs.releaseTimeoutSeconds === "number" && inputs.releaseTimeoutSeconds > 0)) {
      failures.push(failure("releaseTimeoutSeconds", "must be a positive number of seconds"));
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    // A release to another app is a new release; the old one cannot be "deleted" anyway.
    const replaces = sameValue(olds.app, news.app) ? [] : ["app"];
    const imagesChanged =
      containsUnknown(news.images) || !sameValue(olds.images, news.images) || !sameValue(olds.releaseImage, news.releaseImage);
    return {
      changes: replaces.length > 0 || imagesChanged || !sameValue(olds.providerVersion, news.providerVersion),
      replaces,
    };
  },

  async create(inputs) {
    try {
      const outs = await release(inputs);
      return { id: inputs.app, outs };
    } catch (error) {
      // Nothing to record: a failed release is not deployed, and the next `pulumi up` releases again.
      throw inResourceContext(KIND, inputs.resourceName, error);
    }
  },

  async update(_id, olds, news) {
    try {
      const sameImages = sameValue(olds.images, news.images) && sameValue(olds.releaseImage, news.releaseImage);
      // Only the provider version changed: do not re-run the release phase for nothing.
      if (sameImages && olds.releaseStatus === "succeeded") {
        return { outs: plain({ ...news, releaseId: olds.releaseId, releaseVersion: olds.releaseVersion, releaseStatus: olds.releaseStatus }) };
      }
      return { outs: await release(news) };
    } catch (error) {
      throw inResourceContext(KIND, news.resourceName, error);
    }
  },

  async read(id, props) {
    const state = props as ContainerReleaseOutputs;
    try {
      // What runs cannot be read back as digests; only whether the app is still there.
      return (await findApp(state.app ?? id)) ? { id, props: state } : {};
    } catch (error) {
      throw inResourceContext(KIND, state.resourceName ?? id, error);
    }
  },

  // A release cannot be undone; the app (or its Formation) decides what runs. Nothing to delete.
  async delete() {
    return;
  },
};
