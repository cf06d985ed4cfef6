/**
 * Volcengine `eip` resources the platform uses, as the generated SDK's sdk/nodejs/eip/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineResource, req, t } from "../binding";
import { VOLCENGINE } from "./package";

export const Address = defineResource(VOLCENGINE, {
  token: "volcengine:eip/address:Address",
  inputs: {
    bandwidth: t.integer,
    billingType: req(t.string),
    description: t.string,
    isp: t.string,
    name: t.string,
    period: t.integer,
    projectName: t.string,
    securityProtectionTypes: t.array(t.string),
    tags: t.array(
      t.object("volcengine:eip/AddressTag:AddressTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
  },
  outputs: {
    eipAddress: t.string,
  },
});

export const Associate = defineResource(VOLCENGINE, {
  token: "volcengine:eip/associate:Associate",
  inputs: {
    allocationId: req(t.string),
    instanceId: req(t.string),
    instanceType: req(t.string),
    privateIpAddress: t.string,
  },
  outputs: {},
});
