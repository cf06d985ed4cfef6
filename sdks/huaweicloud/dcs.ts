import { defineFunction, defineResource, req, secret, t } from "../binding";
import { HUAWEICLOUD } from "./package";

const instanceBackupPolicy = t.object("huaweicloud:Dcs/InstanceBackupPolicy:InstanceBackupPolicy", {
  backupAts: req(t.array(t.integer)),
  backupType: t.string,
  beginAt: req(t.string),
  periodType: t.string,
  saveDays: t.integer,
});
const instanceParameter = t.object("huaweicloud:Dcs/InstanceParameter:InstanceParameter", {
  id: req(t.string),
  name: req(t.string),
  value: req(t.string),
});
const instanceWhitelist = t.object("huaweicloud:Dcs/InstanceWhitelist:InstanceWhitelist", {
  groupName: req(t.string),
  ipAddresses: req(t.array(t.string)),
});

/** DCS managed Redis/Memcached cache instance */
export const Instance = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Dcs/instance:Instance",
  inputs: {
    accessUser: t.string,
    autoPay: t.string,
    autoRenew: t.string,
    availabilityZones: t.array(t.string),
    availableZones: t.array(t.string),
    backupAts: t.array(t.integer),
    backupPolicy: instanceBackupPolicy,
    backupType: t.string,
    beginAt: t.string,
    capacity: req(t.number),
    chargingMode: t.string,
    deletedNodes: t.string,
    description: t.string,
    engine: req(t.string),
    engineVersion: t.string,
    enterpriseProjectId: t.string,
    enterpriseProjectName: t.string,
    flavor: t.string,
    maintainBegin: t.string,
    maintainEnd: t.string,
    name: t.string,
    parameters: t.array(instanceParameter),
    password: secret(t.string),
    period: t.integer,
    periodType: t.string,
    periodUnit: t.string,
    port: t.integer,
    privateIp: t.string,
    productId: t.string,
    region: t.string,
    renameCommands: t.map(t.string),
    reservedIps: t.array(t.string),
    saveDays: t.integer,
    securityGroupId: t.string,
    sslEnable: t.boolean,
    subnetId: req(t.string),
    tags: t.map(t.string),
    templateId: t.string,
    vpcId: req(t.string),
    whitelistEnable: t.boolean,
    whitelists: t.array(instanceWhitelist),
  },
  outputs: {
    domainName: t.string,
    readonlyDomainName: t.string,
    ip: t.string,
  },
});
export type Instance = InstanceType<typeof Instance>;

/** DCS flavors by engine, version, capacity and mode (`single`, `ha`): flavor codes differ by region. */
export const getFlavors = defineFunction(HUAWEICLOUD, {
  token: "huaweicloud:Dcs/getFlavors:getFlavors",
  inputs: {
    capacity: req(t.number),
    engine: t.string,
    engineVersion: t.string,
    cacheMode: t.string,
    cpuArchitecture: t.string,
  },
  outputs: {
    flavors: t.array(
      t.object("huaweicloud:Dcs/getFlavorsFlavor:getFlavorsFlavor", { name: t.string }),
    ),
  },
});
