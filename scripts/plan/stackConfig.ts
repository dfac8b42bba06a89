/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program: every key namespaced, structured
 * values as JSON text. Encrypted (`secure:`) values cannot be decrypted offline, and need not be: each becomes a
 * placeholder and its key is marked secret, so it counts as present and stays masked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const SECRET_PLACEHOLDER = "[secret]";

export interface LoadedStack {
  project: string;
  stack: string;
  /** As `pulumi.runtime.allConfig()` returns it. */
  config: Record<string, string>;
  /** Keys whose value is (or contains) a secret. */
  secretKeys: string[];
}

function isSecure(value: unknown): value is { secure: string } {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

/** Replaces every `{secure: ...}` inside a structured value; reports whether there was one. */
function maskSecure(value: unknown): { value: unknown; secret: boolean } {
  if (isSecure(value)) return { value: SECRET_PLACEHOLDER, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(maskSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, maskSecure(v)] as const);
    return { value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])), secret: entries.some(([, v]) => v.secret) };
  }
  return { value, secret: false };
}

/** A YAML file's content; a syntax error names the file (and the line, from the parser's own message). */
function readYaml(file: string): unknown {
  try {
    return parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${(error as Error).message}`);
  }
}

export function loadStack(dir: string, stack: string): LoadedStack {
  const projectFile = path.join(dir, "Pulumi.yaml");
  const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(projectFile)) throw new Error(`no Pulumi.yaml in ${dir}`);
  if (!fs.existsSync(stackFile)) {
    const stacks = fs.readdirSync(dir).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
    throw new Error(`no stack "${stack}": ${stackFile} does not exist; stacks here: ${stacks.join(", ") || "none"}`);
  }
  const project = (readYaml(projectFile) as { name?: string } | null)?.name;
  if (!project) throw new Error(`${projectFile} has no project name`);
  const raw = (readYaml(stackFile) as { config?: Record<string, unknown> } | null)?.config ?? {};
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    const masked = maskSecure(value);
    config[fullKey] = typeof masked.value === "string" ? masked.value : JSON.stringify(masked.value);
    if (masked.secret) secretKeys.push(fullKey);
  }
  return { project, stack, config, secretKeys };
}
