/**
 * Names and domains AWS would refuse, refused here before any resource exists, with the key to edit. Each rule comes
 * from providers/aws/constraints/fields.ts (and the AWS CONFORMANCE table): what the core's validation accepts
 * (app names, part names, hostnames) but one AWS API does not, once the backend builds its names from them.
 *
 * Why refuse rather than rename: the names concerned are the RDS instance, its subnet and parameter groups, the
 * ElastiCache groups and the security groups, all auto-named from the part's name and kept in state. Renaming them
 * in code would replace them on existing stacks (a new, empty database); refusing costs a user one rename, before
 * anything exists.
 */
import type { Problem, ResolvedApp } from "../backend";
import { parameterName, partPath, SSM_MAX_PARAMETER_NAME, SSM_RESERVED_PREFIX } from "./names";

/** ACM: a certificate's domain name (its Common Name) is at most 64 characters (RFC 5280); SANs may be longer. */
export const MAX_CERTIFICATE_DOMAIN = 64;
/** ELBv2: a host-header condition value is at most 128 characters. */
export const MAX_LISTENER_HOST = 128;

/** EC2 refuses security group names starting with `sg-`; ours start with `<app>-aws-` or `<part>-sg-`. */
const SECURITY_GROUP_RESERVED = /^sg-/i;

export function validateAwsNames(app: ResolvedApp): Problem[] {
  const problems: Problem[] = [];
  const onAws = <T extends { backend: string }>(parts: T[]) => parts.filter((p) => p.backend === "aws");
  const runnable = [...onAws(app.services), ...onAws(app.cronJobs)];
  const data = [
    ...onAws(app.databases).map((d) => ({ key: "databases", name: d.name, what: "an RDS instance identifier and its DB subnet and parameter group names" })),
    ...onAws(app.caches).map((c) => ({ key: "caches", name: c.name, what: "ElastiCache subnet and parameter group names" })),
  ];
  const appName = app.stack.appName;

  const firstPath = runnable[0] && partPath(app.stack, runnable[0].name);
  if (firstPath && SSM_RESERVED_PREFIX.test(firstPath)) {
    problems.push({
      path: "app.name",
      message:
        `${JSON.stringify(appName)} starts the path of every SSM parameter of the AWS parts (${partPath(app.stack, "<part>")}/<SECRET>), ` +
        `and SSM refuses parameter names that start with "aws" or "ssm" (any case): choose an app name that starts with neither`,
    });
  }

  for (const [key, parts] of [["services", onAws(app.services)], ["cronJobs", onAws(app.cronJobs)]] as const) {
    for (const part of parts) {
      for (const secret of part.secretNames) {
        const name = parameterName(app.stack, part.name, secret);
        if (name.length > SSM_MAX_PARAMETER_NAME) {
          problems.push({
            path: `app.${key}.${part.name}`,
            message: `the env var ${secret} (a secret or link) would be the SSM parameter ${name.slice(0, 60)}... (${name.length} characters), longer than the ${SSM_MAX_PARAMETER_NAME} SSM allows: shorten its name`,
          });
        }
      }
    }
  }

  if (runnable.length + data.length > 0 && SECURITY_GROUP_RESERVED.test(`${appName}-aws`)) {
    problems.push({
      path: "app.name",
      message: `${JSON.stringify(appName)} would start the stack's security group names (${appName}-aws-app-sg-...) with "sg-", which EC2 refuses for security group names: choose an app name that does not start with "sg-"`,
    });
  }

  for (const part of data) {
    const at = `app.${part.key}.${part.name}`;
    if (part.name.includes("--")) {
      problems.push({
        path: at,
        message:
          `${JSON.stringify(part.name)} has two consecutive hyphens, which ${part.what} may not contain on AWS (RDS and ElastiCache identifiers): ` +
          `rename it, e.g. ${JSON.stringify(part.name.replace(/-{2,}/g, "-"))}`,
      });
    }
    if (SECURITY_GROUP_RESERVED.test(`${part.name}-sg`)) {
      problems.push({
        path: at,
        message: `${JSON.stringify(part.name)} would start its security group's name (${part.name}-sg-...) with "sg-", which EC2 refuses for security group names: rename it`,
      });
    }
  }

  for (const s of onAws(app.services)) {
    const [first] = s.domains;
    if (first && first.length > MAX_CERTIFICATE_DOMAIN) {
      problems.push({
        path: `app.services.${s.name}.domains`,
        message:
          `${first} (${first.length} characters) would be the certificate's domain name, which ACM limits to ${MAX_CERTIFICATE_DOMAIN} characters: ` +
          `put a shorter domain first (the others may be up to ${MAX_LISTENER_HOST})`,
      });
    }
    for (const domain of s.domains.filter((d) => d.length > MAX_LISTENER_HOST)) {
      problems.push({
        path: `app.services.${s.name}.domains`,
        message: `${domain} (${domain.length} characters) is longer than the ${MAX_LISTENER_HOST} characters a load balancer's host rule matches`,
      });
    }
  }
  return problems;
}
