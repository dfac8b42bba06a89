/** The AWS monthly cost estimate: list prices times what the stack creates. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateAwsMonthlyCost } from "../../providers/aws";
import { fargateHourly, HOURS_PER_MONTH, PRICES, runsPerMonth, taskSplit } from "../../providers/aws/cost";
import { FARGATE_SIZES } from "../../providers/aws/fargate";
import type { CacheSpec, DatabaseSpec } from "../../providers/backend";
import { cronJobSpec, resolvedApp, stackInfo, webServiceSpec } from "../support/mocks";

function database(overrides: Partial<DatabaseSpec> = {}): DatabaseSpec {
  return { name: "db", backend: "aws", engine: "postgres", size: "nano", storageGiB: 20, extensions: [], backups: { retentionDays: 7 }, settings: {}, ...overrides };
}

function cache(overrides: Partial<CacheSpec> = {}): CacheSpec {
  return { name: "cache", backend: "aws", engine: "valkey", size: "nano", evictionPolicy: "noeviction", settings: {}, ...overrides };
}

describe("AWS cost estimate", () => {
  it("prices a 0.25 vCPU / 0.5 GB ARM task at about $7.2 a month, as the reference says", () => {
    const monthly = fargateHourly({ cpu: 256, memory: 512 }, "ARM64", false) * HOURS_PER_MONTH;
    assert.ok(Math.abs(monthly - 7.2) < 0.1, `${monthly}`);
    assert.ok(fargateHourly({ cpu: 256, memory: 512 }, "X86_64", false) > fargateHourly({ cpu: 256, memory: 512 }, "ARM64", false));
    assert.ok(fargateHourly({ cpu: 256, memory: 512 }, "X86_64", true) < fargateHourly({ cpu: 256, memory: 512 }, "ARM64", false));
  });

  it("adds up the load balancer, tasks and their public IPs for a small app", () => {
    const estimate = estimateAwsMonthlyCost(resolvedApp({ services: [webServiceSpec({ name: "web" })] }));
    const items = estimate.lines.map((l) => l.item);
    assert.deepEqual(items, [
      "Application Load Balancer (hours; capacity units extra)",
      "load balancer public IPv4 x 2 (one per zone)",
      "Fargate 0.25 vCPU / 0.5 GB ARM64 x 1",
      "public IPv4 x 1 (one per task)",
    ]);
    const expected = (PRICES.loadBalancer + 3 * PRICES.publicIpv4) * HOURS_PER_MONTH + fargateHourly({ cpu: 256, memory: 512 }, "ARM64", false) * HOURS_PER_MONTH;
    assert.ok(Math.abs(estimate.monthlyUsd - expected) < 0.05, `${estimate.monthlyUsd} vs ${expected}`);
    assert.ok(estimate.notes.some((n) => n.includes("No NAT gateway")));
  });

  it("counts nothing for parts on other backends", () => {
    const estimate = estimateAwsMonthlyCost(resolvedApp({ services: [webServiceSpec({ name: "web", backend: "heroku" })] }));
    assert.deepEqual(estimate, { lines: [], monthlyUsd: 0, notes: [] });
  });

  it("splits Spot services as the capacity strategy does, and notes the autoscaling ceiling", () => {
    assert.deepEqual(taskSplit(1, true, 1), { regular: 1, spot: 0 });
    assert.deepEqual(taskSplit(5, true, 1), { regular: 2, spot: 3 });
    assert.deepEqual(taskSplit(3, true, 0), { regular: 0, spot: 3 });
    assert.deepEqual(taskSplit(3, false, 1), { regular: 3, spot: 0 });
    const estimate = estimateAwsMonthlyCost(
      resolvedApp({ services: [webServiceSpec({ name: "web", settings: { spot: true, onDemandBase: 0 }, scaling: { min: 2, max: 6, cpuTarget: 70 } })] }),
    );
    // Spot at the task's own architecture's rate (ARM64 for a build), less the Spot discount.
    const line = estimate.lines.find((l) => l.item === "Fargate Spot 0.25 vCPU / 0.5 GB ARM64 x 2");
    assert.ok(line, JSON.stringify(estimate.lines));
    assert.equal(fargateHourly(FARGATE_SIZES.nano, "ARM64", true), fargateHourly(FARGATE_SIZES.nano, "ARM64", false) * (1 - PRICES.spotDiscount));
    assert.ok(estimate.notes.some((n) => n.startsWith("web autoscales to 6 tasks")));
  });

  it("prices cron jobs per hour of running, with the runs their schedule makes", () => {
    assert.equal(runsPerMonth("0 3 * * *", "UTC"), 30);
    assert.equal(runsPerMonth("*/15 * * * *", "UTC"), 30 * 24 * 4);
    const estimate = estimateAwsMonthlyCost(resolvedApp({ cronJobs: [cronJobSpec({ name: "report", schedule: "0 3 * * *" })] }));
    assert.deepEqual(estimate.lines, []);
    assert.ok(estimate.notes.some((n) => n.startsWith("report: Fargate 0.25 vCPU / 0.5 GB ARM64") && n.includes("30 runs a month")));
  });

  it("prices databases by class and storage (Multi-AZ doubles both) and names what it cannot price", () => {
    const dev = estimateAwsMonthlyCost(resolvedApp({ databases: [database()] }));
    assert.deepEqual(dev.lines.map((l) => [l.item, l.monthlyUsd]), [
      ["RDS postgres db.t4g.micro", 11.68],
      ["gp3 storage 20 GB", 2.3],
    ]);
    const prod = estimateAwsMonthlyCost(resolvedApp({ stack: stackInfo({ tier: "production" }), databases: [database()] }));
    assert.deepEqual(prod.lines.map((l) => l.monthlyUsd), [23.36, 4.6]);
    const big = estimateAwsMonthlyCost(resolvedApp({ databases: [database({ size: "large" })] }));
    assert.ok(big.notes.some((n) => n.includes("db.m7g.xlarge is not in the price reference")));
    assert.equal(big.lines.filter((l) => l.item.startsWith("RDS")).length, 0);
  });

  it("prices the serverless Valkey floor", () => {
    const estimate = estimateAwsMonthlyCost(resolvedApp({ caches: [cache()] }));
    assert.deepEqual(estimate.lines, [{ part: "cache", item: "ElastiCache Serverless Valkey (minimum)", monthlyUsd: 6 }]);
  });
});
