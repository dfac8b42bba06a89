// The stack's scheduled jobs as a second App Platform App (`<app>-<stack>-jobs`) owned by a dynamic resource over the
// Apps API: @pulumi/digitalocean 4.80.1 has no SCHEDULED job kind, and `digitalocean.App` owns its whole spec, so the
// jobs cannot be added to the stack's services App by another writer. One owner per App spec: `digitalocean.App` for
// the services App, this resource for the jobs App.
import * as pulumi from "@pulumi/pulumi";
import { providerText } from "../../heroku/resources/providerText";
import type { ApiAppSpec } from "../api/apps";
import { SCHEDULED_JOBS_PROVIDER_VERSION } from "./scheduledJobsProvider";

/** Where the provider object lives, relative to the repository root (the provider text is built from it). */
const PROVIDER_ENTRY = "providers/digitalocean/resources/scheduledJobsProvider.ts";

/** A job of {@link ScheduledJobsArgs.spec} (API form, godo `apps.gen.go` AppJobSpec); the image may be an Output (its
 * digest is known only after the push), and SECRET env values are Inputs. */
export interface ScheduledJobInput {
  name: string;
  kind: string;
  schedule: { cron: string; time_zone?: string };
  timeout?: string;
  image: pulumi.Input<{ registry_type: string; repository: string; digest?: string }>;
  run_command?: string;
  instance_size_slug?: string;
  instance_count?: number;
  envs?: { key: string; value?: pulumi.Input<string>; type?: string; scope?: string }[];
}

/** Arguments of {@link ScheduledJobs}. */
export interface ScheduledJobsArgs {
  /**
   * The whole App spec in the API's form (snake_case, godo `apps.gen.go` AppSpec): `name`, `region` and `jobs`, every
   * job `kind: "SCHEDULED"` with `schedule: {cron, time_zone}`. Sent as a secret (SECRET env values are in it).
   * Changing `name` or `region` replaces the App (a new one, then the old one deleted); anything else is a PUT of
   * the whole spec and a new deployment.
   */
  spec: { name: string; region?: string; jobs: ScheduledJobInput[] };
}

/** An App Platform App holding only scheduled jobs; its id is the App's id. */
export class ScheduledJobs extends pulumi.CustomResource {
  /** The spec last deployed. */
  declare readonly spec: pulumi.Output<ApiAppSpec>;
  /** The deployment that went ACTIVE at the last create or update. */
  declare readonly deploymentId: pulumi.Output<string>;

  constructor(name: string, args: ScheduledJobsArgs, opts?: pulumi.CustomResourceOptions) {
    // The provider text: the provider module and the modules it imports, transpiled, keyed by repository-relative
    // paths (heroku/resources/providerText.ts). No value from this program's memory, so no token, is in it.
    const text = providerText(PROVIDER_ENTRY, "scheduledJobsProvider");
    super("pulumi-nodejs:dynamic/digitalocean:ScheduledJobs", name, {
      resourceName: name,
      providerVersion: SCHEDULED_JOBS_PROVIDER_VERSION,
      spec: {
        ...args.spec,
        jobs: args.spec.jobs.map((job) => ({
          ...job,
          ...(job.envs ? { envs: job.envs.map((env) => (env.type === "SECRET" && env.value !== undefined ? { ...env, value: pulumi.secret(env.value) } : env)) } : {}),
        })),
      },
      deploymentId: undefined,
      __provider: text,
    }, { ...opts, additionalSecretOutputs: ["spec"] });
  }
}
