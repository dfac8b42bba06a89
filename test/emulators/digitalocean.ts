/**
 * An emulator of the DigitalOcean App Platform API (the calls `providers/digitalocean/api/apps.ts` makes), on
 * 127.0.0.1 only, following `digitalocean.CONFORMANCE.md` (each behaviour there has its source). Deployments advance
 * one phase per read (PENDING_DEPLOY -> DEPLOYING -> ACTIVE), or end in ERROR when a failure was injected. Faults:
 * 429 (with `Retry-After` or the `RateLimit-*` headers), 5xx, and a failing deployment.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export const TEST_DIGITALOCEAN_TOKEN = "dop_v1_emulator-token-0f3c";

/** One App in the emulator. */
export interface EmulatedApp {
  id: string;
  /** The spec as stored: SECRET values encrypted (`EV[1:...]`). */
  spec: Record<string, unknown> & { name: string; jobs?: Record<string, unknown>[] };
  /** Plain SECRET values as received, by job and key, for tests to check what arrived. */
  secretsReceived: Record<string, string>;
  deployments: EmulatedDeployment[];
  activeDeploymentId?: string;
}

/** One deployment. */
export interface EmulatedDeployment {
  id: string;
  phase: string;
  /** The phase it will end in. */
  outcome: "ACTIVE" | "ERROR";
  reads: number;
}

/** An injected answer for matching requests. */
export interface Fault {
  method?: string;
  /** Matched against the path (query included). */
  path?: RegExp;
  status: number;
  headers?: Record<string, string>;
  /** How many requests it answers. @default 1 */
  times?: number;
  /** Applies the request before answering with the fault (a 5xx whose work was done: an ambiguous answer). */
  applyFirst?: boolean;
}

export interface DigitaloceanEmulator {
  url: string;
  token: string;
  state: {
    apps: Map<string, EmulatedApp>;
    /** Every request, in order (method and path). */
    requests: { method: string; path: string }[];
    appNamed(name: string): EmulatedApp | undefined;
  };
  faults: { add(fault: Fault): void; clear(): void };
  /** The next deployment made ends in ERROR at its `step` (default `scheduled-job`). */
  failNextDeployment(message?: string): void;
  close(): Promise<void>;
}

// App Platform component and app names (DO API reference, app_component_base.name / apps_spec.name).
const NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const JOB_KINDS = ["UNSPECIFIED", "PRE_DEPLOY", "POST_DEPLOY", "FAILED_DEPLOY", "SCHEDULED"];
// A Go duration (godo AppJobSpec.Timeout: "Example: `1h30m`").
const GO_DURATION = /^(?:\d+h)?(?:\d+m)?(?:\d+s)?$/;

/** What the API would refuse in a spec, as its 400 message; undefined when valid. */
function specProblem(spec: unknown): string | undefined {
  if (typeof spec !== "object" || spec === null) return "spec is required";
  const s = spec as Record<string, unknown>;
  if (typeof s.name !== "string" || !NAME.test(s.name)) return `spec.name "${String(s.name)}" is invalid`;
  const jobs = (s.jobs ?? []) as Record<string, unknown>[];
  const names = new Set<string>();
  for (const job of jobs) {
    const name = String(job.name);
    if (!NAME.test(name)) return `jobs.name "${name}" is invalid`;
    if (names.has(name)) return `component name "${name}" is used twice`;
    names.add(name);
    if (job.kind !== undefined && !JOB_KINDS.includes(String(job.kind))) return `jobs.kind "${String(job.kind)}" is invalid`;
    const schedule = job.schedule as { cron?: unknown; time_zone?: unknown } | undefined;
    if (job.kind === "SCHEDULED" && (typeof schedule?.cron !== "string" || schedule.cron.trim().split(/\s+/).length !== 5)) return `jobs.${name}.schedule.cron is required for a SCHEDULED job`;
    if (schedule?.time_zone !== undefined && !isTimeZone(String(schedule.time_zone))) return `jobs.${name}.schedule.time_zone "${String(schedule.time_zone)}" is not a time zone`;
    if (job.timeout !== undefined && (typeof job.timeout !== "string" || job.timeout === "" || !GO_DURATION.test(job.timeout))) return `jobs.${name}.timeout "${String(job.timeout)}" is not a duration`;
    const image = job.image as Record<string, unknown> | undefined;
    if (!image) return `jobs.${name}: a source (image) is required`;
    if (image.registry_type === "DOCR" && image.registry) return `jobs.${name}.image.registry must be empty for DOCR`;
    if (image.tag && image.digest) return `jobs.${name}.image: tag and digest cannot both be set`;
    for (const env of (job.envs ?? []) as Record<string, unknown>[]) {
      if (env.type !== undefined && env.type !== "GENERAL" && env.type !== "SECRET") return `jobs.${name}.envs.${String(env.key)}.type is invalid`;
    }
  }
  return undefined;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Stores SECRET values encrypted, as App Platform does (godo AppVariableDefinition.Value); an `EV[` value is kept. */
function encryptSecrets(spec: EmulatedApp["spec"], received: Record<string, string>): EmulatedApp["spec"] {
  const copy = JSON.parse(JSON.stringify(spec)) as EmulatedApp["spec"];
  for (const job of copy.jobs ?? []) {
    for (const env of (job.envs ?? []) as { key: string; value?: string; type?: string }[]) {
      if (env.type === "SECRET" && env.value !== undefined && !env.value.startsWith("EV[")) {
        received[`${String(job.name)}.${env.key}`] = env.value;
        env.value = `EV[1:${Buffer.from(randomUUID()).toString("base64")}]`;
      }
    }
  }
  return copy;
}

export async function startDigitaloceanEmulator(): Promise<DigitaloceanEmulator> {
  const apps = new Map<string, EmulatedApp>();
  const requests: { method: string; path: string }[] = [];
  let faults: (Fault & { left: number })[] = [];
  let failNext: string | undefined;
  const failureMessages = new Map<string, string>();

  const deploy = (app: EmulatedApp): EmulatedDeployment => {
    for (const d of app.deployments) if (d.phase !== "ACTIVE" && d.phase !== "ERROR") d.phase = "SUPERSEDED";
    const deployment: EmulatedDeployment = { id: randomUUID(), phase: "PENDING_DEPLOY", outcome: failNext !== undefined ? "ERROR" : "ACTIVE", reads: 0 };
    if (failNext !== undefined) failureMessages.set(deployment.id, failNext);
    failNext = undefined;
    app.deployments.unshift(deployment);
    return deployment;
  };
  const deploymentJson = (d: EmulatedDeployment) => ({
    id: d.id,
    phase: d.phase,
    progress: {
      success_steps: d.phase === "ACTIVE" ? 1 : 0,
      error_steps: d.phase === "ERROR" ? 1 : 0,
      total_steps: 1,
      steps: [{ name: "deploy", status: d.phase === "ACTIVE" ? "SUCCESS" : d.phase === "ERROR" ? "ERROR" : "RUNNING", ...(d.phase === "ERROR" ? { reason: { code: "DeployContainerExitNonZero", message: failureMessages.get(d.id) } } : {}) }],
    },
  });
  const appJson = (app: EmulatedApp, pending?: EmulatedDeployment) => ({
    id: app.id,
    spec: app.spec,
    ...(app.activeDeploymentId ? { active_deployment: deploymentJson(app.deployments.find((d) => d.id === app.activeDeploymentId)!) } : {}),
    ...(pending ? { pending_deployment: { id: pending.id } } : {}),
  });

  const server = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8").on("data", (c: string) => (raw += c)).on("end", () => {
      const method = req.method ?? "GET";
      const url = req.url ?? "/";
      requests.push({ method, path: url });
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "Content-Type": "application/json", "RateLimit-Limit": "5000", "RateLimit-Remaining": "4999", ...headers });
        res.end(body === undefined ? "" : JSON.stringify(body));
      };
      const error = (status: number, id: string, message: string) => send(status, { id, message, request_id: randomUUID() });
      if (req.headers.authorization !== `Bearer ${TEST_DIGITALOCEAN_TOKEN}`) return error(401, "unauthorized", "Unable to authenticate you");
      const fault = faults.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(url)));
      if (fault) fault.left--;
      const faultAnswer = (f: Fault) => send(f.status, { id: f.status === 429 ? "too_many_requests" : "server_error", message: "injected fault", request_id: randomUUID() }, f.headers);
      if (fault && !fault.applyFirst) return faultAnswer(fault);
      // A fault applied first: the work is done, the answer is lost to a 5xx (what makes a retried POST ambiguous).
      const reply = fault ? () => faultAnswer(fault) : send;
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return error(400, "bad_request", "invalid JSON");
      }
      const pathname = url.split("?")[0]!;
      const query = new URLSearchParams(url.split("?")[1] ?? "");
      const match = /^\/v2\/apps(?:\/([^/]+)(?:\/deployments(?:\/([^/]+))?)?)?$/.exec(pathname);
      if (!match) return error(404, "not_found", "The resource you were accessing could not be found.");
      const [, appId, deploymentId] = match;
      const app = appId ? apps.get(decodeURIComponent(appId)) : undefined;
      if (appId && !app) return error(404, "not_found", "The resource you were accessing could not be found.");

      if (!appId && method === "POST") {
        const spec = body.spec as EmulatedApp["spec"];
        const problem = specProblem(spec);
        if (problem) return error(400, "invalid_argument", problem);
        if ([...apps.values()].some((a) => a.spec.name === spec.name)) return error(409, "already_exists", `app name "${spec.name}" is already in use`);
        const made: EmulatedApp = { id: randomUUID(), spec: spec, secretsReceived: {}, deployments: [] };
        made.spec = encryptSecrets(spec, made.secretsReceived);
        apps.set(made.id, made);
        return reply(200, { app: appJson(made, deploy(made)) });
      }
      if (!appId && method === "GET") {
        const page = Number(query.get("page") ?? "1");
        const perPage = Number(query.get("per_page") ?? "20");
        const all = [...apps.values()];
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const next = page * perPage < all.length ? `${address()}/v2/apps?page=${page + 1}&per_page=${perPage}` : undefined;
        return send(200, { apps: slice.map((a) => appJson(a)), links: { pages: next ? { next } : {} }, meta: { total: all.length } });
      }
      if (app && deploymentId === undefined && !/\/deployments$/.test(pathname)) {
        if (method === "GET") return send(200, { app: appJson(app) });
        if (method === "PUT") {
          const spec = body.spec as EmulatedApp["spec"];
          const problem = specProblem(spec);
          if (problem) return error(400, "invalid_argument", problem);
          if ([...apps.values()].some((a) => a.id !== app.id && a.spec.name === spec.name)) return error(409, "already_exists", `app name "${spec.name}" is already in use`);
          app.secretsReceived = {};
          app.spec = encryptSecrets(spec, app.secretsReceived);
          return reply(200, { app: appJson(app, deploy(app)) });
        }
        if (method === "DELETE") {
          apps.delete(app.id);
          return reply(200, { id: app.id });
        }
      }
      if (app && method === "GET" && /\/deployments$/.test(pathname)) {
        return send(200, { deployments: app.deployments.map(deploymentJson), links: { pages: {} }, meta: { total: app.deployments.length } });
      }
      if (app && method === "GET" && deploymentId) {
        const deployment = app.deployments.find((d) => d.id === decodeURIComponent(deploymentId));
        if (!deployment) return error(404, "not_found", "deployment not found");
        // One phase per read: PENDING_DEPLOY -> DEPLOYING -> ACTIVE | ERROR.
        deployment.reads++;
        if (deployment.phase === "PENDING_DEPLOY" && deployment.reads >= 1) deployment.phase = "DEPLOYING";
        else if (deployment.phase === "DEPLOYING") {
          deployment.phase = deployment.outcome;
          if (deployment.outcome === "ACTIVE") app.activeDeploymentId = deployment.id;
        }
        return send(200, { deployment: deploymentJson(deployment) });
      }
      return error(405, "method_not_allowed", `${method} ${pathname}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: address(),
    token: TEST_DIGITALOCEAN_TOKEN,
    state: { apps, requests, appNamed: (name) => [...apps.values()].find((a) => a.spec.name === name) },
    faults: {
      add: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
      clear: () => {
        faults = [];
        failNext = undefined;
      },
    },
    failNextDeployment: (message = "job container exited with code 1") => {
      failNext = message;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
