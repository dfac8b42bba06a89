/**
 * Portable sizes. Every backend maps each name to its nearest offering (a Fargate CPU/memory pair, a Heroku dyno
 * size, an App Platform slug, an RDS instance class) and declares which names it offers, so that a size a backend
 * lacks is a validation error naming the sizes it has.
 */
export const SIZES = ["nano", "micro", "small", "medium", "large", "xlarge"] as const;

export type Size = (typeof SIZES)[number];

/** What each portable size promises, at least: vCPUs and memory in GiB. */
export const SIZE_SPECS: Readonly<Record<Size, { vcpu: number; memoryGiB: number }>> = {
  nano: { vcpu: 0.25, memoryGiB: 0.5 },
  micro: { vcpu: 0.5, memoryGiB: 1 },
  small: { vcpu: 1, memoryGiB: 2 },
  medium: { vcpu: 2, memoryGiB: 4 },
  large: { vcpu: 4, memoryGiB: 8 },
  xlarge: { vcpu: 8, memoryGiB: 16 },
};
