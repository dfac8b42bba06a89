/** Prints a plan for people (a tree per part) or for programs (`--json`). Secrets are always masked. */
import { maskSecrets, type PlanResult, type PlannedResource } from "./run";

/** The `--json` document: `{stack, components, resources, warnings}`. */
export function planJson(plan: PlanResult) {
  return {
    stack: plan.stack,
    components: plan.components.map(({ name, kind, backend }) => ({ name, kind, backend })),
    resources: plan.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ?? null,
      inputs: maskSecrets(r.inputs),
    })),
    warnings: plan.warnings,
  };
}

const MAX_VALUE = 70;

/** `key=value` pairs of the settings worth a glance: scalars and short lists, nested objects summarised. */
function keySettings(inputs: Record<string, unknown>): string {
  const masked = maskSecrets(inputs) as Record<string, unknown>;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(masked)) {
    if (key === "__provider" || value === undefined || value === null) continue;
    let text: string;
    if (typeof value === "object") {
      text = JSON.stringify(value);
      if (text === "{}" || text === "[]") continue;
    } else text = String(value);
    if (text.length > MAX_VALUE) text = `${text.slice(0, MAX_VALUE - 1)}…`;
    parts.push(`${key}=${text}`);
  }
  return parts.join(" ");
}

function flags(r: PlannedResource): string {
  const f = [
    r.protect && "protected",
    r.retainOnDelete && "retained on delete",
    r.ignoreChanges.includes("*") && "frozen: never updated",
  ].filter(Boolean);
  return f.length ? ` [${f.join(", ")}]` : "";
}

export function planText(plan: PlanResult): string {
  const lines: string[] = [];
  const backendOf = new Map(plan.components.map((c) => [c.name, c]));
  lines.push(`Plan for stack "${plan.stack}" of project "${plan.project}" (offline: Pulumi's mock runtime, no cloud calls)`);
  const children = new Map<string, PlannedResource[]>();
  for (const r of plan.resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const roots = plan.resources.filter((r) => !r.parent);
  const countUnder = (urn: string): number => (children.get(urn) ?? []).reduce((n, c) => n + (c.custom ? 1 : 0) + countUnder(c.urn), 0);
  const walk = (r: PlannedResource, depth: number) => {
    const indent = "  ".repeat(depth);
    if (r.custom) {
      const settings = keySettings(r.inputs);
      lines.push(`${indent}+ ${r.type}  ${r.name}${flags(r)}${settings ? `\n${indent}    ${settings}` : ""}`);
    } else {
      const part = backendOf.get(r.name);
      const label = part ? `${r.type.split(":").pop()} "${r.name}" on ${part.backend}${part.movedFrom ? ` (moved from ${part.movedFrom}, kept)` : ""}` : `${r.type} "${r.name}"`;
      lines.push(`${indent}${label}: ${countUnder(r.urn)} resource(s)`);
    }
    for (const c of children.get(r.urn) ?? []) walk(c, depth + 1);
  };
  lines.push("");
  for (const root of roots) walk(root, 0);
  const total = plan.resources.filter((r) => r.custom).length;
  lines.push("", `${total} resource(s) to create in ${plan.components.length} part(s).`);
  if (plan.notes.length) {
    lines.push("", "Notes:");
    for (const n of plan.notes) lines.push(`  - ${n}`);
  }
  if (plan.warnings.length) {
    lines.push("", "Warnings:");
    for (const w of plan.warnings) lines.push(`  ! ${w}`);
  }
  return lines.join("\n");
}
