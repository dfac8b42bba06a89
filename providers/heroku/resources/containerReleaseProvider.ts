// The dynamic provider behind `ContainerRelease`: releases images already pushed to registry.heroku.com, by
// digest, through the formation API; waits for the release (and its release phase) to finish.
import type * as pulumi from "@pulumi/pulumi";
import type { Release } from "@heroku-cli/schema";
import { findApp } from "../api/apps";
import { inResourceContext } from "../api/errors";
import { releaseDockerImages } from "../api/formation";
import type { DockerImageUpdate } from "../api/formation";
import { pollUntil } from "../api/poll";
import { latestRelease, readReleaseOutput, recentReleases } from "../api/releases";
import { resolveClientSettings } from "../api/settings";
import { UNKNOWN, appFailures, configureFromStackConfig, containsUnknown, failure, plain, sameValue } from "./common";

/** Bump when the provider's behaviour changes in a way existing resources should be updated for. */
export const CONTAINER_RELEASE_PROVIDER_VERSION = "1";

/** Inputs of `ContainerRelease`, as the provider receives them after `check`. */
export interface ContainerReleaseInputs {
  /** The Pulumi resource name, used in error messages. */
  resourceName: string;
  /** Behaviour version of the provider code. */
  providerVersion: string;
  /** App id (or name); its stack must be `container`. */
  app: string;
  /** Process type (`web`, `worker`...) to the digest (`sha256:<64 hex>`) pushed to `registry.heroku.com/<app>/<type>`. */
  images: Record<string, string>;
  /** Digest of the image pushed for process type `release`, whose command runs before the release goes live. */
  releaseImage?: string;
  /** How long to wait for the release (the release phase may take up to an hour). @default 3900 */
  releaseTimeoutSeconds: number;
}

/** What the state holds for a `ContainerRelease`. */
export interface ContainerReleaseOutputs extends ContainerReleaseInputs {
  /** Id of the release this resource made. */
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

/** The formation updates releasing these images (the release-phase image as type `release`). */
export function imageUpdates(inputs: Pick<ContainerReleaseInputs, "images" | "releaseImage">): DockerImageUpdate[] {
  const updates = Object.entries(inputs.images).map(([type, digest]) => ({ type, docker_image: digest }));
  if (inputs.releaseImage) updates.push({ type: "release", docker_image: inputs.releaseImage });
  return updates;
}

async function failureMessage(release: Release, hadReleasePhase: boolean): Promise<string> {
  const what = hadReleasePhase ? "the release phase failed" : "the release failed";
  const output = release.output_stream_url ? await readReleaseOutput(release.output_stream_url) : undefined;
  return (
    `release v${release.version} failed: ${what}, so it was not deployed (the app keeps running the previous ` +
    `release).` + (output ? `\n--- release phase output (end) ---\n${output}` : " No release-phase output could be read.")
  );
}

/**
 * Releases the images and waits until every release made since is finished; throws if one failed. Other
 * releases may land meanwhile (a config var change makes one too, and runs the release phase): waiting for
 * all of them, and failing on any failure, never reports a deployment as done while part of it failed.
 */
async function release(inputs: ContainerReleaseInputs): Promise<ContainerReleaseOutputs> {
  const before = (await latestRelease(inputs.app))?.version ?? 0;
  await releaseDockerImages(inputs.app, imageUpdates(inputs));
  const made = await pollUntil<Release[]>(
    `the release of ${Object.keys(inputs.images).join(", ")} to finish`,
    async () => {
      const newer = (await recentReleases(inputs.app, 10)).filter((r) => (r.version ?? 0) > before);
      if (newer.length === 0) return { done: false, status: "not created yet" };
      const pending = newer.filter((r) => r.status === "pending");
      if (pending.length > 0) return { done: false, status: pending.map((r) => `v${r.version} pending`).join(", ") };
      return { done: true, value: newer };
    },
    {
      intervalMs: resolveClientSettings().pollIntervalMs,
      timeoutMs: (inputs.releaseTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    },
  );
  const failed = made.filter((r) => r.status !== "succeeded").at(-1);
  if (failed) throw new Error(await failureMessage(failed, Boolean(inputs.releaseImage)));
  const newest = made[0] as Release;
  return plain({
    ...inputs,
    releaseId: newest.id ?? "",
    releaseVersion: newest.version ?? 0,
    releaseStatus: newest.status ?? "succeeded",
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
