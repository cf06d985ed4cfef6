/**
 * An IAM user for an S3 client on Object Storage's Amazon S3 Compatibility API that can hold
 * customer secret keys only (no console password, API keys, auth tokens or SMTP credentials), in
 * a group whose only policy lets it manage objects in, and read, the named buckets, and one
 * customer secret key (OCI allows two per user), secret from the IAM resource on. Used by
 * observability (Mimir, Loki, Tempo) and backup (Velero), whose S3 clients sign with AWS-style keys
 * and cannot use OKE workload identity, whose tokens only the OCI SDKs exchange.
 */
import * as identity from "@pulumi/oci/identity";
import * as pulumi from "@pulumi/pulumi";
import { OciSettings, Scope } from "../../components/types";
import { displayName, inCompartment, ociTags, policy } from "./common";

/** Object Storage's S3-compatible endpoint (host, no scheme) for a namespace and region. */
export function s3CompatEndpoint(namespace: string, region: string): string {
  return `${namespace}.compat.objectstorage.${region}.oraclecloud.com`;
}

/**
 * A service user's email: tenancies with identity domains require one, unique in the domain. The
 * placeholder is per stack and purpose; a configured address is the observability user's as is
 * and a sub-address (`local+<purpose>@domain`) for the others, so two users never share it.
 */
export function serviceUserEmail(
  settings: OciSettings,
  name: string,
  purpose = "observability",
): string {
  const configured = settings.serviceUserEmail;
  if (!configured) return `${name}-${purpose}@users.officeless.invalid`;
  if (purpose === "observability") return configured;
  const at = configured.lastIndexOf("@");
  return `${configured.slice(0, at)}+${purpose}${configured.slice(at)}`;
}

/** The group's statements: objects and the bucket itself, for the named buckets only. */
export function bucketStatements(
  group: pulumi.Input<string>,
  where: string,
  buckets: readonly string[],
): pulumi.Output<string>[] {
  const names = buckets.map((b) => `target.bucket.name = '${b}'`).join(", ");
  return [
    pulumi.interpolate`Allow group id ${group} to manage objects in ${where} where ANY {${names}}`,
    pulumi.interpolate`Allow group id ${group} to read buckets in ${where} where ANY {${names}}`,
  ];
}

export interface ObjectStoreUserArgs {
  /** Child names are `${scope.name}-${role}-user|group|membership|policy|key`. */
  readonly role: string;
  /** The user's, group's and policy's descriptions (free text, changeable in place). */
  readonly descriptions: { readonly user: string; readonly group: string; readonly policy: string };
  readonly email: string;
  readonly buckets: pulumi.Input<string[]>;
}

export interface ObjectStoreUser {
  readonly credentials: pulumi.Output<{ accessKeyId: string; secretAccessKey: string }>;
  /** The key works once the user is in the group and the group's policy has propagated. */
  readonly ready: pulumi.Resource[];
}

export function objectStoreUser(
  scope: Scope,
  settings: OciSettings,
  iam: pulumi.CustomResourceOptions,
  args: ObjectStoreUserArgs,
): ObjectStoreUser {
  const freeformTags = ociTags(scope.tags);
  const user = new identity.User(
    `${scope.name}-${args.role}-user`,
    {
      // The name is left to Pulumi's autonaming: user and group names are unique in the tenancy
      // and cannot change, so two stacks of one name (other regions) must not collide.
      compartmentId: settings.tenancyId,
      description: args.descriptions.user,
      email: args.email,
      freeformTags,
    },
    iam,
  );
  // The S3 clients need customer secret keys only: no other credential can be added to the user
  // (a console password, an API key) to leak. The resource sets these five flags
  // (terraform-provider-oci identity_user_capabilities_management_resource.go); DB and OAuth 2.0
  // client credentials it cannot (issue #1529), so those stay allowed. Its delete changes nothing.
  const capabilities = new identity.UserCapabilitiesManagement(
    `${scope.name}-${args.role}-capabilities`,
    {
      userId: user.id,
      canUseApiKeys: false,
      canUseAuthTokens: false,
      canUseConsolePassword: false,
      canUseCustomerSecretKeys: true,
      canUseSmtpCredentials: false,
    },
    iam,
  );
  const group = new identity.Group(
    `${scope.name}-${args.role}-group`,
    {
      compartmentId: settings.tenancyId,
      description: args.descriptions.group,
      freeformTags,
    },
    iam,
  );
  const membership = new identity.UserGroupMembership(
    `${scope.name}-${args.role}-membership`,
    { compartmentId: settings.tenancyId, groupId: group.id, userId: user.id },
    iam,
  );
  const grant = policy(
    scope,
    args.role,
    settings,
    iam,
    args.descriptions.policy,
    pulumi
      .output(args.buckets)
      .apply((names) => bucketStatements(group.id, inCompartment(settings), names)),
  );
  const key = new identity.CustomerSecretKey(
    `${scope.name}-${args.role}-key`,
    { userId: user.id, displayName: displayName(scope, "s3") },
    { ...iam, dependsOn: [membership, capabilities], additionalSecretOutputs: ["key"] },
  );
  const credentials = pulumi.secret(
    pulumi
      .all([key.id, key.key])
      .apply(([accessKeyId, secretAccessKey]) => ({ accessKeyId, secretAccessKey })),
  );
  return { credentials, ready: [membership, capabilities, grant, key] };
}
