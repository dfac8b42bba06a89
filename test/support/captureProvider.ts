/**
 * Captures what a Pulumi program sends to the engine for its dynamic resources, so tests can replay those exact
 * inputs (including the serialized `__provider` text) against the SDK's dynamic-provider host
 * (see ./dynamicHost.ts).
 *
 * Uses `pulumi.runtime.setMocks`, which is process-global: under `node --test` each test file runs in its own
 * process, so one file may call this many times but must not run two captures concurrently.
 */
import * as pulumi from "@pulumi/pulumi";

/** Type tokens of dynamic resources all start with this (`pulumi-nodejs:dynamic[/module]:Type`). */
const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic";

/** One dynamic resource as the program registered it. */
export interface CapturedDynamicResource {
    /** Type token, e.g. `pulumi-nodejs:dynamic/heroku:App` or `pulumi-nodejs:dynamic:Resource`. */
    type: string;
    /** Logical name given to the resource constructor. */
    name: string;
    /**
     * Inputs exactly as the engine would receive them: secrets stay wrapped in the wire form
     * (`{ [specialSigKey]: specialSecretSig, value }`, see `isSecretValue` in ./dynamicHost.ts), and
     * `__provider` holds the serialized provider text (itself wrapped as a secret if the closure captured one).
     */
    inputs: Record<string, unknown>;
}

/** Options for {@link captureDynamicResources}. */
export interface CaptureOptions {
    /** Project name the program sees (`pulumi.getProject()`). @default "multicloud" */
    project?: string;
    /** Stack name the program sees (`pulumi.getStack()`). @default "test" */
    stack?: string;
    /**
     * Run as a preview: unknown values stay unknown instead of resolving. Note that under mocks, outputs that
     * depend on other resources are still known; only values the program makes unknown itself are affected.
     * @default false
     */
    preview?: boolean;
}

/**
 * Runs `declare` under `pulumi.runtime.setMocks` and returns, per dynamic resource registered, its name, type and
 * the exact inputs the program sent (including the serialized `__provider` text). Non-dynamic resources are
 * registered against the mock too (their inputs become their state, ids are `<name>-id`) but not returned.
 */
export async function captureDynamicResources(
    declare: () => void | Promise<void>,
    options: CaptureOptions = {},
): Promise<CapturedDynamicResource[]> {
    const captured: CapturedDynamicResource[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
                if (args.type.startsWith(DYNAMIC_TYPE_PREFIX)) {
                    captured.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
                }
                return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
                return args.inputs as Record<string, unknown>;
            },
        },
        options.project ?? "multicloud",
        options.stack ?? "test",
        options.preview ?? false,
    );
    await declare();
    // Registrations are asynchronous (the provider text itself is serialized in the background): wait until the
    // SDK's RPC queue has drained so every resource declared above has reached the mock monitor.
    await pulumi.runtime.disconnect();
    return captured;
}
