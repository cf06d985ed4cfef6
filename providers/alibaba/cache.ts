/**
 * Alibaba Cloud cache layer: a Tair (Enterprise Edition) memory-optimized (`tair_rdb`) cloud-native
 * master-replica instance, Redis 7.0-compatible. Memory-optimized, not Redis Open-Source Edition,
 * because TDE runs only there (alibabacloud.com/help/en/redis/user-guide/enable-tde: "TDE is
 * supported only on Tair (Enterprise Edition) memory-optimized"). Alibaba Cloud offers no Valkey
 * engine (config validation refuses `engine: valkey` with that reason). VPC only (no public endpoint is ever allocated), in the database vSwitch of the first
 * zone (the node vSwitch without a database tier), its replica in the second zone in prod
 * (`secondaryZoneId`, automatic failover), TLS on, TDE with a KMS key of the layer, password
 * authentication with a random password kept secret, and a whitelist holding only the cluster's
 * node and pod vSwitches (Terway pods connect from their own VPC addresses).
 */
import { getCallerIdentityOutput } from "@pulumi/alicloud/getCallerIdentity";
import * as kvstore from "@pulumi/alicloud/kvstore";
import * as redis from "@pulumi/alicloud/redis";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import { cacheExporter } from "../../components/cacheExporter";
import { CacheConfig, Scope } from "../../components/types";
import { alibabaConfigIssues, TDE_ROLE } from "./catalog";
import {
  alibabaTags,
  customerKey,
  cutName,
  requireRoles,
  throwIfIssues,
  tierSwitches,
} from "./common";

/** Memory-optimized master-replica classes per size (1, 4 and 16 GB); `nodeType` overrides. */
export const CACHE_CLASSES: Record<CacheConfig["size"], string> = {
  small: "tair.rdb.1g",
  medium: "tair.rdb.4g",
  large: "tair.rdb.16g",
};
export const DEFAULT_CACHE_VERSION = "7.0";
export const CACHE_PORT = 6379;
/** Tair passwords: 8-32 characters from at least three of upper, lower, digits and `!@#$%^&*()_+-=`. */
const PASSWORD_SPECIALS = "!#%^*()_+-=";

/** What the stack's Tair instance is, when it exists already (kvstore DescribeInstances). */
export interface ExistingCache {
  readonly id: string;
  readonly zoneId: string;
  readonly secondaryZoneId: string;
}

/**
 * A `cache.highAvailability` toggle on an existing instance would replace it: its secondary zone
 * is create-only (aliyun/terraform-provider-alicloud redis_tair_instance docs: "secondary_zone_id -
 * (Optional, ForceNew)"), and a replaced cache loses its data. Refused, with the way out.
 */
export function highAvailabilityChange(
  existing: ExistingCache | undefined,
  highAvailability: boolean,
): string | undefined {
  if (!existing) return undefined;
  const has = existing.secondaryZoneId !== "";
  if (has === highAvailability) return undefined;
  return `officeless:cache.highAvailability is ${highAvailability}, but Tair instance ${existing.id} was created ${has ? `with a replica in ${existing.secondaryZoneId}` : "without a secondary zone"}. The secondary zone is fixed at creation, so this change would replace the instance and lose its data. Set it back to ${has}, or ${highAvailability ? "add the secondary zone in the Tair console (change zone)" : "remove the secondary zone in the Tair console"} and then set it to ${highAvailability} (the stack keeps the zones the instance has).`;
}

export function alibabaCache(scope: Scope, args: CacheArgs): CacheOutputs {
  const cache = args.cache;
  throwIfIssues(alibabaConfigIssues({ cache }), "Invalid Alibaba Cloud cache arguments");
  const opts = { parent: scope.parent };
  const key = customerKey(scope, "cache", `${scope.name}: Tair TDE`);
  const password = new random.RandomPassword(
    `${scope.name}-password`,
    {
      length: 32,
      minUpper: 2,
      minLower: 2,
      minNumeric: 2,
      minSpecial: 2,
      overrideSpecial: PASSWORD_SPECIALS,
    },
    opts,
  );
  const caller = getCallerIdentityOutput(opts);
  const switchesOf = (tier: "private" | "pods" | "database") =>
    tierSwitches(scope, args.network.networkId, tier, args.zones);
  const database = args.network.databaseSubnetIds.apply((ids) => ids.length > 0);
  const home = pulumi
    .all([database, args.network.databaseSubnetIds, args.network.privateSubnetIds])
    .apply(([db, dbIds, nodeIds]) => (db ? dbIds[0] : nodeIds[0]));
  const allowed = pulumi
    .all([switchesOf("private"), switchesOf("pods")])
    .apply(([nodes, pods]) => [...nodes, ...pods].map((s) => s.cidr));

  const name = cutName(scope.name, 128);
  // The stack's instance, if it exists: an HA toggle on it is refused before the update.
  const found = kvstore.getInstancesOutput(
    {
      nameRegex: `^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
      vpcId: args.network.networkId,
      enableDetails: true,
    },
    opts,
  );
  const checkedName = found.instances.apply((instances) => {
    const i = instances.find((x) => (x.dbInstanceName || x.name) === name);
    const problem = highAvailabilityChange(
      i && { id: i.id, zoneId: i.zoneId, secondaryZoneId: i.secondaryZoneId ?? "" },
      cache.highAvailability,
    );
    if (problem) throw new Error(problem);
    return name;
  });

  const instance = new redis.TairInstance(
    `${scope.name}-redis`,
    {
      tairInstanceName: checkedName,
      instanceType: "tair_rdb",
      engineVersion: cache.version ?? DEFAULT_CACHE_VERSION,
      instanceClass: cache.nodeType ?? CACHE_CLASSES[cache.size],
      nodeType: "MASTER_SLAVE",
      // The provider's default is Subscription (prepaid).
      paymentType: "PayAsYouGo",
      zoneId: args.zones[0],
      ...(cache.highAvailability ? { secondaryZoneId: args.zones[1] } : {}),
      vpcId: args.network.networkId,
      vswitchId: home,
      port: CACHE_PORT,
      vpcAuthMode: "Open",
      password: password.result,
      sslEnabled: "Enable",
      // The pinned provider's only valid value (its docs: "Valid value: `enabled`").
      tdeStatus: "enabled",
      encryptionKey: key.id,
      // The role must exist before TDE can use the key: checked first, with the fix.
      roleArn: pulumi
        .all([caller.accountId, requireRoles(scope, `^${TDE_ROLE}$`, [TDE_ROLE], "Tair TDE")])
        .apply(([account]) => `acs:ram::${account}:role/${TDE_ROLE}`),
      securityIpGroupName: "nodes",
      securityIps: allowed.apply((cidrs) => cidrs.join(",")),
      tags: alibabaTags(scope.tags),
    },
    {
      ...opts,
      protect: scope.protect,
      additionalSecretOutputs: ["password"],
      // Create-only placement, pinned at creation: reordering or adding `zones` must not replace
      // the cache (zone moves are Tair's own operation, in its console).
      ignoreChanges: ["zoneId", "secondaryZoneId", "vswitchId"],
    },
  );
  // Terway pods connect from the pod vSwitches, which the whitelist holds.
  cacheExporter(scope, args, {
    host: instance.connectionDomain,
    port: CACHE_PORT,
    password: password.result,
    tls: {
      mode: "skip-verify",
      why: "Tair signs its TLS certificates with Alibaba Cloud's own CA, which the console hands out (Enable TLS encryption: download the CA certificate) and no API or provider resource exports",
    },
  });

  return {
    engine: instance.id.apply(() => "redis"),
    primaryEndpoint: instance.connectionDomain,
    // One endpoint: failover moves it to the replica; there are no separate read-only nodes.
    readerEndpoint: instance.connectionDomain,
    port: instance.port.apply((p) => p ?? CACHE_PORT),
    authToken: pulumi.secret(password.result),
    securityGroupId: instance.id.apply(() => ""),
  };
}
