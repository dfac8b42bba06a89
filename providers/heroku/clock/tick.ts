/**
 * The clock's decisions, as pure functions of (jobs, what this process has handled, the time, the app's dynos):
 * which runs are due now, which were missed, and whether a due run may start.
 *
 * The guarantees, and why:
 * - At most once per scheduled time. A clock process only fires times after it booted: Heroku restarts every
 *   dyno daily (and on each release), and a clock restarted mid-minute must not fire again what its predecessor
 *   already fired. The price: a time falling while no clock runs (the few seconds of a restart) is skipped, and
 *   logged by the next tick as missed when the clock was up at that time.
 * - Late, but not too late. A due run is started if the clock gets to it within `graceMs` of its time (an API
 *   failure is retried on every tick until then); past that it is given up and logged.
 * - Never two runs of a job at once. Before starting, the clock lists the job's app's dynos: while a dyno of the
 *   job (same command) is still starting or up, the new run is skipped and logged. This also catches the brief
 *   overlap of two clock processes during a restart: the second sees the dyno the first just started.
 */
import type { ClockJob } from "./jobs";
import { fireTimesBetween } from "./schedule";

/** What this clock process has done so far. */
export interface ClockState {
  /** When this process started: times at or before it are never fired. */
  bootedAt: Date;
  /** Per job name: the latest scheduled time (epoch ms) that was started, skipped or given up. */
  handledUntil: Map<string, number>;
}

/** A run to start now. */
export interface DueRun {
  job: ClockJob;
  /** The schedule time the run is for. */
  scheduledAt: Date;
}

/** A scheduled time no run will be started for. */
export interface MissedRun {
  job: ClockJob;
  scheduledAt: Date;
  /** Why, for the log. */
  reason: string;
}

/** What one tick should do. */
export interface TickPlan {
  due: DueRun[];
  missed: MissedRun[];
}

/** A fresh state for a process booted at `bootedAt`. */
export function newClockState(bootedAt: Date): ClockState {
  return { bootedAt, handledUntil: new Map() };
}

/**
 * The runs due at `now` (at most one per job: the latest of its times not yet handled, if within `graceMs`), and
 * the times that will never run (older than the grace, or superseded by a later time of the same job).
 */
export function planTick(jobs: readonly ClockJob[], state: ClockState, now: Date, graceMs: number): TickPlan {
  const plan: TickPlan = { due: [], missed: [] };
  for (const job of jobs) {
    const handled = state.handledUntil.get(job.name) ?? -Infinity;
    // Bound the window even for a clock that was blocked for days: a day of misses is plenty to log.
    const after = new Date(Math.max(state.bootedAt.getTime(), handled, now.getTime() - 86_400_000));
    const times = fireTimesBetween(job.schedule, job.timezone, after, now);
    const latest = times.at(-1);
    const latestIsDue = latest !== undefined && now.getTime() - latest.getTime() <= graceMs;
    for (const time of times) {
      if (latestIsDue && time === latest) continue;
      const late = now.getTime() - time.getTime() > graceMs;
      plan.missed.push({
        job,
        scheduledAt: time,
        reason: late
          ? `not started within ${Math.round(graceMs / 1000)}s of its time (clock busy, or the Heroku API kept failing)`
          : "superseded by a later time of the same job",
      });
    }
    if (latestIsDue) plan.due.push({ job, scheduledAt: latest });
  }
  return plan;
}

/** Records that `job`'s runs up to `scheduledAt` are dealt with (started, skipped or given up). */
export function markHandled(state: ClockState, jobName: string, scheduledAt: Date): void {
  const previous = state.handledUntil.get(jobName) ?? -Infinity;
  state.handledUntil.set(jobName, Math.max(previous, scheduledAt.getTime()));
}

/** A dyno as `GET /apps/{app}/dynos` lists it (the fields the clock reads). */
export interface DynoInfo {
  /** e.g. `run.4821`. */
  name?: string;
  /** The command line it runs. */
  command?: string;
  /** `starting`, `up`, `idle`, `crashed` or `down`. */
  state?: string;
  /** ISO 8601. */
  created_at?: string;
}

/** Whether to start a due run. */
export type RunDecision = { action: "start" } | { action: "skip"; reason: string };

/** Dyno states in which a run is over. */
const FINISHED_STATES = new Set(["crashed", "down"]);

/** Start, unless a dyno of the same job (same command in the same app) is still running. */
export function decideRun(job: ClockJob, scheduledAt: Date, dynos: readonly DynoInfo[]): RunDecision {
  const running = dynos.filter((d) => d.command === job.command && !FINISHED_STATES.has(d.state ?? ""));
  if (running.length === 0) return { action: "start" };
  const sameTime = running.find((d) => d.created_at !== undefined && Date.parse(d.created_at) >= scheduledAt.getTime());
  if (sameTime) {
    return { action: "skip", reason: `already started for this time as ${sameTime.name ?? "a dyno"} (by another clock process)` };
  }
  const oldest = running[0]!;
  return {
    action: "skip",
    reason: `the previous run ${oldest.name ?? ""} (started ${oldest.created_at ?? "at an unknown time"}) is still ${oldest.state ?? "running"}: runs of a job never overlap`,
  };
}
