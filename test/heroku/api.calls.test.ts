// Request bodies and waits the real clients use, against the emulator: `confirm` on add-on creation (Heroku CLI),
// `dyno_size` rather than the deprecated `size` in formation updates (the schema), and a bounded retry of a log
// drain on an app that has no log channel yet (terraform-provider-heroku).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAddon } from "../../providers/heroku/api/addons";
import { updateFormation } from "../../providers/heroku/api/formation";
import { createLogDrain } from "../../providers/heroku/api/logDrains";
import { isPollTimeout } from "../../providers/heroku/api/poll";
import { useHerokuEmulatorInProcess } from "../emulators/heroku/inProcess";
import type { HerokuEmulator } from "../emulators/heroku";

let heroku: HerokuEmulator;

useHerokuEmulatorInProcess({
    HEROKU_MAX_ATTEMPTS: "4",
    HEROKU_RETRY_BASE_MS: "1",
    HEROKU_RETRY_MAX_DELAY_MS: "20",
    HEROKU_RATE_LIMIT_PACE_MS: "1",
    HEROKU_POLL_INTERVAL_MS: "10",
  }, (started) => {
  heroku = started;
});

describe("add-on creation", () => {
  it("confirms with the app's name when Heroku asks, as `heroku addons:create` does", async () => {
    const app = heroku.state.createApp({ name: "confirm-me", region: "us", stack: "container" });
    const addon = await createAddon(app.app.id as string, { plan: "heroku-postgresql:essential-0", attachmentName: "DATABASE" });
    assert.equal(addon.state, "provisioned");
    const post = heroku.requests.filter((r) => r.method === "POST" && r.path.endsWith("/addons")).at(-1);
    assert.deepEqual(post?.body, { plan: "heroku-postgresql:essential-0", attachment: { name: "DATABASE" }, confirm: "confirm-me" });
  });
});

describe("formation updates", () => {
  it("sends dyno_size {name}, never the deprecated size, and reads the size back", async () => {
    const app = heroku.state.createApp({ name: "resize-me", region: "us", stack: "container" });
    app.formation.set("web", { id: "web-id", type: "web", quantity: 1, size: "Basic", command: "x" });
    const answer = await updateFormation(app.app.id as string, [{ type: "web", quantity: 2, size: "standard-1x" }]);
    const patch = heroku.requests.find((r) => r.method === "PATCH" && r.path.endsWith("/formation"));
    assert.deepEqual(patch?.body, { updates: [{ type: "web", quantity: 2, dyno_size: { name: "standard-1x" } }] });
    assert.equal(app.formation.get("web")?.size, "Standard-1X");
    assert.equal((answer[0]?.dyno_size as { name?: string } | undefined)?.name, "Standard-1X");
  });
});

describe("log drains on a new app", () => {
  const drainUrl = "https://logs.example.com/?token=drain-secret-31b7";

  it("tries again while the app has no log channel yet, then adds the drain once", async () => {
    const app = heroku.state.createApp({ name: "fresh-app", region: "us", stack: "container" });
    heroku.faults.logChannelPendingRequests = 3;
    const drain = await createLogDrain(app.app.id as string, drainUrl);
    assert.equal(drain.url, drainUrl);
    assert.deepEqual(heroku.requests.filter((r) => r.method === "POST").map((r) => r.status), [422, 422, 422, 201]);
    assert.equal(app.logDrains.size, 1);
  });

  it("gives up after its bounded wait, without the drain URL in the error", async () => {
    const app = heroku.state.createApp({ name: "no-channel", region: "us", stack: "container" });
    heroku.faults.logChannelPendingRequests = 1_000_000;
    let caught: unknown;
    try {
      await createLogDrain(app.app.id as string, drainUrl, 150);
    } catch (error) {
      caught = error;
    }
    assert.ok(isPollTimeout(caught), String(caught));
    assert.match(caught.message, /waiting for a log channel on app .*log channel/);
    assert.ok(!caught.message.includes("drain-secret"), "the URL's token stays out of the error");
    const posts = heroku.requests.filter((r) => r.method === "POST").length;
    assert.ok(posts >= 2 && posts < 20, `${posts} attempts in 150 ms`);
  });

  it("does not retry other refusals", async () => {
    const app = heroku.state.createApp({ name: "bad-url", region: "us", stack: "container" });
    await assert.rejects(createLogDrain(app.app.id as string, "ftp://nope.example.com"), /422 invalid_params: Url is invalid/);
    assert.equal(heroku.requests.filter((r) => r.method === "POST").length, 1);
  });
});
