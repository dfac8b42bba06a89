/**
 * The Platform API endpoints the Heroku backend uses, emulated over {@link HerokuState}. Error bodies are
 * Heroku's `{id, message}`. Behaviour the emulator assumes where Heroku publishes nothing is marked ASSUMED.
 */
import type { AddOn, AddOnAttachment, App, ConfigVars, Domain, Formation, LogDrain, Release } from "@heroku-cli/schema";
import type { HerokuFaults } from "./faults";
import { listPage } from "./ranges";
import { DYNO_SIZES, MANIFEST_MEDIA_TYPES } from "./state";
import type { EmulatedAddon, EmulatedApp, HerokuState } from "./state";

/** A request as a route sees it. */
export interface RouteRequest {
  method: string;
  path: string;
  params: string[];
  body: unknown;
  headers: Record<string, string | undefined>;
  baseUrl: string;
  state: HerokuState;
  faults: HerokuFaults;
}

/** What a route answers: a JSON body, or text (plain unless `contentType` says otherwise), and any extra headers. */
export interface RouteResponse {
  status: number;
  body?: unknown;
  text?: string;
  /** Content-Type of `text`. @default text/plain; charset=utf-8 */
  contentType?: string;
  /** Extra response headers (`Next-Range`, `Docker-Content-Digest`). */
  headers?: Record<string, string>;
}

/** Thrown by routes to answer a Heroku error. */
export class HerokuHttpError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

function notFound(what: string): HerokuHttpError {
  return new HerokuHttpError(404, "not_found", `Couldn't find that ${what}.`);
}

function invalid(message: string): HerokuHttpError {
  return new HerokuHttpError(422, "invalid_params", message);
}

function appOf(req: RouteRequest): EmulatedApp {
  const app = req.state.findApp(decodeURIComponent(req.params[0] ?? ""));
  if (!app) throw notFound("app");
  return app;
}

/** The app of the path's first parameter and its add-on named (or with the id) in the second. */
function addonOf(req: RouteRequest): { app: EmulatedApp; addon: EmulatedAddon } {
  const app = appOf(req);
  const key = decodeURIComponent(req.params[1] ?? "");
  const addon = [...app.addons.values()].find((a) => a.addon.id === key || a.addon.name === key);
  if (!addon) throw notFound("add-on");
  return { app, addon };
}

/** Every attachment visible in the app: of its own add-ons, and of others' add-ons attached to it. */
function attachmentsIn(state: HerokuState, app: EmulatedApp): AddOnAttachment[] {
  const foreign = [...state.attachments.values()].filter((a) => a.appId === app.app.id).map((a) => a.attachment);
  return [...[...app.addons.values()].map((a) => a.attachment), ...foreign];
}

/** Every attachment of every app. */
function allAttachments(state: HerokuState): AddOnAttachment[] {
  return [...state.apps.values()].flatMap((app) => attachmentsIn(state, app));
}

function bodyObject(req: RouteRequest): Record<string, unknown> {
  return typeof req.body === "object" && req.body !== null ? (req.body as Record<string, unknown>) : {};
}

const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

function createApp(req: RouteRequest, team?: string): RouteResponse {
  const body = bodyObject(req);
  const name = typeof body.name === "string" ? body.name : undefined;
  if (name !== undefined && !APP_NAME.test(name)) {
    throw invalid("Name must start with a letter, end with a letter or digit and can only contain lowercase letters, digits, and dashes.");
  }
  if (name !== undefined && req.state.findApp(name)) throw invalid("Name is already taken");
  const app = req.state.createApp({
    name,
    region: typeof body.region === "string" ? body.region : "us",
    stack: typeof body.stack === "string" ? body.stack : "heroku-24",
    team,
  });
  return { status: 201, body: app.app satisfies App };
}


/**
 * A new release that runs the release phase when `releasePhase` (pending for `faults.releasePendingPolls` reads,
 * failing when a failure is queued), else one that succeeds at once.
 */
function newRelease(req: RouteRequest, app: EmulatedApp, description: string, images: Record<string, string>, releasePhase: boolean): void {
  const failure = releasePhase ? req.faults.takeReleaseFailure() : undefined;
  req.state.addRelease(app, {
    description,
    pollsLeft: releasePhase ? req.faults.releasePendingPolls : 0,
    finalStatus: failure !== undefined ? "failed" : "succeeded",
    output: failure ?? (releasePhase ? "Running release command...\nmigrations done\n" : ""),
    images,
    baseUrl: releasePhase ? req.baseUrl : undefined,
  });
}

function releaseDockerImages(req: RouteRequest, app: EmulatedApp, updates: Record<string, unknown>[]): RouteResponse {
  const images: Record<string, string> = {};
  for (const update of updates) {
    if (typeof update.type !== "string" || typeof update.docker_image !== "string" || !DIGEST.test(update.docker_image)) {
      throw invalid("Each update needs a type and a docker_image (sha256:...).");
    }
    // ASSUMED: Heroku publishes no answer for an image id it does not know; the CLI always sends the config
    // digest read from the registry (heroku/cli src/commands/container/release.ts). The emulator refuses any
    // other value (a manifest digest, an OCI image, another app's image) with a 422, so sending one fails.
    if (!req.state.isReleasableImage(app, update.docker_image)) {
      throw invalid(`Couldn't find the docker image ${update.docker_image} for ${update.type} in this app's registry (emulated).`);
    }
    images[update.type] = update.docker_image;
  }
  if (app.app.stack?.name !== "container") throw invalid("This app's stack is not container.");
  // Heroku makes no release when every process already runs the image given (heroku/cli#1965, #1167: "The
  // process type web was not updated, because it is already running the specified docker image"; Heroku
  // support quoted in heroku/heroku-releases-retry#11). The CLI then returns at once (release.ts).
  const unchanged = Object.entries(images).every(([type, image]) => app.images[type] === image);
  if (!unchanged) newRelease(req, app, `Deployed ${Object.keys(images).join(", ")}`, images, "release" in images);
  return { status: 200, body: [...app.formation.values()] satisfies Formation[] };
}

/**
 * A process type as the API shows it: `dyno_size {id, name}` beside the deprecated `size` (heroku-go v6.1.0
 * `schema.json`, `formation.properties`). The id is a stand-in derived from the name.
 */
function formationView(process: Formation): Formation {
  const name = process.size ?? "";
  return { ...process, dyno_size: { id: `dyno-size-${name.toLowerCase()}`, name } };
}

function scale(app: EmulatedApp, updates: Record<string, unknown>[]): RouteResponse {
  const changed: Formation[] = [];
  for (const update of updates) {
    const type = String(update.type);
    const process = app.formation.get(type);
    if (!process) throw new HerokuHttpError(422, "invalid_params", `Couldn't find that process type (${type}).`);
    // ASSUMED stricter than Heroku: the schema marks `size` deprecated (and leaves it out of the update item,
    // whose additionalProperties is false); the emulator refuses it so a client sending it is caught.
    if (update.size !== undefined) throw invalid("size is deprecated: send dyno_size: {name} instead.");
    if (update.dyno_size !== undefined) {
      const wanted = update.dyno_size as { id?: unknown; name?: unknown } | null;
      const key = typeof wanted?.name === "string" ? wanted.name : typeof wanted?.id === "string" ? wanted.id.replace(/^dyno-size-/, "") : "";
      const size = DYNO_SIZES[key.toLowerCase()];
      if (!size) throw invalid(`Invalid dyno size: ${JSON.stringify(update.dyno_size)}`);
      process.size = size;
    }
    if (update.quantity !== undefined) process.quantity = Number(update.quantity);
    process.updated_at = new Date().toISOString();
    changed.push(formationView(process));
  }
  return { status: 200, body: changed };
}

type Route = [method: string, pattern: RegExp, handler: (req: RouteRequest) => RouteResponse];

/** Every emulated endpoint. Path parameters are the pattern's capture groups. */
export const ROUTES: Route[] = [
  ["POST", /^\/apps$/, (req) => createApp(req)],
  [
    "POST",
    /^\/teams\/apps$/,
    (req) => {
      const team = bodyObject(req).team;
      if (typeof team !== "string") throw invalid("team is required");
      return createApp(req, team);
    },
  ],
  ["GET", /^\/apps\/([^/]+)$/, (req) => ({ status: 200, body: appOf(req).app })],
  [
    "PATCH",
    /^\/apps\/([^/]+)$/,
    (req) => {
      const app = appOf(req);
      const name = bodyObject(req).name;
      if (typeof name === "string" && name !== app.app.name) {
        if (!APP_NAME.test(name)) throw invalid("Name must start with a letter and can only contain lowercase letters, digits, and dashes.");
        if (req.state.findApp(name)) throw invalid("Name is already taken");
        app.app.name = name;
        app.app.git_url = `https://git.heroku.com/${name}.git`;
        app.app.web_url = `https://${name}-${(app.app.web_url ?? "").split("-").pop()}`;
      }
      return { status: 200, body: app.app };
    },
  ],
  [
    "DELETE",
    /^\/apps\/([^/]+)$/,
    (req) => {
      const app = appOf(req);
      req.state.apps.delete(app.app.id as string);
      // Its add-ons die with it (detached everywhere), and what was attached to it goes too.
      for (const attached of [...req.state.attachments.values()]) {
        if (attached.appId === app.app.id || attached.ownerAppId === app.app.id) req.state.detach(attached);
      }
      return { status: 200, body: app.app };
    },
  ],
  [
    "POST",
    /^\/apps\/([^/]+)\/acm$/,
    (req) => {
      const app = appOf(req);
      app.app.acm = true;
      for (const d of app.domains.values()) d.acm_status = "pending";
      return { status: 200, body: app.app };
    },
  ],
  [
    "GET",
    /^\/apps\/([^/]+)\/config-vars$/,
    (req) => {
      const app = appOf(req);
      req.state.configVarRead(app);
      return { status: 200, body: app.configVars };
    },
  ],
  [
    "PATCH",
    /^\/apps\/([^/]+)\/config-vars$/,
    (req) => {
      const app = appOf(req);
      const changes = bodyObject(req);
      for (const [key, value] of Object.entries(changes)) {
        if (!/^\w+$/.test(key)) throw invalid(`Invalid config var name: ${key}`);
        if (value === null) delete app.configVars[key];
        else app.configVars[key] = String(value);
      }
      // Every config var change makes a release, which runs the release phase when the app has a `release`
      // process (https://devcenter.heroku.com/articles/release-phase, "When does the release command run?").
      newRelease(req, app, `Set ${Object.keys(changes).join(", ")} config vars`, {}, "release" in app.images);
      return { status: 200, body: app.configVars satisfies ConfigVars };
    },
  ],
  ["GET", /^\/apps\/([^/]+)\/formation$/, (req) => listPage([...appOf(req).formation.values()].map(formationView), req.headers.range, { pageSizeLimit: req.faults.pageSizeLimit })],
  [
    "PATCH",
    /^\/apps\/([^/]+)\/formation$/,
    (req) => {
      const app = appOf(req);
      const updates = bodyObject(req).updates;
      if (!Array.isArray(updates)) throw invalid("updates is required");
      const docker = (req.headers.accept ?? "").includes("version=3.docker-releases");
      const hasImages = updates.some((u) => typeof u === "object" && u !== null && "docker_image" in u);
      if (hasImages && !docker) throw invalid("docker_image requires Accept: application/vnd.heroku+json; version=3.docker-releases");
      return hasImages ? releaseDockerImages(req, app, updates) : scale(app, updates);
    },
  ],
  [
    "GET",
    /^\/apps\/([^/]+)\/releases$/,
    (req) => {
      const app = appOf(req);
      for (const r of app.releases) {
        if (r.release.status === "pending" && --r.pollsLeft <= 0) req.state.finishRelease(app, r);
      }
      return listPage<Release>(app.releases.map((r) => r.release), req.headers.range, { defaultField: "version", pageSizeLimit: req.faults.pageSizeLimit });
    },
  ],
  [
    "POST",
    /^\/apps\/([^/]+)\/addons$/,
    (req) => {
      const app = appOf(req);
      const body = bodyObject(req);
      const plan = typeof body.plan === "string" ? body.plan : "";
      if (!/^(heroku-postgresql|heroku-redis):[a-z0-9-]+$/.test(plan)) {
        throw new HerokuHttpError(422, "invalid_params", "Couldn't find either the add-on service or the add-on plan.");
      }
      const attachment = (body.attachment as { name?: string } | undefined)?.name ?? plan.split(":")[0]?.toUpperCase().replace(/-/g, "_") ?? "ADDON";
      const confirmed = body.confirm === app.app.name;
      // Creating over an attachment name or a `<NAME>_URL` config var the app already has overwrites it, which
      // Heroku does only when confirmed (heroku/cli `addons:create --confirm`: "overwrite existing config vars or
      // existing add-on attachments"). The emulator asks, and refuses (and counts) a confirmed overwrite.
      const taken = attachmentsIn(req.state, app).some((a) => a.name === attachment) || `${attachment}_URL` in app.configVars;
      if (taken && confirmed) {
        req.state.confirmedOverwrites++;
        throw invalid(`Overwriting ${attachment} is not emulated.`);
      }
      if (taken) throw new HerokuHttpError(423, "confirmation_required", `This add-on would overwrite ${attachment} on ${app.app.name}: pass confirm=${app.app.name} (emulated).`);
      // Some add-ons need confirming anyway (heroku/cli test/unit/commands/addons/create.unit.test.ts L301-306,
      // 423 "confirmation_required"); `faults.addonsRequireConfirmation` (default) makes every one ask.
      if (req.faults.addonsRequireConfirmation && !confirmed) {
        throw new HerokuHttpError(423, "confirmation_required", `This add-on must be confirmed: pass confirm=${app.app.name} (emulated).`);
      }
      // ASSUMED: Heroku documents no answer for a second add-on request while one is provisioning on the
      // same app (terraform-provider-heroku serializes creation because "the API cannot handle" it). The
      // emulator refuses it with a 422 and counts it, so tests prove requests never overlap.
      if (req.state.isProvisioning(app)) {
        req.state.overlappingAddonRequests++;
        throw invalid("Another add-on is being provisioned for this app; try again when it is done (emulated).");
      }
      const addon = req.state.createAddon(app, plan, attachment, req.faults.addonProvisioningPolls, req.faults.addonConfigVarPolls);
      return { status: 201, body: addon.addon satisfies AddOn };
    },
  ],
  ["GET", /^\/apps\/([^/]+)\/addons$/, (req) => listPage([...appOf(req).addons.values()].map((a) => a.addon), req.headers.range, { pageSizeLimit: req.faults.pageSizeLimit })],
  [
    "GET",
    /^\/apps\/([^/]+)\/addons\/([^/]+)$/,
    (req) => {
      const { app, addon } = addonOf(req);
      if (addon.addon.state === "provisioning" && --addon.pollsLeft <= 0) req.state.provision(app, addon);
      return { status: 200, body: addon.addon };
    },
  ],
  [
    "PATCH",
    /^\/apps\/([^/]+)\/addons\/([^/]+)$/,
    (req) => {
      const { addon } = addonOf(req);
      const plan = String(bodyObject(req).plan ?? "");
      if (plan.split(":")[0] !== addon.addon.addon_service.name) throw invalid("Cannot change the add-on service.");
      addon.addon.plan = { id: addon.addon.plan.id, name: plan };
      return { status: 200, body: addon.addon };
    },
  ],
  [
    "DELETE",
    /^\/apps\/([^/]+)\/addons\/([^/]+)$/,
    (req) => {
      const { app, addon } = addonOf(req);
      app.addons.delete(addon.addon.id);
      for (const v of addon.addon.config_vars) delete app.configVars[v];
      // Destroying an add-on detaches it everywhere.
      for (const attached of req.state.attachmentsOf(addon.addon.id)) req.state.detach(attached);
      addon.addon.state = "deprovisioned";
      return { status: 200, body: addon.addon };
    },
  ],
  [
    "GET",
    /^\/apps\/([^/]+)\/addon-attachments\/([^/]+)$/,
    (req) => {
      const key = decodeURIComponent(req.params[1] ?? "");
      const found = attachmentsIn(req.state, appOf(req)).find((a) => a.name === key || a.id === key);
      if (!found) throw notFound("add-on attachment");
      return { status: 200, body: found };
    },
  ],
  ["GET", /^\/apps\/([^/]+)\/addon-attachments$/, (req) => listPage(attachmentsIn(req.state, appOf(req)), req.headers.range, { pageSizeLimit: req.faults.pageSizeLimit })],
  [
    "POST",
    /^\/addon-attachments$/,
    (req) => {
      const body = bodyObject(req);
      const found = req.state.findAddon(String(body.addon ?? ""));
      if (!found) throw notFound("add-on");
      const app = req.state.findApp(String(body.app ?? ""));
      if (!app) throw notFound("app");
      const name = typeof body.name === "string" ? body.name : (found.addon.attachment.name ?? "");
      if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw invalid("Name must be upper case letters, digits and underscores.");
      if (app === found.app) throw invalid("This add-on is already attached to its owning app.");
      if (attachmentsIn(req.state, app).some((a) => a.name === name)) {
        // Heroku asks for confirmation before overwriting an attachment of the same name (heroku/cli
        // `addons:attach --confirm`, "overwrite existing add-on attachment with same name"; its unit test answers
        // `confirmation_required`, with status 400: the real status is ASSUMED). Overwriting is not emulated.
        if (body.confirm !== undefined) throw invalid("Overwriting an attachment (confirm) is not emulated.");
        throw new HerokuHttpError(400, "confirmation_required", `Name ${name} is already used by another add-on attachment on this app: pass confirm=${app.app.name} to overwrite it (emulated).`);
      }
      // ASSUMED: Heroku publishes no answer for attaching over a config var the app already sets by hand; the
      // emulator refuses it, so tests prove the program removes its copy before attaching.
      if (`${name}_URL` in app.configVars) throw invalid(`${name}_URL is already set on this app; unset it before attaching.`);
      return { status: 201, body: req.state.attach(found.app, found.addon, app, name).attachment satisfies AddOnAttachment };
    },
  ],
  [
    "GET",
    /^\/addon-attachments\/([^/]+)$/,
    (req) => {
      const key = decodeURIComponent(req.params[0] ?? "");
      const found = allAttachments(req.state).find((a) => a.id === key);
      if (!found) throw notFound("add-on attachment");
      return { status: 200, body: found };
    },
  ],
  [
    "DELETE",
    /^\/addon-attachments\/([^/]+)$/,
    (req) => {
      const key = decodeURIComponent(req.params[0] ?? "");
      const attached = req.state.attachments.get(key);
      if (!attached) {
        // ASSUMED: an add-on's attachment to its owning app cannot be removed on its own (destroy the add-on).
        if (allAttachments(req.state).some((a) => a.id === key)) throw invalid("Cannot detach an add-on from its owning app.");
        throw notFound("add-on attachment");
      }
      req.state.detach(attached);
      return { status: 200, body: attached.attachment };
    },
  ],
  [
    "POST",
    /^\/apps\/([^/]+)\/domains$/,
    (req) => {
      const app = appOf(req);
      const body = bodyObject(req);
      // The schema's Domain Create lists `required: ["hostname", "sni_endpoint"]` (null: no certificate chosen);
      // the CLI's domains:add always sends it. The exact message is ASSUMED.
      if (!("sni_endpoint" in body)) throw invalid("sni_endpoint is required (null or an SNI endpoint's id or name).");
      const hostname = String(body.hostname ?? "").toLowerCase();
      if (!hostname.includes(".")) throw invalid("Hostname is invalid.");
      for (const other of req.state.apps.values()) {
        if ([...other.domains.values()].some((d) => d.hostname === hostname)) {
          throw invalid(other === app ? "Domain already added to this app." : `${hostname} is currently in use by another app.`);
        }
      }
      return { status: 201, body: req.state.createDomain(app, hostname) satisfies Domain };
    },
  ],
  [
    "GET",
    /^\/apps\/([^/]+)\/domains\/([^/]+)$/,
    (req) => {
      const key = decodeURIComponent(req.params[1] ?? "");
      const domain = [...appOf(req).domains.values()].find((d) => d.id === key || d.hostname === key);
      if (!domain) throw notFound("domain");
      return { status: 200, body: domain };
    },
  ],
  [
    "DELETE",
    /^\/apps\/([^/]+)\/domains\/([^/]+)$/,
    (req) => {
      const app = appOf(req);
      const key = decodeURIComponent(req.params[1] ?? "");
      const domain = [...app.domains.values()].find((d) => d.id === key || d.hostname === key);
      if (!domain) throw notFound("domain");
      app.domains.delete(domain.id as string);
      return { status: 200, body: domain };
    },
  ],
  [
    "POST",
    /^\/apps\/([^/]+)\/log-drains$/,
    (req) => {
      const app = appOf(req);
      const url = String(bodyObject(req).url ?? "");
      const seen = (req.state.drainRequestsSeen.get(app.app.id as string) ?? 0) + 1;
      req.state.drainRequestsSeen.set(app.app.id as string, seen);
      if (seen <= req.faults.logChannelPendingRequests) {
        // The text terraform-provider-heroku retries on (resource_heroku_drain.go); the 422 status is ASSUMED.
        throw invalid("App hasn't yet been assigned a log channel. Please try again momentarily.");
      }
      if (!/^(syslog|syslog\+tls|https?):\/\//.test(url)) throw invalid("Url is invalid.");
      if ([...app.logDrains.values()].some((d) => d.url === url)) throw invalid("Url has already been taken");
      return { status: 201, body: req.state.createLogDrain(app, url) satisfies LogDrain };
    },
  ],
  ["GET", /^\/apps\/([^/]+)\/log-drains$/, (req) => listPage([...appOf(req).logDrains.values()], req.headers.range, { pageSizeLimit: req.faults.pageSizeLimit })],
  [
    "GET",
    /^\/apps\/([^/]+)\/log-drains\/([^/]+)$/,
    (req) => {
      const key = decodeURIComponent(req.params[1] ?? "");
      const drain = [...appOf(req).logDrains.values()].find((d) => d.id === key || d.url === key || d.token === key);
      if (!drain) throw notFound("log drain");
      return { status: 200, body: drain };
    },
  ],
  [
    "DELETE",
    /^\/apps\/([^/]+)\/log-drains\/([^/]+)$/,
    (req) => {
      const app = appOf(req);
      const key = decodeURIComponent(req.params[1] ?? "");
      const drain = [...app.logDrains.values()].find((d) => d.id === key || d.url === key || d.token === key);
      if (!drain) throw notFound("log drain");
      app.logDrains.delete(drain.id as string);
      return { status: 200, body: drain };
    },
  ],
];

/**
 * The release-phase log at `output_stream_url` (a pre-signed URL in real Heroku: no API key needed, none
 * expected). Not part of the API, so served outside the authenticated routes.
 */
export function releaseStream(state: HerokuState, releaseId: string): RouteResponse {
  for (const app of state.apps.values()) {
    const found = app.releases.find((r) => r.release.id === releaseId);
    if (found) return { status: 200, text: found.output };
  }
  return { status: 404, text: "not found" };
}

/** A registry error body, as the Docker distribution registry writes it: `{errors: [{code, message}]}`. */
function registryError(status: number, code: string, message: string): RouteResponse {
  return { status, body: { errors: [{ code, message, detail: null }] } };
}

/**
 * `GET /v2/<app>/<process type>/manifests/<tag or digest>` of the container registry (registry.heroku.com),
 * authenticated with HTTP basic auth whose password is the API key (user `_` as `docker login` sends, or empty
 * as the Heroku CLI's container:release sends). The stored manifest is served byte for byte with its media type
 * as Content-Type and `Docker-Content-Digest`, when the Accept header (comma-separated) lists that type;
 * otherwise 404 MANIFEST_UNKNOWN, as the distribution registry answers (distribution/distribution
 * registry/handlers/manifests.go, GetManifest). Docker manifest lists are not emulated.
 */
export function registryManifest(state: HerokuState, path: string, headers: Record<string, string | undefined>, apiKey: string): RouteResponse {
  const auth = /^Basic (.+)$/.exec(headers.authorization ?? "");
  const [user, ...password] = auth ? Buffer.from(auth[1] ?? "", "base64").toString("utf8").split(":") : [];
  if (!auth || !(user === "" || user === "_") || password.join(":") !== apiKey) {
    return { ...registryError(401, "UNAUTHORIZED", "authentication required"), headers: { "WWW-Authenticate": 'Basic realm="registry.heroku.com"' } };
  }
  const match = /^\/v2\/([^/]+\/[^/]+)\/manifests\/([^/]+)$/.exec(path);
  if (!match) return registryError(404, "NAME_UNKNOWN", "repository name not known to registry");
  const image = state.findImage(match[1] ?? "", decodeURIComponent(match[2] ?? ""));
  if (!image) return registryError(404, "MANIFEST_UNKNOWN", "manifest unknown");
  const accepted = (headers.accept ?? "").split(",").map((t) => t.split(";")[0]?.trim());
  if (!accepted.includes(image.mediaType)) {
    const what = image.mediaType === MANIFEST_MEDIA_TYPES.ociIndex ? "OCI index found, but accept header does not support OCI indexes" : "OCI manifest found, but accept header does not support OCI manifests";
    return registryError(404, "MANIFEST_UNKNOWN", what);
  }
  return { status: 200, text: image.manifest, contentType: image.mediaType, headers: { "Docker-Content-Digest": image.manifestDigest } };
}
