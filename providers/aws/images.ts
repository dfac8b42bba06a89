/**
 * Container images for the stack's tasks: built with `@pulumi/docker` and pushed to one ECR repository per built
 * image, or a prebuilt reference used as is. Builds are cached per instance, so a cron job that runs a service's
 * image (same context, Dockerfile, args, target and platform) reuses that service's build and repository.
 */
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedImage, StackInfo } from "../backend";
import { dockerPlatform, type CpuArchitecture } from "./fargate";
import { repositoryName, tags } from "./names";

/**
 * ECR lifecycle: untagged images (superseded builds) go after a day; at most the newest 10 images are kept.
 * Caveat: when ECS rolls a deployment back, the version it returns to runs an image that the new build has just
 * untagged; it expires a day later, and new tasks of that version could not start. The deploy fails loudly in that
 * case (see ./service.ts) and says to redeploy within the day.
 */
export const LIFECYCLE_POLICY = {
  rules: [
    {
      rulePriority: 1,
      description: "Expire untagged images (superseded builds) after 1 day",
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
      action: { type: "expire" },
    },
    {
      rulePriority: 2,
      description: "Keep the newest 10 images",
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 },
      action: { type: "expire" },
    },
  ],
};

/** The image a task runs, and what its execution role needs to pull it. */
export interface TaskImage {
  /** What goes in the container definition: a digest for built images (each build is a new task definition revision). */
  uri: pulumi.Output<string>;
  /** The ECR repository to grant pulls on, when the image lives in ECR. */
  repositoryArn?: pulumi.Output<string>;
}

/** An ECR image URI: account, region, repository. */
const ECR_URI = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/;

export class ImageBuilder {
  private readonly builds = new Map<string, TaskImage>();

  constructor(
    private readonly stack: StackInfo,
    private readonly partition: pulumi.Output<string>,
  ) {}

  /**
   * The image of a part. Built images are named and parented after the first part that asks for them, and built
   * for `arch` (Fargate runs one architecture per task).
   */
  image(part: string, image: ResolvedImage, arch: CpuArchitecture, parent: pulumi.Resource): TaskImage {
    if (image.kind === "ref") return { uri: pulumi.output(image.ref), repositoryArn: this.ecrRepositoryArn(image.ref) };
    const platform = dockerPlatform(arch);
    const dockerfile = path.isAbsolute(image.dockerfile) ? image.dockerfile : path.join(image.context, image.dockerfile);
    const key = JSON.stringify([image.context, dockerfile, Object.entries(image.args).sort(), image.target ?? null, platform]);
    let built = this.builds.get(key);
    if (!built) {
      built = this.build(part, { ...image, dockerfile }, platform, parent);
      this.builds.set(key, built);
    }
    return built;
  }

  private build(
    part: string,
    image: Extract<ResolvedImage, { kind: "build" }>,
    platform: string,
    parent: pulumi.Resource,
  ): TaskImage {
    const opts = { parent };
    const repository = new aws.ecr.Repository(
      `${part}-repo`,
      {
        name: repositoryName(this.stack, part),
        imageScanningConfiguration: { scanOnPush: true },
        // Images are rebuilt from source on demand: removing the part must not fail on a non-empty repository.
        forceDelete: true,
        tags: tags(this.stack, part),
      },
      opts,
    );
    new aws.ecr.LifecyclePolicy(`${part}-repo-lifecycle`, { repository: repository.name, policy: JSON.stringify(LIFECYCLE_POLICY) }, opts);
    const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, opts);
    const built = new docker.Image(
      `${part}-image`,
      {
        // One moving tag; tasks run the digest, which changes with every build that changes the image.
        imageName: pulumi.interpolate`${repository.repositoryUrl}:latest`,
        build: {
          context: image.context,
          dockerfile: image.dockerfile,
          args: image.args,
          ...(image.target ? { target: image.target } : {}),
          platform,
          // BuildKit (the provider's default, explicit here): Dockerfiles may use `FROM --platform=$BUILDPLATFORM`
          // to run their build steps natively instead of under QEMU (see app/Dockerfile).
          builderVersion: "BuilderBuildKit",
        },
        registry: {
          server: repository.repositoryUrl,
          username: token.userName,
          password: pulumi.secret(token.password),
        },
      },
      opts,
    );
    return { uri: built.repoDigest, repositoryArn: repository.arn };
  }

  /** The repository ARN of an image that lives in ECR (any account: its repository policy must admit us). */
  private ecrRepositoryArn(ref: string): pulumi.Output<string> | undefined {
    const match = ECR_URI.exec(ref);
    if (!match) return undefined;
    const [, account, region, repo] = match;
    return pulumi.interpolate`arn:${this.partition}:ecr:${region}:${account}:repository/${repo}`;
  }
}
