import { Observability } from "../components/observability";
import { PlatformConfig } from "../components/types";
import {
  BUCKETS,
  gcpCommonArgs,
  gcpConfig,
  gcpKubernetesOutputs,
  gcpStorageOutputs,
  PROJECT,
  REGION,
  withKubernetes,
} from "./gcpFixtures";
import { mockPulumi, one, RecordingMocks, releaseValues, settle, valueOf } from "./harness";

const T = {
  release: "kubernetes:helm.sh/v3:Release",
  account: "gcp:serviceaccount/account:Account",
  wi: "gcp:serviceaccount/iAMMember:IAMMember",
  bucketIam: "gcp:storage/bucketIAMMember:BucketIAMMember",
};

const SIGNALS = [
  { name: "mimir", chart: "mimir-distributed", version: "6.1.0", bucket: BUCKETS.metrics },
  { name: "loki", chart: "loki", version: "18.11.0", bucket: BUCKETS.logs },
  { name: "tempo", chart: "tempo-distributed", version: "2.26.2", bucket: BUCKETS.traces },
];

async function build(config: PlatformConfig) {
  const mocks = await mockPulumi({ region: REGION });
  const obs = new Observability(
    "obs",
    {
      ...gcpCommonArgs(config),
      observability: config.observability,
      zones: config.zones,
      kubernetes: gcpKubernetesOutputs(),
      storage: gcpStorageOutputs(),
    },
    withKubernetes(),
  );
  await valueOf(obs.outputs.releases);
  await settle();
  return { mocks, obs };
}

const values = (mocks: RecordingMocks, signal: string) => releaseValues(mocks, `obs-${signal}`);
const email = (signal: string) => `obs-${signal}@${PROJECT}.iam.gserviceaccount.com`;

describe("GCP observability", () => {
  let mocks: RecordingMocks;
  let obs: Observability;
  beforeAll(async () => {
    ({ mocks, obs } = await build(gcpConfig("prod")));
  });

  it.each(SIGNALS)(
    "installs $chart $version as release $name in the observability namespace",
    ({ name, chart, version }) => {
      expect(one(mocks, T.release, `obs-${name}`).inputs).toMatchObject({
        name,
        chart,
        version,
        namespace: "observability",
      });
    },
  );

  it("stores each signal in its own GCS bucket", () => {
    expect(values(mocks, "mimir").mimir.structuredConfig.common.storage).toEqual({
      backend: "gcs",
      gcs: { bucket_name: BUCKETS.metrics },
    });
    expect(values(mocks, "loki").loki.storage).toEqual({
      type: "gcs",
      bucketNames: { chunks: BUCKETS.logs, ruler: BUCKETS.logs },
    });
    expect(values(mocks, "tempo").storage.trace).toEqual({
      backend: "gcs",
      gcs: { bucket_name: BUCKETS.traces },
    });
  });

  it.each(SIGNALS)(
    "$name has its own Google service account with objectAdmin and bucket get (Tempo checks its bucket at start) on its bucket only",
    ({ name, bucket }) => {
      one(mocks, T.account, `obs-${name}-sa`);
      const grants = mocks
        .byType(T.bucketIam)
        .filter((g) => g.inputs.member === `serviceAccount:${email(name)}`);
      expect(grants.map((g) => g.inputs)).toEqual([
        { bucket, role: "roles/storage.objectAdmin", member: `serviceAccount:${email(name)}` },
        {
          bucket,
          role: "roles/storage.legacyBucketReader",
          member: `serviceAccount:${email(name)}`,
        },
      ]);
    },
  );

  it.each(SIGNALS)(
    "$name's Kubernetes service account alone may impersonate it (Workload Identity)",
    ({ name }) => {
      const binding = one(mocks, T.wi, `obs-${name}-workload-identity`);
      expect(binding.inputs).toEqual({
        serviceAccountId: `projects/${PROJECT}/serviceAccounts/${email(name)}`,
        role: "roles/iam.workloadIdentityUser",
        member: `serviceAccount:${PROJECT}.svc.id.goog[observability/${name}]`,
      });
      expect(values(mocks, name).serviceAccount).toEqual({
        create: true,
        name,
        annotations: { "iam.gke.io/gcp-service-account": email(name) },
      });
      const release = one(mocks, T.release, `obs-${name}`);
      const grants = mocks
        .byType(T.bucketIam)
        .filter((g) => g.name.startsWith(`obs-${name}-bucket`));
      expect(grants).toHaveLength(2);
      expect(release.options.dependsOn).toEqual(
        expect.arrayContaining([binding.urn, ...grants.map((g) => g.urn)]),
      );
    },
  );

  it("grants nothing project-wide and no Cloud KMS access (buckets encrypt through the storage agent)", () => {
    expect(mocks.byType("gcp:projects/iAMMember:IAMMember")).toEqual([]);
    expect(mocks.byType("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")).toEqual([]);
  });

  it("exports the in-cluster URLs and releases", async () => {
    expect(await valueOf(obs.outputs.releases)).toEqual([
      "observability/mimir@6.1.0",
      "observability/loki@18.11.0",
      "observability/tempo@2.26.2",
      "observability/monitoring-crds@31.0.1",
      "observability/collectors@4.4.0",
      "observability/grafana@12.11.1",
      "keda/keda@2.20.2",
    ]);
    expect(await valueOf(obs.outputs.metricsUrl)).toBe(
      "http://mimir-gateway.observability.svc/prometheus",
    );
  });

  it("sizes down outside prod", async () => {
    const dev = await build(gcpConfig("dev"));
    expect(values(dev.mocks, "loki").deploymentMode).toBe("Monolithic");
    expect(values(dev.mocks, "mimir").distributor.replicas).toBe(1);
  });
});
