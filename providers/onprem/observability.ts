/**
 * On-prem observability: Mimir, Loki and Tempo (the shared releases and values of
 * components/observabilityRelease.ts), each on its own bucket of the storage layer, path-style:
 * - Ceph RGW: the in-cluster endpoint (`rook-ceph-rgw-officeless.rook-ceph.svc:80`, plain HTTP in
 *   the cluster network) with the keys Rook wrote into the signal's ObjectBucketClaim Secret, a
 *   user that owns that one bucket only;
 * - an external S3 endpoint: the configured endpoint, region and key pair (TLS).
 * The keys reach the pods through the shared static-credentials wiring (a `<signal>-object-store`
 * Secret, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment, never in the config). Zones
 * are pinned as on the clouds: the site's zones are the nodes' `topology.kubernetes.io/zone`
 * labels, and the zone-aware StatefulSets' logical zones a, b and c select the first three.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import { observabilityStack, S3Credentials } from "../../components/observabilityRelease";
import type { ObjectStorage } from "../../components/observabilityValues";
import type { BucketPurpose } from "../../components/storage";
import { Scope } from "../../components/types";
import { onpremOf } from "./common";
import { bucketClaimKeys, bucketClaimName, RGW_REGION, rgwEndpoint } from "./storage";
import type { OnpremConfig } from "./types";

/** The S3 descriptor of a signal's bucket on the configured object store. */
export function signalStorage(onprem: OnpremConfig, bucket: string): ObjectStorage {
  const external =
    onprem.storage.object.provider === "external" ? onprem.storage.object.external : undefined;
  if (external) {
    return {
      kind: "s3",
      bucket,
      region: external.region,
      endpoint: external.endpoint,
      forcePathStyle: external.forcePathStyle,
    };
  }
  return {
    kind: "s3",
    bucket,
    region: RGW_REGION,
    endpoint: rgwEndpoint(),
    forcePathStyle: true,
    insecure: true,
  };
}

/**
 * The keys Rook wrote for a signal's bucket claim. The read waits for the storage layer's bucket
 * name, which resolves only once the claim is Bound (its Secret exists then).
 */
export function claimCredentials(
  scope: Scope,
  purpose: BucketPurpose,
  bucket: pulumi.Output<string>,
): pulumi.Output<S3Credentials> {
  return bucketClaimKeys(scope, `${purpose}-bucket-keys`, bucketClaimName(purpose), bucket);
}

export function onpremObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  const onprem = onpremOf(args);
  return observabilityStack(scope, args, () => ({ signal, bucket }) => {
    const external =
      onprem.storage.object.provider === "external" ? onprem.storage.object.external : undefined;
    const credentials = external
      ? pulumi.secret(
          pulumi
            .output(external.secretAccessKey)
            .apply((secretAccessKey) => ({ accessKeyId: external.accessKeyId, secretAccessKey })),
        )
      : claimCredentials(scope, signal.bucket, bucket);
    return {
      storage: bucket.apply((name) => signalStorage(onprem, name)),
      credentials,
      dependsOn: [],
    };
  });
}
