// `App` through the SDK's dynamic-provider host, from the provider text the program serializes, against the
// Heroku emulator: create, diff, update (rename), replace decisions, read, delete, faults and partial state.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { App } from "../../providers/heroku/resources";
import type { ConfigureRequest } from "@pulumi/pulumi/dynamic";
import { configureFromStackConfig } from "../../providers/heroku/resources/common";
import { TEST_HEROKU_API_KEY } from "../emulators/heroku";
import { captureInputs, checkedInputs, createExpectingPartialState, startHerokuTestbed, useHerokuTestbed } from "../emulators/heroku/testbed";
import type { HerokuTestbed } from "../emulators/heroku/testbed";

const bed = useHerokuTestbed();

function checked(declare: () => void, on: HerokuTestbed = bed): Promise<Record<string, unknown>> {
  return checkedInputs(on, declare);
}

describe("heroku App", () => {
  it("creates an app with the container stack by default and outputs its UUID, name and web URL", async () => {
    const inputs = await checked(() => new App("shop-web", { name: "shop-web", region: "eu" }));
    const { id, outs } = await bed.host.create(inputs);
    const app = bed.heroku.state.appNamed("shop-web");
    assert.equal(id, app.app.id);
    assert.equal(app.app.region?.name, "eu");
    assert.equal(app.app.stack?.name, "container");
    assert.equal(outs.name, "shop-web");
    assert.equal(outs.webUrl, app.app.web_url);
    assert.equal(outs.stack, "container");
    assert.equal(typeof outs.__provider, "string");
  });

  it("renames in place, and replaces on region, stack or team changes", async () => {
    const inputs = await checked(() => new App("rename-me", { name: "rename-me" }));
    const { id, outs } = await bed.host.create(inputs);

    assert.equal((await bed.host.diff(id, outs, inputs)).changes, false);

    const renamed = await checked(() => new App("rename-me", { name: "renamed-app" }));
    const renameDiff = await bed.host.diff(id, outs, renamed);
    assert.equal(renameDiff.changes, true);
    assert.deepEqual(renameDiff.replaces, []);
    const updated = await bed.host.update(id, outs, renamed);
    assert.equal(updated.outs.name, "renamed-app");
    assert.equal(bed.heroku.state.findApp(id)?.app.name, "renamed-app");
    assert.equal(updated.outs.webUrl, bed.heroku.state.findApp(id)?.app.web_url);

    const moved = await checked(() => new App("rename-me", { name: "renamed-app", region: "eu" }));
    const moveDiff = await bed.host.diff(id, updated.outs, moved);
    assert.deepEqual(moveDiff.replaces, ["region"]);
    assert.equal(moveDiff.deleteBeforeReplace, true, "the same name must be freed before it is reused");

    const teamed = await checked(() => new App("rename-me", { name: "renamed-app", team: "acme" }));
    assert.deepEqual((await bed.host.diff(id, updated.outs, teamed)).replaces, ["team"]);
  });

  it("keeps a generated name when none is asked for", async () => {
    const inputs = await checked(() => new App("nameless"));
    const { id, outs } = await bed.host.create(inputs);
    assert.match(String(outs.name), /^emulated-/);
    assert.equal((await bed.host.diff(id, outs, inputs)).changes, false);
  });

  it("reads drift back and notices deletion", async () => {
    const inputs = await checked(() => new App("drifty", { name: "drifty" }));
    const { id, outs } = await bed.host.create(inputs);
    const emulated = bed.heroku.state.findApp(id);
    assert.ok(emulated);
    emulated.app.name = "drifted";
    const read = await bed.host.read(id, outs, { inputs });
    assert.equal(read.id, id);
    assert.equal(read.props.name, "drifted");
    assert.equal((await bed.host.diff(id, read.props, inputs)).changes, true, "the next up renames it back");

    bed.heroku.state.apps.delete(id);
    assert.equal((await bed.host.read(id, outs)).id, "", "a vanished app reads as gone");
  });

  it("deletes the app; deleting again (404) succeeds", async () => {
    const inputs = await checked(() => new App("short-lived", { name: "short-lived" }));
    const { id, outs } = await bed.host.create(inputs);
    await bed.host.delete(id, outs);
    assert.equal(bed.heroku.state.findApp(id), undefined);
    await bed.host.delete(id, outs);
  });

  it("rejects an invalid name in check", async () => {
    const result = await bed.host.check({}, await captureInputs(() => new App("bad", { name: "Bad_Name" })));
    assert.equal(result.failures[0]?.property, "name");
  });

  it("surfaces Heroku's error with the resource name", async () => {
    bed.heroku.state.createApp({ name: "mipedido-api", region: "us", stack: "container" });
    const inputs = await checked(() => new App("mipedido-api", { name: "mipedido-api" }));
    await assert.rejects(bed.host.create(inputs), (error: Error) => {
      assert.match(error.message, /heroku App "mipedido-api": 422 invalid_params: Name is already taken/);
      return true;
    });
  });

  it("survives 429s, 500s and a POST whose answer was lost, without making a second app", async () => {
    bed.heroku.faults.rateLimit(1, { match: { method: "POST", path: "/apps" } });
    bed.heroku.faults.serverError(1, { match: { method: "POST", path: "/apps" } });
    bed.heroku.faults.dropConnection(1, { match: { method: "POST", path: "/apps" }, afterProcessing: true });
    const inputs = await checked(() => new App("flaky", { name: "flaky-create" }));
    const { id } = await bed.host.create(inputs);
    const apps = [...bed.heroku.state.apps.values()].filter((a) => a.app.name === "flaky-create");
    assert.equal(apps.length, 1);
    assert.equal(apps[0]?.app.id, id, "the app the lost answer created is the one adopted");
  });

  it("records a partial state when the new app cannot be read back, and the next update finishes", async () => {
    // Every read of an app by id fails (more times than the attempts allowed) right after the create.
    bed.heroku.faults.serverError(50, { match: { method: "GET", path: /^\/apps\/[0-9a-f-]{36}$/ } });
    const inputs = await checked(() => new App("half-made", { name: "half-made" }));
    const partial = await createExpectingPartialState(bed, inputs);
    const app = bed.heroku.state.appNamed("half-made");
    assert.equal(partial.id, app.app.id, "the state records the app that exists");
    assert.equal(partial.props?.name, "half-made");
    assert.equal(typeof partial.props?.__provider, "string", "later operations can deserialize the provider");
    assert.match(partial.message, /heroku App "half-made": .*500/);

    bed.heroku.faults.clear();
    const finished = await bed.host.update(partial.id as string, partial.props ?? {}, inputs);
    assert.equal(finished.outs.webUrl, app.app.web_url);
    assert.equal([...bed.heroku.state.apps.values()].filter((a) => a.app.name === "half-made").length, 1);
  });
});

describe("heroku credentials", () => {
  it("takes the API key from secret stack config (heroku:apiKey) when the environment has none", async () => {
    const configured = await startHerokuTestbed({ keyInEnvironment: false, config: { "heroku:apiKey": TEST_HEROKU_API_KEY } });
    try {
      const inputs = await checked(() => new App("configured", { name: "configured" }), configured);
      await configured.host.create(inputs);
      assert.ok(configured.heroku.state.findApp("configured"));
      const post = configured.heroku.requests.find((r) => r.method === "POST");
      assert.equal(post?.headers.authorization, `Bearer ${TEST_HEROKU_API_KEY}`);
    } finally {
      await configured.close();
    }
  });

  it("reads heroku:apiKey from the stack config, and survives a host that sent no config", async () => {
    const slot = "__multicloudHerokuConfiguredApiKey";
    const config = (values: Record<string, string>): ConfigureRequest => ({
      config: { get: (key: string) => values[key], require: (key: string) => values[key] ?? assert.fail(key) },
    });
    try {
      await configureFromStackConfig(config({ "heroku:apiKey": "from-heroku-namespace" }));
      assert.equal((globalThis as Record<string, unknown>)[slot], "from-heroku-namespace");
      const broken: ConfigureRequest = { config: { get: () => assert.fail("no config"), require: () => assert.fail("no config") } };
      await configureFromStackConfig(broken);
    } finally {
      delete (globalThis as Record<string, unknown>)[slot];
    }
  });

  it("fails clearly when neither the environment nor stack config has a key", async () => {
    const keyless = await startHerokuTestbed({ keyInEnvironment: false });
    try {
      const inputs = await checked(() => new App("no-key", { name: "no-key" }), keyless);
      await assert.rejects(keyless.host.create(inputs), /no Heroku API key: set HEROKU_API_KEY.*heroku:apiKey/s);
      assert.equal(keyless.heroku.requests.length, 0);
    } finally {
      await keyless.close();
    }
  });
});
