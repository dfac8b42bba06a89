/**
 * Test emulator of the three ECS API calls a release run makes (RunTask, DescribeTasks, StopTask), on
 * 127.0.0.1, speaking the awsJson1_1 protocol the SDK uses: `POST /` with
 * `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>` and a JSON body; errors as a status code
 * plus `{"__type": "<ErrorCode>", "message": ...}`; timestamps as epoch seconds.
 *
 * Each test scripts one task's life ({@link EcsScenario.phases}) and the faults to inject. The emulator
 * keeps every request it received ({@link EcsEmulator.requests}) so tests can assert what was sent.
 * Point the SDK at it with `AWS_ENDPOINT_URL_ECS=<url>`.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
const ACCOUNT = "123456789012";

/** The operations the emulator serves. */
export type EcsOperation = "RunTask" | "DescribeTasks" | "StopTask";

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
}

/** One request the emulator received. */
export interface RecordedRequest {
  /** The operation named by `X-Amz-Target` (without the service prefix). */
  operation: string;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
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
  requestsOf(operation: EcsOperation): RecordedRequest[];
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
  ) {
    super(message);
  }
}

/** Starts an emulator on 127.0.0.1 (a free port) for one scenario. */
export async function startEcsEmulator(initialScenario: EcsScenario = {}): Promise<EcsEmulator> {
  let scenario: EcsScenario = {};
  let faults: Record<EcsOperation, EcsFault[]> = { RunTask: [], DescribeTasks: [], StopTask: [] };
  let missingLeft = 0;
  const requests: RecordedRequest[] = [];
  const tasks: TaskRecord[] = [];

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
    if (body.launchType !== undefined && body.capacityProviderStrategy !== undefined) {
      throw new EcsError(400, "InvalidParameterException", "Specifying both a launch type and capacity provider strategy is not supported.");
    }
    const awsvpc = (body.networkConfiguration as { awsvpcConfiguration?: { subnets?: unknown } } | undefined)?.awsvpcConfiguration;
    if (!Array.isArray(awsvpc?.subnets) || awsvpc.subnets.length === 0) {
      throw new EcsError(400, "InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    if (scenario.runTaskFailures) return { tasks: [], failures: scenario.runTaskFailures };
    const clientToken = typeof body.clientToken === "string" ? body.clientToken : undefined;
    // Idempotency as ECS documents it: the same token answers the task it already started.
    const existing = clientToken ? tasks.find((t) => t.clientToken === clientToken) : undefined;
    const task = existing ?? newTask(body, taskDefinition, clientToken, region);
    return { tasks: [taskJson(task, phaseOf(task))], failures: [] };
  }

  function newTask(body: Record<string, unknown>, taskDefinition: string, clientToken: string | undefined, region: string): TaskRecord {
    const cluster = typeof body.cluster === "string" ? body.cluster : "default";
    const clusterName = cluster.slice(cluster.lastIndexOf("/") + 1);
    const override = (body.overrides as { containerOverrides?: { name?: string; command?: unknown }[] } | undefined)
      ?.containerOverrides?.[0];
    const task: TaskRecord = {
      taskArn: `arn:aws:ecs:${region}:${ACCOUNT}:task/${clusterName}/${randomBytes(16).toString("hex")}`,
      clientToken,
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
      startedBy: "emulator",
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
    for (const arn of arns) {
      const task = tasks.find((t) => t.taskArn === arn);
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
    const task = tasks.find((t) => t.taskArn === body.task);
    if (!task) throw new EcsError(400, "InvalidParameterException", "The referenced task was not found.");
    if (task.stoppedByRequestAt === undefined) {
      task.stoppedByRequestAt = Date.now() / 1000;
      task.stopReason = typeof body.reason === "string" ? body.reason : undefined;
    }
    return { task: taskJson(task, phaseOf(task)) };
  }

  function handle(operation: string, body: Record<string, unknown>, region: string): unknown {
    if (operation !== "RunTask" && operation !== "DescribeTasks" && operation !== "StopTask") {
      throw new EcsError(400, "UnknownOperationException", `Operation ${operation} is not emulated`);
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

  function respond(res: ServerResponse, status: number, payload: unknown): void {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": "application/x-amz-json-1.1",
      "content-length": Buffer.byteLength(text),
      "x-amzn-requestid": randomBytes(8).toString("hex"),
    });
    res.end(text);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    // The SigV4 credential scope names the region the client was built for: `.../<date>/<region>/ecs/aws4_request`.
    const region = /Credential=[^/]+\/\d+\/([^/]+)\/ecs\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "us-east-1";
    let body: Record<string, unknown> = {};
    let status = 200;
    let payload: unknown;
    try {
      if (req.method !== "POST") throw new EcsError(405, "MethodNotAllowed", "POST only");
      body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      payload = handle(operation, body, region);
    } catch (error) {
      const e = error instanceof EcsError ? error : new EcsError(400, "SerializationException", String(error));
      status = e.status;
      payload = { __type: e.code, message: e.message };
    }
    requests.push({ operation, body, status });
    respond(res, status, payload);
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
