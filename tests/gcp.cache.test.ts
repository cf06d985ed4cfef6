import { Cache } from "../components/cache";
import { CacheConfig, PlatformConfig } from "../components/types";
import { engineVersion } from "../providers/gcp/cache";
import {
  agent,
  DATABASE_SUBNET,
  expectLabelled,
  expectProjectPrerequisites,
  gcpCommonArgs,
  gcpConfig,
  gcpKubernetesOutputs,
  gcpNetworkOutputs,
  NETWORK_ID,
  NODE_SUBNET,
  PROJECT,
  REGION,
} from "./gcpFixtures";
import { isSecret, mockPulumi, one, settle, valueOf } from "./harness";

const T = {
  valkey: "gcp:memorystore/instance:Instance",
  redis: "gcp:redis/instance:Instance",
  policy: "gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy",
  keyIam: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
  key: "gcp:kms/cryptoKey:CryptoKey",
};

async function build(
  environment: "dev" | "prod",
  cache: Partial<CacheConfig> = {},
  databaseTier = true,
) {
  const mocks = await mockPulumi({ region: REGION });
  const base = gcpConfig(environment);
  const config: PlatformConfig = { ...base, cache: { ...base.cache, ...cache } };
  const n = `${config.name}-cache`;
  const component = new Cache(n, {
    ...gcpCommonArgs(config),
    zones: config.zones,
    cache: config.cache,
    network: gcpNetworkOutputs(databaseTier),
    kubernetes: gcpKubernetesOutputs(),
  });
  await valueOf(component.outputs.primaryEndpoint);
  await settle();
  return { mocks, component, n };
}

describe("GCP cache: Memorystore for Valkey (default)", () => {
  it("works in a fresh project: APIs on first, the Memorystore agent created before its grant", async () => {
    const { mocks } = await build("prod");
    expectProjectPrerequisites(
      mocks,
      [
        "memorystore.googleapis.com",
        "networkconnectivity.googleapis.com",
        "serviceconsumermanagement.googleapis.com",
        "compute.googleapis.com",
        "cloudkms.googleapis.com",
      ],
      { "memorystore.googleapis.com": ["encryption-key-memorystore"] },
      [T.valkey, T.policy, T.key, T.keyIam],
    );
    const redis = await build("prod", { engine: "redis" });
    expectProjectPrerequisites(
      redis.mocks,
      ["redis.googleapis.com", "servicenetworking.googleapis.com", "cloudkms.googleapis.com"],
      { "redis.googleapis.com": ["encryption-key-redis"] },
      [T.redis, T.key, T.keyIam],
    );
  });

  it("spreads a primary and replicas over zones with TLS, IAM auth and CMEK in prod, protected", async () => {
    const { mocks, n } = await build("prod");
    const instance = one(mocks, T.valkey);
    expect(instance.inputs).toMatchObject({
      instanceId: n,
      location: REGION,
      engineVersion: "VALKEY_8_0",
      nodeType: "STANDARD_SMALL",
      mode: "CLUSTER_DISABLED",
      shardCount: 1,
      replicaCount: 2,
      zoneDistributionConfig: { mode: "MULTI_ZONE" },
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      authorizationMode: "IAM_AUTH",
      kmsKey: `${n}-encryption-key-id`,
      desiredAutoCreatedEndpoints: [{ network: NETWORK_ID, projectId: PROJECT }],
      deletionProtectionEnabled: true,
    });
    expect(instance.options.protect).toBe(true);
    expect(one(mocks, T.keyIam).inputs.member).toBe(
      agent("gcp-sa-memorystore.iam.gserviceaccount.com"),
    );
    expect(instance.options.dependsOn).toEqual(
      expect.arrayContaining([one(mocks, T.keyIam).urn, one(mocks, T.policy).urn]),
    );
  });

  it("places its Private Service Connect endpoints in the isolated database subnet", async () => {
    const { mocks } = await build("prod");
    expect(one(mocks, T.policy).inputs).toMatchObject({
      location: REGION,
      network: NETWORK_ID,
      serviceClass: "gcp-memorystore",
      pscConfig: { subnetworks: [DATABASE_SUBNET] },
    });
  });

  it("falls back to the node subnet without a database tier", async () => {
    const { mocks } = await build("prod", {}, false);
    expect(
      (one(mocks, T.policy).inputs.pscConfig as { subnetworks: string[] }).subnetworks,
    ).toEqual([NODE_SUBNET]);
  });

  it("runs in one zone outside HA, unprotected, with the node type from config", async () => {
    const { mocks } = await build("dev", {
      highAvailability: false,
      replicas: 0,
      nodeType: "HIGHMEM_MEDIUM",
    });
    const instance = one(mocks, T.valkey);
    expect(instance.inputs).toMatchObject({
      zoneDistributionConfig: { mode: "SINGLE_ZONE", zone: "europe-west1-b" },
      replicaCount: 0,
      nodeType: "HIGHMEM_MEDIUM",
    });
    expect(instance.options.protect).toBe(false);
  });

  it("exports the PSC endpoints and an empty secret token (IAM authentication)", async () => {
    const { component } = await build("prod");
    expect(await valueOf(component.outputs.engine)).toBe("valkey");
    expect(await valueOf(component.outputs.primaryEndpoint)).toBe("10.30.130.2");
    expect(await valueOf(component.outputs.readerEndpoint)).toBe("10.30.130.3");
    expect(await valueOf(component.outputs.port)).toBe(6379);
    expect(await isSecret(component.outputs.authToken)).toBe(true);
    expect(await valueOf(component.outputs.authToken)).toBe("");
  });

  it("rejects a node type Memorystore for Valkey does not have", async () => {
    await expect(build("prod", { nodeType: "cache.r7g.large" })).rejects.toThrow(
      /cache\.nodeType.*Valkey node type/,
    );
  });

  it("labels its resources", async () => {
    const { mocks } = await build("prod");
    expectLabelled(mocks.resources, "prod", "cache");
  });
});

describe("GCP cache: Memorystore for Redis (by config)", () => {
  it("is STANDARD_HA across two zones with read replicas, TLS, AUTH and CMEK on private services access", async () => {
    const { mocks, n } = await build("prod", { engine: "redis" });
    const instance = one(mocks, T.redis);
    expect(instance.inputs).toMatchObject({
      tier: "STANDARD_HA",
      region: REGION,
      locationId: "europe-west1-b",
      alternativeLocationId: "europe-west1-c",
      redisVersion: "REDIS_7_2",
      memorySizeGb: 10,
      readReplicasMode: "READ_REPLICAS_ENABLED",
      replicaCount: 2,
      connectMode: "PRIVATE_SERVICE_ACCESS",
      authorizedNetwork: NETWORK_ID,
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      authEnabled: true,
      customerManagedKey: `${n}-encryption-key-id`,
      deletionProtection: true,
    });
    expect(instance.options.protect).toBe(true);
    expect(one(mocks, T.keyIam).inputs.member).toBe(agent("cloud-redis.iam.gserviceaccount.com"));
    expect(mocks.byType(T.valkey)).toEqual([]);
  });

  it("is BASIC without HA", async () => {
    const { mocks } = await build("dev", { engine: "redis", highAvailability: false, replicas: 0 });
    const inputs = one(mocks, T.redis).inputs;
    expect(inputs.tier).toBe("BASIC");
    expect(inputs.alternativeLocationId).toBeUndefined();
    expect(inputs.readReplicasMode).toBeUndefined();
  });

  it("exports the AUTH string as a secret token and the TLS endpoints", async () => {
    const { component } = await build("prod", { engine: "redis" });
    expect(await isSecret(component.outputs.authToken)).toBe(true);
    expect(await valueOf(component.outputs.authToken)).toMatch(/^mock-auth-/);
    expect(await valueOf(component.outputs.port)).toBe(6378);
    expect(await valueOf(component.outputs.readerEndpoint)).toBe("10.30.224.5");
  });

  it("rejects a node type for Redis, which is sized by memory", async () => {
    await expect(build("prod", { engine: "redis", nodeType: "STANDARD_SMALL" })).rejects.toThrow(
      /sized by memory/,
    );
  });

  it("maps engine versions", () => {
    expect(
      engineVersion({
        enabled: true,
        engine: "valkey",
        size: "small",
        replicas: 0,
        highAvailability: false,
      }),
    ).toBe("VALKEY_8_0");
    expect(
      engineVersion({
        enabled: true,
        engine: "redis",
        version: "7.0",
        size: "small",
        replicas: 0,
        highAvailability: false,
      }),
    ).toBe("REDIS_7_0");
  });
});
