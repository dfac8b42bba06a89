/**
 * The Heroku emulator for tests that call the API client in this process (no dynamic-provider host): started before
 * the file's tests with the client pointed at it, closed after them with the environment restored, and clean for
 * every test (no queued faults, no recorded requests, the timing knobs re-applied, a fresh process-wide limiter).
 */
import { after, before, beforeEach } from "node:test";
import { resetRateLimiter } from "../../../providers/heroku/api/rateLimiter";
import { startHerokuEmulator } from "../heroku";
import type { HerokuEmulator } from "../heroku";

/**
 * Registers the hooks; `onStart` receives the emulator once it listens (before any test of the file runs).
 * @param env Timing knobs for the client (`HEROKU_MAX_ATTEMPTS`, `HEROKU_RETRY_BASE_MS`...), set for every test.
 */
export function useHerokuEmulatorInProcess(env: Record<string, string>, onStart: (heroku: HerokuEmulator) => void): void {
  const savedEnv = { ...process.env };
  let heroku: HerokuEmulator | undefined;
  before(async () => {
    heroku = await startHerokuEmulator();
    Object.assign(process.env, { HEROKU_API_URL: heroku.url, HEROKU_API_KEY: heroku.apiKey, ...env });
    onStart(heroku);
  });
  after(async () => {
    await heroku?.close();
    process.env = savedEnv;
  });
  beforeEach(() => {
    heroku?.faults.clear();
    if (heroku) heroku.requests.length = 0;
    Object.assign(process.env, env);
    resetRateLimiter();
  });
}
