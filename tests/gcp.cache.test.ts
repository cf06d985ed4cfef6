import { Cache } from "../components/cache";
import { needsClusterApi } from "../components/platform";
import { CacheConfig, PlatformConfig } from "../components/types";
import {
  engineVersion,
  REDIS_FIXED_AT_CREATION,
  redisInstanceName,
  VALKEY_FIXED_AT_CREATION,
} from "../providers/gcp/cache";
import { NAME_LIMITS } from "../policy/nameLimits";
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
import { withKubernetes } from "./fixtures";
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
  overrides: Partial<PlatformConfig> = {},
  metrics = false,
) {
  const mocks = await mockPulumi({ region: REGION });
  const base = { ...gcpConfig(environment), ...overrides };
  const config: PlatformConfig = { ...base, cache: { ...base.cache, ...cache } };
  const n = `${config.name}-cache`;
  const component = new Cache(
    n,
    {
      ...gcpCommonArgs(config),
      zones: config.zones,
      cache: config.cache,
      network: gcpNetworkOutputs(databaseTier),
      kubernetes: gcpKubernetesOutputs(),
      metrics,
    },
    // The exporter is the only in-cluster child.
    metrics ? withKubernetes() : undefined,
  );
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

  it("names the Redis instance within 40 characters at the longest officeless:name, keeping shorter stacks' auto-names", async () => {
    const limit = NAME_LIMITS.find((l) => l.type === T.redis && l.input === "name")!;
    // officeless:name is at most 24 characters (configSchema), the layer's scope `<name>-cache`.
    const { mocks } = await build("dev", { engine: "redis" }, true, { name: "n".repeat(24) });
    const instance = one(mocks, T.redis);
    const name = instance.inputs.name as string;
    expect(name.length).toBeLessThanOrEqual(limit.max);
    expect(name).toMatch(limit.pattern!);
    expect(name).toBe(redisInstanceName(instance.name));
    // Up to 20 characters the auto-name (logical name, "-", 7 random) fits and stays as it was.
    const short = await build("dev", { engine: "redis" }, true, { name: "n".repeat(20) });
    const auto = one(short.mocks, T.redis);
    expect(auto.inputs.name).toBeUndefined();
    expect(`${auto.name}-abc1234`.length).toBe(limit.max);
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

describe("GCP cache: a highAvailability or zone edit (ForceNew inputs)", () => {
  /** The instance's inputs at a path (dotted), for both builds. */
  const changed = (a: Record<string, unknown>, b: Record<string, unknown>, keys: string[]) =>
    keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  // Dev's fixture cache is single-zone: the edit turns HA on.
  const flipped = { highAvailability: true, replicas: 1 };
  const reordered = { zones: ["europe-west1-c", "europe-west1-b", "europe-west1-d"] };

  // Prod always has HA (config validation); the zones can still be reordered.
  it.each([
    ["valkey", T.valkey, VALKEY_FIXED_AT_CREATION, 0],
    ["redis", T.redis, REDIS_FIXED_AT_CREATION, 2],
  ] as const)(
    "%s in prod: never replaced by a zone reorder, its ForceNew inputs ignored",
    async (engine, type, fixed, reaching) => {
      const before = one((await build("prod", { engine })).mocks, type);
      const after = one((await build("prod", { engine }, true, reordered)).mocks, type);
      const keys = changed(before.inputs, after.inputs, [...fixed]);
      // Redis's zones move; Valkey's multi-zone distribution names none.
      expect(keys).toHaveLength(reaching);
      for (const key of keys) expect(after.options.ignoreChanges).toContain(key);
      expect(after.options.ignoreChanges).toEqual([...fixed]);
      expect(after.options.deleteBeforeReplace).toBe(false);
    },
  );

  it.each([
    ["valkey", T.valkey],
    ["redis", T.redis],
  ] as const)(
    "%s outside prod: the edit applies, the old instance deleted first (fixed ids cannot exist twice)",
    async (engine, type) => {
      const before = one((await build("dev", { engine })).mocks, type);
      const dev = one((await build("dev", { engine, ...flipped })).mocks, type);
      expect(before.inputs).not.toEqual(dev.inputs);
      expect(dev.options.deleteBeforeReplace).toBe(true);
      expect(dev.options.ignoreChanges).toEqual([]);
    },
  );
});

describe("GCP cache: the exporter the collectors scrape (observability on)", () => {
  const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
  const SECRET = "kubernetes:core/v1:Secret";

  it("Redis: TLS without verification (IP-only certificate names) and the AUTH string from a Secret", async () => {
    const { mocks } = await build("prod", { engine: "redis" }, true, {}, true);
    const deployment = one(mocks, DEPLOYMENT);
    const container = (deployment.inputs.spec as any).template.spec.containers[0];
    const env = Object.fromEntries(
      (container.env as { name: string; value?: string; valueFrom?: unknown }[]).map((e) => [
        e.name,
        e.value ?? e.valueFrom,
      ]),
    );
    expect(env.REDIS_ADDR).toBe("rediss://10.30.224.4:6378");
    expect(env.REDIS_EXPORTER_SKIP_TLS_VERIFICATION).toBe("true");
    expect(env.REDIS_PASSWORD).toEqual({
      secretKeyRef: { name: "cache-exporter-auth", key: "password" },
    });
    // The mocks' AUTH string is `mock-auth-<hash>`: never in the pod spec.
    expect(JSON.stringify(deployment.inputs)).not.toContain("mock-auth-");
    const secret = mocks
      .byType(SECRET)
      .find((s) => (s.inputs.metadata as any).name === "cache-exporter-auth")!;
    // The recording mocks print secret inputs as "[secret]".
    expect(secret.inputs.stringData).toBe("[secret]");
  });

  it("Valkey: deploys none (hourly IAM tokens), and the cache layer needs no cluster access for it", async () => {
    const { mocks } = await build("prod", {}, true, {}, true);
    expect(mocks.byType(DEPLOYMENT)).toEqual([]);
    expect(mocks.byType(SECRET)).toEqual([]);
    const config = gcpConfig("prod");
    expect(config.cache.engine).toBe("valkey");
    expect(
      needsClusterApi(
        { ...config, observability: { ...config.observability, enabled: true } },
        "cache",
      ),
    ).toBe(false);
    expect(
      needsClusterApi(
        {
          ...config,
          cache: { ...config.cache, engine: "redis" },
          observability: { ...config.observability, enabled: true },
        },
        "cache",
      ),
    ).toBe(true);
  });
});
