// Releases and the release-phase log: https://devcenter.heroku.com/articles/platform-api-reference#release
import type { Release } from "@heroku-cli/schema";
import { herokuRequest, segment } from "./client";
import { pollUntil } from "./poll";
import { isDroppedConnection } from "./retry";
import { resolveClientSettings } from "./settings";

/**
 * The app's newest releases, newest first (at most `max`, at most 1000). Deliberately ONE page: the caller
 * wants the newest few, so a 206 `Next-Range` (older releases) is not followed.
 */
export async function recentReleases(app: string, max: number): Promise<Release[]> {
  return (
    (
      await herokuRequest<Release[]>({
        method: "GET",
        path: `/apps/${segment(app)}/releases`,
        range: `version ..; max=${max}, order=desc`,
      })
    ).body ?? []
  );
}

/** The app's newest release, or undefined for an app that has none yet. */
export async function latestRelease(app: string): Promise<Release | undefined> {
  return (await recentReleases(app, 1))[0];
}

/** Limits of {@link readReleaseOutput}. */
export interface ReleaseOutputLimits {
  /** Stop reading after this many bytes of the stream. @default 1048576 */
  maxBytes?: number;
  /** Keep only this many characters from the end (where the failure is). @default 4000 */
  tailChars?: number;
  /** Give up after this long. @default 15000 */
  timeoutMs?: number;
}

/**
 * Reads the release-phase log from a release's `output_stream_url`, bounded in bytes and time, and returns its
 * tail (the part that says why it failed). Best effort: returns undefined when the stream cannot be read.
 * The URL is a pre-signed link on another host, so the API key is deliberately NOT sent to it.
 */
export async function readReleaseOutput(url: string, limits: ReleaseOutputLimits = {}): Promise<string | undefined> {
  const maxBytes = limits.maxBytes ?? 1_048_576;
  const tailChars = limits.tailChars ?? 4000;
  const timeoutMs = limits.timeoutMs ?? 15_000;
  let text = "";
  let truncated = false;
  try {
    const response = await fetch(url, { headers: { Accept: "text/plain" }, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok || !response.body) return undefined;
    const decoder = new TextDecoder();
    let read = 0;
    const reader = response.body.getReader();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      read += chunk.value.byteLength;
      text = (text + decoder.decode(chunk.value, { stream: true })).slice(-tailChars * 2);
      if (read >= maxBytes) {
        truncated = true;
        await reader.cancel();
        break;
      }
    }
    text += decoder.decode();
  } catch (error) {
    // A stream cut short still tells something; anything else (bad URL...) gives nothing.
    if (!isDroppedConnection(error) || text === "") return undefined;
    truncated = true;
  }
  const tail = text.length > tailChars ? text.slice(-tailChars) : text;
  return (text.length > tailChars || truncated ? "[...]\n" : "") + tail.trimEnd();
}

/** What {@link awaitReleasesSince} found. */
export interface AwaitedReleases {
  /** The releases made since `before`, newest first; empty when the change made none. */
  made: Release[];
  /** The app's newest release afterwards: the newest made, else `before` (still the one running). */
  newest: Release | undefined;
}

/**
 * Waits for the releases a change (a container release, a config var change) made, and fails with the
 * release-phase output if one of them failed. `before` is the newest release read BEFORE the change.
 *
 * Heroku creates the release within the change's request: the Heroku CLI (container:release) and
 * terraform-provider-heroku (updateConfigVars) both read the newest release right after it. So a first read
 * that finds nothing newer means no release was made (the same image again: Heroku ignores it), and this
 * returns at once, as the CLI does, instead of waiting for a release that will never come. Otherwise it polls
 * until none of the new releases is `pending`: other releases may land meanwhile (an attachment, another config
 * change), and failing on any failure never reports a change as done while part of it failed.
 */
export async function awaitReleasesSince(
  app: string,
  before: Release | undefined,
  options: { what: string; timeoutMs: number },
): Promise<AwaitedReleases> {
  const since = before?.version ?? 0;
  const newer = async (): Promise<Release[]> => (await recentReleases(app, 10)).filter((r) => (r.version ?? 0) > since);
  const first = await newer();
  if (first.length === 0) return { made: [], newest: before };
  const pendingOf = (releases: Release[]): Release[] => releases.filter((r) => r.status === "pending");
  const made =
    pendingOf(first).length === 0
      ? first
      : await pollUntil<Release[]>(
          options.what,
          async () => {
            const current = await newer();
            const pending = pendingOf(current);
            if (pending.length > 0) return { done: false, status: pending.map((r) => `v${r.version} pending`).join(", ") };
            return { done: true, value: current };
          },
          { intervalMs: resolveClientSettings().pollIntervalMs, timeoutMs: options.timeoutMs },
        );
  const failed = made.filter((r) => r.status !== "succeeded").at(-1);
  if (failed) throw new Error(await releaseFailureMessage(failed));
  return { made, newest: made[0] };
}

/**
 * Why a release failed, with the tail of its release-phase output. A release has an `output_stream_url` only
 * when it ran a release command (@heroku-cli/schema, Release.output_stream_url).
 */
export async function releaseFailureMessage(release: Release): Promise<string> {
  const what = release.output_stream_url ? "the release phase failed" : "the release failed";
  const output = release.output_stream_url ? await readReleaseOutput(release.output_stream_url) : undefined;
  return (
    `release v${release.version} failed: ${what}, so it was not deployed (the app keeps running the previous ` +
    `release).` + (output ? `\n--- release phase output (end) ---\n${output}` : " No release-phase output could be read.")
  );
}
