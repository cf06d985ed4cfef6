/**
 * Azure load balancing: the AKS application routing add-on, which the kubernetes layer turns on
 * (`ingressProfile.webAppRouting`). AKS runs and upgrades its NGINX controller; Ingresses of class
 * `webapprouting.kubernetes.azure.com` get an internal Azure load balancer by default (an
 * NginxIngressController resource adds a public one). Nothing to install here.
 *
 * Why not Application Gateway for Containers: it needs the ALB controller Helm chart (not pinned
 * in components/charts.ts), a subnet delegated to it in the network layer, and its own identity,
 * for a platform whose interface speaks Ingress classes. Microsoft supports the add-on's NGINX
 * through November 2026 and moves it to the Gateway API (app routing's Istio-based mode, in
 * preview): that migration needs a Gateway class in LoadBalancingOutputs (see the README).
 */
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../../components/loadBalancing";
import { Scope } from "../../components/types";

/** The IngressClass the add-on creates. */
export const APP_ROUTING_INGRESS_CLASS = "webapprouting.kubernetes.azure.com";
/** Where the add-on runs its NGINX controller. */
export const APP_ROUTING_NAMESPACE = "app-routing-system";

export function azureLoadBalancing(_scope: Scope, args: LoadBalancingArgs): LoadBalancingOutputs {
  // Reported once the cluster exists: the add-on comes up with it.
  const afterCluster = (value: string) => args.kubernetes.clusterId.apply(() => value);
  return {
    ingressClassName: afterCluster(APP_ROUTING_INGRESS_CLASS),
    controllerNamespace: afterCluster(APP_ROUTING_NAMESPACE),
  };
}
