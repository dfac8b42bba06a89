/**
 * ECS's service-linked role (`AWSServiceRoleForECS`) in an account that has never used ECS.
 *
 * ECS creates the role itself on CreateCluster when the caller may (iam:CreateServiceLinkedRole), but a role that
 * was created a moment ago is not yet usable everywhere: in a brand-new account, a cluster's capacity providers put
 * right after CreateCluster can fail with "Unable to assume the service linked role" (the provider retries that
 * error on CreateCluster only, not on PutClusterCapacityProviders), and the next `up` succeeds. Creating the role
 * ourselves, before the cluster, gives IAM that head start.
 *
 * But `aws.iam.ServiceLinkedRole` fails when the role exists ("Service role name AWSServiceRoleForECS has been taken
 * in this account"), which is nearly every account. So it is created only when the account's roles under ECS's
 * service-role path, listed at deploy time, do not include it; `retainOnDelete` because it is the account's, shared
 * by every stack and app there. On the next `up` the role exists, is no longer declared, and leaves this stack's
 * state (retained, not deleted). When the list cannot be read (no iam:ListRoles, the offline plan), nothing is
 * declared and ECS creates the role as it always does.
 *
 * The other services we use create their own service-linked roles on first use and wait for them within the same
 * call (Elastic Load Balancing, RDS, ElastiCache, Application Auto Scaling); EventBridge Scheduler uses the role we
 * give it. Every one needs the deployer to hold iam:CreateServiceLinkedRole on a first deploy (see the README).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const ECS_SERVICE_LINKED_ROLE = "AWSServiceRoleForECS";
/** IAM puts a service-linked role under `/aws-service-role/<service principal>/`. */
export const ECS_SERVICE_ROLE_PATH = "/aws-service-role/ecs.amazonaws.com/";

/**
 * The service-linked role to create before the cluster, as a list to depend on: empty when the account has it, or
 * when its roles cannot be listed.
 */
export function ecsServiceLinkedRole(name: string, parent: pulumi.Resource): pulumi.Output<pulumi.Resource[]> {
  const listed = aws.iam
    .getRoles({ pathPrefix: ECS_SERVICE_ROLE_PATH }, { parent })
    .then(
      (found) => found,
      () => undefined,
    );
  return pulumi.output(listed).apply((found) => {
    // An answer has an ID (the region); an empty list may come back as no `names` at all.
    if (!found?.id || (found.names ?? []).includes(ECS_SERVICE_LINKED_ROLE)) return [];
    return [new aws.iam.ServiceLinkedRole(name, { awsServiceName: "ecs.amazonaws.com" }, { parent, retainOnDelete: true })];
  });
}
