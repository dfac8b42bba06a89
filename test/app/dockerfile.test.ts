/**
 * The Dockerfiles `pulumi up` builds for another CPU than the machine's (linux/arm64 for Fargate from an x86 laptop or
 * CI runner, linux/amd64 for Heroku from an Apple Silicon Mac): every RUN that executes the target's binaries needs
 * QEMU (binfmt_misc) on the build machine, and fails without it ("exec format error"). So the dependency stages run on
 * the build machine's own platform (`FROM --platform=$BUILDPLATFORM`), which is sound only while the dependencies
 * are platform-independent (no install scripts, no native addons), and the final stage runs nothing.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const REPO = path.join(__dirname, "..", "..");

interface Stage {
  from: string;
  /** The `--platform=` flag of the FROM line, if any. */
  platform?: string;
  runs: string[];
}

/** The stages of a Dockerfile: FROM lines and the RUN instructions under each (continuation lines joined). */
function stages(file: string): Stage[] {
  const text = fs.readFileSync(file, "utf8").replace(/\\\r?\n/g, " ");
  const result: Stage[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [instruction, ...rest] = line.split(/\s+/);
    if (instruction!.toUpperCase() === "FROM") {
      const platform = rest.find((r) => r.startsWith("--platform="))?.slice("--platform=".length);
      result.push({ from: rest.filter((r) => !r.startsWith("--")).join(" "), ...(platform ? { platform } : {}), runs: [] });
    } else if (instruction!.toUpperCase() === "RUN") {
      result.at(-1)!.runs.push(rest.join(" "));
    }
  }
  return result;
}

/** Packages in an npm lockfile that run install scripts (native addons, downloads): those are platform-specific. */
function packagesWithInstallScripts(lockfile: string): string[] {
  const lock = JSON.parse(fs.readFileSync(lockfile, "utf8")) as { packages: Record<string, { hasInstallScript?: boolean; os?: string[]; cpu?: string[] }> };
  return Object.entries(lock.packages)
    .filter(([, p]) => p.hasInstallScript || p.os || p.cpu)
    .map(([name]) => name);
}

for (const [what, dir] of [
  ["the sample app's image (built for linux/arm64 on Fargate)", "app"],
  ["the Heroku clock's image (built for linux/amd64)", "providers/heroku/clock"],
] as const) {
  describe(what, () => {
    const dockerfile = path.join(REPO, dir, "Dockerfile");

    it("installs its dependencies on the build machine's platform, not under emulation", () => {
      const all = stages(dockerfile);
      const installing = all.filter((s) => s.runs.some((r) => /\bnpm (ci|install)\b/.test(r)));
      assert.ok(installing.length > 0, "some stage installs the dependencies");
      for (const stage of installing) assert.equal(stage.platform, "$BUILDPLATFORM", `the stage FROM ${stage.from} runs npm on the target platform`);
    });

    it("runs nothing in the final (target-platform) stage", () => {
      const final = stages(dockerfile).at(-1)!;
      assert.equal(final.platform, undefined, "the final stage is the target platform's");
      assert.deepEqual(final.runs, [], "a RUN here would execute target-platform binaries (QEMU needed on the build machine)");
    });

    it("has only platform-independent dependencies, which is what makes installing them on the build platform sound", () => {
      assert.deepEqual(packagesWithInstallScripts(path.join(REPO, dir, "package-lock.json")), []);
    });
  });
}
