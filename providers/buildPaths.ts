/**
 * Build paths as `docker.Image` receives them: relative to the project directory, with `/` separators.
 *
 * Why: pulumi-docker diffs an image on its inputs (old `__inputs` against new: `provider/provider.go` Diff), and an
 * absolute path names the checkout. The same commit deployed from another clone, another CI runner's workspace or
 * another developer's machine would rebuild every image, re-run every release task and roll every service.
 *
 * Relative paths work because pulumi-docker resolves them against its working directory, which is the project's:
 * "a path relative to the Pulumi.yaml's location" (pulumi-docker v4.0.1 release notes, PR #542; `Check` stats the
 * Dockerfile relative to it). The program runs there too (`main: index.ts` sits at the project root; the offline
 * plan changes into the project directory before running it). The context's content is hashed into the diff by
 * the provider itself (`contextDigest`, over paths relative to the context), so a changed source still rebuilds.
 */
import * as path from "node:path";

/**
 * `file` relative to `projectDir`, `/`-separated (`"."` for the directory itself). A path already relative is taken
 * as relative to the project directory and only normalised. On Windows, a path on another drive than the project
 * stays absolute: there is no relative form.
 */
export function projectRelative(projectDir: string, file: string): string {
  const absolute = path.resolve(projectDir, file);
  const relative = path.relative(projectDir, absolute);
  if (path.isAbsolute(relative)) return absolute;
  return relative === "" ? "." : relative.split(path.sep).join("/");
}
