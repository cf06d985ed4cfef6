import { defineResource, req, secret, t } from "../binding";
import { HUAWEICLOUD } from "./package";

const instanceNetwork = t.object("huaweicloud:Ecs/InstanceNetwork:InstanceNetwork", {
  uuid: req(t.string),
  fixedIpV4: t.string,
  ipv6Enable: t.boolean,
  sourceDestCheck: t.boolean,
  accessNetwork: t.boolean,
});

/**  */
export const Instance = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Ecs/instance:Instance",
  inputs: {
    adminPass: secret(t.string),
    agencyName: t.string,
    agentList: t.string,
    autoPay: t.string,
    autoRenew: t.string,
    availabilityZone: t.string,
    chargingMode: t.string,
    deleteDisksOnTermination: t.boolean,
    deleteEipOnTermination: t.boolean,
    eipId: t.string,
    eipType: t.string,
    enterpriseProjectId: t.string,
    flavorId: t.string,
    flavorName: t.string,
    imageId: t.string,
    imageName: t.string,
    keyPair: t.string,
    metadata: t.map(t.string),
    name: t.string,
    networks: req(t.array(instanceNetwork)),
    period: t.integer,
    periodUnit: t.string,
    powerAction: t.string,
    privateKey: secret(t.string),
    region: t.string,
    securityGroupIds: t.array(t.string),
    securityGroups: t.array(t.string),
    stopBeforeDestroy: t.boolean,
    systemDiskSize: t.integer,
    systemDiskType: t.string,
    tags: t.map(t.string),
    userData: secret(t.string),
    userId: t.string,
  },
  outputs: {
    accessIpV4: t.string,
    publicIp: t.string,
  },
});
export type Instance = InstanceType<typeof Instance>;
