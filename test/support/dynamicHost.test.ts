/**
 * Self-test of the dynamic-provider harness: a tiny dynamic resource (fixtures/counterProvider.ts) is declared
 * under mocks, its serialized provider is replayed through the SDK's real dynamic-provider host, and every
 * protocol path the other tests rely on is checked.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { captureDynamicResources } from "./captureProvider";
import type { CapturedDynamicResource } from "./captureProvider";
import {
    HostResourceError,
    HostRpcError,
    isSecretValue,
    secretValue,
    startDynamicHost,
    unknownValue,
    unwrapSecret,
} from "./dynamicHost";
import type { DynamicHost } from "./dynamicHost";
import { COUNTER_LOG_ENV, Counter } from "./fixtures/counterProvider";

/** Methods the provider ran inside the host, in order, read from its side-effect log. */
function providerCalls(logFile: string): { method: string; id?: string }[] {
    if (!fs.existsSync(logFile)) {
        return [];
    }
    return fs
        .readFileSync(logFile, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as { method: string; id?: string });
}

void describe("dynamic-provider host harness", () => {
    let tmpDir: string;
    let logFile: string;
    let host: DynamicHost;
    let counter: CapturedDynamicResource;

    void before(async () => {
        tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "dynamic-host-"));
        logFile = path.join(tmpDir, "calls.jsonl");
        const captured = await captureDynamicResources(() => {
            new Counter("alpha", { name: "alpha", start: 3, label: pulumi.secret("hello") });
        });
        assert.equal(captured.length, 1);
        counter = captured[0]!;
        host = await startDynamicHost({ env: { [COUNTER_LOG_ENV]: logFile } });
    });

    void after(async () => {
        await host?.close();
        fs.rmSync(tmpDir, { recursive: true, force: true });
    });

    /** The captured inputs with some fields replaced (the serialized `__provider` text is kept). */
    function inputsWith(changes: Record<string, unknown>): Record<string, unknown> {
        return { ...counter.inputs, ...changes };
    }

    void describe("captureDynamicResources", () => {
        void it("returns the dynamic resource's type, name, secret inputs and serialized provider text", () => {
            assert.equal(counter.type, "pulumi-nodejs:dynamic/counter:Counter");
            assert.equal(counter.name, "alpha");
            assert.equal(counter.inputs["start"], 3);
            assert.deepEqual(counter.inputs["label"], secretValue("hello"));
            const provider = counter.inputs["__provider"];
            assert.equal(typeof provider, "string");
            assert.match(provider as string, /exports\.handler/);
        });

        void it("can run again in the same process and sees only the new program's resources", async () => {
            const again = await captureDynamicResources(() => {
                new Counter("one", { name: "one", start: 1 });
                new Counter("two", { name: "two", start: 2 });
            });
            assert.deepEqual(
                again.map((r) => r.name),
                ["one", "two"],
            );
        });
    });

    void describe("check", () => {
        void it("returns the provider's inputs, keeps __provider and re-marks the secret input", async () => {
            const res = await host.check({}, counter.inputs);
            assert.deepEqual(res.failures, []);
            assert.equal(res.inputs["checked"], true);
            assert.equal(res.inputs["__provider"], counter.inputs["__provider"]);
            assert.deepEqual(res.inputs["label"], secretValue("hello"));
        });

        void it("reports the provider's validation failures", async () => {
            const res = await host.check({}, inputsWith({ start: -1 }));
            assert.deepEqual(res.failures, [{ property: "start", reason: "start must be a non-negative integer" }]);
        });

        void it("passes preview-time unknowns through", async () => {
            const res = await host.check({}, inputsWith({ start: unknownValue }));
            assert.deepEqual(res.failures, []);
            assert.equal(res.inputs["start"], unknownValue);
        });
    });

    void describe("create", () => {
        void it("returns the id and outputs; a provider-marked secret output comes back secret", async () => {
            const { id, outs } = await host.create(counter.inputs);
            assert.equal(id, "counter-alpha");
            assert.equal(outs["count"], 3);
            assert.ok(isSecretValue(outs["token"]), "token must be a secret");
            assert.equal(unwrapSecret(outs["token"]), "token-for-counter-alpha");
            assert.equal(outs["__provider"], counter.inputs["__provider"]);
        });

        void it("sends secret inputs unwrapped, as the engine does, and marks the echoed output secret", async () => {
            const { outs } = await host.create(inputsWith({ name: "echo" }));
            // labelLength is computed by the provider: it only has a length if the provider got a plain string.
            assert.equal(outs["labelLength"], "hello".length);
            assert.deepEqual(outs["label"], secretValue("hello"));
            assert.equal(isSecretValue(outs["count"]), false);
        });

        void it("exposes id, props and reasons when the provider fails with partial state", async () => {
            const err = await host.create(inputsWith({ name: "beta", fail: "partial" })).then(
                () => assert.fail("create should have failed"),
                (e: unknown) => e,
            );
            assert.ok(err instanceof HostResourceError);
            assert.equal(err.message, "counter created but never became ready");
            assert.equal(err.id, "counter-beta");
            assert.equal(err.props?.["ready"], false);
            assert.equal(err.props?.["name"], "beta");
            assert.equal(err.props?.["__provider"], counter.inputs["__provider"]);
            assert.deepEqual(err.reasons, ["health check timed out"]);
            // The partial state is what the engine records as outputs: a later delete must work from it.
            await host.delete(err.id, err.props ?? {});
            assert.deepEqual(providerCalls(logFile).at(-1), { method: "delete", id: "counter-beta" });
        });

        void it("reports an ordinary failure without partial state", async () => {
            await assert.rejects(host.create(inputsWith({ name: "gamma", fail: "plain" })), (err: unknown) => {
                assert.ok(err instanceof HostResourceError);
                assert.equal(err.message, "counter API refused the request");
                assert.equal(err.id, undefined);
                assert.equal(err.props, undefined);
                assert.deepEqual(err.reasons, []);
                return true;
            });
        });

        void it("in a preview does not reach the provider (the Node host does not support previews)", async () => {
            const news = inputsWith({ name: "preview-only", fail: "partial", start: unknownValue });
            const res = await host.create(news, { preview: true });
            assert.equal(res.id, "");
            assert.deepEqual(res.outs, news);
            assert.ok(!providerCalls(logFile).some((c) => c.id === "counter-preview-only"));
        });

        void it("refuses unknowns outside a preview, as the engine never sends them", async () => {
            await assert.rejects(host.create(inputsWith({ start: unknownValue })), /only in check, diff, and previews/);
        });
    });

    void describe("diff", () => {
        void it("reports no change when nothing changed", async () => {
            const { outs } = await host.create(counter.inputs);
            const res = await host.diff("counter-alpha", outs, counter.inputs);
            assert.equal(res.changes, false);
            assert.equal(res.providerChanges, "none");
            assert.deepEqual(res.replaces, []);
        });

        void it("reports replacements and delete-before-replace", async () => {
            const { outs } = await host.create(counter.inputs);
            const res = await host.diff("counter-alpha", outs, inputsWith({ name: "renamed" }));
            assert.equal(res.changes, true);
            assert.deepEqual(res.replaces, ["name"]);
            assert.equal(res.deleteBeforeReplace, true);
            assert.deepEqual(res.stables, []);
        });

        void it("sees preview-time unknowns as changes", async () => {
            const { outs } = await host.create(counter.inputs);
            const res = await host.diff("counter-alpha", outs, inputsWith({ start: unknownValue }));
            assert.equal(res.changes, true);
            assert.deepEqual(res.replaces, []);
        });
    });

    void describe("update, read, delete", () => {
        void it("update returns the new outputs with secrets marked", async () => {
            const { id, outs } = await host.create(counter.inputs);
            const updated = await host.update(id, outs, inputsWith({ start: 10 }));
            assert.equal(updated.outs["count"], 10);
            assert.ok(isSecretValue(updated.outs["token"]));
            assert.deepEqual(updated.outs["label"], secretValue("hello"));
        });

        void it("update failing with partial state exposes it", async () => {
            const { id, outs } = await host.create(counter.inputs);
            await assert.rejects(host.update(id, outs, inputsWith({ fail: "partial" })), (err: unknown) => {
                assert.ok(err instanceof HostResourceError);
                assert.equal(err.id, "counter-alpha");
                assert.equal(err.props?.["ready"], false);
                assert.deepEqual(err.reasons, ["restart loop"]);
                return true;
            });
        });

        void it("read returns the provider's refreshed state", async () => {
            const { id, outs } = await host.create(counter.inputs);
            const res = await host.read(id, outs, { inputs: counter.inputs });
            assert.equal(res.id, "counter-alpha");
            assert.equal(res.props["refreshed"], true);
            assert.equal(res.props["count"], 3);
            assert.ok(isSecretValue(res.props["token"]));
        });

        void it("delete runs the provider's delete and surfaces its errors", async () => {
            const { id, outs } = await host.create(counter.inputs);
            await host.delete(id, outs);
            assert.deepEqual(providerCalls(logFile).at(-1), { method: "delete", id: "counter-alpha" });
            await assert.rejects(host.delete("counter-undeletable", outs), (err: unknown) => {
                assert.ok(err instanceof HostRpcError);
                assert.match(err.message, /counter is protected/);
                return true;
            });
        });
    });

    void describe("lifecycle and configuration", () => {
        void it("hands the stack config to the provider's configure", async () => {
            const configured = await startDynamicHost({ config: { "multicloud:counterPrefix": "ctr" } });
            try {
                const { id } = await configured.create(inputsWith({ name: "cfg" }));
                assert.equal(id, "ctr-cfg");
            } finally {
                await configured.close();
            }
        });

        void it("close kills the host process and later calls fail", async () => {
            const shortLived = await startDynamicHost();
            await shortLived.close();
            assert.throws(() => process.kill(shortLived.pid, 0), { code: "ESRCH" });
            await assert.rejects(shortLived.check({}, counter.inputs), /closed/);
        });
    });
});
