import { Cache } from "../../components/cache";
import { alibabaConfigIssues } from "../../providers/alibaba/catalog";
import { isSecret, mockPulumi, one, settle, valueOf } from "../harness";
import {
  alibabaCommonArgs,
  alibabaConfig,
  alibabaKubernetesOutputs,
  alibabaNetworkOutputs,
  mockSwitchCidr,
  REGION,
  vswitch,
  ZONES,
} from "./fixtures";

const T = { instance: "alicloud:redis/tairInstance:TairInstance", key: "alicloud:kms/key:Key" };

async function build(environment: "dev" | "prod" = "prod", databaseTier = true) {
  const mocks = await mockPulumi({ region: REGION });
  const config = alibabaConfig(environment);
  const cache = new Cache(`${config.name}-cache`, {
    ...alibabaCommonArgs(config),
    zones: environment === "prod" ? ZONES : ZONES.slice(0, 2),
    cache: config.cache,
    network: alibabaNetworkOutputs(ZONES, databaseTier),
    kubernetes: alibabaKubernetesOutputs(),
  });
  await valueOf(cache.outputs.primaryEndpoint);
  await settle();
  return { mocks, out: cache.outputs };
}

describe("Alibaba Cloud cache (Tair, Redis OSS-compatible)", () => {
  it("is a VPC-only instance in the database vSwitch with TLS, TDE on its own key and a password, replicated to a second zone in prod", async () => {
    const { mocks } = await build();
    const key = one(mocks, T.key);
    const instance = one(mocks, T.instance);
    expect(instance.inputs).toMatchObject({
      instanceType: "tair_rdb",
      engineVersion: "7.0",
      instanceClass: "tair.rdb.4g",
      nodeType: "MASTER_SLAVE",
      paymentType: "PayAsYouGo",
      zoneId: ZONES[0],
      secondaryZoneId: ZONES[1],
      vswitchId: vswitch("database", ZONES[0]),
      sslEnabled: "Enable",
      tdeStatus: "enabled",
      encryptionKey: `${key.name}-id`,
      roleArn: expect.stringMatching(/^acs:ram::\d+:role\/AliyunRdsInstanceEncryptionDefaultRole$/),
      vpcAuthMode: "Open",
      password: "[secret]",
    });
    expect(instance.inputs.enablePublic).toBeUndefined();
    expect(instance.options.protect).toBe(true);
  });

  it("admits only the cluster's node and pod vSwitches", async () => {
    const { mocks } = await build();
    expect(one(mocks, T.instance).inputs.securityIps).toBe(
      [
        ...ZONES.map((_, i) => mockSwitchCidr("private", i)),
        ...ZONES.map((_, i) => mockSwitchCidr("pods", i)),
      ].join(","),
    );
  });

  it("exports the password as a secret and stays in one zone outside prod, in the node vSwitch without a database tier", async () => {
    const { mocks, out } = await build("dev", false);
    expect(await isSecret(out.authToken)).toBe(true);
    expect(await valueOf(out.engine)).toBe("redis");
    const instance = one(mocks, T.instance);
    expect(instance.inputs.secondaryZoneId).toBeUndefined();
    expect(instance.inputs.vswitchId).toBe(vswitch("private", ZONES[0]));
    expect(instance.options.protect).toBe(false);
  });

  it("refuses Valkey, which Tair does not offer, naming cache.engine", () => {
    const base = alibabaConfig();
    expect(alibabaConfigIssues({ cache: { ...base.cache, engine: "valkey" } })).toEqual([
      expect.objectContaining({
        path: "cache.engine",
        message: expect.stringMatching(/set it to redis/),
      }),
    ]);
  });
});
