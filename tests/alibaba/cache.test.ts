import { Cache } from "../../components/cache";
import { ALIBABA_MOCKS } from "../../automation/offline/clouds/alibaba";
import { highAvailabilityChange } from "../../providers/alibaba/cache";
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

  it("pins its create-only placement, so reordering or adding zones does not replace it", async () => {
    const { mocks } = await build();
    expect(one(mocks, T.instance).options.ignoreChanges).toEqual(
      expect.arrayContaining(["zoneId", "secondaryZoneId", "vswitchId"]),
    );
  });

  it("refuses to toggle highAvailability on an existing instance (its secondary zone is ForceNew), before the update", async () => {
    const existing = { id: "r-existing", zoneId: ZONES[0], secondaryZoneId: "" };
    expect(highAvailabilityChange(undefined, true)).toBeUndefined();
    expect(highAvailabilityChange(existing, false)).toBeUndefined();
    expect(highAvailabilityChange(existing, true)).toMatch(
      /cache\.highAvailability is true.*r-existing.*without a secondary zone.*replace/,
    );
    expect(highAvailabilityChange({ ...existing, secondaryZoneId: ZONES[1] }, false)).toMatch(
      new RegExp(`replica in ${ZONES[1]}.*Set it back to true`),
    );

    // The lookup runs before the instance, by its name in its VPC with details (the secondary
    // zone); a consistent existing instance builds as before.
    const token = "alicloud:kvstore/getInstances:getInstances";
    // The mocks' table is read-only to the programs; a test swaps one answer and restores it.
    const invokes = ALIBABA_MOCKS.invokes as Record<string, (typeof ALIBABA_MOCKS.invokes)[string]>;
    const original = invokes[token];
    const asked: Record<string, any>[] = [];
    invokes[token] = (inputs, ...rest) => {
      asked.push(inputs);
      const name = String(inputs.nameRegex)
        .replace(/^\^|\$$/g, "")
        .replace(/\\/g, "");
      const found = { ...existing, secondaryZoneId: ZONES[1], dbInstanceName: name, name };
      return { ...original(inputs, ...rest), instances: [found] };
    };
    try {
      const { mocks } = await build();
      const instance = one(mocks, T.instance);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ enableDetails: true, vpcId: expect.any(String) });
      expect(new RegExp(asked[0].nameRegex).test(String(instance.inputs.tairInstanceName))).toBe(
        true,
      );
    } finally {
      invokes[token] = original;
    }
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
