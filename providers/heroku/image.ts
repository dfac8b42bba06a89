/**
 * Container images for Heroku: built (or re-based from a prebuilt reference) with `@pulumi/docker`'s `Image` and
 * pushed to `registry.heroku.com/<app>/<process type>`, then released (`ContainerRelease`, given the pushed
 * manifest digest; at release time it reads that manifest from the registry and releases its image id, the
 * config digest, as the Heroku CLI's container:release does).
 *
 * Why `docker.Image` builds images Heroku accepts: Heroku's registry takes only Docker v2 schema-2 manifests
 * (`application/vnd.docker.distribution.manifest.v2+json`), for linux/amd64, not OCI manifests or indexes.
 * `docker.Image` (provider 4.x/5.x) does not run the buildx CLI: it sends the build to the Docker Engine API with
 * BuildKit (`builderVersion: BuilderBuildKit`) and pushes through the daemon. No provenance or SBOM attestations
 * are attached (buildx adds those, the Engine API does not), `platform: linux/amd64` gives a single-platform
 * image, and a daemon with the classic image store pushes it with a schema-2 manifest, converting OCI base
 * images too. The one thing the program cannot control is the daemon's image store: Docker's containerd image
 * store (the default of fresh Docker Desktop and Docker Engine 29 installs) pushes OCI manifests, which Heroku
 * rejects with "unsupported" (heroku/cli#3222): the machine running `pulumi up` must use the classic store
 * (Docker Desktop: Settings > General > "Use containerd for pulling and storing images" off; Docker Engine:
 * `"features": {"containerd-snapshotter": false}` in daemon.json). `docker.Image` has no option that would
 * choose the pushed manifest format regardless (its build options are context, dockerfile, args, target,
 * platform, builderVersion, cacheFrom, network, addHosts: pulumi-docker provider/image.go builds with the Engine
 * API's ImageBuild and pushes with ImagePush; no buildx `--output`, `--provenance`), so this is checked where it
 * can be: `ContainerRelease` reads the pushed manifest's media type and refuses an OCI one, naming the setting,
 * before anything is released.
 *
 * Commands: a process's command is its image's CMD (the Platform API cannot set one), so a web command override
 * and the release command are tiny derived images, `FROM <image>` + `CMD [...]`, built from a Dockerfile this
 * module writes once per command (content-addressed) under the OS temp directory.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedImage } from "../backend";
import { projectRelative } from "../buildPaths";
import { pushedRepoDigest } from "../pushedImage";

export const HEROKU_REGISTRY = "registry.heroku.com";
/** Heroku dynos run linux/amd64. */
export const HEROKU_PLATFORM = "linux/amd64";
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** What to push. */
export type ImageSource =
  | ResolvedImage
  /** `FROM base` (a pushed digest reference or a prebuilt image), with `command` as CMD when given. */
  | { kind: "derived"; base: pulumi.Input<string>; command?: string[] };

export interface PushArgs {
  /** The Heroku app's name (the registry path uses names, not ids). */
  appName: pulumi.Input<string>;
  /** The registry path's last part: the process type the image is for (`web`, `release`, `job`, `clock`...). */
  processType: string;
  source: ImageSource;
  /** The Heroku API key: the registry password (user `_`). Secret. */
  apiKey: pulumi.Output<string>;
  /** The project directory: build paths are passed relative to it, never naming the checkout (see ../buildPaths.ts). */
  projectDir: string;
}

export interface PushedImage {
  image: docker.Image;
  /** `registry.heroku.com/<app>/<type>@sha256:...`: to build `FROM`. */
  repoDigest: pulumi.Output<string>;
  /** `sha256:...`: the pushed manifest's digest, what `ContainerRelease` takes (not the image id Heroku releases). */
  digest: pulumi.Output<string>;
}

/** `repo@sha256:...` -> `sha256:...`; throws on anything else (a build that was not pushed). */
export function digestOf(repoDigest: string): string {
  const digest = repoDigest.slice(repoDigest.lastIndexOf("@") + 1);
  if (!DIGEST.test(digest)) {
    throw new Error(`expected a pushed image digest (repository@sha256:<64 hex>), got ${JSON.stringify(repoDigest)}`);
  }
  return digest;
}

/** The Dockerfile of a derived image: a base given as a build argument, and the command as CMD. */
export function derivedDockerfile(command?: string[]): string {
  return [
    "# Written by multicloud's Heroku backend: an image as is, or with a process command (Heroku runs the CMD).",
    "ARG BASE_IMAGE",
    "FROM ${BASE_IMAGE}",
    ...(command ? [`CMD ${JSON.stringify(command)}`] : []),
    "",
  ].join("\n");
}

/** Writes a derived image's Dockerfile (once per content) and returns its directory: the build context. */
export function derivedContext(command?: string[]): string {
  const content = derivedDockerfile(command);
  const dir = path.join(os.tmpdir(), "multicloud-heroku-images", createHash("sha256").update(content).digest("hex").slice(0, 16));
  const file = path.join(dir, "Dockerfile");
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== content) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

/** Builds the image and pushes it to `registry.heroku.com/<app>/<processType>`. */
export function pushImage(name: string, args: PushArgs, opts: pulumi.CustomResourceOptions): PushedImage {
  const build: docker.types.input.DockerBuild = { platform: HEROKU_PLATFORM, builderVersion: "BuilderBuildKit" };
  const source = args.source;
  if (source.kind === "build") {
    Object.assign(build, {
      context: projectRelative(args.projectDir, source.context),
      dockerfile: projectRelative(args.projectDir, source.dockerfile),
      ...(Object.keys(source.args).length ? { args: source.args } : {}),
      ...(source.target ? { target: source.target } : {}),
    });
  } else {
    const base = source.kind === "ref" ? source.ref : source.base;
    const command = source.kind === "derived" ? source.command : undefined;
    // An absolute path, but one that names no checkout: the OS temp directory and the Dockerfile's content hash.
    const context = derivedContext(command);
    Object.assign(build, { context, dockerfile: path.join(context, "Dockerfile"), args: { BASE_IMAGE: base } });
  }
  const image = new docker.Image(
    name,
    {
      imageName: pulumi.interpolate`${HEROKU_REGISTRY}/${args.appName}/${args.processType}`,
      build,
      registry: { server: HEROKU_REGISTRY, username: "_", password: args.apiKey },
    },
    opts,
  );
  // Checked: a placeholder digest (`<none>@<none>`) must fail the deploy, never reach a release or a derived image.
  const repoDigest = image.repoDigest.apply((reported) => pushedRepoDigest(name, reported));
  return { image, repoDigest, digest: repoDigest.apply(digestOf) };
}
