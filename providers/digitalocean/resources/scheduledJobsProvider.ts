// The provider of `ScheduledJobs` (./scheduledJobs.ts): it is the ONLY writer of the stack's jobs App, whose spec
// holds nothing but `SCHEDULED` jobs. Create = POST /v2/apps, update = PUT /v2/apps/{id} with the whole spec, each
// waiting for the deployment it started (a failed one fails the operation); delete = DELETE /v2/apps/{id}.
// Runs in the dynamic-provider host from the text providerText builds: relative imports only, types from packages.
import type * as pulumi from "@pulumi/pulumi";
import { awaitDeployment, createApp, deleteApp, findAppByName, getApp, updateApp, type ApiApp, type ApiAppSpec } from "../api/apps";
import { configureFromStackConfig, containsUnknown, plain, reveal, sameJson, secretOutput, UNKNOWN } from "./wire";

/** Bump when the provider's behaviour changes, so existing resources get an update. */
export const SCHEDULED_JOBS_PROVIDER_VERSION = "1";

/** Inputs, as the engine sends them (secrets unwrapped). */
export interface ScheduledJobsInputs {
  /** The Pulumi name, for messages. */
  resourceName: string;
  providerVersion: string;
  /** The App spec, API form (a secret: SECRET env values are in it). */
  spec: ApiAppSpec;
}

/** Outputs: the inputs plus the last deployment this resource waited for. */
export interface ScheduledJobsOutputs extends ScheduledJobsInputs {
  /** Id of the deployment that went ACTIVE at the last create/update ("" when App Platform started none). */
  deploymentId: string;
}

/** The partial-state error the host turns into ErrorResourceInitFailed: the App exists, its deployment failed. */
function partialState(cause: unknown, id: string, properties: Record<string, unknown>): Error {
  const message = cause instanceof Error ? cause.message : String(cause);
  return Object.assign(new Error(message), { id, properties: plain(properties), reasons: [message] });
}

function context(name: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`digitalocean ScheduledJobs ${name}: ${message}`), { cause: error });
}

function outputs(inputs: ScheduledJobsInputs, deploymentId: string | undefined): Record<string, unknown> {
  return plain({ ...inputs, spec: secretOutput(inputs.spec), deploymentId: deploymentId ?? "" });
}

/** Creates the App, or adopts the one an earlier attempt of an ambiguous POST made (names are unique per account). */
async function createOrAdopt(spec: ApiAppSpec): Promise<ApiApp> {
  try {
    return await createApp(spec);
  } catch (error) {
    if (!(error as { ambiguous?: boolean }).ambiguous) throw error;
    const made = await findAppByName(spec.name);
    if (!made) throw error;
    // Our spec again, whole, so the adopted App is exactly what was asked.
    return updateApp(made.id, spec);
  }
}

export const scheduledJobsProvider: pulumi.dynamic.ResourceProvider<ScheduledJobsInputs, ScheduledJobsOutputs> = {
  configure: configureFromStackConfig,

  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const spec = reveal<ApiAppSpec | undefined>(news.spec);
    if (spec !== undefined && !containsUnknown(spec)) {
      if (typeof spec?.name !== "string" || !spec.name) failures.push({ property: "spec", reason: "spec.name is required" });
      const jobs = Array.isArray(spec?.jobs) ? spec.jobs : [];
      if (!jobs.length) failures.push({ property: "spec", reason: "spec.jobs must hold at least one job" });
      for (const job of jobs) {
        if (job.kind !== "SCHEDULED" || typeof job.schedule?.cron !== "string") {
          failures.push({ property: "spec", reason: `job ${job.name}: only SCHEDULED jobs with a schedule.cron belong in this App` });
        }
      }
      for (const key of Object.keys(spec ?? {})) {
        if (!["name", "region", "jobs"].includes(key)) failures.push({ property: "spec", reason: `spec.${key}: this App holds only scheduled jobs` });
      }
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const oldSpec = reveal<ApiAppSpec>(olds.spec);
    const newSpec = reveal<ApiAppSpec>(news.spec);
    const known = (v: unknown) => v !== undefined && v !== UNKNOWN;
    // Renaming or moving an App is not done in place here: a new App is made (names differ), then the old one deleted.
    const moved = (known(newSpec?.name) && newSpec.name !== oldSpec?.name) || (known(newSpec?.region) && newSpec.region !== oldSpec?.region);
    const replaces = moved ? ["spec"] : [];
    const changes = !sameJson(oldSpec, newSpec) || olds.providerVersion !== news.providerVersion;
    return { changes, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    let app: ApiApp;
    try {
      app = await createOrAdopt(inputs.spec);
    } catch (error) {
      throw context(inputs.resourceName, error);
    }
    try {
      return { id: app.id, outs: outputs(inputs, await awaitDeployment(app)) as unknown as ScheduledJobsOutputs };
    } catch (error) {
      // The App exists: record it (the next `pulumi up` updates it) instead of leaving an App nobody owns.
      throw partialState(context(inputs.resourceName, error), app.id, outputs(inputs, undefined));
    }
  },

  async update(id, _olds, news) {
    try {
      const app = await updateApp(id, news.spec);
      return { outs: outputs(news, await awaitDeployment(app)) as unknown as ScheduledJobsOutputs };
    } catch (error) {
      throw context(news.resourceName, error);
    }
  },

  async read(id, props) {
    const app = await getApp(id);
    if (!app) return { id: "", props: {} as ScheduledJobsOutputs };
    // The recorded spec is kept: App Platform returns SECRET values encrypted (godo AppVariableDefinition.Value), so
    // the live spec cannot be compared with ours; the next update sends ours whole again.
    const current = props as ScheduledJobsOutputs;
    return {
      id,
      props: plain({ ...current, spec: secretOutput(reveal(current.spec)), deploymentId: app.active_deployment?.id ?? current.deploymentId ?? "" }) as unknown as ScheduledJobsOutputs,
    };
  },

  async delete(id, props) {
    try {
      await deleteApp(id);
    } catch (error) {
      throw context((props as ScheduledJobsOutputs).resourceName, error);
    }
  },
};
