/**
 * OCI Cache under mocks: a non-sharded Valkey cluster (a primary and the replicas) in the database
 * subnet (workers without it), an NSG open to the nodes' NSG on 6379 only, a cache user whose
 * password is generated, sent as its SHA-256 hash only and exported as a secret, protected in prod.
 */
import { createHash } from "crypto";
import { Cache } from "../../components/cache";
import { CACHE_EXPORTER_ACL } from "../../components/cacheExporter";
import { CacheConfig } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { withKubernetes } from "../fixtures";
import { isSecret, mockPulumi, one, RecordingMocks, settle, valueOf } from "../harness";
import {
  COMPARTMENT,
  NODE_NSG,
  expectTagged,
  ociCommonArgs,
  ociConfig,
  ociKubernetesOutputs,
  ociNetworkOutputs,
  REGION,
} from "./fixtures";

const T = {
  cluster: "oci:Redis/redisCluster:RedisCluster",
  user: "oci:Redis/ociCacheUser:OciCacheUser",
  attach: "oci:Redis/redisClusterAttachOciCacheUser:RedisClusterAttachOciCacheUser",
  rule: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
};

async function build(
  environment: "dev" | "prod" = "prod",
  cache: Partial<CacheConfig> = {},
  databaseTier = true,
  metrics = false,
) {
  const mocks = await mockPulumi({ region: REGION });
  const config = ociConfig(environment);
  const c = new Cache(
    "cache",
    {
      ...ociCommonArgs(config),
      zones: config.zones,
      cache: { ...config.cache, ...cache },
      network: ociNetworkOutputs(databaseTier),
      kubernetes: ociKubernetesOutputs(),
      metrics,
    },
    metrics ? withKubernetes() : undefined,
  );
  await valueOf(c.outputs.primaryEndpoint);
  await settle();
  return { mocks, c };
}

/** The user sends its password as a hash only, and has an attachment of its own. */
function expectAttachedWithHash(mocks: RecordingMocks, name: string): void {
  expect(one(mocks, T.user, name).inputs.authenticationMode).toEqual({
    authenticationType: "PASSWORD",
    hashedPasswords: ["[secret]"],
  });
  expect(one(mocks, T.attach, `${name}-attach`).inputs).toEqual({
    redisClusterId: "cache-cluster-id",
    ociCacheUsers: [`${name}-id`],
  });
}

describe("OCI Cache", () => {
  it("runs Valkey non-sharded with a primary and the replicas, sized by config, in the database subnet", async () => {
    const { mocks, c } = await build();
    const cluster = one(mocks, T.cluster);
    expect(cluster.inputs).toMatchObject({
      compartmentId: COMPARTMENT,
      clusterMode: "NONSHARDED",
      nodeCount: 3,
      nodeMemoryInGbs: 16,
      softwareVersion: "VALKEY_7_2",
      subnetId: expect.stringMatching(/database$/),
      nsgIds: ["cache-cache-nsg-id"],
    });
    expect(cluster.options.protect).toBe(true);
    expect(await valueOf(c.outputs.port)).toBe(6379);
    expect(await valueOf(c.outputs.engine)).toBe("valkey");
    expect(await valueOf(c.outputs.readerEndpoint)).toMatch(/-r\.redis\./);
    const noDb = await build("dev", { replicas: 0, size: "small" }, false);
    expect(one(noDb.mocks, T.cluster).inputs).toMatchObject({
      nodeCount: 1,
      nodeMemoryInGbs: 8,
      subnetId: expect.stringMatching(/workers$/),
    });
    expect(one(noDb.mocks, T.cluster).options.protect).toBe(false);
  });

  it("admits only the nodes' NSG, on 6379", async () => {
    const { mocks } = await build();
    expect(mocks.byType(T.rule).map((r) => r.inputs)).toEqual([
      expect.objectContaining({
        networkSecurityGroupId: "cache-cache-nsg-id",
        direction: "INGRESS",
        source: NODE_NSG,
        sourceType: "NETWORK_SECURITY_GROUP",
        protocol: "6",
        tcpOptions: { destinationPortRange: { min: 6379, max: 6379 } },
      }),
    ]);
    expect(one(mocks, T.cluster).options.dependsOn).toContain(mocks.byType(T.rule)[0].urn);
  });

  it("authenticates clients as a cache user whose password only leaves as a hash and a secret output", async () => {
    const { mocks, c } = await build();
    const user = one(mocks, T.user, "cache-user");
    expect(user.inputs).toMatchObject({
      name: "officeless",
      status: "ON",
      aclString: expect.stringContaining("-@dangerous"),
    });
    expectAttachedWithHash(mocks, "cache-user");
    expect(await isSecret(c.outputs.authToken)).toBe(true);
    const password = await valueOf(c.outputs.authToken);
    expect(password).toMatch(/^mock-/);
    expect(createHash("sha256").update(password).digest("hex")).toHaveLength(64);
  });

  it("gives the exporter its own read-only user, attached on its own, whether or not it runs", async () => {
    for (const metrics of [false, true]) {
      const { mocks } = await build("prod", {}, true, metrics);
      const user = one(mocks, T.user, "cache-metrics-user");
      expect(user.inputs).toMatchObject({
        name: "officeless-metrics",
        aclString: CACHE_EXPORTER_ACL,
      });
      // A second attachment: adding the user to the first would replace it (ForceNew).
      expectAttachedWithHash(mocks, "cache-metrics-user");
      expect(mocks.byType("kubernetes:apps/v1:Deployment")).toHaveLength(metrics ? 1 : 0);
    }
  });

  it("runs the exporter as that user over TLS, verified against the system's public CAs", async () => {
    const { mocks } = await build("prod", {}, true, true);
    const spec = (one(mocks, "kubernetes:apps/v1:Deployment").inputs.spec as any).template.spec;
    const env = Object.fromEntries(
      (spec.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[]).map(
        (e) => [e.name, e.value ?? e.valueFrom],
      ),
    );
    expect(env.REDIS_ADDR).toMatch(/^rediss:\/\/.+:6379$/);
    expect(env.REDIS_USER).toBe("officeless-metrics");
    expect(env.REDIS_PASSWORD).toEqual({
      secretKeyRef: { name: "cache-exporter-auth", key: "password" },
    });
    expect(env.REDIS_EXPORTER_SKIP_TLS_VERIFICATION).toBeUndefined();
    expect(env.REDIS_EXPORTER_TLS_CA_CERT_FILE).toBeUndefined();
  });

  it("uses Redis 7.0 on request and refuses a version OCI Cache does not offer, before any resource", async () => {
    const { mocks } = await build("prod", { engine: "redis" });
    expect(one(mocks, T.cluster).inputs.softwareVersion).toBe("REDIS_7_0");
    await expect(build("prod", { version: "6.0" })).rejects.toThrow(ValidationError);
  });

  it("tags every taggable resource", async () => {
    const { mocks } = await build();
    expectTagged(mocks.resources, "prod", "cache");
  });
});
