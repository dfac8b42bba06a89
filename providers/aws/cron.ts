/**
 * Standard cron -> EventBridge Scheduler cron, and the AWS backend's `validate` hook.
 *
 * EventBridge reads six fields, `cron(minute hour day-of-month month day-of-week year)`, with Quartz rules: one of
 * day-of-month and day-of-week must be `?`, day-of-week counts 1-7 from Sunday, and `/` is not allowed in
 * day-of-week. The translation works on the value sets cron-parser expands each field to, so every spelling of the
 * same schedule (`1-5`, `MON-FRI`, `1,2,3,4,5`) gives the same AWS expression, and a step over day-of-week
 * (`*\/2`) becomes the list of days it means (`SUN,TUE,THU,SAT`) instead of an error.
 */
import { CronExpressionParser } from "cron-parser";
import type { Problem, ResolvedApp } from "../backend";
import { cronProblem } from "../../stacks/cron";
import { cacheProblems } from "./cache-mode";
import { databaseProblems } from "./database-versions";

/** An EventBridge `cron(...)` expression, or why the schedule has none. */
export type AwsCron = { expression: string } | { error: string };

/** Day names in EventBridge, indexed by standard cron's day number (0 = Sunday). Names avoid AWS's 1 = SUN. */
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

/** Month and day names cron accepts, which may appear in a field without being an unknown letter. */
const NAMES = /JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT/gi;

/**
 * One field's value set in EventBridge syntax: `*` when it holds every value, then a single value, a range, a
 * `start/step` series of three or more (only when it runs to the field's end, where AWS reads it as exactly these
 * values), else a list of single values (the one list form every Quartz parser accepts).
 */
function formatField(values: readonly number[], min: number, max: number, label: (v: number) => string = String, steps = true): string {
  const first = values[0]!;
  const last = values[values.length - 1]!;
  if (values.length === max - min + 1) return "*";
  if (values.length === 1) return label(first);
  const gaps = values.slice(1).map((v, i) => v - values[i]!);
  if (gaps.every((g) => g === 1)) return `${label(first)}-${label(last)}`;
  const step = gaps[0]!;
  if (steps && values.length >= 3 && gaps.every((g) => g === step) && last + step > max) return `${first}/${step}`;
  return values.map(label).join(",");
}

/** The numbers of a parsed field (cron-parser also returns `L` markers, which cronProblem has already refused). */
function numbers(values: readonly (number | string)[]): number[] {
  return [...new Set(values.filter((v): v is number => typeof v === "number"))].sort((a, b) => a - b);
}

/**
 * Translates a standard 5-field cron expression (minute hour day-of-month month day-of-week) to EventBridge's
 * `cron(...)`, or says why it cannot.
 * @example toAwsCron("30 7 * * 1-5") // { expression: "cron(30 7 ? * MON-FRI *)" }
 * @example toAwsCron("*\/15 * * * *") // { expression: "cron(0/15 * * * ? *)" }
 */
export function toAwsCron(expr: string): AwsCron {
  const invalid = cronProblem(expr);
  if (invalid) return { error: invalid };
  const raw = expr.trim().split(/\s+/);
  // cron-parser also reads Jenkins' `H` (a hashed random value): not standard cron, and not what AWS would run.
  const stray = raw.find((field) => /[A-Z]/i.test(field.replace(NAMES, "")));
  if (stray) return { error: `${JSON.stringify(expr)} uses "${stray}": only numbers, month names (JAN-DEC) and day names (SUN-SAT) are standard cron` };

  const fields = CronExpressionParser.parse(expr, { strict: false }).fields;
  const minute = formatField(numbers(fields.minute.values), 0, 59);
  const hour = formatField(numbers(fields.hour.values), 0, 23);
  const month = formatField(numbers(fields.month.values), 1, 12);
  const dom = numbers(fields.dayOfMonth.values);
  // Standard cron allows 7 for Sunday as well as 0.
  const dow = numbers(numbers(fields.dayOfWeek.values).map((d) => d % 7));
  const domText = formatField(dom, 1, 31);
  const dowText = formatField(dow, 0, 6, (d) => DAY_NAMES[d]!, false);
  const domAll = domText === "*";
  const dowAll = dowText === "*";

  // Standard cron: when either day field starts with `*` a day must match both; when neither does, either.
  const [rawMinute, rawHour, rawDom, rawMonth, rawDow] = raw as [string, string, string, string, string];
  const both = rawDom.startsWith("*") || rawDow.startsWith("*");
  let days: [string, string];
  if ((domAll && dowAll) || (!both && (domAll || dowAll))) days = ["*", "?"];
  else if (domAll) days = ["?", dowText];
  else if (dowAll) days = [domText, "?"];
  else if (both) {
    return {
      error: `${JSON.stringify(expr)} runs only on days matching both day-of-month "${rawDom}" and day-of-week "${rawDow}"; an AWS schedule can restrict only one of the two: keep one and make the other "*"`,
    };
  } else {
    const head = `${rawMinute} ${rawHour}`;
    return {
      error: `${JSON.stringify(expr)} runs on day-of-month "${rawDom}" or on day-of-week "${rawDow}" (standard cron reads the two as "either"); an AWS schedule can restrict only one of them: split it into two cron jobs, "${head} ${rawDom} ${rawMonth} *" and "${head} * ${rawMonth} ${rawDow}"`,
    };
  }
  return { expression: `cron(${minute} ${hour} ${days[0]} ${month} ${days[1]} *)` };
}

/**
 * The AWS backend's `validate` hook: what the core's checks cannot know about AWS. Schedules EventBridge cannot
 * express, database and cache versions AWS does not offer, and settings that contradict the declaration.
 */
export function validateAws(app: ResolvedApp): Problem[] {
  const problems: Problem[] = [];
  for (const job of app.cronJobs.filter((j) => j.backend === "aws")) {
    // An invalid expression is already reported by the core's own check: say it once.
    if (cronProblem(job.schedule)) continue;
    const cron = toAwsCron(job.schedule);
    if ("error" in cron) problems.push({ path: `app.cronJobs.${job.name}.schedule`, message: cron.error });
  }
  for (const db of app.databases.filter((d) => d.backend === "aws")) problems.push(...databaseProblems(db, app.stack));
  for (const cache of app.caches.filter((c) => c.backend === "aws")) problems.push(...cacheProblems(cache));
  return problems;
}
