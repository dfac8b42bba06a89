/** Heroku images under the mock runtime: what `pushImage` hands to a release, and what it refuses to hand over. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { pushImage, type PushedImage } from "../../providers/heroku/image";
import { recordResources, settleOutput } from "../support/mocks";

const IMAGE = "docker:index/image:Image";

/** Pushes the sample build (or `source`) under mocks, with the docker.Image reporting `repoDigest` when given. */
async function push(repoDigest?: string): Promise<{ repoDigest: { value: string } | { error: unknown }; digest: { value: string } | { error: unknown } }> {
  let settled: [ReturnType<typeof settleOutput<string>>, ReturnType<typeof settleOutput<string>>] | undefined;
  await recordResources(
    () => {
      const pushed: PushedImage = pushImage(
        "web-web-image",
        {
          appName: "shop-staging-web",
          processType: "web",
          source: { kind: "build", context: "/project/app", dockerfile: "/project/app/Dockerfile", args: {} },
          apiKey: pulumi.secret("heroku-api-key"),
          projectDir: "/project",
        },
        {},
      );
      settled = [settleOutput(pushed.repoDigest), settleOutput(pushed.digest)];
    },
    { state: ({ type }) => (type === IMAGE && repoDigest !== undefined ? { repoDigest } : undefined) },
  );
  const [repo, digest] = await Promise.all(settled!);
  return { repoDigest: repo, digest };
}

describe("Heroku images", () => {
  it("hand a release the sha256 digest of the pushed image", async () => {
    const pushed = await push();
    assert.ok("value" in pushed.repoDigest && "value" in pushed.digest);
    assert.match(pushed.repoDigest.value, /^registry\.heroku\.com\/shop-staging-web\/web@sha256:[0-9a-f]{64}$/);
    assert.equal(pushed.digest.value, pushed.repoDigest.value.split("@")[1]);
  });

  it("never hand a release, nor a derived image's FROM, a repoDigest of <none>@<none>", async () => {
    const pushed = await push("<none>@<none>");
    for (const [what, outcome] of Object.entries(pushed)) {
      assert.ok("error" in outcome && outcome.error instanceof Error, `${what} fails`);
      assert.match(outcome.error.message, /^web-web-image: the image was built and pushed, but Docker reported no digest/);
      assert.match(outcome.error.message, /"<none>@<none>"/);
    }
  });
});
