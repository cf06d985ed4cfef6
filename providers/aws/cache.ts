/**
 * AWS cache layer: an ElastiCache (Valkey or Redis OSS) replication group in the isolated database
 * subnets (private subnets when the network has none), reachable only from the cluster's nodes,
 * encrypted at rest with a customer key and in transit with TLS required, behind an AUTH token.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import { cacheExporter } from "../../components/cacheExporter";
import { CacheConfig, Scope } from "../../components/types";
import { kmsKey } from "./common";

export const CACHE_PORT = 6379;

/** Engine version per engine when `cache.version` is unset: the newest widely available major.minor. */
export const DEFAULT_ENGINE_VERSIONS: Record<CacheConfig["engine"], string> = {
  valkey: "8.1",
  // 7.1 is the last Redis OSS release ElastiCache offers.
  redis: "7.1",
};

/** Node type per cloud-agnostic size (Graviton; burstable only for the smallest). */
export const NODE_TYPES: Record<CacheConfig["size"], string> = {
  small: "cache.t4g.medium",
  medium: "cache.r7g.large",
  large: "cache.r7g.xlarge",
};

/** The node type a cache config asks for: `nodeType` wins over `size`. */
export function nodeTypeFor(cache: CacheConfig): string {
  return cache.nodeType ?? NODE_TYPES[cache.size];
}

/** One preferred zone per node, primary first, spread round-robin over the network's zones. */
export function preferredZones(zones: readonly string[], nodes: number): string[] {
  return Array.from({ length: nodes }, (_, i) => zones[i % zones.length]);
}

/** The AWS cache backend. */
export function awsCache(scope: Scope, args: CacheArgs): CacheOutputs {
  const cache = args.cache;
  const prod = args.environment === "prod";
  const nodes = 1 + cache.replicas;
  const key = kmsKey(scope, "encryption", `${scope.name}: ElastiCache at rest`);

  const securityGroup = new aws.ec2.SecurityGroup(
    `${scope.name}-sg`,
    {
      // Constant: a description has no update API, so naming the engine here would replace the
      // group (and cut the nodes off) on an in-place Redis-to-Valkey move. The engine is a tag.
      description: "Cache: from the cluster nodes only",
      vpcId: args.network.networkId,
      tags: { ...scope.tags, Name: scope.name, engine: cache.engine },
    },
    { parent: scope.parent },
  );
  new aws.vpc.SecurityGroupIngressRule(
    `${scope.name}-sg-nodes`,
    {
      securityGroupId: securityGroup.id,
      description: "Cache port from the cluster nodes",
      ipProtocol: "tcp",
      fromPort: CACHE_PORT,
      toPort: CACHE_PORT,
      referencedSecurityGroupId: args.kubernetes.nodeSecurityGroupId,
      tags: scope.tags,
    },
    { parent: scope.parent },
  );

  // The isolated database tier when the network has one (decided when subnet ids are known).
  const subnetIds = pulumi
    .all([args.network.databaseSubnetIds, args.network.privateSubnetIds])
    .apply(([database, privateIds]) => (database.length > 0 ? database : privateIds));
  const subnetGroup = new aws.elasticache.SubnetGroup(
    `${scope.name}-subnets`,
    { description: `${scope.name} cache subnets`, subnetIds, tags: scope.tags },
    { parent: scope.parent },
  );

  const authToken = new random.RandomPassword(
    `${scope.name}-auth-token`,
    { length: 64, special: false },
    { parent: scope.parent },
  );

  const group = new aws.elasticache.ReplicationGroup(
    `${scope.name}-group`,
    {
      // Explicit, without Pulumi's random suffix: `<officeless:name>-cache` is at most 30 of the
      // 40 characters ElastiCache allows (auto-naming added 8 more and failed at 21+). ForceNew,
      // and never replaced next to itself: the group holds data and is protected in prod.
      replicationGroupId: scope.name,
      description: `${scope.name} (${cache.engine})`,
      engine: cache.engine,
      engineVersion: cache.version ?? DEFAULT_ENGINE_VERSIONS[cache.engine],
      nodeType: nodeTypeFor(cache),
      port: CACHE_PORT,
      numCacheClusters: nodes,
      automaticFailoverEnabled: cache.highAvailability,
      multiAzEnabled: cache.highAvailability,
      preferredCacheClusterAzs: preferredZones(args.zones, nodes),
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [securityGroup.id],
      atRestEncryptionEnabled: true,
      kmsKeyId: key.arn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      authToken: authToken.result,
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: prod ? 7 : 1,
      // Windows in UTC, apart from each other and from the default backup schedule (03:00).
      snapshotWindow: "01:00-02:00",
      maintenanceWindow: "sun:04:00-sun:05:00",
      tags: scope.tags,
    },
    { parent: scope.parent, protect: scope.protect },
  );

  // Pods take VPC addresses on the nodes' ENIs (VPC CNI) and leave with the node security group,
  // which the ingress rule above admits. ElastiCache's in-transit certificates are issued by
  // Amazon's public CA (its valkey-cli example connects with `--tls` alone).
  cacheExporter(scope, args, {
    host: group.primaryEndpointAddress,
    port: CACHE_PORT,
    password: authToken.result,
    tls: { mode: "system" },
  });

  return {
    engine: pulumi.output(cache.engine),
    primaryEndpoint: group.primaryEndpointAddress,
    readerEndpoint: group.readerEndpointAddress,
    port: group.port.apply((port) => port ?? CACHE_PORT),
    authToken: authToken.result,
    securityGroupId: securityGroup.id,
  };
}
