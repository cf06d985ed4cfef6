/**
 * Alibaba Cloud cluster add-ons: no Helm release. ACK installs metrics-server with every cluster,
 * and node pools scale with ACK's managed node autoscaler (the kubernetes layer's `scalingConfig`
 * per pool, run by ACK with the AliyunCSManagedAutoScalerRole). The upstream cluster-autoscaler
 * chart's Alibaba provider takes static scaling group ids, cannot auto-discover node pools, and
 * would fight the managed autoscaler over the same scaling groups, so it is not installed.
 */
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../../components/clusterAddons";
import { Scope } from "../../components/types";

/** What `nodeAutoscaler` reports on ACK. */
export const ACK_NODE_AUTOSCALER = "ack-managed-node-autoscaler";

export function alibabaAddons(_scope: Scope, args: ClusterAddonsArgs): ClusterAddonsOutputs {
  return {
    releases: args.kubernetes.clusterId.apply(() => [] as string[]),
    nodeAutoscaler: args.kubernetes.clusterId.apply(() => ACK_NODE_AUTOSCALER),
  };
}
