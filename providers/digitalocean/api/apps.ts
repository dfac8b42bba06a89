// The App Platform calls the scheduled-jobs App needs (godo `apps.go`: Create 300, Get 316, Update 360, Delete 376,
// GetDeployment 422, ListDeployments 437), and the wait for a deployment, after terraform-provider-digitalocean's
// `WaitForAppDeployment` (`digitalocean/app/resource_app.go` 301-371).
import { sleep } from "../../heroku/api/retry";
import { apiError, digitaloceanRequest, hasStatus } from "./client";
import { resolveClientSettings, type DigitaloceanClientSettings } from "./settings";

/** The App spec as the API takes it (snake_case, godo `apps.gen.go` AppSpec). Only what we send is typed. */
export interface ApiAppSpec {
  name: string;
  region?: string;
  jobs?: ApiJobSpec[];
  [key: string]: unknown;
}

/** godo `apps.gen.go` AppJobSpec (428-461). */
export interface ApiJobSpec {
  name: string;
  kind: string;
  image?: { registry_type: string; repository: string; digest?: string; tag?: string };
  run_command?: string;
  instance_size_slug?: string;
  instance_count?: number;
  schedule?: { cron: string; time_zone?: string };
  timeout?: string;
  envs?: { key: string; value?: string; type?: string; scope?: string }[];
  [key: string]: unknown;
}

/** godo `apps.gen.go` Deployment: the fields read here. */
export interface ApiDeployment {
  id: string;
  phase?: string;
  progress?: { error_steps?: number; success_steps?: number; total_steps?: number; steps?: { name?: string; status?: string; reason?: { code?: string; message?: string } }[] };
  cause?: string;
}

/** godo `apps.gen.go` App (79-91): the fields read here. */
export interface ApiApp {
  id: string;
  spec: ApiAppSpec;
  default_ingress?: string;
  live_url?: string;
  active_deployment?: ApiDeployment;
  in_progress_deployment?: ApiDeployment;
  pending_deployment?: ApiDeployment;
}

const appPath = (id: string) => `/v2/apps/${encodeURIComponent(id)}`;

/** POST /v2/apps `{spec}` (godo AppCreateRequest). */
export async function createApp(spec: ApiAppSpec): Promise<ApiApp> {
  return (await digitaloceanRequest<{ app: ApiApp }>({ method: "POST", path: "/v2/apps", body: { spec } })).app;
}

/** PUT /v2/apps/{id} with the WHOLE spec (godo AppUpdateRequest: `spec`, `update_all_source_versions`). */
export async function updateApp(id: string, spec: ApiAppSpec): Promise<ApiApp> {
  // Images are pinned by digest in the spec, so there is no source version to refresh.
  return (await digitaloceanRequest<{ app: ApiApp }>({ method: "PUT", path: appPath(id), body: { spec, update_all_source_versions: false } })).app;
}

/** GET /v2/apps/{id}; undefined when it is gone (404). */
export async function getApp(id: string): Promise<ApiApp | undefined> {
  try {
    return (await digitaloceanRequest<{ app: ApiApp }>({ method: "GET", path: appPath(id) })).app;
  } catch (error) {
    if (hasStatus(error, 404)) return undefined;
    throw error;
  }
}

/** The App named `name`, if any: GET /v2/apps, every page (`links.pages.next`). App names are unique per account. */
export async function findAppByName(name: string): Promise<ApiApp | undefined> {
  for (let page = 1; page <= 50; page++) {
    const answer = await digitaloceanRequest<{ apps?: ApiApp[]; links?: { pages?: { next?: string } } }>({ method: "GET", path: `/v2/apps?page=${page}&per_page=100` });
    const found = (answer.apps ?? []).find((a) => a.spec?.name === name);
    if (found) return found;
    if (!answer.links?.pages?.next) return undefined;
  }
  return undefined;
}

/** DELETE /v2/apps/{id}; a 404 (already gone) is success. */
export async function deleteApp(id: string): Promise<void> {
  try {
    await digitaloceanRequest({ method: "DELETE", path: appPath(id) });
  } catch (error) {
    if (!hasStatus(error, 404)) throw error;
  }
}

/** The deployment a create or update started: the answer's `pending_deployment`, else the newest one listed (terraform's fallback). */
async function startedDeploymentId(app: ApiApp): Promise<string | undefined> {
  const direct = app.pending_deployment?.id ?? app.in_progress_deployment?.id;
  if (direct) return direct;
  const listed = await digitaloceanRequest<{ deployments?: ApiDeployment[] }>({ method: "GET", path: `${appPath(app.id)}/deployments?page=1&per_page=1` });
  return listed.deployments?.[0]?.id;
}

/** Why a deployment failed, from its failed steps. */
function describeFailure(deployment: ApiDeployment): string {
  const failed = (deployment.progress?.steps ?? []).filter((s) => s.status === "ERROR");
  const reasons = failed.map((s) => `${s.name ?? "step"}${s.reason?.message ? `: ${s.reason.message}` : ""}`);
  return `phase ${deployment.phase ?? "unknown"}${reasons.length ? ` (${reasons.join("; ")})` : ""}`;
}

/**
 * Waits until the deployment the create/update started is ACTIVE. Fails on ERROR, CANCELED or SUPERSEDED (a
 * deployment this resource did not start replaced it) and when `progress.error_steps > 0` (terraform's test), or
 * after `deployTimeoutMs`. Returns the deployment id (undefined when App Platform started none: nothing changed).
 */
export async function awaitDeployment(app: ApiApp, settings: DigitaloceanClientSettings = resolveClientSettings()): Promise<string | undefined> {
  const id = await startedDeploymentId(app);
  if (!id) return undefined;
  const deadline = Date.now() + settings.deployTimeoutMs;
  for (;;) {
    const { deployment } = await digitaloceanRequest<{ deployment: ApiDeployment }>({ method: "GET", path: `${appPath(app.id)}/deployments/${encodeURIComponent(id)}` });
    if (deployment.phase === "ACTIVE") return id;
    if (["ERROR", "CANCELED", "SUPERSEDED"].includes(deployment.phase ?? "") || (deployment.progress?.error_steps ?? 0) > 0) {
      throw apiError(0, "deployment_failed", `deployment ${id} of app ${app.id} failed: ${describeFailure(deployment)}`, { method: "GET", path: `${appPath(app.id)}/deployments/${id}` }, false);
    }
    if (Date.now() > deadline) {
      throw apiError(0, "deployment_timeout", `deployment ${id} of app ${app.id} is still ${deployment.phase ?? "pending"} after ${Math.round(settings.deployTimeoutMs / 1000)} s`, { method: "GET", path: `${appPath(app.id)}/deployments/${id}` }, false);
    }
    await sleep(settings.pollIntervalMs);
  }
}
