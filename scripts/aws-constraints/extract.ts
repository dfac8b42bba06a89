/**
 * Extracts, from AWS's own API models (Smithy JSON, github.com/aws/api-models-aws), the constraints of every API
 * member listed in providers/aws/constraints/fields.ts, into providers/aws/constraints/model-constraints.json.
 *
 * Run by hand against a local clone or mirror of aws/api-models-aws (NOT part of `npm test`: the models are not in
 * CI, the JSON they produce is committed):
 *
 *   npx tsx scripts/aws-constraints/extract.ts <path to aws/api-models-aws git dir or checkout> [--rev HEAD]
 *
 * Models are read with `git show <rev>:<service>/service/<version>/<service>-<version>.json`, so a bare mirror works.
 * Per member it keeps the Smithy `length`, `pattern` and `enum` traits of the member and of its target shape (for a
 * list, of its item; for a map, of its key or value), and the member's documentation as plain text: AWS writes many
 * rules there only (RDS identifiers, ELB names), and providers/aws/constraints/fields.ts cites them.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { FIELDS, memberKey, type ApiMember } from "../../providers/aws/constraints/fields";

interface Shape {
  type: string;
  members?: Record<string, { target: string; traits?: Record<string, unknown> }>;
  member?: { target: string; traits?: Record<string, unknown> };
  key?: { target: string; traits?: Record<string, unknown> };
  value?: { target: string; traits?: Record<string, unknown> };
  traits?: Record<string, unknown>;
}
interface Model {
  shapes: Record<string, Shape>;
}

export interface MemberConstraints {
  /** The model file, relative to the repository. */
  file: string;
  /** The shape the value has (for lists and maps: the item's, key's or value's). */
  target: string;
  length?: { min?: number; max?: number };
  /** An ECMA-262 regular expression, not implicitly anchored (Smithy's `pattern` trait). */
  pattern?: string;
  enum?: string[];
  /** The member's documentation, HTML stripped. */
  doc?: string;
}

const LENGTH = "smithy.api#length";
const PATTERN = "smithy.api#pattern";
const ENUM = "smithy.api#enum";
const DOC = "smithy.api#documentation";

function git(repo: string, ...args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
}

function plain(html: unknown): string | undefined {
  if (typeof html !== "string") return undefined;
  return html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() || undefined;
}

/** The constraints of a value of shape `target`, with the member's own traits taking precedence. */
function constraintsOf(model: Model, target: string, memberTraits: Record<string, unknown> = {}): Omit<MemberConstraints, "file" | "doc"> {
  const shape = model.shapes[target];
  const traits = { ...(shape?.traits ?? {}), ...memberTraits };
  const out: Omit<MemberConstraints, "file" | "doc"> = { target };
  if (traits[LENGTH]) out.length = traits[LENGTH] as { min?: number; max?: number };
  if (typeof traits[PATTERN] === "string") out.pattern = traits[PATTERN];
  if (Array.isArray(traits[ENUM])) out.enum = (traits[ENUM] as { value: string }[]).map((e) => e.value);
  if (shape?.type === "enum" && shape.members) {
    out.enum = Object.entries(shape.members).map(([name, m]) => String((m.traits?.["smithy.api#enumValue"] as string | undefined) ?? name));
  }
  return out;
}

function main(): void {
  const [repo, ...rest] = process.argv.slice(2);
  if (!repo) throw new Error("usage: extract.ts <aws/api-models-aws git dir> [--rev REV]");
  const rev = rest[0] === "--rev" && rest[1] ? rest[1] : "HEAD";
  const commit = git(repo, "rev-parse", rev).trim();
  const date = git(repo, "show", "-s", "--format=%cI", commit).trim();
  const files = git(repo, "ls-tree", "-r", "--name-only", commit).split("\n");

  const members = new Map<string, ApiMember>();
  for (const field of FIELDS) if (field.member) members.set(memberKey(field.member), field.member);

  const models = new Map<string, { file: string; model: Model } | undefined>();
  const modelOf = (service: string) => {
    if (!models.has(service)) {
      const file = files.find((f) => f.startsWith(`${service}/service/`) && f.endsWith(".json"));
      let loaded: { file: string; model: Model } | undefined;
      try {
        if (file) loaded = { file, model: JSON.parse(git(repo, "show", `${commit}:${file}`)) as Model };
      } catch {
        loaded = undefined; // listed but absent from a partial mirror (large files): reported below
      }
      models.set(service, loaded);
    }
    return models.get(service);
  };

  const out: Record<string, MemberConstraints> = {};
  const missing: string[] = [];
  for (const [key, m] of [...members].sort(([a], [b]) => a.localeCompare(b))) {
    const loaded = modelOf(m.service);
    const structure = loaded && Object.entries(loaded.model.shapes).find(([id]) => id.endsWith(`#${m.shape}`))?.[1];
    const member = structure?.members?.[m.member];
    if (!loaded || !member) {
      missing.push(`${key}${loaded ? "" : " (model not available)"}`);
      continue;
    }
    let target = member.target;
    let traits: Record<string, unknown> = member.traits ?? {};
    if (m.part) {
      const collection = loaded.model.shapes[target];
      const inner = m.part === "item" ? collection?.member : m.part === "key" ? collection?.key : collection?.value;
      if (!inner) {
        missing.push(`${key} (${target} has no ${m.part})`);
        continue;
      }
      target = inner.target;
      traits = inner.traits ?? {};
    }
    const doc = plain(member.traits?.[DOC]);
    out[key] = { file: loaded.file, ...constraintsOf(loaded.model, target, traits), ...(doc ? { doc: doc.slice(0, 1200) } : {}) };
  }

  const target = path.resolve(__dirname, "../../providers/aws/constraints/model-constraints.json");
  const json = {
    source: { repository: "https://github.com/aws/api-models-aws", commit, date },
    members: out,
  };
  fs.writeFileSync(target, `${JSON.stringify(json, null, 1)}\n`);
  console.log(`${Object.keys(out).length} members from ${commit} (${date}) -> ${path.relative(process.cwd(), target)}`);
  if (missing.length) console.log(`not found (documented rules in fields.ts apply alone):\n  ${missing.join("\n  ")}`);
}

main();
