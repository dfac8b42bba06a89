/** What the AWS handlers of one stack share: the lazily created platform and the image build cache. */
import type * as pulumi from "@pulumi/pulumi";
import type { StackInfo } from "../backend";
import type { CpuArchitecture } from "./fargate";
import { ImageBuilder } from "./images";
import { AwsPlatform } from "./platform";
import type { AwsStackSettings } from "./settings";

export class AwsContext {
  private platformInstance?: AwsPlatform;
  private imageBuilder?: ImageBuilder;
  /** The architecture each service runs on, so a cron job running a service's image can reuse its build. */
  readonly serviceArchitectures = new Map<string, CpuArchitecture>();
  /**
   * The release task (the migration) of each service that has a release command: a cron job running that service's
   * image moves to a new version only after it succeeded (see ./cronJob.ts).
   */
  readonly serviceReleases = new Map<string, pulumi.Resource>();

  constructor(
    readonly stack: StackInfo,
    readonly settings: AwsStackSettings,
  ) {}

  /** The shared platform, created on first use: a stack with no AWS part creates nothing. */
  platform(): AwsPlatform {
    this.platformInstance ??= new AwsPlatform(this.stack, this.settings);
    return this.platformInstance;
  }

  images(): ImageBuilder {
    this.imageBuilder ??= new ImageBuilder(this.stack, this.platform().partition);
    return this.imageBuilder;
  }
}
