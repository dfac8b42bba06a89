/**
 * How `pulumi up` runs this program on a user's machine: the engine's Node host reads Pulumi.yaml and tsconfig.json
 * with the SDK's own code, and type-checks only when `noCheck` is unset. We type-check in `npm test` instead, so a
 * deploy starts without paying for it (pulumi/pulumi#2874).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";

const REPO = path.resolve(__dirname, "..");

describe("deploy-time settings", () => {
  it("runs the program transpile-only: Pulumi's own tsconfig reader sees noCheck", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tsutils = require("@pulumi/pulumi/tsutils") as { loadTypeScriptCompilerOptions(file: string): Record<string, unknown> };
    const options = tsutils.loadTypeScriptCompilerOptions(path.join(REPO, "tsconfig.json"));
    assert.equal(options.noCheck, true);
    assert.equal(options.strict, true, "the same file carries the strict settings npm test checks with");
  });

  it("type-checks in npm test, turning noCheck off", () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts.typecheck!, /tsc -p tsconfig\.json --noCheck false/);
    assert.match(scripts.test!, /npm run typecheck/);
  });

  it("names the project multicloud and index.ts as its program, on the Node.js runtime with TypeScript", () => {
    const project = parse(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")) as {
      name: string;
      main: string;
      runtime: { name: string; options: { typescript: boolean } };
    };
    assert.equal(project.name, "multicloud");
    assert.equal(project.main, "index.ts");
    assert.deepEqual([project.runtime.name, project.runtime.options.typescript], ["nodejs", true]);
  });
});
