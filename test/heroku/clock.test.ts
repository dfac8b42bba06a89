// The Heroku clock: when jobs fire (time zones, daylight saving), which runs are due after restarts, overlap
// and failures, and the Platform API calls it makes, against a small fake of the dyno endpoints on 127.0.0.1
// (the shared Heroku emulator does not serve dynos).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, it } from "node:test";
import { DynoApiError, dynoApi } from "../../providers/heroku/clock/api";
import { Clock } from "../../providers/heroku/clock/clock";
import { commandLine, encodeJob, jobVarName, jobsFromEnv } from "../../providers/heroku/clock/jobs";
import type { ClockJob } from "../../providers/heroku/clock/jobs";
import { fireTimesBetween, nextFireAfter, scheduleProblem } from "../../providers/heroku/clock/schedule";
import { decideRun, markHandled, newClockState, planTick } from "../../providers/heroku/clock/tick";
import type { DynoInfo } from "../../providers/heroku/clock/tick";

const API_KEY = "hrku-test-key-0123456789abcdef";
const SECRET_VALUE = "sk_live_do_not_log_me";

function job(overrides: Partial<ClockJob> = {}): ClockJob {
  return {
    name: "report",
    app: "11111111-2222-3333-4444-555555555555",
    command: "node report.js",
    schedule: "0 * * * *",
    timezone: "UTC",
    size: "basic",
    timeoutSeconds: 600,
    env: { STRIPE_KEY: SECRET_VALUE },
    ...overrides,
  };
}

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const at = (text: string) => new Date(text);

void describe("schedule", () => {
  void it("reads the schedule in the job's time zone, winter and summer alike", () => {
    // 07:30 in Madrid is 06:30 UTC in winter (CET) and 05:30 UTC in summer (CEST).
    const winter = fireTimesBetween("30 7 * * *", "Europe/Madrid", at("2025-01-14T00:00:00Z"), at("2025-01-16T00:00:00Z"));
    const summer = fireTimesBetween("30 7 * * *", "Europe/Madrid", at("2025-07-14T00:00:00Z"), at("2025-07-15T00:00:00Z"));
    assert.deepEqual(iso(winter), ["2025-01-14T06:30:00.000Z", "2025-01-15T06:30:00.000Z"]);
    assert.deepEqual(iso(summer), ["2025-07-14T05:30:00.000Z"]);
  });

  void it("fires a wall-clock time skipped by spring-forward once, an hour later in wall-clock terms", () => {
    // Europe/Madrid jumps from 02:00 to 03:00 on 2025-03-30: 02:30 does not exist that day.
    const times = fireTimesBetween("30 2 * * *", "Europe/Madrid", at("2025-03-29T00:00:00Z"), at("2025-03-31T23:59:00Z"));
    assert.deepEqual(iso(times), [
      "2025-03-29T01:30:00.000Z", // 02:30 CET
      "2025-03-30T01:30:00.000Z", // 03:30 CEST: the skipped 02:30, run once
      "2025-03-31T00:30:00.000Z", // 02:30 CEST
    ]);
  });

  void it("fires a wall-clock time repeated by fall-back only once", () => {
    // Europe/Madrid goes back from 03:00 to 02:00 on 2025-10-26: 02:30 happens twice that night.
    const times = fireTimesBetween("30 2 * * *", "Europe/Madrid", at("2025-10-25T12:00:00Z"), at("2025-10-26T12:00:00Z"));
    assert.deepEqual(iso(times), ["2025-10-26T00:30:00.000Z"]);
  });

  void it("keeps interval schedules on real time across the fall-back hour", () => {
    const times = fireTimesBetween("*/30 * * * *", "Europe/Madrid", at("2025-10-26T00:00:00Z"), at("2025-10-26T02:00:00Z"));
    assert.deepEqual(iso(times), [
      "2025-10-26T00:30:00.000Z",
      "2025-10-26T01:00:00.000Z",
      "2025-10-26T01:30:00.000Z",
      "2025-10-26T02:00:00.000Z",
    ]);
  });

  void it("counts a time equal to the window's end, never one equal to its start", () => {
    const times = fireTimesBetween("0 * * * *", "UTC", at("2025-01-01T01:00:00Z"), at("2025-01-01T03:00:00Z"));
    assert.deepEqual(iso(times), ["2025-01-01T02:00:00.000Z", "2025-01-01T03:00:00.000Z"]);
    assert.equal(nextFireAfter("0 * * * *", "UTC", at("2025-01-01T01:00:00Z")).toISOString(), "2025-01-01T02:00:00.000Z");
  });

  void it("names what is wrong with a schedule or time zone", () => {
    assert.equal(scheduleProblem("0 * * * *", "UTC"), undefined);
    assert.match(scheduleProblem("0 * * *", "UTC") ?? "", /5-field/);
    assert.match(scheduleProblem("0 * * * *", "Mars/Olympus") ?? "", /time zone/);
    assert.match(scheduleProblem("0 25 * * *", "UTC") ?? "", /not valid/);
  });
});

void describe("job config vars", () => {
  void it("round-trips jobs through CLOCK_JOB_* vars and skips unreadable ones without quoting them", () => {
    const good = job({ name: "nightly-report", processType: "job" });
    const { jobs, problems } = jobsFromEnv({
      [jobVarName(good.name)]: encodeJob(good),
      CLOCK_JOB_BROKEN: `{"name": "${SECRET_VALUE}"`,
      CLOCK_JOB_NO_APP: JSON.stringify({ ...job(), app: "" }),
      CLOCK_JOB_BAD_TZ: JSON.stringify({ ...job(), timezone: "Nowhere/Land" }),
      CLOCK_JOB_LONG: JSON.stringify({ ...job(), timeoutSeconds: 90_000 }),
      DATABASE_URL: "postgres://not-a-job",
    });
    assert.equal(jobVarName("nightly-report"), "CLOCK_JOB_NIGHTLY_REPORT");
    assert.deepEqual(jobs, [good]);
    assert.equal(problems.length, 4);
    assert.ok(problems.every((p) => !p.includes(SECRET_VALUE)));
    assert.ok(problems.some((p) => p.startsWith("CLOCK_JOB_NO_APP has no app")));
    assert.ok(problems.some((p) => p.startsWith("CLOCK_JOB_LONG timeoutSeconds")));
  });

  void it("encodes a job the same way whatever the order of its env", () => {
    const a = encodeJob(job({ env: { B: "2", A: "1" } }));
    const b = encodeJob(job({ env: { A: "1", B: "2" } }));
    assert.equal(a, b);
  });

  void it("quotes argv words a shell would split or expand", () => {
    assert.equal(commandLine(["node", "dist/cron.js", "--since=1d"]), "node dist/cron.js --since=1d");
    assert.equal(commandLine(["sh", "-c", "echo $HOME && ls"]), `sh -c 'echo $HOME && ls'`);
    assert.equal(commandLine(["echo", "it's"]), `echo 'it'\\''s'`);
  });
});

void describe("planTick", () => {
  const GRACE = 120_000;

  void it("fires a time after boot, at most once per time", () => {
    const state = newClockState(at("2025-01-01T00:59:30Z"));
    const first = planTick([job()], state, at("2025-01-01T01:00:05Z"), GRACE);
    assert.deepEqual(first.due.map((d) => d.scheduledAt.toISOString()), ["2025-01-01T01:00:00.000Z"]);
    markHandled(state, "report", first.due[0]!.scheduledAt);
    const second = planTick([job()], state, at("2025-01-01T01:00:20Z"), GRACE);
    assert.deepEqual(second, { due: [], missed: [] });
  });

  void it("never fires, in a clock restarted mid-minute, a time from before its boot", () => {
    // The previous clock process fired 01:00:00 and was restarted; the new one boots at 01:00:20.
    const restarted = newClockState(at("2025-01-01T01:00:20Z"));
    const plan = planTick([job()], restarted, at("2025-01-01T01:00:25Z"), GRACE);
    assert.deepEqual(plan, { due: [], missed: [] });
    const nextHour = planTick([job()], restarted, at("2025-01-01T02:00:01Z"), GRACE);
    assert.deepEqual(nextHour.due.map((d) => d.scheduledAt.toISOString()), ["2025-01-01T02:00:00.000Z"]);
  });

  void it("gives up on a time older than the grace, and reports it missed", () => {
    const state = newClockState(at("2025-01-01T00:30:00Z"));
    const plan = planTick([job()], state, at("2025-01-01T01:05:00Z"), GRACE);
    assert.equal(plan.due.length, 0);
    assert.deepEqual(plan.missed.map((m) => m.scheduledAt.toISOString()), ["2025-01-01T01:00:00.000Z"]);
    assert.match(plan.missed[0]!.reason, /not started within 120s/);
  });

  void it("runs only the latest of several due times of a job, reporting the others superseded", () => {
    const everyMinute = job({ schedule: "* * * * *" });
    const state = newClockState(at("2025-01-01T00:00:30Z"));
    const plan = planTick([everyMinute], state, at("2025-01-01T00:02:10Z"), GRACE);
    assert.deepEqual(plan.due.map((d) => d.scheduledAt.toISOString()), ["2025-01-01T00:02:00.000Z"]);
    assert.deepEqual(plan.missed.map((m) => [m.scheduledAt.toISOString(), m.reason.split(" ")[0]]), [
      ["2025-01-01T00:01:00.000Z", "superseded"],
    ]);
  });
});

void describe("decideRun", () => {
  const t = at("2025-01-01T01:00:00Z");
  const dyno = (over: Partial<DynoInfo>): DynoInfo => ({ name: "run.1", command: "node report.js", state: "up", created_at: "2025-01-01T00:00:02Z", ...over });

  void it("starts when no dyno of the job runs", () => {
    assert.deepEqual(decideRun(job(), t, []), { action: "start" });
    assert.deepEqual(decideRun(job(), t, [dyno({ command: "node other.js" })]), { action: "start" });
    assert.deepEqual(decideRun(job(), t, [dyno({ state: "crashed" }), dyno({ state: "down" })]), { action: "start" });
  });

  void it("skips while the previous run is still up: runs never overlap", () => {
    const decision = decideRun(job(), t, [dyno({ state: "up" })]);
    assert.equal(decision.action, "skip");
    assert.match(decision.action === "skip" ? decision.reason : "", /previous run run\.1 .* still up/);
  });

  void it("skips a time another clock process already started", () => {
    const decision = decideRun(job(), t, [dyno({ name: "run.7", state: "starting", created_at: "2025-01-01T01:00:01Z" })]);
    assert.match(decision.action === "skip" ? decision.reason : "", /already started for this time as run\.7/);
  });
});

/** A stand-in for GET/POST /apps/{app}/dynos: keeps one-off dynos per app, answers scripted faults. */
async function startFakeDynoApi(now: () => Date) {
  const dynos = new Map<string, (DynoInfo & { size?: string; type?: string })[]>();
  const requests: { method: string; path: string; authorization?: string; body?: Record<string, unknown> }[] = [];
  const faults: number[] = [];
  let counter = 1000;
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      requests.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization, ...(body ? { body } : {}) });
      const answer = (status: number, payload: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      const fault = faults.shift();
      if (fault !== undefined) return answer(fault, { id: fault === 429 ? "rate_limit" : "internal_server_error", message: "injected fault" });
      const match = /^\/apps\/([^/]+)\/dynos$/.exec(req.url ?? "");
      if (!match) return answer(404, { id: "not_found", message: "Not found." });
      const app = decodeURIComponent(match[1]!);
      const list = dynos.get(app) ?? [];
      if (req.method === "GET") return answer(200, list);
      const type = typeof body?.type === "string" ? body.type : "run";
      const dyno = { name: `${type}.${++counter}`, command: String(body?.command), state: "starting", created_at: now().toISOString(), size: String(body?.size), type };
      dynos.set(app, [...list, dyno]);
      return answer(201, dyno);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    dynos,
    faults,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

void describe("Clock against the dyno API", () => {
  let fake: Awaited<ReturnType<typeof startFakeDynoApi>> | undefined;
  let clockTime = at("2025-01-01T00:59:50Z");
  const now = () => clockTime;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function setup() {
    fake = await startFakeDynoApi(now);
    const lines: string[] = [];
    const api = dynoApi({ apiKey: API_KEY, baseUrl: fake.url });
    const make = (jobs: ClockJob[]) => new Clock(jobs, { api, log: (l) => lines.push(l), now }, { graceMs: 120_000 });
    return { fake, lines, make };
  }

  void it("starts a one-off dyno in the job's app with its command, size, timeout, image type and env", async () => {
    clockTime = at("2025-01-01T00:59:50Z");
    const { fake, lines, make } = await setup();
    const ownImage = job({ name: "sync", app: "sync-app-id", command: "/bin/sync --all", schedule: "0 1 * * *", processType: "job", size: "standard-2X", timeoutSeconds: 1800 });
    const clock = make([job(), ownImage]);
    assert.deepEqual(await clock.tick(), []);
    clockTime = at("2025-01-01T01:00:00.010Z");
    const outcomes = await clock.tick();
    assert.deepEqual(outcomes.map((o) => [o.job, o.outcome]), [["report", "started"], ["sync", "started"]]);

    const posts = fake.requests.filter((r) => r.method === "POST");
    assert.equal(posts.length, 2);
    assert.equal(posts[0]!.path, `/apps/${job().app}/dynos`);
    assert.equal(posts[0]!.authorization, `Bearer ${API_KEY}`);
    assert.deepEqual(posts[0]!.body, {
      command: "node report.js",
      size: "basic",
      attach: false,
      time_to_live: 600,
      env: { STRIPE_KEY: SECRET_VALUE, MULTICLOUD_CRON_JOB: "report", MULTICLOUD_CRON_SCHEDULED_AT: "2025-01-01T01:00:00.000Z" },
    });
    assert.equal(posts[1]!.path, "/apps/sync-app-id/dynos");
    assert.equal(posts[1]!.body?.type, "job");
    assert.equal(posts[1]!.body?.size, "standard-2X");
    assert.equal(posts[1]!.body?.time_to_live, 1800);
    assert.ok(lines.some((l) => /job=report scheduled=2025-01-01T01:00:00.000Z started dyno=run\.\d+/.test(l)));
    assert.ok(lines.every((l) => !l.includes(SECRET_VALUE) && !l.includes(API_KEY)));
  });

  void it("skips a run while the previous one is still up, and runs again once it is gone", async () => {
    clockTime = at("2025-01-01T00:59:00Z");
    const { fake, lines, make } = await setup();
    const clock = make([job()]);
    clockTime = at("2025-01-01T01:00:01Z");
    await clock.tick();
    fake.dynos.get(job().app)![0]!.state = "up"; // still running an hour later
    clockTime = at("2025-01-01T02:00:01Z");
    const skipped = await clock.tick();
    assert.deepEqual(skipped.map((o) => o.outcome), ["skipped"]);
    assert.ok(lines.some((l) => l.includes("scheduled=2025-01-01T02:00:00.000Z skipped: the previous run run.1001")));
    fake.dynos.set(job().app, []); // it exited
    clockTime = at("2025-01-01T03:00:01Z");
    assert.deepEqual((await clock.tick()).map((o) => o.outcome), ["started"]);
    assert.equal(fake.requests.filter((r) => r.method === "POST").length, 2);
  });

  void it("logs an API failure and retries on the next tick, starting the run exactly once", async () => {
    clockTime = at("2025-01-01T00:59:00Z");
    const { fake, lines, make } = await setup();
    const clock = make([job()]);
    fake.faults.push(503);
    clockTime = at("2025-01-01T01:00:01Z");
    const failed = await clock.tick();
    assert.deepEqual(failed.map((o) => o.outcome), ["failed"]);
    assert.ok(lines.some((l) => /FAILED to start: GET .* 503 internal_server_error: injected fault; retried on the next ticks until 2025-01-01T01:02:00.000Z/.test(l)));
    clockTime = at("2025-01-01T01:00:16Z");
    assert.deepEqual((await clock.tick()).map((o) => o.outcome), ["started"]);
    clockTime = at("2025-01-01T01:00:31Z");
    assert.deepEqual(await clock.tick(), []);
    assert.equal(fake.requests.filter((r) => r.method === "POST").length, 1);
  });

  void it("gives a run up, logged as missed, when the API fails for longer than the grace", async () => {
    clockTime = at("2025-01-01T00:59:00Z");
    const { fake, lines, make } = await setup();
    const clock = make([job()]);
    fake.faults.push(500, 500);
    clockTime = at("2025-01-01T01:00:01Z");
    await clock.tick();
    clockTime = at("2025-01-01T01:01:00Z");
    await clock.tick();
    clockTime = at("2025-01-01T01:03:00Z");
    assert.deepEqual((await clock.tick()).map((o) => o.outcome), ["missed"]);
    assert.ok(lines.some((l) => l.includes("scheduled=2025-01-01T01:00:00.000Z MISSED: not started within 120s")));
    assert.equal(fake.requests.filter((r) => r.method === "POST").length, 0);
  });

  void it("does not fire twice when the clock restarts mid-minute after starting a run", async () => {
    clockTime = at("2025-01-01T00:59:00Z");
    const { fake, make } = await setup();
    const before = make([job({ command: "node quick.js" })]);
    clockTime = at("2025-01-01T01:00:01Z");
    await before.tick();
    fake.dynos.set(job().app, []); // the quick run already finished: no dyno left to see
    clockTime = at("2025-01-01T01:00:20Z"); // Heroku restarts the clock dyno
    const after = make([job({ command: "node quick.js" })]);
    clockTime = at("2025-01-01T01:00:35Z");
    assert.deepEqual(await after.tick(), []);
    assert.equal(fake.requests.filter((r) => r.method === "POST").length, 1);
  });

  void it("lets only one of two overlapping clock processes start a time's run", async () => {
    clockTime = at("2025-01-01T00:59:00Z");
    const { fake, lines, make } = await setup();
    const old = make([job()]);
    const fresh = make([job()]);
    clockTime = at("2025-01-01T01:00:01Z");
    await old.tick();
    const second = await fresh.tick();
    assert.deepEqual(second.map((o) => o.outcome), ["skipped"]);
    assert.ok(lines.some((l) => l.includes("already started for this time as run.1001")));
    assert.equal(fake.requests.filter((r) => r.method === "POST").length, 1);
  });

  void it("sleeps until the next fire time, never longer than the tick interval", async () => {
    const { make } = await setup();
    clockTime = at("2025-01-01T00:59:58Z");
    assert.equal(make([job()]).msUntilNextTick(), 2005);
    clockTime = at("2025-01-01T00:10:00Z");
    assert.equal(make([job()]).msUntilNextTick(), 15_005);
  });
});

void describe("dynoApi dyno list", () => {
  void it("follows Next-Range over 206 pages, sending the Range each page gave", async () => {
    const ranges: (string | undefined)[] = [];
    const pages = [
      { status: 206, body: [{ name: "run.1", command: "a", state: "up" }], next: "id ]run.1..; max=1000" },
      { status: 206, body: [{ name: "run.2", command: "b", state: "up" }], next: "id ]run.2..; max=1000" },
      { status: 200, body: [{ name: "run.3", command: "c", state: "starting" }], next: undefined },
    ];
    const api = dynoApi({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:9",
      fetch: async (_url, init) => {
        ranges.push(init.headers.Range);
        const page = pages[ranges.length - 1]!;
        return {
          ok: true,
          status: page.status,
          text: async () => JSON.stringify(page.body),
          headers: { get: (name: string) => (name.toLowerCase() === "next-range" ? (page.next ?? null) : null) },
        };
      },
    });
    assert.deepEqual((await api.listDynos("app")).map((d) => d.name), ["run.1", "run.2", "run.3"]);
    assert.deepEqual(ranges, ["id ..; max=1000", "id ]run.1..; max=1000", "id ]run.2..; max=1000"]);
  });
});

void describe("dynoApi errors", () => {
  void it("carry status and Heroku's id, never the API key", async () => {
    const api = dynoApi({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:9",
      fetch: async () => ({ ok: false, status: 401, text: async () => JSON.stringify({ id: "unauthorized", message: "Invalid credentials provided." }) }),
    });
    await assert.rejects(api.listDynos("app"), (error: unknown) => {
      assert.ok(error instanceof DynoApiError);
      assert.equal(error.status, 401);
      assert.equal(error.herokuId, "unauthorized");
      assert.ok(!error.message.includes(API_KEY));
      return true;
    });
  });

  void it("report a connection that never answered as status 0", async () => {
    const api = dynoApi({ apiKey: API_KEY, baseUrl: "http://127.0.0.1:9", fetch: async () => Promise.reject(new TypeError("fetch failed")) });
    await assert.rejects(api.startRun("app", { command: "x", size: "basic", time_to_live: 60, env: {} }), (error: unknown) => {
      assert.ok(error instanceof DynoApiError);
      assert.equal(error.status, 0);
      assert.match(error.message, /POST \/apps\/app\/dynos: no answer \(fetch failed\)/);
      return true;
    });
  });
});
