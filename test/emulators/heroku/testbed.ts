/**
 * A Heroku emulator plus the SDK's dynamic-provider host pointed at it, for tests of the Heroku resources:
 * a program declares a resource, {@link captureInputs} returns exactly what it would send to the engine (with
 * the serialized `__provider`), and the host runs that provider text against the emulator.
 */
import { captureDynamicResources } from "../../support/captureProvider";
import { isSecretValue, startDynamicHost } from "../../support/dynamicHost";
import type { DynamicHost } from "../../support/dynamicHost";
import { startHerokuEmulator } from "../heroku";
import type { HerokuEmulator } from "../heroku";

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
  /** The dynamic-provider host, with HEROKU_API_URL/HEROKU_API_KEY pointing at the emulator. */
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
