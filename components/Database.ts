import * as pulumi from "@pulumi/pulumi";
import type { BackendInstance, DataOptions, DatabaseSpec } from "../providers/backend";
import { componentOptions, missingHandler, TYPE_PREFIX } from "./component";
import type { Transform } from "./spec";

/** One backend's copy of the database. */
export interface DatabasePlacement {
  spec: DatabaseSpec;
  backend: BackendInstance;
}

export interface DatabaseComponentArgs {
  /** Where the database lives now: the app connects here. */
  current: DatabasePlacement;
  /**
   * Where it lived before a backend switch (`movedFrom` in config): still declared, so it is neither deleted nor
   * forgotten while the data is copied.
   */
  previous?: DatabasePlacement;
  /** Whether this is a production stack: production data is also `protect`ed. */
  production: boolean;
  transform?: Transform;
}

/** A managed database that a config change never deletes. Knows no cloud. */
export class Database extends pulumi.ComponentResource {
  /** The connection URL, credentials included: a secret. */
  readonly url: pulumi.Output<string>;
  /** The previous backend's URL while a move is under way: a secret. */
  readonly previousUrl?: pulumi.Output<string>;
  readonly backend: string;

  constructor(name: string, args: DatabaseComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${TYPE_PREFIX}:Database`, name, {}, componentOptions(opts, args.transform));
    // Data outlives config: removing or switching a database leaves the cloud resource in place.
    const data: DataOptions = { retainOnDelete: true, protect: args.production };
    const place = ({ spec, backend }: DatabasePlacement) => {
      if (!backend.database) throw missingHandler(spec.backend, "databases");
      return pulumi.secret(backend.database(spec, data, this).url);
    };
    this.backend = args.current.spec.backend;
    this.url = place(args.current);
    if (args.previous) this.previousUrl = place(args.previous);
    this.registerOutputs({ url: this.url, backend: this.backend, previousUrl: this.previousUrl });
  }
}
