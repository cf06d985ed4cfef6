/**
 * Azure cluster add-ons: nothing to install. AKS ships metrics-server with every cluster and runs
 * the cluster autoscaler inside its managed control plane for every pool with `enableAutoScaling`
 * (bounds per pool, `autoScalerProfile` for the rest; set by the kubernetes layer). `releases` is
 * therefore empty and `nodeAutoscaler` names AKS's own.
 */
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../../components/clusterAddons";
import { Scope } from "../../components/types";

/** How AKS nodes scale: the managed cluster autoscaler. */
export const AKS_NODE_AUTOSCALER = "aks-cluster-autoscaler";

export function azureAddons(_scope: Scope, args: ClusterAddonsArgs): ClusterAddonsOutputs {
  return {
    releases: args.kubernetes.clusterId.apply(() => [] as string[]),
    nodeAutoscaler: args.kubernetes.clusterId.apply(() => AKS_NODE_AUTOSCALER),
  };
}
