/**
 * A Heroku emulator plus the SDK's dynamic-provider host pointed at it, for tests of the Heroku resources:
 * a program declares a resource, {@link captureInputs} returns exactly what it would send to the engine (with
 * the serialized `__provider`), and the host runs that provider text against the emulator.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach } from "node:test";
import { captureDynamicResources } from "../../support/captureProvider";
import { HostResourceError, isSecretValue, startDynamicHost } from "../../support/dynamicHost";
import type { DynamicHost } from "../../support/dynamicHost";
import { startHerokuEmulator } from "../heroku";
import type { EmulatedApp, HerokuEmulator } from "../heroku";

/** Timing knobs for the host, in milliseconds, so fault-recovery tests take milliseconds, not minutes. */
export const FAST_HEROKU_ENV = {
  HEROKU_POLL_INTERVAL_MS: "2",
  HEROKU_RETRY_BASE_MS: "1",
  HEROKU_RETRY_MAX_DELAY_MS: "10",
  HEROKU_MAX_ATTEMPTS: "4",
  HEROKU_RATE_LIMIT_PACE_MS: "1",
};

/** An emulator and a host using it. */
export interface HerokuTestbed {
  /** The emulated Heroku API. */
  heroku: HerokuEmulator;
  /** The dynamic-provider host, with HEROKU_API_URL/HEROKU_REGISTRY_URL/HEROKU_API_KEY pointing at the emulator. */
  host: DynamicHost;
  /** Closes both. */
  close(): Promise<void>;
}

/** Options of {@link startHerokuTestbed}. */
export interface HerokuTestbedOptions {
  /** Stack config handed to the host (e.g. `{ "heroku:apiKey": ... }`). @default {} */
  config?: Record<string, string>;
  /** Whether the host gets HEROKU_API_KEY in its environment. @default true */
  keyInEnvironment?: boolean;
}

/** Starts the emulator and a dynamic-provider host configured for it. */
export async function startHerokuTestbed(options: HerokuTestbedOptions = {}): Promise<HerokuTestbed> {
  const heroku = await startHerokuEmulator();
  try {
    const host = await startDynamicHost({
      env: {
        ...FAST_HEROKU_ENV,
        HEROKU_API_URL: heroku.url,
        HEROKU_REGISTRY_URL: heroku.url,
        HEROKU_API_KEY: options.keyInEnvironment === false ? undefined : heroku.apiKey,
      },
      config: options.config ?? {},
    });
    return {
      heroku,
      host,
      close: async () => {
        await host.close();
        await heroku.close();
      },
    };
  } catch (error) {
    await heroku.close();
    throw error;
  }
}

/**
 * One testbed for every test of the file (or suite) that calls this: started in `before`, closed in `after`, and its
 * injected faults cleared before each test so a fault never leaks into the next one. The object returned stands for
 * that testbed from the `before` hook on; using it earlier (at collection time) throws.
 */
export function useHerokuTestbed(options: HerokuTestbedOptions = {}): HerokuTestbed {
  let bed: HerokuTestbed | undefined;
  before(async () => {
    bed = await startHerokuTestbed(options);
  });
  after(async () => {
    await bed?.close();
  });
  beforeEach(() => {
    current().heroku.faults.clear();
  });
  const current = (): HerokuTestbed => bed ?? assert.fail("the Heroku testbed is used before its before() hook started it");
  return {
    get heroku() {
      return current().heroku;
    },
    get host() {
      return current().host;
    },
    close: () => current().close(),
  };
}

/** The inputs the provider's check returns for `declare`'s resource (given its old inputs), asserting no failures. */
export async function checkedInputs(
  bed: HerokuTestbed,
  declare: () => void,
  olds: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const result = await bed.host.check(olds, await captureInputs(declare));
  assert.deepEqual(result.failures, []);
  return result.inputs;
}

/** An app created straight in the emulator's state, not through its API, with its id. */
export function seedApp(bed: HerokuTestbed, name: string, stack = "container"): { app: EmulatedApp; id: string } {
  const app = bed.heroku.state.createApp({ name, region: "us", stack });
  return { app, id: app.app.id as string };
}

/**
 * Runs the host's create, which must fail with a partial state (the resource exists but the provider could not
 * finish), and returns that error: its `id` and `props` are what the engine would record.
 */
export async function createExpectingPartialState(bed: HerokuTestbed, inputs: Record<string, unknown>): Promise<HostResourceError> {
  let partial: unknown;
  try {
    await bed.host.create(inputs);
  } catch (error) {
    partial = error;
  }
  assert.ok(partial instanceof HostResourceError, `expected a partial state, got ${String(partial)}`);
  return partial;
}

/** Runs `declare` (which registers exactly one dynamic resource) under mocks and returns its inputs. */
export async function captureInputs(declare: () => void): Promise<Record<string, unknown>> {
  const captured = await captureDynamicResources(declare);
  if (captured.length !== 1) throw new Error(`expected one dynamic resource, got ${captured.length}`);
  return (captured[0] as { inputs: Record<string, unknown> }).inputs;
}

/** JSON of a property map with every secret value removed: what anyone reading the state in clear sees. */
export function plaintextOf(props: Record<string, unknown>): string {
  return JSON.stringify(props, (_key, value: unknown) => (isSecretValue(value) ? "[secret]" : value));
}
