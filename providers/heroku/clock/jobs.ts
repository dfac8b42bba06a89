/**
 * The job list the clock runs, and how it travels: one config var per job on the clock app, `CLOCK_JOB_<NAME>`,
 * holding the job as JSON. The Pulumi program writes them (`encodeJob`), the clock reads them (`jobsFromEnv`).
 *
 * Why one var per job rather than one `CLOCK_JOBS` list: the backend is handed cron jobs one at a time and has no
 * "all jobs are known" moment, so each job owns its own config var (a `ConfigVars` resource of its own), and
 * removing a job from the app removes exactly its var.
 *
 * This folder is built into the clock's own image (see Dockerfile): it imports nothing outside it but cron-parser.
 */
import { scheduleProblem } from "./schedule";

/** One scheduled job, as the clock sees it. */
export interface ClockJob {
  /** The cron job's name in the app declaration, e.g. `nightly-report`. */
  name: string;
  /** The Heroku app (id, or name) the run starts in: its image and config vars are the job's. */
  app: string;
  /** The command line Heroku runs (the declared argv, shell-quoted by {@link commandLine}). */
  command: string;
  /** A standard 5-field cron expression. */
  schedule: string;
  /** The IANA time zone the schedule is read in. */
  timezone: string;
  /** The one-off dyno's size, e.g. `basic`, `standard-2X`. */
  size: string;
  /** Seconds after which Heroku stops the run (`time_to_live`). */
  timeoutSeconds: number;
  /**
   * The app's process type whose image the run uses (`type` of the dyno). Absent: the app's `web` image, as
   * `heroku run` does.
   * @default undefined (the web image)
   */
  processType?: string;
  /**
   * Env vars added to the run on top of the app's config vars (the job's own env, secrets and links). Secret:
   * never logged.
   * @default {}
   */
  env: Record<string, string>;
}

/** Config vars whose name starts with this each hold one job. */
export const JOB_VAR_PREFIX = "CLOCK_JOB_";

/** Heroku's limit on a one-off dyno's `time_to_live`: a day. */
export const MAX_TIMEOUT_SECONDS = 86_400;

/** `nightly-report` -> `CLOCK_JOB_NIGHTLY_REPORT`. */
export function jobVarName(jobName: string): string {
  return JOB_VAR_PREFIX + jobName.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/** The JSON a job's config var holds (stable key order, so an unchanged job never changes its var). */
export function encodeJob(job: ClockJob): string {
  const ordered: ClockJob = {
    name: job.name,
    app: job.app,
    command: job.command,
    schedule: job.schedule,
    timezone: job.timezone,
    size: job.size,
    timeoutSeconds: job.timeoutSeconds,
    ...(job.processType ? { processType: job.processType } : {}),
    env: Object.fromEntries(Object.entries(job.env).sort(([a], [b]) => a.localeCompare(b))),
  };
  return JSON.stringify(ordered);
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * The argv as one command line for Heroku (which runs one-off commands through the image's shell): words with
 * only safe characters stay bare, others are single-quoted (`'` becomes `'\''`).
 */
export function commandLine(argv: readonly string[]): string {
  return argv.map((word) => (SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** Why `value` is not a job, or undefined when it is one. */
function jobProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "is not a JSON object";
  const job = value as Record<string, unknown>;
  for (const key of ["name", "app", "command", "schedule", "timezone", "size"] as const) {
    if (typeof job[key] !== "string" || (job[key] as string).trim() === "") return `has no ${key}`;
  }
  const timeout = job.timeoutSeconds;
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
    return `timeoutSeconds must be a whole number from 1 to ${MAX_TIMEOUT_SECONDS}`;
  }
  if (job.processType !== undefined && typeof job.processType !== "string") return "processType must be a string";
  const env = job.env ?? {};
  if (typeof env !== "object" || env === null || Array.isArray(env)) return "env must be an object";
  if (Object.values(env).some((v) => typeof v !== "string")) return "env values must be strings";
  return scheduleProblem(job.schedule as string, job.timezone as string);
}

/** The jobs found in an environment, and a line per config var that could not be read (values never quoted). */
export function jobsFromEnv(env: Readonly<Record<string, string | undefined>>): { jobs: ClockJob[]; problems: string[] } {
  const jobs: ClockJob[] = [];
  const problems: string[] = [];
  for (const key of Object.keys(env).filter((k) => k.startsWith(JOB_VAR_PREFIX)).sort()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env[key] ?? "");
    } catch {
      problems.push(`${key} is not valid JSON: job skipped`);
      continue;
    }
    const problem = jobProblem(parsed);
    if (problem) {
      problems.push(`${key} ${problem}: job skipped`);
      continue;
    }
    const job = parsed as ClockJob;
    jobs.push({ ...job, env: { ...(job.env ?? {}) } });
  }
  return { jobs, problems };
}
