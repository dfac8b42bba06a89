/**
 * Helpers for the core's validation tests: stack config written the way the Pulumi CLI hands it to a program, the
 * app resolved against the fake backends, and one assertion that a problem names its key path and the words a
 * person needs (what was given, what is allowed).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import type { AppSpec } from "../../components/spec";
import type { BackendDefinition, Problem } from "../../providers/backend";
import { loadStackConfig } from "../../stacks/load";
import { resolveApp, type Resolution } from "../../stacks/resolve";
import { FAKE_BACKENDS } from "./fakeBackends";

/** The stack the tests pretend to deploy; its project directory is the repo's (build contexts must exist: ./app). */
export const STACK = { project: "multicloud", stack: "staging", projectDir: path.resolve(__dirname, "..", "..") } as const;

/**
 * `multicloud:` config as `pulumi.runtime.allConfig()` returns it: keys namespaced, structured values as JSON text,
 * strings as they are.
 */
export function stackConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key.includes(":") ? key : `multicloud:${key}`,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

export interface Resolved {
  resolution: Resolution;
  /** Problems of loading the config, then of resolving the app, in that order. */
  problems: Problem[];
}

/** Loads `config` and resolves `spec` against it, as `validateApp` does, without a Pulumi runtime. */
export function resolve(
  spec: AppSpec,
  config: Record<string, unknown> = {},
  backends: readonly BackendDefinition[] = FAKE_BACKENDS,
): Resolved {
  const loaded = loadStackConfig(stackConfig(config), backends);
  const resolved = resolveApp(spec, loaded.config, backends, STACK);
  return { resolution: resolved.resolution, problems: [...loaded.problems, ...resolved.problems] };
}

/** Resolves and asserts there is no problem; returns the resolution. */
export function resolveOk(spec: AppSpec, config: Record<string, unknown> = {}, backends?: readonly BackendDefinition[]): Resolution {
  const { resolution, problems } = resolve(spec, config, backends);
  assert.deepEqual(problems, [], "expected no problem");
  return resolution;
}

function show(problems: readonly Problem[]): string {
  return problems.map((p) => `  ${p.path}: ${p.message}`).join("\n") || "  (none)";
}

/**
 * Asserts that exactly one problem has `path` and that its message contains every word (case-sensitive, as
 * written); returns its message.
 */
export function assertProblem(problems: readonly Problem[], path: string, ...words: string[]): string {
  const at = problems.filter((p) => p.path === path);
  assert.equal(at.length, 1, `expected one problem at ${path}, got:\n${show(problems)}`);
  const { message } = at[0]!;
  for (const word of words) assert.ok(message.includes(word), `the problem at ${path} should say ${JSON.stringify(word)}: ${message}`);
  return message;
}

/** Asserts that the problems are exactly at `paths` (in any order): nothing missing, nothing piled on. */
export function assertPaths(problems: readonly Problem[], ...paths: string[]): void {
  assert.deepEqual([...problems.map((p) => p.path)].sort(), [...paths].sort(), `problems:\n${show(problems)}`);
}
