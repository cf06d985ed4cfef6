/**
 * GCP cache layer. Valkey (default): Memorystore for Valkey reached through Private Service Connect
 * endpoints in the network's isolated database subnet, TLS required, IAM authentication, CMEK,
 * spread over zones in HA. Redis (by config): Memorystore for Redis on private services access,
 * STANDARD_HA in HA, TLS (server authentication), an AUTH string, CMEK.
 */
import * as memorystore from "@pulumi/gcp/memorystore";
import * as networkconnectivity from "@pulumi/gcp/networkconnectivity";
import * as redis from "@pulumi/gcp/redis";
import * as pulumi from "@pulumi/pulumi";
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import { cacheExporter } from "../../components/cacheExporter";
import { CacheConfig, Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { gcpConfigIssues } from "./catalog";
import {
  agentUser,
  customerKey,
  cutName,
  gcpLabels,
  gcpProject,
  Project,
  projectServices,
} from "./common";

export const VALKEY_PORT = 6379;
/** Memorystore for Redis serves TLS on 6378. */
export const REDIS_TLS_PORT = 6378;

/**
 * The APIs each engine calls. Memorystore for Valkey creates its endpoints through Private Service
 * Connect (Network Connectivity's service connection policy, Service Consumer Management).
 */
export const CACHE_APIS: Record<CacheConfig["engine"], string[]> = {
  valkey: [
    "memorystore.googleapis.com",
    "networkconnectivity.googleapis.com",
    "serviceconsumermanagement.googleapis.com",
    "compute.googleapis.com",
    "cloudkms.googleapis.com",
  ],
  redis: ["redis.googleapis.com", "servicenetworking.googleapis.com", "cloudkms.googleapis.com"],
};

/** Engine version per engine when `cache.version` is unset. */
export const DEFAULT_VERSIONS: Record<CacheConfig["engine"], string> = {
  valkey: "8.0",
  redis: "7.2",
};

/** Valkey node type per cloud-agnostic size (`nodeType` overrides). */
export const VALKEY_NODE_TYPES_BY_SIZE: Record<CacheConfig["size"], string> = {
  small: "SHARED_CORE_NANO",
  medium: "STANDARD_SMALL",
  large: "HIGHMEM_MEDIUM",
};

/** Redis memory per size, in GB. Read replicas need at least 5 GB. */
export const REDIS_MEMORY_GB: Record<CacheConfig["size"], number> = {
  small: 5,
  medium: 10,
  large: 26,
};

/** Memorystore for Redis instance ids: 1-40 characters (CreateInstanceRequest.instance_id). */
export const REDIS_ID_MAX = 40;

/**
 * The Redis instance's explicit name, or undefined to keep Pulumi's auto-name
 * (`<logical>-<7 random>`) where it fits in 40: the auto-name exceeds it once `officeless:name`
 * passes 20 characters, and such stacks could never be created, so existing instances keep theirs.
 */
export function redisInstanceName(logicalName: string): string | undefined {
  return logicalName.length + 8 <= REDIS_ID_MAX ? undefined : cutName(logicalName, REDIS_ID_MAX);
}

/** `8.0` -> `VALKEY_8_0`, `7.2` -> `REDIS_7_2`: the API's version enums. */
export function engineVersion(cache: CacheConfig): string {
  const version = cache.version ?? DEFAULT_VERSIONS[cache.engine];
  const [major, minor = "0"] = version.split(".");
  return `${cache.engine.toUpperCase()}_${major}_${minor}`;
}

/**
 * Inputs that replace the instance when `cache.highAvailability` or the first zone changes
 * (ForceNew in terraform-provider-google: memorystore `zone_distribution_config` and its `zone`;
 * redis `tier`, `location_id`, `alternative_location_id`).
 */
export const VALKEY_FIXED_AT_CREATION = ["zoneDistributionConfig"];
export const REDIS_FIXED_AT_CREATION = ["tier", "locationId", "alternativeLocationId"];

/**
 * How a config edit that would replace the instance is handled. Outside prod the change applies:
 * the old instance goes first (Valkey's `instanceId` is fixed, so create-first would collide), and
 * the new one starts empty. In prod an edit never replaces the cache: the inputs keep the values
 * the instance was created with (README "Deploying for real" says how to change them).
 */
function fixedAtCreation(scope: Scope, inputs: string[]): pulumi.CustomResourceOptions {
  return scope.protect ? { ignoreChanges: inputs } : { deleteBeforeReplace: true };
}

/**
 * Why Memorystore for Valkey gets no in-cluster exporter: it takes IAM access tokens only
 * (`IAM_AUTH`, the only mode the platform offers), which expire after an hour, and redis_exporter
 * reads one static password (its released versions have no IAM token source). An exporter would
 * fail with NOAUTH an hour after each start. Its metrics are in Cloud Monitoring
 * (`memorystore.googleapis.com/instance/...`: memory, clients, evictions, replication).
 */
export function gcpCacheExporterSkipped(cache: CacheConfig): string | undefined {
  return cache.engine === "valkey"
    ? "Memorystore for Valkey authenticates with hourly IAM tokens, which redis_exporter cannot renew; its metrics are in Cloud Monitoring"
    : undefined;
}

/** The GCP cache backend. */
export function gcpCache(scope: Scope, args: CacheArgs): CacheOutputs {
  const issues = gcpConfigIssues({ cache: args.cache });
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Cache arguments");
  const project = gcpProject(scope);
  return args.cache.engine === "valkey"
    ? valkey(scope, args, project)
    : redisCache(scope, args, project);
}

function valkey(scope: Scope, args: CacheArgs, project: Project): CacheOutputs {
  // No exporter here: gcpCacheExporterSkipped says why.
  const cache = args.cache;
  const services = projectServices(scope, project, CACHE_APIS.valkey, ["memorystore"]);
  const opts = { parent: scope.parent, dependsOn: services.apis };
  const { key, grants } = customerKey(
    scope,
    "encryption",
    args.region,
    [agentUser(project, services, "memorystore")],
    services.apis,
  );

  // Memorystore creates its PSC endpoints in the isolated database subnet (the node subnet when
  // the network has no database tier). One policy per network, region and service class.
  const subnet = pulumi
    .all([args.network.databaseSubnetIds, args.network.privateSubnetIds])
    .apply(([database, nodes]) => (database.length > 0 ? database[0] : nodes[0]));
  const policy = new networkconnectivity.ServiceConnectionPolicy(
    `${scope.name}-psc-policy`,
    {
      location: args.region,
      network: args.network.networkId,
      serviceClass: "gcp-memorystore",
      pscConfig: { subnetworks: [subnet] },
      description: `${scope.name}: Memorystore endpoints`,
      labels: gcpLabels(scope.tags),
    },
    opts,
  );

  const instance = new memorystore.Instance(
    `${scope.name}-valkey`,
    {
      instanceId: scope.name,
      location: args.region,
      engineVersion: engineVersion(cache),
      nodeType: cache.nodeType ?? VALKEY_NODE_TYPES_BY_SIZE[cache.size],
      // One shard with replicas: the shape of the other clouds' primary/replica groups.
      mode: "CLUSTER_DISABLED",
      shardCount: 1,
      replicaCount: cache.replicas,
      zoneDistributionConfig: cache.highAvailability
        ? { mode: "MULTI_ZONE" }
        : { mode: "SINGLE_ZONE", zone: args.zones[0] },
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      // Memorystore for Valkey has no static password: clients present IAM access tokens.
      authorizationMode: "IAM_AUTH",
      kmsKey: key.id,
      desiredAutoCreatedEndpoints: [
        { network: args.network.networkId, projectId: project.projectId },
      ],
      deletionProtectionEnabled: scope.protect,
      labels: gcpLabels(scope.tags),
    },
    {
      parent: scope.parent,
      protect: scope.protect,
      dependsOn: [...services.apis, policy, ...grants],
      ...fixedAtCreation(scope, VALKEY_FIXED_AT_CREATION),
    },
  );

  const endpoint = (type: string) =>
    instance.endpoints.apply((endpoints) => {
      const connections = (endpoints ?? [])
        .flatMap((e) => e.connections ?? [])
        .map((c) => c.pscAutoConnection);
      const match = connections.find((c) => c?.connectionType === type) ?? connections[0];
      return { host: match?.ipAddress ?? "", port: match?.port ?? VALKEY_PORT };
    });
  const primary = endpoint("CONNECTION_TYPE_PRIMARY");
  const reader = endpoint("CONNECTION_TYPE_READER");
  return {
    engine: pulumi.output("valkey"),
    primaryEndpoint: primary.apply((e) => e.host),
    readerEndpoint: reader.apply((e) => e.host),
    port: primary.apply((e) => e.port),
    // IAM authentication: tokens are per client identity (roles/memorystore.dbConnectionUser).
    authToken: pulumi.secret(""),
    // No firewall identity: PSC endpoints admit the network; IAM decides who may connect.
    securityGroupId: policy.id,
  };
}

function redisCache(scope: Scope, args: CacheArgs, project: Project): CacheOutputs {
  const cache = args.cache;
  const services = projectServices(scope, project, CACHE_APIS.redis, ["redis"]);
  const { key, grants } = customerKey(
    scope,
    "encryption",
    args.region,
    [agentUser(project, services, "redis")],
    services.apis,
  );
  const readReplicas = cache.highAvailability && cache.replicas > 0;
  const logicalName = `${scope.name}-redis`;
  const name = redisInstanceName(logicalName);
  const instance = new redis.Instance(
    logicalName,
    {
      ...(name ? { name } : {}),
      displayName: scope.name,
      region: args.region,
      tier: cache.highAvailability ? "STANDARD_HA" : "BASIC",
      memorySizeGb: REDIS_MEMORY_GB[cache.size],
      redisVersion: engineVersion(cache),
      // Primary and failover replica in different zones.
      locationId: args.zones[0],
      ...(cache.highAvailability && args.zones.length > 1
        ? { alternativeLocationId: args.zones[1] }
        : {}),
      ...(readReplicas
        ? { readReplicasMode: "READ_REPLICAS_ENABLED", replicaCount: cache.replicas }
        : {}),
      // Private services access range of the network layer: no public address, no extra peering.
      connectMode: "PRIVATE_SERVICE_ACCESS",
      authorizedNetwork: args.network.networkId,
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      authEnabled: true,
      customerManagedKey: key.id,
      deletionProtection: scope.protect,
      labels: gcpLabels(scope.tags),
    },
    {
      parent: scope.parent,
      protect: scope.protect,
      dependsOn: [...services.apis, ...grants],
      ...fixedAtCreation(scope, REDIS_FIXED_AT_CREATION),
    },
  );
  // Pods are VPC-native (alias ranges of the node subnet), inside the authorized network.
  cacheExporter(scope, args, {
    host: instance.host,
    port: instance.port.apply((port) => port ?? REDIS_TLS_PORT),
    password: instance.authString,
    tls: {
      mode: "skip-verify",
      // The instance exports its CA (serverCaCerts), but clients reach it by IP and its
      // certificate carries that IP in the CN only, no IP SAN: Go's TLS, redis_exporter's,
      // refuses the name even with the CA (envoyproxy/ratelimit#409), and the exporter has no
      // option to check the chain alone.
      why: "Memorystore for Redis names the server by IP in the CN only; Go refuses it",
    },
  });

  return {
    engine: pulumi.output("redis"),
    primaryEndpoint: instance.host,
    readerEndpoint: readReplicas ? instance.readEndpoint : instance.host,
    port: instance.port.apply((port) => port ?? REDIS_TLS_PORT),
    authToken: pulumi.secret(instance.authString),
    securityGroupId: pulumi.output(""),
  };
}
