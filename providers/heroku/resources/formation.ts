import type * as pulumi from "@pulumi/pulumi";
import { FORMATION_PROVIDER_VERSION } from "./formationProvider";
import { HerokuDynamicResource } from "./dynamicResource";
import type { ProcessScale } from "./formationProvider";

export type { ProcessScale } from "./formationProvider";

/** Arguments of {@link Formation}. */
export interface FormationArgs {
  /** The app's id (`App.id`). */
  app: pulumi.Input<string>;
  /**
   * Process type to quantity and dyno size, e.g. `{ web: { quantity: 2, size: "standard-1X" } }`. Sizes compare
   * case-insensitively. A type dropped from the map is scaled to 0. Types must exist in the current release, so
   * declare this after the `ContainerRelease` (dependsOn).
   */
  processes: pulumi.Input<Record<string, pulumi.Input<ProcessScale>>>;
}

/**
 * Quantity and size of an app's process types. Heroku has no way to delete a formation: deleting this resource
 * scales its process types to 0.
 */
export class Formation extends HerokuDynamicResource {
  /** The managed process types as Heroku reports them (sizes capitalised, e.g. `Standard-1X`). */
  declare readonly processes: pulumi.Output<Record<string, ProcessScale>>;

  constructor(name: string, args: FormationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { file: "formationProvider", exportName: "formationProvider" },
      name,
      { resourceName: name, providerVersion: FORMATION_PROVIDER_VERSION, app: args.app, processes: args.processes },
      opts,
      "Formation",
    );
  }
}
