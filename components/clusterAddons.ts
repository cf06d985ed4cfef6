import * as pulumi from "@pulumi/pulumi";
import { backendFor } from "../providers/registry";
import { KubernetesOutputs } from "./kubernetesCluster";
import { LayerComponent } from "./layerComponent";
import { NetworkOutputs } from "./network";
import { outputKeys } from "./outputs";
import { CommonArgs, KubernetesConfig } from "./types";

export interface ClusterAddonsArgs extends CommonArgs {
  readonly kubernetes: KubernetesOutputs;
  /** The cluster's configuration (node pools decide the autoscaler's bounds on some clouds). */
  readonly kubernetesConfig: KubernetesConfig;
  readonly network: NetworkOutputs;
  /**
   * Releases that create Services wait for these: the cloud's load-balancer controller, whose
   * Service webhook sees every Service created (AWS). Backends without one ignore it.
   */
  readonly servicesAfter?: pulumi.Resource[];
}

export interface ClusterAddonsOutputs {
  /** Helm releases installed, as `namespace/name@chartVersion`. */
  readonly releases: pulumi.Output<string[]>;
  /** How nodes scale: `cluster-autoscaler` or the cloud's built-in autoscaler. */
  readonly nodeAutoscaler: pulumi.Output<string>;
}

export const CLUSTER_ADDONS_OUTPUT_KEYS = outputKeys<ClusterAddonsOutputs>({
  releases: true,
  nodeAutoscaler: true,
});

/** In-cluster add-ons every cloud needs: metrics-server and node autoscaling. Needs a Kubernetes provider in `opts`. */
export class ClusterAddons extends LayerComponent<ClusterAddonsOutputs> {
  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "officeless:addons:ClusterAddons",
      name,
      "addons",
      args,
      CLUSTER_ADDONS_OUTPUT_KEYS,
      (scope) => backendFor(args.cloud).addons(scope, args),
      opts,
    );
  }
}
