/**
 * Checks planned AWS resources against what AWS accepts: the constraints of AWS's API models
 * (./model-constraints.json, extracted by scripts/aws-constraints/extract.ts) and those AWS documents only
 * (./fields.ts). Used by the tests on every plan they make (the sample stacks, a generated worst case); it sees the
 * resources the mock runtime registered, so it needs no account.
 *
 * Values not known at plan time (IDs, ARNs, ACM's validation records) and secrets' contents are skipped. A field
 * the provider names itself (Pulumi auto-naming) is checked as `<logical name>-abcdef0`.
 */
import modelJson from "./model-constraints.json";
import { FIELDS, memberKey, type DocumentedRule, type FieldRule } from "./fields";

interface ModelMember {
  file: string;
  target: string;
  length?: { min?: number; max?: number };
  pattern?: string;
  enum?: string[];
}

const MODEL = modelJson as unknown as { source: { commit: string }; members: Record<string, ModelMember> };

/** A resource as the mock runtime recorded it. */
export interface PlannedAwsResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export interface Violation {
  /** `<type> <logical name>` */
  resource: string;
  /** The input property, with indexes or keys filled in (`tags.multicloud:app`, `containerDefinitions[0].name`). */
  field: string;
  value: string;
  /** What AWS requires. */
  constraint: string;
  /** Where that requirement comes from. */
  source: string;
}

/** Pulumi's auto-name suffix: `-` and 7 random hex digits (pulumi-terraform-bridge AutoName, Randlen 7). */
export const AUTO_NAME_SUFFIX = "-abcdef0";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** Pulumi's placeholder for a value not known yet (preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function unwrap(value: unknown): unknown {
  if (typeof value === "object" && value !== null && SECRET_SIG in value) return unwrap((value as unknown as { value: unknown }).value);
  return value;
}

/** The string values at `property` in `inputs`, with the concrete path of each. */
export function valuesAt(inputs: unknown, property: string): { path: string; value: unknown }[] {
  let current: { path: string; value: unknown }[] = [{ path: "", value: inputs }];
  for (const step of property.split(".")) {
    const next: { path: string; value: unknown }[] = [];
    for (const { path, value: raw } of current) {
      const value = unwrap(raw);
      if (value === undefined || value === null || value === UNKNOWN) continue;
      if (step === "(json)") {
        if (typeof value !== "string") continue;
        try {
          next.push({ path, value: JSON.parse(value) as unknown });
        } catch {
          // Not JSON yet (an unknown interpolated in): nothing to check.
        }
      } else if (step === "*") {
        if (Array.isArray(value)) value.forEach((v, i) => next.push({ path: `${path}[${i}]`, value: v }));
        else if (typeof value === "object") for (const [k, v] of Object.entries(value)) next.push({ path: `${path}.${k}`, value: v });
      } else if (step === "*key" || step === "*value") {
        if (typeof value !== "object" || Array.isArray(value)) continue;
        for (const [k, v] of Object.entries(value)) next.push({ path: `${path}.${k}${step === "*key" ? " (key)" : ""}`, value: step === "*key" ? k : v });
      } else if (typeof value === "object" && !Array.isArray(value)) {
        next.push({ path: path ? `${path}.${step}` : step, value: (value as Record<string, unknown>)[step] });
      }
    }
    current = next;
  }
  return current
    .map(({ path, value }) => ({ path: path.replace(/^\./, ""), value: unwrap(value) }))
    .filter(({ value }) => value !== undefined && value !== null);
}

const compiled = new Map<string, RegExp>();

/** Smithy patterns are ECMA-262; a few model patterns use Java's `\p{Print}` (ASCII printable in Java's default). */
function compile(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    const source = pattern.replace(/\\p\{Print\}/g, "[\\x20-\\x7E]");
    try {
      regex = new RegExp(source, "u");
    } catch {
      regex = new RegExp(source);
    }
    compiled.set(pattern, regex);
  }
  return regex;
}

function modelProblems(value: string, member: ModelMember): { constraint: string }[] {
  const problems: { constraint: string }[] = [];
  // Smithy's length counts Unicode code points for strings.
  const length = [...value].length;
  const { min, max } = member.length ?? {};
  if (min !== undefined && length < min) problems.push({ constraint: `at least ${min} characters (${length} given)` });
  if (max !== undefined && length > max) problems.push({ constraint: `at most ${max} characters (${length} given)` });
  if (member.pattern && !compile(member.pattern).test(value)) problems.push({ constraint: `must match ${member.pattern}` });
  if (member.enum && !member.enum.includes(value)) problems.push({ constraint: `one of ${member.enum.join(", ")}` });
  return problems;
}

function documentedProblems(value: string, rule: DocumentedRule): boolean {
  if (rule.pattern && !rule.pattern.test(value)) return true;
  if (rule.forbidden && rule.forbidden.test(value)) return true;
  if (rule.maxLength !== undefined && value.length > rule.maxLength) return true;
  if (rule.minLength !== undefined && value.length < rule.minLength) return true;
  return false;
}

function checkField(resource: PlannedAwsResource, field: FieldRule): Violation[] {
  let found = valuesAt(resource.inputs, field.property);
  if (field.autoName && found.length === 0) found = [{ path: field.property, value: `${resource.name}${AUTO_NAME_SUFFIX}` }];
  const violations: Violation[] = [];
  const member = field.member ? MODEL.members[memberKey(field.member)] : undefined;
  for (const { path, value } of found) {
    if (typeof value !== "string" || value.includes(UNKNOWN)) continue;
    const at = { resource: `${resource.type} ${resource.name}`, field: path, value };
    if (member) {
      for (const p of modelProblems(value, member)) {
        violations.push({ ...at, constraint: p.constraint, source: `aws/api-models-aws@${MODEL.source.commit.slice(0, 12)} ${member.file} ${memberKey(field.member!)}` });
      }
    }
    for (const rule of field.documented ?? []) {
      if (documentedProblems(value, rule)) violations.push({ ...at, constraint: rule.rule, source: rule.source });
    }
  }
  return violations;
}

const BY_TYPE = new Map<string, FieldRule[]>();
for (const field of FIELDS) BY_TYPE.set(field.type, [...(BY_TYPE.get(field.type) ?? []), field]);

/** Every constraint a planned AWS resource breaks, for every resource given (non-AWS ones are ignored). */
export function checkAwsConstraints(resources: readonly PlannedAwsResource[]): Violation[] {
  return resources.flatMap((r) => (BY_TYPE.get(r.type) ?? []).flatMap((field) => checkField(r, field)));
}

/** The AWS resource types the check knows. */
export function checkedTypes(): Set<string> {
  return new Set(BY_TYPE.keys());
}

/** One line per violation, for test failures and reports. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.resource} ${v.field} = ${JSON.stringify(v.value)}: ${v.constraint} [${v.source}]`).join("\n");
}
