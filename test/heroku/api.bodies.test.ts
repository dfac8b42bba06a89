// Request bodies the Platform API's published schema requires, against the emulator: what the backend sends, and
// that the emulator refuses what Heroku's schema refuses (heroku-go v6.1.0 `schema.json`, vendored by
// terraform-provider-heroku@493df84f; rows in providers/heroku/CONFORMANCE.md and the emulator's table).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAddonAttachment } from "../../providers/heroku/api/addonAttachments";
import { createAddon } from "../../providers/heroku/api/addons";
import { createApp } from "../../providers/heroku/api/apps";
import { patchConfigVars } from "../../providers/heroku/api/configVars";
import { createDomain } from "../../providers/heroku/api/domains";
import { useHerokuEmulatorInProcess } from "../emulators/heroku/inProcess";
import type { HerokuEmulator } from "../emulators/heroku";

let heroku: HerokuEmulator;

useHerokuEmulatorInProcess({
    HEROKU_MAX_ATTEMPTS: "2",
    HEROKU_RETRY_BASE_MS: "1",
    HEROKU_RETRY_MAX_DELAY_MS: "5",
    HEROKU_RATE_LIMIT_PACE_MS: "1",
    HEROKU_POLL_INTERVAL_MS: "10",
  }, (started) => {
  heroku = started;
});

/** A raw Platform API call to the emulator, for bodies the backend never sends. */
async function raw(method: string, path: string, body: unknown): Promise<{ status: number; body: { id?: string; message?: string } }> {
  const response = await fetch(heroku.url + path, {
    method,
    headers: {
      Accept: "application/vnd.heroku+json; version=3",
      Authorization: `Bearer ${heroku.apiKey}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { id?: string; message?: string } };
}

describe("domain creation", () => {
  it("sends sni_endpoint: null, which the schema requires beside hostname", async () => {
    const app = heroku.state.createApp({ name: "domain-body", region: "us", stack: "container" });
    const domain = await createDomain(app.app.id as string, "api.example.com");
    const post = heroku.requests.find((r) => r.method === "POST" && r.path.endsWith("/domains"));
    assert.deepEqual(post?.body, { hostname: "api.example.com", sni_endpoint: null });
    assert.match(String(domain.cname), /\.herokudns\.com$/);
  });

  it("the emulator refuses a domain without sni_endpoint, as the schema's required list does", async () => {
    const app = heroku.state.createApp({ name: "domain-no-sni", region: "us", stack: "container" });
    const answer = await raw("POST", `/apps/${app.app.id}/domains`, { hostname: "www.example.com" });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.id, "invalid_params");
    assert.match(String(answer.body.message), /sni_endpoint/);
    assert.equal(app.domains.size, 0);
  });
});

describe("add-on attachments", () => {
  it("never overwrites an attachment of the same name: no confirm is sent, and Heroku answers confirmation_required", async () => {
    const owner = heroku.state.createApp({ name: "attach-owner", region: "us", stack: "container" });
    const app = heroku.state.createApp({ name: "attach-target", region: "us", stack: "container" });
    const first = heroku.state.createAddon(owner, "heroku-redis:mini", "REDIS", 0);
    const second = heroku.state.createAddon(owner, "heroku-postgresql:essential-0", "DATABASE", 0);
    heroku.state.attach(owner, first, app, "CACHE");
    await assert.rejects(
      createAddonAttachment({ addon: second.addon.id, app: app.app.id as string, name: "CACHE" }),
      (error: { herokuId?: string }) => error.herokuId === "confirmation_required",
    );
    const post = heroku.requests.find((r) => r.method === "POST" && r.path === "/addon-attachments");
    assert.deepEqual(post?.body, { addon: second.addon.id, app: app.app.id, name: "CACHE" });
    assert.equal(heroku.state.attachmentsOf(first.addon.id)[0]?.attachment.name, "CACHE", "the first attachment is untouched");
  });
});

describe("add-on creation and confirm", () => {
  const addonPosts = () => heroku.requests.filter((r) => r.method === "POST" && /\/addons$/.test(r.path));

  it("a POST whose answer was lost is retried without confirm, so it cannot overwrite the attachment it made", async () => {
    heroku.faults.addonsRequireConfirmation = false; // like most add-ons: no confirmation asked
    const app = heroku.state.createApp({ name: "lost-confirm", region: "us", stack: "container" });
    heroku.faults.dropConnection(1, { match: { method: "POST", path: `/apps/${app.app.id}/addons` }, afterProcessing: true });
    await assert.rejects(
      createAddon(app.app.id as string, { plan: "heroku-postgresql:essential-0", attachmentName: "DATABASE" }),
      (error: { ambiguous?: boolean }) => error.ambiguous === true,
    );
    assert.equal(app.addons.size, 1, "one add-on, the first attempt's");
    assert.equal(heroku.state.confirmedOverwrites, 0, "no request confirmed an overwrite of DATABASE");
    assert.ok(addonPosts().every((r) => !("confirm" in (r.body as object))), "confirm is sent only when Heroku asks");
  });

  it("confirms with the app's name only after Heroku answers confirmation_required, once", async () => {
    const app = heroku.state.createApp({ name: "asks-confirm", region: "us", stack: "container" });
    const addon = await createAddon(app.app.id as string, { plan: "heroku-redis:mini", attachmentName: "REDIS" });
    assert.equal(addon.state, "provisioned");
    assert.deepEqual(addonPosts().map((r) => r.body), [
      { plan: "heroku-redis:mini", attachment: { name: "REDIS" } },
      { plan: "heroku-redis:mini", attachment: { name: "REDIS" }, confirm: "asks-confirm" },
    ]);
  });

  it("sends the confirmed POST once: its lost answer is reported as ambiguous, never retried with confirm", async () => {
    const app = heroku.state.createApp({ name: "lost-confirmed", region: "us", stack: "container" });
    heroku.faults.dropConnection(1, {
      match: { method: "POST", path: `/apps/${app.app.id}/addons`, body: (b) => typeof b === "object" && b !== null && "confirm" in b },
      afterProcessing: true,
    });
    await assert.rejects(
      createAddon(app.app.id as string, { plan: "heroku-postgresql:essential-0", attachmentName: "DATABASE" }),
      (error: { ambiguous?: boolean }) => error.ambiguous === true,
    );
    assert.equal(app.addons.size, 1);
    assert.equal(addonPosts().filter((r) => "confirm" in (r.body as object)).length, 1);
    assert.equal(heroku.state.confirmedOverwrites, 0);
  });

  it("never confirms overwriting a config var the app already sets, and says which", async () => {
    const app = heroku.state.createApp({ name: "has-db-url", region: "us", stack: "container" });
    app.configVars.DATABASE_URL = "postgres://by-hand";
    await assert.rejects(
      createAddon(app.app.id as string, { plan: "heroku-postgresql:essential-0", attachmentName: "DATABASE" }),
      /DATABASE_URL is already set on app has-db-url/,
    );
    assert.equal(app.addons.size, 0);
    assert.equal(app.configVars.DATABASE_URL, "postgres://by-hand");
    assert.ok(addonPosts().every((r) => !("confirm" in (r.body as object))));
  });
});

describe("apps and config vars", () => {
  it("creates a team's app through POST /teams/apps with the schema's fields, a personal one through /apps", async () => {
    await createApp({ name: "team-body", region: "eu", stack: "container", team: "acme" });
    await createApp({ region: "us", stack: "container" });
    const posts = heroku.requests.filter((r) => r.method === "POST" && /^\/(teams\/)?apps$/.test(r.path));
    assert.deepEqual(posts.map((r) => [r.path, r.body]), [
      ["/teams/apps", { region: "eu", stack: "container", name: "team-body", team: "acme" }],
      ["/apps", { region: "us", stack: "container" }],
    ]);
  });

  it("sets and removes (null) config vars in one PATCH, leaving unlisted keys alone", async () => {
    const app = heroku.state.createApp({ name: "vars-body", region: "us", stack: "container" });
    app.configVars.KEEP = "kept";
    app.configVars.OLD = "old";
    const after = await patchConfigVars(app.app.id as string, { NEW: "new", OLD: null });
    assert.deepEqual(after, { KEEP: "kept", NEW: "new" });
  });
});
