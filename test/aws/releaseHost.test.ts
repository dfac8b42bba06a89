/**
 * `ReleaseTask` through Pulumi's real dynamic-provider host: the program is captured under mocks, its
 * serialized provider is replayed in the SDK's host process (as `pulumi up` would run it), and the host
 * talks to the ECS emulator through `AWS_ENDPOINT_URL_ECS`.
 */
import assert from "node:assert/strict";
import { isBuiltin } from "node:module";
import { after, before, describe, it } from "node:test";
import { emulatedAwsEnv, exitsWith, startEcsEmulator } from "../emulators/ecs";
import type { EcsEmulator } from "../emulators/ecs";
import { captureDynamicResources } from "../support/captureProvider";
import type { CapturedDynamicResource } from "../support/captureProvider";
import { HostResourceError, startDynamicHost, unknownValue } from "../support/dynamicHost";
import type { DynamicHost } from "../support/dynamicHost";

const CLUSTER = "arn:aws:ecs:eu-west-1:123456789012:cluster/shop";
const REVISION_7 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web:7";
const REVISION_8 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web:8";

// Fake credentials in THIS process while the program is declared: none may end up in the provider text.
const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIAFAKEKEYNOTINSTATE",
  AWS_SECRET_ACCESS_KEY: "fake/secret+never-serialized-4c1e9a",
  AWS_SESSION_TOKEN: "fake-session-token-never-serialized-77d2",
};

void describe("ReleaseTask through the dynamic-provider host", () => {
  const savedEnv = { ...process.env };
  let ecs: EcsEmulator;
  let host: DynamicHost;
  let release: CapturedDynamicResource;

  void before(async () => {
    Object.assign(process.env, FAKE_CREDENTIALS);
    // Loaded only now, so a module that read the environment when loaded would hold the fake values.
    const { ReleaseTask } = await import("../../providers/aws/release");
    const captured = await captureDynamicResources(() => {
      new ReleaseTask("shop-web-release", {
        region: "eu-west-1",
        cluster: CLUSTER,
        taskDefinition: REVISION_7,
        container: "web",
        command: ["node", "migrate.js"],
        subnets: ["subnet-a"],
        securityGroups: ["sg-app"],
        assignPublicIp: true,
        logGroup: "/multicloud/shop/web",
        logStreamPrefix: "web",
        pollIntervalSeconds: 0.01,
        timeoutSeconds: 30,
      });
    });
    assert.equal(captured.length, 1);
    release = captured[0]!;
    ecs = await startEcsEmulator({ phases: exitsWith(0) });
    host = await startDynamicHost({
      resourceType: release.type,
      resourceName: release.name,
      env: {
        ...FAKE_CREDENTIALS,
        ...emulatedAwsEnv(ecs.url),
      },
    });
  });

  void after(async () => {
    await host?.close();
    await ecs?.close();
    process.env = { ...savedEnv };
  });

  function inputsWith(changes: Record<string, unknown>): Record<string, unknown> {
    return { ...release.inputs, ...changes };
  }

  void it("serializes a provider that holds no AWS credential and reaches the SDK by require()", () => {
    const text = release.inputs["__provider"];
    assert.equal(typeof text, "string", "a provider that captured a secret would be wrapped as a secret");
    for (const [name, value] of Object.entries(FAKE_CREDENTIALS)) {
      assert.ok(!(text as string).includes(value), `${name} leaked into the serialized provider`);
    }
    assert.equal(release.type, "pulumi-nodejs:dynamic:ReleaseTask");
  });

  void it("requires only package entry points and Node built-ins, never a file inside a package", () => {
    const text = release.inputs["__provider"] as string;
    const required = [...new Set([...text.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] as string))].sort();
    // A deep path (`@aws-sdk/client-ecs/dist-cjs/index.js`) breaks with any SDK that moves its build output or
    // adds an `exports` map; `pulumi up` must resolve the package itself.
    const entryPoint = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/;
    for (const name of required) {
      assert.ok(isBuiltin(name) || entryPoint.test(name), `the provider text requires "${name}", not a package entry point`);
    }
    for (const name of ["@aws-sdk/client-ecs", "@aws-sdk/client-sts", "@aws-sdk/credential-providers"]) {
      assert.ok(required.includes(name), `the provider text should require "${name}"; it requires ${required.join(", ")}`);
    }
    assert.ok(!required.some((name) => name.startsWith("@pulumi/")), "the provider text must not load the Pulumi SDK");
  });

  void it("check accepts the inputs, and skips values unknown at preview", async () => {
    assert.deepEqual((await host.check({}, release.inputs)).failures, []);
    assert.deepEqual((await host.check({}, inputsWith({ taskDefinition: unknownValue, command: unknownValue }))).failures, []);
    const bad = await host.check({}, inputsWith({ command: [], subnets: [] }));
    assert.deepEqual(bad.failures.map((f) => f.property).sort(), ["command", "subnets"]);
  });

  void it("create runs the release task and records it; update on a new task definition runs it again", async () => {
    ecs.setScenario({ phases: exitsWith(0) });
    const before = ecs.tasks.length;
    const created = await host.create(release.inputs);
    assert.equal(ecs.tasks.length, before + 1);
    const first = ecs.tasks.at(-1)!;
    assert.equal(first.taskDefinition, REVISION_7);
    assert.deepEqual(first.command, ["node", "migrate.js"]);
    assert.equal(created.id, first.taskArn);
    assert.equal(created.outs["taskArn"], first.taskArn);
    assert.equal(created.outs["exitCode"], 0);
    assert.equal(created.outs["taskDefinition"], REVISION_7);

    const news = inputsWith({ taskDefinition: REVISION_8 });
    const diff = await host.diff(created.id, created.outs, news, { oldInputs: release.inputs });
    assert.equal(diff.providerChanges, "some");
    assert.deepEqual(diff.replaces, [], "a new task definition re-runs the release in place, never replaces");

    const updated = await host.update(created.id, created.outs, news, { oldInputs: release.inputs });
    const second = ecs.tasks.at(-1)!;
    assert.equal(ecs.tasks.length, before + 2);
    assert.equal(second.taskDefinition, REVISION_8);
    assert.equal(updated.outs["taskArn"], second.taskArn);
    assert.notEqual(second.taskArn, first.taskArn);
  });

  void it("diff: a new command re-runs; a timeout, network or log change alone does not", async () => {
    const olds = { ...release.inputs, taskArn: "arn:aws:ecs:eu-west-1:123456789012:task/shop/abc", exitCode: 0 };
    const rerun = await host.diff("id", olds, inputsWith({ command: ["node", "migrate.js", "--step=2"] }));
    assert.equal(rerun.providerChanges, "some");
    assert.deepEqual(rerun.replaces, []);

    const quiet = await host.diff(
      "id",
      olds,
      inputsWith({ timeoutSeconds: 600, subnets: ["subnet-b"], logGroup: "/other", pollIntervalSeconds: 5 }),
    );
    assert.equal(quiet.providerChanges, "none");

    const preview = await host.diff("id", olds, inputsWith({ taskDefinition: unknownValue }));
    assert.equal(preview.providerChanges, "some", "a task definition not known yet at preview is a change");
  });

  void it("a failed release fails create with the exit code, the task ARN and the log stream", async () => {
    ecs.setScenario({ phases: exitsWith(2) });
    const error = await host.create(release.inputs).then(
      () => assert.fail("a release that exited 2 must fail create"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof HostResourceError, String(error));
    const taskArn = ecs.tasks.at(-1)!.taskArn;
    assert.match(error.message, /exited with code 2/);
    assert.ok(error.message.includes(taskArn), error.message);
    assert.ok(error.message.includes("/multicloud/shop/web"), error.message);
    assert.equal(error.id, undefined, "nothing is recorded: the next deploy runs the release again");
  });

  void it("delete succeeds without calling ECS", async () => {
    const requestsBefore = ecs.requests.length;
    const outs = { ...release.inputs, taskArn: "arn:aws:ecs:eu-west-1:123456789012:task/shop/abc", exitCode: 0 };
    await host.delete("arn:aws:ecs:eu-west-1:123456789012:task/shop/abc", outs);
    assert.equal(ecs.requests.length, requestsBefore);
  });
});
