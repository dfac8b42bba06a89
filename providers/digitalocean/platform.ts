/**
 * What the DigitalOcean parts of one stack share: the registry, the one App, the project, and the firewalls that
 * must name the App. The web service handlers only *collect* their services (an App's spec is written by one
 * owner, `digitalocean.App`, and must hold every service); `finish()`, called by `deployApp` after every part,
 * creates the App and then what depends on it. Cron jobs are collected the same way and become SCHEDULED jobs of a
 * second App, `<app>-<stack>-jobs`, owned by the `ScheduledJobs` dynamic resource (@pulumi/digitalocean has no
 * scheduled kind, and each App spec has one writer). Resources shared by several parts are parented to a per-stack
 * component `<app>-digitalocean`.
 */
import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import type { DnsRecord, LinkInfo, StackInfo } from "../backend";
import { appRegion, buildAppSpec, routePath, type ServiceEntry } from "./appSpec";
import { buildJobsSpec, type CronEntry } from "./jobsSpec";
import { appName, jobsAppName } from "./names";
import { ScheduledJobs } from "./resources/scheduledJobs";
import type { DigitaloceanStackSettings } from "./settings";

export const PLATFORM_TYPE = "multicloud:digitalocean:Platform";
export const DEFAULT_REGION = "nyc3";

/** A database or cache cluster, for the firewall and the project. */
export interface DataEntry {
  name: string;
  cluster: digitalocean.DatabaseCluster;
  parent: pulumi.ComponentResource;
  options: pulumi.CustomResourceOptions;
  trustedAddresses: string[];
}

interface PendingService extends ServiceEntry {
  links: LinkInfo[];
  resolveUrl?: (url: pulumi.Output<string>) => void;
  resolveDns: (records: pulumi.Output<DnsRecord[]>) => void;
}

export class DigitaloceanPlatform {
  readonly region: string;
  readonly registryName: string;
  private component?: pulumi.ComponentResource;
  private registryInstance?: { name: pulumi.Output<string>; credentials: pulumi.Output<string> };
  private readonly services: PendingService[] = [];
  private readonly data: DataEntry[] = [];
  private readonly cronJobs: (CronEntry & { links: LinkInfo[] })[] = [];
  /** The App, once `finish()` made it. */
  app?: digitalocean.App;
  /** The jobs App, once `finish()` made it (only when the stack has DigitalOcean cron jobs). */
  jobsApp?: ScheduledJobs;

  constructor(
    readonly stack: StackInfo,
    readonly settings: DigitaloceanStackSettings,
  ) {
    this.region = settings.region ?? DEFAULT_REGION;
    this.registryName = settings.registry ?? stack.appName;
  }

  /** The per-stack component, made on first use. */
  shared(): pulumi.ComponentResource {
    this.component ??= new pulumi.ComponentResource(PLATFORM_TYPE, `${this.stack.appName}-digitalocean`, {}, {});
    return this.component;
  }

  /**
   * The registry images go to: an existing one by name (DOCR allows one per account below the Professional tier),
   * or one created when `createRegistry` names a tier; and push credentials for it.
   */
  registry(): { name: pulumi.Output<string>; credentials: pulumi.Output<string> } {
    if (!this.registryInstance) {
      const parent = this.shared();
      const name = this.settings.createRegistry
        ? new digitalocean.ContainerRegistry(`${this.stack.appName}-registry`, {
            name: this.registryName, subscriptionTierSlug: this.settings.createRegistry, region: this.region,
          }, { parent, retainOnDelete: true }).name
        // Fails the preview with DigitalOcean's "not found" when the registry does not exist: before any push.
        : digitalocean.getContainerRegistryOutput({ name: this.registryName }, { parent }).name;
      const credentials = new digitalocean.ContainerRegistryDockerCredentials(`${this.stack.appName}-registry-push`, {
        registryName: name, write: true,
      }, { parent, additionalSecretOutputs: ["dockerCredentials"] }).dockerCredentials;
      this.registryInstance = { name, credentials: pulumi.secret(credentials) };
    }
    return this.registryInstance;
  }

  /** Adds a service to the App; its URL and DNS records resolve when the App exists. */
  addService(entry: ServiceEntry, links: LinkInfo[]): { url: pulumi.Output<string>; dnsRecords: pulumi.Output<DnsRecord[]> } {
    const [dnsRecords, resolveDns] = pulumi.deferredOutput<DnsRecord[]>();
    if (!entry.spec.public) {
      this.services.push({ ...entry, links, resolveDns });
      // App Platform's service discovery: components of one App reach a service by its name on its internal port.
      return { url: pulumi.output(`http://${entry.spec.name}:${entry.spec.port}`), dnsRecords };
    }
    const [url, resolveUrl] = pulumi.deferredOutput<string>();
    this.services.push({ ...entry, links, resolveUrl, resolveDns });
    return { url, dnsRecords };
  }

  /** A service of the App, by name (services are handed to their handlers before cron jobs). */
  service(name: string): (ServiceEntry & { links: LinkInfo[] }) | undefined {
    return this.services.find((s) => s.spec.name === name);
  }

  /** Adds a cron job to the jobs App. */
  addCronJob(entry: CronEntry, links: LinkInfo[]): void {
    this.cronJobs.push({ ...entry, links });
  }

  addData(entry: DataEntry): void {
    this.data.push(entry);
  }

  /** Creates the App (when the stack has DigitalOcean services), the jobs App (when it has cron jobs), the firewalls and the project. */
  finish(): void {
    if (this.services.length) this.createApp();
    if (this.cronJobs.length) this.createJobsApp();
    this.createFirewalls();
    this.createProject();
  }

  private createApp(): void {
    const parent = this.shared();
    const spec = buildAppSpec(appName(this.stack.appName, this.stack.stack), appRegion(this.region), this.services);
    // The provider waits for the deployment and fails `pulumi up` when a step (a PRE_DEPLOY job) fails: the
    // running deployment keeps serving (terraform-provider-digitalocean WaitForAppDeployment).
    const app = new digitalocean.App(`${this.stack.appName}-app`, { spec }, { parent });
    this.app = app;
    const publicCount = this.services.filter((s) => s.spec.public).length;
    const host = app.defaultIngress.apply((u) => u.replace(/^https?:\/\//, "").replace(/\/$/, ""));
    for (const s of this.services) {
      const path = s.spec.public ? routePath(s, publicCount) : "/";
      s.resolveUrl?.(
        s.spec.domains.length
          ? app.id.apply(() => `https://${s.spec.domains[0]}`)
          : app.liveUrl.apply((u) => `${u.replace(/\/$/, "")}${path === "/" ? "" : path}`),
      );
      s.resolveDns(host.apply((target) => s.spec.domains.map((d) => ({
        name: d, type: "CNAME", value: target,
        purpose: `point ${d} at the App (App Platform then issues its TLS certificate); an apex domain needs ALIAS/ANAME or DigitalOcean DNS`,
      }))));
    }
  }

  /**
   * The jobs App: its spec holds only the SCHEDULED jobs; `ScheduledJobs` creates it (POST), replaces its whole spec
   * on update (PUT) and waits for each deployment, failing `pulumi up` when one fails.
   */
  private createJobsApp(): void {
    const spec = buildJobsSpec(jobsAppName(this.stack.appName, this.stack.stack), appRegion(this.region), this.cronJobs);
    this.jobsApp = new ScheduledJobs(`${this.stack.appName}-jobs`, { spec }, { parent: this.shared() });
  }

  /** Each cluster trusts only the Apps whose components link it (plus any addresses the config names). */
  private createFirewalls(): void {
    for (const d of this.data) {
      const linked = this.app !== undefined && this.services.some((s) => s.links.some((l) => l.target === d.name));
      const linkedByJobs = this.jobsApp !== undefined && this.cronJobs.some((j) => j.links.some((l) => l.target === d.name));
      const rules: digitalocean.types.input.DatabaseFirewallRule[] = [
        ...(linked ? [{ type: "app", value: this.app!.id }] : []),
        ...(linkedByJobs ? [{ type: "app", value: this.jobsApp!.id }] : []),
        // "ip_addr", not the "ipAddr" of the typings' comment: the terraform schema validates the type against
        // ip_addr, droplet, k8s, tag, app.
        ...d.trustedAddresses.map((value) => ({ type: "ip_addr", value })),
      ];
      if (!rules.length) {
        void pulumi.log.warn(`${d.name}: no DigitalOcean service links it and no trustedAddresses are set, so it has no firewall (DigitalOcean then accepts connections from anywhere, with TLS and the password)`);
        continue;
      }
      new digitalocean.DatabaseFirewall(`${d.name}-firewall`, { clusterId: d.cluster.id, rules }, { ...d.options, parent: d.parent });
    }
  }

  private createProject(): void {
    const urns: pulumi.Input<string>[] = [
      ...(this.app ? [this.app.appUrn] : []),
      // godo apps.go App.URN(): ToURN("app", id) = `do:app:<id>`.
      ...(this.jobsApp ? [pulumi.interpolate`do:app:${this.jobsApp.id}`] : []),
      ...this.data.map((d) => d.cluster.clusterUrn),
    ];
    if (!urns.length) return;
    const parent = this.shared();
    const environment = this.stack.tier === "production" ? "Production" : this.stack.stack === "staging" ? "Staging" : "Development";
    const project = new digitalocean.Project(`${this.stack.appName}-project`, {
      name: this.settings.project ?? `${this.stack.appName}-${this.stack.stack}`,
      environment,
      purpose: "Web Application",
      description: `multicloud app ${this.stack.appName}, stack ${this.stack.stack}`,
    }, { parent, retainOnDelete: true });
    // Membership only: removing it moves the resources back to the default project, never deletes them.
    new digitalocean.ProjectResources(`${this.stack.appName}-project-resources`, { project: project.id, resources: urns }, { parent });
  }
}
