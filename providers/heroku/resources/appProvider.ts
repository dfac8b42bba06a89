// The dynamic provider behind `App`. Serialized into the state by Pulumi and run in its dynamic-provider host:
// a plain object of plain functions; credentials are read at call time, never captured.
import type * as pulumi from "@pulumi/pulumi";
import type { App as HerokuApp } from "@heroku-cli/schema";
import { createApp, deleteApp, findApp, renameApp } from "../api/apps";
import { inResourceContext, isNotFound, isUnprocessable, partialStateError } from "../api/errors";
import { pollUntil } from "../api/poll";
import { resolveClientSettings } from "../api/settings";
import { UNKNOWN, configureFromStackConfig, failure, plain, sameValue } from "./common";

/** Bump when the provider's behaviour changes in a way existing apps should be updated for. */
export const APP_PROVIDER_VERSION = "1";

/** Inputs of an `App`, as the provider receives them after `check`. */
export interface AppInputs {
  /** The Pulumi resource name, used in error messages. */
  resourceName: string;
  /** Behaviour version of the provider code; a change triggers an update. */
  providerVersion: string;
  /** Desired app name; Heroku generates one when absent. */
  name?: string;
  /** Region. @default "us" */
  region: string;
  /** Stack. @default "container" */
  stack: string;
  /** Owning team, if any. */
  team?: string;
}

/** What the state holds for an `App`. */
export interface AppOutputs extends AppInputs {
  /** The app's actual name (the generated one when no name was asked for). */
  name: string;
  /** `https://<name>-<hash>.herokuapp.com/`. */
  webUrl: string;
  /** Git remote, unused for container apps but handy. */
  gitUrl: string;
  /** Whether Automated Certificate Management is on (turned on by `Domain`). */
  acm: boolean;
}

const KIND = "App";
// Heroku's rule: 3 to 30 characters, lowercase letters, digits and dashes, starting with a letter and not
// ending with a dash.
const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;
// How long a new app may stay unreadable by id before we give up and record a partial state.
const READY_TIMEOUT_MS = 30_000;

function label(inputs: Partial<AppInputs>): string {
  return inputs.resourceName ?? inputs.name ?? "app";
}

function outputsFrom(inputs: AppInputs, app: HerokuApp): AppOutputs {
  return plain({
    ...inputs,
    name: app.name ?? inputs.name ?? "",
    region: app.region?.name ?? inputs.region,
    stack: app.stack?.name ?? inputs.stack,
    webUrl: app.web_url ?? "",
    gitUrl: app.git_url ?? "",
    acm: app.acm ?? false,
  });
}

/** Waits until the new app answers by id: dependents address it by id right after. */
async function waitReadable(id: string): Promise<HerokuApp> {
  return pollUntil(
    `app ${id} to be readable`,
    async () => {
      const app = await findApp(id);
      return app ? { done: true, value: app } : { done: false, status: "404" };
    },
    { intervalMs: resolveClientSettings().pollIntervalMs, timeoutMs: READY_TIMEOUT_MS },
  );
}

async function create(inputs: AppInputs): Promise<pulumi.dynamic.CreateResult<AppOutputs>> {
  let created: HerokuApp;
  try {
    try {
      created = await createApp(inputs);
    } catch (error) {
      // An earlier attempt of this very POST may have gone through before the connection dropped: then the
      // "name already taken" is our own app. Only in that case adopt it; otherwise the name belongs to someone.
      const mine = isUnprocessable(error) && (error as { ambiguous?: boolean }).ambiguous && inputs.name
        ? await findApp(inputs.name)
        : undefined;
      if (!mine || mine.region?.name !== inputs.region) throw error;
      created = mine;
    }
  } catch (error) {
    throw inResourceContext(KIND, label(inputs), error);
  }
  const id = created.id as string;
  try {
    const app = await waitReadable(id);
    return { id, outs: outputsFrom(inputs, app) };
  } catch (error) {
    // The app exists: record it, so nothing is orphaned and the next `pulumi up` finishes through `update`.
    throw partialStateError(KIND, label(inputs), error, id, { ...outputsFrom(inputs, created) });
  }
}

async function update(id: string, olds: AppOutputs, news: AppInputs): Promise<pulumi.dynamic.UpdateResult<AppOutputs>> {
  try {
    let app = await findApp(id);
    if (!app) throw new Error(`app ${id} no longer exists; run \`pulumi refresh\` so it is recreated`);
    if (news.name && news.name !== app.name) app = await renameApp(id, news.name);
    return { outs: outputsFrom(news, app) };
  } catch (error) {
    throw inResourceContext(KIND, label(news), error);
  }
}

/** The CRUD operations of `App`, as a serializable plain object. */
export const appProvider: pulumi.dynamic.ResourceProvider<AppInputs, AppOutputs> = {
  configure: configureFromStackConfig,

  async check(_olds, news) {
    const inputs: AppInputs = {
      ...news,
      region: news.region ?? "us",
      stack: news.stack ?? "container",
    };
    if (!inputs.name) delete inputs.name;
    if (!inputs.team) delete inputs.team;
    const failures = [];
    if (inputs.name !== undefined && inputs.name !== UNKNOWN && !APP_NAME.test(inputs.name)) {
      failures.push(
        failure(
          "name",
          `"${inputs.name}" is not a valid Heroku app name: 3 to 30 lowercase letters, digits and dashes, ` +
            "starting with a letter and not ending with a dash",
        ),
      );
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const replaces = (["region", "stack", "team"] as const).filter((key) => !sameValue(olds[key], news[key]));
    // No name asked for means "keep whatever Heroku generated".
    const renamed = news.name !== undefined && news.name !== olds.name;
    const changes = replaces.length > 0 || renamed || !sameValue(olds.providerVersion, news.providerVersion);
    return {
      changes,
      replaces,
      // App names are globally unique: a replacement keeping its name must free it first.
      deleteBeforeReplace: replaces.length > 0 && news.name !== undefined && news.name === olds.name,
    };
  },

  create,
  update,

  async read(id, props) {
    try {
      const app = await findApp(id);
      if (!app) return {};
      return { id, props: outputsFrom(props as AppOutputs, app) };
    } catch (error) {
      throw inResourceContext(KIND, label(props ?? {}), error);
    }
  },

  async delete(id, props) {
    try {
      await deleteApp(id);
    } catch (error) {
      if (isNotFound(error)) return;
      throw inResourceContext(KIND, label(props), error);
    }
  },
};
