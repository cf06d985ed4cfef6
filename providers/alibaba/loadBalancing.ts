/**
 * Alibaba Cloud load balancing: ACK's ALB Ingress Controller, a managed component of ACK Pro that
 * runs in ACK's control plane (installed as a cluster add-on, `cs.KubernetesAddon`, rather than a
 * Helm chart), one AlbConfig describing an internal (Intranet) ALB over the node vSwitches of
 * every zone, and the IngressClass that points Ingresses at it. ALB is Alibaba Cloud's layer-7
 * load balancer; ingress-nginx is retired. Outside prod the add-on's removal deletes the ALB
 * instances it made (`cleanupCloudResources`), so a destroy leaves nothing behind.
 */
import * as cs from "@pulumi/alicloud/cs";
import * as k8s from "@pulumi/kubernetes";
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../../components/loadBalancing";
import { Scope } from "../../components/types";
import { cutName } from "./common";

/** The IngressClass workloads name in their Ingresses. */
export const ALB_INGRESS_CLASS = "alb";
/** The controller name ACK's ALB Ingress Controller registers. */
export const ALB_CONTROLLER = "ingress.k8s.alibabacloud/alb";
/** ALB instance names: 2-128 characters. */
const ALB_NAME_MAX = 128;

export function alibabaLoadBalancing(scope: Scope, args: LoadBalancingArgs): LoadBalancingOutputs {
  const addon = new cs.KubernetesAddon(
    `${scope.name}-alb-controller`,
    {
      clusterId: args.kubernetes.clusterId,
      name: "alb-ingress-controller",
      cleanupCloudResources: !scope.protect,
    },
    { parent: scope.parent },
  );
  const albConfig = new k8s.apiextensions.CustomResource(
    `${scope.name}-albconfig`,
    {
      apiVersion: "alibabacloud.com/v1",
      kind: "AlbConfig",
      metadata: { name: ALB_INGRESS_CLASS },
      spec: {
        config: {
          name: cutName(`${scope.name}-alb`, ALB_NAME_MAX),
          // Internal by default: reachable from the VPC and over the VPN only.
          addressType: "Intranet",
          edition: "Standard",
          deletionProtectionEnabled: scope.protect,
          zoneMappings: args.network.privateSubnetIds.apply((ids) =>
            ids.map((vSwitchId) => ({ vSwitchId })),
          ),
        },
        listeners: [{ port: 80, protocol: "HTTP" }],
      },
    },
    { parent: scope.parent, dependsOn: [addon] },
  );
  const ingressClass = new k8s.networking.v1.IngressClass(
    `${scope.name}-ingress-class`,
    {
      metadata: { name: ALB_INGRESS_CLASS },
      spec: {
        controller: ALB_CONTROLLER,
        parameters: { apiGroup: "alibabacloud.com", kind: "AlbConfig", name: ALB_INGRESS_CLASS },
      },
    },
    { parent: scope.parent, dependsOn: [albConfig] },
  );
  return {
    ingressClassName: ingressClass.metadata.name,
    // The controller runs in ACK's control plane, not in a namespace of the cluster.
    controllerNamespace: addon.id.apply(() => ""),
  };
}
