/**
 * GCP cluster add-ons: nothing to install. GKE runs metrics-server itself (a managed component in
 * kube-system on every Standard cluster), and node pools scale with GKE's built-in cluster
 * autoscaler, configured per pool by the kubernetes layer (`autoscaling` with min/max per zone,
 * location policy BALANCED). Installing the cluster-autoscaler chart as well would make two
 * autoscalers fight over the same managed instance groups.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../../components/clusterAddons";
import { Scope } from "../../components/types";

/** What `nodeAutoscaler` reports on GKE. */
export const GKE_NODE_AUTOSCALER = "gke-node-autoscaler";

export function gcpAddons(_scope: Scope, _args: ClusterAddonsArgs): ClusterAddonsOutputs {
  return {
    // No Helm release: metrics-server and node autoscaling are part of GKE.
    releases: pulumi.output([]),
    nodeAutoscaler: pulumi.output(GKE_NODE_AUTOSCALER),
  };
}
