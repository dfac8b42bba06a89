/**
 * An ESTIMATE of the monthly list price of what the AWS backend creates for a stack, for the plan and the README.
 *
 * List prices (us-east-1, on demand, 730 hours a month) from the project's reference notes (2026); other regions
 * differ by up to ~30%. Not counted: data transfer, load balancer capacity units, CloudWatch logs and metrics, ECR
 * storage, SSM API calls above the free tier, and anything billed by usage (cron runs are priced per hour of
 * running, with the number of runs the schedule makes). Prices not in the reference are left out and named in
 * `notes` rather than guessed.
 */
import { CronExpressionParser } from "cron-parser";
import type { Size } from "../../components/sizes";
import type { CacheSpec, DatabaseSpec, ResolvedApp, WebServiceSpec, CronJobSpec } from "../backend";
import { CACHE_NODE_TYPES } from "./cache";
import { cacheMode, type CacheSettings } from "./cache-mode";
import { RDS_INSTANCE_CLASSES } from "./database";
import type { DatabaseSettings } from "./database-settings";
import { chooseArchitecture, resolveFargateSize, type CpuArchitecture, type FargateSize } from "./fargate";
import { awsCronJobSettings, awsServiceSettings, parseSettings } from "./settings";

export const HOURS_PER_MONTH = 730;

/** USD per hour. */
export const PRICES = {
  fargate: {
    ARM64: { vcpu: 0.03238, gb: 0.00356 },
    X86_64: { vcpu: 0.04048, gb: 0.004445 },
  },
  /** Fargate Spot (either architecture) varies by region and time; AWS advertises "up to 70%" off. Priced at 70% off. */
  spotDiscount: 0.7,
  loadBalancer: 0.0225,
  publicIpv4: 0.005,
  /** A Route 53 hosted zone ($0.50/month): the private namespace of private services. */
  hostedZoneMonthly: 0.5,
  /** RDS single-AZ instance hours the reference gives; t4g sizes double with each step, as AWS prices them. */
  rds: { "db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.medium": 0.065 } as Record<string, number>,
  /** gp3 storage, per GB-month. */
  rdsGp3GbMonth: 0.115,
  /** ElastiCache Serverless Valkey's minimum (100 MB of data), per month. */
  valkeyServerlessFloorMonthly: 6,
  /** ElastiCache node hours (Valkey is priced 20% below Redis OSS on nodes). */
  cacheNode: {
    valkey: { "cache.t4g.micro": 0.0128, "cache.t4g.small": 0.0256, "cache.t4g.medium": 0.0512 } as Record<string, number>,
    redis: { "cache.t4g.micro": 0.016, "cache.t4g.small": 0.032, "cache.t4g.medium": 0.064 } as Record<string, number>,
  },
} as const;

export interface CostLine {
  /** The part, or `platform` for shared resources. */
  part: string;
  /** What is billed, e.g. "Fargate 0.25 vCPU / 0.5 GB ARM64 x 1". */
  item: string;
  /** USD per month, at the minimum instance count. */
  monthlyUsd: number;
}

export interface CostEstimate {
  lines: CostLine[];
  /** The sum of the lines: an estimate, not a quote. */
  monthlyUsd: number;
  /** What the estimate leaves out or could not price. */
  notes: string[];
}

const round = (usd: number): number => Math.round(usd * 100) / 100;

/** USD per hour of one task. */
export function fargateHourly(size: FargateSize, arch: CpuArchitecture, spot: boolean): number {
  const rate = PRICES.fargate[arch];
  const onDemand = (size.cpu / 1024) * rate.vcpu + (size.memory / 1024) * rate.gb;
  return spot ? onDemand * (1 - PRICES.spotDiscount) : onDemand;
}

function describeTask(size: FargateSize, arch: CpuArchitecture, spot: boolean): string {
  return `Fargate${spot ? " Spot" : ""} ${size.cpu / 1024} vCPU / ${size.memory / 1024} GB ${arch}`;
}

/** Runs a schedule makes in 30 days (counted up to a cap: "every minute" is 43,200). */
export function runsPerMonth(schedule: string, timezone: string): number {
  const start = new Date("2026-01-01T00:00:00Z");
  const end = new Date(start.getTime() + 30 * 24 * 3600 * 1000);
  const interval = CronExpressionParser.parse(schedule, { currentDate: start, endDate: end, tz: timezone });
  let runs = 0;
  while (interval.hasNext() && runs < 50_000) {
    interval.next();
    runs++;
  }
  return runs;
}

/** How many of `count` tasks run on regular Fargate and on Spot (see `serviceCapacityStrategy`). */
export function taskSplit(count: number, spot: boolean, onDemandBase: number): { regular: number; spot: number } {
  if (!spot) return { regular: count, spot: 0 };
  if (onDemandBase === 0) return { regular: 0, spot: count };
  const base = Math.min(count, onDemandBase);
  // Beyond the base, the strategy places 1 task in 4 on regular Fargate.
  const regular = base + (count - base) / 4;
  return { regular, spot: count - regular };
}

function serviceLines(spec: WebServiceSpec, notes: string[]): CostLine[] {
  const settings = parseSettings(awsServiceSettings, spec.settings);
  const size = resolveFargateSize(spec.size, settings);
  if ("error" in size) return [];
  const arch = chooseArchitecture(settings, spec.image);
  const spot = settings.spot ?? false;
  const base = settings.onDemandBase ?? 1;
  const monthly = (count: number) => {
    const split = taskSplit(count, spot, base);
    return {
      split,
      regular: split.regular * fargateHourly(size, arch, false) * HOURS_PER_MONTH,
      spot: split.spot * fargateHourly(size, arch, true) * HOURS_PER_MONTH,
      ips: count * PRICES.publicIpv4 * HOURS_PER_MONTH,
    };
  };
  const { min, max } = spec.scaling;
  const atMin = monthly(min);
  const lines: CostLine[] = [];
  if (atMin.split.regular > 0) {
    lines.push({ part: spec.name, item: `${describeTask(size, arch, false)} x ${atMin.split.regular}`, monthlyUsd: round(atMin.regular) });
  }
  if (atMin.split.spot > 0) {
    lines.push({ part: spec.name, item: `${describeTask(size, arch, true)} x ${atMin.split.spot}`, monthlyUsd: round(atMin.spot) });
  }
  if (min > 0) lines.push({ part: spec.name, item: `public IPv4 x ${min} (one per task)`, monthlyUsd: round(atMin.ips) });
  if (max > min) {
    const atMax = monthly(max);
    const more = atMax.regular + atMax.spot + atMax.ips - (atMin.regular + atMin.spot + atMin.ips);
    notes.push(`${spec.name} autoscales to ${max} tasks: up to ~$${round(more)}/month more at the maximum.`);
  }
  return lines;
}

function cronLines(spec: CronJobSpec, notes: string[]): CostLine[] {
  const settings = parseSettings(awsCronJobSettings, spec.settings);
  const size = resolveFargateSize(spec.size, settings);
  if ("error" in size) return [];
  const arch = chooseArchitecture(settings, spec.image);
  const spot = settings.spot ?? false;
  const hourly = fargateHourly(size, arch, spot) + PRICES.publicIpv4;
  let runs: number | undefined;
  try {
    runs = runsPerMonth(spec.schedule, spec.timezone);
  } catch {
    runs = undefined;
  }
  notes.push(
    `${spec.name}: ${describeTask(size, arch, spot)} at $${hourly.toFixed(4)} per hour of running` +
      (runs !== undefined ? `, ${runs} runs a month` : "") +
      (runs !== undefined ? ` (~$${round((runs * hourly) / 60)} if each run takes a minute)` : "") +
      ". Fargate bills per second, one minute minimum.",
  );
  return [];
}

function databaseLines(spec: DatabaseSpec, production: boolean, notes: string[]): CostLine[] {
  const settings = (spec.settings ?? {}) as DatabaseSettings;
  const instanceClass = settings.instanceClass ?? RDS_INSTANCE_CLASSES[spec.size as Size];
  const multiAz = settings.multiAz ?? production;
  const lines: CostLine[] = [];
  const hourly = PRICES.rds[instanceClass];
  if (hourly === undefined) notes.push(`${spec.name}: ${instanceClass} is not in the price reference: see aws.amazon.com/rds/pricing.`);
  else {
    lines.push({
      part: spec.name,
      item: `RDS ${spec.engine} ${instanceClass}${multiAz ? " Multi-AZ" : ""}`,
      monthlyUsd: round(hourly * (multiAz ? 2 : 1) * HOURS_PER_MONTH),
    });
  }
  if ((settings.storageType ?? "gp3") === "gp3") {
    lines.push({
      part: spec.name,
      item: `gp3 storage ${spec.storageGiB} GB${multiAz ? " x 2 (Multi-AZ)" : ""}`,
      monthlyUsd: round(spec.storageGiB * PRICES.rdsGp3GbMonth * (multiAz ? 2 : 1)),
    });
  } else notes.push(`${spec.name}: io2 storage and IOPS are not in the price reference.`);
  if (spec.backups) notes.push(`${spec.name}: backup storage up to the database's size is free; beyond it, billed per GB.`);
  return lines;
}

function cacheLines(spec: CacheSpec, production: boolean, notes: string[]): CostLine[] {
  const settings = (spec.settings ?? {}) as CacheSettings;
  const chosen = cacheMode(spec, settings);
  if ("error" in chosen) return [];
  if (chosen.mode === "serverless") {
    if (spec.engine === "valkey") {
      notes.push(`${spec.name}: ElastiCache Serverless also bills data stored above 100 MB and processing units (ECPUs) used.`);
      return [{ part: spec.name, item: "ElastiCache Serverless Valkey (minimum)", monthlyUsd: PRICES.valkeyServerlessFloorMonthly }];
    }
    notes.push(`${spec.name}: ElastiCache Serverless for Redis OSS has a higher minimum than Valkey, not in the price reference.`);
    return [];
  }
  const nodeType = settings.nodeType ?? CACHE_NODE_TYPES[spec.size as Size];
  const nodes = 1 + (settings.replicas ?? (production ? 1 : 0));
  const hourly = PRICES.cacheNode[spec.engine][nodeType];
  if (hourly === undefined) {
    notes.push(`${spec.name}: ${nodeType} is not in the price reference: see aws.amazon.com/elasticache/pricing.`);
    return [];
  }
  return [{ part: spec.name, item: `ElastiCache ${spec.engine} ${nodeType} x ${nodes}`, monthlyUsd: round(hourly * nodes * HOURS_PER_MONTH) }];
}

/** The estimate for the AWS parts of a resolved app. */
export function estimateAwsMonthlyCost(app: ResolvedApp): CostEstimate {
  const onAws = <T extends { backend: string }>(parts: T[]) => parts.filter((p) => p.backend === "aws");
  const services = onAws(app.services);
  const production = app.stack.tier === "production";
  const notes: string[] = [];
  const lines: CostLine[] = [];

  if (services.some((s) => s.public)) {
    lines.push(
      { part: "platform", item: "Application Load Balancer (hours; capacity units extra)", monthlyUsd: round(PRICES.loadBalancer * HOURS_PER_MONTH) },
      { part: "platform", item: "load balancer public IPv4 x 2 (one per zone)", monthlyUsd: round(2 * PRICES.publicIpv4 * HOURS_PER_MONTH) },
    );
  }
  if (services.some((s) => !s.public)) {
    lines.push({ part: "platform", item: "private DNS namespace (Route 53 private zone)", monthlyUsd: PRICES.hostedZoneMonthly });
  }
  for (const spec of services) lines.push(...serviceLines(spec, notes));
  for (const spec of onAws(app.cronJobs)) lines.push(...cronLines(spec, notes));
  for (const spec of onAws(app.databases)) lines.push(...databaseLines(spec, production, notes));
  for (const spec of onAws(app.caches)) lines.push(...cacheLines(spec, production, notes));
  if (lines.length > 0 || notes.length > 0) {
    notes.push("Not counted: data transfer, load balancer capacity units, CloudWatch logs, ECR storage. No NAT gateway is created.");
  }
  return { lines, monthlyUsd: round(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)), notes };
}
