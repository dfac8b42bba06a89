/** The AWS settings schemas, Fargate sizes and CIDR arithmetic: what a stack config may say, and what it means. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SIZES } from "../../components/sizes";
import { formatCidr, parseCidr, splitCidr } from "../../providers/aws/cidr";
import { chooseArchitecture, FARGATE_SIZES, resolveFargateSize } from "../../providers/aws/fargate";
import { awsCronJobSettings, awsServiceSettings, awsStackSettings, type AwsServiceSettings } from "../../providers/aws/settings";
import { SIZE_SPECS } from "../../components/sizes";

/** The error messages of a failed parse. */
function errors(result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }): string[] {
  assert.equal(result.success, false, "the settings are refused");
  return result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("AWS settings", () => {
  it("accept every documented stack setting", () => {
    const parsed = awsStackSettings.parse({
      route53ZoneId: "Z0123456789ABCDEFGHIJ",
      logRetentionDays: 14,
      containerInsights: true,
      vpcCidr: "10.42.0.0/16",
      albIdleTimeoutSeconds: 300,
    });
    assert.equal(parsed.vpcCidr, "10.42.0.0/16");
    assert.deepEqual(awsStackSettings.parse({}), {});
  });

  it("refuse a misspelt key, naming the likely one", () => {
    const [message] = errors(awsStackSettings.safeParse({ logRetentionDay: 14 }));
    assert.match(message!, /unknown key "logRetentionDay" \(did you mean "logRetentionDays"\?\)/);
    assert.match(errors(awsServiceSettings.safeParse({ spto: true }))[0]!, /did you mean "spot"/);
  });

  it("refuse values AWS would refuse", () => {
    assert.match(errors(awsStackSettings.safeParse({ logRetentionDays: 10 }))[0]!, /must be one of 1, 3, 5, 7, 14, 30/);
    assert.match(errors(awsStackSettings.safeParse({ vpcCidr: "10.0.0.1/16" }))[0]!, /host bits set: the network address of \/16 is 10\.0\.0\.0/);
    assert.match(errors(awsStackSettings.safeParse({ vpcCidr: "10.0.0.0/8" }))[0]!, /use \/16 to \/24/);
    assert.match(errors(awsStackSettings.safeParse({ route53ZoneId: "example.com" }))[0]!, /not a Route 53 hosted zone ID/);
    assert.match(errors(awsServiceSettings.safeParse({ cpu: 300 }))[0]!, /must be a Fargate CPU value/);
    assert.match(errors(awsServiceSettings.safeParse({ policyArns: ["AmazonS3ReadOnlyAccess"] }))[0]!, /not an IAM policy ARN/);
  });

  it("take Spot with either architecture, for services and cron jobs (FARGATE_SPOT runs ARM64 on platform 1.4.0)", () => {
    for (const schema of [awsServiceSettings, awsCronJobSettings]) {
      assert.equal(schema.safeParse({ spot: true, architecture: "arm64" }).success, true);
      assert.equal(schema.safeParse({ spot: true, architecture: "x86_64" }).success, true);
    }
  });

  it("keep service-only settings off cron jobs", () => {
    assert.match(errors(awsCronJobSettings.safeParse({ stickySessions: true }))[0]!, /unknown key "stickySessions"/);
    assert.equal(awsCronJobSettings.safeParse({ enforceTimeout: true }).success, true);
  });
});

describe("Fargate sizes", () => {
  it("give every portable size at least what it promises, as a pair Fargate accepts", () => {
    for (const size of SIZES) {
      const pair = FARGATE_SIZES[size];
      assert.ok(pair.cpu / 1024 >= SIZE_SPECS[size].vcpu, `${size} cpu`);
      assert.ok(pair.memory / 1024 >= SIZE_SPECS[size].memoryGiB, `${size} memory`);
      assert.deepEqual(resolveFargateSize(size, {}), pair);
    }
  });

  it("apply overrides and check them against Fargate's table", () => {
    assert.deepEqual(resolveFargateSize("nano", { memory: 2048 }), { cpu: 256, memory: 2048 });
    assert.deepEqual(resolveFargateSize("medium", { cpu: 4096 }), { cpu: 4096, memory: 8192 });
    assert.deepEqual(resolveFargateSize("xlarge", { cpu: 16384, memory: 122880 }), { cpu: 16384, memory: 122880 });
    assert.deepEqual(resolveFargateSize("large", { memory: 9216 }), { cpu: 4096, memory: 9216 });
    assert.deepEqual(resolveFargateSize("micro", { memory: 5120 }), {
      error: "memory 5120 MiB is not allowed with cpu 512 on Fargate; allowed: 1024-4096 in steps of 1024",
    });
    assert.deepEqual(resolveFargateSize("xlarge", { memory: 18000 }), {
      error: "memory 18000 MiB is not allowed with cpu 8192 on Fargate; allowed: 16384-61440 in steps of 4096",
    });
  });

  it("choose ARM64 for builds (Spot too), X86_64 for prebuilt images, or what the settings say", () => {
    const build = { kind: "build", context: "/c", dockerfile: "/c/Dockerfile", args: {} } as const;
    const ref = { kind: "ref", ref: "nginx" } as const;
    assert.equal(chooseArchitecture({}, build), "ARM64");
    // Settings with `spot` do not choose the architecture any more.
    const onSpot: AwsServiceSettings = { spot: true };
    assert.equal(chooseArchitecture(onSpot, build), "ARM64");
    assert.equal(chooseArchitecture(onSpot, ref), "X86_64");
    assert.equal(chooseArchitecture({}, ref), "X86_64");
    assert.equal(chooseArchitecture({ architecture: "arm64" }, ref), "ARM64");
    assert.equal(chooseArchitecture({ architecture: "x86_64" }, build), "X86_64");
  });
});

describe("CIDR arithmetic", () => {
  it("splits a block into equal blocks in address order", () => {
    const cidr = parseCidr("10.0.0.0/16");
    assert.ok(!("error" in cidr));
    assert.deepEqual(splitCidr(cidr, 2).map(formatCidr), ["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18", "10.0.192.0/18"]);
    const high = parseCidr("192.168.255.0/24");
    assert.ok(!("error" in high));
    assert.deepEqual(splitCidr(high, 2).map(formatCidr), ["192.168.255.0/26", "192.168.255.64/26", "192.168.255.128/26", "192.168.255.192/26"]);
  });

  it("refuses what is not a network address", () => {
    assert.ok("error" in parseCidr("10.0.0.0"));
    assert.ok("error" in parseCidr("300.0.0.0/16"));
    assert.ok("error" in parseCidr("10.0.0.0/33"));
    assert.ok("error" in parseCidr("10.0.1.0/16"));
  });
});
