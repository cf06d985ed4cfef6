import { defineFunction, defineResource, req, t } from "../binding";
import { HUAWEICLOUD } from "./package";

/** Dedicated (ELB v3) load balancer */
export const Loadbalancer = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:DedicatedElb/loadbalancer:Loadbalancer",
  inputs: {
    autoPay: t.string,
    autoRenew: t.string,
    autoscalingEnabled: t.boolean,
    availabilityZones: req(t.array(t.string)),
    backendSubnets: t.array(t.string),
    bandwidthChargeMode: t.string,
    bandwidthId: t.string,
    bandwidthSize: t.integer,
    chargingMode: t.string,
    crossVpcBackend: t.boolean,
    deletionProtectionEnable: t.boolean,
    description: t.string,
    enterpriseProjectId: t.string,
    forceDelete: t.boolean,
    iptype: t.string,
    ipv4Address: t.string,
    ipv4EipId: t.string,
    ipv4SubnetId: t.string,
    ipv6Address: t.string,
    ipv6BandwidthId: t.string,
    ipv6NetworkId: t.string,
    l4FlavorId: t.string,
    l7FlavorId: t.string,
    loadbalancerType: t.string,
    minL7FlavorId: t.string,
    name: t.string,
    period: t.integer,
    periodUnit: t.string,
    protectionReason: t.string,
    protectionStatus: t.string,
    region: t.string,
    sharetype: t.string,
    tags: t.map(t.string),
    vpcId: t.string,
    wafFailureAction: t.string,
  },
  outputs: {},
});
export type Loadbalancer = InstanceType<typeof Loadbalancer>;

/** Dedicated ELB flavors of a type (`L4`, `L7`) in the region: flavor ids are per region. */
export const getFlavors = defineFunction(HUAWEICLOUD, {
  token: "huaweicloud:DedicatedElb/getFlavors:getFlavors",
  inputs: { type: t.string },
  outputs: {
    flavors: t.array(
      t.object("huaweicloud:DedicatedElb/getFlavorsFlavor:getFlavorsFlavor", {
        id: t.string,
        name: t.string,
        maxConnections: t.integer,
      }),
    ),
  },
});
