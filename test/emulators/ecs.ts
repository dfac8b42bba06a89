/**
 * Test emulator of the three ECS API calls a release run makes (RunTask, DescribeTasks, StopTask), on
 * 127.0.0.1, speaking the awsJson1_1 protocol the SDK uses: `POST /` with
 * `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>` and a JSON body; errors as a status code
 * plus `{"__type": "<ErrorCode>", "message": ...}`; timestamps as epoch seconds. The same server answers the
 * two STS calls (GetCallerIdentity, AssumeRole) in STS's awsQuery protocol (./sts.ts), told apart by their
 * form-encoded body. What it answers, and the source of each behaviour: ./ecs.CONFORMANCE.md.
 *
 * Each test scripts one task's life ({@link EcsScenario.phases}) and the faults to inject. The emulator
 * keeps every request it received ({@link EcsEmulator.requests}), with the access key that signed it, so
 * tests can assert what was sent and with which credentials. Point the SDK at it with
 * `AWS_ENDPOINT_URL_ECS=<url>` and `AWS_ENDPOINT_URL_STS=<url>`.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StsError, StsState, stsErrorXml } from "./sts";

const TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
/** The account of any access key the emulator did not mint (unless the scenario says otherwise). */
export const EMULATOR_ACCOUNT = "123456789012";

/** The ECS operations the emulator serves. */
export type EcsOperation = "RunTask" | "DescribeTasks" | "StopTask";
/** The STS operations it serves. */
export type StsOperation = "GetCallerIdentity" | "AssumeRole";

/**
 * A fault served instead of the normal answer, once:
 * - `throttle`: 400 `ThrottlingException` (the SDK retries it, with back-off);
 * - `server-error`: 500 `ServerException` before doing anything;
 * - `server-error-after-start` (RunTask only): the task IS started, then 500 is answered, as when the
 *   response is lost; the SDK's retry must then not start a second task (RunTask `clientToken`).
 */
export type EcsFault = "throttle" | "server-error" | "server-error-after-start";

/** One state of the task, as DescribeTasks reports it. */
export interface TaskPhase {
  /** The task's `lastStatus`. */
  lastStatus: "PROVISIONING" | "PENDING" | "ACTIVATING" | "RUNNING" | "DEACTIVATING" | "STOPPING" | "DEPROVISIONING" | "STOPPED";
  /** Exit code of the overridden container (only meaningful when STOPPED). @default undefined (none) */
  exitCode?: number;
  /** The task's `stoppedReason`. @default undefined */
  stoppedReason?: string;
  /** The task's `stopCode`, e.g. `EssentialContainerExited`, `TaskFailedToStart`. @default undefined */
  stopCode?: string;
  /** The container's `reason`, e.g. `CannotPullContainerError: ...`. @default undefined */
  containerReason?: string;
  /** Whether the task had started (sets `startedAt`). @default true unless the task failed to start */
  started?: boolean;
}

/** What a test scripts. */
export interface EcsScenario {
  /**
   * The task's states, one per DescribeTasks call; the last one repeats forever.
   * @default exitsWith(0)
   */
  phases?: TaskPhase[];
  /** When set, RunTask answers these `failures` and no task (e.g. capacity). @default undefined */
  runTaskFailures?: { arn?: string; reason: string; detail?: string }[];
  /** Faults per operation, served in order by the first calls to that operation. @default none */
  faults?: Partial<Record<EcsOperation, EcsFault[]>>;
  /**
   * DescribeTasks reports the task as a `MISSING` failure this many times first, as ECS can right after
   * RunTask (eventual consistency).
   * @default 0
   */
  missingDescribes?: number;
  /**
   * Account of every access key the emulator did not mint itself (keys minted by AssumeRole belong to the
   * role's account): what GetCallerIdentity answers, and the only account whose clusters ECS calls reach.
   * @default EMULATOR_ACCOUNT
   */
  callerAccount?: string;
}

/** One request the emulator received. */
export interface RecordedRequest {
  /** The service called. */
  service: "ecs" | "sts";
  /** The operation: `X-Amz-Target` without the service prefix (ECS), or the `Action` parameter (STS). */
  operation: string;
  /** The parsed JSON body (ECS), or the form parameters (STS). */
  body: Record<string, unknown>;
  /** The access key ID that signed the request (from the SigV4 `Authorization` header). */
  accessKeyId: string | undefined;
  /** The status code answered. */
  status: number;
}

/** A task the emulator started. */
export interface EmulatedTask {
  /** The task ARN. */
  taskArn: string;
  /** The RunTask `clientToken` that started it. */
  clientToken: string | undefined;
  /** The task definition it runs. */
  taskDefinition: string;
  /** The overridden container's name. */
  container: string;
  /** The overridden command, as received. */
  command: unknown;
  /** StopTask `reason`, once stopped by a request. */
  stopReason?: string;
}

/** A running emulator. */
export interface EcsEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received, faults included, in order. */
  readonly requests: RecordedRequest[];
  /** Every task started by RunTask. */
  readonly tasks: EmulatedTask[];
  /** Requests of one operation. */
  requestsOf(operation: EcsOperation | StsOperation): RecordedRequest[];
  /**
   * Replaces the scenario for what comes next (tasks already started keep their phases), so one emulator
   * can serve a long-lived client such as a dynamic-provider host.
   */
  setScenario(scenario: EcsScenario): void;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** A task that runs and exits with `code`. */
export function exitsWith(code: number): TaskPhase[] {
  return [
    { lastStatus: "PROVISIONING", started: false },
    { lastStatus: "PENDING", started: false },
    { lastStatus: "RUNNING" },
    {
      lastStatus: "STOPPED",
      exitCode: code,
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
    },
  ];
}

/** A task that stops before its container runs (no exit code), e.g. an image that cannot be pulled. */
export function stopsWithoutExitCode(stoppedReason: string, containerReason?: string): TaskPhase[] {
  return [
    { lastStatus: "PENDING", started: false },
    {
      lastStatus: "STOPPED",
      started: false,
      stopCode: "TaskFailedToStart",
      stoppedReason,
      ...(containerReason ? { containerReason } : {}),
    },
  ];
}

/** A task that keeps running until StopTask. */
export function neverStops(): TaskPhase[] {
  return [{ lastStatus: "PENDING", started: false }, { lastStatus: "RUNNING" }];
}

interface TaskRecord extends EmulatedTask {
  cluster: string;
  /** The RunTask body that started it, compared when its clientToken comes again. */
  request: string;
  startedBy: string | undefined;
  createdAt: number;
  describes: number;
  phases: TaskPhase[];
  stoppedByRequestAt?: number;
}

class EcsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Members of the error shape beyond `message`, e.g. ConflictException's `resourceIds`. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Whether a task's cluster (as given to RunTask) is the one a request names (ARN or name; absent: "default"). */
function sameCluster(taskCluster: string, asked: unknown): boolean {
  const name = (cluster: string) => cluster.slice(cluster.lastIndexOf("/") + 1);
  return name(taskCluster) === name(typeof asked === "string" && asked !== "" ? asked : "default");
}

/** Starts an emulator on 127.0.0.1 (a free port) for one scenario. */
export async function startEcsEmulator(initialScenario: EcsScenario = {}): Promise<EcsEmulator> {
  let scenario: EcsScenario = {};
  let faults: Record<EcsOperation, EcsFault[]> = { RunTask: [], DescribeTasks: [], StopTask: [] };
  let missingLeft = 0;
  const requests: RecordedRequest[] = [];
  const tasks: TaskRecord[] = [];
  const sts = new StsState(() => {
    const account = scenario.callerAccount ?? EMULATOR_ACCOUNT;
    return { account, arn: `arn:aws:iam::${account}:user/deployer` };
  });

  function setScenario(next: EcsScenario): void {
    if (next.phases?.length === 0) throw new Error("a scenario needs at least one task phase");
    scenario = next;
    faults = {
      RunTask: [...(next.faults?.RunTask ?? [])],
      DescribeTasks: [...(next.faults?.DescribeTasks ?? [])],
      StopTask: [...(next.faults?.StopTask ?? [])],
    };
    missingLeft = next.missingDescribes ?? 0;
  }
  setScenario(initialScenario);

  function runTask(body: Record<string, unknown>, region: string): unknown {
    const taskDefinition = body.taskDefinition;
    if (typeof taskDefinition !== "string" || taskDefinition === "") {
      throw new EcsError(400, "InvalidParameterException", "TaskDefinition can not be blank.");
    }
    if (body.count !== undefined && !(Number.isInteger(body.count) && (body.count as number) >= 1 && (body.count as number) <= 10)) {
      throw new EcsError(400, "InvalidParameterException", "count must be between 1 and 10.");
    }
    if (body.launchType !== undefined && body.capacityProviderStrategy !== undefined) {
      throw new EcsError(400, "InvalidParameterException", "Specifying both a launch type and capacity provider strategy is not supported.");
    }
    if (body.launchType !== undefined && !["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"].includes(body.launchType as string)) {
      throw new EcsError(400, "InvalidParameterException", `Invalid launch type: ${String(body.launchType)}`);
    }
    const strategy = body.capacityProviderStrategy;
    if (strategy !== undefined && (!Array.isArray(strategy) || strategy.length > 20 || !strategy.every((s: { capacityProvider?: unknown }) => typeof s?.capacityProvider === "string"))) {
      throw new EcsError(400, "InvalidParameterException", "capacityProviderStrategy: up to 20 items, each with a capacityProvider.");
    }
    const awsvpc = (body.networkConfiguration as { awsvpcConfiguration?: { subnets?: unknown; securityGroups?: unknown; assignPublicIp?: unknown } } | undefined)
      ?.awsvpcConfiguration;
    if (!Array.isArray(awsvpc?.subnets) || awsvpc.subnets.length === 0) {
      throw new EcsError(400, "InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    if (awsvpc.subnets.length > 16) throw new EcsError(400, "InvalidParameterException", "subnets can have at most 16 items.");
    if (Array.isArray(awsvpc.securityGroups) && awsvpc.securityGroups.length > 5) {
      throw new EcsError(400, "InvalidParameterException", "securityGroups can have at most 5 items.");
    }
    if (awsvpc.assignPublicIp !== undefined && awsvpc.assignPublicIp !== "ENABLED" && awsvpc.assignPublicIp !== "DISABLED") {
      throw new EcsError(400, "InvalidParameterException", "assignPublicIp must be ENABLED or DISABLED.");
    }
    if (body.overrides !== undefined && JSON.stringify(body.overrides).length > 8192) {
      throw new EcsError(400, "InvalidParameterException", "Container Overrides length must be at most 8192");
    }
    if (body.startedBy !== undefined && !(typeof body.startedBy === "string" && /^[A-Za-z0-9_/-]{1,128}$/.test(body.startedBy))) {
      throw new EcsError(400, "InvalidParameterException", "startedBy: up to 128 letters, numbers, hyphens, forward slashes and underscores.");
    }
    const clientToken = body.clientToken;
    if (clientToken !== undefined && !(typeof clientToken === "string" && /^[\x21-\x7e]{1,64}$/.test(clientToken))) {
      throw new EcsError(400, "InvalidParameterException", "clientToken: up to 64 characters in the range 33-126.");
    }
    if (scenario.runTaskFailures) return { tasks: [], failures: scenario.runTaskFailures };
    // Idempotency as ECS documents it: the same token with the same request answers the task it already
    // started; with another request, ConflictException naming that task.
    const { clientToken: _token, ...request } = body;
    const existing = clientToken ? tasks.find((t) => t.clientToken === clientToken) : undefined;
    if (existing && existing.request !== JSON.stringify(request)) {
      throw new EcsError(
        400,
        "ConflictException",
        "The specified client token has already been used in a request with different parameters.",
        { resourceIds: [existing.taskArn] },
      );
    }
    const task = existing ?? newTask(body, taskDefinition, clientToken as string | undefined, region, JSON.stringify(request));
    return { tasks: [taskJson(task, phaseOf(task))], failures: [] };
  }

  function newTask(
    body: Record<string, unknown>,
    taskDefinition: string,
    clientToken: string | undefined,
    region: string,
    request: string,
  ): TaskRecord {
    const cluster = typeof body.cluster === "string" ? body.cluster : "default";
    const clusterName = cluster.slice(cluster.lastIndexOf("/") + 1);
    const override = (body.overrides as { containerOverrides?: { name?: string; command?: unknown }[] } | undefined)
      ?.containerOverrides?.[0];
    const task: TaskRecord = {
      taskArn: `arn:aws:ecs:${region}:${scenario.callerAccount ?? EMULATOR_ACCOUNT}:task/${clusterName}/${randomBytes(16).toString("hex")}`,
      clientToken,
      request,
      startedBy: typeof body.startedBy === "string" ? body.startedBy : undefined,
      cluster,
      taskDefinition,
      container: override?.name ?? "app",
      command: override?.command,
      createdAt: Date.now() / 1000,
      describes: 0,
      phases: scenario.phases ?? exitsWith(0),
    };
    tasks.push(task);
    return task;
  }

  function phaseOf(task: TaskRecord): TaskPhase {
    if (task.stoppedByRequestAt !== undefined) {
      return { lastStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: task.stopReason ?? "Task stopped by user" };
    }
    if (task.describes === 0) return { lastStatus: "PROVISIONING", started: false };
    return task.phases[Math.min(task.describes - 1, task.phases.length - 1)] as TaskPhase;
  }

  function taskJson(task: TaskRecord, phase: TaskPhase): Record<string, unknown> {
    const stopped = phase.lastStatus === "STOPPED";
    const started = phase.started ?? true;
    return {
      taskArn: task.taskArn,
      clusterArn: task.cluster,
      taskDefinitionArn: task.taskDefinition,
      launchType: "FARGATE",
      lastStatus: phase.lastStatus,
      desiredStatus: stopped ? "STOPPED" : "RUNNING",
      createdAt: task.createdAt,
      ...(started ? { startedAt: task.createdAt + 1 } : {}),
      ...(stopped ? { stoppedAt: task.stoppedByRequestAt ?? task.createdAt + 2 } : {}),
      ...(phase.stoppedReason ? { stoppedReason: phase.stoppedReason } : {}),
      ...(phase.stopCode ? { stopCode: phase.stopCode } : {}),
      ...(task.startedBy ? { startedBy: task.startedBy } : {}),
      containers: [
        {
          containerArn: `${task.taskArn.replace(":task/", ":container/")}/${task.container}`,
          taskArn: task.taskArn,
          name: task.container,
          lastStatus: stopped ? "STOPPED" : phase.lastStatus,
          ...(phase.exitCode !== undefined ? { exitCode: phase.exitCode } : {}),
          ...(phase.containerReason ? { reason: phase.containerReason } : {}),
        },
      ],
      overrides: { containerOverrides: [{ name: task.container, command: task.command }] },
    };
  }

  function describeTasks(body: Record<string, unknown>): unknown {
    const arns = Array.isArray(body.tasks) ? (body.tasks as string[]) : [];
    const found: unknown[] = [];
    const failures: unknown[] = [];
    if (arns.length === 0 || arns.length > 100) {
      throw new EcsError(400, "InvalidParameterException", "Tasks cannot be empty and can have at most 100 items.");
    }
    for (const arn of arns) {
      // A task is named by its full ARN or its ID, and found only in the cluster asked (default: "default").
      const task = tasks.find((t) => (t.taskArn === arn || t.taskArn.endsWith(`/${arn}`)) && sameCluster(t.cluster, body.cluster));
      if (!task || missingLeft > 0) {
        if (task) missingLeft -= 1;
        failures.push({ arn, reason: "MISSING" });
        continue;
      }
      task.describes += 1;
      found.push(taskJson(task, phaseOf(task)));
    }
    return { tasks: found, failures };
  }

  function stopTask(body: Record<string, unknown>): unknown {
    const task = tasks.find((t) => (t.taskArn === body.task || t.taskArn.endsWith(`/${String(body.task)}`)) && sameCluster(t.cluster, body.cluster));
    if (!task) throw new EcsError(400, "InvalidParameterException", "The referenced task was not found.");
    if (task.stoppedByRequestAt === undefined) {
      task.stoppedByRequestAt = Date.now() / 1000;
      task.stopReason = typeof body.reason === "string" ? body.reason : undefined;
    }
    return { task: taskJson(task, phaseOf(task)) };
  }

  function handle(operation: string, body: Record<string, unknown>, region: string, accessKeyId: string | undefined): unknown {
    if (operation !== "RunTask" && operation !== "DescribeTasks" && operation !== "StopTask") {
      throw new EcsError(400, "UnknownOperationException", `Operation ${operation} is not emulated`);
    }
    // ECS has no cross-account access to a cluster: another account's cluster is not found from here.
    const clusterAccount = typeof body.cluster === "string" ? /^arn:[^:]+:ecs:[^:]+:(\d{12}):cluster\//.exec(body.cluster)?.[1] : undefined;
    if (clusterAccount && clusterAccount !== sts.identityOf(accessKeyId ?? "").account) {
      throw new EcsError(400, "ClusterNotFoundException", "Cluster not found.");
    }
    const fault = faults[operation].shift();
    if (fault === "throttle") throw new EcsError(400, "ThrottlingException", "Rate exceeded");
    if (fault === "server-error") throw new EcsError(500, "ServerException", "Service unavailable (injected)");
    if (operation === "RunTask") {
      const answer = runTask(body, region);
      if (fault === "server-error-after-start") throw new EcsError(500, "ServerException", "Response lost (injected)");
      return answer;
    }
    return operation === "DescribeTasks" ? describeTasks(body) : stopTask(body);
  }

  function respond(res: ServerResponse, status: number, payload: unknown, contentType = "application/x-amz-json-1.1"): void {
    const text = typeof payload === "string" ? payload : JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": contentType,
      "content-length": Buffer.byteLength(text),
      "x-amzn-requestid": randomBytes(8).toString("hex"),
    });
    res.end(text);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // SigV4: `Credential=<access key id>/<date>/<region>/<service>/aws4_request` names the signing key and the
    // region the client was built for.
    const scope = /Credential=([^/,\s]+)\/\d+\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ""));
    const accessKeyId = scope?.[1];
    const region = scope?.[2] ?? "us-east-1";
    const text = Buffer.concat(chunks).toString("utf8");
    if (String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      onStsRequest(res, new URLSearchParams(text), accessKeyId);
      return;
    }
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    let body: Record<string, unknown> = {};
    let status = 200;
    let payload: unknown;
    try {
      if (req.method !== "POST") throw new EcsError(405, "MethodNotAllowed", "POST only");
      body = text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {};
      payload = handle(operation, body, region, accessKeyId);
    } catch (error) {
      const e = error instanceof EcsError ? error : new EcsError(400, "SerializationException", String(error));
      status = e.status;
      payload = { __type: e.code, message: e.message, ...e.extra };
    }
    requests.push({ service: "ecs", operation, body, accessKeyId, status });
    respond(res, status, payload);
  }

  function onStsRequest(res: ServerResponse, params: URLSearchParams, accessKeyId: string | undefined): void {
    let status = 200;
    let xml: string;
    try {
      xml = sts.handle(params, accessKeyId ?? "");
    } catch (error) {
      const e = error instanceof StsError ? error : new StsError(400, "InvalidParameterValue", String(error));
      status = e.status;
      xml = stsErrorXml(e);
    }
    requests.push({ service: "sts", operation: params.get("Action") ?? "", body: Object.fromEntries(params), accessKeyId, status });
    respond(res, status, xml, "text/xml");
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tasks,
    requestsOf: (operation) => requests.filter((r) => r.operation === operation),
    setScenario,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The environment of a process whose AWS SDK must reach only the emulator at `url` (ECS and STS), in eu-west-1, with
 * no credentials or config from this machine (no shared files, no profile, no instance metadata). Callers add the
 * credentials they test.
 */
export function emulatedAwsEnv(url: string): Record<string, string | undefined> {
  return {
    AWS_REGION: "eu-west-1",
    AWS_ENDPOINT_URL_ECS: url,
    AWS_ENDPOINT_URL_STS: url,
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PROFILE: undefined,
    AWS_ENDPOINT_URL: undefined,
  };
}
