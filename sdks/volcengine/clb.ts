/**
 * Volcengine `clb` resources the platform uses, as the generated SDK's sdk/nodejs/clb/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineResource, req, t } from "../binding";
import { VOLCENGINE } from "./package";

export const Clb = defineResource(VOLCENGINE, {
  token: "volcengine:clb/clb:Clb",
  inputs: {
    addressIpVersion: t.string,
    bypassSecurityGroupEnabled: t.string,
    description: t.string,
    eipBillingConfig: t.object("volcengine:clb/ClbEipBillingConfig:ClbEipBillingConfig", {
      bandwidth: t.integer,
      bandwidthPackageId: t.string,
      eipBillingType: req(t.string),
      isp: req(t.string),
      securityProtectionInstanceId: t.string,
      securityProtectionTypes: t.array(t.string),
    }),
    eniAddress: t.string,
    eniAddressNum: t.integer,
    eniIpv6Address: t.string,
    loadBalancerBillingType: t.string,
    loadBalancerName: t.string,
    loadBalancerSpec: t.string,
    masterZoneId: t.string,
    modificationProtectionReason: t.string,
    modificationProtectionStatus: t.string,
    period: t.integer,
    projectName: t.string,
    regionId: t.string,
    remainRenewTimes: t.integer,
    renewPeriodTimes: t.integer,
    renewType: t.string,
    slaveZoneId: t.string,
    subnetId: req(t.string),
    tags: t.array(
      t.object("volcengine:clb/ClbTag:ClbTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
    timestampRemoveEnabled: t.string,
    type: req(t.string),
    vpcId: t.string,
    zoneType: t.string,
  },
  outputs: {},
});
