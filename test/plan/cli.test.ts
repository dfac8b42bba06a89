// `npm run plan` as a person or a CI job runs it: scripts/plan.ts under tsx in a child process from the repo root,
// on the fixture projects. `node --import tsx` is what `npx tsx` does, minus npm's start-up and tsx's extra
// process. Every run starts at once (each one is mostly Node and SDK start-up) and is awaited in `before`.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { before, describe, it } from "node:test";

const ROOT = path.resolve(__dirname, "..", "..");
const MOVED = "test/fixtures/moved";

/** Values in the fixture's stack files that must never be printed. */
const SECRETS = [
  // `secure:` ciphertexts of staging and prod, and their common base64 prefix.
  "v1:Z2VuZ2FyLXNlc3Npb24tc2VjcmV0LWNpcGhlcnRleHQtZml4dHVyZQ==",
  "v1:Z2VuZ2FyLXByb2Qtc2Vzc2lvbi1jaXBoZXJ0ZXh0",
  "v1:Z2VuZ2FyLXByb2Qtc3RyaXBlLWNpcGhlcnRleHQ=",
  "v1:Z2VuZ2FyLXN0YWdpbmctc3RyaXBlLWNpcGhlcnRleHQ=",
  "Z2VuZ2Fy",
  // The value test/core/plan.test.ts gives the program as a secret (a plain-text secret in a stack file is refused).
  "sk_test_fixture_known_plaintext_4eC39HqLyjWDarjtT1zdp7dc",
  // Link URLs: secrets made by the backends.
  "postgres://app@",
  "rediss://",
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function plan(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "scripts/plan.ts", ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function assertNoSecret(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `printed a secret (${secret})`);
}

void describe("scripts/plan.ts", () => {
  const runs: Record<"json" | "text" | "bad" | "noStack" | "unknownStack", Run> = {} as never;
  before(async () => {
    const [json, text, bad, noStack, unknownStack] = await Promise.all([
      plan("--stack", "staging", "--dir", MOVED, "--json"),
      plan("-s", "prod", "-C", MOVED),
      plan("--stack", "staging", "--dir", "test/fixtures/bad/missing-secret"),
      plan("--dir", MOVED),
      plan("--stack", "qa", "--dir", MOVED),
    ]);
    Object.assign(runs, { json, text, bad, noStack, unknownStack });
  });

  void it("--json prints {stack, components, resources, warnings} and exits 0", () => {
    const { code, stdout, stderr } = runs.json;
    assert.equal(code, 0, stderr);
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), ["stack", "components", "resources", "warnings"]);
    assert.equal(doc.stack, "staging");
    assert.deepEqual(doc.components, [
      { name: "db", kind: "Database", backend: "cloud" },
      { name: "cache", kind: "Cache", backend: "cloud" },
      { name: "api", kind: "WebService", backend: "cloud" },
      { name: "digest", kind: "CronJob", backend: "cloud" },
    ]);
    const resources = doc.resources as Record<string, unknown>[];
    const urns = new Set<unknown>();
    for (const r of resources) {
      assert.deepEqual(Object.keys(r), ["urn", "type", "name", "parent", "inputs"]);
      assert.match(String(r.urn), /^urn:pulumi:staging::multicloud::/);
      assert.ok(r.parent === null || urns.has(r.parent), `${String(r.urn)}: its parent comes first`);
      urns.add(r.urn);
    }
    assert.equal(resources.length, 10);
    const service = resources.find((r) => r.type === "fakecloud:index:Service")!;
    assert.equal((service.inputs as Record<string, unknown>).secretEnv, "[secret]");
    const warnings = doc.warnings as string[];
    assert.equal(warnings.length, 2);
    assert.ok(warnings[0]!.includes("the paas copy is kept") && warnings[0]!.includes("pg_dump"), warnings[0]);
  });

  void it("counts `secure:` secrets as present and never prints a secret, in JSON or text", () => {
    for (const run of [runs.json, runs.text]) {
      assert.equal(run.code, 0, run.stderr);
      assertNoSecret(run.stdout);
      assertNoSecret(run.stderr);
    }
    assert.ok(runs.text.stdout.includes("[secret]"), "the masked secrets are shown as masked");
  });

  void it("prints a tree per part, with moves, protection and warnings", () => {
    const text = runs.text.stdout;
    assert.ok(text.startsWith(`Plan for stack "prod" of project "multicloud"`), text);
    assert.ok(text.includes(`Database "db" on cloud (moved from paas, kept): 2 resource(s)`), text);
    assert.ok(text.includes("+ fakecloud:index:Database  db [protected, retained on delete]"), text);
    assert.ok(text.includes("+ fakepaas:index:Database  db [protected, retained on delete, frozen: never updated]"), text);
    assert.ok(text.includes(`Cache "cache" on cloud: 1 resource(s)`), text);
    assert.ok(/\+ fakecloud:index:Service {2}api\n/.test(text), `a service is neither protected nor retained: ${text}`);
    assert.ok(text.includes("5 resource(s) to create in 4 part(s)."), text);
    assert.ok(text.includes("Warnings:\n  ! databases.db is moving from paas to cloud"), text);
    assert.ok(!text.includes("caches.cache is moving"), text);
  });

  void it("exits 1 on bad config, printing the key path and the fix on stderr", () => {
    const { code, stdout, stderr } = runs.bad;
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.ok(stderr.includes("multicloud:JWT_SECRET"), stderr);
    assert.ok(stderr.includes("pulumi config set --secret JWT_SECRET <value> -s staging"), stderr);
  });

  void it("exits 2 with the usage when --stack is missing", () => {
    const { code, stderr } = runs.noStack;
    assert.equal(code, 2);
    assert.ok(stderr.includes("--stack is required"), stderr);
    assert.ok(stderr.includes("usage: npm run plan -- --stack <name>"), stderr);
  });

  void it("exits 1 on an unknown stack, listing the stacks there are", () => {
    const { code, stderr } = runs.unknownStack;
    assert.equal(code, 1);
    assert.ok(stderr.includes(`no stack "qa"`), stderr);
    assert.ok(stderr.includes("stacks here: prod, staging"), stderr);
  });
});
