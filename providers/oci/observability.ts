/**
 * OCI observability: Mimir, Loki and Tempo on Object Storage through its Amazon S3 Compatibility
 * API (`<namespace>.compat.objectstorage.<region>.oraclecloud.com`, path-style addressing only).
 * Why static keys: the tools' S3 clients (minio-go in Mimir and Tempo, the AWS SDK in Loki) sign
 * with AWS credentials and cannot use OKE workload identity, whose tokens only the OCI SDKs
 * exchange; none of the three has a native OCI Object Storage backend. So the layer creates one
 * IAM user with no console password, in a group whose only policy lets it manage objects in, and
 * read, the three signal buckets by name, and one customer secret key of that user (OCI allows two
 * per user; the three signals share it, since the policy already limits it to their buckets).
 * The key is secret: it reaches the pods through the shared Kubernetes Secret
 * (components/observabilityRelease.ts), never the rendered config.
 */
import * as identity from "@pulumi/oci/identity";
import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import {
  OBSERVABILITY_SIGNALS,
  observabilityStack,
  S3Credentials,
} from "../../components/observabilityRelease";
import { OciSettings, Scope } from "../../components/types";
import {
  displayName,
  iamOptions,
  inCompartment,
  objectStorageNamespace,
  ociSettings,
  ociTags,
  policy,
} from "./common";

/** Object Storage's S3-compatible endpoint (host, no scheme) for a namespace and region. */
export function s3CompatEndpoint(namespace: string, region: string): string {
  return `${namespace}.compat.objectstorage.${region}.oraclecloud.com`;
}

/** The observability user's email: configured, or a placeholder no mail is ever sent to. */
export function serviceUserEmail(settings: OciSettings, name: string): string {
  return settings.serviceUserEmail ?? `${name}-observability@users.officeless.invalid`;
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

export function ociObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  const settings = ociSettings(args);
  return observabilityStack(scope, args, () => {
    const iam = iamOptions(scope, settings, args.region);
    const freeformTags = ociTags(scope.tags);
    const user = new identity.User(
      `${scope.name}-object-store-user`,
      {
        // The name is left to Pulumi's autonaming: user and group names are unique in the tenancy
        // and cannot change, so two stacks of one name (other regions) must not collide.
        compartmentId: settings.tenancyId,
        description: `${scope.name}: Mimir, Loki and Tempo's S3 access to their buckets`,
        email: serviceUserEmail(settings, scope.name),
        freeformTags,
      },
      iam,
    );
    const group = new identity.Group(
      `${scope.name}-object-store-group`,
      {
        compartmentId: settings.tenancyId,
        description: `${scope.name}: access to the observability buckets only`,
        freeformTags,
      },
      iam,
    );
    const membership = new identity.UserGroupMembership(
      `${scope.name}-object-store-membership`,
      { compartmentId: settings.tenancyId, groupId: group.id, userId: user.id },
      iam,
    );
    const signalBuckets = args.storage.buckets.apply((b) =>
      OBSERVABILITY_SIGNALS.map((s) => b[s.bucket]),
    );
    const grant = policy(
      scope,
      "object-store",
      settings,
      iam,
      `${scope.name}: the observability user reads and writes the signal buckets`,
      signalBuckets.apply((names) => bucketStatements(group.id, inCompartment(settings), names)),
    );
    const key = new identity.CustomerSecretKey(
      `${scope.name}-object-store-key`,
      { userId: user.id, displayName: displayName(scope, "s3") },
      { ...iam, dependsOn: [membership], additionalSecretOutputs: ["key"] },
    );
    const credentials: pulumi.Output<S3Credentials> = pulumi.secret(
      pulumi
        .all([key.id, key.key])
        .apply(([accessKeyId, secretAccessKey]) => ({ accessKeyId, secretAccessKey })),
    );
    const namespace = objectStorageNamespace(scope, settings);
    return ({ bucket }) => ({
      storage: pulumi.all([bucket, namespace]).apply(([name, ns]) => ({
        kind: "s3" as const,
        bucket: name,
        region: args.region,
        endpoint: s3CompatEndpoint(ns, args.region),
        forcePathStyle: true,
      })),
      credentials,
      // The key works once the user is in the group and the group's policy exists.
      dependsOn: [membership, grant, key],
    });
  });
}
