/** Collecting validation problems and turning them into one clear error. */
import type { z } from "zod";
import type { Problem } from "../providers/backend";

/** Thrown before any resource is registered when the app or its stack config is wrong. */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly Problem[],
    stack: string,
  ) {
    super(
      `multicloud: the app or stack "${stack}" config is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `a.b[0].c`: array indices in brackets, as in the messages' other paths. */
export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, key) => (typeof key === "number" ? `${at}[${key}]` : `${at}.${String(key)}`), prefix);
}

/**
 * Keys whose value may be a credential: what was given there is never printed (a secret pasted where its NAME
 * belongs, e.g. `urlSecret: "rediss://:pw@…"`, or a plain-text secret in config).
 */
const SENSITIVE = /secret|password|passwd|token|apikey|api_key|credential/i;

type Issue = z.core.$ZodIssue;

/** How unlikely it is that a union's branch is the one the user meant: wrong shape at its root weighs most. */
function mismatch(issues: readonly Issue[], value: unknown): number {
  return issues.reduce((score, issue) => {
    const atRoot = issue.path.length === 0 && (issue.code === "invalid_type" || issue.code === "unrecognized_keys" || issue.code === "invalid_value");
    const missingKey = issue.code === "invalid_type" && issue.path.length === 1 && valueAt(value, issue.path) === undefined;
    return score + (atRoot || missingKey ? 10 : 1);
  }, 0);
}

/**
 * An issue as the issues a person should read: a union that failed in one clearly meant branch (`{ ref: 5 }` is an
 * image reference of the wrong type, not a build) reports that branch's issues at their own paths; a record key
 * that failed reports why.
 */
function expand(issue: Issue, input: unknown, base: readonly PropertyKey[] = []): Issue[] {
  const path = [...base, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const value = valueAt(input, path);
    const scores = issue.errors.map((branch) => mismatch(branch, value));
    const best = Math.min(...scores);
    const winners = scores.filter((s) => s === best).length;
    if (best < 10 && winners === 1) {
      return issue.errors[scores.indexOf(best)]!.flatMap((inner) => expand(inner, input, path));
    }
  }
  if (issue.code === "invalid_key" && issue.issues.length > 0) {
    return [{ ...issue, path, message: issue.issues.map((i) => i.message).join("; ") }];
  }
  return [{ ...issue, path }];
}

/** Zod issues as problems under `prefix`, each saying what was given (unless it may be a credential). */
export function zodProblems(prefix: string, error: z.ZodError, input: unknown): Problem[] {
  const sensitive = SENSITIVE.test(prefix);
  return error.issues.flatMap((top) => expand(top, input)).map((issue) => {
    const path = joinPath(prefix, issue.path);
    const given = valueAt(input, issue.path);
    const hidden = sensitive || issue.path.some((key) => SENSITIVE.test(String(key)));
    const saysGiven = hidden || (typeof given === "string" && issue.message.includes(JSON.stringify(given))) || issue.code === "unrecognized_keys" || issue.code === "invalid_value" || issue.code === "invalid_key" || given === undefined;
    const message = saysGiven ? issue.message : `${issue.message} (given ${JSON.stringify(given)})`;
    return { path, message };
  });
}
