/**
 * Images for App Platform: built for linux/amd64 (App Platform runs amd64 only) with `@pulumi/docker`'s `Image`,
 * pushed to the account's container registry (DOCR, `registry.digitalocean.com/<registry>/<repository>`) and
 * deployed by digest (App spec `image.digest`, `registryType: "DOCR"`, `registry` left empty: @pulumi/digitalocean
 * 4.80.1 `AppSpecServiceImage`). A prebuilt image reference is re-pushed through a one-line `FROM` so that the App
 * never pulls from a registry it has no credentials for.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedImage } from "../backend";

export const DOCR_SERVER = "registry.digitalocean.com";
export const APP_PLATFORM_PLATFORM = "linux/amd64";

/** Registry credentials as `ContainerRegistryDockerCredentials.dockerCredentials` gives them: a Docker config JSON. */
export function registryLogin(dockerConfigJson: string): { username: string; password: string } {
  const auths = (JSON.parse(dockerConfigJson) as { auths?: Record<string, { auth?: string }> }).auths ?? {};
  const auth = auths[DOCR_SERVER]?.auth;
  if (!auth) throw new Error(`the DOCR credentials hold no auth for ${DOCR_SERVER}`);
  const decoded = Buffer.from(auth, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function fromContext(): string {
  const content = "# Written by multicloud's DigitalOcean backend: a prebuilt image, re-pushed to DOCR.\nARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n";
  const dir = path.join(os.tmpdir(), "multicloud-digitalocean-images", createHash("sha256").update(content).digest("hex").slice(0, 16));
  const file = path.join(dir, "Dockerfile");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

export interface PushArgs {
  /** `<registry>/<repository>` under registry.digitalocean.com. */
  registry: pulumi.Input<string>;
  repository: string;
  source: ResolvedImage;
  /** Docker config JSON with write access (secret). */
  credentials: pulumi.Output<string>;
}

/** Builds and pushes; returns the `sha256:...` digest the App deploys. */
export function pushImage(name: string, args: PushArgs, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const build: docker.types.input.DockerBuild = { platform: APP_PLATFORM_PLATFORM, builderVersion: "BuilderBuildKit" };
  const source = args.source;
  if (source.kind === "build") {
    Object.assign(build, {
      context: source.context,
      dockerfile: source.dockerfile,
      ...(Object.keys(source.args).length ? { args: source.args } : {}),
      ...(source.target ? { target: source.target } : {}),
    });
  } else {
    const context = fromContext();
    Object.assign(build, { context, dockerfile: path.join(context, "Dockerfile"), args: { BASE_IMAGE: source.ref } });
  }
  const login = args.credentials.apply(registryLogin);
  const image = new docker.Image(
    name,
    {
      imageName: pulumi.interpolate`${DOCR_SERVER}/${args.registry}/${args.repository}`,
      build,
      registry: { server: DOCR_SERVER, username: pulumi.secret(login.username), password: pulumi.secret(login.password) },
    },
    opts,
  );
  return image.repoDigest.apply((ref) => {
    const digest = ref.slice(ref.lastIndexOf("@") + 1);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`expected a pushed image digest, got ${JSON.stringify(ref)}`);
    return digest;
  });
}
