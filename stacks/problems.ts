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

/** Zod issues as problems under `prefix`, each saying what was given. */
export function zodProblems(prefix: string, error: z.ZodError, input: unknown): Problem[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].join(".");
    const given = valueAt(input, issue.path);
    const saysGiven = issue.code === "unrecognized_keys" || issue.code === "invalid_value" || given === undefined;
    const message = saysGiven ? issue.message : `${issue.message} (given ${JSON.stringify(given)})`;
    return { path, message };
  });
}
