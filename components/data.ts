/** What Database and Cache share: data that outlives config, possibly on two backends during a move. */
import * as pulumi from "@pulumi/pulumi";
import type { BackendInstance, ConnectionResult, DataOptions } from "../providers/backend";
import { missingHandler } from "./component";
import type { Transform } from "./spec";

/** One backend's copy of the data. */
export interface Placement<Spec> {
  spec: Spec;
  backend: BackendInstance;
}

export interface DataComponentArgs<Spec> {
  /** Where the data lives now: the app connects here. */
  current: Placement<Spec>;
  /**
   * Where it lived before a backend switch (`movedFrom` in config): still declared, so it is neither deleted nor
   * forgotten while the data is copied.
   */
  previous?: Placement<Spec>;
  /** Whether this is a production stack: production data is also `protect`ed. */
  production: boolean;
  transform?: Transform;
}

type Handler<Spec> = (spec: Spec, data: DataOptions, parent: pulumi.ComponentResource) => ConnectionResult;

/** Creates the current (and previous) copy under `parent`; returns their URLs as secrets. */
export function placeData<Spec extends { backend: string }>(
  parent: pulumi.ComponentResource,
  args: DataComponentArgs<Spec>,
  handlerOf: (backend: BackendInstance) => Handler<Spec> | undefined,
  kind: string,
): { url: pulumi.Output<string>; previousUrl?: pulumi.Output<string>; copiedBy?: string } {
  // Data outlives config: removing or switching a part leaves the cloud resource in place.
  const data: DataOptions = { retainOnDelete: true, protect: args.production };
  const place = ({ spec, backend }: Placement<Spec>, options: DataOptions) => {
    const handler = handlerOf(backend);
    if (!handler) throw missingHandler(spec.backend, kind);
    const result = handler(spec, options, parent);
    return { url: pulumi.secret(result.url), copiedBy: result.copiedBy };
  };
  // The copy being drained is frozen as it is: the config's sizes now describe the new copy. It is placed first so
  // that the new copy's backend gets its URL, should it copy the data in itself.
  const previousUrl = args.previous ? place(args.previous, { ...data, ignoreChanges: ["*"] }).url : undefined;
  const current = place(args.current, previousUrl ? { ...data, movedFromUrl: previousUrl } : data);
  return {
    url: current.url,
    ...(previousUrl ? { previousUrl } : {}),
    ...(previousUrl && current.copiedBy ? { copiedBy: current.copiedBy } : {}),
  };
}
