// The stack's `aws:` settings, as the release task's dynamic provider receives them.
//
// Since Pulumi 3.140 the engine hands a dynamic provider the WHOLE stack config, namespaces kept and secrets
// decrypted, through Configure (pulumi/pulumi#17229, #17697); the SDK's host calls the provider's `configure`
// once per provider text with it. The settings are kept on `globalThis`, never on the provider object or at
// module scope, so that no serialization can capture a key (the same choice as providers/heroku/api/settings.ts).
// With an older engine, or none of these keys set, the settings are empty and the SDK's default chain applies.
//
// Runs inside the dynamic-provider host after serialization: plain functions, type imports only.
import type * as pulumi from "@pulumi/pulumi";

/** One role to assume, from `aws:assumeRoles[i]` (pulumi-aws >= 7) or `aws:assumeRole` (pulumi-aws < 7). */
export interface AssumedRole {
  /** ARN of the role, e.g. `arn:aws:iam::123456789012:role/deployer`. */
  roleArn: string;
  /** Session name. @default the SDK's `aws-sdk-js-<time>` */
  sessionName?: string;
  /** External ID the role's trust policy requires. @default undefined */
  externalId?: string;
  /** Session length in seconds, from `duration` (`"1h"`, `"15m"`) or the older `durationSeconds`. @default STS's 3600 */
  durationSeconds?: number;
  /** Inline session policy (JSON). @default undefined */
  policy?: string;
  /** Managed session policy ARNs. @default undefined */
  policyArns?: string[];
  /** Session tags. @default undefined */
  tags?: Record<string, string>;
  /** Session tag keys passed on to later roles in the chain. @default undefined */
  transitiveTagKeys?: string[];
  /** Source identity. @default undefined */
  sourceIdentity?: string;
}

/** What the release task takes from the stack's `aws:` config. Every field is optional; see {@link readAwsSettings}. */
export interface ReleaseAwsSettings {
  /** `aws:accessKey` (secret). */
  accessKey?: string;
  /** `aws:secretKey` (secret). */
  secretKey?: string;
  /** `aws:token`: session token of temporary keys (secret). */
  token?: string;
  /** `aws:profile`: named profile of the shared files. */
  profile?: string;
  /** The one entry of `aws:sharedCredentialsFiles`. @default the SDK's (`AWS_SHARED_CREDENTIALS_FILE`, `~/.aws/credentials`) */
  sharedCredentialsFile?: string;
  /** The one entry of `aws:sharedConfigFiles`. @default the SDK's (`AWS_CONFIG_FILE`, `~/.aws/config`) */
  sharedConfigFile?: string;
  /** `aws:assumeRoles` (or `aws:assumeRole`), assumed in order, each with the credentials of the one before. */
  assumeRoles?: AssumedRole[];
  /** `aws:stsRegion`: region of the STS calls. @default the cluster's region */
  stsRegion?: string;
  /** What is wrong with the config, one sentence per key; a release refuses to run while any is left. */
  problems?: string[];
}

/** The `aws:` keys read, in the order {@link readAwsSettings} reads them (named in messages and docs). */
export const AWS_CONFIG_KEYS = [
  "aws:accessKey",
  "aws:secretKey",
  "aws:token",
  "aws:profile",
  "aws:sharedCredentialsFiles",
  "aws:sharedConfigFiles",
  "aws:assumeRoles",
  "aws:assumeRole",
  "aws:stsRegion",
] as const;

const SETTINGS_SLOT = "__multicloudAwsReleaseSettings";

/** `configure` of the release provider: reads the stack's `aws:` config for every later call in this process. */
export async function configureFromStackConfig(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const raw: Record<string, unknown> = {};
  for (const key of AWS_CONFIG_KEYS) {
    try {
      raw[key] = request.config.get(key);
    } catch {
      // The host's Config throws when the engine sent no config at all (engines before 3.140): nothing to read.
      return;
    }
  }
  rememberAwsSettings(readAwsSettings(raw));
}

/** Keeps `settings` for the calls that follow, out of reach of serialization. */
export function rememberAwsSettings(settings: ReleaseAwsSettings): void {
  (globalThis as Record<string, unknown>)[SETTINGS_SLOT] = settings;
}

/** The settings kept by {@link rememberAwsSettings}, or none. */
export function rememberedAwsSettings(): ReleaseAwsSettings {
  const value = (globalThis as Record<string, unknown>)[SETTINGS_SLOT];
  return typeof value === "object" && value !== null ? (value as ReleaseAwsSettings) : {};
}

/**
 * The release task's settings from raw stack config values (keys fully qualified, values as the engine sends
 * them: strings, structured values as JSON text). Malformed values become `problems` naming the key, never
 * echoing a secret value.
 */
export function readAwsSettings(raw: Record<string, unknown>): ReleaseAwsSettings {
  const problems: string[] = [];
  const text = (key: string): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value === "string") return value.trim() || undefined;
    problems.push(`${key} must be a string`);
    return undefined;
  };
  const structured = (key: string): unknown => {
    const value = raw[key];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      problems.push(`${key} must be JSON (as \`pulumi config set --path\` or a YAML list/object in the stack file writes it)`);
      return undefined;
    }
  };
  const oneFile = (key: string): string | undefined => {
    const value = structured(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.trim() !== "")) {
      problems.push(`${key} must be a list of file paths`);
      return undefined;
    }
    // The JS SDK's profile loader takes one file of each kind (`filepath` / `configFilepath`), where
    // pulumi-aws merges several: refuse rather than silently read fewer than the aws provider does.
    if (value.length > 1) {
      problems.push(`${key} lists ${value.length} files; the release task can read only one: merge them into one file`);
      return undefined;
    }
    return value[0] as string | undefined;
  };

  const settings: ReleaseAwsSettings = {
    accessKey: text("aws:accessKey"),
    secretKey: text("aws:secretKey"),
    token: text("aws:token"),
    profile: text("aws:profile"),
    sharedCredentialsFile: oneFile("aws:sharedCredentialsFiles"),
    sharedConfigFile: oneFile("aws:sharedConfigFiles"),
    stsRegion: text("aws:stsRegion"),
  };
  if (Boolean(settings.accessKey) !== Boolean(settings.secretKey)) {
    problems.push("aws:accessKey and aws:secretKey must be set together (or neither)");
  }
  if (settings.token && !settings.accessKey) problems.push("aws:token needs aws:accessKey and aws:secretKey");

  const roles = structured("aws:assumeRoles");
  const legacyRole = structured("aws:assumeRole");
  if (roles !== undefined && legacyRole !== undefined) {
    problems.push("aws:assumeRoles and aws:assumeRole are both set: keep aws:assumeRoles (pulumi-aws 7 replaced aws:assumeRole with it)");
  } else if (roles !== undefined) {
    if (!Array.isArray(roles)) problems.push("aws:assumeRoles must be a list of roles ({roleArn, sessionName, externalId, ...})");
    else settings.assumeRoles = roles.flatMap((role, i) => assumedRole(role, `aws:assumeRoles[${i}]`, problems));
  } else if (legacyRole !== undefined) {
    settings.assumeRoles = assumedRole(legacyRole, "aws:assumeRole", problems);
  }
  if (problems.length > 0) settings.problems = problems;
  return settings;
}

/** One role from its config object (pulumi-aws field names), or none with a problem. */
function assumedRole(value: unknown, path: string, problems: string[]): AssumedRole[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push(`${path} must be an object ({roleArn, sessionName, externalId, ...})`);
    return [];
  }
  const role = value as Record<string, unknown>;
  if (typeof role.roleArn !== "string" || !/^arn:[^:]+:iam::\d{12}:role\/.+/.test(role.roleArn)) {
    problems.push(`${path}.roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
    return [];
  }
  const optionalText = (field: string): string | undefined => (typeof role[field] === "string" && role[field] !== "" ? (role[field] as string) : undefined);
  const stringList = (field: string): string[] | undefined =>
    Array.isArray(role[field]) && (role[field] as unknown[]).every((v) => typeof v === "string") ? (role[field] as string[]) : undefined;
  let durationSeconds: number | undefined;
  if (role.duration !== undefined && role.duration !== "") {
    durationSeconds = typeof role.duration === "string" ? goDurationSeconds(role.duration) : undefined;
    if (durationSeconds === undefined) problems.push(`${path}.duration must be a duration such as "1h" or "15m", got ${JSON.stringify(role.duration)}`);
  } else if (role.durationSeconds !== undefined) {
    if (typeof role.durationSeconds === "number" && Number.isInteger(role.durationSeconds)) durationSeconds = role.durationSeconds;
    else problems.push(`${path}.durationSeconds must be a whole number of seconds`);
  }
  const tags =
    typeof role.tags === "object" && role.tags !== null && Object.values(role.tags).every((v) => typeof v === "string")
      ? (role.tags as Record<string, string>)
      : undefined;
  return [
    {
      roleArn: role.roleArn,
      sessionName: optionalText("sessionName"),
      externalId: optionalText("externalId"),
      durationSeconds,
      policy: optionalText("policy"),
      policyArns: stringList("policyArns"),
      tags,
      transitiveTagKeys: stringList("transitiveTagKeys"),
      sourceIdentity: optionalText("sourceIdentity"),
    },
  ];
}

/** Seconds of a Go duration made of h/m/s parts (`"1h30m"`, `"900s"`), the form pulumi-aws's `duration` takes. */
function goDurationSeconds(value: string): number | undefined {
  if (!/^(\d+(\.\d+)?[hms])+$/.test(value)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)([hms])/g)) {
    seconds += Number(amount) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
  }
  return Math.round(seconds);
}
