/**
 * Portable sizes on Heroku: dyno sizes (Cedar generation, Common Runtime), Postgres plans and Key-Value Store
 * (heroku-redis) plans, by portable size and tier.
 */
import type { Size } from "../../components/sizes";
import type { Tier } from "../backend";

/** Dyno sizes as settings spell them (lower case). */
export const DYNO_SIZES = ["eco", "basic", "standard-1x", "standard-2x", "performance-m", "performance-l"] as const;
export type DynoSize = (typeof DYNO_SIZES)[number];

/** The spelling Heroku answers with, sent as is so that state and API agree. */
const CANONICAL: Record<DynoSize, string> = {
  eco: "eco",
  basic: "basic",
  "standard-1x": "standard-1X",
  "standard-2x": "standard-2X",
  "performance-m": "performance-M",
  "performance-l": "performance-L",
};

/** `standard-2x` -> `standard-2X`. */
export function canonicalDynoSize(size: DynoSize): string {
  return CANONICAL[size];
}

/**
 * The dyno for a portable size. nano is Eco on development stacks (cheapest; sleeps after 30 minutes without
 * web traffic) and Basic on production (never sleeps); micro (1 GiB) is Standard-2X; small is Performance-M
 * (2.5 GiB, dedicated); medium and up are Performance-L (14 GiB, the largest Common Runtime dyno).
 */
export function dynoSizeFor(size: Size, tier: Tier): DynoSize {
  switch (size) {
    case "nano":
      return tier === "production" ? "basic" : "eco";
    case "micro":
      return "standard-2x";
    case "small":
      return "performance-m";
    default:
      return "performance-l";
  }
}

/**
 * Heroku's dyno tiers: an app runs dynos of one tier only (Eco, Basic, or the professional Standard/Performance
 * sizes), one-off dynos included; Eco and Basic also run at most one dyno per process type.
 */
export type DynoTier = "eco" | "basic" | "professional";

export function dynoTier(size: DynoSize): DynoTier {
  return size === "eco" || size === "basic" ? size : "professional";
}

/** Postgres plans (heroku-postgresql) by portable size: Essential on development stacks up to small. */
export function postgresPlanFor(size: Size, tier: Tier): string {
  const production: Record<Size, string> = {
    nano: "standard-0",
    micro: "standard-0",
    small: "standard-2",
    medium: "standard-3",
    large: "standard-4",
    xlarge: "standard-5",
  };
  if (tier === "development") {
    if (size === "nano") return "essential-0";
    if (size === "micro") return "essential-1";
    if (size === "small") return "essential-2";
  }
  return production[size];
}

/** Storage included in a Postgres plan, GiB (Heroku plans bundle storage: it cannot be chosen). */
export const POSTGRES_PLAN_STORAGE_GIB: Readonly<Record<string, number>> = {
  "essential-0": 1,
  "essential-1": 10,
  "essential-2": 32,
  "standard-0": 64,
  "standard-2": 256,
  "standard-3": 512,
  "standard-4": 768,
  "standard-5": 1024,
};

/** Key-Value Store plans (heroku-redis) by portable size: `mini` only for nano on development stacks. */
export function redisPlanFor(size: Size, tier: Tier): string {
  const development: Record<Size, string> = {
    nano: "mini",
    micro: "premium-0",
    small: "premium-1",
    medium: "premium-2",
    large: "premium-3",
    xlarge: "premium-5",
  };
  const production: Record<Size, string> = {
    nano: "premium-0",
    micro: "premium-1",
    small: "premium-2",
    medium: "premium-3",
    large: "premium-5",
    xlarge: "premium-7",
  };
  return (tier === "production" ? production : development)[size];
}
