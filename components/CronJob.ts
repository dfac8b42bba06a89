import * as pulumi from "@pulumi/pulumi";
import type { BackendInstance, CronJobSpec, RunInputs } from "../providers/backend";
import { componentOptions, missingHandler, TYPE_PREFIX } from "./component";
import type { Transform } from "./spec";

export interface CronJobComponentArgs {
  /** The validated spec, every default applied. */
  spec: CronJobSpec;
  /** Secrets and link URLs, as secret outputs. */
  inputs: RunInputs;
  backend: BackendInstance;
  transform?: Transform;
}

/** A command run on a schedule, on the backend the stack config picks. Knows no cloud. */
export class CronJob extends pulumi.ComponentResource {
  readonly backend: string;
  /** The schedule, as declared (5-field cron) with its time zone. */
  readonly schedule: string;

  constructor(name: string, args: CronJobComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${TYPE_PREFIX}:CronJob`, name, {}, componentOptions(opts, args.transform));
    if (!args.backend.cronJob) throw missingHandler(args.spec.backend, "cron jobs");
    this.backend = args.spec.backend;
    this.schedule = `${args.spec.schedule} (${args.spec.timezone})`;
    args.backend.cronJob(args.spec, args.inputs, this);
    this.registerOutputs({ backend: this.backend, schedule: this.schedule });
  }
}
