/**
 * Reads the `multicloud:` namespace of the stack config into a `StackConfig`, reporting every problem with its
 * config key path. Reads only names and shapes: secret values are never read here.
 */
import type { BackendDefinition, Problem } from "../providers/backend";
import { zodProblems } from "./problems";
import { configSchemas, NAMESPACE, SECRET_NAME, type StackConfig } from "./schema";
import { closest, didYouMean } from "./zod-helpers";

const PART_KEYS = ["services", "cronJobs", "databases", "caches"] as const;

function parseStructured(key: string, raw: string, problems: Problem[]): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    problems.push({ path: key, message: `must be a map (structured config), given the string ${JSON.stringify(raw)}` });
    return undefined;
  }
}

export interface LoadOptions {
  /** The stack's name, for the commands in messages. */
  stack?: string;
  /** The Pulumi project's name: its config namespace is not a misspelt `multicloud`. */
  project?: string;
  /**
   * Whether a config key holds a secret (`--secret`, `secure:` in the stack file). When given, an UPPER_CASE key
   * stored in plain text is refused. @default unknown: not checked
   */
  isSecret?: (fullKey: string) => boolean;
}

/** Namespaces that are never a misspelt `multicloud` (providers this program configures, Pulumi's own). */
const OTHER_NAMESPACES = ["aws", "heroku", "pulumi", "docker", "docker-build", "random"];

/**
 * @param raw the whole config map, as `pulumi.runtime.allConfig()` returns it (structured values as JSON text)
 */
export function loadStackConfig(
  raw: Readonly<Record<string, string>>,
  backends: readonly BackendDefinition[],
  options: LoadOptions = {},
): { config: StackConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  const schemas = configSchemas(backends);
  const config: StackConfig = {
    tier: "development",
    env: {},
    services: {},
    cronJobs: {},
    databases: {},
    caches: {},
    backendSettings: {},
    invalidKeys: new Set(),
    secretNames: new Set(),
  };
  const backendNames = backends.map((b) => b.name);
  const knownKeys = ["tier", "backend", "env", ...PART_KEYS, ...backendNames];

  const stackFlag = options.stack ? ` -s ${options.stack}` : "";
  for (const [fullKey, value] of Object.entries(raw)) {
    if (!fullKey.startsWith(`${NAMESPACE}:`)) {
      // A misspelt namespace would be ignored, and the stack deployed without what it says.
      const namespace = fullKey.slice(0, Math.max(0, fullKey.indexOf(":")));
      const near = namespace && !OTHER_NAMESPACES.includes(namespace) && namespace !== options.project && closest(namespace, [NAMESPACE]);
      if (near) {
        const fixed = `${NAMESPACE}${fullKey.slice(namespace.length)}`;
        problems.push({ path: fullKey, message: `unknown namespace "${namespace}" (did you mean "${NAMESPACE}"?): this key would be ignored; rename it to ${fixed}` });
      }
      continue;
    }
    const key = fullKey.slice(NAMESPACE.length + 1);
    if (SECRET_NAME.test(key)) {
      // Keys are case-sensitive: `multicloud:TIER` is not the tier (it would be read as a secret named TIER).
      const meant = knownKeys.find((k) => k.toLowerCase() === key.toLowerCase().replace(/_/g, ""));
      if (meant) {
        problems.push({ path: fullKey, message: `config keys are case-sensitive: "${key}" is read as a secret's name, not as the setting "${meant}"; write ${NAMESPACE}:${meant}` });
        continue;
      }
      config.secretNames.add(key);
      if (options.isSecret && !options.isSecret(fullKey)) {
        // The value is never printed: it is a credential.
        problems.push({
          path: fullKey,
          message: `is stored in plain text in ${options.stack ? `Pulumi.${options.stack}.yaml` : "the stack's config file"} (so in git); secrets must be encrypted: run \`pulumi config set --secret ${key} <value>${stackFlag}\``,
        });
      }
      continue;
    }
    if (key === "tier") {
      const result = schemas.tier.safeParse(value);
      if (result.success) config.tier = result.data;
      else problems.push(...zodProblems(fullKey, result.error, value));
      continue;
    }
    if (key === "backend") {
      const result = schemas.backend.safeParse(value);
      if (result.success) config.backend = result.data;
      else {
        config.invalidKeys.add(key);
        problems.push(...zodProblems(fullKey, result.error, value));
      }
      continue;
    }
    if (key === "env") {
      const parsed = parseStructured(fullKey, value, problems);
      if (parsed === undefined) continue;
      const result = schemas.env.safeParse(parsed);
      if (result.success) config.env = result.data;
      else {
        config.invalidKeys.add(key);
        problems.push(...zodProblems(fullKey, result.error, parsed));
      }
      continue;
    }
    if ((PART_KEYS as readonly string[]).includes(key)) {
      const part = key as (typeof PART_KEYS)[number];
      const parsed = parseStructured(fullKey, value, problems);
      if (parsed === undefined) continue;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        problems.push({ path: fullKey, message: `must be a map from ${key} names to their settings, given ${JSON.stringify(parsed)}` });
        continue;
      }
      // Entry by entry, so that one bad entry does not hide the others' settings.
      for (const [name, entry] of Object.entries(parsed)) {
        const result = schemas[part].safeParse(entry ?? {});
        if (result.success) (config[part] as Record<string, unknown>)[name] = result.data;
        else {
          config.invalidKeys.add(`${key}.${name}`);
          problems.push(...zodProblems(`${fullKey}.${name}`, result.error, entry));
        }
      }
      continue;
    }
    const backend = backends.find((b) => b.name === key);
    if (backend) {
      const parsed = parseStructured(fullKey, value, problems);
      if (parsed === undefined) continue;
      const result = backend.settings.stack.safeParse(parsed);
      if (result.success) config.backendSettings[key] = result.data;
      else problems.push(...zodProblems(fullKey, result.error, parsed));
      continue;
    }
    const [head] = key.split(".");
    const needsPath = key.includes(".") && knownKeys.includes(head!);
    problems.push({
      path: fullKey,
      message: needsPath
        ? `"${key}" was set as one flat key; nested settings need --path: pulumi config set --path '${fullKey}' <value>`
        : `unknown key "${key}"${didYouMean(key, knownKeys)}; allowed: ${knownKeys.join(", ")}, or an UPPER_CASE secret name`,
    });
  }
  return { config, problems };
}
