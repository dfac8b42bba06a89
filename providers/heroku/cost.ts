/**
 * What the Heroku parts cost, in USD a month at list price (Heroku Dev Center pricing, late 2024 to 2025; verify
 * with `GET /addon-services/{service}/plans` and the pricing page before relying on it). Shown during `pulumi up`
 * and `preview` as one info line per part, so the bill is not a surprise.
 */
import type { DynoSize } from "./sizes";

/** Per dyno, running the whole month. Eco is a $5 plan of 1000 hours shared by all the account's Eco dynos. */
export const DYNO_MONTHLY_USD: Readonly<Record<DynoSize, number>> = {
  eco: 5,
  basic: 7,
  "standard-1x": 25,
  "standard-2x": 50,
  "performance-m": 250,
  "performance-l": 500,
};

/** heroku-postgresql plans. */
export const POSTGRES_MONTHLY_USD: Readonly<Record<string, number>> = {
  "essential-0": 5,
  "essential-1": 9,
  "essential-2": 20,
  "standard-0": 50,
  "standard-2": 200,
  "standard-3": 400,
  "standard-4": 750,
  "standard-5": 1400,
};

/** heroku-redis (Key-Value Store) plans. */
export const REDIS_MONTHLY_USD: Readonly<Record<string, number>> = {
  mini: 3,
  "premium-0": 15,
  "premium-1": 30,
  "premium-2": 60,
  "premium-3": 120,
  "premium-5": 200,
  "premium-7": 750,
};

/** `$7` or `$0.23`. */
function usd(amount: number): string {
  return amount >= 10 || Number.isInteger(amount) ? `$${Math.round(amount)}` : `$${amount.toFixed(2)}`;
}

/** One line about a web service's dynos. */
export function serviceCostLine(dynos: number, size: DynoSize): string {
  if (size === "eco") return `${dynos} eco dyno: part of the account's $5/month Eco plan (1000 hours shared by all Eco dynos)`;
  return `${dynos} x ${size} dyno: ${usd(dynos * DYNO_MONTHLY_USD[size])}/month`;
}

/** One line about a cron job: its runs are billed per second of dyno time, at the size's rate. */
export function cronCostLine(size: DynoSize): string {
  const hourly = DYNO_MONTHLY_USD[size] / 730;
  return `each run is billed as ${size} dyno time (about ${usd(hourly)}/hour, per second); the stack's clock dyno is shared by all its jobs`;
}

/** One line about the clock dyno. */
export function clockCostLine(size: DynoSize): string {
  return `the cron clock runs 1 x ${size} dyno: ${usd(DYNO_MONTHLY_USD[size])}/month for all the stack's Heroku cron jobs`;
}

/** One line about an add-on plan, when its price is known. */
export function addonCostLine(service: "heroku-postgresql" | "heroku-redis", plan: string): string {
  const price = (service === "heroku-postgresql" ? POSTGRES_MONTHLY_USD : REDIS_MONTHLY_USD)[plan];
  return price === undefined ? `${service}:${plan}: see Heroku's pricing` : `${service}:${plan}: ${usd(price)}/month`;
}
