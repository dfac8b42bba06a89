/**
 * Fault injection for the Heroku emulator: queued, counted faults matched against incoming requests.
 */

/** Which requests a fault applies to. Every given field must match. */
export interface RequestMatcher {
  /** HTTP method, e.g. "POST". @default any */
  method?: string;
  /** Exact path (without query string), or a pattern tested against it. @default any */
  path?: string | RegExp;
  /** A test of the parsed JSON body (e.g. only the add-on POST that carries `confirm`). @default any */
  body?: (body: unknown) => boolean;
}

/** What a queued fault does to a matching request. */
export type FaultAction =
  | { kind: "rateLimit"; retryAfterSeconds?: number }
  | { kind: "serverError"; status: number }
  | { kind: "drop"; afterProcessing: boolean }
  | { kind: "reject"; status: number; id: string; message: string };

interface QueuedFault {
  match: RequestMatcher;
  remaining: number;
  action: FaultAction;
}

function matches(match: RequestMatcher, method: string, path: string, body: unknown): boolean {
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.body && !match.body(body)) return false;
  if (match.path === undefined) return true;
  return typeof match.path === "string" ? match.path === path : match.path.test(path);
}

/** The fault controls a test holds (`emulator.faults`). */
export class HerokuFaults {
  private queue: QueuedFault[] = [];
  private failingReleases: string[] = [];

  /**
   * The account's request tokens: Heroku's rate limit is a token bucket per account, 4,500 tokens refilled at
   * about 75 a minute (Platform API reference, "Rate Limits"). Every authenticated API request takes one; with
   * none left the answer is 429 `rate_limit`. Sent as `RateLimit-Remaining` (rounded down) with every answer.
   * Tests set it (and the two knobs below) to run a small, fast bucket.
   * @default 4500
   */
  rateLimitRemaining = 4500;

  /** Most tokens the bucket holds. @default 4500 */
  rateLimitCapacity = 4500;

  /** Milliseconds per refilled token (75 a minute is one per 800 ms). @default 800 */
  rateLimitRefillMsPerToken = 800;

  private rateLimitCheckedAt = Date.now();

  /**
   * Most items in one list answer, whatever `max` the `Range` asks (Heroku's own ceiling is 1000); lower it to
   * make short lists span several pages (206 + `Next-Range`).
   * @default 1000
   */
  pageSizeLimit = 1000;

  /**
   * How many reads (GET) of a newly requested add-on still say `provisioning` before it turns `provisioned`
   * (and its config var appears). 0 provisions at once, as the POST answers.
   * @default 0
   */
  addonProvisioningPolls = 0;

  /**
   * How many reads of the app's config vars, after an add-on turned `provisioned`, still lack its config var
   * (Heroku sets it asynchronously: terraform-provider-heroku retries for it). @default 0
   */
  addonConfigVarPolls = 0;

  /**
   * How many reads of the release list still show a new release as `pending`: a container release, or a
   * config-var release of an app that has a `release` process (its release phase runs). @default 0
   */
  releasePendingPolls = 0;

  /**
   * How many log-drain requests of each app are refused with 422 "App hasn't yet been assigned a log channel.
   * Please try again momentarily." before its channel exists (a new app's state for a short while; the message
   * is the one terraform-provider-heroku retries on). @default 0
   */
  logChannelPendingRequests = 0;

  /**
   * Whether every add-on creation needs `confirm` = the app's name (423 `confirmation_required` without it), as
   * some add-ons do (billing, Private Space networking: heroku/cli `test/unit/commands/addons/create.unit.test.ts`
   * L301-306). Creations that would overwrite an attachment or config var always need it.
   * @default true (STRICTER: every creation goes through the confirm round trip)
   */
  addonsRequireConfirmation = true;

  /** The next `count` matching requests get 429 `rate_limit` (with `RateLimit-Remaining: 0`). */
  rateLimit(count: number, options: { match?: RequestMatcher; retryAfterSeconds?: number } = {}): void {
    this.queue.push({ match: options.match ?? {}, remaining: count, action: { kind: "rateLimit", retryAfterSeconds: options.retryAfterSeconds } });
  }

  /** The next `count` matching requests get a server error (not processed). */
  serverError(count: number, options: { match?: RequestMatcher; status?: number } = {}): void {
    this.queue.push({ match: options.match ?? {}, remaining: count, action: { kind: "serverError", status: options.status ?? 500 } });
  }

  /**
   * The next `count` matching requests have their socket destroyed without an answer: before processing
   * (nothing happened), or with `afterProcessing` after the change was applied (the client cannot know).
   */
  dropConnection(count: number, options: { match?: RequestMatcher; afterProcessing?: boolean } = {}): void {
    this.queue.push({ match: options.match ?? {}, remaining: count, action: { kind: "drop", afterProcessing: options.afterProcessing ?? false } });
  }

  /** The next `count` (default 1) matching requests get a Heroku error body `{id, message}` with `status`. */
  reject(options: { match?: RequestMatcher; status: number; id: string; message: string; count?: number }): void {
    this.queue.push({
      match: options.match ?? {},
      remaining: options.count ?? 1,
      action: { kind: "reject", status: options.status, id: options.id, message: options.message },
    });
  }

  /** The next release that runs the release phase fails it, printing `output` to its output stream. */
  failNextRelease(output: string): void {
    this.failingReleases.push(output);
  }

  /** Removes every queued fault and restores the defaults. */
  clear(): void {
    this.queue = [];
    this.failingReleases = [];
    this.rateLimitRemaining = 4500;
    this.rateLimitCapacity = 4500;
    this.rateLimitRefillMsPerToken = 800;
    this.rateLimitCheckedAt = Date.now();
    this.pageSizeLimit = 1000;
    this.addonProvisioningPolls = 0;
    this.addonConfigVarPolls = 0;
    this.releasePendingPolls = 0;
    this.logChannelPendingRequests = 0;
    this.addonsRequireConfirmation = true;
  }

  /** @internal The first queued fault matching this request, consumed. */
  take(method: string, path: string, kinds: FaultAction["kind"][], body?: unknown): FaultAction | undefined {
    const fault = this.queue.find((f) => f.remaining > 0 && kinds.includes(f.action.kind) && matches(f.match, method, path, body));
    if (!fault) return undefined;
    fault.remaining--;
    this.queue = this.queue.filter((f) => f.remaining > 0);
    return fault.action;
  }

  /** @internal Refills the bucket for the time passed and takes one token; false when none is left. */
  takeRateLimitToken(now: number = Date.now()): boolean {
    const refilled = this.rateLimitRefillMsPerToken > 0 ? (now - this.rateLimitCheckedAt) / this.rateLimitRefillMsPerToken : 0;
    this.rateLimitRemaining = Math.min(this.rateLimitCapacity, this.rateLimitRemaining + Math.max(0, refilled));
    this.rateLimitCheckedAt = now;
    if (this.rateLimitRemaining < 1) return false;
    this.rateLimitRemaining -= 1;
    return true;
  }

  /** @internal The release-phase output of the next failing release, consumed. */
  takeReleaseFailure(): string | undefined {
    return this.failingReleases.shift();
  }
}
