// The Heroku client's manners towards the account's shared budget, against the emulator: one rate limiter for the
// whole process (also across separately loaded copies of the client, as in the dynamic-provider host), a 429
// retry budget measured in time, pollers that slow down, and list calls that follow Next-Range.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getApp } from "../../providers/heroku/api/apps";
import { listAppAddonAttachments } from "../../providers/heroku/api/addonAttachments";
import { isHerokuApiError } from "../../providers/heroku/api/errors";
import { listFormation } from "../../providers/heroku/api/formation";
import { listLogDrains } from "../../providers/heroku/api/logDrains";
import { pollUntil } from "../../providers/heroku/api/poll";
import { tokenWaitMs } from "../../providers/heroku/api/rateLimiter";
import type { RateLimiterState } from "../../providers/heroku/api/rateLimiter";
import { useHerokuEmulatorInProcess } from "../emulators/heroku/inProcess";
import type { HerokuEmulator } from "../emulators/heroku";

let heroku: HerokuEmulator;

const FAST = {
  HEROKU_MAX_ATTEMPTS: "4",
  HEROKU_RETRY_BASE_MS: "1",
  HEROKU_RETRY_MAX_DELAY_MS: "20",
  HEROKU_RATE_LIMIT_PACE_MS: "1",
  HEROKU_RATE_LIMIT_RESERVE: "0",
  HEROKU_RATE_LIMIT_BUDGET_MS: "5000",
};

useHerokuEmulatorInProcess(FAST, (started) => {
  heroku = started;
});

/** A second, separately loaded copy of the client's app calls: what another deserialized provider runs. */
function freshCopyOfGetApp(): typeof getApp {
  const modules = ["apps", "client", "rateLimiter", "retry", "settings", "errors"].map((m) =>
    require.resolve(`../../providers/heroku/api/${m}`),
  );
  const saved = modules.map((m) => require.cache[m]);
  for (const m of modules) delete require.cache[m];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("../../providers/heroku/api/apps") as { getApp: typeof getApp }).getApp;
  } finally {
    modules.forEach((m, i) => (require.cache[m] = saved[i]));
  }
}

describe("heroku client: one rate limiter per process", () => {
  it("paces many parallel calls from separate copies of the client to the account's refill, without 429s", async () => {
    const apps = Array.from({ length: 6 }, (_, i) => heroku.state.createApp({ name: `limited-${i}`, region: "us", stack: "container" }));
    // A small, fast bucket: 5 tokens, one more every 40 ms; the client is told the same refill rate.
    Object.assign(heroku.faults, { rateLimitCapacity: 5, rateLimitRemaining: 5, rateLimitRefillMsPerToken: 40 });
    process.env.HEROKU_RATE_LIMIT_PACE_MS = "40";
    const otherCopy = freshCopyOfGetApp();
    assert.notEqual(otherCopy, getApp, "a separately loaded copy");

    const calls = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? getApp : otherCopy)(apps[i % apps.length]!.app.id as string));
    const results = await Promise.allSettled(calls);

    assert.deepEqual(results.filter((r) => r.status === "rejected"), []);
    const rateLimited = heroku.requests.filter((r) => r.status === 429).length;
    assert.ok(rateLimited <= 2, `${rateLimited} answers were 429: the calls did not share one pace`);
  });

  it("keeps retrying 429s for its time budget, not for a handful of attempts", async () => {
    const app = heroku.state.createApp({ name: "patient", region: "us", stack: "container" });
    heroku.faults.rateLimit(12, { retryAfterSeconds: 0 }); // three times HEROKU_MAX_ATTEMPTS
    assert.equal((await getApp(app.app.id as string)).name, "patient");
    assert.equal(heroku.requests.filter((r) => r.status === 429).length, 12);
  });

  it("gives up once the 429 budget is spent, saying so, with no secret in the error", async () => {
    process.env.HEROKU_RATE_LIMIT_BUDGET_MS = "300";
    heroku.faults.rateLimit(10_000, { retryAfterSeconds: 0 });
    const started = Date.now();
    let caught: unknown;
    try {
      await getApp("anything");
    } catch (error) {
      caught = error;
    }
    const elapsed = Date.now() - started;
    assert.ok(isHerokuApiError(caught), String(caught));
    assert.equal(caught.status, 429);
    assert.match(caught.message, /^429 rate_limit: .*still rate limited after \d+s of retries/);
    assert.ok(elapsed >= 280, `gave up after ${elapsed} ms, before the 300 ms budget`);
    assert.ok(!JSON.stringify({ ...caught, message: caught.message }).includes(heroku.apiKey));
  });

  it("waits for the refill in arrival order once the bucket is down to the reserve", () => {
    const state: RateLimiterState = { tokens: 50.5, checkedAt: 0, inFlight: 0, answered: true, pausedUntil: 0, queue: Promise.resolve(), wakeUps: [] };
    assert.equal(tokenWaitMs(state, 0, { paceMs: 800, reserve: 50 }), 400, "half a token to go");
    assert.equal(tokenWaitMs({ ...state, tokens: 4500 }, 0, { paceMs: 800, reserve: 50 }), 0);
    assert.equal(tokenWaitMs({ ...state, pausedUntil: 3000 }, 1000, { paceMs: 800, reserve: 50 }), 2000, "a Retry-After pauses everyone");
    assert.equal(tokenWaitMs({ ...state, tokens: undefined, answered: false, inFlight: 1 }, 0, { paceMs: 800, reserve: 50 }), Infinity, "one probe first");
    assert.equal(tokenWaitMs({ ...state, tokens: undefined, answered: true, inFlight: 3 }, 0, { paceMs: 800, reserve: 50 }), 0, "no header: no limit");
    assert.equal(tokenWaitMs({ ...state, tokens: 0 }, 0, { paceMs: 0, reserve: 50 }), 0, "pace 0 turns it off");
  });
});

describe("heroku client: pollers", () => {
  it("slows down while waiting, so a long wait costs few requests", async () => {
    let probes = 0;
    await assert.rejects(
      pollUntil("something slow", async () => ({ done: false as const, status: `probe ${++probes}` }), { intervalMs: 10, timeoutMs: 400 }),
      /timed out after 0s waiting for something slow/,
    );
    // A fixed 10 ms interval would probe about 40 times; growing to 60 ms, about 10.
    assert.ok(probes <= 14, `${probes} probes in 400 ms`);
    assert.ok(probes >= 5, `${probes} probes: still polling`);
  });
});

describe("heroku client: lists follow Next-Range", () => {
  it("reads every page of log drains, attachments and formation, sending the Range Heroku gave", async () => {
    const app = heroku.state.createApp({ name: "many-things", region: "us", stack: "container" });
    for (let i = 0; i < 5; i++) heroku.state.createLogDrain(app, `https://logs-${i}.example.com/`);
    const owner = heroku.state.createApp({ name: "data-owner", region: "us", stack: "container" });
    for (let i = 0; i < 3; i++) {
      const addon = heroku.state.createAddon(owner, "heroku-redis:mini", `CACHE_${i}`, 0);
      heroku.state.attach(owner, addon, app, `SHARED_${i}`);
    }
    for (const type of ["web", "worker", "clock"]) {
      app.formation.set(type, { id: `${type}-id`, type, quantity: 1, size: "Basic", command: "x" });
    }
    heroku.faults.pageSizeLimit = 2;
    const id = app.app.id as string;

    assert.equal((await listLogDrains(id)).length, 5);
    assert.equal((await listAppAddonAttachments(id)).length, 3);
    assert.deepEqual((await listFormation(id)).map((f) => f.type).sort(), ["clock", "web", "worker"]);

    const drainPages = heroku.requests.filter((r) => r.path === `/apps/${id}/log-drains`);
    assert.deepEqual(drainPages.map((r) => r.status), [206, 206, 200]);
    assert.equal(drainPages[0]?.headers.range, "id ..; max=1000");
    assert.match(drainPages[1]?.headers.range ?? "", /^id \]\S+\.\.; max=2$/, "the second page asks what Next-Range said");
  });
});
