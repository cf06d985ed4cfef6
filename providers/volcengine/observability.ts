/**
 * Volcengine observability: Mimir, Loki and Tempo on TOS through its S3-compatible endpoint, each
 * as its own IAM user whose only policy reads and writes its own bucket and uses the storage key
 * (buckets are SSE-KMS), with an access key the shared code keeps in a Kubernetes Secret
 * (components/observabilityRelease.ts). Static keys, because the tools' S3 clients cannot take
 * VKE's IRSA tokens for TOS. The endpoint is the in-region private one, and TOS serves buckets
 * virtual-hosted only, so path style stays off (shared/research/cloud-defaults.md section 9).
 * Private load balancers (central mode, Grafana's private exposure) go in the cluster's first
 * subnet, one of the network's private subnets, which a read of the VKE cluster reports.
 */
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import { observabilityStack } from "../../components/observabilityRelease";
import { Scope } from "../../components/types";
import * as vke from "../../sdks/volcengine/vke";
import { CLB_SUBNET_ANNOTATION } from "./catalog";
import { bucketUser, tosS3Endpoint } from "./common";

export function volcengineObservability(
  scope: Scope,
  args: ObservabilityArgs,
): ObservabilityOutputs {
  return observabilityStack(
    scope,
    args,
    () =>
      ({ signal, bucket }) => {
        const user = bucketUser(
          scope,
          signal.name,
          bucket,
          args.storage.encryptionKeyId,
          `${signal.name}: reads and writes the ${signal.bucket} bucket only`,
        );
        return {
          storage: bucket.apply((b) => ({
            kind: "s3" as const,
            bucket: b,
            region: args.region,
            endpoint: tosS3Endpoint(args.region),
            forcePathStyle: false,
            virtualHostedOnly: true,
          })),
          credentials: user.credentials,
          // The key works once the policy is attached.
          dependsOn: user.ready,
        };
      },
    {
      privateLoadBalancerAnnotations: () =>
        vke.Cluster.get(`${scope.name}-lb-subnet-read`, args.kubernetes.clusterId, {
          parent: scope.parent,
        }).clusterConfig.apply((c) => {
          // The smallest id, not the first: a CLB cannot move subnets, and the order the API
          // reports them in is not documented as stable.
          const subnet = [...(c?.subnetIds ?? [])].sort()[0];
          if (!subnet)
            throw new Error(
              "the VKE cluster reports no subnet for the observability layer's private load balancers",
            );
          return { [CLB_SUBNET_ANNOTATION]: subnet };
        }),
    },
  );
}
