/** Azure cache: Azure Managed Redis behind a private endpoint, encrypted, HA in prod. */
import { Cache } from "../components/cache";
import { CacheConfig } from "../components/types";
import { ROLES } from "../providers/azure/common";
import { AZURE_CACHE_ENGINE, CACHE_PORT, CACHE_SKUS } from "../providers/azure/cache";
import {
  AZ,
  azureConfig,
  commonArgs,
  kubernetesOutputs,
  networkOutputs,
  roleDefinition,
  SUBNET_ID,
  VNET_ID,
} from "./azureFixtures";
import { isSecret, mockPulumi, one, settle, valueOf } from "./harness";

async function build(environment: "dev" | "prod", cache: Partial<CacheConfig> = {}) {
  const mocks = await mockPulumi({ region: "westeurope" });
  const config = azureConfig(environment);
  const n = `${config.name}-cache`;
  const component = new Cache(n, {
    ...commonArgs(config),
    zones: config.zones,
    cache: { ...config.cache, ...cache },
    network: networkOutputs(config.zones),
    kubernetes: kubernetesOutputs(),
  });
  const out = component.outputs;
  const outputs = {
    engine: await valueOf(out.engine),
    primaryEndpoint: await valueOf(out.primaryEndpoint),
    readerEndpoint: await valueOf(out.readerEndpoint),
    port: await valueOf(out.port),
    authToken: await valueOf(out.authToken),
    authTokenSecret: await isSecret(out.authToken),
    securityGroupId: await valueOf(out.securityGroupId),
  };
  await settle();
  return { mocks, n, outputs };
}

describe("Azure cache (Azure Managed Redis)", () => {
  let prod: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    prod = await build("prod");
  });

  it("uses Azure Managed Redis, highly available and TLS 1.2-only, with no public network, protected in prod", () => {
    const redis = one(prod.mocks, AZ.redis);
    expect(redis.inputs).toMatchObject({
      resourceGroupName: `${prod.n}-rg`,
      sku: { name: CACHE_SKUS.medium },
      highAvailability: "Enabled",
      minimumTlsVersion: "1.2",
      publicNetworkAccess: "Disabled",
    });
    expect(CACHE_SKUS.medium).toBe("MemoryOptimized_M10");
    expect(redis.options.protect).toBe(true);
    expect(prod.mocks.byType("azure-native:cache:Redis")).toHaveLength(0);
  });

  it("encrypts at rest with a customer key through a user-assigned identity", () => {
    const { mocks, n } = prod;
    const redis = one(mocks, AZ.redis).inputs as any;
    expect(redis.identity).toEqual({
      type: "UserAssigned",
      userAssignedIdentities: [`${n}-encryption-identity-id`],
    });
    expect(redis.encryption.customerManagedKeyEncryption).toEqual({
      // Versioned: the API requires a key version.
      keyEncryptionKeyUrl: expect.stringMatching(
        /\.vault\.azure\.net\/keys\/encryption\/[0-9a-z]+$/,
      ),
      keyEncryptionKeyIdentity: {
        identityType: "userAssignedIdentity",
        userAssignedIdentityResourceId: `${n}-encryption-identity-id`,
      },
    });
    const grant = one(mocks, AZ.role, `${n}-encryption-key`);
    expect(grant.inputs).toMatchObject({
      scope: `${n}-encryption-key-id`,
      roleDefinitionId: roleDefinition(ROLES.keyVaultCryptoServiceEncryptionUser),
    });
    expect(one(mocks, AZ.redis).options.dependsOn).toContain(grant.urn);
    expect((one(mocks, AZ.vault).inputs.properties as any).enablePurgeProtection).toBe(true);
  });

  it("accepts only encrypted client connections on one endpoint, with access keys for the auth token", () => {
    const database = one(prod.mocks, AZ.database);
    expect(database.inputs).toMatchObject({
      databaseName: "default",
      clientProtocol: "Encrypted",
      port: CACHE_PORT,
      clusteringPolicy: "EnterpriseCluster",
      accessKeysAuthentication: "Enabled",
      persistence: { rdbEnabled: true },
    });
    expect(database.options.protect).toBe(true);
  });

  it("is reachable only through a private endpoint in the database tier with its privatelink zone", () => {
    const { mocks, n } = prod;
    expect(one(mocks, AZ.pe).inputs).toMatchObject({
      subnet: { id: SUBNET_ID("database") },
      privateLinkServiceConnections: [
        { privateLinkServiceId: `${n}-redis-id`, groupIds: ["redisEnterprise"] },
      ],
      applicationSecurityGroups: [{ id: `${n}-asg-id` }],
    });
    expect(one(mocks, AZ.zone).inputs.privateZoneName).toBe("privatelink.redis.azure.net");
    expect(one(mocks, AZ.zoneLink).inputs).toMatchObject({ virtualNetwork: { id: VNET_ID } });
  });

  it("serves valkey with the Redis engine and says so, with a secret access key as the token", () => {
    const { outputs, n } = prod;
    expect(outputs.engine).toBe(AZURE_CACHE_ENGINE);
    expect(outputs.engine).toBe("redis");
    expect(outputs.primaryEndpoint).toMatch(
      /^officeless-prod-cache-[a-z0-9]{6}\.westeurope\.redis\.azure\.net$/,
    );
    expect(outputs.readerEndpoint).toBe(outputs.primaryEndpoint);
    expect(outputs.port).toBe(10000);
    expect(outputs.authTokenSecret).toBe(true);
    expect(outputs.authToken).toMatch(/primary-key$/);
    expect(outputs.securityGroupId).toBe(`${n}-asg-id`);
  });

  it("runs without replication or persistence and protects nothing outside prod; nodeType overrides the size", async () => {
    const { mocks } = await build("dev", { nodeType: "Balanced_B5", size: "small" });
    expect(one(mocks, AZ.redis).inputs).toMatchObject({
      highAvailability: "Disabled",
      sku: { name: "Balanced_B5" },
    });
    expect(one(mocks, AZ.database).inputs).not.toHaveProperty("persistence");
    expect(mocks.resources.filter((r) => r.options.protect)).toEqual([]);
  });

  it("refuses an ElastiCache node type and a pinned version, before creating anything", async () => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const config = azureConfig("prod");
    const make = (cache: Partial<CacheConfig>) => () =>
      new Cache("c", {
        ...commonArgs(config),
        zones: config.zones,
        cache: { ...config.cache, ...cache },
        network: networkOutputs(config.zones),
        kubernetes: kubernetesOutputs(),
      });
    expect(make({ nodeType: "cache.r7g.large" })).toThrow(
      /cache\.nodeType = "cache\.r7g\.large": must be an Azure Managed Redis SKU/,
    );
    expect(make({ version: "7.2" })).toThrow(/cache\.version = "7\.2"/);
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });
});
