/**
 * Volcengine `nat` resources the platform uses, as the generated SDK's sdk/nodejs/nat/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineResource, req, t } from "../binding";
import { VOLCENGINE } from "./package";

export const Gateway = defineResource(VOLCENGINE, {
  token: "volcengine:nat/gateway:Gateway",
  inputs: {
    billingType: t.string,
    description: t.string,
    natGatewayName: t.string,
    networkType: t.string,
    period: t.integer,
    projectName: t.string,
    spec: t.string,
    subnetId: req(t.string),
    tags: t.array(
      t.object("volcengine:nat/GatewayTag:GatewayTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
    vpcId: req(t.string),
  },
  outputs: {},
});

export const SnatEntry = defineResource(VOLCENGINE, {
  token: "volcengine:nat/snatEntry:SnatEntry",
  inputs: {
    eipId: t.string,
    natGatewayId: req(t.string),
    natIpId: t.string,
    snatEntryName: t.string,
    sourceCidr: t.string,
    subnetId: t.string,
  },
  outputs: {},
});
