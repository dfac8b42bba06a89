// Releases and the release-phase log: https://devcenter.heroku.com/articles/platform-api-reference#release
import type { Release } from "@heroku-cli/schema";
import { herokuRequest, segment } from "./client";
import { isDroppedConnection } from "./retry";

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
