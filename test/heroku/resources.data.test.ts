// `ConfigVars` and `Addon` through the SDK's dynamic-provider host against the Heroku emulator.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Addon, ConfigVars } from "../../providers/heroku/resources";
import { isSecretValue, unwrapSecret } from "../support/dynamicHost";
import { captureInputs, checkedInputs, createExpectingPartialState, plaintextOf, seedApp, useHerokuTestbed } from "../emulators/heroku/testbed";

const bed = useHerokuTestbed();

const checked = (declare: () => void, olds: Record<string, unknown> = {}) => checkedInputs(bed, declare, olds);
const newApp = (name: string) => seedApp(bed, name);

function patchesTo(path: string): unknown[] {
  return bed.heroku.requests.filter((r) => r.method === "PATCH" && r.path === path).map((r) => r.body);
}

describe("heroku ConfigVars", () => {
  it("sets its vars in one PATCH, keeps values secret, and leaves vars it does not manage alone", async () => {
    const { app, id } = newApp("env-create");
    app.configVars.DATABASE_URL = "postgres://owned-by-the-addon";
    const inputs = await checked(() => new ConfigVars("env", { app: id, vars: { NODE_ENV: "production", API_SECRET: "s3cr3t-value" } }));
    assert.ok(isSecretValue(inputs.vars), "the program sends the vars as a secret");
    const { id: resourceId, outs } = await bed.host.create(inputs);
    assert.equal(resourceId, id);
    assert.deepEqual(app.configVars, { DATABASE_URL: "postgres://owned-by-the-addon", NODE_ENV: "production", API_SECRET: "s3cr3t-value" });
    assert.equal(patchesTo(`/apps/${id}/config-vars`).length, 1);
    assert.ok(isSecretValue(outs.vars));
    assert.deepEqual(unwrapSecret(outs.vars), { NODE_ENV: "production", API_SECRET: "s3cr3t-value" });
    assert.deepEqual(outs.managedKeys, ["API_SECRET", "NODE_ENV"]);
    assert.ok(!plaintextOf(outs).includes("s3cr3t-value"), "no value in clear in the outputs");
  });

  it("changes, adds and removes keys in ONE PATCH; null removes a key it never set", async () => {
    const { app, id } = newApp("env-update");
    app.configVars.LEGACY_FLAG = "1";
    app.configVars.DATABASE_URL = "postgres://keep-me";
    const first = await checked(() => new ConfigVars("env", { app: id, vars: { A: "1", B: "2", C: "3" } }));
    const { outs } = await bed.host.create(first);

    assert.equal((await bed.host.diff(id, outs, first)).changes, false);
    const second = await checked(() => new ConfigVars("env", { app: id, vars: { A: "1", B: "two", D: "4", LEGACY_FLAG: null } }));
    const diff = await bed.host.diff(id, outs, second);
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces, []);

    const before = patchesTo(`/apps/${id}/config-vars`).length;
    const updated = await bed.host.update(id, outs, second);
    const patches = patchesTo(`/apps/${id}/config-vars`);
    assert.equal(patches.length, before + 1, "one PATCH, hence one release");
    assert.deepEqual(patches.at(-1), { B: "two", D: "4", LEGACY_FLAG: null, C: null });
    assert.deepEqual(app.configVars, { A: "1", B: "two", D: "4", DATABASE_URL: "postgres://keep-me" });
    assert.deepEqual(updated.outs.managedKeys, ["A", "B", "D"]);

    assert.equal((await bed.host.diff(id, updated.outs, second)).changes, false, "a satisfied null is not a change");
  });

  it("makes no release when only the provider version changed", async () => {
    const { id } = newApp("env-noop");
    const inputs = await checked(() => new ConfigVars("env", { app: id, vars: { A: "1" } }));
    const { outs } = await bed.host.create(inputs);
    const bumped = { ...inputs, providerVersion: "999" };
    assert.equal((await bed.host.diff(id, outs, bumped)).changes, true);
    const before = patchesTo(`/apps/${id}/config-vars`).length;
    await bed.host.update(id, outs, bumped);
    assert.equal(patchesTo(`/apps/${id}/config-vars`).length, before);
  });

  it("reads drift so the next update repairs it, and replaces (delete first) on an app change", async () => {
    const { app, id } = newApp("env-drift");
    const inputs = await checked(() => new ConfigVars("env", { app: id, vars: { A: "1", B: "2" } }));
    const { outs } = await bed.host.create(inputs);
    app.configVars.A = "tampered";
    delete app.configVars.B;
    const read = await bed.host.read(id, outs, { inputs });
    assert.deepEqual(unwrapSecret(read.props.vars), { A: "tampered" });
    assert.ok(isSecretValue(read.props.vars), "refreshed values stay secret");
    assert.equal((await bed.host.diff(id, read.props, inputs)).changes, true);
    await bed.host.update(id, read.props, inputs);
    assert.deepEqual(app.configVars, { A: "1", B: "2" });

    const other = newApp("env-drift-2");
    const moved = await checked(() => new ConfigVars("env", { app: other.id, vars: { A: "1", B: "2" } }));
    const diff = await bed.host.diff(id, outs, moved);
    assert.deepEqual(diff.replaces, ["app"]);
    assert.equal(diff.deleteBeforeReplace, true);
  });

  it("removes only its own keys on delete, and treats a deleted app as done", async () => {
    const { app, id } = newApp("env-delete");
    app.configVars.KEEP = "k";
    const inputs = await checked(() => new ConfigVars("env", { app: id, vars: { A: "1" } }));
    const { outs } = await bed.host.create(inputs);
    await bed.host.delete(id, outs);
    assert.deepEqual(app.configVars, { KEEP: "k" });
    bed.heroku.state.apps.delete(id);
    await bed.host.delete(id, outs);
  });

  /** An app whose current release has a release phase (a `release` image), as a web service with a release command. */
  function appWithReleasePhase(name: string) {
    const made = newApp(name);
    const web = bed.heroku.state.pushImage(name, "web");
    const release = bed.heroku.state.pushImage(name, "release");
    bed.heroku.state.addRelease(made.app, {
      description: "Deployed web, release",
      pollsLeft: 0,
      finalStatus: "succeeded",
      output: "",
      images: { web: web.configDigest, release: release.configDigest },
    });
    return made;
  }

  it("waits for the release a change makes (its release phase runs) before finishing", async () => {
    const { app, id } = appWithReleasePhase("env-release-wait");
    bed.heroku.faults.releasePendingPolls = 3;
    const inputs = await checked(() => new ConfigVars("env", { app: id, vars: { A: "1" } }));
    await bed.host.create(inputs);
    const newest = app.releases.at(-1)?.release;
    assert.match(newest?.description ?? "", /Set A config vars/);
    assert.equal(newest?.status, "succeeded", "finished only once the release phase was done");
  });

  it("fails with the release-phase output when the release a change makes fails", async () => {
    const { app, id } = appWithReleasePhase("env-release-fails");
    const inputs = await checked(() => new ConfigVars("env", { app: id, vars: { A: "1" } }));
    const { outs } = await bed.host.create(inputs);
    bed.heroku.faults.releasePendingPolls = 2;
    bed.heroku.faults.failNextRelease("Running migrations...\nERROR: could not connect to server\n");
    const changed = await checked(() => new ConfigVars("env", { app: id, vars: { A: "2" } }));
    await assert.rejects(bed.host.update(id, outs, changed), (error: Error) => {
      assert.match(error.message, /heroku ConfigVars "env": release v\d+ failed: the release phase failed/);
      assert.match(error.message, /ERROR: could not connect to server/);
      return true;
    });
    assert.equal(app.releases.at(-1)?.release.status, "failed");
  });

  it("rejects invalid keys in check", async () => {
    const { id } = newApp("env-check");
    const result = await bed.host.check({}, await captureInputs(() => new ConfigVars("env", { app: id, vars: { "BAD-KEY": "x" } })));
    assert.equal(result.failures[0]?.property, "vars");
    assert.ok(!JSON.stringify(result.failures).includes('"x"'));
  });
});

describe("heroku Addon", () => {
  it("waits until provisioned and outputs the URL as a secret, with the config var name", async () => {
    const { app, id } = newApp("addon-create");
    bed.heroku.faults.addonProvisioningPolls = 3;
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0" }));
    assert.equal(inputs.attachmentName, "DATABASE");
    const created = await bed.host.create(inputs);
    const addon = [...app.addons.values()][0];
    assert.ok(addon);
    assert.equal(created.id, addon.addon.id);
    assert.equal(created.outs.state, "provisioned");
    assert.equal(created.outs.configVarName, "DATABASE_URL");
    assert.ok(isSecretValue(created.outs.url));
    assert.equal(unwrapSecret(created.outs.url), addon.url);
    assert.ok(!plaintextOf(created.outs).includes(addon.url), "the URL never appears in clear");
    assert.equal((await bed.host.diff(created.id, created.outs, inputs)).changes, false);

    const read = await bed.host.read(created.id, created.outs, { inputs });
    assert.ok(isSecretValue(read.props.url));
  });

  it("fails, naming it, when Heroku deprovisions the add-on while it provisions (state enum: provisioning, provisioned, deprovisioned)", async () => {
    const { app, id } = newApp("addon-deprovisioned");
    bed.heroku.faults.addonProvisioningPolls = 1000;
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0" }));
    const creating = createExpectingPartialState(bed, inputs);
    while (app.addons.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    [...app.addons.values()][0]!.addon.state = "deprovisioned";
    const partial = await creating;
    assert.match(partial.message, /failed to provision \(Heroku deprovisioned it\)/);
  });

  it("waits for the add-on's config var when it reaches the app after the add-on is provisioned", async () => {
    const { app, id } = newApp("addon-late-var");
    bed.heroku.faults.addonProvisioningPolls = 2;
    bed.heroku.faults.addonConfigVarPolls = 3;
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0" }));
    const created = await bed.host.create(inputs);
    const addon = [...app.addons.values()][0];
    assert.equal(created.outs.state, "provisioned");
    assert.equal(unwrapSecret(created.outs.url), addon?.url);
  });

  it("records partial state when the config var never comes within the provisioning deadline", async () => {
    const { app, id } = newApp("addon-no-var");
    bed.heroku.faults.addonConfigVarPolls = 100_000;
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0", provisionTimeoutSeconds: 0.05 }));
    const partial = await createExpectingPartialState(bed, inputs);
    assert.match(partial.message, /heroku Addon "db": timed out after .* waiting for DATABASE_URL of add-on .* to be set on the app/);
    assert.ok(partial.id && app.addons.has(partial.id), "the state holds the add-on that exists");
    assert.equal(partial.props?.url, undefined);
  });

  it("serializes creation per app: concurrent add-ons never overlap on Heroku", async () => {
    const { app, id } = newApp("addon-concurrent");
    bed.heroku.faults.addonProvisioningPolls = 4;
    const pg = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0" }));
    const redis = await checked(() => new Addon("cache", { app: id, plan: "heroku-redis:mini" }));
    assert.equal(redis.attachmentName, "REDIS");
    const [a, b] = await Promise.all([bed.host.create(pg), bed.host.create(redis)]);
    assert.equal(bed.heroku.state.overlappingAddonRequests, 0);
    assert.equal(app.addons.size, 2);
    assert.equal(a.outs.configVarName, "DATABASE_URL");
    assert.equal(b.outs.configVarName, "REDIS_URL");
  });

  it("records a still-provisioning add-on as partial state; the next update or create picks it up, no duplicate", async () => {
    const { app, id } = newApp("addon-timeout");
    bed.heroku.faults.addonProvisioningPolls = 1000;
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0", provisionTimeoutSeconds: 0.03 }));
    const partial = await createExpectingPartialState(bed, inputs);
    assert.ok(partial.id, "the partial state has an id");
    assert.match(partial.message, /heroku Addon "db": timed out after .* waiting for add-on .* to be provisioned/);
    const addon = app.addons.get(partial.id);
    assert.ok(addon, "the state holds the add-on that exists");
    assert.equal(partial.props?.state, "provisioning");
    assert.equal(partial.props?.url, undefined);
    assert.equal(typeof partial.props?.__provider, "string");

    // Recovery by `pulumi refresh`: read sees it provisioning, then provisioned with its URL.
    assert.equal((await bed.host.read(partial.id, partial.props ?? {})).props.state, "provisioning");
    addon.pollsLeft = 1;
    const read = await bed.host.read(partial.id, partial.props ?? {});
    assert.equal(read.props.state, "provisioned");
    assert.equal(unwrapSecret(read.props.url), addon.url);

    // Recovery by the next `pulumi up` (update on the partial state).
    const updated = await bed.host.update(partial.id, partial.props ?? {}, inputs);
    assert.equal(unwrapSecret(updated.outs.url), addon.url);

    // Even a create repeated with the same inputs (state lost) adopts it rather than requesting another.
    const again = await bed.host.create(inputs);
    assert.equal(again.id, partial.id);
    assert.equal(app.addons.size, 1);
  });

  it("recovers from a POST whose answer was lost by adopting the add-on it made", async () => {
    const { app, id } = newApp("addon-lost");
    bed.heroku.faults.dropConnection(1, { match: { method: "POST", path: `/apps/${id}/addons` }, afterProcessing: true });
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0" }));
    const created = await bed.host.create(inputs);
    assert.equal(app.addons.size, 1);
    assert.equal(created.id, [...app.addons.keys()][0]);
  });

  it("adopts the add-on when the answer of the confirmed POST (sent once) was lost", async () => {
    const { app, id } = newApp("addon-lost-confirmed");
    const confirmed = (body: unknown) => typeof body === "object" && body !== null && "confirm" in body;
    bed.heroku.faults.dropConnection(1, { match: { method: "POST", path: `/apps/${id}/addons`, body: confirmed }, afterProcessing: true });
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0" }));
    const created = await bed.host.create(inputs);
    assert.equal(app.addons.size, 1);
    assert.equal(created.id, [...app.addons.keys()][0]);
    assert.equal(bed.heroku.state.confirmedOverwrites, 0);
  });

  it("changes the plan in place within a tier", async () => {
    const { app, id } = newApp("addon-upgrade");
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0" }));
    const created = await bed.host.create(inputs);
    const bigger = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-1" }), inputs);
    const diff = await bed.host.diff(created.id, created.outs, bigger);
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces, []);
    const updated = await bed.host.update(created.id, created.outs, bigger);
    assert.equal(updated.outs.plan, "heroku-postgresql:essential-1");
    assert.equal(app.addons.get(created.id)?.addon.plan.name, "heroku-postgresql:essential-1");
    assert.equal(app.addons.size, 1);
  });

  it("refuses a change that needs a data copy, explaining how to migrate, and never replaces", async () => {
    const { id } = newApp("addon-tier");
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0" }));
    const created = await bed.host.create(inputs);
    const standard = await captureInputs(() => new Addon("db", { app: id, plan: "heroku-postgresql:standard-0" }));
    const result = await bed.host.check(inputs, standard);
    assert.equal(result.failures[0]?.property, "plan");
    assert.match(result.failures[0]?.reason ?? "", /needs a data copy.*pg:copy DATABASE_URL NEW_DATABASE_URL.*pg:promote/s);
    // Even if asked directly, diff never proposes a replacement and update refuses.
    assert.deepEqual((await bed.host.diff(created.id, created.outs, { ...inputs, plan: "heroku-postgresql:standard-0" })).replaces, []);
    await assert.rejects(
      bed.host.update(created.id, created.outs, { ...inputs, plan: "heroku-postgresql:standard-0" }),
      /heroku Addon "db": heroku-postgresql:essential-0 -> heroku-postgresql:standard-0 needs a data copy/,
    );

    const mini = await checked(() => new Addon("cache", { app: id, plan: "heroku-redis:mini" }));
    const premium = await captureInputs(() => new Addon("cache", { app: id, plan: "heroku-redis:premium-0" }));
    assert.match((await bed.host.check(mini, premium)).failures[0]?.reason ?? "", /needs the data moved/);
  });

  it("deletes the add-on (and its config var); gone is success", async () => {
    const { app, id } = newApp("addon-delete");
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0" }));
    const created = await bed.host.create(inputs);
    assert.ok(app.configVars.DATABASE_URL);
    await bed.host.delete(created.id, created.outs);
    assert.equal(app.addons.size, 0);
    assert.equal(app.configVars.DATABASE_URL, undefined);
    await bed.host.delete(created.id, created.outs);
    assert.equal((await bed.host.read(created.id, created.outs)).id, "");
  });

  it("refuses to take over an attachment name used by another service", async () => {
    const { app, id } = newApp("addon-clash");
    bed.heroku.state.createAddon(app, "heroku-redis:mini", "DATABASE", 0);
    const inputs = await checked(() => new Addon("db", { app: id, plan: "heroku-postgresql:essential-0" }));
    await assert.rejects(bed.host.create(inputs), /attachment name DATABASE is already used on this app .*heroku-redis/);
  });
});
