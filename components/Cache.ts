import * as pulumi from "@pulumi/pulumi";
import type { BackendInstance, CacheSpec, DataOptions } from "../providers/backend";
import { componentOptions, missingHandler, TYPE_PREFIX } from "./component";
import type { Transform } from "./spec";

/** One backend's copy of the cache. */
export interface CachePlacement {
  spec: CacheSpec;
  backend: BackendInstance;
}

export interface CacheComponentArgs {
  /** Where the cache lives now: the app connects here. */
  current: CachePlacement;
  /** Where it lived before a backend switch (`movedFrom` in config): kept until you remove `movedFrom`. */
  previous?: CachePlacement;
  /** Whether this is a production stack: production caches are also `protect`ed. */
  production: boolean;
  transform?: Transform;
}

/** A managed Redis-protocol cache that a config change never deletes. Knows no cloud. */
export class Cache extends pulumi.ComponentResource {
  /** The connection URL, credentials included: a secret. */
  readonly url: pulumi.Output<string>;
  readonly previousUrl?: pulumi.Output<string>;
  readonly backend: string;

  constructor(name: string, args: CacheComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${TYPE_PREFIX}:Cache`, name, {}, componentOptions(opts, args.transform));
    const data: DataOptions = { retainOnDelete: true, protect: args.production };
    const place = ({ spec, backend }: CachePlacement) => {
      if (!backend.cache) throw missingHandler(spec.backend, "caches");
      return pulumi.secret(backend.cache(spec, data, this).url);
    };
    this.backend = args.current.spec.backend;
    this.url = place(args.current);
    if (args.previous) this.previousUrl = place(args.previous);
    this.registerOutputs({ url: this.url, backend: this.backend, previousUrl: this.previousUrl });
  }
}
