// The offline plan's reading of Pulumi.<stack>.yaml: a YAML error names the file, and `secure:` values count as
// secret keys (the plan then refuses only plain-text UPPER_CASE keys).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { loadStack } from "../../scripts/plan/stackConfig";

const made: string[] = [];
after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function project(stackYaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "multicloud-stack-"));
  made.push(dir);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), stackYaml);
  return dir;
}

void describe("loadStack", () => {
  void it("names the stack file (and the line) of a YAML error", () => {
    const dir = project("config:\n  multicloud:backend: aws\n   multicloud:tier: production\n");
    assert.throws(() => loadStack(dir, "staging"), (error: Error) => {
      assert.ok(error.message.includes(path.join(dir, "Pulumi.staging.yaml")), error.message);
      assert.match(error.message, /is not valid YAML: .*line \d+/s);
      return true;
    });
  });

  void it("marks `secure:` keys secret, and plain ones not", () => {
    const dir = project("config:\n  multicloud:SESSION_SECRET:\n    secure: v1:abc\n  multicloud:API_KEY: plain\n");
    const stack = loadStack(dir, "staging");
    assert.deepEqual(stack.secretKeys, ["multicloud:SESSION_SECRET"]);
    assert.equal(stack.config["multicloud:API_KEY"], "plain");
  });
});
