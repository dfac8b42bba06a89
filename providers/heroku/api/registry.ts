// Heroku's container registry (registry.heroku.com): reading the manifest of a pushed image, to release it by
// the id Heroku wants. Like the rest of the client, it runs inside the dynamic-provider host after
// serialization: plain functions, the API key read at call time, never captured.
//
// Why: the formation PATCH (`docker_image`) takes the image id, which is the digest of the image's config
// blob (`docker inspect --format={{.Id}}`), not the manifest digest a push reports (`docker.Image.repoDigest`).
// The Heroku CLI's container:release reads it from the registry: GET /v2/<app>/<type>/manifests/<reference>
// with Accept: application/vnd.docker.distribution.manifest.v2+json and basic auth ":<api key>", then takes
// `config.digest` of a schema-2 manifest (heroku/cli src/commands/container/release.ts, lines 48-77).
import { isDroppedConnection, isRetryableStatus, parseRetryAfterMs, retryDelayMs, sleep } from "./retry";
import { resolveClientSettings } from "./settings";

/** Manifest media types: Docker Image Manifest V2 Schema 2 (the only one Heroku runs), and the others. */
export const MEDIA_TYPES = {
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
} as const;

const DEFAULT_REGISTRY_URL = "https://registry.heroku.com";

/** The registry's root, without trailing slash: `HEROKU_REGISTRY_URL`, default https://registry.heroku.com. */
export function registryBaseUrl(): string {
  return (process.env.HEROKU_REGISTRY_URL?.trim() || DEFAULT_REGISTRY_URL).replace(/\/+$/, "");
}

/** What the registry holds for one pushed image. */
export interface ImageManifest {
  /** The manifest's media type (`mediaType` field, else the Content-Type answered). */
  mediaType: string;
  /** `config.digest`: the image id, for a single-image manifest; undefined for a list or index. */
  configDigest?: string;
}

/** The name the program pushed, for messages: `registry.heroku.com/<app>/<type>@sha256:...`. */
export function imageReference(appName: string, processType: string, reference: string): string {
  return `registry.heroku.com/${appName}/${processType}${reference.startsWith("sha256:") ? "@" : ":"}${reference}`;
}

/**
 * Reads the manifest of `registry.heroku.com/<appName>/<processType>` at `reference` (a manifest digest or a
 * tag). Accepts the Docker schema-2 type first and the OCI types too, so that an OCI image is answered as what
 * it is rather than as "unknown" (the distribution registry answers 404 to a client that does not list the
 * stored OCI type). Retries 429, 5xx and dropped connections like the API client.
 */
export async function readImageManifest(appName: string, processType: string, reference: string): Promise<ImageManifest> {
  const settings = resolveClientSettings();
  // A digest's ":" stays as is (the reference grammar of the distribution API); names and types are path-safe.
  const url = `${registryBaseUrl()}/v2/${encodeURIComponent(appName)}/${encodeURIComponent(processType)}/manifests/${reference}`;
  const headers = {
    Accept: [MEDIA_TYPES.dockerManifest, MEDIA_TYPES.dockerManifestList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.ociIndex].join(", "),
    // As the Heroku CLI: an empty user and the API key as password (`docker login` sends user `_`).
    Authorization: `Basic ${Buffer.from(`:${settings.apiKey}`).toString("base64")}`,
    "User-Agent": "multicloud-pulumi-heroku",
  };
  const name = imageReference(appName, processType, reference);
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(settings.requestTimeoutMs) });
      text = await response.text();
    } catch (error) {
      if (!isDroppedConnection(error) || attempt >= settings.maxAttempts) {
        throw new Error(`could not read the manifest of ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      await sleep(retryDelayMs({ attempt, baseMs: settings.retryBaseDelayMs, maxMs: settings.retryMaxDelayMs }));
      continue;
    }
    if (response.ok) return parseManifest(text, response.headers.get("Content-Type"), name);
    if (isRetryableStatus(response.status) && attempt < settings.maxAttempts) {
      const retryAfterMs = parseRetryAfterMs(response.headers.get("Retry-After"));
      await sleep(retryDelayMs({ attempt, baseMs: settings.retryBaseDelayMs, maxMs: settings.retryMaxDelayMs, retryAfterMs }));
      continue;
    }
    throw new Error(registryFailure(response.status, text, name));
  }
}

function registryFailure(status: number, text: string, name: string): string {
  let detail = text.trim().slice(0, 200);
  try {
    const first = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors?.[0];
    if (first) detail = `${first.code ?? ""}: ${first.message ?? ""}`;
  } catch {
    // not the registry's JSON error body
  }
  if (status === 404) {
    return `the image ${name} is not in the registry (${detail}); it must be pushed before it is released`;
  }
  if (status === 401 || status === 403) {
    return `the registry refused the Heroku API key for ${name} (${status} ${detail})`;
  }
  return `reading the manifest of ${name} failed: ${status} ${detail}`;
}

function parseManifest(text: string, contentType: string | null, name: string): ImageManifest {
  let parsed: { mediaType?: unknown; config?: { digest?: unknown } };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new Error(`the registry answered something that is not a manifest for ${name}`);
  }
  const mediaType = typeof parsed.mediaType === "string" ? parsed.mediaType : (contentType ?? "").split(";")[0]?.trim() ?? "";
  const configDigest = typeof parsed.config?.digest === "string" ? parsed.config.digest : undefined;
  return { mediaType, ...(configDigest ? { configDigest } : {}) };
}

/**
 * The image id to release, or an error saying why this image cannot run on Heroku. Heroku's registry and
 * runtime take only Docker Image Manifest V2 Schema 2 (Dev Center, "Container Registry & Runtime"); Docker's
 * containerd image store pushes OCI manifests and indexes instead (heroku/cli#3222), which Heroku rejects.
 */
export function releasableImageId(manifest: ImageManifest, name: string): string {
  if (manifest.mediaType === MEDIA_TYPES.dockerManifest && manifest.configDigest) return manifest.configDigest;
  if (manifest.mediaType === MEDIA_TYPES.ociManifest || manifest.mediaType === MEDIA_TYPES.ociIndex) {
    throw new Error(
      `${name} was pushed as ${manifest.mediaType}, which Heroku cannot run: Heroku takes only Docker V2 schema-2 ` +
        "manifests (application/vnd.docker.distribution.manifest.v2+json). Docker's containerd image store pushes " +
        "OCI manifests: turn it off where `pulumi up` runs, then run `pulumi up` again (the image is rebuilt and " +
        'pushed). Docker Desktop: Settings > General > "Use containerd for pulling and storing images" off. ' +
        'Docker Engine: "features": {"containerd-snapshotter": false} in /etc/docker/daemon.json, then restart ' +
        "dockerd.",
    );
  }
  throw new Error(
    `${name} was pushed as ${manifest.mediaType || "an unknown manifest type"}, which Heroku cannot run: push one ` +
      "linux/amd64 image with a Docker V2 schema-2 manifest (application/vnd.docker.distribution.manifest.v2+json)",
  );
}
