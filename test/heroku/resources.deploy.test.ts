// `ContainerRelease`, `Formation`, `Domain` and `LogDrain` through the SDK's dynamic-provider host against the
// Heroku emulator.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ContainerRelease, Domain, Formation, LogDrain } from "../../providers/heroku/resources";
import { HostResourceError, isSecretValue, unwrapSecret } from "../support/dynamicHost";
import { captureInputs, checkedInputs, createExpectingPartialState, plaintextOf, seedApp, useHerokuTestbed } from "../emulators/heroku/testbed";
import type { EmulatedApp, EmulatedImage, ManifestKind } from "../emulators/heroku";

const bed = useHerokuTestbed();

const digest = (c: string): string => `sha256:${c.repeat(64)}`;

const checked = (declare: () => void) => checkedInputs(bed, declare);
const newApp = (name: string, stack?: string) => seedApp(bed, name, stack);

/** An app whose current release runs web and worker images (so they can be scaled). */
function releasedApp(name: string): { app: EmulatedApp; id: string } {
  const made = newApp(name);
  bed.heroku.state.addRelease(made.app, {
    description: "Deployed web, worker",
    pollsLeft: 0,
    finalStatus: "succeeded",
    output: "",
    images: { web: digest("1"), worker: digest("2") },
  });
  return made;
}

describe("heroku ContainerRelease", () => {
  /** `docker push registry.heroku.com/<app>/<type>`: the image as the registry then holds it. */
  const push = (app: EmulatedApp, type: string, kind?: ManifestKind): EmulatedImage => bed.heroku.state.pushImage(app.app.name as string, type, kind);
  const formationPatches = (id: string) =>
    bed.heroku.requests.filter((r) => r.method === "PATCH" && r.path === `/apps/${id}/formation`);

  it("releases the image ids (config digests) read from the registry, with the release phase, and waits", async () => {
    const { app, id } = newApp("release-create");
    const web = push(app, "web");
    const releasePhase = push(app, "release");
    assert.notEqual(web.configDigest, web.manifestDigest, "the emulator tells the two digests apart");
    bed.heroku.faults.releasePendingPolls = 3;
    const inputs = await checked(
      () => new ContainerRelease("web-release", { app: id, images: { web: web.manifestDigest }, releaseImage: releasePhase.manifestDigest }),
    );
    const created = await bed.host.create(inputs);

    const manifestReads = bed.heroku.requests.filter((r) => r.path.startsWith(`/v2/${app.app.name}/`));
    assert.deepEqual(
      manifestReads.map((r) => r.path).sort(),
      [`/v2/${app.app.name}/release/manifests/${releasePhase.manifestDigest}`, `/v2/${app.app.name}/web/manifests/${web.manifestDigest}`],
    );
    for (const read of manifestReads) {
      assert.equal(read.status, 200);
      assert.equal(read.headers.authorization, `Basic ${Buffer.from(`:${bed.heroku.apiKey}`).toString("base64")}`, "the CLI's registry credentials");
      assert.match(read.headers.accept ?? "", /application\/vnd\.docker\.distribution\.manifest\.v2\+json/);
    }
    const patch = formationPatches(id)[0];
    assert.equal(patch?.headers.accept, "application/vnd.heroku+json; version=3.docker-releases");
    assert.deepEqual(patch?.body, {
      updates: [
        { type: "web", docker_image: web.configDigest },
        { type: "release", docker_image: releasePhase.configDigest },
      ],
    });
    const newest = app.releases.at(-1)?.release;
    assert.equal(newest?.status, "succeeded");
    assert.equal(created.outs.releaseStatus, "succeeded");
    assert.equal(created.outs.releaseVersion, newest?.version);
    assert.equal(app.images.web, web.configDigest);
  });

  it("re-releases when a digest changes, and only then", async () => {
    const { app, id } = newApp("release-update");
    const first = push(app, "web");
    const inputs = await checked(() => new ContainerRelease("rel", { app: id, images: { web: first.manifestDigest } }));
    const created = await bed.host.create(inputs);
    assert.equal((await bed.host.diff(id, created.outs, inputs)).changes, false);

    const bumped = { ...inputs, providerVersion: "999" };
    const releasesBefore = app.releases.length;
    await bed.host.update(id, created.outs, bumped);
    assert.equal(app.releases.length, releasesBefore, "a provider-version bump alone does not re-run the release phase");

    const web = push(app, "web");
    const releasePhase = push(app, "release");
    const next = await checked(() => new ContainerRelease("rel", { app: id, images: { web: web.manifestDigest }, releaseImage: releasePhase.manifestDigest }));
    const diff = await bed.host.diff(id, created.outs, next);
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces, []);
    const updated = await bed.host.update(id, created.outs, next);
    assert.ok(Number(updated.outs.releaseVersion) > Number(created.outs.releaseVersion));
    assert.equal(app.images.web, web.configDigest);
  });

  it("finishes at once when Heroku makes no release because the app already runs those images", async () => {
    const { app, id } = newApp("release-same");
    const web = push(app, "web");
    const inputs = await checked(() => new ContainerRelease("rel", { app: id, images: { web: web.manifestDigest }, releaseTimeoutSeconds: 60 }));
    const created = await bed.host.create(inputs);
    const releases = app.releases.length;
    // The same image again (state lost, or a replacement): Heroku answers 200 and makes no release.
    const requestsBefore = bed.heroku.requests.length;
    const again = await bed.host.create(inputs);
    const releaseReads = bed.heroku.requests.slice(requestsBefore).filter((r) => r.method === "GET" && r.path === `/apps/${id}/releases`);
    assert.ok(releaseReads.length <= 3, `${releaseReads.length} reads of the release list: it polled for a release that never comes`);
    assert.equal(formationPatches(id).length, 2);
    assert.equal(app.releases.length, releases, "no release was made");
    assert.equal(again.outs.releaseVersion, created.outs.releaseVersion, "the release running those images");
    assert.equal(again.outs.releaseStatus, "succeeded");
  });

  for (const kind of ["oci", "ociIndex"] as const) {
    it(`refuses an image pushed as ${kind === "oci" ? "an OCI manifest" : "an OCI index"} before releasing anything, naming the Docker setting`, async () => {
      const { app, id } = newApp(`release-${kind.toLowerCase()}`);
      const web = push(app, "web", kind);
      const inputs = await checked(() => new ContainerRelease("rel", { app: id, images: { web: web.manifestDigest } }));
      await assert.rejects(bed.host.create(inputs), (error: Error) => {
        assert.match(error.message, /heroku ContainerRelease "rel": /);
        assert.match(error.message, new RegExp(`registry\\.heroku\\.com/${app.app.name}/web@${web.manifestDigest}`));
        assert.match(error.message, /application\/vnd\.oci\.image\.(manifest|index)\.v1\+json/);
        assert.match(error.message, /Use containerd for pulling and storing images/);
        assert.match(error.message, /"containerd-snapshotter": false/);
        return true;
      });
      assert.equal(formationPatches(id).length, 0, "nothing was released");
    });
  }

  it("refuses an app that is not on the container stack before reading or releasing anything", async () => {
    const { app, id } = newApp("release-buildpack", "heroku-24");
    const web = push(app, "web");
    const inputs = await checked(() => new ContainerRelease("rel", { app: id, images: { web: web.manifestDigest } }));
    await assert.rejects(bed.host.create(inputs), /heroku ContainerRelease "rel": app release-buildpack runs on the heroku-24 stack; container images need the container stack/);
    assert.equal(formationPatches(id).length, 0);
    assert.ok(!bed.heroku.requests.some((r) => r.path.startsWith("/v2/release-buildpack/")));
  });

  it("retries the registry read through server errors and a dropped connection", async () => {
    const { app, id } = newApp("release-registry-faults");
    const web = push(app, "web");
    bed.heroku.faults.serverError(1, { match: { path: /^\/v2\// }, status: 503 });
    bed.heroku.faults.dropConnection(1, { match: { path: /^\/v2\// } });
    const inputs = await checked(() => new ContainerRelease("rel", { app: id, images: { web: web.manifestDigest } }));
    await bed.host.create(inputs);
    assert.equal(app.images.web, web.configDigest);
    assert.equal(bed.heroku.requests.filter((r) => r.path.startsWith("/v2/release-registry-faults/")).length, 3);
  });

  it("says which image is missing from the registry", async () => {
    const { id } = newApp("release-missing");
    const inputs = await checked(() => new ContainerRelease("rel", { app: id, images: { web: digest("e") } }));
    await assert.rejects(bed.host.create(inputs), /registry\.heroku\.com\/release-missing\/web@sha256:e{64} .*not in the registry/);
    assert.equal(formationPatches(id).length, 0);
  });

  it("fails the deploy when the release phase fails, with the release-phase output", async () => {
    const { app, id } = newApp("release-fails");
    const web = push(app, "web");
    const releasePhase = push(app, "release");
    bed.heroku.faults.releasePendingPolls = 2;
    bed.heroku.faults.failNextRelease("Running migrations...\nERROR: relation \"users\" does not exist\n");
    const inputs = await checked(() => new ContainerRelease("rel", { app: id, images: { web: web.manifestDigest }, releaseImage: releasePhase.manifestDigest }));
    await assert.rejects(bed.host.create(inputs), (error: Error) => {
      assert.ok(!(error instanceof HostResourceError && error.id), "a failed release records nothing: the next up retries");
      assert.match(error.message, /heroku ContainerRelease "rel": release v\d+ failed: the release phase failed/);
      assert.match(error.message, /ERROR: relation "users" does not exist/);
      return true;
    });
    assert.equal(app.images.web, undefined, "a failed release is not deployed");
    const stream = bed.heroku.requests.find((r) => r.path.startsWith("/release-streams/"));
    assert.ok(stream, "the output was fetched");
    assert.equal(stream.headers.authorization, undefined, "the API key is not sent to the output stream");

    // The next `pulumi up` runs create again and succeeds.
    const retried = await bed.host.create(inputs);
    assert.equal(retried.outs.releaseStatus, "succeeded");
  });

  it("reads as present while the app exists; delete leaves what runs alone", async () => {
    const { app, id } = newApp("release-read");
    const web = push(app, "web");
    const inputs = await checked(() => new ContainerRelease("rel", { app: id, images: { web: web.manifestDigest } }));
    const created = await bed.host.create(inputs);
    const read = await bed.host.read(id, created.outs);
    assert.equal(read.id, id);
    assert.equal(read.props.releaseVersion, created.outs.releaseVersion);
    const releases = app.releases.length;
    await bed.host.delete(id, created.outs);
    assert.equal(app.releases.length, releases);
    assert.equal(app.images.web, web.configDigest);
    bed.heroku.state.apps.delete(id);
    assert.equal((await bed.host.read(id, created.outs)).id, "");
  });

  it("rejects what is not a digest in check", async () => {
    const result = await bed.host.check(
      {},
      await captureInputs(() => new ContainerRelease("rel", { app: "x", images: { web: "registry.heroku.com/x/web:latest" } })),
    );
    assert.equal(result.failures[0]?.property, "images");
  });
});

describe("heroku Formation", () => {
  it("scales process types, comparing sizes case-insensitively", async () => {
    const { app, id } = releasedApp("formation-create");
    const inputs = await checked(
      () => new Formation("dynos", { app: id, processes: { web: { quantity: 2, size: "standard-1x" }, worker: { quantity: 1, size: "basic" } } }),
    );
    const created = await bed.host.create(inputs);
    assert.equal(app.formation.get("web")?.quantity, 2);
    assert.equal(app.formation.get("web")?.size, "Standard-1X");
    assert.deepEqual((created.outs.processes as Record<string, unknown>).web, { quantity: 2, size: "Standard-1X" });
    assert.equal((await bed.host.diff(id, created.outs, inputs)).changes, false, "Standard-1X == standard-1x");

    const smaller = await checked(() => new Formation("dynos", { app: id, processes: { web: { quantity: 1, size: "standard-1X" } } }));
    assert.equal((await bed.host.diff(id, created.outs, smaller)).changes, true);
    await bed.host.update(id, created.outs, smaller);
    assert.equal(app.formation.get("web")?.quantity, 1);
    assert.equal(app.formation.get("worker")?.quantity, 0, "a type dropped from the map is scaled to 0");
  });

  it("reads scaling done behind its back, so the next update restores it", async () => {
    const { app, id } = releasedApp("formation-read");
    const inputs = await checked(() => new Formation("dynos", { app: id, processes: { web: { quantity: 2, size: "basic" } } }));
    const created = await bed.host.create(inputs);
    const web = app.formation.get("web");
    assert.ok(web);
    web.quantity = 5;
    const read = await bed.host.read(id, created.outs);
    assert.deepEqual((read.props.processes as Record<string, unknown>).web, { quantity: 5, size: "Basic" });
    assert.equal((await bed.host.diff(id, read.props, inputs)).changes, true);
    await bed.host.update(id, read.props, inputs);
    assert.equal(web.quantity, 2);
  });

  it("scales to 0 on delete (Heroku has no formation DELETE), even if a type vanished", async () => {
    const { app, id } = releasedApp("formation-delete");
    const inputs = await checked(
      () => new Formation("dynos", { app: id, processes: { web: { quantity: 3, size: "basic" }, worker: { quantity: 1, size: "basic" } } }),
    );
    const created = await bed.host.create(inputs);
    app.formation.delete("worker");
    await bed.host.delete(id, created.outs);
    assert.equal(app.formation.get("web")?.quantity, 0);
    bed.heroku.state.apps.delete(id);
    await bed.host.delete(id, created.outs);
  });

  it("says which process type is missing from the release", async () => {
    const { id } = releasedApp("formation-missing");
    const inputs = await checked(() => new Formation("dynos", { app: id, processes: { clock: { quantity: 1, size: "basic" } } }));
    await assert.rejects(bed.host.create(inputs), /heroku Formation "dynos": 422 invalid_params: Couldn't find that process type \(clock\)/);
  });
});

describe("heroku Domain", () => {
  it("adds the domain, enables ACM without waiting for it, and outputs the DNS target", async () => {
    const { app, id } = newApp("domain-create");
    const inputs = await checked(() => new Domain("api-domain", { app: id, hostname: "API.Example.com" }));
    assert.equal(inputs.hostname, "api.example.com");
    const created = await bed.host.create(inputs);
    const domain = app.domains.get(created.id);
    assert.ok(domain);
    assert.equal(created.outs.cname, domain.cname);
    assert.match(String(created.outs.cname), /\.herokudns\.com$/);
    assert.equal(app.app.acm, true);
    assert.ok(bed.heroku.requests.some((r) => r.method === "POST" && r.path === `/apps/${id}/acm`));
    assert.equal((await bed.host.diff(created.id, created.outs, inputs)).changes, false);
  });

  it("records the domain as partial state when ACM fails, and the next update enables ACM", async () => {
    const { app, id } = newApp("domain-acm");
    bed.heroku.faults.reject({
      match: { method: "POST", path: `/apps/${id}/acm` },
      status: 422,
      id: "invalid_params",
      message: "Automated Certificate Management requires paid dynos.",
    });
    const inputs = await checked(() => new Domain("www", { app: id, hostname: "www.example.com" }));
    const partial = await createExpectingPartialState(bed, inputs);
    assert.ok(partial.id, "the partial state has an id");
    assert.match(partial.message, /heroku Domain "www": 422 invalid_params: Automated Certificate Management requires paid dynos/);
    assert.ok(app.domains.has(partial.id));
    assert.equal(partial.props?.cname, app.domains.get(partial.id)?.cname, "the DNS target is already usable");
    assert.equal(app.app.acm, false);

    const finished = await bed.host.update(partial.id, partial.props ?? {}, inputs);
    assert.equal(app.app.acm, true);
    assert.equal(finished.outs.acmEnabled, true);
    assert.equal(app.domains.size, 1);
  });

  it("replaces on a hostname change; moving a hostname to another app deletes it first", async () => {
    const { id } = newApp("domain-replace");
    const other = newApp("domain-replace-2");
    const inputs = await checked(() => new Domain("d", { app: id, hostname: "a.example.com" }));
    const created = await bed.host.create(inputs);
    const renamed = await checked(() => new Domain("d", { app: id, hostname: "b.example.com" }));
    const diff = await bed.host.diff(created.id, created.outs, renamed);
    assert.deepEqual(diff.replaces, ["hostname"]);
    assert.equal(diff.deleteBeforeReplace, false);
    const moved = await checked(() => new Domain("d", { app: other.id, hostname: "a.example.com" }));
    const moveDiff = await bed.host.diff(created.id, created.outs, moved);
    assert.deepEqual(moveDiff.replaces, ["app"]);
    assert.equal(moveDiff.deleteBeforeReplace, true);
  });

  it("adopts its own domain after a lost answer, and deletes it", async () => {
    const { app, id } = newApp("domain-lost");
    bed.heroku.faults.dropConnection(1, { match: { method: "POST", path: `/apps/${id}/domains` }, afterProcessing: true });
    const inputs = await checked(() => new Domain("d", { app: id, hostname: "lost.example.com" }));
    const created = await bed.host.create(inputs);
    assert.equal(app.domains.size, 1);
    assert.ok(app.domains.has(created.id));
    await bed.host.delete(created.id, created.outs);
    assert.equal(app.domains.size, 0);
    await bed.host.delete(created.id, created.outs);
    assert.equal((await bed.host.read(created.id, created.outs)).id, "");
  });
});

describe("heroku LogDrain", () => {
  const drainUrl = "https://logs.example.com/ingest?token=drain-t0ken-123";

  it("adds a drain, keeping its URL secret", async () => {
    const { app, id } = newApp("drain-create");
    const inputs = await checked(() => new LogDrain("logs", { app: id, url: drainUrl }));
    assert.ok(isSecretValue(inputs.url));
    const created = await bed.host.create(inputs);
    const drain = app.logDrains.get(created.id);
    assert.equal(drain?.url, drainUrl);
    assert.equal(created.outs.token, drain?.token);
    assert.equal(unwrapSecret(created.outs.url), drainUrl);
    assert.ok(!plaintextOf(created.outs).includes("drain-t0ken-123"));
    assert.equal((await bed.host.diff(created.id, created.outs, inputs)).changes, false);
    const read = await bed.host.read(created.id, created.outs);
    assert.ok(isSecretValue(read.props.url));
  });

  it("replaces on a URL change, and deletes", async () => {
    const { app, id } = newApp("drain-replace");
    const inputs = await checked(() => new LogDrain("logs", { app: id, url: drainUrl }));
    const created = await bed.host.create(inputs);
    const changed = await checked(() => new LogDrain("logs", { app: id, url: "syslog+tls://logs.example.com:6514" }));
    assert.deepEqual((await bed.host.diff(created.id, created.outs, changed)).replaces, ["url"]);
    await bed.host.delete(created.id, created.outs);
    assert.equal(app.logDrains.size, 0);
    await bed.host.delete(created.id, created.outs);
  });

  it("rejects a URL that is not a drain URL, without echoing it", async () => {
    const result = await bed.host.check({}, await captureInputs(() => new LogDrain("logs", { app: "x", url: "ftp://secret-token@host" })));
    assert.equal(result.failures[0]?.property, "url");
    assert.ok(!result.failures[0]?.reason.includes("secret-token"));
  });
});
