import * as pulumi from "@pulumi/pulumi";
import { backendFor } from "../providers/registry";
import { KubernetesOutputs } from "./kubernetesCluster";
import { LayerComponent } from "./layerComponent";
import { NetworkOutputs } from "./network";
import { outputKeys } from "./outputs";
import { CommonArgs } from "./types";

export interface LoadBalancingArgs extends CommonArgs {
  readonly network: NetworkOutputs;
  readonly kubernetes: KubernetesOutputs;
}

export interface LoadBalancingOutputs {
  /** IngressClass that provisions the cloud's load balancers. */
  readonly ingressClassName: pulumi.Output<string>;
  /** Namespace the controller runs in. */
  readonly controllerNamespace: pulumi.Output<string>;
}

export const LOAD_BALANCING_OUTPUT_KEYS = outputKeys<LoadBalancingOutputs>({
  ingressClassName: true,
  controllerNamespace: true,
});

/** The cloud's load balancer controller and an IngressClass. Needs a Kubernetes provider in `opts`. */
export class LoadBalancing extends LayerComponent<LoadBalancingOutputs> {
  constructor(name: string, args: LoadBalancingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "officeless:loadbalancing:LoadBalancing",
      name,
      "addons",
      args,
      LOAD_BALANCING_OUTPUT_KEYS,
      (scope) => backendFor(args.cloud).loadBalancing(scope, args),
      opts,
    );
  }
}
