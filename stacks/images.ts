/**
 * Build contexts and Dockerfiles must exist when the program runs: otherwise the plan shows an image that
 * `pulumi up` can only fail to build, late, in the Docker build. Paths follow `components/spec.ts`: the context is
 * relative to the project directory, the Dockerfile to the context.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ImageSpec } from "../components/spec";
import type { Problem } from "../providers/backend";

type Build = Extract<ImageSpec, { build: unknown }>["build"];

function kindOf(file: string): "directory" | "file" | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isDirectory() ? "directory" : stat.isFile() ? "file" : undefined;
  } catch {
    return undefined;
  }
}

/** Problems of one build: `at` is its declaration path (`app.services.web.image.build`). */
export function buildProblems(build: Build, at: string, projectDir: string): Problem[] {
  const context = path.resolve(projectDir, build.context);
  if (kindOf(context) !== "directory") {
    return [{ path: `${at}.context`, message: `${JSON.stringify(build.context)} is not a directory: ${context} ${kindOf(context) ? "is a file" : "does not exist"} (a build context is relative to the project directory, ${projectDir})` }];
  }
  const dockerfile = path.resolve(context, build.dockerfile ?? "Dockerfile");
  if (kindOf(dockerfile) !== "file") {
    const found = fs.readdirSync(context).filter((f) => /dockerfile|containerfile/i.test(f));
    return [{
      path: `${at}.dockerfile`,
      message: `no Dockerfile at ${dockerfile}${build.dockerfile === undefined ? " (the default, \"Dockerfile\" in the context)" : " (relative to the context)"}` +
        (found.length ? `; in the context: ${found.join(", ")}` : ""),
    }];
  }
  return [];
}
