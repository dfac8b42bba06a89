/**
 * The stack's clock app (`<appName>-<stack>-clock`): the clock image built from ./clock, released as process type
 * `clock`, one dyno (Basic by default), and the API key it starts runs with. Created with the first Heroku cron
 * job of the stack; the jobs then add their `CLOCK_JOB_*` config vars to it (see cronJob.ts).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { clockApiKey } from "./apiKey";
import { clockCostLine } from "./cost";
import { pushImage } from "./image";
import { clockAppName } from "./names";
import type { HerokuPlatform } from "./platform";
import { App, ConfigVars, ContainerRelease, Formation } from "./resources";
import { canonicalDynoSize } from "./sizes";
import type { DynoSize } from "./sizes";

/** The folder the clock image is built from. */
export const CLOCK_SOURCE_DIR = path.join(__dirname, "clock");

export interface ClockApp {
  app: App;
  /** The clock's release: job config vars are added after it, so the clock that reads them exists. */
  release: ContainerRelease;
}

export function clockApp(platform: HerokuPlatform): ClockApp {
  return platform.once("clock", () => {
    const group = new pulumi.ComponentResource("multicloud:heroku:Clock", "heroku-clock", {});
    const opts = { parent: group };
    const size: DynoSize = platform.settings.clockDynoSize ?? "basic";
    const app = new App("heroku-clock", platform.appArgs(clockAppName(platform.stack)), opts);
    const config = new ConfigVars(
      "heroku-clock-config",
      { app: app.id, vars: { HEROKU_API_KEY: clockApiKey(platform.settings.clockApiKeySecret, platform.apiKey) } },
      opts,
    );
    const image = pushImage(
      "heroku-clock-image",
      {
        appName: app.name,
        processType: "clock",
        source: { kind: "build", context: CLOCK_SOURCE_DIR, dockerfile: path.join(CLOCK_SOURCE_DIR, "Dockerfile"), args: {} },
        apiKey: platform.apiKey,
        projectDir: platform.stack.projectDir,
      },
      opts,
    );
    const release = new ContainerRelease("heroku-clock-release", { app: app.id, images: { clock: image.digest } }, { parent: group, dependsOn: [config] });
    new Formation(
      "heroku-clock-formation",
      { app: app.id, processes: { clock: { quantity: 1, size: canonicalDynoSize(size) } } },
      { parent: group, dependsOn: [release] },
    );
    void pulumi.log.info(`heroku: ${clockCostLine(size)}`, group);
    return { app, release };
  });
}
