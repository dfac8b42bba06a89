/** Small zod helpers that make config errors say what is allowed. */
import { z } from "zod";

/** Edit distance, for "did you mean" on misspelt keys and names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}

/** The closest of `candidates` to `given`, when it is close enough to be a likely typo. */
export function closest(given: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(given.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (bestDistance <= Math.max(2, Math.floor(given.length / 3))) return best;
  // A shortened name: `crons` for `cronJobs`, `health` for `healthCheck`.
  const stem = given.toLowerCase().replace(/s$/, "");
  return stem.length >= 4 ? candidates.find((c) => c.toLowerCase().startsWith(stem)) : undefined;
}

/** " (did you mean \"x\"?)" or "". */
export function didYouMean(given: string, candidates: readonly string[]): string {
  const guess = closest(given, candidates);
  return guess ? ` (did you mean "${guess}"?)` : "";
}

/** A strict object whose unknown-key error lists the keys it allows, with a guess for the misspelt one. */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "invalid_type") return `must be a map { ${allowed.join(", ")} }`;
      if (issue.code !== "unrecognized_keys") return undefined;
      const keys = issue.keys.map((k) => `"${k}"${didYouMean(k, allowed)}`).join(", ");
      return `unknown key ${keys}; allowed: ${allowed.join(", ")}`;
    },
  });
}

/** An enum whose error names what was given and what is allowed. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not allowed; allowed: ${values.join(", ")}` +
      (typeof issue.input === "string" ? didYouMean(issue.input, values) : ""),
  });
}
