/**
 * What `docker.Image` reports for a pushed image, checked before a task definition or a release uses it.
 *
 * pulumi-docker takes `repoDigest` from the digest the registry returned on push; when the push reported none, it
 * falls back to the local image's `RepoDigests` for the repository, and when those have none either it reports the
 * placeholder `<none>@<none>` instead of failing (pulumi/pulumi-docker `provider/image.go`, `nodigest` and
 * `getRepoDigest`; the issue the project tracks as pulumi/pulumi-docker#1015). Handed to ECS or Heroku as is, that
 * is an image no task or dyno can pull, found out only when the new version fails to start. There is no correct
 * fallback (the moving `latest` tag would not change the task definition, so nothing would roll out), so the deploy
 * stops here, naming the image and what to check.
 */

/** `<repository>@sha256:<64 hex>`: the only form of a pushed image's digest reference we deploy. */
const REPO_DIGEST = /^[^\s@]+@sha256:[0-9a-f]{64}$/;

/**
 * The repo digest of a pushed image, or an error naming the `docker.Image` resource and the value it reported.
 * @param image the `docker.Image` resource's name, for the message
 * @param repoDigest its `repoDigest` output
 */
export function pushedRepoDigest(image: string, repoDigest: string | undefined): string {
  if (repoDigest && REPO_DIGEST.test(repoDigest)) return repoDigest;
  throw new Error(
    `${image}: the image was built and pushed, but Docker reported no digest for it (repoDigest ${JSON.stringify(repoDigest ?? null)}, ` +
      `expected <repository>@sha256:<64 hex>), so nothing was deployed with it. pulumi-docker reports "<none>@<none>" when ` +
      `the push response carried no digest and the local image lists none for the repository (\`docker image inspect ` +
      `--format '{{json .RepoDigests}}' <image>\` on the machine running \`pulumi up\`). Run \`pulumi up\` again; if it ` +
      `persists, update Docker Engine and @pulumi/docker.`,
  );
}
