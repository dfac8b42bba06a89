// loadStackConfig: the `multicloud:` namespace read into a StackConfig, every problem with its key path and the
// words a person needs. The fake backends (test/core/fakeBackends.ts) stand in for the registry.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadStackConfig } from "../../stacks/load";
import { assertPaths, assertProblem, stackConfig } from "./check";
import { FAKE_BACKENDS } from "./fakeBackends";

const load = (values: Record<string, unknown>) => loadStackConfig(stackConfig(values), FAKE_BACKENDS);

void describe("loadStackConfig", () => {
  void it("reads an empty namespace as a development stack with no default backend", () => {
    const { config, problems } = load({});
    assert.deepEqual(problems, []);
    assert.equal(config.tier, "development");
    assert.equal(config.backend, undefined);
    assert.deepEqual([config.services, config.cronJobs, config.databases, config.caches], [{}, {}, {}, {}]);
    assert.equal(config.secretNames.size, 0);
  });

  void it("reads every structured key and ignores other namespaces", () => {
    const { config, problems } = load({
      "aws:region": "eu-west-1",
      "heroku:team": "acme",
      tier: "production",
      backend: "cloud",
      cloud: { region: "eu-west-1" },
      services: { web: { backend: "paas", size: "small", instances: 2, domains: ["api.example.com"], paas: { dynoType: "standard-1x" } } },
      cronJobs: { nightly: { timeoutSeconds: 600 } },
      databases: { db: { size: "micro", storageGiB: 50, movedFrom: "paas", cloud: { multiAz: true } } },
      caches: { cache: { backend: "paas", size: "micro" } },
    });
    assert.deepEqual(problems, []);
    assert.equal(config.tier, "production");
    assert.equal(config.backend, "cloud");
    assert.deepEqual(config.backendSettings, { cloud: { region: "eu-west-1" } });
    assert.deepEqual(config.services.web, { backend: "paas", size: "small", instances: 2, domains: ["api.example.com"], paas: { dynoType: "standard-1x" } });
    assert.deepEqual(config.cronJobs.nightly, { timeoutSeconds: 600 });
    assert.deepEqual(config.databases.db, { size: "micro", storageGiB: 50, movedFrom: "paas", cloud: { multiAz: true } });
    assert.deepEqual(config.caches.cache, { backend: "paas", size: "micro" });
  });

  void it("counts UPPER_CASE keys as secrets by name, whatever their value", () => {
    const { config, problems } = load({ SESSION_SECRET: "[secret]", STRIPE_SECRET_KEY: "", _PRIVATE_KEY2: "x" });
    assert.deepEqual(problems, []);
    assert.deepEqual([...config.secretNames].sort(), ["SESSION_SECRET", "STRIPE_SECRET_KEY", "_PRIVATE_KEY2"]);
  });

  void it("rejects an unknown default backend, listing the backends and guessing the misspelt one", () => {
    const { config, problems } = load({ backend: "clod" });
    assertPaths(problems, "multicloud:backend");
    assertProblem(problems, "multicloud:backend", `"clod" is not allowed`, "allowed: cloud, paas, docs, bare, external", `did you mean "cloud"?`);
    assert.equal(config.backend, undefined);
    // Remembered, so that resolution does not pile "no backend chosen" on every part.
    assert.ok(config.invalidKeys.has("backend"));
  });

  void it("rejects an unknown per-part backend at the part's key path", () => {
    const { problems } = load({ services: { web: { backend: "pass" } } });
    assertPaths(problems, "multicloud:services.web.backend");
    assertProblem(problems, "multicloud:services.web.backend", `"pass" is not allowed`, "allowed: cloud, paas", `did you mean "paas"?`);
  });

  void it("rejects an unknown tier, naming both tiers", () => {
    const { config, problems } = load({ tier: "prod" });
    assertProblem(problems, "multicloud:tier", `"prod" is not allowed`, "allowed: production, development");
    assert.equal(config.tier, "development");
  });

  void it("rejects an unknown top-level key, listing the allowed keys and guessing", () => {
    const { problems } = load({ backends: "cloud" });
    assertPaths(problems, "multicloud:backends");
    assertProblem(problems, "multicloud:backends", `unknown key "backends"`, `did you mean "backend"?`,
      "allowed: tier, backend, env, services, cronJobs, databases, caches, cloud, paas, docs, bare, external", "UPPER_CASE secret name");
  });

  void it("explains a nested setting set as one flat key (config set without --path)", () => {
    const { problems } = load({ "services.web.size": "micro" });
    assertProblem(problems, "multicloud:services.web.size", "one flat key", "pulumi config set --path 'multicloud:services.web.size' <value>");
  });

  void it("treats a mixed-case name as an unknown key, not as a secret", () => {
    const { config, problems } = load({ sessionSecret: "x" });
    assertProblem(problems, "multicloud:sessionSecret", `unknown key "sessionSecret"`, "UPPER_CASE secret name");
    assert.equal(config.secretNames.size, 0);
  });

  void it("rejects a misspelt key of a part, listing the keys it allows and guessing", () => {
    const { config, problems } = load({ services: { web: { szie: "micro" }, api: { size: "small" } } });
    assertPaths(problems, "multicloud:services.web");
    assertProblem(problems, "multicloud:services.web", `unknown key "szie" (did you mean "size"?)`,
      "allowed: backend, size, instances, domains, public, env, cloud, paas, docs, bare, external");
    // Entry by entry: the rejected entry is left out and remembered, the others are kept.
    assert.deepEqual(config.services, { api: { size: "small" } });
    assert.ok(config.invalidKeys.has("services.web"));
    assert.ok(!config.invalidKeys.has("services.api"));
  });

  void it("reads a part listed with no settings as one with none", () => {
    const { config, problems } = load({ services: { web: null } });
    assert.deepEqual(problems, []);
    assert.deepEqual(config.services, { web: {} });
  });

  void it("allows movedFrom on databases and caches only", () => {
    const { problems } = load({ services: { web: { movedFrom: "paas" } }, caches: { cache: { movedFrom: "paas" } } });
    assertPaths(problems, "multicloud:services.web");
    assertProblem(problems, "multicloud:services.web", `unknown key "movedFrom"`);
  });

  void it("rejects a structured key given as a string, saying what was given", () => {
    const { problems } = load({ services: "web", databases: "{not json" });
    assertPaths(problems, "multicloud:services", "multicloud:databases");
    assertProblem(problems, "multicloud:services", "must be a map (structured config)", `given the string "web"`);
    assertProblem(problems, "multicloud:databases", "must be a map", `"{not json"`);
  });

  void it("rejects a part map given as a list or a number", () => {
    const { problems } = load({ services: ["web"], caches: "3" });
    assertPaths(problems, "multicloud:services", "multicloud:caches");
    assertProblem(problems, "multicloud:services", "must be a map from services names to their settings", `given ["web"]`);
    assertProblem(problems, "multicloud:caches", "must be a map from caches names", "given 3");
  });

  void it("rejects a size that is not portable, listing the portable sizes", () => {
    const { problems } = load({ services: { web: { size: "tiny" } } });
    assertProblem(problems, "multicloud:services.web.size", `"tiny" is not allowed`, "allowed: nano, micro, small, medium, large, xlarge");
  });

  void it("rejects malformed instances, domains, timeouts and storage, each at its path with the value given", () => {
    const { problems } = load({
      services: { web: { instances: { min: 1 }, domains: ["API.Example.com"] } },
      cronJobs: { nightly: { timeoutSeconds: 0 } },
      databases: { db: { storageGiB: 2.5 } },
    });
    assertPaths(problems, "multicloud:services.web.instances", "multicloud:services.web.domains[0]",
      "multicloud:cronJobs.nightly.timeoutSeconds", "multicloud:databases.db.storageGiB");
    assertProblem(problems, "multicloud:services.web.instances", "whole number of instances", "{ min, max, cpuTarget? }");
    assertProblem(problems, "multicloud:services.web.domains[0]", `"API.Example.com" is not a hostname`);
    assertProblem(problems, "multicloud:cronJobs.nightly.timeoutSeconds", "(given 0)");
    assertProblem(problems, "multicloud:databases.db.storageGiB", "(given 2.5)");
  });

  void it("validates a part's settings for a backend with that backend's schema, at the full key path", () => {
    const { problems } = load({
      services: { web: { cloud: { cpuArchitecture: "arm" }, paas: { dynoSize: "eco" } } },
    });
    assertPaths(problems, "multicloud:services.web.cloud.cpuArchitecture", "multicloud:services.web.paas");
    assertProblem(problems, "multicloud:services.web.cloud.cpuArchitecture", `"arm" is not allowed`, "allowed: x86_64, arm64", `did you mean "arm64"?`);
    assertProblem(problems, "multicloud:services.web.paas", `unknown key "dynoSize"`, "allowed: dynoType");
  });

  void it("validates a backend's stack-wide settings with its schema", () => {
    const { config, problems } = load({ cloud: { region: "Europe" }, paas: { region: "eu" } });
    assertPaths(problems, "multicloud:cloud.region", "multicloud:paas");
    assertProblem(problems, "multicloud:cloud.region", "must be a region like eu-west-1", `(given "Europe")`);
    assertProblem(problems, "multicloud:paas", `unknown key "region"`);
    assert.deepEqual(config.backendSettings, {});
  });

  void it("refuses a key under a misspelt namespace, which would be ignored", () => {
    const { problems } = loadStackConfig(
      stackConfig({ "multicoud:services": { web: { size: "small" } }, "aws:region": "eu-west-1", "shop:debug": "true" }),
      FAKE_BACKENDS,
      { project: "shop" },
    );
    assertPaths(problems, "multicoud:services");
    assertProblem(problems, "multicoud:services", `unknown namespace "multicoud"`, `did you mean "multicloud"?`, "rename it to multicloud:services");
  });

  void it("refuses a setting written upper-case, which would be read as a secret's name", () => {
    const { config, problems } = load({ TIER: "production", CRON_JOBS: { nightly: {} } });
    assertPaths(problems, "multicloud:TIER", "multicloud:CRON_JOBS");
    assertProblem(problems, "multicloud:TIER", "case-sensitive", "write multicloud:tier");
    assertProblem(problems, "multicloud:CRON_JOBS", "write multicloud:cronJobs");
    assert.equal(config.secretNames.size, 0);
  });

  void it("refuses a secret stored in plain text, with the command that encrypts it, never printing the value", () => {
    const secret = "sk_live_51HxPastedIntoTheStackFile";
    const { config, problems } = loadStackConfig(
      stackConfig({ STRIPE_KEY: secret, SESSION_SECRET: "[secret]" }),
      FAKE_BACKENDS,
      { stack: "staging", isSecret: (key) => key === "multicloud:SESSION_SECRET" },
    );
    assertPaths(problems, "multicloud:STRIPE_KEY");
    const message = assertProblem(problems, "multicloud:STRIPE_KEY", "plain text in Pulumi.staging.yaml", "`pulumi config set --secret STRIPE_KEY <value> -s staging`");
    assert.ok(!message.includes(secret), message);
    // Still counted as set: the one problem is how it is stored.
    assert.ok(config.secretNames.has("STRIPE_KEY"));
  });

  void it("never echoes a value given where a secret's name belongs", () => {
    const pasted = "rediss://:hunter2@cache.example.com:6380";
    const { problems } = load({ caches: { cache: { backend: "external", external: { urlSecret: pasted } } } });
    const message = assertProblem(problems, "multicloud:caches.cache.external.urlSecret", "UPPER_CASE secret name");
    assert.ok(!message.includes("hunter2"), message);
  });

  void it("reports every problem at once", () => {
    const { problems } = load({ tier: "staging", backend: "aws", services: { web: { szie: "nano" } }, regoin: "x" });
    assertPaths(problems, "multicloud:tier", "multicloud:backend", "multicloud:services.web", "multicloud:regoin");
  });
});
