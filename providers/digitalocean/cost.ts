/**
 * What the DigitalOcean parts of a stack cost a month at list price (sizes.ts has the prices and their sources).
 * Services: the instance price times the instance count (the minimum when autoscaling); release jobs are billed per
 * second while they run. Cron jobs (scheduled jobs) are billed only while they run, so they are not lines but a note
 * each: the rate per hour of running and the runs a month. Clusters: the node price times the node count.
 */
import { CronExpressionParser } from "cron-parser";
import type { CostEstimate, ResolvedApp } from "../backend";
import { ENGINE_SLUG, nodeCount } from "./data";
import type { DigitaloceanCacheSettings, DigitaloceanCronJobSettings, DigitaloceanDatabaseSettings, DigitaloceanServiceSettings } from "./settings";
import { databaseNode, instanceSize } from "./sizes";

export const BACKEND = "digitalocean";

/** Hours in the month the monthly list prices are for (730: the usual 8,760 / 12); the per-second rate is derived from it. */
const HOURS_PER_MONTH = 730;

/** Runs a 5-field schedule makes in 30 days (capped: "every minute" is 43,200). */
export function runsPerMonth(schedule: string, timezone: string): number {
  const start = new Date("2026-01-01T00:00:00Z");
  const interval = CronExpressionParser.parse(schedule, { currentDate: start, endDate: new Date(start.getTime() + 30 * 86_400_000), tz: timezone });
  let runs = 0;
  while (interval.hasNext() && runs < 50_000) {
    interval.next();
    runs++;
  }
  return runs;
}

export function estimateDigitaloceanCost(app: ResolvedApp): CostEstimate {
  const production = app.stack.tier === "production";
  const lines: CostEstimate["lines"] = [];
  const notes = [
    "bandwidth beyond App Platform's included allowance",
    "DOCR storage (Starter free, Basic $5/month)",
    "release jobs (billed per second while they run)",
  ];
  for (const s of app.services.filter((p) => p.backend === BACKEND)) {
    const settings = s.settings as DigitaloceanServiceSettings;
    const autoscales = s.scaling.max > s.scaling.min;
    const size = instanceSize(s.size, autoscales, settings.instanceSizeSlug);
    const count = s.scaling.min;
    const item = `${count} x ${size.slug}${autoscales ? ` (autoscaling to ${s.scaling.max})` : ""}`;
    if (Number.isNaN(size.monthlyUsd)) notes.push(`${s.name}: ${size.slug} (price unknown to the estimate)`);
    else lines.push({ part: s.name, item, monthlyUsd: count * size.monthlyUsd });
  }
  for (const j of app.cronJobs.filter((p) => p.backend === BACKEND)) {
    const size = instanceSize(j.size, false, (j.settings as DigitaloceanCronJobSettings).instanceSizeSlug);
    if (Number.isNaN(size.monthlyUsd)) {
      notes.push(`${j.name}: scheduled job on ${size.slug} (price unknown to the estimate), billed only while it runs`);
      continue;
    }
    const hourly = size.monthlyUsd / HOURS_PER_MONTH;
    let runs: number | undefined;
    try {
      runs = runsPerMonth(j.schedule, j.timezone);
    } catch {
      runs = undefined; // validation has refused such a schedule already; the estimate never fails the plan
    }
    notes.push(
      `${j.name}: scheduled job on ${size.slug} at ~$${hourly.toFixed(4)} per hour of running (billed per second, only while it runs)` +
        (runs === undefined ? "" : `, ${runs} runs a month (~$${((runs * hourly) / 60).toFixed(2)} if each run takes a minute)`),
    );
  }
  const clusters = [
    ...app.databases.filter((d) => d.backend === BACKEND).map((d) => ({ name: d.name, engine: d.engine as keyof typeof ENGINE_SLUG, size: d.size, settings: d.settings as DigitaloceanDatabaseSettings })),
    ...app.caches.filter((c) => c.backend === BACKEND).map((c) => ({ name: c.name, engine: "valkey" as const, size: c.size, settings: c.settings as DigitaloceanCacheSettings })),
  ];
  for (const c of clusters) {
    const node = databaseNode(c.size, production, c.settings.sizeSlug);
    const nodes = nodeCount(c.engine, production, c.settings.nodeCount);
    if (Number.isNaN(node.monthlyUsd)) notes.push(`${c.name}: ${node.slug} (price unknown to the estimate)`);
    else lines.push({ part: c.name, item: `${ENGINE_SLUG[c.engine]} ${nodes} x ${node.slug}`, monthlyUsd: nodes * node.monthlyUsd });
  }
  return { lines, monthlyUsd: lines.reduce((sum, l) => sum + l.monthlyUsd, 0), notes };
}
