/**
 * Pieces every AWS layer shares: customer-managed KMS keys, least-privilege roles bound to one
 * Kubernetes service account through EKS Pod Identity, and the account/partition lookups.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Scope } from "../../components/types";

/** An IAM policy statement, as JSON. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | string[];
  readonly Resource: pulumi.Input<string> | pulumi.Input<string>[];
  /** Values may be outputs (e.g. a condition key naming the cluster); `pulumi.jsonStringify` resolves them. */
  readonly Condition?: pulumi.Input<Record<string, pulumi.Input<Record<string, unknown>>>>;
  readonly Principal?: Record<string, unknown>;
}

export interface AwsAccount {
  readonly accountId: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
}

/** One lookup per component: every role and policy of a component shares it. */
const accounts = new WeakMap<object, AwsAccount>();

/** Account id and partition of the deploying credentials (one invoke each per component, parented to it). */
export function awsAccount(scope: Scope): AwsAccount {
  const cached = accounts.get(scope.parent);
  if (cached) return cached;
  const opts = { parent: scope.parent };
  const account = {
    accountId: aws.getCallerIdentityOutput({}, opts).accountId,
    partition: aws.getPartitionOutput({}, opts).partition,
  };
  accounts.set(scope.parent, account);
  return account;
}

/**
 * A customer-managed KMS key with yearly rotation and a 30-day deletion window, protected in prod,
 * aliased `alias/${scope.name}-${role}`. Without `policy` the default key policy (account root)
 * applies; services that the key policy must name (CloudWatch Logs, the Auto Scaling
 * service-linked role) need one.
 */
export function kmsKey(
  scope: Scope,
  role: string,
  description: string,
  policy?: pulumi.Input<string>,
  /** Another region than the provider's (keys are regional: a replica's key lives beside it). */
  region?: string,
): aws.kms.Key {
  const inRegion = region ? { region } : {};
  const key = new aws.kms.Key(
    `${scope.name}-${role}-key`,
    {
      description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      ...(policy ? { policy } : {}),
      ...inRegion,
      tags: scope.tags,
    },
    { parent: scope.parent, protect: scope.protect },
  );
  new aws.kms.Alias(
    `${scope.name}-${role}-key-alias`,
    { name: `alias/${scope.name}-${role}`, targetKeyId: key.keyId, ...inRegion },
    { parent: scope.parent },
  );
  return key;
}

export interface PodIdentityRoleArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The only permissions the workload gets. */
  readonly statements: PolicyStatement[];
}

/** A workload's role and the association that binds it to the service account. */
export interface PodIdentity {
  readonly role: aws.iam.Role;
  /**
   * EKS injects credentials only into pods created after the association exists: workloads
   * (Helm releases) must depend on this, not just on the role.
   */
  readonly association: aws.eks.PodIdentityAssociation;
}

/**
 * A role only one service account of one cluster can assume (EKS Pod Identity), with an inline
 * policy of exactly the given statements. Pod Identity needs no OIDC provider or SA annotation.
 */
export function podIdentityRole(
  scope: Scope,
  role: string,
  args: PodIdentityRoleArgs,
): PodIdentity {
  const { accountId } = awsAccount(scope);
  const iamRole = new aws.iam.Role(
    `${scope.name}-${role}-role`,
    {
      description: `Pod Identity role for ${args.namespace}/${args.serviceAccount}`,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ],
      }),
      tags: scope.tags,
    },
    { parent: scope.parent },
  );
  new aws.iam.RolePolicy(
    `${scope.name}-${role}-policy`,
    {
      role: iamRole.id,
      policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: args.statements }),
    },
    { parent: scope.parent },
  );
  const association = new aws.eks.PodIdentityAssociation(
    `${scope.name}-${role}-pod-identity`,
    {
      clusterName: args.clusterName,
      namespace: args.namespace,
      serviceAccount: args.serviceAccount,
      roleArn: iamRole.arn,
      tags: scope.tags,
    },
    { parent: scope.parent },
  );
  return { role: iamRole, association };
}
