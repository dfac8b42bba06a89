/**
 * The same commit planned from two checkouts at different paths gives the same `docker.Image` inputs. pulumi-docker
 * diffs an image on its inputs (old `__inputs` against new, `provider/provider.go` Diff), so a path that names the
 * checkout (`/home/a/src/app` vs `/builds/123/app`) rebuilds every image, re-runs the release task and rolls every
 * service on a `pulumi up` that changes nothing. Build paths go in relative to the project directory, where Pulumi
 * runs the program and the docker provider resolves them.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { projectRelative } from "../../providers/buildPaths";
import { planProgram, revealSecrets, type PlanResult } from "../../scripts/plan/run";

const REPO = path.join(__dirname, "..", "..");
const IMAGE = "docker:index/image:Image";
/** What the program is made of: the copy needs nothing else (tests, benchmarks and git stay behind). */
const PROGRAM = ["index.ts", "Pulumi.yaml", "Pulumi.staging.yaml", "Pulumi.prod.yaml", "tsconfig.json", "package.json", "app", "components", "providers", "stacks"];

/** A copy of the project at `dir` (with the real node_modules linked in), as another checkout of the same commit. */
function checkout(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of PROGRAM) fs.cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
  fs.symlinkSync(fs.realpathSync(path.join(REPO, "node_modules")), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** Every docker.Image's name and inputs, secrets revealed (the registry password differs by nothing here). */
function imageInputs(plan: PlanResult): [string, unknown][] {
  assert.equal(plan.error, undefined, plan.error?.message);
  const images = plan.resources.filter((r) => r.type === IMAGE);
  assert.ok(images.length > 0, "the plan builds images");
  return images.map((r) => [r.name, revealSecrets(r.inputs)]);
}

describe("docker.Image inputs do not depend on where the project is checked out", () => {
  let root: string;
  let a: string;
  let b: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "multicloud-checkouts-"));
    a = checkout(path.join(root, "alice", "multicloud"));
    b = checkout(path.join(root, "ci", "builds", "4711", "src"));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("from either checkout: the same images, contexts and Dockerfiles, none naming the checkout (AWS and Heroku)", async () => {
    // The web service on AWS, the cron job on Heroku: its own image build there, and the clock's.
    const config = { "multicloud:cronJobs": JSON.stringify({ cleanup: { backend: "heroku" } }) };
    const fromA = imageInputs(await planProgram({ dir: a, stack: "staging", config }));
    const fromB = imageInputs(await planProgram({ dir: b, stack: "staging", config }));
    assert.deepEqual(fromB, fromA);
    const text = JSON.stringify(fromA);
    assert.ok(!text.includes(root), `an input names the checkout: ${text}`);
    const build = (name: string) => (fromA.find(([n]) => n === name)?.[1] as { build: { context: string; dockerfile: string } } | undefined)?.build;
    // Relative to the project directory, where Pulumi runs the program and the docker provider.
    assert.deepEqual([build("web-image")?.context, build("web-image")?.dockerfile], ["app", "app/Dockerfile"]);
    assert.deepEqual([build("cleanup-image")?.context, build("cleanup-image")?.dockerfile], ["app", "app/Dockerfile"]);
    assert.deepEqual([build("heroku-clock-image")?.context, build("heroku-clock-image")?.dockerfile], ["providers/heroku/clock", "providers/heroku/clock/Dockerfile"]);
  });
});

describe("projectRelative", () => {
  it("gives a path relative to the project directory, / separated, '.' for the directory itself", () => {
    assert.equal(projectRelative("/srv/shop", "/srv/shop/app"), "app");
    assert.equal(projectRelative("/srv/shop", "/srv/shop/app/Dockerfile.prod"), "app/Dockerfile.prod");
    assert.equal(projectRelative("/srv/shop", "/srv/shop"), ".");
    assert.equal(projectRelative("/srv/shop", "/srv/shared/base"), "../shared/base");
    // Already relative: taken as relative to the project directory, normalised.
    assert.equal(projectRelative("/srv/shop", "./app/"), "app");
  });
});
