import { defineResource, req, t } from "../binding";
import { HUAWEICLOUD } from "./package";

const vaultPolicy = t.object("huaweicloud:Cbr/VaultPolicy:VaultPolicy", {
  destinationVaultId: t.string,
  id: req(t.string),
});
const vaultResource = t.object("huaweicloud:Cbr/VaultResource:VaultResource", {
  excludes: t.array(t.string),
  includes: t.array(t.string),
  serverId: t.string,
});
const policyBackupCycle = t.object("huaweicloud:Cbr/PolicyBackupCycle:PolicyBackupCycle", {
  days: t.string,
  executionTimes: req(t.array(t.string)),
  interval: t.integer,
});
const policyLongTermRetention = t.object(
  "huaweicloud:Cbr/PolicyLongTermRetention:PolicyLongTermRetention",
  {
    daily: t.integer,
    fullBackupInterval: t.integer,
    monthly: t.integer,
    weekly: t.integer,
    yearly: t.integer,
  },
);

/** CBR backup vault holding backups of attached resources */
export const Vault = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Cbr/vault:Vault",
  inputs: {
    autoBind: t.boolean,
    autoExpand: t.boolean,
    autoPay: t.string,
    autoRenew: t.string,
    backupNamePrefix: t.string,
    bindRules: t.map(t.string),
    chargingMode: t.string,
    cloudType: t.string,
    consistentLevel: t.string,
    enterpriseProjectId: t.string,
    isMultiAz: t.boolean,
    name: t.string,
    period: t.integer,
    periodUnit: t.string,
    policies: t.array(vaultPolicy),
    policyId: t.string,
    protectionType: req(t.string),
    region: t.string,
    resources: t.array(vaultResource),
    size: req(t.integer),
    tags: t.map(t.string),
    type: req(t.string),
  },
  outputs: {},
});
export type Vault = InstanceType<typeof Vault>;

/** CBR backup or replication schedule with retention rules */
export const Policy = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Cbr/policy:Policy",
  inputs: {
    backupCycle: req(policyBackupCycle),
    backupQuantity: t.integer,
    destinationProjectId: t.string,
    destinationRegion: t.string,
    enableAcceleration: t.boolean,
    enabled: t.boolean,
    longTermRetention: policyLongTermRetention,
    name: t.string,
    region: t.string,
    timePeriod: t.integer,
    timeZone: t.string,
    type: req(t.string),
  },
  outputs: {},
});
export type Policy = InstanceType<typeof Policy>;
