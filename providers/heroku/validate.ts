/**
 * What the Heroku backend refuses beyond its offers, before anything is registered: app names that collide,
 * horizontal scaling on Eco/Basic dynos, runs longer than a one-off dyno may live, cron jobs whose dyno tier
 * cannot run in their service's app, and two jobs the clock could not tell apart.
 */
import { NAMESPACE } from "../../stacks/schema";
import type { Problem, ResolvedApp, WebServiceSpec } from "../backend";
import { MAX_TIMEOUT_SECONDS, commandLine } from "./clock/jobs";
import { cronAppName, cronDynoSize } from "./cronJob";
import { clockAppName, dataAppName } from "./names";
import { serviceAppName, serviceDynoSize } from "./service";
import type { HerokuCronJobSettings, HerokuServiceSettings } from "./settings";
import { dynoTier } from "./sizes";

const BACKEND = "heroku";

export function validateHeroku(app: ResolvedApp): Problem[] {
  const problems: Problem[] = [];
  const platform = { stack: app.stack };
  const services = app.services.filter((s) => s.backend === BACKEND);
  const cronJobs = app.cronJobs.filter((j) => j.backend === BACKEND);
  const dataParts = [...app.databases, ...app.caches].filter((p) => p.backend === BACKEND);

  // Heroku app names are global: two parts of the stack must not want the same one.
  const owners = new Map<string, string>();
  const claim = (name: string, owner: string, path: string, fix: string) => {
    const other = owners.get(name);
    if (other) problems.push({ path, message: `the Heroku app name "${name}" is also the name of ${other}'s app; ${fix}` });
    else owners.set(name, owner);
  };
  if (cronJobs.length) claim(clockAppName(app.stack), "the cron clock", `${NAMESPACE}:cronJobs`, "rename one part");
  if (dataParts.length) claim(dataAppName(app.stack), "the data add-ons", `${NAMESPACE}:databases`, "rename one part");

  const herokuServices = new Map<string, WebServiceSpec>(services.map((s) => [s.name, s]));
  for (const service of services) {
    const settings = service.settings as HerokuServiceSettings;
    const appNamePath = `${NAMESPACE}:services.${service.name}.${BACKEND}.appName`;
    claim(serviceAppName(service, platform), `services.${service.name}`, settings.appName ? appNamePath : `app.services.${service.name}`, `set ${appNamePath}`);
    const size = serviceDynoSize(service, platform);
    if (dynoTier(size) !== "professional" && service.scaling.max > 1) {
      problems.push({
        path: `app.services.${service.name}.instances`,
        message: `${service.scaling.max} instances on ${size} dynos: Heroku runs at most one ${size} dyno per process type; use 1 instance, or a size of micro or more (or ${NAMESPACE}:services.${service.name}.${BACKEND}.dynoSize: standard-1x) for several`,
      });
    }
  }

  const commands = new Map<string, string>();
  for (const job of cronJobs) {
    const settings = job.settings as HerokuCronJobSettings;
    const service = job.imageOfService ? herokuServices.get(job.imageOfService) : undefined;
    const size = cronDynoSize(job, platform);
    if (job.timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      problems.push({
        path: `app.cronJobs.${job.name}.timeoutSeconds`,
        message: `${job.timeoutSeconds} s is longer than a Heroku one-off dyno may live (${MAX_TIMEOUT_SECONDS} s, its time_to_live limit)`,
      });
    }
    let where: string;
    if (service) {
      where = serviceAppName(service, platform);
      const serviceSize = serviceDynoSize(service, platform);
      if (dynoTier(size) !== dynoTier(serviceSize)) {
        problems.push({
          path: `${NAMESPACE}:cronJobs.${job.name}.${BACKEND}.dynoSize`,
          message: `runs in the app of services.${service.name}, whose dynos are ${serviceSize}; Heroku runs one dyno tier per app (Eco, Basic, or Standard/Performance), so a ${size} run cannot start there: give the job a size of the same tier, or change the service's`,
        });
      }
    } else {
      where = cronAppName(job, platform);
      const appNamePath = `${NAMESPACE}:cronJobs.${job.name}.${BACKEND}.appName`;
      claim(where, `cronJobs.${job.name}`, settings.appName ? appNamePath : `app.cronJobs.${job.name}`, `set ${appNamePath}`);
    }
    // The clock tells a job's runs apart by app and command line.
    const key = `${where}\n${commandLine(job.command)}`;
    const twin = commands.get(key);
    if (twin) {
      problems.push({
        path: `app.cronJobs.${job.name}.command`,
        message: `runs the same command as cronJobs.${twin} in the same Heroku app; the clock recognises a job's runs by their command, so the two would block each other: make the commands differ (e.g. an argument)`,
      });
    } else commands.set(key, job.name);
  }
  return problems;
}
