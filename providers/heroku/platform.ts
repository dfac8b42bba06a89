/**
 * What the Heroku parts of one stack share: the stack settings, the API key, the apps of the web services (cron
 * jobs may run in them), and two apps created on first use:
 * - the data app, `<appName>-<stack>-data`, which owns every database and cache add-on. Add-ons live in an app
 *   and die with it; owning them in a service's app would delete the data the day that service is removed or
 *   moved to another backend. The data app runs no dynos (it costs nothing), is never deleted by the program
 *   (`retainOnDelete`) and is `protect`ed on production stacks. Its add-ons are attached to the Heroku apps
 *   that link them (links.ts), so Heroku keeps their URLs current there; other backends' parts get the URLs.
 * - the clock app, `<appName>-<stack>-clock`, which starts the cron jobs (see ./clock/README.md).
 *
 * Shared resources hang under their own components at the stack root, never under the part that happened to
 * create them: removing that part must not move (so replace) them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackInfo } from "../backend";
import { App } from "./resources";
import type { Addon } from "./resources";
import { deployApiKey } from "./apiKey";
import { dataAppName } from "./names";
import type { HerokuStackSettings } from "./settings";
import type { DynoSize } from "./sizes";

/** A web service this stack runs on Heroku, for the cron jobs that run in its app. */
export interface HerokuServiceApp {
  app: App;
  /** The web dynos' size: one-off dynos in the app must be of the same tier. */
  dynoSize: DynoSize;
  /**
   * Env vars Heroku sets in the app through add-on attachments, with the linked part each comes from: a cron job
   * run in this app that links the same part under the same name reads it from the app instead of a copy.
   * @default empty
   */
  attached?: ReadonlyMap<string, string>;
}

export class HerokuPlatform {
  /** The web services deployed so far, by part name (the core deploys them before the cron jobs). */
  readonly services = new Map<string, HerokuServiceApp>();
  /**
   * The add-ons of this stack's current databases and caches, by part name (the core deploys data before the
   * runnable parts). The copy a move leaves behind is not listed: links point at the current copy.
   */
  readonly addons = new Map<string, Addon>();
  private key?: pulumi.Output<string>;
  private data?: App;
  private readonly lazy = new Map<string, unknown>();

  constructor(
    readonly stack: StackInfo,
    readonly settings: HerokuStackSettings,
  ) {}

  /** The deploy API key (secret), read once per stack. */
  get apiKey(): pulumi.Output<string> {
    return (this.key ??= deployApiKey());
  }

  get production(): boolean {
    return this.stack.tier === "production";
  }

  /** Arguments of every app of the stack: region, team, the container stack. */
  appArgs(name: pulumi.Input<string>): { name: pulumi.Input<string>; region: string; stack: string; team?: string } {
    return {
      name,
      region: this.settings.region ?? "us",
      stack: "container",
      ...(this.settings.team ? { team: this.settings.team } : {}),
    };
  }

  /** The app owning the add-ons, created on first use. */
  dataApp(): App {
    if (!this.data) {
      const group = new pulumi.ComponentResource("multicloud:heroku:Data", "heroku-data", {});
      this.data = new App("heroku-data", this.appArgs(dataAppName(this.stack)), {
        parent: group,
        // Deleting an app deletes its add-ons and their data: the program never does it.
        retainOnDelete: true,
        protect: this.production,
      });
    }
    return this.data;
  }

  /** The add-on of a database or cache on Heroku in this stack, if there is one by that name. */
  addonOf(part: string): Addon | undefined {
    return this.addons.get(part);
  }

  /** A shared thing created once per stack, on first use. */
  once<T>(key: string, create: () => T): T {
    if (!this.lazy.has(key)) this.lazy.set(key, create());
    return this.lazy.get(key) as T;
  }
}
