/**
 * A web service on Heroku: one app per service on the `container` stack, in this order:
 * App -> ConfigVars (env, secrets and copied link URLs: config vars are Heroku's secret store) -> add-on
 * attachments of the linked Heroku databases and caches (links.ts) -> images pushed -> ContainerRelease by digest (its release phase runs the release command, before the release goes live; a
 * failure fails the deploy and the previous release keeps serving) -> Formation (web dynos) -> Domains (ACM).
 *
 * Heroku specifics the portable spec cannot change: the router assigns `PORT` (the app must listen on it; the
 * declared port is not used), the Common Runtime has no private network (every service is public) and no HTTP
 * health checks (the dyno manager restarts crashed processes; `healthCheck` is not used), and autoscaling exists
 * only for Performance dynos, in the dashboard, not in the Platform API (so a fixed count only).
 */
import * as pulumi from "@pulumi/pulumi";
import { warn } from "../../components/record";
import type { RunInputs, WebServiceResult, WebServiceSpec } from "../backend";
import { serviceCostLine } from "./cost";
import { pushImage } from "./image";
import type { PushedImage } from "./image";
import { attachLinks, attachableLinks, warnCopiedPieces, withoutAttached } from "./links";
import { herokuAppName } from "./names";
import type { HerokuPlatform } from "./platform";
import { App, ConfigVars, ContainerRelease, Domain, Formation } from "./resources";
import type { HerokuServiceSettings } from "./settings";
import { canonicalDynoSize, dynoSizeFor } from "./sizes";
import type { DynoSize } from "./sizes";

/** The dyno size of a service: the `dynoSize` setting, else the portable size's. */
export function serviceDynoSize(spec: Pick<WebServiceSpec, "size" | "settings">, platform: Pick<HerokuPlatform, "stack">): DynoSize {
  return (spec.settings as HerokuServiceSettings).dynoSize ?? dynoSizeFor(spec.size, platform.stack.tier);
}

/** The Heroku app name of a service: the `appName` setting, else `<appName>-<stack>-<service>`. */
export function serviceAppName(spec: Pick<WebServiceSpec, "name" | "settings">, platform: Pick<HerokuPlatform, "stack">): string {
  return (spec.settings as HerokuServiceSettings).appName ?? herokuAppName(platform.stack, spec.name);
}

/** Every config var of a runnable part: plain env and secret env, all kept secret by `ConfigVars`. */
export function configVarsOf(env: Record<string, string>, inputs: RunInputs): Record<string, pulumi.Input<string>> {
  return { ...env, ...inputs.secretEnv };
}

export function deployWebService(
  platform: HerokuPlatform,
  spec: WebServiceSpec,
  inputs: RunInputs,
  parent: pulumi.ComponentResource,
): WebServiceResult {
  const name = spec.name;
  const dynoSize = serviceDynoSize(spec, platform);
  const opts = { parent };
  const app = new App(name, platform.appArgs(serviceAppName(spec, platform)), opts);
  const attachable = attachableLinks(platform, inputs.links ?? []);
  warnCopiedPieces(name, inputs.links ?? []);
  const vars = withoutAttached(configVarsOf(spec.env, inputs), attachable);
  // No resource for no vars (every config var change makes a release), unless links are attached: then it exists
  // to remove the copies an earlier version of this program set under the attached names, before attaching.
  const config = Object.keys(vars).length || attachable.length ? new ConfigVars(`${name}-config`, { app: app.id, vars }, opts) : undefined;
  const attachments = attachLinks(name, app.id, attachable, { parent, after: config ? [config] : [] });

  const push = (suffix: string, processType: string, source: Parameters<typeof pushImage>[1]["source"]): PushedImage =>
    pushImage(`${name}-${suffix}`, { appName: app.name, processType, source, apiKey: platform.apiKey, projectDir: platform.stack.projectDir }, opts);

  // The user's image, pushed as `web` unless a command override makes `web` a derived image.
  let web: PushedImage;
  let base: pulumi.Input<string>;
  if (spec.image.kind === "build") {
    const built = push(spec.command ? "image" : "web-image", spec.command ? "base" : "web", spec.image);
    base = built.repoDigest;
    web = spec.command ? push("web-image", "web", { kind: "derived", base, command: spec.command }) : built;
  } else {
    base = spec.image.ref;
    web = push("web-image", "web", { kind: "derived", base, ...(spec.command ? { command: spec.command } : {}) });
  }
  const releasePhase = spec.release ? push("release-image", "release", { kind: "derived", base, command: spec.release }) : undefined;

  const release = new ContainerRelease(
    `${name}-release`,
    { app: app.id, images: { web: web.digest }, ...(releasePhase ? { releaseImage: releasePhase.digest } : {}) },
    // The release phase (migrations) must see the new config vars, links included (attached ones too).
    { parent, dependsOn: [...(config ? [config] : []), ...attachments] },
  );
  const formation = new Formation(
    `${name}-formation`,
    { app: app.id, processes: { web: { quantity: spec.scaling.min, size: canonicalDynoSize(dynoSize) } } },
    { parent, dependsOn: [release] },
  );
  const domains = spec.domains.map(
    // ACM needs running paid dynos: after the formation.
    (hostname) => new Domain(`${name}-domain-${hostname}`, { app: app.id, hostname }, { parent, dependsOn: [formation] }),
  );
  for (const domain of domains) {
    pulumi.all([domain.hostname, domain.cname]).apply(([hostname, cname]) => {
      if (hostname && cname) warn(`heroku: point the DNS of ${hostname} at ${cname} (CNAME, or ALIAS/ANAME at the apex); ACM issues its certificate once it resolves`);
    });
  }
  // Wildcard domains need no warning: ACM covers them on the Common Runtime, where these apps run; only Private
  // Space apps are excluded (Dev Center "Understanding TLS on Heroku", updated 2024-09-30; older versions of the
  // page said ACM refused wildcards).
  if (spec.healthCheck.path !== "/") {
    void pulumi.log.info(`heroku: Heroku has no HTTP health checks; ${spec.healthCheck.path} is not used (crashed processes are restarted)`, parent);
  }
  void pulumi.log.info(`heroku: ${serviceCostLine(spec.scaling.min, dynoSize)}`, parent);

  platform.services.set(name, { app, dynoSize, attached: new Map(attachable.map((a) => [a.link.env, a.link.target])) });
  const url = domains.length
    ? pulumi.interpolate`https://${domains[0]!.hostname}`
    : app.webUrl.apply((webUrl) => webUrl.replace(/\/+$/, ""));
  return { url };
}
