import { defineResource, req, t } from "../binding";
import { HUAWEICLOUD } from "./package";

/** SFS Turbo shared file system (NFS) in a VPC subnet */
export const Turbo = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Sfs/turbo:Turbo",
  inputs: {
    autoRenew: t.string,
    availabilityZone: req(t.string),
    backupId: t.string,
    chargingMode: t.string,
    cryptKeyId: t.string,
    dedicatedFlavor: t.string,
    dedicatedStorageId: t.string,
    enhanced: t.boolean,
    enterpriseProjectId: t.string,
    hpcBandwidth: t.string,
    hpcCacheBandwidth: t.string,
    name: t.string,
    period: t.integer,
    periodUnit: t.string,
    region: t.string,
    securityGroupId: req(t.string),
    shareProto: t.string,
    shareType: t.string,
    size: req(t.integer),
    subnetId: req(t.string),
    tags: t.map(t.string),
    vpcId: req(t.string),
  },
  outputs: {
    exportLocation: t.string,
  },
});
export type Turbo = InstanceType<typeof Turbo>;
