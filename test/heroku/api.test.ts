// The Heroku API client against the emulator: retries (429, 5xx, dropped connections), errors, 404 on delete,
// credentials, and the pure retry policy.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApp, deleteApp, getApp } from "../../providers/heroku/api/apps";
import { withAppLock } from "../../providers/heroku/api/appLock";
import { herokuRequest } from "../../providers/heroku/api/client";
import { deleteDomain } from "../../providers/heroku/api/domains";
import { inResourceContext, isHerokuApiError } from "../../providers/heroku/api/errors";
import type { HerokuApiError } from "../../providers/heroku/api/errors";
import { readReleaseOutput } from "../../providers/heroku/api/releases";
import { parseRetryAfterMs, retryDelayMs } from "../../providers/heroku/api/retry";
import { rememberConfiguredApiKey, resolveClientSettings } from "../../providers/heroku/api/settings";
import { useHerokuEmulatorInProcess } from "../emulators/heroku/inProcess";
import type { HerokuEmulator } from "../emulators/heroku";

const MAX_ATTEMPTS = 4;
let heroku: HerokuEmulator;

async function rejection(promise: Promise<unknown>): Promise<HerokuApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isHerokuApiError(error), `expected a HerokuApiError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

function countRequests(method: string, path: string): number {
  return heroku.requests.filter((r) => r.method === method && r.path === path).length;
}

useHerokuEmulatorInProcess({
    HEROKU_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    HEROKU_RETRY_BASE_MS: "1",
    HEROKU_RETRY_MAX_DELAY_MS: "20",
    HEROKU_RATE_LIMIT_PACE_MS: "1",
  }, (started) => {
  heroku = started;
});

describe("heroku client: retries", () => {
  it("retries a burst of 429s and succeeds, sending the key and the v3 Accept header", async () => {
    const app = heroku.state.createApp({ name: "retry-429", region: "us", stack: "container" });
    heroku.faults.rateLimit(2, { retryAfterSeconds: 0 });
    const got = await getApp(app.app.id as string);
    assert.equal(got.name, "retry-429");
    const calls = heroku.requests.filter((r) => r.path === `/apps/${app.app.id}`);
    assert.deepEqual(calls.map((r) => r.status), [429, 429, 200]);
    assert.equal(calls[2]?.headers.authorization, `Bearer ${heroku.apiKey}`);
    assert.equal(calls[2]?.headers.accept, "application/vnd.heroku+json; version=3");
  });

  it("retries 500s and dropped connections", async () => {
    const app = heroku.state.createApp({ name: "retry-500", region: "us", stack: "container" });
    heroku.faults.serverError(1, { match: { path: `/apps/${app.app.id}` } });
    heroku.faults.dropConnection(1, { match: { path: `/apps/${app.app.id}` } });
    assert.equal((await getApp(app.app.id as string)).name, "retry-500");
    assert.deepEqual(
      heroku.requests.filter((r) => r.path === `/apps/${app.app.id}`).map((r) => r.status),
      [500, 0, 200],
    );
  });

  it("gives up after the configured attempts with Heroku's id and message", async () => {
    heroku.faults.serverError(10, { status: 503 });
    const error = await rejection(getApp("anything"));
    assert.equal(error.status, 503);
    assert.equal(error.message, "503 internal_server_error: Internal server error (emulated).");
    assert.equal(countRequests("GET", "/apps/anything"), MAX_ATTEMPTS);
  });

  it("reports a connection that keeps dropping as connection_failed", async () => {
    heroku.faults.dropConnection(10);
    const error = await rejection(getApp("anything"));
    assert.equal(error.status, 0);
    assert.equal(error.herokuId, "connection_failed");
    assert.match(error.message, /^GET \/apps\/anything: no answer after 4 attempts/);
  });

  it("marks a POST retried after a lost answer as ambiguous, so creators can look before duplicating", async () => {
    heroku.faults.dropConnection(1, { match: { method: "POST", path: "/apps" }, afterProcessing: true });
    const error = await rejection(createApp({ name: "lost-answer", region: "us", stack: "container" }));
    assert.equal(error.status, 422);
    assert.equal(error.ambiguous, true);
    // The first attempt did create it: exactly one app exists.
    assert.equal([...heroku.state.apps.values()].filter((a) => a.app.name === "lost-answer").length, 1);
  });

  it("never marks a retried 429 as ambiguous (a 429 was not applied)", async () => {
    heroku.state.createApp({ name: "taken-name", region: "us", stack: "container" });
    heroku.faults.rateLimit(1, { match: { method: "POST" } });
    const error = await rejection(createApp({ name: "taken-name", region: "us", stack: "container" }));
    assert.equal(error.status, 422);
    assert.equal(error.ambiguous, false);
  });
});

describe("heroku client: errors", () => {
  it("does not retry a 422 and says what Heroku said, with the resource it concerns", async () => {
    heroku.state.createApp({ name: "mipedido-api", region: "us", stack: "container" });
    let caught: unknown;
    try {
      await createApp({ name: "mipedido-api", region: "us", stack: "container" });
    } catch (error) {
      caught = inResourceContext("App", "mipedido-api", error);
    }
    assert.ok(caught instanceof Error);
    assert.equal(caught.message, 'heroku App "mipedido-api": 422 invalid_params: Name is already taken');
    assert.equal((caught as HerokuApiError).status, 422, "the wrapped error keeps Heroku's fields");
    assert.equal(countRequests("POST", "/apps"), 1);
  });

  it("treats 404 on delete as success", async () => {
    assert.equal(await deleteApp("does-not-exist"), false);
    const app = heroku.state.createApp({ name: "to-delete", region: "us", stack: "container" });
    assert.equal(await deleteDomain(app.app.id as string, "gone.example.com"), false);
    assert.equal(await deleteApp(app.app.id as string), true);
    assert.equal(heroku.state.findApp("to-delete"), undefined);
  });

  it("surfaces 401 for a wrong key without retrying", async () => {
    const settings = { ...resolveClientSettings(), apiKey: "wrong" };
    const error = await rejection(herokuRequest({ method: "GET", path: "/apps/x" }, settings));
    assert.equal(error.message, "401 unauthorized: Invalid credentials provided.");
    assert.equal(heroku.requests.length, 1);
  });
});

describe("heroku client: credentials", () => {
  it("asks for a key when neither stack config nor HEROKU_API_KEY provides one", () => {
    const key = process.env.HEROKU_API_KEY;
    delete process.env.HEROKU_API_KEY;
    try {
      assert.throws(() => resolveClientSettings(), /HEROKU_API_KEY.*heroku:apiKey/s);
    } finally {
      process.env.HEROKU_API_KEY = key;
    }
  });

  it("prefers a key remembered from stack config over the environment", () => {
    const slot = "__multicloudHerokuConfiguredApiKey";
    try {
      rememberConfiguredApiKey("from-stack-config");
      assert.equal(resolveClientSettings().apiKey, "from-stack-config");
      rememberConfiguredApiKey("");
      assert.equal(resolveClientSettings().apiKey, "from-stack-config", "an empty value does not erase it");
    } finally {
      delete (globalThis as Record<string, unknown>)[slot];
    }
    assert.equal(resolveClientSettings().apiKey, heroku.apiKey);
  });
});

describe("heroku client: release output", () => {
  it("reads the tail of the release-phase stream without sending the API key", async () => {
    const app = heroku.state.createApp({ name: "stream-app", region: "us", stack: "container" });
    const long = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join("\n") + "\nError: migration 42 failed\n";
    const release = heroku.state.addRelease(app, {
      description: "Deployed web",
      pollsLeft: 0,
      finalStatus: "failed",
      output: long,
      images: {},
      baseUrl: heroku.url,
    });
    const output = await readReleaseOutput(release.release.output_stream_url as string, { tailChars: 200 });
    assert.ok(output?.startsWith("[...]\n"), "a long log is cut at the front");
    assert.ok(output?.endsWith("Error: migration 42 failed"));
    assert.ok((output?.length ?? 0) <= 210);
    const streamRequest = heroku.requests.find((r) => r.path.startsWith("/release-streams/"));
    assert.equal(streamRequest?.headers.authorization, undefined);
  });

  it("returns undefined when the stream cannot be read", async () => {
    assert.equal(await readReleaseOutput(`${heroku.url}/release-streams/unknown`), undefined);
  });
});

describe("retry policy", () => {
  it("backs off exponentially with equal jitter, capped", () => {
    assert.equal(retryDelayMs({ attempt: 1, baseMs: 100, maxMs: 10_000, random: 0 }), 50);
    assert.equal(retryDelayMs({ attempt: 1, baseMs: 100, maxMs: 10_000, random: 0.999 }), 100);
    assert.equal(retryDelayMs({ attempt: 4, baseMs: 100, maxMs: 10_000, random: 0 }), 400);
    assert.equal(retryDelayMs({ attempt: 20, baseMs: 100, maxMs: 1000, random: 0.5 }), 750);
  });

  it("waits at least what Retry-After asks, within the ceiling", () => {
    assert.equal(retryDelayMs({ attempt: 1, baseMs: 100, maxMs: 60_000, retryAfterMs: 5000, random: 0 }), 5000);
    assert.equal(retryDelayMs({ attempt: 1, baseMs: 100, maxMs: 2000, retryAfterMs: 5000, random: 0 }), 2000);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    assert.equal(parseRetryAfterMs("3", now), 3000);
    assert.equal(parseRetryAfterMs("Wed, 01 Jan 2025 00:00:10 GMT", now), 10_000);
    assert.equal(parseRetryAfterMs("Tue, 31 Dec 2024 00:00:00 GMT", now), 0);
    assert.equal(parseRetryAfterMs("soon", now), undefined);
    assert.equal(parseRetryAfterMs(null, now), undefined);
  });
});

describe("per-app lock", () => {
  it("runs work for one app one at a time, other apps in parallel, and survives a failure", async () => {
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstMayEnd = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = withAppLock("addons:a", async () => {
      events.push("a1 start");
      await firstMayEnd;
      events.push("a1 end");
      throw new Error("a1 failed");
    });
    const second = withAppLock("addons:a", async () => {
      events.push("a2 start");
      return "a2";
    });
    const other = withAppLock("addons:b", async () => {
      events.push("b start");
      return "b";
    });
    assert.equal(await other, "b");
    assert.deepEqual(events, ["a1 start", "b start"], "b ran while a1 held app a's lock; a2 waited");
    releaseFirst();
    await assert.rejects(first, /a1 failed/);
    assert.equal(await second, "a2");
    assert.deepEqual(events, ["a1 start", "b start", "a1 end", "a2 start"]);
  });
});
