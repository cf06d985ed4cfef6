import { Cache } from "../components/cache";
import { CacheConfig, PlatformConfig } from "../components/types";
import { MAX_NAME_LENGTH } from "../programs/configSchema";
import { awsConfig, commonArgs } from "./fixtures";
import {
  isSecret,
  mockPulumi,
  one,
  RecordedResource,
  RecordingMocks,
  settle,
  valueOf,
} from "./harness";
import { kubernetesOutputs, networkOutputs, NODE_SECURITY_GROUP } from "./awsUpstream";

const T = {
  key: "aws:kms/key:Key",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  subnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
  group: "aws:elasticache/replicationGroup:ReplicationGroup",
  password: "random:index/randomPassword:RandomPassword",
};

interface Built {
  mocks: RecordingMocks;
  cache: Cache;
  config: PlatformConfig;
  n: string;
  group: RecordedResource;
}

async function build(
  environment: "dev" | "prod",
  cache: Partial<CacheConfig> = {},
  databaseTier = true,
): Promise<Built> {
  const mocks = await mockPulumi({ region: "eu-west-1" });
  const base = awsConfig(environment);
  const config: PlatformConfig = { ...base, cache: { ...base.cache, ...cache } };
  const n = `${config.name}-cache`;
  const component = new Cache(n, {
    ...commonArgs(config),
    zones: config.zones,
    cache: config.cache,
    network: networkOutputs(config.zones, databaseTier),
    kubernetes: kubernetesOutputs(),
  });
  await valueOf(component.outputs.primaryEndpoint);
  await settle();
  return { mocks, cache: component, config, n, group: one(mocks, T.group, `${n}-group`) };
}

const idOf = (r: RecordedResource) => `${r.name}-id`;

describe("AWS cache", () => {
  it("runs Valkey by default and Redis OSS when configured, each with a pinned version unless one is given", async () => {
    const valkey = await build("prod");
    expect(valkey.group.inputs).toMatchObject({ engine: "valkey", engineVersion: "8.1" });
    expect(await valueOf(valkey.cache.outputs.engine)).toBe("valkey");
    const redis = await build("prod", { engine: "redis" });
    expect(redis.group.inputs).toMatchObject({ engine: "redis", engineVersion: "7.1" });
    expect(await valueOf(redis.cache.outputs.engine)).toBe("redis");
    const pinned = await build("prod", { version: "8.0" });
    expect(pinned.group.inputs.engineVersion).toBe("8.0");
  });

  it("names the group explicitly, without a random suffix, within ElastiCache's 40 characters", async () => {
    const { group, n } = await build("prod");
    expect(group.inputs.replicationGroupId).toBe(n);
    // `<officeless:name>-cache` at the longest name the config accepts.
    expect(`${"x".repeat(MAX_NAME_LENGTH)}-cache`.length).toBeLessThanOrEqual(40);
  });

  it("encrypts at rest with its own key and requires TLS in transit", async () => {
    const { mocks, group, n } = await build("prod");
    const key = one(mocks, T.key, `${n}-encryption-key`);
    expect(group.inputs).toMatchObject({
      atRestEncryptionEnabled: true,
      kmsKeyId: `arn:aws:kms:eu-west-1:123456789012:${key.name}`,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
    });
  });

  it("uses the random password as AUTH token and exports it only as a secret", async () => {
    const { mocks, group, cache } = await build("prod");
    const password = one(mocks, T.password);
    expect(password.inputs).toMatchObject({ length: 64, special: false });
    expect(group.inputs.authToken).toBe("[secret]");
    expect(await isSecret(cache.outputs.authToken)).toBe(true);
    // The mocks answer a RandomPassword with a `mock-<hash>-password-...` result.
    expect(await valueOf(cache.outputs.authToken)).toMatch(/^mock-[0-9A-F]{8}-password-/);
  });

  it("spreads a multi-zone group with automatic failover over the zones in prod", async () => {
    const { group, config } = await build("prod");
    expect(group.inputs).toMatchObject({
      multiAzEnabled: true,
      automaticFailoverEnabled: true,
      numCacheClusters: 1 + config.cache.replicas,
      preferredCacheClusterAzs: config.zones.slice(0, 1 + config.cache.replicas),
      snapshotRetentionLimit: 7,
      autoMinorVersionUpgrade: true,
    });
  });

  it("runs without Multi-AZ or failover when high availability is off", async () => {
    const { group } = await build("dev", { replicas: 0 });
    expect(group.inputs).toMatchObject({
      multiAzEnabled: false,
      automaticFailoverEnabled: false,
      numCacheClusters: 1,
    });
    expect(group.inputs.preferredCacheClusterAzs).toEqual(["eu-west-1a"]);
  });

  it("admits the engine port from the cluster nodes' security group only", async () => {
    const { mocks, group, cache, n } = await build("prod");
    const sg = one(mocks, T.sg, `${n}-sg`);
    expect(sg.inputs.vpcId).toBe("vpc-0abc");
    expect(sg.inputs.ingress).toBeUndefined();
    const rules = mocks.byType(T.ingress);
    expect(rules).toHaveLength(1);
    expect(rules[0].inputs).toMatchObject({
      securityGroupId: idOf(sg),
      ipProtocol: "tcp",
      fromPort: 6379,
      toPort: 6379,
      referencedSecurityGroupId: NODE_SECURITY_GROUP,
    });
    for (const field of ["cidrIpv4", "cidrIpv6", "prefixListId"])
      expect(rules[0].inputs[field]).toBeUndefined();
    expect(group.inputs).toMatchObject({ securityGroupIds: [idOf(sg)], port: 6379 });
    // The description has no update API: it must not name the engine, which can change in place.
    expect(sg.inputs.description).not.toMatch(/valkey|redis/i);
    expect(sg.inputs.tags).toMatchObject({ engine: "valkey" });
    expect(await valueOf(cache.outputs.securityGroupId)).toBe(idOf(sg));
    expect(await valueOf(cache.outputs.port)).toBe(6379);
  });

  it("places the group in the database subnets, or the private ones when there is no database tier", async () => {
    const withTier = await build("prod");
    const groupOf = one(withTier.mocks, T.subnetGroup);
    expect(groupOf.inputs.subnetIds).toEqual([
      "subnet-database-0",
      "subnet-database-1",
      "subnet-database-2",
    ]);
    expect(withTier.group.inputs.subnetGroupName).toBe(groupOf.name);
    const without = await build("prod", {}, false);
    expect(one(without.mocks, T.subnetGroup).inputs.subnetIds).toEqual([
      "subnet-private-0",
      "subnet-private-1",
      "subnet-private-2",
    ]);
  });

  it("sizes nodes from the size map unless a node type is given", async () => {
    expect((await build("dev", { size: "small" })).group.inputs.nodeType).toBe("cache.t4g.medium");
    expect((await build("dev", { size: "large" })).group.inputs.nodeType).toBe("cache.r7g.xlarge");
    expect((await build("dev", { nodeType: "cache.m7g.large" })).group.inputs.nodeType).toBe(
      "cache.m7g.large",
    );
  });

  it("protects the group and its key in prod only, and exports the endpoints", async () => {
    const prod = await build("prod");
    const n = prod.n;
    expect(prod.group.options.protect).toBe(true);
    expect(one(prod.mocks, T.key).options.protect).toBe(true);
    expect(await valueOf(prod.cache.outputs.primaryEndpoint)).toBe(
      `master.${n}.cache.amazonaws.com`,
    );
    expect(await valueOf(prod.cache.outputs.readerEndpoint)).toBe(
      `replica.${n}.cache.amazonaws.com`,
    );
    const dev = await build("dev");
    expect(dev.group.options.protect).toBe(false);
    expect(one(dev.mocks, T.key).options.protect).toBe(false);
    expect(dev.group.inputs.snapshotRetentionLimit).toBeLessThan(7);
  });
});
