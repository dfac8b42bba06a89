/**
 * The clock dyno's entry point (`node dist/main.js`, process type `clock`). Reads the jobs from the `CLOCK_JOB_*`
 * config vars and the API key from `HEROKU_API_KEY`, then ticks until Heroku sends SIGTERM (daily restart,
 * release, scale-down): from that moment it starts nothing new, finishes the call under way and exits.
 */
import { dynoApi } from "./api";
import { Clock } from "./clock";
import { jobsFromEnv } from "./jobs";

function log(line: string): void {
  console.log(line);
}

/** Positive whole seconds from the environment, or the fallback. */
function secondsFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

async function main(): Promise<void> {
  const apiKey = process.env.HEROKU_API_KEY?.trim();
  if (!apiKey) {
    // Crash: Heroku shows a crashed clock in the dashboard, which a silent idle clock would not be.
    throw new Error("HEROKU_API_KEY is not set on the clock app: run `pulumi up` again, or set it with heroku config:set");
  }
  const { jobs, problems } = jobsFromEnv(process.env);
  for (const problem of problems) log(`clock: ${problem}`);
  const clock = new Clock(
    jobs,
    {
      api: dynoApi({ apiKey, ...(process.env.HEROKU_API_URL ? { baseUrl: process.env.HEROKU_API_URL } : {}) }),
      log,
      now: () => new Date(),
    },
    { graceMs: secondsFromEnv("CLOCK_GRACE_SECONDS", 120) * 1000 },
  );
  log(`clock: started with ${jobs.length} job(s): ${jobs.map((j) => `${j.name} "${j.schedule}" ${j.timezone}`).join("; ") || "none"}`);
  log("clock: runs scheduled before this start are not caught up (each time runs at most once)");

  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`clock: ${signal} received: starting no new runs, exiting`);
    wake?.();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  while (!stopping) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, clock.msUntilNextTick());
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    if (stopping) break;
    try {
      await clock.tick();
    } catch (error) {
      // A bug or an unexpected answer: log it and keep the clock alive for the other jobs.
      log(`clock: tick failed: ${(error as Error).message}`);
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`clock: fatal: ${(error as Error).message}`);
    process.exit(1);
  },
);
