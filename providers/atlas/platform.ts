/**
 * What the Atlas parts of one stack share: the project (created per stack in `orgId`, or an existing `projectId`)
 * and its network access list, created once, on first use, under their own component at the stack root (never under
 * the database that happened to come first: removing it must not move them).
 *
 * The project holds the clusters: `retainOnDelete` always (Atlas refuses to delete a project with clusters anyway),
 * `protect` on production. Access-list entries hold no data: removing one from config removes it from Atlas, which is
 * the point of the setting.
 */
import * as mongodbatlas from "@pulumi/mongodbatlas";
import * as pulumi from "@pulumi/pulumi";
import type { StackInfo } from "../backend";
import { warn } from "../../components/record";
import { accessEntry, describeAccess } from "./access";
import { projectName } from "./names";
import { defaultAwsRegion } from "./regions";
import type { AtlasStackSettings, CloudProvider } from "./settings";

export class AtlasPlatform {
  private project?: pulumi.Output<string>;
  readonly provider: CloudProvider;
  readonly region: string;

  constructor(
    readonly stack: StackInfo,
    readonly settings: AtlasStackSettings,
  ) {
    this.provider = settings.provider ?? "AWS";
    if (settings.region) {
      this.region = settings.region;
    } else {
      // validate.ts requires a region for GCP and Azure: only AWS reaches this default.
      const chosen = defaultAwsRegion();
      this.region = chosen.region;
      void pulumi.log.info(`atlas: clusters in ${this.provider} ${this.region}, from ${chosen.because} (set multicloud:atlas.region to choose)`);
    }
  }

  /** Whether the clusters are reached only through private endpoints (`access: {privateEndpoint: true}`). */
  get privateEndpointOnly(): boolean {
    return Boolean(this.settings.access && "privateEndpoint" in this.settings.access);
  }

  get production(): boolean {
    return this.stack.tier === "production";
  }

  /** The project's id, creating the project and the access list on first use. */
  projectId(): pulumi.Output<string> {
    if (this.project) return this.project;
    const group = new pulumi.ComponentResource("multicloud:atlas:Project", "atlas-project", {});
    if (this.settings.projectId) {
      this.project = pulumi.output(this.settings.projectId);
    } else {
      if (!this.settings.orgId) throw new Error("multicloud: the atlas backend needs multicloud:atlas.orgId or projectId (validation should have said so)");
      const project = new mongodbatlas.Project(
        "atlas-project",
        { orgId: this.settings.orgId, name: projectName(this.stack) },
        { parent: group, retainOnDelete: true, protect: this.production },
      );
      this.project = project.id;
    }
    this.createAccessList(group, this.project);
    return this.project;
  }

  private createAccessList(group: pulumi.ComponentResource, projectId: pulumi.Output<string>): void {
    const access = this.settings.access;
    if (!access) throw new Error("multicloud: the atlas backend needs multicloud:atlas.access (validation should have said so)");
    const said = `atlas: network access for stack "${this.stack.stack}": ${describeAccess(access)}`;
    // Production, and any stack open to the internet, say it as a warning: it must be read.
    if (this.production || ("allow" in access && access.allow.includes("0.0.0.0/0"))) warn(said);
    else void pulumi.log.info(said);
    if (!("allow" in access)) return;
    for (const text of access.allow) {
      const entry = accessEntry(text);
      if ("error" in entry) throw new Error(`multicloud: multicloud:atlas.access.allow: ${entry.error}`);
      new mongodbatlas.ProjectIpAccessList(
        `atlas-access-${text.replace(/[^0-9a-zA-Z]+/g, "-")}`,
        { projectId, ...entry, comment: `multicloud ${this.stack.appName}/${this.stack.stack}` },
        { parent: group },
      );
    }
  }
}
