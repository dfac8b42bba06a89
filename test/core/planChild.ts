/**
 * Plans several fixture projects, one after the other, in a child process, and prints a JSON summary of each plan
 * (never a secret value: resources are summarised without their inputs).
 *
 * Why a child: when a program fails (a ConfigError), `planProgram` leaves the SDK's own promises rejected and
 * unhandled; under `node --test` those fail whichever test runs next. The child records them instead (`leaks`), so
 * that the tests can see them without being broken by them. See the todo in badConfig.test.ts.
 *
 * Usage: `node --import tsx test/core/planChild.ts '<json: PlanRequest[]>'`
 */
import { planProgram } from "../../scripts/plan/run";
import type { Problem } from "../../providers/backend";

export interface PlanRequest {
  dir: string;
  stack: string;
  config?: Record<string, string>;
}

/** What a test needs of one plan. */
export interface PlanSummary {
  error?: { name: string; message: string; problems?: Problem[] };
  resources: { urn: string; type: string; name: string; custom: boolean }[];
  components: { name: string; kind: string; backend: string; movedFrom?: string }[];
  warnings: string[];
}

export interface ChildReport {
  plans: PlanSummary[];
  /** Unhandled rejections seen while (or just after) planning, by message. */
  leaks: string[];
}

async function main(): Promise<void> {
  const requests = JSON.parse(process.argv[2] ?? "[]") as PlanRequest[];
  const leaks: string[] = [];
  process.on("unhandledRejection", (reason) => leaks.push(reason instanceof Error ? reason.message : String(reason)));
  const plans: PlanSummary[] = [];
  for (const request of requests) {
    const plan = await planProgram(request);
    const error = plan.error as (Error & { problems?: Problem[] }) | undefined;
    plans.push({
      ...(error ? { error: { name: error.name, message: error.message, ...(error.problems ? { problems: [...error.problems] } : {}) } } : {}),
      resources: plan.resources.map(({ urn, type, name, custom }) => ({ urn, type, name, custom })),
      components: plan.components,
      warnings: plan.warnings,
    });
  }
  // Let the rejections the last plan left behind surface before reporting.
  await new Promise((resolve) => setTimeout(resolve, 50));
  process.stdout.write(JSON.stringify({ plans, leaks } satisfies ChildReport));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
