// `AddonAttachment` through the SDK's dynamic-provider host against the Heroku emulator, and the emulator's
// behaviour that makes attachments worth having: a credential rotation reaches attached apps, not copies.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AddonAttachment } from "../../providers/heroku/resources";
import { captureInputs, checkedInputs, seedApp, useHerokuTestbed } from "../emulators/heroku/testbed";
import type { EmulatedAddon, EmulatedApp } from "../emulators/heroku";

const bed = useHerokuTestbed();

const checked = (declare: () => void, olds: Record<string, unknown> = {}) => checkedInputs(bed, declare, olds);

/** A data app owning a provisioned Postgres add-on, and a service app to attach it to. */
function dataAndService(prefix: string): { data: EmulatedApp; addon: EmulatedAddon; service: EmulatedApp; serviceId: string } {
  const { app: data } = seedApp(bed, `${prefix}-data`);
  const addon = bed.heroku.state.createAddon(data, "heroku-postgresql:essential-0", "DB", 0);
  const { app: service, id: serviceId } = seedApp(bed, `${prefix}-web`);
  return { data, addon, service, serviceId };
}

function attachmentPosts(): number {
  return bed.heroku.requests.filter((r) => r.method === "POST" && r.path === "/addon-attachments").length;
}

describe("heroku AddonAttachment", () => {
  it("attaches the add-on: its URL appears in the app as <NAME>_URL, and read finds it", async () => {
    const { addon, service, serviceId } = dataAndService("att-create");
    const inputs = await checked(() => new AddonAttachment("web-db", { addon: addon.addon.id, app: serviceId, name: "DATABASE" }));
    const created = await bed.host.create(inputs);
    assert.equal(service.configVars.DATABASE_URL, addon.url);
    assert.equal(created.outs.configVarName, "DATABASE_URL");
    assert.equal(created.outs.addonName, addon.addon.name);
    assert.ok(!JSON.stringify(created.outs).includes(addon.url), "the state holds no URL");
    assert.equal(bed.heroku.state.attachments.get(created.id)?.appId, serviceId);
    assert.equal((await bed.host.diff(created.id, created.outs, inputs)).changes, false);

    const read = await bed.host.read(created.id, created.outs, { inputs });
    assert.equal(read.id, created.id);
    assert.equal(read.props.configVarName, "DATABASE_URL");
  });

  it("detaches on delete, leaving the add-on and its data; gone is success, and read reports it gone", async () => {
    const { data, addon, service, serviceId } = dataAndService("att-delete");
    const created = await bed.host.create(await checked(() => new AddonAttachment("web-db", { addon: addon.addon.id, app: serviceId, name: "DATABASE" })));
    await bed.host.delete(created.id, created.outs);
    assert.equal(service.configVars.DATABASE_URL, undefined);
    assert.equal(bed.heroku.state.attachments.has(created.id), false, "detached on Heroku");
    assert.ok(data.addons.has(addon.addon.id), "the add-on survives");
    assert.equal(data.configVars.DB_URL, addon.url, "the owner app keeps its URL");
    await bed.host.delete(created.id, created.outs);
    assert.equal((await bed.host.read(created.id, created.outs)).id, "");
  });

  it("replaces on another add-on, app or name, detaching first only when the name stays", async () => {
    const { data, addon, serviceId } = dataAndService("att-replace");
    const inputs = await checked(() => new AddonAttachment("web-db", { addon: addon.addon.id, app: serviceId, name: "DATABASE" }));
    const created = await bed.host.create(inputs);
    const other = bed.heroku.state.createAddon(data, "heroku-postgresql:essential-0", "OTHER", 0);

    const newAddon = await checked(() => new AddonAttachment("web-db", { addon: other.addon.id, app: serviceId, name: "DATABASE" }), inputs);
    const byAddon = await bed.host.diff(created.id, created.outs, newAddon);
    assert.deepEqual(byAddon.replaces, ["addon"]);
    assert.equal(byAddon.deleteBeforeReplace, true, "the name is taken on the app until the old one goes");

    const renamed = await checked(() => new AddonAttachment("web-db", { addon: addon.addon.id, app: serviceId, name: "PRIMARY" }), inputs);
    const byName = await bed.host.diff(created.id, created.outs, renamed);
    assert.deepEqual(byName.replaces, ["name"]);
    assert.equal(byName.deleteBeforeReplace, false);

    // The replacement as the engine runs it for a new add-on under the same name: delete, then create.
    await bed.host.delete(created.id, created.outs);
    const replacement = await bed.host.create(newAddon);
    assert.notEqual(replacement.id, created.id);
    assert.equal(bed.heroku.state.appNamed("att-replace-web").configVars.DATABASE_URL, other.url);
  });

  it("recovers from a rate limit and from a POST whose answer was lost, without a second attachment", async () => {
    const { addon, service, serviceId } = dataAndService("att-lost");
    bed.heroku.faults.rateLimit(1, { match: { method: "POST", path: "/addon-attachments" } });
    bed.heroku.faults.dropConnection(1, { match: { method: "POST", path: "/addon-attachments" }, afterProcessing: true });
    const before = attachmentPosts();
    const inputs = await checked(() => new AddonAttachment("web-db", { addon: addon.addon.id, app: serviceId, name: "DATABASE" }));
    const created = await bed.host.create(inputs);
    assert.ok(attachmentPosts() - before >= 3, "429, lost answer, then the retry that finds the name taken");
    const mine = [...bed.heroku.state.attachments.values()].filter((a) => a.appId === serviceId);
    assert.equal(mine.length, 1, "one attachment");
    assert.equal(created.id, mine[0]?.attachment.id, "the one the lost POST made");
    assert.equal(service.configVars.DATABASE_URL, addon.url);
  });

  it("refuses to adopt a name another add-on holds on the app", async () => {
    const { data, addon, serviceId } = dataAndService("att-clash");
    const other = bed.heroku.state.createAddon(data, "heroku-redis:mini", "CACHE", 0);
    bed.heroku.state.attach(data, other, bed.heroku.state.appNamed("att-clash-web"), "DATABASE");
    const inputs = await checked(() => new AddonAttachment("web-db", { addon: addon.addon.id, app: serviceId, name: "DATABASE" }));
    await assert.rejects(bed.host.create(inputs), new RegExp(`heroku AddonAttachment "web-db": the attachment name DATABASE is already used on this app by add-on ${other.addon.name}`));
  });

  it("rejects a name that is not a config var prefix, and a missing add-on, in check", async () => {
    const { serviceId } = dataAndService("att-check");
    const result = await bed.host.check({}, await captureInputs(() => new AddonAttachment("x", { addon: "", app: serviceId, name: "database-url" })));
    assert.deepEqual(result.failures.map((f) => f.property).sort(), ["addon", "name"]);
  });
});

describe("heroku emulator credential rotation", () => {
  it("changes the URL in the owner app and every attached app, but not in an app holding a copy", async () => {
    const { data, addon, service, serviceId } = dataAndService("rotate");
    const { app: copier } = seedApp(bed, "rotate-copy");
    copier.configVars.DATABASE_URL = addon.url;
    await bed.host.create(await checked(() => new AddonAttachment("web-db", { addon: addon.addon.id, app: serviceId, name: "DATABASE" })));
    const old = addon.url;

    const rotated = bed.heroku.state.rotateAddonCredentials(addon.addon.id);
    assert.notEqual(rotated, old);
    assert.equal(data.configVars.DB_URL, rotated);
    const live = (await (await fetch(`${bed.heroku.url}/apps/${serviceId}/config-vars`, {
      headers: { Authorization: `Bearer ${bed.heroku.apiKey}`, Accept: "application/vnd.heroku+json; version=3" },
    })).json()) as Record<string, string>;
    assert.equal(live.DATABASE_URL, rotated, "the attached app sees the new credentials through the API");
    assert.equal(service.configVars.DATABASE_URL, rotated);
    assert.equal(copier.configVars.DATABASE_URL, old, "a copied URL goes stale");
  });
});
