/**
 * Checks the declaration from `index.ts` against its run-time schema (`components/spec-schema.ts`) before anything
 * else reads it. Each part is checked on its own, so that every problem is reported at once: a part that fails is
 * left out of what the resolution reads (so no later check crashes on it, and no backend sees it), but its name
 * stays declared (links to it and config for it are not reported as unknown on top).
 */
import { z } from "zod";
import { appSchema, PART_SCHEMAS } from "../components/spec-schema";
import type { AppSpec } from "../components/spec";
import type { Problem } from "../providers/backend";
import { zodProblems } from "./problems";

export type PartKey = keyof typeof PART_SCHEMAS;
export const PART_KEYS = Object.keys(PART_SCHEMAS) as PartKey[];

export interface CheckedDeclaration {
  /** The declaration with only the parts that passed (the app's name as given, even when it failed). */
  spec: AppSpec;
  /** Every declared part name per map, valid or not. */
  names: Record<PartKey, string[]>;
  problems: Problem[];
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The app's shell: its name and which maps it has; the parts inside are checked one by one below. */
const shell = appSchema.extend(Object.fromEntries(PART_KEYS.map((k) => [k, z.unknown().optional()])) as Record<PartKey, z.ZodOptional<z.ZodUnknown>>);

export function checkDeclaration(input: unknown): CheckedDeclaration {
  const names = { services: [], cronJobs: [], databases: [], caches: [] } as Record<PartKey, string[]>;
  if (!isMap(input)) {
    return {
      spec: { name: "" },
      names,
      problems: [{ path: "app", message: `deployApp needs the app's declaration, { name, services?, cronJobs?, databases?, caches? }; given ${input === undefined ? "nothing" : JSON.stringify(input)}` }],
    };
  }
  const problems: Problem[] = [];
  const parsed = shell.safeParse(input);
  if (!parsed.success) problems.push(...zodProblems("app", parsed.error, input));
  const spec: Record<string, unknown> = { name: input.name };
  for (const key of PART_KEYS) {
    const map = input[key];
    if (map === undefined) continue;
    if (!isMap(map)) {
      problems.push({ path: `app.${key}`, message: `must be a map from names to their settings, e.g. { web: { ... } }; given ${Array.isArray(map) ? "a list" : JSON.stringify(map)}` });
      continue;
    }
    const valid: Record<string, unknown> = {};
    for (const [name, part] of Object.entries(map)) {
      names[key].push(name);
      const result = PART_SCHEMAS[key].safeParse(part);
      if (result.success) valid[name] = part; // as given: transforms keep their identity
      else problems.push(...zodProblems(`app.${key}.${name}`, result.error, part));
    }
    spec[key] = valid;
  }
  return { spec: spec as unknown as AppSpec, names, problems };
}
