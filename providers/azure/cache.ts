/**
 * Azure cache layer: Azure Managed Redis (`redisenterprise`), not Azure Cache for Redis, which
 * Microsoft is retiring. Reachable only through a private endpoint in the database tier (private
 * tier when there is none), TLS 1.2 and encrypted client connections only, encrypted at rest with
 * a customer key, highly available (replicated over the region's zones) in prod.
 *
 * Engine: Azure Managed Redis offers Redis only, not Valkey. `engine: valkey` is served by Redis,
 * which speaks the same protocol and commands Valkey clients use; the `engine` output says `redis`.
 */
import * as network from "@pulumi/azure-native/network";
import * as redisenterprise from "@pulumi/azure-native/redisenterprise";
import * as pulumi from "@pulumi/pulumi";
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import { cacheExporter } from "../../components/cacheExporter";
import { CacheConfig, Scope } from "../../components/types";
import { azureConfigIssues } from "./catalog";
import {
  endpointSubnetId,
  keyEncryptionIdentity,
  keyVault,
  nameSuffix,
  privateEndpoint,
  resourceGroup,
  throwIfIssues,
  uniqueName,
  vaultKey,
} from "./common";

/** Azure Managed Redis listens on 10000 (TLS). */
export const CACHE_PORT = 10000;
/** The engine that actually runs, whatever `cache.engine` asked for. */
export const AZURE_CACHE_ENGINE = "redis";

/**
 * SKU per cloud-agnostic size, close to AWS's nodes: Balanced B3 (3 GB) for small, Memory
 * Optimized M10 (12 GB) and M20 (24 GB) for medium and large. `nodeType` overrides it.
 */
export const CACHE_SKUS: Record<CacheConfig["size"], string> = {
  small: "Balanced_B3",
  medium: "MemoryOptimized_M10",
  large: "MemoryOptimized_M20",
};

export function cacheSku(cache: CacheConfig): string {
  return cache.nodeType ?? CACHE_SKUS[cache.size];
}

/** The Azure cache backend. */
export function azureCache(scope: Scope, args: CacheArgs): CacheOutputs {
  const cache = args.cache;
  throwIfIssues(azureConfigIssues({ cache }), "Invalid Cache arguments");
  const opts = { parent: scope.parent };
  const location = args.region;
  const rg = resourceGroup(scope, location);
  const suffix = nameSuffix(scope);

  // A Key Vault firewall would need Azure Managed Redis among Key Vault's trusted services, which
  // it is not documented to be: access is RBAC-only (one identity, wrap/unwrap on one key).
  const vault = keyVault(scope, {
    resourceGroupName: rg.name,
    location,
    suffix,
    openFirewall: true,
  });
  const key = vaultKey(scope, "encryption", { vault, resourceGroupName: rg.name });
  const { identity, grant } = keyEncryptionIdentity(scope, {
    resourceGroupName: rg.name,
    location,
    keyId: key.id,
  });

  const cluster = new redisenterprise.RedisEnterprise(
    `${scope.name}-redis`,
    {
      resourceGroupName: rg.name,
      location,
      clusterName: uniqueName(scope.name, suffix, 60),
      sku: { name: cacheSku(cache) },
      // A replica per shard in another zone with automatic failover; Azure Managed Redis picks the
      // zones itself in zonal regions (the `zones` list is the retired Enterprise tiers' setting).
      // `cache.replicas` has no counterpart: HA means exactly one replica per shard.
      highAvailability: cache.highAvailability ? "Enabled" : "Disabled",
      minimumTlsVersion: "1.2",
      publicNetworkAccess: "Disabled",
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
      encryption: {
        customerManagedKeyEncryption: {
          // The API requires a versioned key URL. Old versions stay enabled after Key Vault's
          // yearly rotation; a refresh then up moves the cache to the new one (never back).
          keyEncryptionKeyUrl: key.keyUriWithVersion,
          keyEncryptionKeyIdentity: {
            identityType: "userAssignedIdentity",
            userAssignedIdentityResourceId: identity.id,
          },
        },
      },
      tags: scope.tags,
    },
    { ...opts, protect: scope.protect, dependsOn: [grant] },
  );
  const database = new redisenterprise.Database(
    `${scope.name}-database`,
    {
      resourceGroupName: rg.name,
      clusterName: cluster.name,
      // Azure Managed Redis has exactly one database, named "default".
      databaseName: "default",
      clientProtocol: "Encrypted",
      port: CACHE_PORT,
      // One endpoint that hides sharding, like a non-clustered ElastiCache group.
      clusteringPolicy: "EnterpriseCluster",
      evictionPolicy: "VolatileLRU",
      // The authToken output is an access key (the interface has no Entra ID token flow).
      accessKeysAuthentication: "Enabled",
      persistence:
        args.environment === "prod" ? { rdbEnabled: true, rdbFrequency: "1h" } : undefined,
    },
    { ...opts, protect: scope.protect },
  );

  // The endpoint's network identity: NSG rules can name it as a destination.
  const asg = new network.ApplicationSecurityGroup(
    `${scope.name}-asg`,
    {
      resourceGroupName: rg.name,
      location,
      applicationSecurityGroupName: `${scope.name}-redis`,
      tags: scope.tags,
    },
    opts,
  );
  privateEndpoint(scope, "redis", {
    resourceGroupName: rg.name,
    location,
    networkId: args.network.networkId,
    subnetId: endpointSubnetId(args.network),
    targetId: cluster.id,
    groupId: "redisEnterprise",
    dnsZone: "privatelink.redis.azure.net",
    applicationSecurityGroupIds: [asg.id],
  });

  const keys = redisenterprise.listDatabaseKeysOutput(
    { resourceGroupName: rg.name, clusterName: cluster.name, databaseName: database.name },
    opts,
  );
  // Through the private endpoint, by the host name its private DNS zone resolves. Azure Managed
  // Redis serves certificates of Microsoft's public TLS CAs (DigiCert Global Root G2 chain), which
  // the image's trust store holds.
  cacheExporter(scope, args, {
    host: cluster.hostName,
    port: CACHE_PORT,
    password: keys.primaryKey,
    tls: { mode: "system" },
  });

  return {
    engine: pulumi.output(AZURE_CACHE_ENGINE),
    primaryEndpoint: cluster.hostName,
    // One endpoint serves reads and writes; replicas are for failover only.
    readerEndpoint: cluster.hostName,
    port: database.port.apply((port) => port ?? CACHE_PORT),
    authToken: pulumi.secret(keys.primaryKey),
    securityGroupId: asg.id,
  };
}
