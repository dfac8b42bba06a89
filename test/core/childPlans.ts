/** Runs `planChild.ts` in a child process and parses its report. */
import { execFile } from "node:child_process";
import * as path from "node:path";
import type { ChildReport, PlanRequest } from "./planChild";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Plans each request, in order, in one child process; rejects if the child fails. */
export function planInChild(requests: PlanRequest[]): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(__dirname, "planChild.ts"), JSON.stringify(requests)],
      { cwd: REPO_ROOT, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`planChild failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as ChildReport);
      },
    );
  });
}
