import { defineResource, req, t } from "../binding";
import { HUAWEICLOUD } from "./package";

const gatewaySessionConf = t.object("huaweicloud:Nat/GatewaySessionConf:GatewaySessionConf", {
  icmpSessionExpireTime: t.integer,
  tcpSessionExpireTime: t.integer,
  tcpTimeWaitTime: t.integer,
  udpSessionExpireTime: t.integer,
});

/** Public NAT gateway attached to a VPC subnet */
export const Gateway = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Nat/gateway:Gateway",
  inputs: {
    autoRenew: t.string,
    chargingMode: t.string,
    description: t.string,
    enterpriseProjectId: t.string,
    name: t.string,
    ngportIpAddress: t.string,
    period: t.integer,
    periodUnit: t.string,
    region: t.string,
    sessionConf: gatewaySessionConf,
    spec: req(t.string),
    subnetId: req(t.string),
    tags: t.map(t.string),
    vpcId: req(t.string),
  },
  outputs: {},
});
export type Gateway = InstanceType<typeof Gateway>;

/** Source-NAT rule mapping a subnet or CIDR to EIPs on a NAT gateway */
export const SnatRule = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Nat/snatRule:SnatRule",
  inputs: {
    cidr: t.string,
    description: t.string,
    floatingIpId: t.string,
    globalEipId: t.string,
    natGatewayId: req(t.string),
    networkId: t.string,
    region: t.string,
    sourceType: t.integer,
    subnetId: t.string,
  },
  outputs: {},
});
export type SnatRule = InstanceType<typeof SnatRule>;
