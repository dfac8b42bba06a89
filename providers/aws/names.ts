/** Names and tags of the AWS resources of one stack. */
import { createHash } from "node:crypto";
import type { StackInfo } from "../backend";

/** A label safe in DNS names, ECR repository names and ALB names: lowercase letters, digits and `-`, at most 63. */
export function dnsLabel(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/-{2,}/g, "-")
      .slice(0, 63)
      .replace(/^-+|-+$/g, "") || "x"
  );
}

/**
 * A load balancer or target group name: AWS allows 32 characters, and Pulumi's auto-naming does not shorten names
 * to fit. A readable part (at most 24 characters) and a hash of `identity`: put in `identity` whatever forces a
 * replacement, so that the replacement gets a new name and can be created before the old one is deleted.
 */
export function loadBalancerName(readable: string, identity: string): string {
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 7);
  const head = dnsLabel(readable).slice(0, 24).replace(/-+$/, "").replace(/^internal-/, "int-");
  return `${head}-${hash}`;
}

/** `/<appName>/<stack>/<part>`: the prefix of a part's log group and SSM parameters. */
export function partPath(stack: StackInfo, part: string): string {
  return `/${stack.appName}/${stack.stack}/${part}`;
}

/**
 * What the name of every SSM parameter of a part starts with: `<partPath>/`. It ends with `/` so that a grant on
 * `<prefix>*` covers this part only (`/app/stack/web/` is not a prefix of `/app/stack/web-admin/...`).
 */
export function parameterPrefix(stack: StackInfo, part: string): string {
  return `${partPath(stack, part)}/`;
}

/** The SSM parameter holding one secret of a part: `<parameterPrefix>NAME`. */
export function parameterName(stack: StackInfo, part: string, secret: string): string {
  return `${parameterPrefix(stack, part)}${secret}`;
}

/**
 * SSM refuses parameter names that start with `aws` or `ssm`, in any case ("A parameter name can't be prefixed with
 * aws or ssm", PutParameter's Name in aws/api-models-aws ssm). That a leading `/` does not lift the rule is our
 * (conservative) reading: it cannot be checked without an account.
 */
export const SSM_RESERVED_PREFIX = /^\/?(aws|ssm)/i;

/**
 * The longest parameter name we send: SSM allows 1011 characters counting the ARN before the name
 * (`arn:<partition>:ssm:<region>:<account>:parameter`, about 45-64 of them), per PutParameter's Name documentation.
 */
export const SSM_MAX_PARAMETER_NAME = 1011 - 64;

/** The ECR repository of a part's image: `<app>/<stack>/<part>`, as ECR allows (lowercase). */
export function repositoryName(stack: StackInfo, part: string): string {
  return [stack.appName, stack.stack, part].map(dnsLabel).join("/");
}

/** The private DNS namespace private services are registered in: `<stack>.<app>.internal`. */
export function privateNamespace(stack: StackInfo): string {
  return `${dnsLabel(stack.stack)}.${dnsLabel(stack.appName)}.internal`;
}

/** Tags on every taggable resource: who owns it, for the console and the bill. */
export function tags(stack: StackInfo, part?: string): Record<string, string> {
  return {
    "multicloud:app": stack.appName,
    "multicloud:stack": stack.stack,
    ...(part ? { "multicloud:part": part } : {}),
  };
}

/** FNV-1a: a small stable hash, for listener rule priorities. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
