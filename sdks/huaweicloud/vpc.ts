import { defineResource, req, t } from "../binding";
import { HUAWEICLOUD } from "./package";

const eipBandwidth = t.object("huaweicloud:Vpc/EipBandwidth:EipBandwidth", {
  chargeMode: t.string,
  id: t.string,
  name: t.string,
  shareType: req(t.string),
  size: t.integer,
});
const eipPublicip = t.object("huaweicloud:Vpc/EipPublicip:EipPublicip", {
  ipAddress: t.string,
  ipVersion: t.integer,
  portId: t.string,
  type: t.string,
});

/** VPC network with an IPv4 CIDR block */
export const Vpc = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Vpc/vpc:Vpc",
  inputs: {
    cidr: req(t.string),
    description: t.string,
    enhancedLocalRoute: t.string,
    enterpriseProjectId: t.string,
    name: t.string,
    region: t.string,
    secondaryCidr: t.string,
    secondaryCidrs: t.array(t.string),
    tags: t.map(t.string),
  },
  outputs: {},
});
export type Vpc = InstanceType<typeof Vpc>;

/** Subnet inside a VPC, with gateway IP and DNS settings */
export const Subnet = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Vpc/subnet:Subnet",
  inputs: {
    availabilityZone: t.string,
    cidr: req(t.string),
    description: t.string,
    dhcpEnable: t.boolean,
    dhcpLeaseTime: t.string,
    dnsLists: t.array(t.string),
    gatewayIp: req(t.string),
    ipv6Enable: t.boolean,
    name: t.string,
    ntpServerAddress: t.string,
    primaryDns: t.string,
    region: t.string,
    secondaryDns: t.string,
    tags: t.map(t.string),
    vpcId: req(t.string),
  },
  outputs: {
    subnetId: t.string,
    ipv4SubnetId: t.string,
  },
});
export type Subnet = InstanceType<typeof Subnet>;

/** Elastic public IP together with its (dedicated or shared) bandwidth */
export const Eip = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Vpc/eip:Eip",
  inputs: {
    autoPay: t.string,
    autoRenew: t.string,
    bandwidth: req(eipBandwidth),
    chargingMode: t.string,
    enterpriseProjectId: t.string,
    name: t.string,
    period: t.integer,
    periodUnit: t.string,
    publicip: req(eipPublicip),
    region: t.string,
    tags: t.map(t.string),
  },
  outputs: {
    address: t.string,
  },
});
export type Eip = InstanceType<typeof Eip>;

/** Security group (stateful firewall group for ports/instances) */
export const Secgroup = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Vpc/secgroup:Secgroup",
  inputs: {
    deleteDefaultRules: t.boolean,
    description: t.string,
    enterpriseProjectId: t.string,
    name: t.string,
    region: t.string,
    tags: t.map(t.string),
  },
  outputs: {},
});
export type Secgroup = InstanceType<typeof Secgroup>;

/** Single ingress or egress rule in a security group */
export const SecgroupRule = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Vpc/secgroupRule:SecgroupRule",
  inputs: {
    action: t.string,
    description: t.string,
    direction: req(t.string),
    ethertype: req(t.string),
    portRangeMax: t.integer,
    portRangeMin: t.integer,
    ports: t.string,
    priority: t.integer,
    protocol: t.string,
    region: t.string,
    remoteAddressGroupId: t.string,
    remoteGroupId: t.string,
    remoteIpPrefix: t.string,
    securityGroupId: req(t.string),
  },
  outputs: {},
});
export type SecgroupRule = InstanceType<typeof SecgroupRule>;

/**  */
export const Route = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Vpc/route:Route",
  inputs: {
    description: t.string,
    destination: req(t.string),
    nexthop: req(t.string),
    region: t.string,
    routeTableId: t.string,
    type: req(t.string),
    vpcId: req(t.string),
  },
  outputs: {},
});
export type Route = InstanceType<typeof Route>;

/**  */
export const FlowLog = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Vpc/flowLog:FlowLog",
  inputs: {
    description: t.string,
    enabled: t.boolean,
    logGroupId: req(t.string),
    logStreamId: req(t.string),
    name: t.string,
    region: t.string,
    resourceId: req(t.string),
    resourceType: req(t.string),
    trafficType: t.string,
  },
  outputs: {},
});
export type FlowLog = InstanceType<typeof FlowLog>;
