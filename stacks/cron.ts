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
  const impossible = stepProblem(expr, fields) ?? neverFires(expr, fields);
  if (impossible) return impossible;
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

/** The five fields: their names and ranges (day-of-week 7 is Sunday too). */
const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day-of-week", min: 0, max: 7 },
] as const;

const CYCLE: Record<string, string> = { minute: "hour", hour: "day", "day-of-month": "month", month: "year", "day-of-week": "week" };

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
/** The most days each month can have (February: 29, in leap years). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A step larger than its field's range (`*\/75` minutes) is accepted by cron parsers and fires once per cycle, at
 * the first value: not what was written.
 */
function stepProblem(expr: string, fields: readonly string[]): string | undefined {
  for (const [i, field] of fields.entries()) {
    const { name, min, max } = FIELDS[i]!;
    for (const part of field.split(",")) {
      const step = /\/(\d+)$/.exec(part)?.[1];
      if (step === undefined) continue;
      const span = (name === "day-of-week" ? 6 : max) - min;
      if (Number(step) > span) {
        return `${JSON.stringify(expr)}: the step /${step} in the ${name} field is larger than the field's range (${min}-${name === "day-of-week" ? 6 : max}), so it would fire only once per ${CYCLE[name]}; the largest ${name} step is ${span}`;
      }
    }
  }
  return undefined;
}

/** The values a field names (numbers, names, ranges, steps, `*`), or undefined when it cannot tell. */
function expand(field: string, min: number, max: number, names: readonly string[] = []): Set<number> | undefined {
  const values = new Set<number>();
  const value = (text: string) => {
    const named = names.indexOf(text.toUpperCase());
    return named >= 0 ? named + min : /^\d+$/.test(text) ? Number(text) : NaN;
  };
  for (const part of field.split(",")) {
    const match = /^(\*|[^-/]+(?:-[^-/]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const [range, stepText] = [match[1]!, match[2]];
    const [from, to] = range === "*" ? [min, max] : range.includes("-") ? range.split("-").map(value) as [number, number] : [value(range), stepText ? max : value(range)];
    // Out of the field's range: cron-parser says so in its own words.
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < min || to > max) return undefined;
    for (let v = from; v <= to; v += Number(stepText ?? 1)) values.add(v);
  }
  return values;
}

/**
 * A schedule whose days of the month never occur in its months (`0 0 30 2 *`: 30 February) never fires. Only when
 * day-of-week is `*`: otherwise standard cron fires on either day field.
 */
function neverFires(expr: string, fields: readonly string[]): string | undefined {
  if (fields[4] !== "*" && fields[4] !== "?") return undefined;
  const days = expand(fields[2]!, 1, 31);
  const months = expand(fields[3]!, 1, 12, MONTHS);
  if (!days || !months || days.size === 0 || months.size === 0) return undefined;
  const fires = [...months].some((m) => [...days].some((d) => d <= (DAYS_IN_MONTH[m - 1] ?? 0)));
  if (fires) return undefined;
  const monthNames = [...months].map((m) => MONTHS[m - 1] ?? String(m)).join(", ");
  return `${JSON.stringify(expr)} never fires: day ${[...days].join(", ")} does not occur in ${monthNames} (at most ${Math.max(...[...months].map((m) => DAYS_IN_MONTH[m - 1] ?? 0))} days)`;
}
