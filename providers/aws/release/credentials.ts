// The credentials the release task's AWS clients sign with, built from the stack's `aws:` config the way the
// pulumi-aws provider reads it (https://www.pulumi.com/registry/packages/aws/installation-configuration/, which
// follows terraform-provider-aws "Authentication and Configuration": provider config first, then the
// environment, then the shared files, then container and instance roles), with the SDK's own credential
// providers (`@aws-sdk/credential-providers`), never by hand:
//   1. `aws:accessKey` + `aws:secretKey` (+ `aws:token`): those keys;
//   2. otherwise the SDK's default chain (`fromNodeProviderChain`: environment, SSO, shared files, process, web
//      identity, container, instance), reading `aws:profile` and the files of `aws:sharedCredentialsFiles` /
//      `aws:sharedConfigFiles` when set. A profile given explicitly wins over AWS_ACCESS_KEY_ID in the environment,
//      as in pulumi-aws (aws-sdk-go's `session.Options.Profile`) and in the JS chain itself
//      (`@aws-sdk/credential-provider-node`: a set profile skips `fromEnv`);
//   3. then each role of `aws:assumeRoles` in order (`fromTemporaryCredentials`, STS AssumeRole), each assumed with
//      the credentials of the step before: the role chaining of pulumi-aws 7 (pulumi/pulumi-aws#4459, #5563).
// Pulumi ESC reaches the release either way: its `pulumiConfig` becomes these `aws:` keys, its
// `environmentVariables` the environment the default chain reads.
import type { ECSClientConfig } from "@aws-sdk/client-ecs";
import type { ReleaseAwsSettings } from "./awsConfig";
import { loadCredentialProviders } from "./sdk";

/** What an SDK client's `credentials` accepts: keys, or a function that resolves them. */
export type ClientCredentials = NonNullable<ECSClientConfig["credentials"]>;

/** Credentials for the clients, and a description of where they come from (for messages; never a secret). */
export interface ReleaseCredentials {
  /** What to give the client's `credentials`. */
  credentials: ClientCredentials;
  /** E.g. `stack config aws:accessKey, then role arn:aws:iam::1:role/deployer`. */
  source: string;
}

/** The credentials of one release run. `stsRegion` is the region of the AssumeRole calls. */
export function releaseCredentials(settings: ReleaseAwsSettings, stsRegion: string): ReleaseCredentials {
  const providers = loadCredentialProviders();
  let credentials: ClientCredentials;
  let source: string;
  if (settings.accessKey && settings.secretKey) {
    credentials = {
      accessKeyId: settings.accessKey,
      secretAccessKey: settings.secretKey,
      ...(settings.token ? { sessionToken: settings.token } : {}),
    };
    source = "the keys of stack config aws:accessKey/aws:secretKey";
  } else {
    credentials = providers.fromNodeProviderChain({
      ...(settings.profile ? { profile: settings.profile } : {}),
      ...(settings.sharedCredentialsFile ? { filepath: settings.sharedCredentialsFile } : {}),
      ...(settings.sharedConfigFile ? { configFilepath: settings.sharedConfigFile } : {}),
    });
    source = settings.profile
      ? `profile "${settings.profile}" (stack config aws:profile)`
      : "the default AWS credential chain (environment, shared files, SSO, container or instance role)";
  }
  for (const role of settings.assumeRoles ?? []) {
    credentials = providers.fromTemporaryCredentials({
      masterCredentials: credentials,
      clientConfig: { region: stsRegion },
      params: {
        RoleArn: role.roleArn,
        ...(role.sessionName ? { RoleSessionName: role.sessionName } : {}),
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
        ...(role.durationSeconds ? { DurationSeconds: role.durationSeconds } : {}),
        ...(role.policy ? { Policy: role.policy } : {}),
        ...(role.policyArns ? { PolicyArns: role.policyArns.map((arn) => ({ arn })) } : {}),
        ...(role.tags ? { Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
        ...(role.transitiveTagKeys ? { TransitiveTagKeys: role.transitiveTagKeys } : {}),
        ...(role.sourceIdentity ? { SourceIdentity: role.sourceIdentity } : {}),
      },
    });
    source += `, then role ${role.roleArn}`;
  }
  return { credentials: typeof credentials === "function" ? sharedBetweenClients(credentials) : credentials, source };
}

// Renew shared credentials this long before they expire (the SDK's own clients use 5 minutes too).
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

/**
 * One resolution for the STS and the ECS client of a run: each SDK client caches what its provider returns, but
 * only for itself, so a role chain would otherwise be assumed once per client. Resolved again near expiry (a
 * release may poll for 30 minutes), and after a failure.
 */
function sharedBetweenClients(provider: Exclude<ClientCredentials, { accessKeyId: string }>): ClientCredentials {
  let pending: ReturnType<typeof provider> | undefined;
  return async () => {
    const current = pending ? await pending.catch(() => undefined) : undefined;
    if (!current || (current.expiration && current.expiration.getTime() - Date.now() < EXPIRY_MARGIN_MS)) {
      pending = provider();
      return pending;
    }
    return current;
  };
}
