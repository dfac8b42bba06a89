/**
 * What the DigitalOcean parts of a stack cost a month at list price (sizes.ts has the prices and their sources).
 * Services: the instance price times the instance count (the minimum when autoscaling); release jobs are billed per
 * second while they run. Clusters: the node price times the node count.
 */
import type { CostEstimate, ResolvedApp } from "../backend";
import { ENGINE_SLUG, nodeCount } from "./data";
import type { DigitaloceanCacheSettings, DigitaloceanDatabaseSettings, DigitaloceanServiceSettings } from "./settings";
import { databaseNode, instanceSize } from "./sizes";

export const BACKEND = "digitalocean";

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
