/**
 * Test harness: runs `@pulumi/pulumi`'s own dynamic-provider host (cmd/dynamic-provider) as a child process,
 * exactly as the engine starts it, and drives it over gRPC with the provider protocol.
 *
 * What the harness does the way the engine does it (pulumi/pulumi sdk/go/common/resource/plugin/provider_plugin.go):
 * - starts `node <sdk>/cmd/dynamic-provider/index.js <engine-address>` with cwd = repo root, reads the port the
 *   host prints on stdout, then calls Handshake (the Node host answers UNIMPLEMENTED) and Configure (the full stack
 *   config, with `project:key` keys, as args and in PULUMI_CONFIG);
 * - honours what Configure answered: the Node host says `acceptSecrets: false`, so secret inputs are sent UNWRAPPED
 *   (the provider sees plain values), and afterwards outputs are re-marked secret where the same-named input
 *   contained a secret (the engine's `annotateSecrets`); secrets the provider itself returns in wire form stay secret;
 * - the host says `supportsPreview: false`, so `create`/`update` with `preview: true` never reach the provider:
 *   the inputs come back as the state, as in `pulumi preview`;
 * - when the provider's diff does not say whether anything changed, `changes` is decided as the engine does:
 *   old inputs deep-equal new inputs or not;
 * - a create/update failing with ErrorResourceInitFailed details (the provider threw an Error carrying `id`,
 *   `properties`, `reasons`) surfaces as a {@link HostResourceError} exposing that partial state.
 *
 * Two host facts providers must respect (the first is exercised by dynamicHost.test.ts, the second was verified
 * through this harness):
 * - partial state: throw `Object.assign(new Error(msg), { id, properties, reasons })` and include
 *   `__provider: inputs.__provider` in `properties` (the host adds it to successful results only);
 * - do not `class X extends Error` inside a serialized provider: closure serialization turns the constructor into
 *   `Error.call(this, msg)`, and the host reports the message as "undefined".
 *
 * SECRETS, the representation chosen: a secret value is kept in Pulumi's wire form,
 * `{ [specialSigKey]: specialSecretSig, value }` — the same object {@link secretValue} builds, what
 * `captureDynamicResources` returns for `pulumi.secret(...)` inputs, and what a provider returns to mark an output
 * secret. So a test can write `assert.ok(isSecretValue(outs.token))`, `unwrapSecret(outs.token)`, or simply
 * `assert.deepEqual(outs.token, secretValue("abc"))`.
 *
 * UNKNOWNS: {@link unknownValue} is the SDK's sentinel string. It may be sent to `check`, `diff` and
 * `create`/`update` with `preview: true`; the engine never sends unknowns elsewhere, so the harness refuses them.
 */
import { spawn } from "node:child_process";
import type { ChildProcessByStdio } from "node:child_process";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { isDeepStrictEqual } from "node:util";
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { specialSecretSig, specialSigKey, unknownValue as sdkUnknownValue } from "@pulumi/pulumi/runtime/rpc";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";

/** The repository root: the host must run there so `require()` inside serialized providers finds node_modules. */
const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The host's entry point, resolved through the SDK the program itself uses. */
const HOST_ENTRY = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");

/** Name of the gRPC trailer carrying google.rpc.Status with typed details (ErrorResourceInitFailed). */
const STATUS_DETAILS_TRAILER = "grpc-status-details-bin";

/** Type name the host packs partial-failure details under. */
const INIT_FAILED_TYPE = "pulumirpc.ErrorResourceInitFailed";

// ---------------------------------------------------------------------------------------------------------------
// Secrets and unknowns, in the wire form the engine and the SDK use.

/** A Pulumi secret in wire form. */
export interface SecretValue<T = unknown> {
    /** The secret signature marker: `specialSigKey` mapped to `specialSecretSig`. */
    [specialSigKey]: typeof specialSecretSig;
    /** The secret's plain value. */
    value: T;
}

/** The SDK's unknown sentinel (`pulumi.runtime.unknownValue`): a value not known until the update runs. */
export const unknownValue: string = sdkUnknownValue;

/** Encodes `value` as a Pulumi secret, for sending as an input (or comparing with an output). */
export function secretValue<T>(value: T): SecretValue<T> {
    return { [specialSigKey]: specialSecretSig, value };
}

/** True when `v` is a Pulumi secret in wire form. */
export function isSecretValue(v: unknown): v is SecretValue {
    return isPlainObject(v) && v[specialSigKey] === specialSecretSig;
}

/** The plain value of a secret; any other value is returned unchanged. */
export function unwrapSecret(v: unknown): unknown {
    return isSecretValue(v) ? v.value : v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deeply replaces every secret by its plain value: what the engine sends to a provider that does not accept
 * secrets. */
function stripSecrets(v: unknown): unknown {
    if (isSecretValue(v)) {
        return stripSecrets(v.value);
    }
    if (Array.isArray(v)) {
        return v.map(stripSecrets);
    }
    if (isPlainObject(v)) {
        return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, stripSecrets(e)]));
    }
    return v;
}

function containsSecrets(v: unknown): boolean {
    if (isSecretValue(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsSecrets);
    }
    return isPlainObject(v) && Object.values(v).some(containsSecrets);
}

function containsUnknowns(v: unknown): boolean {
    if (v === unknownValue) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsUnknowns);
    }
    return isPlainObject(v) && Object.values(v).some(containsUnknowns);
}

/**
 * The engine's `annotateSecrets`: an output whose same-named input contained a secret is marked secret (objects are
 * walked key by key so one secret field does not taint a whole object). Returns a new map.
 */
function annotateSecrets(outs: Record<string, unknown>, ins: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = { ...outs };
    for (const [key, inValue] of Object.entries(ins)) {
        if (!(key in result)) {
            continue;
        }
        const outValue = result[key];
        if (isPlainObject(outValue) && !isSecretValue(outValue) && isPlainObject(inValue) && !isSecretValue(inValue)) {
            result[key] = annotateSecrets(outValue, inValue);
        } else if (!isSecretValue(outValue) && containsSecrets(inValue)) {
            result[key] = secretValue(outValue);
        }
    }
    return result;
}

/** Encodes a property map as a protobuf Struct, dropping `undefined` members as the SDK's serializer does. */
function toStruct(props: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Record<string, JavaScriptValue>);
}

function fromStruct(struct: Struct | undefined): Record<string, unknown> {
    return struct ? (struct.toJavaScript() as Record<string, unknown>) : {};
}

// ---------------------------------------------------------------------------------------------------------------
// Results and errors.

/** Decoded answer of Check. */
export interface CheckResult {
    /** Inputs the provider validated (with `__provider`), secrets re-marked as the engine does. */
    inputs: Record<string, unknown>;
    /** Validation failures; empty when the inputs are valid. */
    failures: { property: string; reason: string }[];
}

/** Decoded answer of Diff. */
export interface DiffResult {
    /**
     * Whether the engine would consider the resource changed: the provider's own answer, or, when it gave none
     * (`providerChanges === "unknown"`), whether old inputs differ from new inputs.
     */
    changes: boolean;
    /** What the provider itself answered (`DIFF_SOME`, `DIFF_NONE`, or `DIFF_UNKNOWN` when it said nothing). */
    providerChanges: "some" | "none" | "unknown";
    /** Properties whose change forces a replacement. */
    replaces: string[];
    /** Whether the replacement must delete the old resource first. */
    deleteBeforeReplace: boolean;
    /** Properties the provider promises will not change (the Node host never sets this; kept for completeness). */
    stables: string[];
}

/** Decoded answer of Create. */
export interface CreateResult {
    /** The new resource's id; `""` in a preview that did not reach the provider. */
    id: string;
    /** Outputs (with `__provider`), secrets marked. */
    outs: Record<string, unknown>;
}

/** Decoded answer of Read. */
export interface ReadResult {
    /** The id the provider reported (may differ from the one asked for). */
    id: string;
    /** Refreshed outputs (with `__provider`), secrets marked. */
    props: Record<string, unknown>;
    /** Refreshed inputs, only when the provider's `read` returned some. */
    inputs?: Record<string, unknown>;
}

/** Decoded answer of Update. */
export interface UpdateResult {
    /** Outputs after the update (with `__provider`), secrets marked. */
    outs: Record<string, unknown>;
}

/** Every decoded result type, for helpers that handle any of them. */
export type HostResult = CheckResult | DiffResult | CreateResult | ReadResult | UpdateResult;

/** A gRPC call to the host failed (the provider threw, or the host rejected the request). */
export class HostRpcError extends Error {
    /** gRPC status code (2 = UNKNOWN for errors thrown by the provider, 12 = UNIMPLEMENTED, ...). */
    readonly code: number;

    constructor(message: string, code: number) {
        super(message);
        this.name = "HostRpcError";
        this.code = code;
    }
}

/**
 * A failed create or update. When the provider reported that the resource exists but failed to initialise
 * (ErrorResourceInitFailed), `id`, `props` and `reasons` carry that partial state — the engine records it in the
 * stack state. For an ordinary failure `id` and `props` are undefined and `reasons` is empty.
 */
export class HostResourceError extends HostRpcError {
    /** Id of the partially created resource. */
    id?: string;
    /**
     * Partial outputs, secrets marked as the engine does. The host does NOT add `__provider` here (unlike successful
     * results), yet the engine stores these as the resource's outputs and later deletes/refreshes look the provider
     * up in them: a provider should copy `__provider` from its inputs into the properties it reports.
     */
    props?: Record<string, unknown>;
    /** Why initialisation failed, as the provider listed them. */
    reasons: string[];

    constructor(
        message: string,
        code: number,
        partial?: { id: string; props: Record<string, unknown>; reasons: string[] },
    ) {
        super(message, code);
        this.name = "HostResourceError";
        this.id = partial?.id;
        this.props = partial?.props;
        this.reasons = partial?.reasons ?? [];
    }
}

function isServiceError(e: unknown): e is grpc.ServiceError {
    return e instanceof Error && typeof (e as Partial<grpc.ServiceError>).code === "number";
}

/** The host's own message (grpc-js prefixes `err.message` with the status code and name). */
function rpcMessage(e: grpc.ServiceError): string {
    return e.details || e.message;
}

/** Reads ErrorResourceInitFailed from the status-details trailer, as the engine's `parseError` does. */
function initFailureFrom(e: grpc.ServiceError): provproto.ErrorResourceInitFailed | undefined {
    for (const raw of e.metadata?.get(STATUS_DETAILS_TRAILER) ?? []) {
        const bytes = typeof raw === "string" ? Buffer.from(raw, "base64") : raw;
        const status = statusproto.Status.deserializeBinary(bytes);
        for (const detail of status.getDetailsList()) {
            if (detail.getTypeName() === INIT_FAILED_TYPE) {
                const failure = detail.unpack(provproto.ErrorResourceInitFailed.deserializeBinary, INIT_FAILED_TYPE);
                if (failure) {
                    return failure;
                }
            }
        }
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The host.

/** Options of {@link startDynamicHost}. */
export interface StartDynamicHostOptions {
    /**
     * Extra environment for the host process (merged over this process's environment; `undefined` removes a
     * variable). This is where a test points a provider at a fake API on 127.0.0.1.
     * @default {}
     */
    env?: Record<string, string | undefined>;
    /**
     * Stack configuration, keys fully qualified (`multicloud:herokuTeam`), as the engine hands the whole stack
     * config to dynamic providers (Configure args and PULUMI_CONFIG); read by a provider's `configure`.
     * @default {}
     */
    config?: Record<string, string>;
    /** Project name given to the host (PULUMI_NODEJS_PROJECT / PULUMI_PROJECT). @default "multicloud" */
    project?: string;
    /** Stack name used in the URNs sent with each request. @default "test" */
    stack?: string;
    /** Resource type used in URNs and requests. @default "pulumi-nodejs:dynamic:Resource" */
    resourceType?: string;
    /** Resource name used in URNs and requests. @default "test" */
    resourceName?: string;
    /** How long to wait for the host to print its port. @default 30000 */
    startTimeoutMs?: number;
    /** Deadline of each gRPC call (generous: a provider may be polling a fake API). @default 60000 */
    rpcTimeoutMs?: number;
}

/** A running dynamic-provider host. All maps passed in must include `__provider` (the serialized text). */
export interface DynamicHost {
    /** Check(olds, news): olds are the previous inputs (`{}` on first create). Unknowns allowed. */
    check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult>;
    /**
     * Diff(id, olds, news): olds are the previous OUTPUTS (what the host passes to `provider.diff`), news the new
     * inputs. `opts.oldInputs` (default: olds) are the previous inputs, used only when the provider gives no answer.
     * Unknowns allowed.
     */
    diff(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
        opts?: { oldInputs?: Record<string, unknown> },
    ): Promise<DiffResult>;
    /** Create(news). With `preview: true` and a host that does not support previews (the Node host), the
     * provider is not called: the inputs come back as outputs with id `""`. */
    create(news: Record<string, unknown>, opts?: { preview?: boolean }): Promise<CreateResult>;
    /** Read(id, props) as on `pulumi refresh`: props are the current outputs, `opts.inputs` the current inputs. */
    read(id: string, props: Record<string, unknown>, opts?: { inputs?: Record<string, unknown> }): Promise<ReadResult>;
    /** Update(id, olds, news): olds are the previous outputs, news the new inputs; `opts.oldInputs` default olds. */
    update(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
        opts?: { preview?: boolean; oldInputs?: Record<string, unknown> },
    ): Promise<UpdateResult>;
    /** Delete(id, props): props are the current outputs; `opts.oldInputs` default props. */
    delete(id: string, props: Record<string, unknown>, opts?: { oldInputs?: Record<string, unknown> }): Promise<void>;
    /** Process id of the host, e.g. to check it is gone after {@link DynamicHost.close}. */
    readonly pid: number;
    /** What the host (and the provider's console.log/error) printed so far; useful in assertion messages. */
    logs(): { stdout: string; stderr: string };
    /** Closes the gRPC channel and kills the child process; safe to call twice. */
    close(): Promise<void>;
}

type HostProcess = ChildProcessByStdio<null, Readable, Readable>;

/** Starts the SDK's dynamic-provider host as a child process (cwd = repo root so require() of node_modules works),
 * with the given extra env, and configures it as the engine does. */
export async function startDynamicHost(opts: StartDynamicHostOptions = {}): Promise<DynamicHost> {
    const project = opts.project ?? "multicloud";
    const config = opts.config ?? {};
    const env: Record<string, string | undefined> = {
        ...process.env,
        // Set by `node --test` for its own children; meaningless (and misleading) for the host.
        NODE_TEST_CONTEXT: undefined,
        PULUMI_NODEJS_PROJECT: project,
        PULUMI_PROJECT: project,
        PULUMI_CONFIG: JSON.stringify(config),
        ...opts.env,
    };
    const child: HostProcess = spawn(
        process.execPath,
        // The host insists on an engine address argument but never dials it.
        [HOST_ENTRY, "127.0.0.1:0"],
        {
            cwd: REPO_ROOT,
            env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)),
            stdio: ["ignore", "pipe", "pipe"],
        },
    );
    const output = { stdout: "", stderr: "" };
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output.stderr += chunk));
    // Safety net: never leave a host running after the test process goes away.
    const killOnExit = (): void => {
        child.kill("SIGKILL");
    };
    process.once("exit", killOnExit);

    let port: number;
    try {
        port = await readPort(child, output, opts.startTimeoutMs ?? 30_000);
    } catch (err) {
        process.removeListener("exit", killOnExit);
        await terminate(child);
        throw err;
    }

    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new HostClient(client, child, output, killOnExit, {
        type: opts.resourceType ?? "pulumi-nodejs:dynamic:Resource",
        name: opts.resourceName ?? "test",
        stack: opts.stack ?? "test",
        project,
        rpcTimeoutMs: opts.rpcTimeoutMs ?? 60_000,
    });
    try {
        await host.configure(config);
    } catch (err) {
        await host.close();
        throw err;
    }
    return host;
}

/** Resolves with the port once the host prints it (its first stdout line); keeps draining stdout afterwards so the
 * provider's console.log can never fill the pipe and stall the host. */
function readPort(
    child: HostProcess,
    output: { stdout: string; stderr: string },
    timeoutMs: number,
): Promise<number> {
    return new Promise((resolve, reject) => {
        let settled = false;
        const settle = (fn: () => void): void => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                fn();
            }
        };
        const timer = setTimeout(() => {
            const message = `dynamic-provider host printed no port within ${timeoutMs} ms; stderr:\n${output.stderr}`;
            settle(() => reject(new Error(message)));
        }, timeoutMs);
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
            output.stdout += chunk;
            const newline = output.stdout.indexOf("\n");
            if (newline >= 0) {
                const port = Number(output.stdout.slice(0, newline).trim());
                settle(() =>
                    Number.isInteger(port) && port > 0
                        ? resolve(port)
                        : reject(new Error(`dynamic-provider host printed, instead of a port: ${output.stdout.slice(0, newline)}`)),
                );
            }
        });
        child.once("exit", (code, signal) => {
            const message = `dynamic-provider host exited (code ${code}, signal ${signal}) before printing its port`;
            settle(() => reject(new Error(`${message}; stderr:\n${output.stderr}`)));
        });
        child.once("error", (err) => settle(() => reject(err)));
    });
}

/** Kills the child (SIGTERM, then SIGKILL if it lingers) and waits for it to exit. */
async function terminate(child: HostProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return;
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const escalate = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(escalate);
}

/** Who the requests claim to be about, and how long each may take. */
interface RequestIdentity {
    stack: string;
    project: string;
    type: string;
    name: string;
    rpcTimeoutMs: number;
}

/** A unary client method in its (request, metadata, options, callback) form. */
type UnaryMethod<Req, Res> = (
    request: Req,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

class HostClient implements DynamicHost {
    /** The protocol the host declared (Configure's answer for the Node host: false and false). */
    private acceptSecrets = false;
    private supportsPreview = false;
    private closed = false;
    /** URN of the resource every request is about. */
    private readonly urn: string;
    readonly pid: number;

    constructor(
        private readonly client: provrpc.ResourceProviderClient,
        private readonly child: HostProcess,
        private readonly output: { stdout: string; stderr: string },
        private readonly killOnExit: () => void,
        private readonly identity: RequestIdentity,
    ) {
        this.pid = child.pid ?? -1;
        this.urn = `urn:pulumi:${identity.stack}::${identity.project}::${identity.type}::${identity.name}`;
    }

    /** Handshake (falling back on UNIMPLEMENTED, as the engine does) then Configure. */
    async configure(config: Record<string, string>): Promise<void> {
        const handshake = new provproto.ProviderHandshakeRequest()
            .setEngineAddress("127.0.0.1:0")
            .setRootDirectory(REPO_ROOT)
            .setProgramDirectory(REPO_ROOT)
            .setConfigureWithUrn(true)
            .setSupportsViews(true)
            .setSupportsRefreshBeforeUpdate(true);
        // Like the engine: a provider that answers Handshake declares its protocol there; otherwise Configure does.
        let protocolFromHandshake = false;
        try {
            const res = await this.unary(this.client.handshake.bind(this.client), handshake);
            this.acceptSecrets = res.getAcceptSecrets();
            this.supportsPreview = true;
            protocolFromHandshake = true;
        } catch (err) {
            if (!(err instanceof HostRpcError && err.code === grpc.status.UNIMPLEMENTED)) {
                throw err;
            }
        }
        const { stack, project } = this.identity;
        const req = new provproto.ConfigureRequest()
            .setArgs(toStruct(config))
            .setAcceptsecrets(true)
            .setAcceptresources(true)
            .setSendsOldInputs(true)
            .setSendsOldInputsToDelete(true)
            .setUrn(`urn:pulumi:${stack}::${project}::pulumi:providers:pulumi-nodejs::default`)
            .setName("default")
            .setType("pulumi:providers:pulumi-nodejs");
        const variables = req.getVariablesMap();
        for (const [key, value] of Object.entries(config)) {
            variables.set(key, value);
        }
        const res = await this.unary(this.client.configure.bind(this.client), req);
        if (!protocolFromHandshake) {
            this.acceptSecrets = res.getAcceptsecrets();
            this.supportsPreview = res.getSupportspreview();
        }
    }

    async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult> {
        const req = new provproto.CheckRequest()
            .setUrn(this.urn)
            .setName(this.identity.name)
            .setType(this.identity.type)
            .setOlds(this.encode(olds, true))
            .setNews(this.encode(news, true));
        const res = await this.unary(this.client.check.bind(this.client), req);
        return {
            inputs: this.decodeOutputs(res.getInputs(), news, true),
            failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
        opts: { oldInputs?: Record<string, unknown> } = {},
    ): Promise<DiffResult> {
        const oldInputs = opts.oldInputs ?? olds;
        const req = new provproto.DiffRequest()
            .setId(id)
            .setUrn(this.urn)
            .setName(this.identity.name)
            .setType(this.identity.type)
            .setOlds(this.encode(olds, true))
            .setNews(this.encode(news, true))
            .setOldInputs(this.encode(oldInputs, true));
        const res = await this.unary(this.client.diff.bind(this.client), req);
        const kinds = provproto.DiffResponse.DiffChanges;
        const providerChanges =
            res.getChanges() === kinds.DIFF_SOME ? "some" : res.getChanges() === kinds.DIFF_NONE ? "none" : "unknown";
        return {
            changes: providerChanges === "unknown" ? !isDeepStrictEqual(oldInputs, news) : providerChanges === "some",
            providerChanges,
            replaces: res.getReplacesList(),
            deleteBeforeReplace: res.getDeletebeforereplace(),
            stables: res.getStablesList(),
        };
    }

    async create(news: Record<string, unknown>, opts: { preview?: boolean } = {}): Promise<CreateResult> {
        const preview = opts.preview ?? false;
        if (preview && !this.supportsPreview) {
            return { id: "", outs: { ...news } };
        }
        const req = new provproto.CreateRequest()
            .setUrn(this.urn)
            .setName(this.identity.name)
            .setType(this.identity.type)
            .setProperties(this.encode(news, preview))
            .setPreview(preview);
        const res = await this.unaryResource(this.client.create.bind(this.client), req, news, preview);
        const id = res.getId();
        if (id === "" && !preview) {
            throw new HostResourceError("provider returned an empty id from create", grpc.status.UNKNOWN);
        }
        return { id, outs: this.decodeOutputs(res.getProperties(), news, preview) };
    }

    async read(
        id: string,
        props: Record<string, unknown>,
        opts: { inputs?: Record<string, unknown> } = {},
    ): Promise<ReadResult> {
        const req = new provproto.ReadRequest()
            .setId(id)
            .setUrn(this.urn)
            .setName(this.identity.name)
            .setType(this.identity.type)
            .setProperties(this.encode(props, false));
        if (opts.inputs) {
            req.setInputs(this.encode(opts.inputs, false));
        }
        const res = await this.unary(this.client.read.bind(this.client), req);
        const result: ReadResult = { id: res.getId(), props: this.decodeOutputs(res.getProperties(), props, false) };
        if (res.getInputs()) {
            result.inputs = this.decodeOutputs(res.getInputs(), opts.inputs ?? {}, false);
        }
        return result;
    }

    async update(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
        opts: { preview?: boolean; oldInputs?: Record<string, unknown> } = {},
    ): Promise<UpdateResult> {
        const preview = opts.preview ?? false;
        if (preview && !this.supportsPreview) {
            return { outs: { ...news } };
        }
        const req = new provproto.UpdateRequest()
            .setId(id)
            .setUrn(this.urn)
            .setName(this.identity.name)
            .setType(this.identity.type)
            .setOlds(this.encode(olds, false))
            .setNews(this.encode(news, preview))
            .setOldInputs(this.encode(opts.oldInputs ?? olds, false))
            .setPreview(preview);
        const res = await this.unaryResource(this.client.update.bind(this.client), req, news, preview);
        return { outs: this.decodeOutputs(res.getProperties(), news, preview) };
    }

    async delete(
        id: string,
        props: Record<string, unknown>,
        opts: { oldInputs?: Record<string, unknown> } = {},
    ): Promise<void> {
        const req = new provproto.DeleteRequest()
            .setId(id)
            .setUrn(this.urn)
            .setName(this.identity.name)
            .setType(this.identity.type)
            .setProperties(this.encode(props, false))
            .setOldInputs(this.encode(opts.oldInputs ?? props, false));
        await this.unary(this.client.delete.bind(this.client), req);
    }

    logs(): { stdout: string; stderr: string } {
        return { ...this.output };
    }

    async close(): Promise<void> {
        if (this.closed) {
            return;
        }
        this.closed = true;
        this.client.close();
        process.removeListener("exit", this.killOnExit);
        await terminate(this.child);
    }

    /** Marshals a property map the way the engine does for this host: secrets stripped unless accepted, unknowns
     * only where the engine would keep them. */
    private encode(props: Record<string, unknown>, allowUnknowns: boolean): Struct {
        if (!allowUnknowns && containsUnknowns(props)) {
            throw new Error("unknown values reach a provider only in check, diff, and previews of create/update");
        }
        return toStruct(this.acceptSecrets ? props : (stripSecrets(props) as Record<string, unknown>));
    }

    /** Unmarshals outputs the way the engine does: wire secrets kept, same-named secret inputs re-applied. */
    private decodeOutputs(
        struct: Struct | undefined,
        inputs: Record<string, unknown>,
        allowUnknowns: boolean,
    ): Record<string, unknown> {
        const outs = fromStruct(struct);
        if (!allowUnknowns && containsUnknowns(outs)) {
            throw new Error("provider returned unknown values outside a preview");
        }
        return this.acceptSecrets ? outs : annotateSecrets(outs, inputs);
    }

    private unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req): Promise<Res> {
        if (this.closed) {
            return Promise.reject(new Error("dynamic-provider host is closed"));
        }
        return new Promise((resolve, reject) => {
            method(request, new grpc.Metadata(), { deadline: Date.now() + this.identity.rpcTimeoutMs }, (err, res) => {
                if (err) {
                    reject(isServiceError(err) ? new HostRpcError(rpcMessage(err), err.code) : err);
                } else {
                    resolve(res);
                }
            });
        });
    }

    /** Like {@link unary}, for Create/Update: failures become HostResourceError with any partial state. */
    private unaryResource<Req, Res>(
        method: UnaryMethod<Req, Res>,
        request: Req,
        inputs: Record<string, unknown>,
        preview: boolean,
    ): Promise<Res> {
        return new Promise((resolve, reject) => {
            if (this.closed) {
                reject(new Error("dynamic-provider host is closed"));
                return;
            }
            method(request, new grpc.Metadata(), { deadline: Date.now() + this.identity.rpcTimeoutMs }, (err, res) => {
                if (!err) {
                    resolve(res);
                    return;
                }
                if (!isServiceError(err)) {
                    reject(err);
                    return;
                }
                const failure = initFailureFrom(err);
                reject(
                    new HostResourceError(
                        rpcMessage(err),
                        err.code,
                        failure && {
                            id: failure.getId(),
                            props: this.decodeOutputs(failure.getProperties(), inputs, preview),
                            reasons: failure.getReasonsList(),
                        },
                    ),
                );
            });
        });
    }
}
