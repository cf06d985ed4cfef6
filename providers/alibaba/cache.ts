/**
 * Alibaba Cloud cache layer: a Tair (Redis OSS-compatible) cloud-native master-replica instance.
 * Alibaba Cloud offers no Valkey engine (config validation refuses `engine: valkey` with that
 * reason). VPC only (no public endpoint is ever allocated), in the database vSwitch of the first
 * zone (the node vSwitch without a database tier), its replica in the second zone in prod
 * (`secondaryZoneId`, automatic failover), TLS on, TDE with a KMS key of the layer, password
 * authentication with a random password kept secret, and a whitelist holding only the cluster's
 * node and pod vSwitches (Terway pods connect from their own VPC addresses).
 */
import { getCallerIdentityOutput } from "@pulumi/alicloud/getCallerIdentity";
import * as kvstore from "@pulumi/alicloud/kvstore";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import { CacheConfig, Scope } from "../../components/types";
import { alibabaConfigIssues } from "./catalog";
import {
  alibabaTags,
  customerKey,
  cutName,
  requireRoles,
  throwIfIssues,
  tierSwitches,
} from "./common";

/** Cloud-native Redis OSS-compatible classes per size (1, 4 and 16 GB); `nodeType` overrides. */
export const CACHE_CLASSES: Record<CacheConfig["size"], string> = {
  small: "redis.shard.small.2.ce",
  medium: "redis.shard.large.ce",
  large: "redis.shard.2xlarge.ce",
};
export const DEFAULT_CACHE_VERSION = "7.0";
export const CACHE_PORT = 6379;
/** The service role Tair's TDE uses to reach KMS (created by the console's one-time authorization). */
export const TDE_ROLE = "AliyunRdsInstanceEncryptionDefaultRole";
/** Tair passwords: 8-32 characters from at least three of upper, lower, digits and `!@#$%^&*()_+-=`. */
const PASSWORD_SPECIALS = "!#%^*()_+-=";

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

  const instance = new kvstore.Instance(
    `${scope.name}-redis`,
    {
      dbInstanceName: cutName(scope.name, 128),
      instanceType: "Redis",
      engineVersion: cache.version ?? DEFAULT_CACHE_VERSION,
      instanceClass: cache.nodeType ?? CACHE_CLASSES[cache.size],
      paymentType: "PostPaid",
      zoneId: args.zones[0],
      ...(cache.highAvailability ? { secondaryZoneId: args.zones[1] } : {}),
      vswitchId: home,
      port: CACHE_PORT,
      vpcAuthMode: "Open",
      password: password.result,
      sslEnable: "Enable",
      tdeStatus: "Enabled",
      encryptionKey: key.id,
      // The role must exist before TDE can use the key: checked first, with the fix.
      roleArn: pulumi
        .all([caller.accountId, requireRoles(scope, `^${TDE_ROLE}$`, [TDE_ROLE], "Tair TDE")])
        .apply(([account]) => `acs:ram::${account}:role/${TDE_ROLE}`),
      securityIpGroupName: "nodes",
      securityIps: allowed,
      instanceReleaseProtection: scope.protect,
      tags: alibabaTags(scope.tags),
    },
    { ...opts, protect: scope.protect, additionalSecretOutputs: ["password"] },
  );
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
