// `ScheduledJobs` through the SDK's dynamic-provider host, from the provider text the program registers, against the
// App Platform emulator (test/emulators/digitalocean.ts): create, update, a failed deployment, delete, faults, the
// token from stack config, and no secret in the serialized text.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { ScheduledJobs, type ScheduledJobsArgs } from "../../providers/digitalocean/resources/scheduledJobs";
import { startDigitaloceanEmulator, TEST_DIGITALOCEAN_TOKEN, type DigitaloceanEmulator } from "../emulators/digitalocean";
import { captureDynamicResources } from "../support/captureProvider";
import { HostResourceError, isSecretValue, startDynamicHost, unwrapSecret, type DynamicHost } from "../support/dynamicHost";

const FAST = {
  DIGITALOCEAN_POLL_INTERVAL_MS: "1",
  DIGITALOCEAN_RETRY_BASE_MS: "1",
  DIGITALOCEAN_RETRY_MAX_DELAY_MS: "20",
  DIGITALOCEAN_MAX_ATTEMPTS: "3",
};
const SECRET = "postgres://u:canary-db-password-9e1@db/x";
const digest = `sha256:${"cd".repeat(32)}`;

function spec(overrides: Partial<ScheduledJobsArgs["spec"]> = {}, cron = "30 3 * * *"): ScheduledJobsArgs["spec"] {
  return {
    name: "shop-staging-jobs",
    region: "ams",
    jobs: [{
      name: "cleanup",
      kind: "SCHEDULED",
      schedule: { cron, time_zone: "Europe/Madrid" },
      timeout: "15m",
      image: { registry_type: "DOCR", repository: "shop-web", digest },
      run_command: "node dist/cleanup.js",
      instance_size_slug: "apps-s-1vcpu-0.5gb",
      instance_count: 1,
      envs: [
        { key: "MODE", value: "full", type: "GENERAL", scope: "RUN_TIME" },
        { key: "DATABASE_URL", value: SECRET, type: "SECRET", scope: "RUN_TIME" },
      ],
    }],
    ...overrides,
  };
}

async function inputsOf(host: DynamicHost, declare: () => void): Promise<Record<string, unknown>> {
  const [captured] = await captureDynamicResources(declare);
  assert.ok(captured);
  const checked = await host.check({}, captured.inputs);
  assert.deepEqual(checked.failures, []);
  return checked.inputs;
}

describe("digitalocean ScheduledJobs through the dynamic-provider host", () => {
  let api: DigitaloceanEmulator;
  let host: DynamicHost;
  before(async () => {
    api = await startDigitaloceanEmulator();
    host = await startDynamicHost({ env: { ...FAST, DIGITALOCEAN_API_URL: api.url, DIGITALOCEAN_TOKEN: api.token } });
  });
  after(async () => {
    await host?.close();
    await api?.close();
  });
  beforeEach(() => api.faults.clear());

  it("creates the jobs App with the whole spec, waits for its deployment, and keeps the spec secret", async () => {
    const inputs = await inputsOf(host, () => new ScheduledJobs("jobs", { spec: spec() }));
    const { id, outs } = await host.create(inputs);
    const app = api.state.appNamed("shop-staging-jobs");
    assert.ok(app);
    assert.equal(id, app.id);
    assert.equal(outs.deploymentId, app.activeDeploymentId, "waited until the deployment was ACTIVE");
    const job = app.spec.jobs![0]!;
    assert.equal(job.kind, "SCHEDULED");
    assert.deepEqual(job.schedule, { cron: "30 3 * * *", time_zone: "Europe/Madrid" });
    assert.equal(job.timeout, "15m");
    assert.equal(app.secretsReceived["cleanup.DATABASE_URL"], SECRET, "the plain value is sent; App Platform encrypts it");
    assert.ok(isSecretValue(outs.spec), "the spec output is a secret");
    assert.ok(api.state.requests.some((r) => r.method === "GET" && /\/deployments\//.test(r.path)));
  });

  it("updates by PUT of the whole spec and waits for the new deployment; an unchanged spec is no change", async () => {
    const inputs = await inputsOf(host, () => new ScheduledJobs("jobs-u", { spec: spec({ name: "upd-staging-jobs" }) }));
    const { id, outs } = await host.create(inputs);
    assert.equal((await host.diff(id, outs, inputs)).changes, false);
    const changed = await inputsOf(host, () => new ScheduledJobs("jobs-u", { spec: spec({ name: "upd-staging-jobs" }, "0 4 * * 1-5") }));
    const diff = await host.diff(id, outs, changed);
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces, []);
    const before = api.state.requests.length;
    const updated = await host.update(id, outs, changed);
    const puts = api.state.requests.slice(before).filter((r) => r.method === "PUT");
    assert.deepEqual(puts.map((r) => r.path), [`/v2/apps/${id}`]);
    const app = api.state.apps.get(id)!;
    assert.equal((app.spec.jobs![0]!.schedule as { cron: string }).cron, "0 4 * * 1-5");
    assert.equal(updated.outs.deploymentId, app.activeDeploymentId);
    assert.equal(app.deployments.length, 2);
  });

  it("replaces the App when its name or region changes", async () => {
    const inputs = await inputsOf(host, () => new ScheduledJobs("jobs-r", { spec: spec({ name: "rep-staging-jobs" }) }));
    const { id, outs } = await host.create(inputs);
    const moved = await inputsOf(host, () => new ScheduledJobs("jobs-r", { spec: spec({ name: "rep-staging-jobs", region: "fra" }) }));
    assert.deepEqual((await host.diff(id, outs, moved)).replaces, ["spec"]);
  });

  it("fails the create when the deployment fails, recording the App as partial state; the next update deploys again", async () => {
    api.failNextDeployment("cleanup: exit status 1");
    const inputs = await inputsOf(host, () => new ScheduledJobs("jobs-f", { spec: spec({ name: "fail-staging-jobs" }) }));
    let failure: unknown;
    try {
      await host.create(inputs);
    } catch (error) {
      failure = error;
    }
    assert.ok(failure instanceof HostResourceError, `expected partial state, got ${String(failure)}`);
    assert.match(failure.message, /deployment .* failed: phase ERROR \(deploy: cleanup: exit status 1\)/);
    const app = api.state.appNamed("fail-staging-jobs");
    assert.ok(app);
    assert.equal(failure.id, app.id);
    assert.equal(app.activeDeploymentId, undefined);
    const updated = await host.update(app.id, failure.props ?? {}, inputs);
    assert.equal(updated.outs.deploymentId, app.activeDeploymentId);
  });

  it("fails an update whose deployment fails", async () => {
    const inputs = await inputsOf(host, () => new ScheduledJobs("jobs-uf", { spec: spec({ name: "updfail-staging-jobs" }) }));
    const { id, outs } = await host.create(inputs);
    const changed = await inputsOf(host, () => new ScheduledJobs("jobs-uf", { spec: spec({ name: "updfail-staging-jobs" }, "0 5 * * *") }));
    api.failNextDeployment();
    await assert.rejects(host.update(id, outs, changed), /jobs-uf: .*deployment .* failed: phase ERROR/);
  });

  it("retries 429s (Retry-After, or RateLimit-Reset) and 500s", async () => {
    api.faults.add({ method: "POST", path: /^\/v2\/apps$/, status: 429, headers: { "Retry-After": "0" } });
    api.faults.add({ method: "GET", path: /deployments/, status: 429, headers: { "RateLimit-Remaining": "0", "RateLimit-Reset": String(Math.floor(Date.now() / 1000)) } });
    api.faults.add({ method: "GET", path: /deployments/, status: 500 });
    const inputs = await inputsOf(host, () => new ScheduledJobs("jobs-429", { spec: spec({ name: "busy-staging-jobs" }) }));
    const { id } = await host.create(inputs);
    assert.equal(api.state.apps.get(id)?.spec.name, "busy-staging-jobs");
    assert.equal([...api.state.apps.values()].filter((a) => a.spec.name === "busy-staging-jobs").length, 1);
  });

  it("adopts the App a POST made when its answer was lost to a 5xx, instead of failing or duplicating it", async () => {
    api.faults.add({ method: "POST", path: /^\/v2\/apps$/, status: 503, applyFirst: true });
    const inputs = await inputsOf(host, () => new ScheduledJobs("jobs-503", { spec: spec({ name: "lost-staging-jobs" }) }));
    const { id } = await host.create(inputs);
    const made = [...api.state.apps.values()].filter((a) => a.spec.name === "lost-staging-jobs");
    assert.equal(made.length, 1);
    assert.equal(made[0]!.id, id);
  });

  it("gives up on a persistent 500 with the method and path, never the token", async () => {
    api.faults.add({ method: "POST", path: /^\/v2\/apps$/, status: 500, times: 10 });
    const inputs = await inputsOf(host, () => new ScheduledJobs("jobs-500", { spec: spec({ name: "down-staging-jobs" }) }));
    await assert.rejects(host.create(inputs), (error: Error) => {
      assert.match(error.message, /DigitalOcean POST \/v2\/apps: 500 server_error/);
      assert.ok(!error.message.includes(TEST_DIGITALOCEAN_TOKEN));
      return true;
    });
  });

  it("reads the App, notices when it is gone, and deletes it (a second delete succeeds)", async () => {
    const inputs = await inputsOf(host, () => new ScheduledJobs("jobs-d", { spec: spec({ name: "del-staging-jobs" }) }));
    const { id, outs } = await host.create(inputs);
    const read = await host.read(id, outs, { inputs });
    assert.equal(read.id, id);
    assert.deepEqual(unwrapSecret(read.props.spec), unwrapSecret(outs.spec), "the recorded spec is kept (secrets come back encrypted)");
    await host.delete(id, outs);
    assert.equal(api.state.apps.has(id), false);
    await host.delete(id, outs);
    assert.equal((await host.read(id, outs)).id, "");
  });

  it("refuses a spec that holds anything but scheduled jobs", async () => {
    const [captured] = await captureDynamicResources(() => {
      new ScheduledJobs("bad", { spec: { name: "x-jobs", services: [], jobs: [{ name: "m", kind: "PRE_DEPLOY" }] } as never });
    });
    const result = await host.check({}, captured!.inputs);
    assert.deepEqual(result.failures.map((f) => f.reason).sort(), ["job m: only SCHEDULED jobs with a schedule.cron belong in this App", "spec.services: this App holds only scheduled jobs"]);
  });
});

describe("digitalocean ScheduledJobs credentials and provider text", () => {
  it("reads the token from secret stack config digitalocean:token when the environment has none", async () => {
    const api = await startDigitaloceanEmulator();
    const host = await startDynamicHost({ env: { ...FAST, DIGITALOCEAN_API_URL: api.url, DIGITALOCEAN_TOKEN: undefined }, config: { "digitalocean:token": api.token } });
    try {
      const inputs = await inputsOf(host, () => new ScheduledJobs("jobs-c", { spec: spec({ name: "cfg-staging-jobs" }) }));
      const { id } = await host.create(inputs);
      assert.ok(api.state.apps.has(id));
    } finally {
      await host.close();
      await api.close();
    }
  });

  it("fails with how to set the token when there is none", async () => {
    const api = await startDigitaloceanEmulator();
    const host = await startDynamicHost({ env: { ...FAST, DIGITALOCEAN_API_URL: api.url, DIGITALOCEAN_TOKEN: undefined } });
    try {
      const inputs = await inputsOf(host, () => new ScheduledJobs("jobs-n", { spec: spec({ name: "none-staging-jobs" }) }));
      await assert.rejects(host.create(inputs), /pulumi config set --secret digitalocean:token/);
      assert.equal(api.state.requests.length, 0);
    } finally {
      await host.close();
      await api.close();
    }
  });

  it("serializes a provider text with no token, no secret value, no machine path and no package require", async () => {
    const saved = process.env.DIGITALOCEAN_TOKEN;
    process.env.DIGITALOCEAN_TOKEN = "dop_v1_program-canary-token";
    try {
      const [captured] = await captureDynamicResources(() => {
        new ScheduledJobs("jobs", { spec: spec() });
      });
      assert.equal(captured?.type, "pulumi-nodejs:dynamic/digitalocean:ScheduledJobs");
      const text = captured!.inputs.__provider;
      assert.equal(typeof text, "string");
      for (const forbidden of ["dop_v1_program-canary-token", SECRET, process.cwd(), __dirname]) {
        assert.ok(!(text as string).includes(forbidden), `the provider text contains ${forbidden}`);
      }
      assert.deepEqual((text as string).match(/require\("[^.][^"]*"\)/g) ?? [], [], "only relative requires");
      // A SECRET env value is wrapped as a secret, which makes the whole `spec` property a secret on the wire.
      assert.ok(isSecretValue(captured!.inputs.spec), "the spec is sent as a secret");
    } finally {
      process.env.DIGITALOCEAN_TOKEN = saved;
    }
  });
});
