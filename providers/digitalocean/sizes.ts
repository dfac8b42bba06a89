/**
 * Portable sizes to DigitalOcean slugs, with their monthly list prices (USD).
 *
 * App Platform instance sizes: `apps-s-*` are shared CPU, `apps-d-*` dedicated CPU. Autoscaling needs a dedicated
 * size (DigitalOcean, "How to Scale Apps in App Platform": "autoscaling is available for components using
 * dedicated CPU plans"), so a `{min, max}` range picks the dedicated size of the same memory. Slugs and prices:
 * DigitalOcean App Platform pricing page as summarised in /work/shared/reference/aws-digitalocean-atlas.md
 * (shared $5/$12/$25, dedicated from $29); the dedicated prices above $29 are from DigitalOcean's pricing page as
 * remembered, not checkable offline: `doctl apps tier instance-size list` prints the live list.
 *
 * Managed database slugs (`db-s-<vcpu>vcpu-<mem>gb`): the DatabaseSlug enum of @pulumi/digitalocean 4.80.1
 * (types/enums); prices per node, DigitalOcean's managed database pricing (PostgreSQL/MySQL/Valkey/MongoDB
 * smallest $15 per node).
 */
import type { Size } from "../../components/sizes";

export interface InstanceSize {
  slug: string;
  monthlyUsd: number;
}

/** Shared-CPU sizes: cheapest, no autoscaling. */
export const SHARED_INSTANCE: Readonly<Record<Size, InstanceSize>> = {
  nano: { slug: "apps-s-1vcpu-0.5gb", monthlyUsd: 5 },
  micro: { slug: "apps-s-1vcpu-1gb", monthlyUsd: 12 },
  small: { slug: "apps-s-1vcpu-2gb", monthlyUsd: 25 },
  // No shared size has 2 vCPU or more: medium and up are dedicated.
  medium: { slug: "apps-d-2vcpu-4gb", monthlyUsd: 78 },
  large: { slug: "apps-d-4vcpu-8gb", monthlyUsd: 156 },
  // Nearest: App Platform's 8-vCPU size has 32 GB.
  xlarge: { slug: "apps-d-8vcpu-32gb", monthlyUsd: 392 },
};

/** Dedicated-CPU sizes: what autoscaling needs. */
export const DEDICATED_INSTANCE: Readonly<Record<Size, InstanceSize>> = {
  nano: { slug: "apps-d-1vcpu-0.5gb", monthlyUsd: 29 },
  micro: { slug: "apps-d-1vcpu-1gb", monthlyUsd: 34 },
  small: { slug: "apps-d-1vcpu-2gb", monthlyUsd: 39 },
  medium: SHARED_INSTANCE.medium,
  large: SHARED_INSTANCE.large,
  xlarge: SHARED_INSTANCE.xlarge,
};

/** Every instance slug we know a price of: an override outside it is allowed but priced as unknown. */
export const INSTANCE_PRICES: Readonly<Record<string, number>> = Object.fromEntries(
  [...Object.values(SHARED_INSTANCE), ...Object.values(DEDICATED_INSTANCE)].map((s) => [s.slug, s.monthlyUsd]),
);

/** The instance size of a service or job: the override, else dedicated when it autoscales, else shared. */
export function instanceSize(size: Size, autoscales: boolean, override?: string): InstanceSize {
  if (override) return { slug: override, monthlyUsd: INSTANCE_PRICES[override] ?? NaN };
  return (autoscales ? DEDICATED_INSTANCE : SHARED_INSTANCE)[size];
}

/** Managed database / Valkey node sizes, per node. */
export const DATABASE_NODE: Readonly<Record<Size, InstanceSize>> = {
  nano: { slug: "db-s-1vcpu-1gb", monthlyUsd: 15 },
  micro: { slug: "db-s-1vcpu-1gb", monthlyUsd: 15 },
  small: { slug: "db-s-1vcpu-2gb", monthlyUsd: 30 },
  medium: { slug: "db-s-2vcpu-4gb", monthlyUsd: 60 },
  large: { slug: "db-s-4vcpu-8gb", monthlyUsd: 120 },
  xlarge: { slug: "db-s-6vcpu-16gb", monthlyUsd: 240 },
};

export const DATABASE_PRICES: Readonly<Record<string, number>> = Object.fromEntries(
  Object.values(DATABASE_NODE).map((s) => [s.slug, s.monthlyUsd]),
);

/**
 * The node size of a cluster. Production never runs on the 1 GB size: DigitalOcean offers standby nodes from
 * db-s-1vcpu-2gb ("Managed Databases: high availability", the 1 GB plan is single-node only).
 */
export function databaseNode(size: Size, production: boolean, override?: string): InstanceSize {
  if (override) return { slug: override, monthlyUsd: DATABASE_PRICES[override] ?? NaN };
  const node = DATABASE_NODE[size];
  return production && node.slug === "db-s-1vcpu-1gb" ? DATABASE_NODE.small : node;
}
