// Formation (process types, their quantity and dyno size), and container releases through the formation:
// https://devcenter.heroku.com/articles/platform-api-reference#formation
// https://devcenter.heroku.com/articles/container-registry-and-runtime#api
import type { Formation } from "@heroku-cli/schema";
import { herokuList, herokuRequest, segment } from "./client";

/** One scaling change: quantity and/or size of a process type. */
export interface FormationUpdate {
  /** Process type, e.g. `web`. It must exist in the app's current release. */
  type: string;
  /** Dynos to run. */
  quantity?: number;
  /**
   * Dyno size name, e.g. `basic` or `standard-1X` (case-insensitive; Heroku answers capitalised). Sent as
   * `dyno_size: {name}`, not the deprecated `size` (see {@link formationUpdateBody}).
   */
  size?: string;
}

/**
 * One element of `updates` as the Platform API takes it. The schema (heroku-go v6.1.0 `schema.json`, vendored by
 * terraform-provider-heroku: `formation.definitions.update`, `additionalProperties: false`) lists `type`,
 * `quantity` and `dyno_size` (`{id}` or `{name}`); `size` is "deprecated, refer to 'dyno_size' instead".
 * terraform-provider-heroku's `resource_heroku_formation.go` sends `DynoSize{Name}` the same way.
 */
export function formationUpdateBody(update: FormationUpdate): Record<string, unknown> {
  const body: Record<string, unknown> = { type: update.type };
  if (update.quantity !== undefined) body.quantity = update.quantity;
  if (update.size !== undefined) body.dyno_size = { name: update.size };
  return body;
}

/** A process type's size name from an answer: `dyno_size.name`, else the deprecated `size`. */
export function formationSizeName(formation: Formation): string | undefined {
  const dynoSize = formation.dyno_size as { name?: unknown } | undefined;
  return typeof dynoSize?.name === "string" ? dynoSize.name : formation.size;
}

/** The app's process types (every page). */
export async function listFormation(app: string): Promise<Formation[]> {
  return herokuList<Formation>({ path: `/apps/${segment(app)}/formation` });
}

/** Scales several process types in one call. */
export async function updateFormation(app: string, updates: FormationUpdate[]): Promise<Formation[]> {
  return (
    await herokuRequest<Formation[]>({
      method: "PATCH",
      path: `/apps/${segment(app)}/formation`,
      body: { updates: updates.map(formationUpdateBody) },
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
