/**
 * Volcengine `vpn` resources the platform uses, as the generated SDK's sdk/nodejs/vpn/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineResource, req, secret, t } from "../binding";
import { VOLCENGINE } from "./package";

export const Gateway = defineResource(VOLCENGINE, {
  token: "volcengine:vpn/gateway:Gateway",
  inputs: {
    bandwidth: req(t.integer),
    billingType: t.string,
    description: t.string,
    ipsecEnabled: t.boolean,
    period: t.integer,
    projectName: t.string,
    sslEnabled: t.boolean,
    sslMaxConnections: t.integer,
    subnetId: req(t.string),
    tags: t.array(
      t.object("volcengine:vpn/GatewayTag:GatewayTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
    vpcId: req(t.string),
    vpnGatewayName: t.string,
  },
  outputs: {
    ipAddress: t.string,
  },
});

export const CustomerGateway = defineResource(VOLCENGINE, {
  token: "volcengine:vpn/customerGateway:CustomerGateway",
  inputs: {
    customerGatewayName: t.string,
    description: t.string,
    ipAddress: req(t.string),
    ipVersion: t.string,
    projectName: t.string,
    tags: t.array(
      t.object("volcengine:vpn/CustomerGatewayTag:CustomerGatewayTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
  },
  outputs: {},
});

export const Connection = defineResource(VOLCENGINE, {
  token: "volcengine:vpn/connection:Connection",
  inputs: {
    attachType: t.string,
    customerGatewayId: req(t.string),
    description: t.string,
    dpdAction: t.string,
    ikeConfigAuthAlg: t.string,
    ikeConfigDhGroup: t.string,
    ikeConfigEncAlg: t.string,
    ikeConfigLifetime: t.integer,
    ikeConfigLocalId: t.string,
    ikeConfigMode: t.string,
    ikeConfigPsk: secret(req(t.string)),
    ikeConfigRemoteId: t.string,
    ikeConfigVersion: t.string,
    ipsecConfigAuthAlg: t.string,
    ipsecConfigDhGroup: t.string,
    ipsecConfigEncAlg: t.string,
    ipsecConfigLifetime: t.integer,
    localSubnets: req(t.array(t.string)),
    logEnabled: t.boolean,
    natTraversal: t.boolean,
    negotiateInstantly: t.boolean,
    projectName: t.string,
    remoteSubnets: req(t.array(t.string)),
    tags: t.array(
      t.object("volcengine:vpn/ConnectionTag:ConnectionTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
    vpnConnectionName: t.string,
    vpnGatewayId: t.string,
  },
  outputs: {},
});

export const GatewayRoute = defineResource(VOLCENGINE, {
  token: "volcengine:vpn/gatewayRoute:GatewayRoute",
  inputs: {
    destinationCidrBlock: req(t.string),
    nextHopId: req(t.string),
    vpnGatewayId: req(t.string),
  },
  outputs: {},
});
