/** Images on AWS: ECR repositories, docker builds per architecture, digests, prebuilt references, shared builds. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { awsBackend } from "../../providers/aws";
import * as pulumi from "@pulumi/pulumi";
import { ImageBuilder, LIFECYCLE_POLICY } from "../../providers/aws/images";
import type { CronJobSpec, WebServiceSpec } from "../../providers/backend";
import { cronJobSpec, isSecret, parentComponent, recordResources, reveal, settleOutput, stackInfo, webServiceSpec, type Recording } from "../support/mocks";

const T = {
  repo: "aws:ecr/repository:Repository",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  image: "docker:index/image:Image",
  task: "aws:ecs/taskDefinition:TaskDefinition",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

function deploy(services: WebServiceSpec[], cronJobs: CronJobSpec[] = []): Promise<Recording> {
  return recordResources(() => {
    const instance = awsBackend.create(stackInfo(), {});
    // The core registers services before cron jobs.
    for (const spec of services) instance.webService!(spec, { secretEnv: {} }, parentComponent("WebService", spec.name));
    for (const spec of cronJobs) instance.cronJob!(spec, { secretEnv: {} }, parentComponent("CronJob", spec.name));
  });
}

const imageOf = (rec: Recording, task: string): string => JSON.parse(rec.one(T.task, task).inputs.containerDefinitions as string)[0].image;

describe("AWS images", () => {
  it("builds for linux/arm64 into the service's own scanned ECR repository and deploys the digest", async () => {
    const rec = await deploy([
      webServiceSpec({
        name: "web",
        image: { kind: "build", context: "/project/app", dockerfile: "/project/app/Dockerfile.prod", args: { NODE_VERSION: "22" }, target: "runtime" },
      }),
    ]);
    const repo = rec.one(T.repo);
    assert.equal(repo.inputs.name, "shop/test/web");
    assert.deepEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
    const lifecycle = rec.one(T.lifecycle);
    assert.equal(lifecycle.inputs.repository, repo.outputs.name);
    const rules: { selection: unknown }[] = JSON.parse(lifecycle.inputs.policy as string).rules;
    assert.deepEqual(rules, LIFECYCLE_POLICY.rules);

    const image = rec.one(T.image);
    assert.deepEqual(image.inputs.build, {
      // Relative to the project directory (/project here): an absolute path would name the checkout.
      context: "app",
      dockerfile: "app/Dockerfile.prod",
      args: { NODE_VERSION: "22" },
      target: "runtime",
      platform: "linux/arm64",
      builderVersion: "BuilderBuildKit",
    });
    assert.equal(image.inputs.imageName, `${repo.outputs.repositoryUrl}:latest`);
    // The token makes the whole registry block secret.
    assert.ok(isSecret(image.inputs.registry), "the registry credentials are a secret");
    const registry = reveal<Record<string, unknown>>(image.inputs.registry);
    assert.equal(registry.server, repo.outputs.repositoryUrl);
    assert.equal(registry.username, "AWS");
    assert.equal(registry.password, "mock-ecr-password");
    assert.equal(rec.callsOf("aws:ecr/getAuthorizationToken:getAuthorizationToken").length, 1);

    assert.equal(imageOf(rec, "web-task"), image.outputs.repoDigest);
    assert.match(imageOf(rec, "web-task"), /@sha256:[0-9a-f]{64}$/);
  });

  it("never expires images by age: an untagged manifest may be a child of an image index still in use", () => {
    // buildx and the containerd image store push an image index (multi-platform, or with attestation manifests)
    // whose children are untagged; ECR's lifecycle rules do not follow index references, so an age rule on untagged
    // images would delete the manifests the running, tagged index points to.
    for (const rule of LIFECYCLE_POLICY.rules as { selection: Record<string, unknown>; action: { type: string } }[]) {
      assert.notEqual(rule.selection.countType, "sinceImagePushed", `rule ${JSON.stringify(rule)} expires by age`);
      assert.equal(rule.selection.tagStatus, "any", "a count over untagged images alone would count an index's children apart from it");
    }
    // Count-based: the newest builds stay whole. At up to 3 manifests a build (index, image, attestation), the count
    // keeps at least the last 10 builds (the running one and the ones a rollback returns to).
    const counts = LIFECYCLE_POLICY.rules.map((r) => (r.selection as { countNumber: number }).countNumber);
    assert.ok(Math.min(...counts) >= 30, `keeps ${Math.min(...counts)} images`);
  });

  it("builds for linux/arm64 on Spot too, and for linux/amd64 when x86_64 is asked", async () => {
    const rec = await deploy([
      webServiceSpec({ name: "spot", settings: { spot: true } }),
      webServiceSpec({ name: "x86", settings: { architecture: "x86_64" }, image: { kind: "build", context: "/project/other", dockerfile: "/project/other/Dockerfile", args: {} }, domains: ["x.example.com"] }),
    ]);
    const platforms = rec.ofType(T.image).map((i) => [i.name, (i.inputs.build as Record<string, string>).platform]);
    assert.deepEqual(platforms, [
      ["spot-image", "linux/arm64"],
      ["x86-image", "linux/amd64"],
    ]);
  });

  it("never lets a repoDigest of <none>@<none> reach a task definition: the deploy fails saying why", async () => {
    // pulumi-docker reports `<none>@<none>` when the push gave no digest and the local store has none for the
    // repository (provider/image.go `nodigest`); ECS would take it as an image name and fail every task start.
    const none = ({ type }: { type: string }) => (type === T.image ? { repoDigest: "<none>@<none>" } : undefined);
    let settled: ReturnType<typeof settleOutput<string>> | undefined;
    await recordResources(() => {
      const images = new ImageBuilder(stackInfo(), pulumi.output("aws"));
      settled = settleOutput(images.image("web", webServiceSpec({ name: "web" }).image, "ARM64", parentComponent("WebService", "web")).uri);
    }, { state: none });
    const outcome = await settled!;
    assert.ok("error" in outcome && outcome.error instanceof Error, "the image URI fails");
    assert.match(outcome.error.message, /web-image/);
    assert.match(outcome.error.message, /"<none>@<none>"/);
    assert.match(outcome.error.message, /no digest/);

    // The task definition's image is this URI (first test): its registration fails with this message, and the
    // engine never receives a task definition with `<none>@<none>`.
  });

  it("runs a prebuilt reference as is, as X86_64 unless told it has arm64", async () => {
    const rec = await deploy([
      webServiceSpec({ name: "web", image: { kind: "ref", ref: "ghcr.io/acme/api:1.4.2" } }),
      webServiceSpec({ name: "arm", image: { kind: "ref", ref: "ghcr.io/acme/api:1.4.2" }, settings: { architecture: "arm64" }, domains: ["a.example.com"] }),
    ]);
    assert.equal(rec.ofType(T.repo).length, 0);
    assert.equal(rec.ofType(T.image).length, 0);
    assert.equal(imageOf(rec, "web-task"), "ghcr.io/acme/api:1.4.2");
    const arch = (task: string) => (rec.one(T.task, task).inputs.runtimePlatform as Record<string, string>).cpuArchitecture;
    assert.equal(arch("web-task"), "X86_64");
    assert.equal(arch("arm-task"), "ARM64");
  });

  it("grants pulls on the repository of a prebuilt ECR image", async () => {
    const ref = "210987654321.dkr.ecr.eu-west-1.amazonaws.com/team/api@sha256:" + "a".repeat(64);
    const rec = await deploy([webServiceSpec({ name: "web", image: { kind: "ref", ref } })]);
    const pull = JSON.parse(rec.one(T.rolePolicy, "web-execution-policy").inputs.policy as string).Statement.find(
      (s: { Sid: string }) => s.Sid === "EcrPull",
    );
    assert.equal(pull.Resource, "arn:aws:ecr:eu-west-1:210987654321:repository/team/api");
  });

  it("lets a cron job reuse its service's build when the architecture matches", async () => {
    const web = webServiceSpec({ name: "web" });
    const rec = await deploy([web], [cronJobSpec({ name: "cleanup", image: web.image, imageOfService: "web" })]);
    assert.equal(rec.ofType(T.image).length, 1);
    assert.equal(rec.ofType(T.repo).length, 1);
    assert.equal(imageOf(rec, "cleanup-task"), imageOf(rec, "web-task"));
  });

  it("makes a cron job on Spot follow its service's build rather than build again", async () => {
    for (const [settings, arch] of [[{}, "ARM64"], [{ architecture: "x86_64" as const }, "X86_64"]] as const) {
      const web = webServiceSpec({ name: "web", settings });
      const rec = await deploy([web], [cronJobSpec({ name: "cleanup", image: web.image, imageOfService: "web", settings: { spot: true } })]);
      assert.equal(rec.ofType(T.image).length, 1);
      assert.equal((rec.one(T.task, "cleanup-task").inputs.runtimePlatform as Record<string, string>).cpuArchitecture, arch);
    }
  });

  it("builds again, into the job's own repository, when the job asks for another architecture", async () => {
    const web = webServiceSpec({ name: "web", settings: { architecture: "x86_64" } });
    const rec = await deploy([web], [cronJobSpec({ name: "cleanup", image: web.image, imageOfService: "web", settings: { architecture: "arm64" } })]);
    assert.deepEqual(rec.ofType(T.image).map((i) => [i.name, (i.inputs.build as Record<string, string>).platform]), [
      ["web-image", "linux/amd64"],
      ["cleanup-image", "linux/arm64"],
    ]);
    assert.deepEqual(rec.ofType(T.repo).map((r) => r.inputs.name), ["shop/test/web", "shop/test/cleanup"]);
    assert.equal(rec.one(T.image, "cleanup-image").parent?.name, "cleanup");
  });
});
