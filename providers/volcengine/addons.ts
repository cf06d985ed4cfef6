/**
 * Volcengine cluster add-ons: VKE's metrics-server add-on (the resource metrics API for HPA and
 * `kubectl top`). Node autoscaling is VKE's: the kubernetes layer installs the managed
 * cluster-autoscaler add-on and turns autoscaling on per node pool (ZoneBalance); the upstream
 * chart's volcengine provider has no auto-discovery and would need static keys, so it is not used.
 * No Helm release: both are VKE add-ons, upgraded by VKE.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../../components/clusterAddons";
import { Scope } from "../../components/types";
import { nodeAddon } from "./common";

/** What `nodeAutoscaler` reports on VKE. */
export const VKE_NODE_AUTOSCALER = "vke-cluster-autoscaler";

export function volcengineAddons(scope: Scope, args: ClusterAddonsArgs): ClusterAddonsOutputs {
  const metrics = nodeAddon(scope, "metrics-server", args.kubernetes);
  return {
    releases: metrics.id.apply(() => [] as string[]),
    nodeAutoscaler: pulumi.output(VKE_NODE_AUTOSCALER),
  };
}
