/**
 * Volcengine `vpc` resources the platform uses, as the generated SDK's sdk/nodejs/vpc/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineResource, req, t } from "../binding";
import { VOLCENGINE } from "./package";

export const Vpc = defineResource(VOLCENGINE, {
  token: "volcengine:vpc/vpc:Vpc",
  inputs: {
    cidrBlock: req(t.string),
    description: t.string,
    dnsServers: t.array(t.string),
    enableIpv6: t.boolean,
    ipv6CidrBlock: t.string,
    projectName: t.string,
    tags: t.array(
      t.object("volcengine:vpc/VpcTag:VpcTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
    vpcName: t.string,
  },
  outputs: {
    routeTableIds: t.array(t.string),
  },
});

export const Subnet = defineResource(VOLCENGINE, {
  token: "volcengine:vpc/subnet:Subnet",
  inputs: {
    cidrBlock: req(t.string),
    description: t.string,
    enableIpv6: t.boolean,
    ipv6CidrBlock: t.integer,
    subnetName: t.string,
    tags: t.array(
      t.object("volcengine:vpc/SubnetTag:SubnetTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
    vpcId: req(t.string),
    zoneId: req(t.string),
  },
  outputs: {},
});

export const SecurityGroup = defineResource(VOLCENGINE, {
  token: "volcengine:vpc/securityGroup:SecurityGroup",
  inputs: {
    description: t.string,
    projectName: t.string,
    securityGroupName: t.string,
    tags: t.array(
      t.object("volcengine:vpc/SecurityGroupTag:SecurityGroupTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
    type: t.string,
    vpcId: req(t.string),
  },
  outputs: {},
});

export const SecurityGroupRule = defineResource(VOLCENGINE, {
  token: "volcengine:vpc/securityGroupRule:SecurityGroupRule",
  inputs: {
    cidrIp: t.string,
    description: t.string,
    direction: req(t.string),
    policy: t.string,
    portEnd: req(t.integer),
    portStart: req(t.integer),
    priority: t.integer,
    protocol: req(t.string),
    securityGroupId: req(t.string),
    sourceGroupId: t.string,
  },
  outputs: {},
});

export const RouteTable = defineResource(VOLCENGINE, {
  token: "volcengine:vpc/routeTable:RouteTable",
  inputs: {
    description: t.string,
    projectName: t.string,
    routeTableName: t.string,
    vpcId: req(t.string),
  },
  outputs: {},
});

export const RouteTableAssociate = defineResource(VOLCENGINE, {
  token: "volcengine:vpc/routeTableAssociate:RouteTableAssociate",
  inputs: {
    routeTableId: req(t.string),
    subnetId: req(t.string),
  },
  outputs: {},
});

export const RouteEntry = defineResource(VOLCENGINE, {
  token: "volcengine:vpc/routeEntry:RouteEntry",
  inputs: {
    description: t.string,
    destinationCidrBlock: req(t.string),
    nextHopId: req(t.string),
    nextHopType: req(t.string),
    routeEntryName: t.string,
    routeTableId: req(t.string),
  },
  outputs: {
    routeEntryId: t.string,
  },
});
