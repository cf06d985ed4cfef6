/**
 * OCI observability under mocks: Mimir, Loki and Tempo on the storage layer's buckets through
 * Object Storage's S3-compatible endpoint (path style), with the customer secret key of one
 * dedicated IAM user whose group may only manage objects in, and read, the three signal buckets;
 * the key stays secret from the IAM resource to the pods.
 */
import { Observability } from "../../components/observability";
import { MOCK_OCI_NAMESPACE } from "../../automation/offline/clouds/oci";
import { LISTENER_PORTS } from "../../providers/oci/network";
import { bucketStatements, s3CompatEndpoint } from "../../providers/oci/objectStoreUser";
import { CROSS_REGION_IAM_SECONDS } from "../../providers/oci/common";
import { mockPulumi, one, releaseValues, settle, valueOf } from "../harness";
import {
  BUCKETS,
  COMPARTMENT,
  expectSecretKeysOnly,
  OBJECT_STORE_USER_TYPES,
  ociCommonArgs,
  ociConfig,
  ociKubernetesOutputs,
  ociStorageOutputs,
  REGION,
  TENANCY,
  withKubernetes,
} from "./fixtures";
import {
  centralWithPrivateGrafana,
  expectPrivateLoadBalancers,
} from "../observability/privateEndpoints";

const T = {
  ...OBJECT_STORE_USER_TYPES,
  secret: "kubernetes:core/v1:Secret",
  release: "kubernetes:helm.sh/v3:Release",
};

async function build(environment: "dev" | "prod" = "prod", homeRegion?: string) {
  const mocks = await mockPulumi({ region: REGION });
  const config = ociConfig(environment, homeRegion ? { homeRegion } : {});
  const obs = new Observability(
    "obs",
    {
      ...ociCommonArgs(config),
      observability: config.observability,
      zones: config.zones,
      kubernetes: ociKubernetesOutputs(),
      storage: ociStorageOutputs(),
    },
    withKubernetes(),
  );
  await valueOf(obs.outputs.releases);
  await settle();
  return { mocks, obs };
}
const ENDPOINT = `${MOCK_OCI_NAMESPACE}.compat.objectstorage.${REGION}.oraclecloud.com`;

describe("OCI observability", () => {
  it("points every signal at its bucket on the S3-compatible endpoint, path style", async () => {
    const { mocks } = await build();
    expect(s3CompatEndpoint(MOCK_OCI_NAMESPACE, REGION)).toBe(ENDPOINT);
    const mimir = releaseValues(mocks, "obs-mimir").mimir.structuredConfig.common.storage;
    expect(mimir).toMatchObject({
      backend: "s3",
      s3: {
        bucket_name: BUCKETS.metrics,
        endpoint: ENDPOINT,
        region: REGION,
        bucket_lookup_type: "path",
      },
    });
    expect(releaseValues(mocks, "obs-loki").loki.storage.s3).toMatchObject({
      endpoint: ENDPOINT,
      s3ForcePathStyle: true,
    });
    expect(releaseValues(mocks, "obs-tempo").storage.trace.s3).toMatchObject({
      bucket: BUCKETS.traces,
      endpoint: ENDPOINT,
      forcepathstyle: true,
    });
  });

  it("creates one IAM user in the tenancy, in a group whose policy names the three signal buckets only", async () => {
    const { mocks } = await build();
    expect(one(mocks, T.user).inputs).toMatchObject({
      compartmentId: TENANCY,
      email: expect.stringContaining("@"),
    });
    expect(one(mocks, T.group).inputs.compartmentId).toBe(TENANCY);
    expect(one(mocks, T.membership).inputs).toMatchObject({
      groupId: "obs-object-store-group-id",
      userId: "obs-object-store-user-id",
    });
    const statements = one(mocks, T.policy).inputs.statements as string[];
    const names = `target.bucket.name = '${BUCKETS.metrics}', target.bucket.name = '${BUCKETS.logs}', target.bucket.name = '${BUCKETS.traces}'`;
    expect(statements).toEqual([
      `Allow group id obs-object-store-group-id to manage objects in compartment id ${COMPARTMENT} where ANY {${names}}`,
      `Allow group id obs-object-store-group-id to read buckets in compartment id ${COMPARTMENT} where ANY {${names}}`,
    ]);
    expect(statements.join(" ")).not.toContain(BUCKETS.data);
    expect(bucketStatements("g", "tenancy", ["b"])[0]).toBeDefined();
  });

  it("keeps the customer secret key secret and hands it to each chart through the shared Secret, after the grant", async () => {
    const { mocks } = await build();
    const key = one(mocks, T.key);
    expect(key.inputs.userId).toBe("obs-object-store-user-id");
    expect(key.options.dependsOn).toContain(one(mocks, T.membership).urn);
    const secrets = mocks.byType(T.secret);
    const names = secrets.map((s) => (s.inputs.metadata as { name: string }).name);
    expect(names.filter((n) => n.endsWith("-object-store")).sort()).toEqual([
      "loki-object-store",
      "mimir-object-store",
      "tempo-object-store",
    ]);
    for (const s of secrets) expect(s.inputs.stringData).toBe("[secret]");
    const signals = mocks.byType(T.release).filter((r) => /-(mimir|loki|tempo)$/.test(r.name));
    expect(signals).toHaveLength(3);
    for (const r of signals) {
      expect(r.options.dependsOn).toEqual(
        expect.arrayContaining([one(mocks, T.policy).urn, key.urn]),
      );
      expect(JSON.stringify(r.inputs.values)).not.toContain("mock-secret-key");
    }
  });

  it("lets the user hold customer secret keys only (no console password, API keys, auth tokens, SMTP), before its key", async () => {
    const { mocks } = await build();
    expectSecretKeysOnly(mocks, "obs-object-store-user-id");
  });

  it("writes IAM through a provider for the home region when it is not the stack's region", async () => {
    const same = await build();
    expect(same.mocks.byType(T.provider)).toEqual([]);
    const other = await build("prod", "eu-amsterdam-1");
    const provider = one(other.mocks, T.provider);
    expect(provider.inputs.region).toBe("eu-amsterdam-1");
    for (const type of [T.user, T.group, T.membership, T.capabilities, T.key, T.policy])
      expect(one(other.mocks, type).options.provider).toMatch(
        new RegExp(`^${provider.urn.replace(/[$]/g, "\\$")}::`),
      );
    // Other regions see the grant minutes later: the credential's users wait for it there only.
    expect(same.mocks.byType("command:local:Command")).toEqual([]);
    const wait = one(other.mocks, "command:local:Command");
    expect(wait.inputs.create).toBe(`sleep ${CROSS_REGION_IAM_SECONDS}`);
    expect(wait.options.dependsOn).toEqual([one(other.mocks, T.policy).urn]);
  });
});

describe("OCI central mode and private Grafana", () => {
  it("put the write path and Grafana on private flexible load balancers", async () => {
    const mocks = await mockPulumi({ region: REGION });
    const config = ociConfig("prod");
    new Observability(
      "obs",
      {
        ...ociCommonArgs(config),
        observability: centralWithPrivateGrafana(config.observability),
        zones: config.zones,
        kubernetes: ociKubernetesOutputs(),
        storage: ociStorageOutputs(),
      },
      withKubernetes(),
    );
    await settle();
    expectPrivateLoadBalancers(mocks, {
      "service.beta.kubernetes.io/oci-load-balancer-internal": "true",
      "service.beta.kubernetes.io/oci-load-balancer-shape": "flexible",
      "service.beta.kubernetes.io/oci-load-balancer-shape-flex-min": "10",
      "service.beta.kubernetes.io/oci-load-balancer-shape-flex-max": "100",
      "service.beta.kubernetes.io/oci-load-balancer-security-list-management-mode": "None",
    });
    // The load-balancer subnet's security list admits the Service port from private networks.
    expect(LISTENER_PORTS).toContain(443);
  });
});
