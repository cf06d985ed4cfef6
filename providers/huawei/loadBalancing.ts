/**
 * Huawei Cloud load balancing: one dedicated (ELB v3) load balancer with a private address in the
 * first private subnet, across the stack's zones, with the smallest L4 and L7 flavors of the region
 * and elastic scaling, and no EIP. CCE's own controllers put Services and Ingresses on it: a
 * Service of type LoadBalancer or an Ingress of class `cce` with the annotation
 * `kubernetes.io/elb.id: <id>`, where the id is in the ConfigMap `officeless-load-balancer` in
 * `kube-system` (key `elbId`). The controllers run in CCE's control plane. Listeners they add are
 * removed with their Service or Ingress, which must go before the load balancer can be destroyed.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../../components/loadBalancing";
import { Scope } from "../../components/types";
import * as dedicatedElb from "../../sdks/huaweicloud/dedicatedElb";
import * as vpc from "../../sdks/huaweicloud/vpc";
import { cutName, hwTags } from "./common";

/** The IngressClass of CCE's ELB ingress controller. */
export const INGRESS_CLASS = "cce";
/** Where workloads find the load balancer's id. */
export const ELB_CONFIG_MAP = { namespace: "kube-system", name: "officeless-load-balancer" };

/** The smallest flavor (fewest connections) of a list, by id. */
export function smallestFlavor(
  flavors: readonly { id?: string; maxConnections?: number }[],
): string {
  const sorted = [...flavors].sort((a, b) => (a.maxConnections ?? 0) - (b.maxConnections ?? 0));
  if (!sorted[0]?.id) throw new Error("the region offers no dedicated ELB flavor of this type");
  return sorted[0].id;
}

export function huaweiLoadBalancing(scope: Scope, args: LoadBalancingArgs): LoadBalancingOutputs {
  const opts = { parent: scope.parent };
  // The ELB takes the subnet's IPv4 (neutron) id, which only the subnet resource reports.
  const subnet = vpc.Subnet.get(
    `${scope.name}-elb-subnet`,
    args.network.privateSubnetIds.apply((ids) => ids[0]),
    opts,
  );
  const flavor = (type: "L4" | "L7") =>
    dedicatedElb.getFlavors({ type }, opts).apply((r) => smallestFlavor(r.flavors ?? []));
  const elb = new dedicatedElb.Loadbalancer(
    `${scope.name}-elb`,
    {
      name: cutName(scope.name, 64),
      description: `${scope.name}: Services and Ingresses of the cluster`,
      vpcId: args.network.networkId,
      ipv4SubnetId: subnet.ipv4SubnetId,
      availabilityZones: args.network.zones,
      l4FlavorId: flavor("L4"),
      l7FlavorId: flavor("L7"),
      autoscalingEnabled: true,
      crossVpcBackend: false,
      deletionProtectionEnable: scope.protect,
      tags: hwTags(scope.tags),
    },
    opts,
  );
  const config = new k8s.core.v1.ConfigMap(
    `${scope.name}-elb-id`,
    {
      metadata: { ...ELB_CONFIG_MAP },
      data: { elbId: elb.id, ingressClass: INGRESS_CLASS },
    },
    opts,
  );
  return {
    ingressClassName: pulumi.all([config.id]).apply(() => INGRESS_CLASS),
    controllerNamespace: pulumi.output(""),
  };
}
