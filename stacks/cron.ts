/** Portable cron validation: standard 5-field expressions and IANA time zones. */
import { CronExpressionParser } from "cron-parser";

/** Why `expr` is not a standard 5-field cron expression, or undefined when it is one. */
export function cronProblem(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `${JSON.stringify(expr)} has ${fields.length} field${fields.length === 1 ? "" : "s"}; a schedule is a standard 5-field cron expression: minute hour day-of-month month day-of-week (e.g. "30 7 * * 1-5")`;
  }
  // cron-parser also accepts Quartz extensions; they are not portable (Heroku's clock and AWS read them differently).
  const names = /JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT/gi;
  const extension = fields.find((field) => /[LW#?]/i.test(field.replace(names, "")));
  if (extension) {
    return `${JSON.stringify(expr)} uses "${extension}": L, W, # and ? are not standard cron; use plain values, ranges, lists and steps`;
  }
  try {
    CronExpressionParser.parse(expr, { strict: false });
    return undefined;
  } catch (error) {
    return `${JSON.stringify(expr)} is not a valid cron expression: ${(error as Error).message}`;
  }
}

/** Why `zone` is not an IANA time zone, or undefined when it is one. */
export function timezoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return undefined;
  } catch {
    return `${JSON.stringify(zone)} is not an IANA time zone (e.g. "UTC", "Europe/Madrid", "America/New_York")`;
  }
}
