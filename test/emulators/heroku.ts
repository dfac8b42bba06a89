/**
 * A Heroku Platform API v3 emulator for tests: an HTTP server on 127.0.0.1 (random port) serving the
 * endpoints the Heroku backend uses, with the published JSON shapes (@heroku-cli/schema types), in-memory
 * state, and fault injection.
 *
 * Usage:
 * ```ts
 * const heroku = await startHerokuEmulator();
 * // point the code under test at it:
 * //   HEROKU_API_URL=heroku.url  HEROKU_API_KEY=heroku.apiKey
 * heroku.faults.rateLimit(2);                        // next 2 requests: 429
 * heroku.faults.dropConnection(1, { match: { method: "POST", path: "/apps" }, afterProcessing: true });
 * heroku.faults.addonProvisioningPolls = 3;          // add-ons need 3 reads to become provisioned
 * heroku.faults.failNextRelease("migration failed"); // next container release fails its release phase
 * ...
 * heroku.state.appNamed("my-app").configVars         // inspect (or edit, to simulate drift)
 * heroku.requests.filter((r) => r.method === "POST") // every request received, in order
 * await heroku.close();
 * ```
 *
 * Endpoints: apps (POST /apps, POST /teams/apps, GET/PATCH/DELETE /apps/{app}, POST /apps/{app}/acm),
 * config vars (GET/PATCH), formation (GET, PATCH for scaling, and PATCH with
 * `Accept: application/vnd.heroku+json; version=3.docker-releases` for container releases), releases (GET list
 * honouring `Range: version ..; max=N, order=desc`), add-ons (POST, GET list/one, PATCH plan, DELETE),
 * add-on attachments (POST, GET list/one/by name, DELETE; an attached add-on's `<NAME>_URL` appears in the
 * attached app and follows `state.rotateAddonCredentials`), domains (POST, GET, DELETE), log drains (POST, GET list/one, DELETE), and
 * release-phase output streams at `output_stream_url` (no authentication, like Heroku's pre-signed URLs), and
 * the container registry's manifests (`GET /v2/<app>/<type>/manifests/<reference>`, basic auth with the API key;
 * images are put there with `state.pushImage`). Container releases accept only the config digest of a Docker
 * V2 schema-2 image in the app's registry, as the Heroku CLI sends.
 *
 * Every API request must carry `Authorization: Bearer <apiKey>` (401 otherwise) and an Accept header asking for
 * `application/vnd.heroku+json; version=3` (400 otherwise). Each takes a token from the account's bucket
 * (`faults.rateLimitRemaining`, refilled one per `faults.rateLimitRefillMsPerToken`; empty: 429), and answers carry
 * `RateLimit-Remaining`. Lists are paged by their `Range` header (206 + `Next-Range`, see heroku/ranges.ts). Add-on
 * creation wants `confirm` = the app's name (423 otherwise); scaling wants `dyno_size`, not `size`. See
 * heroku/CONFORMANCE.md.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { HerokuFaults } from "./heroku/faults";
import { HerokuHttpError, ROUTES, registryManifest, releaseStream } from "./heroku/routes";
import type { RouteResponse } from "./heroku/routes";
import { HerokuState } from "./heroku/state";

export { HerokuFaults } from "./heroku/faults";
export type { FaultAction, RequestMatcher } from "./heroku/faults";
export { DYNO_SIZES, HerokuState, MANIFEST_MEDIA_TYPES } from "./heroku/state";
export type { EmulatedAddon, EmulatedApp, EmulatedAttachment, EmulatedImage, EmulatedRelease, ManifestKind } from "./heroku/state";

/** The API key the emulator accepts unless told otherwise. Not a real key. */
export const TEST_HEROKU_API_KEY = "emulator-heroku-api-key-7f3c";

/** One request the emulator received. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** Path without query string. */
  path: string;
  /** Request headers (lower-case names). */
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** Status answered; 0 when the connection was dropped instead. */
  status: number;
}

/** Options of {@link startHerokuEmulator}. */
export interface HerokuEmulatorOptions {
  /** The only API key accepted. @default TEST_HEROKU_API_KEY */
  apiKey?: string;
}

/** A running emulator. */
export interface HerokuEmulator {
  /** Base URL, e.g. `http://127.0.0.1:40123` (use as HEROKU_API_URL, and as HEROKU_REGISTRY_URL). */
  url: string;
  /** The API key it accepts (use as HEROKU_API_KEY). */
  apiKey: string;
  /** In-memory apps and counters. */
  state: HerokuState;
  /** Fault injection controls. */
  faults: HerokuFaults;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

function send(res: http.ServerResponse, response: RouteResponse, extraHeaders: Record<string, string>): void {
  const headers: Record<string, string> = { ...extraHeaders, ...response.headers };
  let payload: string;
  if (response.text !== undefined) {
    headers["Content-Type"] = response.contentType ?? "text/plain; charset=utf-8";
    payload = response.text;
  } else {
    headers["Content-Type"] = "application/json";
    payload = response.body === undefined ? "" : JSON.stringify(response.body);
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

function errorResponse(status: number, id: string, message: string): RouteResponse {
  return { status, body: { id, message } };
}

/** Starts the emulator on 127.0.0.1 with a random free port. */
export async function startHerokuEmulator(options: HerokuEmulatorOptions = {}): Promise<HerokuEmulator> {
  const apiKey = options.apiKey ?? TEST_HEROKU_API_KEY;
  const state = new HerokuState();
  const faults = new HerokuFaults();
  const requests: RecordedRequest[] = [];
  let baseUrl = "";

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, raw: string): void => {
    const method = (req.method ?? "GET").toUpperCase();
    const path = new URL(req.url ?? "/", "http://emulator").pathname;
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v]));
    const record: RecordedRequest = { method, path, headers, body, status: 0 };
    requests.push(record);
    const reply = (response: RouteResponse, extra: Record<string, string> = {}): void => {
      record.status = response.status;
      send(res, response, { "RateLimit-Remaining": String(Math.floor(faults.rateLimitRemaining)), "Request-Id": `req-${requests.length}`, ...extra });
    };
    const drop = (): void => {
      record.status = 0;
      req.socket.destroy();
    };

    const stream = /^\/release-streams\/([^/]+)$/.exec(path);
    if (stream && method === "GET") return reply(releaseStream(state, stream[1] ?? ""));
    // The container registry (registry.heroku.com in real life; HEROKU_REGISTRY_URL points here): its own auth.
    if (path.startsWith("/v2/") && method === "GET") {
      const fault = faults.take(method, path, ["serverError", "drop"]);
      if (fault?.kind === "serverError") return reply({ status: fault.status, body: { errors: [{ code: "UNKNOWN", message: "emulated" }] } });
      if (fault?.kind === "drop") return drop();
      return reply(registryManifest(state, path, headers, apiKey));
    }

    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return reply(errorResponse(401, "unauthorized", "Invalid credentials provided."));
    }
    if (!(req.headers.accept ?? "").includes("application/vnd.heroku+json; version=3")) {
      return reply(errorResponse(400, "bad_request", "Please specify a version (Accept: application/vnd.heroku+json; version=3)."));
    }

    // The account's token bucket first: with no token left nothing else happens (queued faults stay queued).
    if (!faults.takeRateLimitToken()) {
      return reply(errorResponse(429, "rate_limit", "Your account reached the API rate limit. Please wait a few minutes before making new requests."), { "RateLimit-Remaining": "0" });
    }
    const fault = faults.take(method, path, ["rateLimit", "serverError", "drop", "reject"], body);
    if (fault?.kind === "rateLimit") {
      const extra: Record<string, string> = { "RateLimit-Remaining": "0" };
      if (fault.retryAfterSeconds !== undefined) extra["Retry-After"] = String(fault.retryAfterSeconds);
      return reply(errorResponse(429, "rate_limit", "Your account reached the API rate limit. Please wait a few minutes before making new requests."), extra);
    }
    if (fault?.kind === "serverError") {
      return reply(errorResponse(fault.status, "internal_server_error", "Internal server error (emulated)."));
    }
    if (fault?.kind === "drop" && !fault.afterProcessing) return drop();
    if (fault?.kind === "reject") return reply(errorResponse(fault.status, fault.id, fault.message));

    let response: RouteResponse;
    const route = ROUTES.map(([m, pattern, handler]) => ({ m, match: pattern.exec(path), handler })).find((r) => r.m === method && r.match);
    if (!route?.match) {
      response = errorResponse(404, "not_found", `The requested API endpoint was not found: ${method} ${path}`);
    } else {
      try {
        response = route.handler({ method, path, params: route.match.slice(1), body, headers, baseUrl, state, faults });
      } catch (error) {
        if (!(error instanceof HerokuHttpError)) throw error;
        response = errorResponse(error.status, error.id, error.message);
      }
    }
    if (fault?.kind === "drop") return drop(); // afterProcessing: the change happened, the answer is lost
    reply(response);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString("utf8"));
      } catch (error) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ id: "emulator_bug", message: String(error) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    apiKey,
    state,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
