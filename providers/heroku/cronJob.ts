/**
 * A cron job on Heroku: Heroku Scheduler has no API, so the stack's clock app (clockApp.ts, ./clock) starts each
 * run as a one-off dyno in the job's app, with `time_to_live` = the job's timeout. The job's app is:
 * - the app of the web service whose image it runs (`image: { service }`), when that service is on Heroku in this
 *   stack: the run sees the service's config vars, plus the job's own env, secrets and links;
 * - otherwise its own app, `<appName>-<stack>-<job>`, whose image is released as process type `job` and which runs
 *   no dynos between runs.
 * The job itself is one config var on the clock app, `CLOCK_JOB_<NAME>` (secret: it carries the job's env).
 *
 * Links to the stack's Heroku databases and caches: a run is a one-off dyno in the job's app, and sees that app's
 * config vars under the env the clock passes. So a link the job's app has attached is left out of the passed env
 * (it would pin a copy of the URL that goes stale when Heroku rotates credentials):
 * - in its own app, the job attaches its linked add-ons itself (links.ts), before its schedule is published;
 * - in a service's app, it relies on the service's attachments: a link the service attached under the same env
 *   from the same part is read from the app; any other is copied into the run's env as before (attaching it
 *   would add a var to the service's own config, and a release of it, for the sake of a job).
 */
import * as pulumi from "@pulumi/pulumi";
import type { CronJobSpec, RunInputs } from "../backend";
import { clockApp } from "./clockApp";
import { commandLine, encodeJob, jobVarName } from "./clock/jobs";
import { cronCostLine } from "./cost";
import { pushImage } from "./image";
import { attachLinks, attachableLinks, warnCopiedPieces, withoutAttached } from "./links";
import { herokuAppName } from "./names";
import type { HerokuPlatform } from "./platform";
import { App, ConfigVars, ContainerRelease } from "./resources";
import { configVarsOf } from "./service";
import type { HerokuCronJobSettings } from "./settings";
import { canonicalDynoSize, dynoSizeFor } from "./sizes";
import type { DynoSize } from "./sizes";

/** The process type a job's own image is released as (never scaled up: runs are one-off dynos). */
export const JOB_PROCESS_TYPE = "job";

/** The size of a job's runs: the `dynoSize` setting, else the portable size's. */
export function cronDynoSize(spec: Pick<CronJobSpec, "size" | "settings">, platform: Pick<HerokuPlatform, "stack">): DynoSize {
  return (spec.settings as HerokuCronJobSettings).dynoSize ?? dynoSizeFor(spec.size, platform.stack.tier);
}

/** The Heroku app name of a job that gets its own app. */
export function cronAppName(spec: Pick<CronJobSpec, "name" | "settings">, platform: Pick<HerokuPlatform, "stack">): string {
  return (spec.settings as HerokuCronJobSettings).appName ?? herokuAppName(platform.stack, spec.name);
}

export function deployCronJob(platform: HerokuPlatform, spec: CronJobSpec, inputs: RunInputs, parent: pulumi.ComponentResource): void {
  const name = spec.name;
  const size = cronDynoSize(spec, platform);
  const service = spec.imageOfService ? platform.services.get(spec.imageOfService) : undefined;

  let app: pulumi.Output<string>;
  let processType: string | undefined;
  const ready: pulumi.Resource[] = [];
  const attachable = attachableLinks(platform, inputs.links ?? []);
  warnCopiedPieces(name, inputs.links ?? []);
  let fromApp: typeof attachable;
  if (service) {
    app = service.app.id;
    fromApp = attachable.filter((a) => service.attached?.get(a.link.env) === a.link.target);
  } else {
    const own = new App(name, platform.appArgs(cronAppName(spec, platform)), { parent });
    const image = pushImage(
      `${name}-image`,
      {
        appName: own.name,
        processType: JOB_PROCESS_TYPE,
        source: spec.image.kind === "build" ? spec.image : { kind: "derived", base: spec.image.ref },
        apiKey: platform.apiKey,
        projectDir: platform.stack.projectDir,
      },
      { parent },
    );
    ready.push(new ContainerRelease(`${name}-release`, { app: own.id, images: { [JOB_PROCESS_TYPE]: image.digest } }, { parent }));
    app = own.id;
    processType = JOB_PROCESS_TYPE;
    fromApp = attachable;
    ready.push(...attachLinks(name, own.id, attachable, { parent }));
  }

  const clock = clockApp(platform);
  const job = pulumi.all([app, pulumi.all(withoutAttached(configVarsOf(spec.env, inputs), fromApp))]).apply(([appId, env]) =>
    encodeJob({
      name,
      app: appId,
      command: commandLine(spec.command),
      schedule: spec.schedule,
      timezone: spec.timezone,
      size: canonicalDynoSize(size),
      timeoutSeconds: spec.timeoutSeconds,
      ...(processType ? { processType } : {}),
      env,
    }),
  );
  // After the clock's release (the clock exists to read it), the job's own release (the image exists to run) and
  // its attachments (its first run sees its links).
  new ConfigVars(`${name}-schedule`, { app: clock.app.id, vars: { [jobVarName(name)]: job } }, { parent, dependsOn: [clock.release, ...ready] });
  void pulumi.log.info(`heroku: ${cronCostLine(size)}`, parent);
}
