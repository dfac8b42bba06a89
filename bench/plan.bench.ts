/**
 * `npm run bench`: how the offline plan scales with the size of the app.
 *
 * For 1, 10 and 50 web services (each with a domain, linked to a shared database and cache; one cron job per ten
 * services), it generates a project, plans it in a fresh process a few times, and prints the median wall time
 * (process start to exit, what a user waits for), the plan time inside the process (the program loaded, validated,
 * and every resource registered under the mock runtime), and the peak memory; then what any plan pays before our
 * code runs (Node, tsx, @pulumi/pulumi). Target: a plan under 2 s for 10 services on a 2-core machine, and growth
 * no faster than linear (the per-service cost from 10 to 50 not much above the one from 1 to 10).
 *
 * Then, in the same run, the 10-service plan on AWS and on Heroku side by side (runs interleaved, so both see the
 * same machine load): the Heroku plan should be no slower than the AWS one.
 *
 * Options: `-- --backend heroku` plans the size table on another backend; `-- --runs 5` changes the repetitions.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const REPO = path.resolve(__dirname, "..");
const SIZES = [1, 10, 50];

export function writeProject(dir: string, services: number, backend: string): void {
  const names = Array.from({ length: services }, (_, i) => `svc-${i + 1}`);
  const serviceDecls = names.map((n) =>
    `    "${n}": { image: { build: { context: "./app" } }, port: 8080, healthCheck: { path: "/health" }, domains: ["${n}.bench.example.com"], links: ["db", "cache"], secrets: ["SESSION_SECRET"] },`);
  const jobs = names.filter((_, i) => i % 10 === 0).map((n) =>
    `    "${n}-job": { image: { service: "${n}" }, command: ["node", "job.js"], schedule: "0 3 * * *", links: ["db"] },`);
  fs.mkdirSync(path.join(dir, "app"), { recursive: true });
  fs.writeFileSync(path.join(dir, "app", "Dockerfile"), "FROM node:20-slim\n");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: multicloud\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), [
    "config:",
    "  aws:region: us-east-1",
    `  multicloud:backend: ${backend}`,
    "  multicloud:SESSION_SECRET:",
    "    secure: v1:bench",
  ].join("\n") + "\n");
  fs.writeFileSync(path.join(dir, "index.ts"), [
    `import { deployApp } from ${JSON.stringify(path.join(REPO, "components", "app"))};`,
    "export const urls = deployApp({",
    '  name: "bench",',
    '  databases: { db: { engine: "postgres" } },',
    "  caches: { cache: {} },",
    "  services: {", ...serviceDecls, "  },",
    "  cronJobs: {", ...jobs, "  },",
    "}).urls;",
  ].join("\n") + "\n");
}

interface Run { wallMs: number; planMs: number; maxRssMiB: number; resources: number }

function measure(dir: string): Run {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "plan-child.ts"), dir, "bench"], {
    cwd: REPO,
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`plan failed for ${dir}:\n${child.stderr}${child.stdout}`);
  const last = child.stdout.trim().split("\n").pop()!;
  return { wallMs, ...(JSON.parse(last) as Omit<Run, "wallMs">) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** What any plan pays before our code runs: starting Node with tsx and loading @pulumi/pulumi. */
function baselineMs(): number {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["--import", "tsx", "-e", 'require("@pulumi/pulumi")'], { cwd: REPO });
  if (child.status !== 0) throw new Error(`baseline failed: ${child.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function main(): void {
  const { values } = parseArgs({ options: { backend: { type: "string" }, runs: { type: "string" } } });
  const backend = values.backend ?? "aws";
  const runs = Number(values.runs ?? 3);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "multicloud-bench-"));
  console.log(`Offline plan on backend "${backend}", median of ${runs} runs each, ${os.cpus().length} CPUs, node ${process.version}`);
  console.log("services  resources  wall ms  plan ms  peak MiB");
  const results: Record<number, Run> = {};
  try {
    for (const services of SIZES) {
      const dir = path.join(root, `s${services}`);
      writeProject(dir, services, backend);
      const samples = Array.from({ length: runs }, () => measure(dir));
      const result: Run = {
        wallMs: median(samples.map((s) => s.wallMs)),
        planMs: median(samples.map((s) => s.planMs)),
        maxRssMiB: median(samples.map((s) => s.maxRssMiB)),
        resources: samples[0]!.resources,
      };
      results[services] = result;
      console.log(`${String(services).padStart(8)}  ${String(result.resources).padStart(9)}  ${result.wallMs.toFixed(0).padStart(7)}  ${result.planMs.toFixed(0).padStart(7)}  ${result.maxRssMiB.toFixed(0).padStart(8)}`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const [one, ten, fifty] = SIZES.map((n) => results[n]!);
  const perServiceSmall = (ten!.planMs - one!.planMs) / 9;
  const perServiceLarge = (fifty!.planMs - ten!.planMs) / 40;
  console.log(`\nplan ms per added service: 1->10 ${perServiceSmall.toFixed(1)}, 10->50 ${perServiceLarge.toFixed(1)} (ratio ${(perServiceLarge / perServiceSmall).toFixed(2)}; near 1 = linear)`);
  const baseline = median(Array.from({ length: runs }, baselineMs));
  console.log(`10 services: plan ${ten!.planMs.toFixed(0)} ms (target < 2000 ms: ${ten!.planMs < 2000 ? "OK" : "OVER TARGET"}); ` +
    `whole process ${ten!.wallMs.toFixed(0)} ms, of which ${baseline.toFixed(0)} ms is starting Node with tsx and loading @pulumi/pulumi`);
  compareBackends(runs);
}

/** The 10-service plan on AWS and on Heroku, runs interleaved (aws, heroku, aws, ...), medians side by side. */
function compareBackends(runs: number): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "multicloud-bench-"));
  const backends = ["aws", "heroku"];
  const samples: Record<string, Run[]> = { aws: [], heroku: [] };
  try {
    for (const backend of backends) writeProject(path.join(root, backend), 10, backend);
    for (let i = 0; i < runs; i++) {
      for (const backend of backends) samples[backend]!.push(measure(path.join(root, backend)));
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const plan = (backend: string) => median(samples[backend]!.map((s) => s.planMs));
  const wall = (backend: string) => median(samples[backend]!.map((s) => s.wallMs));
  console.log("\n10 services, same run, interleaved:   plan ms  wall ms");
  for (const backend of backends) {
    console.log(`  ${backend.padEnd(34)} ${plan(backend).toFixed(0).padStart(7)}  ${wall(backend).toFixed(0).padStart(7)}`);
  }
  const ratio = plan("heroku") / plan("aws");
  console.log(`  heroku / aws plan time: ${ratio.toFixed(2)} (target <= 1: ${ratio <= 1 ? "OK" : "SLOWER THAN AWS"})`);
}

if (require.main === module) main();
