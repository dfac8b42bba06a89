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
import { projectRelative } from "../buildPaths";
import { pushedRepoDigest } from "../pushedImage";
import { dockerPlatform, type CpuArchitecture } from "./fargate";
import { repositoryName, tags } from "./names";

/**
 * ECR lifecycle: keep the newest 30 images (manifests) of the repository, whatever their tags; nothing expires by age.
 *
 * Why no "expire untagged images after N days" rule: a push may be an OCI image index (a multi-platform build, or
 * one with provenance/SBOM attestation manifests, which `docker buildx build` adds by default and Docker's
 * containerd image store keeps) whose child manifests are untagged; only the index carries the tag. ECR lifecycle
 * rules select images by their own tags and push time and do not follow an index's references
 * (aws/containers-roadmap#1466, #1596), so an age rule on untagged images would delete the children of the index
 * the running task definition points to, and new tasks (scaling, replacement, a rollback) could not pull it.
 * `docker.Image` offers no provenance switch to force a single manifest (only buildx builders have one), and which
 * image store the machine running `pulumi up` uses is not ours to choose.
 *
 * Why count-based over every image: images are ranked newest first by push time and an index is pushed after its
 * children (ECR refuses an index whose children are missing: ReferencedImagesNotFoundException), so the newest
 * builds stay whole; at up to 3 manifests a build that is at least the last 10 builds, the running one and the
 * versions a rollback returns to included. Only the oldest kept build can lose a child at the edge of the count.
 */
export const LIFECYCLE_POLICY = {
  rules: [
    {
      rulePriority: 1,
      description: "Keep the newest 30 images; none expire by age (an image index's children are untagged)",
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
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
          // Relative to the project directory: an absolute path would name the checkout (see ../buildPaths.ts).
          context: projectRelative(this.stack.projectDir, image.context),
          dockerfile: projectRelative(this.stack.projectDir, image.dockerfile),
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
    // Checked: a placeholder digest (`<none>@<none>`) must fail the deploy here, not every task start later.
    return { uri: built.repoDigest.apply((digest) => pushedRepoDigest(`${part}-image`, digest)), repositoryArn: repository.arn };
  }

  /** The repository ARN of an image that lives in ECR (any account: its repository policy must admit us). */
  private ecrRepositoryArn(ref: string): pulumi.Output<string> | undefined {
    const match = ECR_URI.exec(ref);
    if (!match) return undefined;
    const [, account, region, repo] = match;
    return pulumi.interpolate`arn:${this.partition}:ecr:${region}:${account}:repository/${repo}`;
  }
}
