/**
 * Who may connect to the stack's Atlas clusters: an explicit decision in config, never a default. Heroku dynos, App
 * Platform apps and Fargate tasks in public subnets have no fixed egress address, so the honest choices are:
 * - `allow: [...]`: an access list of IPv4 addresses and CIDR blocks (static egress: a NAT gateway's Elastic IP, a
 *   Heroku static-IP add-on, App Platform dedicated egress IPs); `0.0.0.0/0` opens the clusters to the internet,
 *   where only the generated credentials and TLS (always on in Atlas) protect them, and only when written so;
 * - `privateEndpoint: true`: no access-list entry; the app reaches dedicated clusters (M10+) through a private
 *   endpoint you create (`mongodbatlas.PrivateLinkEndpoint` and the cloud's endpoint), and the link URL is the
 *   cluster's private-endpoint SRV string once Atlas lists one (the public one, with a warning, until then).
 */
import { z } from "zod";
import { parseCidr } from "../aws/cidr";
import { strictObject } from "../../stacks/zod-helpers";

export const WHOLE_INTERNET = "0.0.0.0/0";

/** One access-list entry: an address (`203.0.113.7`) or a block (`198.51.100.0/24`). */
export type AccessEntry = { ipAddress: string } | { cidrBlock: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The entry for an address or CIDR; an error message when it is neither. */
export function accessEntry(text: string): AccessEntry | { error: string } {
  const ip = IPV4.exec(text);
  if (ip) {
    return ip.slice(1).every((o) => Number(o) <= 255) ? { ipAddress: text } : { error: `${JSON.stringify(text)} is not an IPv4 address` };
  }
  const cidr = parseCidr(text);
  return "error" in cidr ? { error: `${cidr.error}; or give one address, e.g. 203.0.113.7` } : { cidrBlock: text };
}

const entry = z.string().superRefine((text, ctx) => {
  const parsed = accessEntry(text);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
});

export const accessSettings = z.union(
  [
    strictObject({
      /** IPv4 addresses and CIDR blocks allowed to connect; `0.0.0.0/0` is the whole internet, only when written. */
      allow: z.array(entry).min(1, { error: "list at least one address or CIDR block (or use { privateEndpoint: true })" }),
    }),
    strictObject({
      /** Reach dedicated clusters only through a private endpoint you create; no access-list entry. */
      privateEndpoint: z.literal(true),
    }),
  ],
  { error: 'must be { allow: ["203.0.113.7", "198.51.100.0/24"] } (or ["0.0.0.0/0"] for the whole internet), or { privateEndpoint: true }' },
);
export type AccessSettings = z.infer<typeof accessSettings>;

/** One line saying what the stack chose, for `pulumi up` and the plan. */
export function describeAccess(access: AccessSettings): string {
  if ("privateEndpoint" in access) return "private endpoints only (no access-list entry): create the endpoint and its Atlas side before the app connects";
  if (access.allow.includes(WHOLE_INTERNET)) {
    return "OPEN TO THE WHOLE INTERNET (0.0.0.0/0, as configured): only the generated password and TLS protect the data; prefer static egress addresses or private endpoints";
  }
  return `access list ${access.allow.join(", ")}`;
}
