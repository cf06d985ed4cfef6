/**
 * GCP load balancing: the GKE Gateway API, chosen over GKE Ingress. ingress-nginx is retired and
 * the Gateway API is where Kubernetes load balancing is going (route delegation across
 * namespaces, traffic splitting, header matching, one shared Gateway per platform instead of one
 * load balancer per Ingress). GKE's Gateway controller is managed by Google: the kubernetes layer
 * turns it on (`gatewayApiConfig.channel: CHANNEL_STANDARD`), the network layer provides the
 * proxy-only subnet regional load balancers need, and nothing runs in the cluster for it.
 * Workloads create a `Gateway` of the GatewayClass below and attach `HTTPRoute`s to it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../../components/loadBalancing";
import { Scope } from "../../components/types";

/**
 * Regional external Application Load Balancer (Envoy-based): traffic, certificates and proxies
 * stay in the platform's region, like the other clouds' regional load balancers.
 */
export const GATEWAY_CLASS = "gke-l7-regional-external-managed";

export function gcpLoadBalancing(_scope: Scope, args: LoadBalancingArgs): LoadBalancingOutputs {
  return {
    // Available once the cluster (with the Gateway API enabled) exists.
    ingressClassName: args.kubernetes.clusterName.apply(() => GATEWAY_CLASS),
    // The controller runs in GKE's control plane, not in a namespace of the cluster.
    controllerNamespace: pulumi.output(""),
  };
}
