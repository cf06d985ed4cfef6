/**
 * Volcengine `redis` resources the platform uses, as the generated SDK's sdk/nodejs/redis/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineResource, req, secret, t } from "../binding";
import { VOLCENGINE } from "./package";

export const Instance = defineResource(VOLCENGINE, {
  token: "volcengine:redis/instance:Instance",
  inputs: {
    additionalBandwidth: t.integer,
    addrType: t.string,
    applyImmediately: t.boolean,
    autoRenew: t.boolean,
    backupActive: t.boolean,
    backupHour: t.integer,
    backupPeriods: t.array(t.integer),
    backupPointName: t.string,
    chargeType: t.string,
    configureNodes: t.array(
      t.object("volcengine:redis/InstanceConfigureNode:InstanceConfigureNode", {
        az: req(t.string),
      }),
    ),
    createBackup: t.boolean,
    deletionProtection: t.string,
    engineVersion: req(t.string),
    instanceName: t.string,
    maxConnections: t.integer,
    multiAz: t.string,
    newAddressPrefix: t.string,
    newPort: t.integer,
    nodeNumber: req(t.integer),
    paramValues: t.array(
      t.object("volcengine:redis/InstanceParamValue:InstanceParamValue", {
        name: req(t.string),
        value: req(t.string),
      }),
    ),
    password: secret(t.string),
    port: t.integer,
    projectName: t.string,
    purchaseMonths: t.integer,
    shardCapacity: req(t.integer),
    shardNumber: t.integer,
    shardedCluster: req(t.integer),
    subnetId: req(t.string),
    tags: t.array(
      t.object("volcengine:redis/InstanceTag:InstanceTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
    timeScope: t.string,
    upgradeRegionDomain: t.boolean,
    vpcAuthMode: t.string,
    zoneIds: t.array(t.string),
  },
  outputs: {},
});

export const AllowList = defineResource(VOLCENGINE, {
  token: "volcengine:redis/allowList:AllowList",
  inputs: {
    allowListDesc: t.string,
    allowListName: req(t.string),
    allowLists: req(t.array(t.string)),
  },
  outputs: {
    allowListId: t.string,
  },
});

export const AllowListAssociate = defineResource(VOLCENGINE, {
  token: "volcengine:redis/allowListAssociate:AllowListAssociate",
  inputs: {
    allowListId: req(t.string),
    instanceId: req(t.string),
  },
  outputs: {},
});
