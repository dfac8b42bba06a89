/**
 * Atlas cluster tiers: the three classes Atlas runs (free M0, Flex, dedicated M10 and up), which portable size and
 * stack tier map to which, and what each costs at list price.
 *
 * Sources (see CONFORMANCE.md): the M0 limits page (one per project, no backups, a subset of regions, MongoDB 8.0
 * only), the Flex costs page ($8 base, capped at $30 a month), the billing pages (dedicated tiers billed by the hour,
 * M30 $0.54/hour on AWS; dedicated "starts at $60 per month"). M20, M40 and M50 prices are the AWS us-east-1 list
 * prices of mongodb.com/pricing as of 2025-2026 and could not be re-checked from here: the plan says "about".
 */
import type { Size } from "../../components/sizes";
import type { Tier } from "../backend";

export const ATLAS_TIERS = ["M0", "FLEX", "M10", "M20", "M30", "M40", "M50"] as const;
export type AtlasTier = (typeof ATLAS_TIERS)[number];

/** free: the M0 (shared, one per project, no backups); flex: shared, usage-billed; dedicated: M10 and up. */
export type TierClass = "free" | "flex" | "dedicated";

export function tierClass(tier: AtlasTier): TierClass {
  return tier === "M0" ? "free" : tier === "FLEX" ? "flex" : "dedicated";
}

/**
 * The tier for a portable size. Development: nano the free M0, micro Flex, larger sizes the dedicated tier that has
 * at least the size's vCPUs and memory. Production: always dedicated (M10 and up: cloud backups, an SLA, private
 * endpoints), M10 (2 vCPU, 2 GB) for nano to small.
 */
export function defaultTier(size: Size, stackTier: Tier): AtlasTier {
  if (stackTier === "development") {
    if (size === "nano") return "M0";
    if (size === "micro") return "FLEX";
  }
  const dedicated: Record<Size, AtlasTier> = {
    nano: "M10",
    micro: "M10",
    small: "M10",
    medium: "M20", // 2 vCPU, 4 GB
    large: "M40", // 4 vCPU, 16 GB (M30 has 8 GB but only 2 vCPUs)
    xlarge: "M50", // 8 vCPU, 32 GB
  };
  return dedicated[size];
}

/** Hours in a month, as cloud price pages count them. */
export const HOURS_PER_MONTH = 730;

/** Hourly list price of the dedicated tiers on AWS (us-east-1), per cluster of 3 nodes. */
export const DEDICATED_HOURLY_USD: Readonly<Record<Exclude<AtlasTier, "M0" | "FLEX">, number>> = {
  M10: 0.08,
  M20: 0.2,
  M30: 0.54,
  M40: 1.04,
  M50: 2.0,
};

/** Flex: $8 a month for up to 100 ops/s, then more by usage, never more than $30. */
export const FLEX_BASE_MONTHLY_USD = 8;
export const FLEX_CAP_MONTHLY_USD = 30;

/** The month's list price of a tier (Flex at its base price). */
export function monthlyUsd(tier: AtlasTier): number {
  if (tier === "M0") return 0;
  if (tier === "FLEX") return FLEX_BASE_MONTHLY_USD;
  return Math.round(DEDICATED_HOURLY_USD[tier] * HOURS_PER_MONTH * 100) / 100;
}

/** Storage each class includes, in GB (M0 512 MB, Flex 5 GB; M10's default disk is 10 GB, auto-scaled). */
export const INCLUDED_STORAGE_GB: Readonly<Record<TierClass, number>> = { free: 0.5, flex: 5, dedicated: 10 };

/** A MongoDB major as Atlas spells it (`mongoDbMajorVersion`): `7` -> `7.0`. */
export function atlasMajor(version: string): string {
  return /^\d+$/.test(version) ? `${version}.0` : version;
}
