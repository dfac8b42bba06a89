/**
 * When a job fires: cron expressions read in the job's time zone (cron-parser, `tz`), so that "30 7 * * 1-5" in
 * Europe/Madrid means 07:30 Madrid time in winter and in summer.
 *
 * Daylight-saving transitions follow cron-parser: a wall-clock time skipped when clocks go forward fires at the
 * same minute of the next hour (02:30 -> 03:30); a wall-clock time repeated when clocks go back fires once (the
 * first time). Schedules stepping through every hour or minute keep firing every real interval across the change.
 */
import { CronExpressionParser } from "cron-parser";

/** Stop enumerating after this many fire times: a guard against a runaway window, never reached in practice. */
const MAX_FIRES = 10_000;

/** Why the schedule cannot be read in that time zone, or undefined when it can. */
export function scheduleProblem(schedule: string, timezone: string): string | undefined {
  if (schedule.trim().split(/\s+/).length !== 5) return `schedule "${schedule}" is not a 5-field cron expression`;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    return `time zone "${timezone}" is not an IANA time zone`;
  }
  try {
    CronExpressionParser.parse(schedule, { tz: timezone });
    return undefined;
  } catch (error) {
    return `schedule "${schedule}" is not valid: ${(error as Error).message}`;
  }
}

/** The fire times in (`after`, `until`], oldest first. */
export function fireTimesBetween(schedule: string, timezone: string, after: Date, until: Date): Date[] {
  if (until.getTime() <= after.getTime()) return [];
  const expression = CronExpressionParser.parse(schedule, { tz: timezone, currentDate: after });
  const times: Date[] = [];
  while (times.length < MAX_FIRES) {
    const next = expression.next().toDate();
    if (next.getTime() > until.getTime()) break;
    // cron-parser works in whole seconds: never hand back a time at or before `after`.
    if (next.getTime() > after.getTime()) times.push(next);
  }
  return times;
}

/** The first fire time strictly after `after`. */
export function nextFireAfter(schedule: string, timezone: string, after: Date): Date {
  const expression = CronExpressionParser.parse(schedule, { tz: timezone, currentDate: after });
  for (;;) {
    const next = expression.next().toDate();
    if (next.getTime() > after.getTime()) return next;
  }
}
