// What the program sends for the Heroku resources: serialized provider text free of secrets and of the Pulumi
// SDK, secret inputs wrapped, and the providers' behaviour on preview values (unknowns).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Addon, AddonAttachment, App, ConfigVars, ContainerRelease, Domain, Formation, LogDrain } from "../../providers/heroku/resources";
import { TRANSPILE_CACHE_FILE, transpileCacheContent } from "../../providers/heroku/resources/providerText";
import { captureDynamicResources } from "../support/captureProvider";
import type { CapturedDynamicResource } from "../support/captureProvider";
import { isSecretValue, unknownValue } from "../support/dynamicHost";
import { captureInputs, startHerokuTestbed } from "../emulators/heroku/testbed";
import type { HerokuTestbed } from "../emulators/heroku/testbed";

const CANARY_KEY = "hk-canary-api-key-5d1e";
const CONFIG_SECRET = "config-canary-value-77a0";
const DRAIN_TOKEN = "drain-canary-token-c3f9";
const digest = `sha256:${"ab".repeat(32)}`;

describe("serialized Heroku providers", () => {
  let captured: CapturedDynamicResource[];
  const savedKey = process.env.HEROKU_API_KEY;

  before(async () => {
    // A key in the program's environment must never end up in the state.
    process.env.HEROKU_API_KEY = CANARY_KEY;
    try {
      captured = await captureDynamicResources(() => {
        const app = new App("shop", { name: "shop-web" });
        new ConfigVars("shop-env", { app: app.id, vars: { SESSION_SECRET: CONFIG_SECRET } });
        new Formation("shop-dynos", { app: app.id, processes: { web: { quantity: 1, size: "basic" } } });
        const addon = new Addon("shop-db", { app: app.id, plan: "heroku-postgresql:essential-0" });
        new AddonAttachment("shop-db-attachment", { addon: addon.id, app: app.id, name: "DATABASE" });
        new Domain("shop-domain", { app: app.id, hostname: "shop.example.com" });
        new LogDrain("shop-logs", { app: app.id, url: `https://logs.example.com/?t=${DRAIN_TOKEN}` });
        new ContainerRelease("shop-release", { app: app.id, images: { web: digest } });
      });
    } finally {
      process.env.HEROKU_API_KEY = savedKey;
    }
  });

  it("registers one dynamic resource per class, with heroku type tokens", () => {
    assert.deepEqual(
      captured.map((c) => c.type).sort(),
      ["Addon", "AddonAttachment", "App", "ConfigVars", "ContainerRelease", "Domain", "Formation", "LogDrain"].map((t) => `pulumi-nodejs:dynamic/heroku:${t}`),
    );
  });

  it("serializes provider code that holds no secret and does not load the Pulumi SDK", () => {
    for (const resource of captured) {
      const text = resource.inputs.__provider;
      assert.equal(typeof text, "string", `${resource.name}: a provider that captured a secret would be wrapped as one`);
      const code = text as string;
      assert.ok(code.includes("exports.handler"), `${resource.name}: provider text`);
      for (const secret of [CANARY_KEY, CONFIG_SECRET, DRAIN_TOKEN]) {
        assert.ok(!code.includes(secret), `${resource.name}: provider text contains a secret`);
      }
      assert.ok(!/require\("@pulumi\/pulumi/.test(code), `${resource.name}: provider text loads the Pulumi SDK`);
      // Only our own modules, by relative path: no package the host would have to resolve, now or at destroy time.
      assert.deepEqual(code.match(/require\("[^.][^"]*"\)/g) ?? [], [], `${resource.name}: provider text requires a package`);
      assert.ok(code.length < 60_000, `${resource.name}: provider text is ${code.length} characters`);
    }
  });

  it("sends config var values and the drain URL as secrets, and a provider version", () => {
    const byName = new Map(captured.map((c) => [c.name, c.inputs]));
    assert.ok(isSecretValue(byName.get("shop-env")?.vars));
    assert.ok(isSecretValue(byName.get("shop-logs")?.url));
    for (const resource of captured) {
      assert.equal(typeof resource.inputs.providerVersion, "string", `${resource.name}: providerVersion`);
      assert.equal(resource.inputs.resourceName, resource.name);
    }
  });
});

describe("Heroku provider text", () => {
  const REPO = path.resolve(__dirname, "..", "..");
  const PROVIDERS = ["app", "addon", "addonAttachment", "configVars", "containerRelease", "domain", "formation", "logDrain"].map(
    (kind) => ({ file: `${kind}Provider`, exportName: `${kind}Provider` }),
  );

  it("is built from a committed transpile cache that matches the sources (else: npm run build:heroku-providers)", () => {
    const committed = fs.readFileSync(path.join(REPO, TRANSPILE_CACHE_FILE), "utf8");
    assert.ok(committed === transpileCacheContent(), `${TRANSPILE_CACHE_FILE} is stale: run npm run build:heroku-providers`);
  });

  it("is the same from another checkout of the same commit, with no machine path in it", () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "other-checkout-"));
    try {
      // The provider modules and the shared wire helpers they import (providers/dynamic).
      for (const dir of ["heroku", "dynamic"]) fs.cpSync(path.join(REPO, "providers", dir), path.join(elsewhere, "providers", dir), { recursive: true });
      fs.symlinkSync(fs.realpathSync(path.join(REPO, "node_modules")), path.join(elsewhere, "node_modules"));
      type Build = (entry: string, exportName: string) => string;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const here = (require(path.join(REPO, "providers/heroku/resources/providerText")) as { providerText: Build }).providerText;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const there = (require(path.join(elsewhere, "providers/heroku/resources/providerText")) as { providerText: Build }).providerText;
      for (const { file, exportName } of PROVIDERS) {
        const entry = `providers/heroku/resources/${file}.ts`;
        const text = here(entry, exportName);
        assert.equal(there(entry, exportName), text, `${file}: the text depends on where the checkout is`);
        for (const machinePath of [REPO, elsewhere, os.tmpdir(), os.homedir()]) {
          assert.ok(!text.includes(machinePath), `${file}: the text contains ${machinePath}`);
        }
      }
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe("Heroku providers at preview (unknown values)", () => {
  let bed: HerokuTestbed;
  before(async () => {
    bed = await startHerokuTestbed();
  });
  after(async () => {
    await bed?.close();
  });

  it("does not fail checks on values not known yet", async () => {
    const addon = await captureInputs(() => new Addon("db", { app: "x", plan: "heroku-postgresql:essential-0" }));
    const result = await bed.host.check({}, { ...addon, app: unknownValue, plan: unknownValue });
    assert.deepEqual(result.failures, []);
    const vars = await captureInputs(() => new ConfigVars("env", { app: "x", vars: { A: "1" } }));
    assert.deepEqual((await bed.host.check({}, { ...vars, vars: unknownValue })).failures, []);
  });

  it("treats unknown values as changes, and unknown replace-triggers as replacements", async () => {
    const app = await bed.host.check({}, await captureInputs(() => new App("a", { name: "preview-app" })));
    const olds = { ...app.inputs, name: "preview-app", webUrl: "https://preview-app.herokuapp.com/" };
    const diff = await bed.host.diff("id", olds, { ...app.inputs, region: unknownValue });
    assert.deepEqual(diff.replaces, ["region"]);

    const release = await bed.host.check({}, await captureInputs(() => new ContainerRelease("r", { app: "x", images: { web: digest } })));
    const releaseOlds = { ...release.inputs, releaseStatus: "succeeded" };
    const releaseDiff = await bed.host.diff("x", releaseOlds, { ...release.inputs, images: { web: unknownValue } });
    assert.equal(releaseDiff.changes, true);
    assert.deepEqual(releaseDiff.replaces, []);
  });
});
