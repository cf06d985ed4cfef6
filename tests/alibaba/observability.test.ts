import { Observability } from "../../components/observability";
import { ossInternalEndpoint, signalPolicy } from "../../providers/alibaba/observability";
import { mockPulumi, one, releaseValues, settle, valueOf } from "../harness";
import {
  alibabaCommonArgs,
  alibabaConfig,
  alibabaKubernetesOutputs,
  alibabaStorageOutputs,
  BUCKETS,
  REGION,
  STORAGE_KEY,
  withKubernetes,
} from "./fixtures";
import {
  centralWithPrivateGrafana,
  expectPrivateLoadBalancers,
} from "../observability/privateEndpoints";

const T = {
  user: "alicloud:ram/user:User",
  policy: "alicloud:ram/policy:Policy",
  attachment: "alicloud:ram/userPolicyAttachment:UserPolicyAttachment",
  key: "alicloud:ram/accessKey:AccessKey",
  secret: "kubernetes:core/v1:Secret",
  release: "kubernetes:helm.sh/v3:Release",
};

const SIGNALS = [
  ["mimir", "metrics"],
  ["loki", "logs"],
  ["tempo", "traces"],
] as const;

async function build() {
  const mocks = await mockPulumi({ region: REGION });
  const config = alibabaConfig("prod");
  const n = `${config.name}-observability`;
  const obs = new Observability(
    n,
    {
      ...alibabaCommonArgs(config),
      observability: config.observability,
      zones: config.zones,
      kubernetes: alibabaKubernetesOutputs(),
      storage: alibabaStorageOutputs(),
    },
    withKubernetes(),
  );
  await valueOf(obs.outputs.releases);
  await settle();
  return { mocks, n };
}

describe("Alibaba Cloud observability (OSS with scoped static keys)", () => {
  it("gives each signal its own RAM user whose one policy covers its bucket and the storage key only", async () => {
    const { mocks, n } = await build();
    for (const [signal, purpose] of SIGNALS) {
      const user = one(mocks, T.user, `${n}-${signal}-user`);
      const policy = one(mocks, T.policy, `${n}-${signal}-policy`);
      const doc = JSON.parse(policy.inputs.policyDocument as string);
      const resources = doc.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
      expect(resources).toEqual([
        `acs:oss:*:*:${BUCKETS[purpose]}`,
        `acs:oss:*:*:${BUCKETS[purpose]}/*`,
        `acs:kms:${REGION}:*:key/${STORAGE_KEY}`,
      ]);
      expect(doc.Statement.every((s: { Effect: string }) => s.Effect === "Allow")).toBe(true);
      expect(one(mocks, T.attachment, `${n}-${signal}-policy`).inputs).toEqual({
        userName: user.inputs.name,
        policyName: policy.inputs.policyName,
        policyType: "Custom",
      });
      expect(one(mocks, T.key, `${n}-${signal}-key`).inputs.userName).toBe(user.inputs.name);
    }
    expect(signalPolicy("b", REGION, "k")).not.toMatch(/"oss:\*"|"kms:\*"|"\*"/);
  });

  it("keeps each access key in its signal's Secret and points the chart at OSS's internal endpoint, virtual-hosted, with no key in the values", async () => {
    const { mocks, n } = await build();
    for (const [signal, purpose] of SIGNALS) {
      const secret = one(mocks, T.secret, `${n}-${signal}-object-store`);
      expect(secret.inputs.stringData).toBe("[secret]");
      const release = one(mocks, T.release, `${n}-${signal}`);
      expect(release.options.dependsOn).toEqual(
        expect.arrayContaining([
          secret.urn,
          expect.stringMatching(new RegExp(`${n}-${signal}-key$`)),
        ]),
      );
      const values = releaseValues(mocks, `${n}-${signal}`);
      const rendered = JSON.stringify(values);
      expect(rendered).toContain(ossInternalEndpoint(REGION));
      expect(rendered).toContain(BUCKETS[purpose]);
      expect(rendered).not.toMatch(/mock-secret|access_key_id|secret_access_key/);
    }
    const mimir = releaseValues(mocks, `${n}-mimir`).mimir.structuredConfig.common.storage;
    // minio-go's "auto" lookup picks virtual-hosted style for *.aliyuncs.com (IsAliyunOSSEndpoint).
    expect(mimir).toMatchObject({
      backend: "s3",
      s3: { endpoint: "s3.oss-ap-southeast-1-internal.aliyuncs.com" },
    });
    expect(mimir.s3.bucket_lookup_type).toBeUndefined();
    expect(releaseValues(mocks, `${n}-loki`).loki.storage.s3.s3ForcePathStyle).toBe(false);
  });
});

describe("Alibaba Cloud central mode and private Grafana", () => {
  it("put the write path and Grafana on internal-facing CLBs", async () => {
    const mocks = await mockPulumi({ region: REGION });
    const config = alibabaConfig("prod");
    new Observability(
      "obs",
      {
        ...alibabaCommonArgs(config),
        observability: centralWithPrivateGrafana(config.observability),
        zones: config.zones,
        kubernetes: alibabaKubernetesOutputs(),
        storage: alibabaStorageOutputs(),
      },
      withKubernetes(),
    );
    await settle();
    expectPrivateLoadBalancers(mocks, {
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet",
    });
  });
});
