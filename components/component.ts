/** What the four portable components share. */
import type * as pulumi from "@pulumi/pulumi";
import type { Transform } from "./spec";

/** The type token prefix of multicloud's components: `multicloud:index:WebService`. */
export const TYPE_PREFIX = "multicloud:index";

/** Options for a component: its transform becomes Pulumi's `transforms`, applied to every child. */
export function componentOptions(
  opts: pulumi.ComponentResourceOptions | undefined,
  transform: Transform | undefined,
): pulumi.ComponentResourceOptions {
  return transform ? { ...opts, transforms: [...(opts?.transforms ?? []), transform] } : { ...opts };
}

/** The error for a backend that passed validation but lacks the handler: a bug in the backend, not in config. */
export function missingHandler(backend: string, kind: string): Error {
  return new Error(`multicloud: backend "${backend}" offers ${kind} but has no handler for them (a bug in providers/${backend})`);
}
