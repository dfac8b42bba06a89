/**
 * One measured plan, in its own process so that its peak memory is its own: prints
 * `{"planMs": …, "maxRssMiB": …, "resources": …}`. Used by plan.bench.ts.
 */
import { planProgram } from "../scripts/plan/run";

// tsx maps every loaded file's source for stack traces; the plan reports errors by message, so skip that work
// (about a sixth of a plan) unless MULTICLOUD_PLAN_STACKS asks for stacks.
if (!process.env.MULTICLOUD_PLAN_STACKS) process.setSourceMapsEnabled(false);

async function main() {
  const [dir, stack] = process.argv.slice(2);
  if (!dir || !stack) throw new Error("usage: plan-child <dir> <stack>");
  const started = process.hrtime.bigint();
  const plan = await planProgram({ dir, stack });
  const planMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (plan.error) throw plan.error;
  // resourceUsage().maxRSS is in KiB on Linux.
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ planMs, maxRssMiB, resources: plan.resources.filter((r) => r.custom).length }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
