/** What the stack's Atlas clusters cost a month, at list price, per database and in total. */
import type { CostEstimate, ResolvedApp } from "../backend";
import { databaseTier } from "./database";
import { FLEX_CAP_MONTHLY_USD, monthlyUsd, tierClass } from "./tiers";

export function estimateAtlasCost(app: ResolvedApp): CostEstimate {
  const databases = app.databases.filter((d) => d.backend === "atlas");
  const tiers = databases.map((d) => ({ name: d.name, tier: databaseTier(d, app.stack.tier) }));
  const lines = tiers.map(({ name, tier }) => ({
    part: `databases.${name}`,
    item: tier === "M0" ? "Atlas M0 cluster (free)" : tier === "FLEX" ? "Atlas Flex cluster (base price)" : `Atlas ${tier} cluster (3 nodes)`,
    monthlyUsd: monthlyUsd(tier),
  }));
  const notes: string[] = [];
  if (tiers.some((t) => t.tier === "FLEX")) notes.push(`Flex usage above 100 ops/s (up to $${FLEX_CAP_MONTHLY_USD}/month per cluster)`);
  if (tiers.some((t) => tierClass(t.tier) === "dedicated")) {
    notes.push("Atlas backup snapshot storage, storage beyond the tier's default, data transfer; dedicated prices are AWS us-east-1 list prices (other regions and clouds differ)");
  }
  return { lines, monthlyUsd: Math.round(lines.reduce((sum, l) => sum + l.monthlyUsd, 0) * 100) / 100, notes };
}
