/**
 * The spec of the stack's jobs App (`<app>-<stack>-jobs`): every DigitalOcean cron job of the stack as a `SCHEDULED`
 * job, in the Apps API's own form (snake_case: the `ScheduledJobs` resource sends it as is). Field names and
 * semantics: godo `apps.gen.go` AppJobSpec, AppJobSpecSchedule (see CONFORMANCE.md, "Scheduled jobs (Apps API)").
 */
import * as pulumi from "@pulumi/pulumi";
import type { CronJobSpec } from "../backend";
import type { ScheduledJobInput, ScheduledJobsArgs } from "./resources/scheduledJobs";
import { shellJoin } from "./appSpec";
import type { DigitaloceanCronJobSettings } from "./settings";
import { instanceSize } from "./sizes";

/** One cron job, as its handler left it for the jobs App. */
export interface CronEntry {
  spec: CronJobSpec<DigitaloceanCronJobSettings>;
  /** The DOCR repository and the pushed digest (the job's own image, or the web service's it runs). */
  repository: string;
  digest: pulumi.Input<string>;
  /** Secret env (declared secrets and link URLs), by name: every value a Pulumi secret. */
  secretEnv: Record<string, pulumi.Input<string>>;
}

/** Seconds as a Go duration, the form of `jobs[].timeout` ("Example: `1h30m`"): 900 -> `15m`, 5400 -> `1h30m`. */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  const text = `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
  return text || "0s";
}

function job(entry: CronEntry): ScheduledJobInput {
  const { spec } = entry;
  const envs = [
    ...Object.entries(spec.env).map(([key, value]) => ({ key, value, type: "GENERAL", scope: "RUN_TIME" })),
    // App Platform encrypts a SECRET value on submission (godo AppVariableDefinition.Value).
    ...Object.entries(entry.secretEnv).map(([key, value]) => ({ key, value, type: "SECRET", scope: "RUN_TIME" })),
  ];
  return {
    name: spec.name,
    kind: "SCHEDULED",
    // The portable schedule is a validated 5-field expression and an IANA zone: App Platform takes both as they are.
    schedule: { cron: spec.schedule, time_zone: spec.timezone },
    // App Platform stops a run after `timeout` (default 30 min): the portable timeout, honoured by the platform.
    timeout: goDuration(spec.timeoutSeconds),
    image: pulumi.output(entry.digest).apply((digest) => ({ registry_type: "DOCR", repository: entry.repository, digest })),
    run_command: shellJoin(spec.command),
    instance_size_slug: instanceSize(spec.size, false, spec.settings.instanceSizeSlug).slug,
    instance_count: 1,
    envs,
  };
}

/** The whole jobs App spec: only scheduled jobs (no services, no ingress). */
export function buildJobsSpec(name: string, region: string, entries: CronEntry[]): ScheduledJobsArgs["spec"] {
  return { name, region, jobs: entries.map(job) };
}
