/**
 * The two Platform API calls the clock makes: list an app's dynos, start a one-off dyno. Deliberately small and
 * without retries of its own: a failed call is logged and the clock's next tick tries again (within the job's
 * grace), which is the retry policy that matters for a schedule. `fetch` is pluggable for tests.
 *
 * The dyno list is read whole: pages of up to 1000 (`Range: id ..; max=1000`), following `Next-Range` while
 * Heroku answers 206 Partial Content (Platform API reference, "Ranges"; heroku/cli `src/lib/utils/paginator.ts`),
 * so a running copy of the job on a later page is not missed.
 */
import type { DynoInfo } from "./tick";

/** The subset of `fetch` the clock uses. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; text(): Promise<string>; headers?: { get(name: string): string | null } }>;

/** How to reach the API. */
export interface DynoApiOptions {
  /** Bearer token. Never logged. */
  apiKey: string;
  /** API root without trailing slash. @default "https://api.heroku.com" */
  baseUrl?: string;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** Per-request timeout. @default 30000 */
  timeoutMs?: number;
}

/** Body of `POST /apps/{app}/dynos`. */
export interface RunRequest {
  command: string;
  size: string;
  /** Process type whose image to use; omitted: the web image. */
  type?: string;
  /** Seconds until Heroku stops the dyno. */
  time_to_live: number;
  /** Added to the app's config vars for this run. */
  env: Record<string, string>;
}

/** A failed call: HTTP status (0 when no answer) and Heroku's error id and message. Carries no credential. */
export class DynoApiError extends Error {
  constructor(
    readonly status: number,
    readonly herokuId: string,
    message: string,
  ) {
    super(message);
    this.name = "DynoApiError";
  }
}

export interface DynoApi {
  listDynos(app: string): Promise<DynoInfo[]>;
  startRun(app: string, request: RunRequest): Promise<DynoInfo>;
}

export function dynoApi(options: DynoApiOptions): DynoApi {
  const baseUrl = (options.baseUrl ?? "https://api.heroku.com").replace(/\/+$/, "");
  const doFetch: FetchLike = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function call<T>(method: "GET" | "POST", path: string, body?: unknown, range?: string): Promise<{ status: number; body: T; nextRange?: string }> {
    const headers: Record<string, string> = {
      Accept: "application/vnd.heroku+json; version=3",
      Authorization: `Bearer ${options.apiKey}`,
      "User-Agent": "multicloud-heroku-clock",
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (range !== undefined) headers.Range = range;
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await doFetch(baseUrl + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DynoApiError(0, "connection_failed", `${method} ${path}: no answer (${(error as Error).message})`);
    }
    const text = await response.text().catch(() => "");
    if (!response.ok) {
      let id = `http_${response.status}`;
      let message = text.slice(0, 200);
      try {
        const parsed = JSON.parse(text) as { id?: unknown; message?: unknown };
        if (typeof parsed.id === "string") id = parsed.id;
        if (typeof parsed.message === "string") message = parsed.message;
      } catch {
        // not JSON: keep the start of the text
      }
      throw new DynoApiError(response.status, id, `${method} ${path}: ${response.status} ${id}: ${message}`);
    }
    return {
      status: response.status,
      body: (text === "" ? undefined : JSON.parse(text)) as T,
      nextRange: response.headers?.get("Next-Range") ?? undefined,
    };
  }

  const appPath = (app: string) => `/apps/${encodeURIComponent(app)}/dynos`;
  return {
    async listDynos(app) {
      const dynos: DynoInfo[] = [];
      let range = "id ..; max=1000";
      for (let page = 0; page < 100; page++) {
        const answer = await call<DynoInfo[] | undefined>("GET", appPath(app), undefined, range);
        dynos.push(...(answer.body ?? []));
        if (answer.status !== 206 || !answer.nextRange || answer.nextRange === range) return dynos;
        range = answer.nextRange;
      }
      return dynos;
    },
    async startRun(app, request) {
      const body: Record<string, unknown> = {
        command: request.command,
        size: request.size,
        attach: false,
        time_to_live: request.time_to_live,
        env: request.env,
      };
      if (request.type) body.type = request.type;
      return (await call<DynoInfo>("POST", appPath(app), body)).body;
    },
  };
}
