/**
 * OCI observability: Mimir, Loki and Tempo on Object Storage through its Amazon S3 Compatibility
 * API (`<namespace>.compat.objectstorage.<region>.oraclecloud.com`, path-style addressing only).
 * Why static keys: the tools' S3 clients (minio-go in Mimir and Tempo, the AWS SDK in Loki) sign
 * with AWS credentials and cannot use OKE workload identity, whose tokens only the OCI SDKs
 * exchange; none of the three has a native OCI Object Storage backend. So the layer creates one
 * IAM user (objectStoreUser.ts) whose group may only manage objects in, and read, the three signal
 * buckets by name, and one customer secret key of that user (the three signals share it, since
 * the policy already limits it to their buckets).
 * The key is secret: it reaches the pods through the shared Kubernetes Secret
 * (components/observabilityRelease.ts), never the rendered config.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import {
  OBSERVABILITY_SIGNALS,
  observabilityStack,
  S3Credentials,
} from "../../components/observabilityRelease";
import { Scope } from "../../components/types";
import { iamOptions, objectStorageNamespace, ociSettings } from "./common";
import { objectStoreUser, s3CompatEndpoint, serviceUserEmail } from "./objectStoreUser";

export function ociObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  const settings = ociSettings(args);
  return observabilityStack(scope, args, () => {
    const iam = iamOptions(scope, settings, args.region);
    const signalBuckets = args.storage.buckets.apply((b) =>
      OBSERVABILITY_SIGNALS.map((s) => b[s.bucket]),
    );
    const access = objectStoreUser(scope, settings, iam, {
      role: "object-store",
      email: serviceUserEmail(settings, scope.name),
      buckets: signalBuckets,
      descriptions: {
        user: `${scope.name}: Mimir, Loki and Tempo's S3 access to their buckets`,
        group: `${scope.name}: access to the observability buckets only`,
        policy: `${scope.name}: the observability user reads and writes the signal buckets`,
      },
    });
    const credentials: pulumi.Output<S3Credentials> = access.credentials;
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
      dependsOn: access.ready,
    });
  });
}
