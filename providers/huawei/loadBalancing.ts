/**
 * Huawei Cloud load balancing: one dedicated (ELB v3) load balancer with a private address in the
 * first private subnet, across the stack's zones, with fixed-spec L4 and L7 flavors (types `L4`,
 * `L7`: the smallest of the region outside prod, the next size up in prod), and no EIP. Not
 * elastic: with `autoscaling_enabled` the flavor ids are the elastic upper limit and must be of the
 * `L4_elastic_max`/`L7_elastic_max` types, the switch works only for allow-listed tenants, and HTTP(S)
 * listeners (every Ingress of class `cce`) then need `min_l7_flavor_id` (ELB v3
 * CreateLoadBalancer/AutoscalingRef; terraform-provider-huaweicloud docs/resources/elb_loadbalancer.md).
 * A fixed flavor is changed in place when traffic outgrows it. CCE's own controllers put Services and Ingresses on it: a
 * Service of type LoadBalancer or an Ingress of class `cce` with the annotation
 * `kubernetes.io/elb.id: <id>`, where the id is in the ConfigMap `officeless-load-balancer` in
 * `kube-system` (key `elbId`). The controllers run in CCE's control plane. Listeners they add are
 * removed with their Service or Ingress, which must go before the load balancer can be destroyed.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../../components/loadBalancing";
import { Environment, Scope } from "../../components/types";
import * as dedicatedElb from "../../sdks/huaweicloud/dedicatedElb";
import * as vpc from "../../sdks/huaweicloud/vpc";
import { cutName, hwTags } from "./common";

/** The IngressClass of CCE's ELB ingress controller. */
export const INGRESS_CLASS = "cce";
/** Where workloads find the load balancer's id. */
export const ELB_CONFIG_MAP = { namespace: "kube-system", name: "officeless-load-balancer" };

/**
 * A fixed flavor by size (connections): the smallest outside prod; in prod the next size up, so a
 * first traffic peak does not meet the floor (the smallest when the region has one).
 */
export function fixedFlavor(
  flavors: readonly { id?: string; maxConnections?: number }[],
  environment: Environment,
): string {
  const sorted = [...flavors]
    .filter((f) => f.id)
    .sort((a, b) => (a.maxConnections ?? 0) - (b.maxConnections ?? 0));
  if (!sorted[0]) throw new Error("the region offers no dedicated ELB flavor of this type");
  const pick = environment === "prod" ? sorted[Math.min(1, sorted.length - 1)] : sorted[0];
  return pick.id!;
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
    dedicatedElb
      .getFlavors({ type }, opts)
      .apply((r) => fixedFlavor(r.flavors ?? [], args.environment));
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
      crossVpcBackend: false,
      deletionProtectionEnable: scope.protect,
      tags: hwTags(scope.tags),
    },
    // Protected in prod like the other stateful resources: `destroy` stops at Pulumi's check,
    // not half-way at the cloud's deletion protection.
    { ...opts, protect: scope.protect },
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
