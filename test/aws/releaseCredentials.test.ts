/**
 * `ReleaseTask` signs with what the stack's `aws:` config says, through Pulumi's real dynamic-provider host: the
 * engine hands the host the whole stack config (secrets decrypted) in Configure, and the emulator records which
 * access key signed each ECS and STS request. The environment of every host holds OTHER keys, which must lose.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { EMULATOR_ACCOUNT, emulatedAwsEnv, exitsWith, startEcsEmulator } from "../emulators/ecs";
import type { EcsEmulator } from "../emulators/ecs";
import { captureDynamicResources } from "../support/captureProvider";
import type { CapturedDynamicResource } from "../support/captureProvider";
import { HostResourceError, startDynamicHost } from "../support/dynamicHost";
import type { DynamicHost } from "../support/dynamicHost";

const CLUSTER = `arn:aws:ecs:eu-west-1:${EMULATOR_ACCOUNT}:cluster/shop`;
const OTHER_ACCOUNT = "999999999999";
const ENV_KEY = "AKIAENVIRONMENTKEY01";
const CONFIG_KEY = "AKIASTACKCONFIGKEY01";
const CONFIG_SECRET = "stack-config-secret-never-serialized-91b3";
const CONFIG_TOKEN = "stack-config-token-never-serialized-0c4e";

void describe("ReleaseTask with the stack's aws: config", () => {
  const savedEnv = { ...process.env };
  let release: CapturedDynamicResource;
  let ecs: EcsEmulator;
  const hosts: DynamicHost[] = [];

  void before(async () => {
    // The same keys in the PROGRAM's config while it is declared: none may reach the provider text.
    pulumi.runtime.setConfig("aws:accessKey", CONFIG_KEY);
    pulumi.runtime.setConfig("aws:secretKey", CONFIG_SECRET);
    pulumi.runtime.setConfig("aws:token", CONFIG_TOKEN);
    const { ReleaseTask } = await import("../../providers/aws/release");
    [release] = (await captureDynamicResources(() => {
      new ReleaseTask("shop-web-release", {
        region: "eu-west-1",
        cluster: CLUSTER,
        taskDefinition: `arn:aws:ecs:eu-west-1:${EMULATOR_ACCOUNT}:task-definition/shop-web:7`,
        container: "web",
        command: ["node", "migrate.js"],
        subnets: ["subnet-a"],
        securityGroups: ["sg-app"],
        assignPublicIp: true,
        pollIntervalSeconds: 0.01,
        timeoutSeconds: 30,
      });
    })) as [CapturedDynamicResource];
    ecs = await startEcsEmulator({ phases: exitsWith(0) });
  });

  void after(async () => {
    await Promise.all(hosts.map((h) => h.close()));
    await ecs?.close();
    process.env = { ...savedEnv };
  });

  /** A host whose environment holds ENV_KEY and whose engine sent `config`. */
  async function hostWith(config: Record<string, string>): Promise<DynamicHost> {
    const host = await startDynamicHost({
      resourceType: release.type,
      resourceName: release.name,
      config,
      env: {
        AWS_ACCESS_KEY_ID: ENV_KEY,
        AWS_SECRET_ACCESS_KEY: "environment-secret",
        AWS_SESSION_TOKEN: undefined,
        ...emulatedAwsEnv(ecs.url),
      },
    });
    hosts.push(host);
    return host;
  }

  /** The access keys that signed the requests made since `from`, per operation. */
  function signers(from: number): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const r of ecs.requests.slice(from)) (out[r.operation] ??= []).push(r.accessKeyId ?? "(unsigned)");
    return out;
  }

  void it("keeps the config's keys out of the serialized provider", () => {
    const text = release.inputs["__provider"];
    assert.equal(typeof text, "string");
    for (const secret of [CONFIG_SECRET, CONFIG_TOKEN, CONFIG_KEY]) assert.ok(!(text as string).includes(secret), "a config key leaked into the provider text");
  });

  void it("signs every call with aws:accessKey/aws:secretKey/aws:token, not the environment's keys", async () => {
    ecs.setScenario({ phases: exitsWith(0) });
    const host = await hostWith({ "aws:accessKey": CONFIG_KEY, "aws:secretKey": CONFIG_SECRET, "aws:token": CONFIG_TOKEN, "aws:region": "eu-west-1" });
    const from = ecs.requests.length;
    const created = await host.create(release.inputs);
    assert.equal(created.outs["exitCode"], 0);
    const used = signers(from);
    assert.deepEqual(Object.keys(used).sort(), ["DescribeTasks", "GetCallerIdentity", "RunTask"]);
    for (const [operation, keys] of Object.entries(used)) assert.ok(keys.every((k) => k === CONFIG_KEY), `${operation} signed with ${keys.join(", ")}`);
  });

  void it("assumes aws:assumeRoles in order, each with the credentials of the step before, and runs as the last role", async () => {
    // The base keys belong to another account: only the chain's last role is in the cluster's account.
    ecs.setScenario({ phases: exitsWith(0), callerAccount: OTHER_ACCOUNT });
    const roles = [
      { roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/hub`, sessionName: "release-hub", externalId: "hub-external-id" },
      { roleArn: `arn:aws:iam::${EMULATOR_ACCOUNT}:role/deployer`, sessionName: "release-deployer", duration: "15m" },
    ];
    const host = await hostWith({ "aws:accessKey": CONFIG_KEY, "aws:secretKey": CONFIG_SECRET, "aws:assumeRoles": JSON.stringify(roles) });
    const from = ecs.requests.length;
    await host.create(release.inputs);

    const assumes = ecs.requests.slice(from).filter((r) => r.operation === "AssumeRole");
    assert.deepEqual(assumes.map((r) => r.body.RoleArn), roles.map((r) => r.roleArn));
    assert.equal(assumes[0]?.accessKeyId, CONFIG_KEY);
    assert.equal(assumes[0]?.body.ExternalId, "hub-external-id");
    assert.equal(assumes[0]?.body.RoleSessionName, "release-hub");
    assert.equal(assumes[1]?.body.DurationSeconds, "900");
    assert.match(String(assumes[1]?.accessKeyId), /^ASIA/, "the second role is assumed with the first role's keys");
    assert.notEqual(assumes[1]?.accessKeyId, CONFIG_KEY);
    const used = signers(from);
    const runKey = used["RunTask"]?.[0] ?? "";
    assert.match(runKey, /^ASIA/);
    assert.notEqual(runKey, assumes[1]?.accessKeyId, "ECS is called with the LAST role's keys");
    assert.ok(used["GetCallerIdentity"]?.every((k) => k === runKey));
  });

  void it("fails before RunTask, naming both accounts, when the credentials are another account's", async () => {
    ecs.setScenario({ phases: exitsWith(0), callerAccount: OTHER_ACCOUNT });
    const host = await hostWith({ "aws:accessKey": CONFIG_KEY, "aws:secretKey": CONFIG_SECRET });
    const from = ecs.requests.length;
    const error = await host.create(release.inputs).then(
      () => assert.fail("a release in another account than the cluster's must fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof HostResourceError, String(error));
    assert.ok(error.message.includes(`account ${OTHER_ACCOUNT}`), error.message);
    assert.ok(error.message.includes(`is in account ${EMULATOR_ACCOUNT}`), error.message);
    assert.ok(error.message.includes(CLUSTER), error.message);
    assert.match(error.message, /aws:accessKey/);
    assert.ok(!error.message.includes(CONFIG_SECRET));
    assert.deepEqual(Object.keys(signers(from)), ["GetCallerIdentity"], "nothing ran");
  });

  void it("refuses a malformed aws:assumeRoles before any call, naming the key", async () => {
    const host = await hostWith({ "aws:assumeRoles": JSON.stringify({ roleArn: "arn:aws:iam::123456789012:role/x" }) });
    const from = ecs.requests.length;
    await assert.rejects(host.create(release.inputs), /aws:assumeRoles must be a list of roles/);
    assert.equal(ecs.requests.length, from);
  });
});
