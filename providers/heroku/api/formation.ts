// Formation (process types, their quantity and dyno size), and container releases through the formation:
// https://devcenter.heroku.com/articles/platform-api-reference#formation
// https://devcenter.heroku.com/articles/container-registry-and-runtime#api
import type { Formation } from "@heroku-cli/schema";
import { herokuRequest, segment } from "./client";

/** One scaling change: quantity and/or size of a process type. */
export interface FormationUpdate {
  /** Process type, e.g. `web`. It must exist in the app's current release. */
  type: string;
  /** Dynos to run. */
  quantity?: number;
  /** Dyno size, e.g. `basic` or `standard-1X` (case-insensitive; Heroku answers capitalised). */
  size?: string;
}

/** The app's process types. */
export async function listFormation(app: string): Promise<Formation[]> {
  return (await herokuRequest<Formation[]>({ method: "GET", path: `/apps/${segment(app)}/formation` })).body ?? [];
}

/** Scales several process types in one call. */
export async function updateFormation(app: string, updates: FormationUpdate[]): Promise<Formation[]> {
  return (
    await herokuRequest<Formation[]>({
      method: "PATCH",
      path: `/apps/${segment(app)}/formation`,
      body: { updates },
    })
  ).body ?? [];
}

/** One image to release: a process type and the id of the image already pushed for it. */
export interface DockerImageUpdate {
  /** Process type (`web`, `worker`, ... or `release` for the release-phase command). */
  type: string;
  /** Image id of `registry.heroku.com/<app>/<type>`: its config digest, not the manifest digest (registry.ts). */
  docker_image: string;
}

/**
 * Releases images already pushed to registry.heroku.com, by image id: one new release for all of them, which
 * runs the release phase first when a `release` image is included (none when they all already run).
 */
export async function releaseDockerImages(app: string, updates: DockerImageUpdate[]): Promise<Formation[]> {
  return (
    await herokuRequest<Formation[]>({
      method: "PATCH",
      path: `/apps/${segment(app)}/formation`,
      variant: "docker-releases",
      body: { updates },
    })
  ).body ?? [];
}
