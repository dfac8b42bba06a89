import * as pulumi from "@pulumi/pulumi";
import type { DatabaseSpec } from "../providers/backend";
import { componentOptions, TYPE_PREFIX } from "./component";
import { placeData, type DataComponentArgs } from "./data";

export type DatabaseComponentArgs = DataComponentArgs<DatabaseSpec>;

/** A managed database that a config change never deletes. Knows no cloud. */
export class Database extends pulumi.ComponentResource {
  /** The connection URL, credentials included: a secret. */
  readonly url: pulumi.Output<string>;
  /** The previous backend's URL while a move is under way: a secret. */
  readonly previousUrl?: pulumi.Output<string>;
  /** What copies the data in during a move, when the new copy's backend does it itself (e.g. DigitalOcean's online migration). */
  readonly copiedBy?: string;
  readonly backend: string;

  constructor(name: string, args: DatabaseComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${TYPE_PREFIX}:Database`, name, {}, componentOptions(opts, args.transform));
    this.backend = args.current.spec.backend;
    ({ url: this.url, previousUrl: this.previousUrl, copiedBy: this.copiedBy } = placeData(this, args, (b) => b.database, "databases"));
    this.registerOutputs({ url: this.url, backend: this.backend, previousUrl: this.previousUrl });
  }
}
