/**
 * Volcengine cache layer: a Redis instance (Redis is Volcengine's engine; the catalog refuses
 * `valkey`) in the first zone's private subnet, primary and replicas spread over the zones in HA
 * (`multiAz` with one `configureNodes` entry per node, the primary's zone first), password
 * authentication (a generated password, secret; password-free VPC access off), an allow-list of the
 * private subnets (nodes and pods) associated to it, deletion protection and a final backup on
 * delete in prod, and daily backups. No TLS: the provider (v0.0.47) has no in-transit encryption
 * input for Redis; traffic stays in the VPC.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import { cacheExporter } from "../../components/cacheExporter";
import { CacheConfig, Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import * as redis from "../../sdks/volcengine/redis";
import { DEFAULT_REDIS_ENGINE_VERSION, volcengineConfigIssues } from "./catalog";
import { nameOf, privateSubnetCidrs, volcTags } from "./common";

/** Shard capacity (MiB) per cloud-agnostic size; `cache.nodeType` names a capacity directly. */
export const REDIS_CAPACITY_MIB: Record<CacheConfig["size"], number> = {
  small: 1024,
  medium: 4096,
  large: 16384,
};

export const REDIS_PORT = 6379;

/** Backups start in this hour (UTC+8, redis_instance `backup_hour`): 03:00-04:00 Beijing time. */
export const BACKUP_HOUR = 3;

/**
 * The zone of each node: the primary's first, then round-robin, so every zone holds a copy when
 * there are enough replicas (redis_instance `configure_nodes`: one entry per node, at least two
 * distinct zones with `multi_az: enabled`).
 */
export function nodeZones(zones: readonly string[], nodes: number, multiAz: boolean): string[] {
  return Array.from({ length: nodes }, (_, i) => (multiAz ? zones[i % zones.length] : zones[0]));
}

/**
 * The default private address of an instance (`<instance id>.redis.ivolces.com`); the provider
 * exports no connection address.
 */
export function redisHost(instanceId: string): string {
  return `${instanceId}.redis.ivolces.com`;
}

export function volcengineCache(scope: Scope, args: CacheArgs): CacheOutputs {
  const issues = volcengineConfigIssues({ cache: args.cache });
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Cache arguments");
  const cache = args.cache;
  const opts: pulumi.CustomResourceOptions = { parent: scope.parent };
  const nodes = cache.replicas + 1;
  const multiAz = cache.highAvailability && args.zones.length > 1 && nodes > 1;
  const password = new random.RandomPassword(
    `${scope.name}-password`,
    { length: 32, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
    opts,
  );

  const instance = new redis.Instance(
    `${scope.name}-redis`,
    {
      instanceName: nameOf(scope, "redis"),
      engineVersion: cache.version ?? DEFAULT_REDIS_ENGINE_VERSION,
      shardedCluster: 0,
      shardCapacity:
        cache.nodeType !== undefined ? Number(cache.nodeType) : REDIS_CAPACITY_MIB[cache.size],
      nodeNumber: nodes,
      multiAz: multiAz ? "enabled" : "disabled",
      configureNodes: nodeZones(args.zones, nodes, multiAz).map((az) => ({ az })),
      subnetId: args.network.privateSubnetIds.apply((ids) => ids[0]),
      port: REDIS_PORT,
      password: password.result,
      vpcAuthMode: "close",
      chargeType: "PostPaid",
      deletionProtection: scope.protect ? "enabled" : "disabled",
      createBackup: scope.protect,
      backupActive: true,
      backupHour: BACKUP_HOUR,
      backupPeriods: [1, 2, 3, 4, 5, 6, 7],
      tags: volcTags(scope.tags),
    },
    {
      ...opts,
      protect: scope.protect,
      // engine_version is ForceNew: a new cache.version would replace the instance (data and
      // endpoint lost; refused in prod by protect). Upgrade the engine in the Redis console, then
      // set the new version in the stack file (docs/clouds/volcengine.md).
      ignoreChanges: ["engineVersion"],
    },
  );

  // Only the private subnets, where nodes and pods (VPC-CNI) take their addresses.
  const subnetCidrs = privateSubnetCidrs(scope, args.network, args.zones);
  const allowList = new redis.AllowList(
    `${scope.name}-allow-list`,
    {
      allowListName: nameOf(scope, "nodes"),
      allowListDesc: `${scope.name}: the private subnets`,
      allowLists: subnetCidrs,
    },
    opts,
  );
  const association = new redis.AllowListAssociate(
    `${scope.name}-allow-list-associate`,
    { allowListId: allowList.allowListId, instanceId: instance.id },
    opts,
  );

  // Clients connect once the allow-list admits them.
  const host = pulumi.all([instance.id, association.id]).apply(([id]) => redisHost(id));
  // No TLS to use (see above); VPC-CNI pods take private-subnet addresses, which the allow-list holds.
  cacheExporter(scope, args, {
    host,
    port: REDIS_PORT,
    password: password.result,
    tls: { mode: "none" },
  });

  return {
    engine: pulumi.output("redis"),
    primaryEndpoint: host,
    // One address: Volcengine Redis routes reads to the primary unless a read endpoint is added.
    readerEndpoint: host,
    port: pulumi.output(REDIS_PORT),
    authToken: pulumi.secret(password.result),
    securityGroupId: allowList.allowListId,
  };
}
