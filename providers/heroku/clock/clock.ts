/**
 * The clock: on each tick, starts the due runs as one-off dynos in each job's app, skipping overlaps, and logs
 * one line per decision. Time, the API and the log are injected, so tests drive it tick by tick.
 */
import type { DynoApi } from "./api";
import type { ClockJob } from "./jobs";
import { nextFireAfter } from "./schedule";
import { decideRun, markHandled, newClockState, planTick } from "./tick";
import type { ClockState } from "./tick";

export interface ClockOptions {
  /** How late a run may still start (e.g. after API failures). @default 120000 */
  graceMs?: number;
  /** The longest sleep between two ticks: how soon a failed start is retried. @default 15000 */
  maxTickIntervalMs?: number;
}

export interface ClockDeps {
  api: DynoApi;
  /** One line per event. Never receives env values or the API key. */
  log: (line: string) => void;
  now: () => Date;
}

/** What a tick did, per run (for tests and the log). */
export type RunOutcome =
  | { job: string; scheduledAt: string; outcome: "started"; dyno: string }
  | { job: string; scheduledAt: string; outcome: "skipped"; reason: string }
  | { job: string; scheduledAt: string; outcome: "failed"; error: string; retryUntil: string }
  | { job: string; scheduledAt: string; outcome: "missed"; reason: string };

export class Clock {
  private readonly state: ClockState;
  private readonly graceMs: number;
  private readonly maxTickIntervalMs: number;

  constructor(
    private readonly jobs: readonly ClockJob[],
    private readonly deps: ClockDeps,
    options: ClockOptions = {},
  ) {
    this.state = newClockState(deps.now());
    this.graceMs = options.graceMs ?? 120_000;
    this.maxTickIntervalMs = options.maxTickIntervalMs ?? 15_000;
  }

  /** Starts every due run (one job after the other) and reports what happened. */
  async tick(): Promise<RunOutcome[]> {
    const now = this.deps.now();
    const plan = planTick(this.jobs, this.state, now, this.graceMs);
    const outcomes: RunOutcome[] = [];
    for (const miss of plan.missed) {
      markHandled(this.state, miss.job.name, miss.scheduledAt);
      outcomes.push(this.report({ job: miss.job.name, scheduledAt: miss.scheduledAt.toISOString(), outcome: "missed", reason: miss.reason }));
    }
    for (const { job, scheduledAt } of plan.due) {
      outcomes.push(this.report(await this.run(job, scheduledAt)));
    }
    return outcomes;
  }

  /** Milliseconds to sleep before the next tick: until the next fire time, at most `maxTickIntervalMs`. */
  msUntilNextTick(): number {
    const now = this.deps.now();
    let wake = now.getTime() + this.maxTickIntervalMs;
    for (const job of this.jobs) wake = Math.min(wake, nextFireAfter(job.schedule, job.timezone, now).getTime());
    // A few ms past the fire time, so that the tick sees it as due.
    return Math.max(0, wake - now.getTime()) + 5;
  }

  private async run(job: ClockJob, scheduledAt: Date): Promise<RunOutcome> {
    const base = { job: job.name, scheduledAt: scheduledAt.toISOString() };
    try {
      const decision = decideRun(job, scheduledAt, await this.deps.api.listDynos(job.app));
      if (decision.action === "skip") {
        markHandled(this.state, job.name, scheduledAt);
        return { ...base, outcome: "skipped", reason: decision.reason };
      }
      const dyno = await this.deps.api.startRun(job.app, {
        command: job.command,
        size: job.size,
        ...(job.processType ? { type: job.processType } : {}),
        time_to_live: job.timeoutSeconds,
        env: { ...job.env, MULTICLOUD_CRON_JOB: job.name, MULTICLOUD_CRON_SCHEDULED_AT: scheduledAt.toISOString() },
      });
      markHandled(this.state, job.name, scheduledAt);
      return { ...base, outcome: "started", dyno: dyno.name ?? "(unnamed dyno)" };
    } catch (error) {
      // Not marked handled: the next ticks try again while the run is within its grace.
      const retryUntil = new Date(scheduledAt.getTime() + this.graceMs).toISOString();
      return { ...base, outcome: "failed", error: (error as Error).message, retryUntil };
    }
  }

  private report(outcome: RunOutcome): RunOutcome {
    const head = `clock: job=${outcome.job} scheduled=${outcome.scheduledAt}`;
    switch (outcome.outcome) {
      case "started":
        this.deps.log(`${head} started dyno=${outcome.dyno}`);
        break;
      case "skipped":
        this.deps.log(`${head} skipped: ${outcome.reason}`);
        break;
      case "failed":
        this.deps.log(`${head} FAILED to start: ${outcome.error}; retried on the next ticks until ${outcome.retryUntil}`);
        break;
      case "missed":
        this.deps.log(`${head} MISSED: ${outcome.reason}`);
        break;
    }
    return outcome;
  }
}
