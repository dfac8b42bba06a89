/**
 * What the AWS backend refuses before any resource exists, beyond `offers` and the settings schemas: routing it
 * cannot do on one load balancer, task sizes Fargate lacks, health checks the load balancer rejects, (from ./cron.ts)
 * schedules, database and cache versions AWS does not offer, and (from ./validate-names.ts) names and domains an AWS
 * API would refuse.
 */
import type { Problem, ResolvedApp } from "../backend";
import { validateAws } from "./cron";
import { resolveFargateSize } from "./fargate";
import { awsCronJobSettings, awsServiceSettings } from "./settings";
import { validateAwsNames } from "./validate-names";

/** ACM's default quota of names per certificate (one certificate per service). */
export const MAX_DOMAINS_PER_SERVICE = 10;

export function validateAwsApp(app: ResolvedApp): Problem[] {
  const problems: Problem[] = [...validateAws(app), ...validateAwsNames(app)];
  const services = app.services.filter((s) => s.backend === "aws");

  // One load balancer per stack: a public service without a domain takes every request no host rule claims, and
  // only one service can do that.
  const domainless = services.filter((s) => s.public && s.domains.length === 0);
  if (domainless.length > 1) {
    for (const s of domainless) {
      problems.push({
        path: `app.services.${s.name}.domains`,
        message:
          `public AWS services ${domainless.map((d) => d.name).join(", ")} have no domain, but they share one load balancer ` +
          `whose own name can serve only one of them: give the others domains (multicloud:services.<name>.domains) or make them private`,
      });
    }
  }

  const owners = new Map<string, string>();
  for (const s of services) {
    if (s.domains.length > MAX_DOMAINS_PER_SERVICE) {
      problems.push({
        path: `app.services.${s.name}.domains`,
        message: `${s.domains.length} domains; an ACM certificate holds at most ${MAX_DOMAINS_PER_SERVICE} by default: split them or raise the quota and ask for this limit to follow`,
      });
    }
    for (const domain of s.domains) {
      const owner = owners.get(domain);
      if (owner) problems.push({ path: `app.services.${s.name}.domains`, message: `${domain} is also a domain of ${owner}: one load balancer can route a host to one service` });
      else owners.set(domain, s.name);
    }
    const interval = s.healthCheck.intervalSeconds;
    if (!Number.isInteger(interval) || interval < 5 || interval > 300) {
      problems.push({ path: `app.services.${s.name}.healthCheck.intervalSeconds`, message: `${interval} is outside what the load balancer allows: 5 to 300 seconds` });
    }
    if (s.healthCheck.path.length > 1024) {
      problems.push({ path: `app.services.${s.name}.healthCheck.path`, message: "longer than the load balancer's 1024 characters" });
    }
    const settings = awsServiceSettings.safeParse(s.settings ?? {});
    if (settings.success) {
      const size = resolveFargateSize(s.size, settings.data);
      if ("error" in size) problems.push({ path: `multicloud:services.${s.name}.aws`, message: size.error });
    }
  }

  for (const job of app.cronJobs.filter((j) => j.backend === "aws")) {
    const settings = awsCronJobSettings.safeParse(job.settings ?? {});
    if (settings.success) {
      const size = resolveFargateSize(job.size, settings.data);
      if ("error" in size) problems.push({ path: `multicloud:cronJobs.${job.name}.aws`, message: size.error });
    }
  }
  return problems;
}
