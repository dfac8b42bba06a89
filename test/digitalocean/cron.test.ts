/**
 * Cron jobs on DigitalOcean, wired: the sample app moved whole to DigitalOcean by `multicloud:backend` plans, its
 * cron job a SCHEDULED job of the stack's jobs App (a `ScheduledJobs` dynamic resource, one owner per App spec),
 * with the time zone, the timeout and the web service's image; the database's firewall trusts the jobs App too.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { isSecret, planProgram, revealSecrets, type PlanResult } from "../../scripts/plan/run";
import { goDuration } from "../../providers/digitalocean/jobsSpec";

const REPO = path.resolve(__dirname, "../..");
const JOBS = "pulumi-nodejs:dynamic/digitalocean:ScheduledJobs";

interface Job {
  name: string; kind: string; schedule: { cron: string; time_zone: string }; timeout: string; run_command: string;
  image: { registry_type: string; repository: string; digest: string }; instance_size_slug: string; instance_count: number;
  envs: { key: string; value: string; type: string; scope: string }[];
}

describe("the sample app on DigitalOcean (multicloud:backend: digitalocean)", () => {
  let plan: PlanResult;
  before(async () => {
    plan = await planProgram({
      dir: REPO,
      stack: "staging",
      config: {
        "multicloud:backend": "digitalocean",
        "multicloud:cronJobs": JSON.stringify({ cleanup: { timeoutSeconds: 900 } }),
      },
    });
  });

  it("plans every part on digitalocean, the cron job included", () => {
    assert.equal(plan.error, undefined, plan.error?.message);
    const cleanup = plan.components.find((c) => c.name === "cleanup");
    assert.equal(cleanup?.backend, "digitalocean");
  });

  it("plans the sample's cron job as a SCHEDULED job of the jobs App, alone in its spec", () => {
    const jobsApps = plan.resources.filter((r) => r.type === JOBS);
    assert.equal(jobsApps.length, 1);
    const resource = jobsApps[0]!;
    const spec = revealSecrets(resource.inputs.spec) as { name: string; region: string; jobs: Job[] };
    assert.deepEqual(Object.keys(spec).sort(), ["jobs", "name", "region"]);
    assert.equal(spec.name, "sample-staging-jobs", "names the jobs App <app>-<stack>-jobs");
    const [job] = spec.jobs;
    assert.equal(job?.name, "cleanup");
    assert.equal(job.kind, "SCHEDULED");
    assert.deepEqual(job.schedule, { cron: "30 3 * * *", time_zone: "UTC" });
    assert.equal(job.run_command, "node jobs/cleanup.js");
    assert.equal(job.instance_count, 1);
    assert.match(job.instance_size_slug, /^apps-s-/);
    // The web service's image: same repository and digest as the services App's `web`, nothing pushed twice.
    const app = plan.resources.find((r) => r.type === "digitalocean:index/app:App");
    const web = (revealSecrets(app!.inputs.spec) as { services: { name: string; image: { repository: string; digest: string } }[] }).services.find((s) => s.name === "web")!;
    assert.deepEqual(job.image, { registry_type: "DOCR", repository: web.image.repository, digest: web.image.digest });
    const databaseUrl = job.envs.find((e) => e.key === "DATABASE_URL");
    assert.equal(databaseUrl?.type, "SECRET");
    assert.ok(isSecret(resource.inputs.spec), "the spec, SECRET env values in it, is sent as a Pulumi secret");
  });

  it("honours the timeout through the job's own `timeout` field", () => {
    const spec = revealSecrets(plan.resources.find((r) => r.type === JOBS)!.inputs.spec) as { jobs: Job[] };
    assert.equal(spec.jobs[0]!.timeout, "15m");
    assert.deepEqual([goDuration(60), goDuration(5400), goDuration(90), goDuration(86_400)], ["1m", "1h30m", "1m30s", "24h"]);
  });

  it("lets the linked database's firewall trust the jobs App as well as the services App", () => {
    const firewalls = plan.resources.filter((r) => r.type === "digitalocean:index/databaseFirewall:DatabaseFirewall");
    const db = firewalls.find((f) => f.name.startsWith("db"));
    assert.ok(db, `firewalls: ${firewalls.map((f) => f.name).join(", ")}`);
    const rules = revealSecrets(db.inputs.rules) as { type: string; value: string }[];
    assert.equal(rules.filter((r) => r.type === "app").length, 2, JSON.stringify(rules));
  });

  it("puts the jobs App in the stack's project, and notes the jobs' cost as billed only while they run", () => {
    const members = plan.resources.find((r) => r.type === "digitalocean:index/projectResources:ProjectResources");
    const urns = revealSecrets(members!.inputs.resources) as string[];
    assert.ok(urns.some((u) => /^do:app:/.test(u)), JSON.stringify(urns));
    const note = plan.notes.find((n) => n.startsWith("digitalocean:")) ?? "";
    assert.match(note, /cleanup: scheduled job on apps-s-1vcpu-0\.5gb at ~\$0\.0068 per hour of running .*30 runs a month/);
  });
});
