/**
 * The two STS calls the release task makes, answered by the ECS emulator's server (./ecs.ts) when a request
 * comes in STS's protocol: awsQuery (the STS Smithy model, `aws.protocols#awsQuery`; `AwsQueryProtocol` in
 * `@aws-sdk/client-sts`): `POST /` with a form body `Action=<Operation>&Version=2011-06-15&...`, an XML answer
 * `<<Operation>Response><<Operation>Result>...</...Result><ResponseMetadata>...`, errors as
 * `<ErrorResponse><Error><Type>Sender</Type><Code>..</Code><Message>..</Message></Error>...`
 * (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html).
 *
 * - GetCallerIdentity answers the identity of the access key that signed the request.
 * - AssumeRole mints a new key pair whose identity is the role's session in the role's account, so that calls
 *   signed with it afterwards answer as that account.
 */
import { randomBytes } from "node:crypto";

const XML_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

/** Who an access key is. */
export interface CallerIdentity {
  /** 12-digit account ID. */
  account: string;
  /** The caller's ARN, e.g. `arn:aws:iam::123456789012:user/deployer`. */
  arn: string;
}

/** An STS error, served as awsQuery XML. */
export class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The keys STS knows: those it minted by AssumeRole, and a fallback for any other key. */
export class StsState {
  /** Identities of keys minted by AssumeRole, by access key ID. */
  readonly minted = new Map<string, CallerIdentity>();

  constructor(private readonly identityOfUnknownKey: (accessKeyId: string) => CallerIdentity) {}

  /** The identity of a signing key. */
  identityOf(accessKeyId: string): CallerIdentity {
    return this.minted.get(accessKeyId) ?? this.identityOfUnknownKey(accessKeyId);
  }

  /** Answers one awsQuery request (form parameters) signed by `accessKeyId`, as XML. */
  handle(params: URLSearchParams, accessKeyId: string): string {
    const action = params.get("Action") ?? "";
    if (params.get("Version") !== "2011-06-15") throw new StsError(400, "InvalidAction", "Version must be 2011-06-15");
    if (action === "GetCallerIdentity") {
      const identity = this.identityOf(accessKeyId);
      return response(
        action,
        `<Arn>${identity.arn}</Arn><UserId>${accessKeyId}</UserId><Account>${identity.account}</Account>`,
      );
    }
    if (action === "AssumeRole") return this.assumeRole(params);
    throw new StsError(400, "InvalidAction", `Action ${action} is not emulated`);
  }

  private assumeRole(params: URLSearchParams): string {
    const roleArn = params.get("RoleArn") ?? "";
    const sessionName = params.get("RoleSessionName") ?? "";
    // RoleArn and RoleSessionName are @required in the model; the role must be an IAM role ARN.
    const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    if (!role) throw new StsError(400, "ValidationError", `${roleArn} is invalid`);
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new StsError(400, "ValidationError", "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
    }
    const [, partition, account, roleName] = role as unknown as [string, string, string, string];
    const accessKeyId = `ASIA${randomBytes(8).toString("hex").toUpperCase()}`;
    const arn = `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`;
    this.minted.set(accessKeyId, { account, arn });
    const durationSeconds = Number(params.get("DurationSeconds") ?? 3600);
    const expiration = new Date(Date.now() + durationSeconds * 1000).toISOString();
    return response(
      "AssumeRole",
      `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId>` +
        `<SecretAccessKey>${randomBytes(20).toString("base64")}</SecretAccessKey>` +
        `<SessionToken>${randomBytes(32).toString("base64")}</SessionToken>` +
        `<Expiration>${expiration}</Expiration></Credentials>` +
        `<AssumedRoleUser><Arn>${arn}</Arn><AssumedRoleId>AROA${randomBytes(8).toString("hex").toUpperCase()}:${sessionName}</AssumedRoleId></AssumedRoleUser>`,
    );
  }
}

function response(action: string, result: string): string {
  return (
    `<${action}Response xmlns="${XML_NAMESPACE}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomBytes(8).toString("hex")}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** The awsQuery error document for `error`. */
export function stsErrorXml(error: StsError): string {
  return (
    `<ErrorResponse xmlns="${XML_NAMESPACE}"><Error><Type>Sender</Type><Code>${error.code}</Code>` +
    `<Message>${error.message.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</Message></Error>` +
    `<RequestId>${randomBytes(8).toString("hex")}</RequestId></ErrorResponse>`
  );
}
