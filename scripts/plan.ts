/**
 * `npm run plan -- --stack <name> [--dir <project dir>] [--json]`
 *
 * What a stack would create, offline: runs the program under Pulumi's mock runtime with `Pulumi.<stack>.yaml`, no
 * Pulumi CLI, credentials or network. Encrypted secrets count as present and are masked. Bad config exits 1 with
 * the config key path, before any resource is registered.
 */
import * as path from "node:path";

// tsx maps every loaded file's source for stack traces; the plan reports errors by message, so skip that work
// (about a sixth of a plan) unless MULTICLOUD_PLAN_STACKS asks for stacks.
if (!process.env.MULTICLOUD_PLAN_STACKS) process.setSourceMapsEnabled(false);
import { parseArgs } from "node:util";
import { planJson, planText } from "./plan/render";
import { planProgram } from "./plan/run";

const USAGE = "usage: npm run plan -- --stack <name> [--dir <project dir>] [--json]";

async function main(): Promise<number> {
  let values: { stack?: string; dir?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: "string", short: "s" },
        dir: { type: "string", short: "C" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.stack) {
    console.error(`--stack is required\n${USAGE}`);
    return 2;
  }
  const dir = path.resolve(values.dir ?? path.join(__dirname, ".."));
  const plan = await planProgram({ dir, stack: values.stack });
  if (plan.error) {
    console.error(plan.error.message);
    return 1;
  }
  console.log(values.json ? JSON.stringify(planJson(plan), null, 2) : planText(plan));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
