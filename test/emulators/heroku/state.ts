/**
 * In-memory state of the Heroku emulator, shaped like the Platform API's published JSON (types from
 * @heroku-cli/schema). Tests read it (and may edit it, e.g. to simulate drift) through `emulator.state`.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { AddOn, AddOnAttachment, App, ConfigVars, Domain, Formation, LogDrain, Release } from "@heroku-cli/schema";

/** An add-on as the emulator keeps it. */
export interface EmulatedAddon {
  /** What the API returns for it. */
  addon: AddOn;
  /** Its attachment on the owning app. */
  attachment: AddOnAttachment;
  /** Reads left before it turns `provisioned`. */
  pollsLeft: number;
  /** The connection URL it will set as config var (a secret). */
  url: string;
  /** Reads of the owner app's config vars, once provisioned, before its config var appears there. */
  configVarPollsLeft: number;
}

/** An add-on attached to an app other than its owner (`POST /addon-attachments`). */
export interface EmulatedAttachment {
  /** What the API returns for it. */
  attachment: AddOnAttachment;
  /** The owner app's id and the add-on's id. */
  ownerAppId: string;
  addonId: string;
  /** The app it is attached to. */
  appId: string;
}

/** A release as the emulator keeps it. */
export interface EmulatedRelease {
  /** What the API returns for it. */
  release: Release;
  /** Reads of the release list left while it stays `pending`. */
  pollsLeft: number;
  /** Status it ends in. */
  finalStatus: "succeeded" | "failed";
  /** Release-phase output served at `output_stream_url`. */
  output: string;
  /** Images this release carries (process type -> digest), applied to the formation when it succeeds. */
  images: Record<string, string>;
}

/** One app and everything in it. */
export interface EmulatedApp {
  /** What the API returns for the app. */
  app: App;
  /** Its config vars. */
  configVars: ConfigVars;
  /** Process types by type. */
  formation: Map<string, Formation>;
  /** Current image digest per process type (from container releases). */
  images: Record<string, string>;
  /** Add-ons by id. */
  addons: Map<string, EmulatedAddon>;
  /** Domains by id. */
  domains: Map<string, Domain>;
  /** Log drains by id. */
  logDrains: Map<string, LogDrain>;
  /** Releases, oldest first. */
  releases: EmulatedRelease[];
}

/** Manifest media types of the registry (Docker Image Manifest V2 Schema 2, and OCI's). */
export const MANIFEST_MEDIA_TYPES = {
  docker: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  oci: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
} as const;

/** How an image was pushed: by a classic Docker image store (`docker`) or the containerd one (`oci`, `ociIndex`). */
export type ManifestKind = "docker" | "oci" | "ociIndex";

/** An image in the emulated registry (`registry.heroku.com/<app name>/<process type>`). */
export interface EmulatedImage {
  /** `<app name>/<process type>`. */
  repository: string;
  /** The manifest's media type. */
  mediaType: string;
  /** The manifest, byte for byte as served. */
  manifest: string;
  /** sha256 of {@link manifest}: what `docker push` reports and `docker.Image.repoDigest` carries. */
  manifestDigest: string;
  /** The image config's digest (`config.digest`; for an index, its image's): the image id Heroku releases. */
  configDigest: string;
}

function sha256(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

function now(): string {
  return new Date().toISOString();
}

/** The API's view of an attachment of `addon` (owned by `owner`) to `app` under `name`. */
function attachmentRecord(addon: { id: string; name: string }, owner: EmulatedApp, app: EmulatedApp, name: string): AddOnAttachment {
  return {
    id: randomUUID(),
    name,
    addon: { id: addon.id, name: addon.name, app: { id: owner.app.id, name: owner.app.name } },
    app: { id: app.app.id, name: app.app.name },
    created_at: now(),
    updated_at: now(),
    namespace: null,
    log_input_url: null,
    web_url: null,
  };
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

/** Dyno sizes the emulator accepts, lower case -> Heroku's capitalisation. */
export const DYNO_SIZES: Record<string, string> = {
  eco: "Eco",
  basic: "Basic",
  "standard-1x": "Standard-1X",
  "standard-2x": "Standard-2X",
  "performance-m": "Performance-M",
  "performance-l": "Performance-L",
};

/** All apps, plus counters tests assert on. */
export class HerokuState {
  /** Log-drain requests seen per app id (for `faults.logChannelPendingRequests`). */
  readonly drainRequestsSeen = new Map<string, number>();

  /** Apps by id. */
  readonly apps = new Map<string, EmulatedApp>();
  /** Add-on requests that arrived while another add-on of the same app was still provisioning. */
  overlappingAddonRequests = 0;
  /**
   * Add-on creations that confirmed (`confirm`) overwriting an attachment or config var of the app: Heroku would
   * do it (heroku/cli `addons:create --confirm`, "overwrite existing config vars or existing add-on attachments");
   * the emulator refuses and counts them, so tests prove a client never confirms an overwrite.
   */
  confirmedOverwrites = 0;
  /** Attachments of add-ons to apps other than their owner, by attachment id. */
  readonly attachments = new Map<string, EmulatedAttachment>();
  /** The container registry's manifests, by `<repository>@<manifest digest>`. */
  readonly registry = new Map<string, EmulatedImage>();
  /** The registry's tags, `<repository>:<tag>` -> manifest digest. */
  readonly registryTags = new Map<string, string>();

  /**
   * Stores an image as `docker push registry.heroku.com/<app>/<type>` would (tag `latest`), with a manifest of
   * the given kind, and returns its digests. The config digest always differs from the manifest digest.
   */
  pushImage(appName: string, processType: string, kind: ManifestKind = "docker"): EmulatedImage {
    const repository = `${appName}/${processType}`;
    const config = JSON.stringify({ architecture: "amd64", os: "linux", config: { Cmd: ["node", "server.js"] }, nonce: hex(8) });
    const configDigest = sha256(config);
    const layer = { size: 1024, digest: sha256(hex(16)) };
    const image = (mediaType: string, configType: string, layerType: string): string =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType,
        config: { mediaType: configType, size: config.length, digest: configDigest },
        layers: [{ mediaType: layerType, ...layer }],
      });
    let manifest: string;
    let mediaType: string;
    if (kind === "docker") {
      mediaType = MANIFEST_MEDIA_TYPES.docker;
      manifest = image(mediaType, "application/vnd.docker.container.image.v1+json", "application/vnd.docker.image.rootfs.diff.tar.gzip");
    } else {
      const oci = image(MANIFEST_MEDIA_TYPES.oci, "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip");
      if (kind === "oci") {
        mediaType = MANIFEST_MEDIA_TYPES.oci;
        manifest = oci;
      } else {
        mediaType = MANIFEST_MEDIA_TYPES.ociIndex;
        manifest = JSON.stringify({
          schemaVersion: 2,
          mediaType,
          manifests: [{ mediaType: MANIFEST_MEDIA_TYPES.oci, size: oci.length, digest: sha256(oci), platform: { architecture: "amd64", os: "linux" } }],
        });
      }
    }
    const pushed: EmulatedImage = { repository, mediaType, manifest, manifestDigest: sha256(manifest), configDigest };
    this.registry.set(`${repository}@${pushed.manifestDigest}`, pushed);
    this.registryTags.set(`${repository}:latest`, pushed.manifestDigest);
    return pushed;
  }

  /** The image of `repository` at `reference` (a tag or a manifest digest). */
  findImage(repository: string, reference: string): EmulatedImage | undefined {
    const digest = reference.startsWith("sha256:") ? reference : this.registryTags.get(`${repository}:${reference}`);
    return digest === undefined ? undefined : this.registry.get(`${repository}@${digest}`);
  }

  /** True when `imageId` is the config digest of a Docker V2 schema-2 image pushed to one of the app's repositories. */
  isReleasableImage(app: EmulatedApp, imageId: string): boolean {
    return [...this.registry.values()].some(
      (image) => image.repository.startsWith(`${app.app.name}/`) && image.mediaType === MANIFEST_MEDIA_TYPES.docker && image.configDigest === imageId,
    );
  }

  /** The app with this id or name. */
  findApp(idOrName: string): EmulatedApp | undefined {
    return this.apps.get(idOrName) ?? [...this.apps.values()].find((a) => a.app.name === idOrName);
  }

  /** The app by name (throws when absent): a convenience for assertions. */
  appNamed(name: string): EmulatedApp {
    const app = this.findApp(name);
    if (!app) throw new Error(`emulator: no app named ${name}`);
    return app;
  }

  /** Creates an app with a first release, as Heroku does. */
  createApp(fields: { name?: string; region: string; stack: string; team?: string }): EmulatedApp {
    const id = randomUUID();
    const name = fields.name ?? `emulated-${hex(4)}`;
    const app: App = {
      id,
      name,
      acm: false,
      archived_at: null,
      build_stack: { id: randomUUID(), name: fields.stack },
      created_at: now(),
      updated_at: now(),
      git_url: `https://git.heroku.com/${name}.git`,
      maintenance: false,
      owner: { id: randomUUID(), email: "owner@example.com" },
      region: { id: randomUUID(), name: fields.region },
      stack: { id: randomUUID(), name: fields.stack },
      team: fields.team ? { id: randomUUID(), name: fields.team } : null,
      organization: fields.team ? { id: randomUUID(), name: fields.team } : null,
      released_at: now(),
      web_url: `https://${name}-${hex(6)}.herokuapp.com/`,
    };
    const emulated: EmulatedApp = {
      app,
      configVars: {},
      formation: new Map(),
      images: {},
      addons: new Map(),
      domains: new Map(),
      logDrains: new Map(),
      releases: [],
    };
    this.apps.set(id, emulated);
    this.addRelease(emulated, { description: "Initial release", pollsLeft: 0, finalStatus: "succeeded", output: "", images: {} });
    return emulated;
  }

  /** Appends a release (version = last + 1). `baseUrl` is needed for an output stream URL. */
  addRelease(
    app: EmulatedApp,
    fields: Omit<EmulatedRelease, "release"> & { description: string; baseUrl?: string },
  ): EmulatedRelease {
    const version = (app.releases.at(-1)?.release.version ?? 0) + 1;
    const id = randomUUID();
    const release: Release = {
      id,
      version,
      description: fields.description,
      status: fields.pollsLeft > 0 ? "pending" : fields.finalStatus,
      current: false,
      created_at: now(),
      updated_at: now(),
      app: { id: app.app.id, name: app.app.name },
      addon_plan_names: [...app.addons.values()].map((a) => a.addon.plan.name ?? ""),
      output_stream_url: fields.baseUrl ? `${fields.baseUrl}/release-streams/${id}` : null,
      slug: null,
      user: { id: randomUUID(), email: "owner@example.com" },
    };
    const emulated: EmulatedRelease = { release, pollsLeft: fields.pollsLeft, finalStatus: fields.finalStatus, output: fields.output, images: fields.images };
    app.releases.push(emulated);
    if (fields.pollsLeft === 0) this.finishRelease(app, emulated);
    return emulated;
  }

  /** Moves a release to its final status; a success makes it current and applies its images. */
  finishRelease(app: EmulatedApp, emulated: EmulatedRelease): void {
    emulated.pollsLeft = 0;
    emulated.release.status = emulated.finalStatus;
    emulated.release.updated_at = now();
    if (emulated.finalStatus !== "succeeded") return;
    for (const r of app.releases) r.release.current = false;
    emulated.release.current = true;
    for (const [type, digest] of Object.entries(emulated.images)) {
      app.images[type] = digest;
      if (type === "release" || app.formation.has(type)) continue;
      app.formation.set(type, {
        id: randomUUID(),
        type,
        quantity: type === "web" ? 1 : 0,
        size: "Basic",
        command: "",
        app: { id: app.app.id, name: app.app.name },
        created_at: now(),
        updated_at: now(),
      });
    }
  }

  /**
   * Creates an add-on in `provisioning` (or `provisioned` when `pollsLeft` is 0). Its config var reaches the app
   * `configVarPolls` config-var reads after it is provisioned (0: at once).
   */
  createAddon(app: EmulatedApp, plan: string, attachmentName: string, pollsLeft: number, configVarPolls = 0): EmulatedAddon {
    const [service = "", planName = ""] = plan.split(":");
    const id = randomUUID();
    const name = `${service.replace(/^heroku-/, "")}-${hex(3)}-${Math.floor(Math.random() * 90000) + 10000}`;
    const configVar = `${attachmentName}_URL`;
    const url =
      service === "heroku-redis"
        ? `rediss://:p${hex(12)}@ec2-emulated.compute-1.amazonaws.com:6380`
        : `postgres://u${hex(4)}:p${hex(12)}@ec2-emulated.compute-1.amazonaws.com:5432/d${hex(4)}`;
    const addon: AddOn = {
      id,
      name,
      // The API answers a list here; the schema snapshot types it as an object.
      actions: [] as unknown as AddOn["actions"],
      addon_service: { id: randomUUID(), name: service },
      app: { id: app.app.id, name: app.app.name },
      billed_price: { cents: 500, contract: false, unit: "month" },
      billing_entity: { id: app.app.id, name: app.app.name, type: "app" },
      config_vars: [configVar],
      created_at: now(),
      updated_at: now(),
      plan: { id: randomUUID(), name: `${service}:${planName}` },
      provider_id: hex(8),
      state: pollsLeft > 0 ? "provisioning" : "provisioned",
      web_url: null,
    };
    const attachment = attachmentRecord({ id, name }, app, app, attachmentName);
    const emulated: EmulatedAddon = { addon, attachment, pollsLeft, url, configVarPollsLeft: configVarPolls };
    app.addons.set(id, emulated);
    if (pollsLeft === 0) this.provision(app, emulated);
    return emulated;
  }

  /**
   * Finishes provisioning: state `provisioned`, and the config var set in the owner and every attached app,
   * unless it is to come later ({@link configVarRead}).
   */
  provision(app: EmulatedApp, emulated: EmulatedAddon): void {
    emulated.pollsLeft = 0;
    emulated.addon.state = "provisioned";
    if (emulated.configVarPollsLeft <= 0) this.publishUrl(app, emulated);
  }

  /** One read of the app's config vars: provisioned add-ons whose config var was late get nearer to setting it. */
  configVarRead(app: EmulatedApp): void {
    for (const emulated of app.addons.values()) {
      if (emulated.addon.state !== "provisioned" || emulated.configVarPollsLeft <= 0) continue;
      if (--emulated.configVarPollsLeft <= 0) this.publishUrl(app, emulated);
    }
  }

  /** The add-on with this id or global name, and its owner app. */
  findAddon(idOrName: string): { app: EmulatedApp; addon: EmulatedAddon } | undefined {
    for (const app of this.apps.values()) {
      for (const addon of app.addons.values()) {
        if (addon.addon.id === idOrName || addon.addon.name === idOrName) return { app, addon };
      }
    }
    return undefined;
  }

  /** The attachments of other apps to this add-on. */
  attachmentsOf(addonId: string): EmulatedAttachment[] {
    return [...this.attachments.values()].filter((a) => a.addonId === addonId);
  }

  /** Attaches an add-on to another app: `<name>_URL` appears there (once provisioned), with a release. */
  attach(owner: EmulatedApp, emulated: EmulatedAddon, app: EmulatedApp, name: string): EmulatedAttachment {
    const attachment = attachmentRecord({ id: emulated.addon.id, name: emulated.addon.name }, owner, app, name);
    const attached: EmulatedAttachment = { attachment, ownerAppId: owner.app.id as string, addonId: emulated.addon.id, appId: app.app.id as string };
    this.attachments.set(attachment.id as string, attached);
    if (emulated.addon.state === "provisioned") app.configVars[`${name}_URL`] = emulated.url;
    this.addRelease(app, { description: `Attach ${name} (@ref:${emulated.addon.name})`, pollsLeft: 0, finalStatus: "succeeded", output: "", images: {} });
    return attached;
  }

  /** Detaches: `<name>_URL` leaves the app, with a release; the add-on stays. */
  detach(attached: EmulatedAttachment): void {
    this.attachments.delete(attached.attachment.id as string);
    const app = this.apps.get(attached.appId);
    if (!app) return;
    delete app.configVars[`${attached.attachment.name}_URL`];
    this.addRelease(app, { description: `Detach ${attached.attachment.name}`, pollsLeft: 0, finalStatus: "succeeded", output: "", images: {} });
  }

  /**
   * New credentials for the add-on, as `heroku pg:credentials:rotate` or maintenance makes: the new URL is set
   * in the owner app and in every app it is attached to (never in apps that merely copied the old one).
   */
  rotateAddonCredentials(addonId: string): string {
    const found = this.findAddon(addonId);
    if (!found) throw new Error(`emulator: no add-on ${addonId}`);
    found.addon.url = found.addon.url.replace(/:p[0-9a-f]+@/, `:p${hex(12)}@`);
    this.publishUrl(found.app, found.addon);
    return found.addon.url;
  }

  /** Sets the add-on's URL in its owner app's config vars and in every attached app's. */
  private publishUrl(owner: EmulatedApp, emulated: EmulatedAddon): void {
    for (const v of emulated.addon.config_vars) owner.configVars[v] = emulated.url;
    for (const attached of this.attachmentsOf(emulated.addon.id)) {
      const app = this.apps.get(attached.appId);
      if (app) app.configVars[`${attached.attachment.name}_URL`] = emulated.url;
    }
  }

  /** True when another add-on of the app is still provisioning. */
  isProvisioning(app: EmulatedApp): boolean {
    return [...app.addons.values()].some((a) => a.addon.state === "provisioning");
  }

  /** Adds a custom domain. */
  createDomain(app: EmulatedApp, hostname: string): Domain {
    const domain: Domain = {
      id: randomUUID(),
      hostname,
      kind: "custom",
      cname: `${hostname.replace(/[^a-z0-9]+/g, "-")}-${hex(5)}.herokudns.com`,
      status: "pending",
      acm_status: app.app.acm ? "pending" : null,
      acm_status_reason: null,
      sni_endpoint: null,
      app: { id: app.app.id, name: app.app.name },
      created_at: now(),
      updated_at: now(),
    };
    app.domains.set(domain.id as string, domain);
    return domain;
  }

  /** Adds a log drain. */
  createLogDrain(app: EmulatedApp, url: string): LogDrain {
    const drain: LogDrain = {
      id: randomUUID(),
      url,
      token: `d.${randomUUID()}`,
      // The API answers null for a drain not created by an add-on; the schema snapshot's type forbids it.
      addon: null as unknown as LogDrain["addon"],
      app: { id: app.app.id, name: app.app.name },
      created_at: now(),
      updated_at: now(),
    };
    app.logDrains.set(drain.id as string, drain);
    return drain;
  }
}
