/** AWS observability: Mimir, Loki and Tempo, each on its own bucket through its own Pod Identity role. */
import { Observability } from "../components/observability";
import {
  lokiValues,
  mimirValues,
  retentionPeriod,
  tempoValues,
} from "../components/observabilityValues";
import { BucketPurpose } from "../components/storage";
import { PlatformConfig } from "../components/types";
import {
  BUCKETS,
  CLUSTER_NAME,
  kubernetesOutputs,
  storageOutputs,
  STORAGE_KEY_ARN,
  withKubernetes,
} from "./awsUpstream";
import { awsConfig, commonArgs } from "./fixtures";
import {
  asList as list,
  mockPulumi,
  one,
  policyStatements,
  RecordingMocks,
  releaseValues,
  settle,
  valueOf,
} from "./harness";

const T = {
  release: "kubernetes:helm.sh/v3:Release",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
};

const SIGNALS: { name: string; chart: string; version: string; bucket: BucketPurpose }[] = [
  { name: "mimir", chart: "mimir-distributed", version: "6.1.0", bucket: "metrics" },
  { name: "loki", chart: "loki", version: "18.11.0", bucket: "logs" },
  { name: "tempo", chart: "tempo-distributed", version: "2.26.2", bucket: "traces" },
];

async function build(config: PlatformConfig) {
  const mocks = await mockPulumi({ region: config.region });
  const obs = new Observability(
    "obs",
    {
      ...commonArgs(config),
      observability: config.observability,
      zones: config.zones,
      kubernetes: kubernetesOutputs(),
      storage: storageOutputs(),
    },
    withKubernetes(),
  );
  await settle();
  return { mocks, obs };
}

const values = (mocks: RecordingMocks, signal: string) => releaseValues(mocks, `obs-${signal}`);
const policy = (mocks: RecordingMocks, signal: string) =>
  policyStatements(one(mocks, T.rolePolicy, `obs-${signal}-policy`).inputs.policy);

describe("AWS observability", () => {
  let mocks: RecordingMocks;
  let obs: Observability;
  beforeAll(async () => {
    ({ mocks, obs } = await build(awsConfig("prod")));
  });

  it.each(SIGNALS)(
    "installs $chart $version as release $name in the observability namespace",
    ({ name, chart, version }) => {
      const release = one(mocks, T.release, `obs-${name}`);
      expect(release.inputs).toMatchObject({ name, chart, version, namespace: "observability" });
    },
  );

  it("stores each signal in its own bucket", () => {
    expect(values(mocks, "mimir").mimir.structuredConfig.common.storage).toEqual({
      backend: "s3",
      s3: {
        bucket_name: BUCKETS.metrics,
        endpoint: "s3.eu-west-1.amazonaws.com",
        region: "eu-west-1",
      },
    });
    const loki = values(mocks, "loki").loki.storage;
    expect(loki.type).toBe("s3");
    expect(loki.bucketNames).toEqual({ chunks: BUCKETS.logs, ruler: BUCKETS.logs });
    expect(values(mocks, "tempo").storage.trace).toEqual({
      backend: "s3",
      s3: { bucket: BUCKETS.traces, endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1" },
    });
  });

  it.each(SIGNALS)(
    "$name runs as its own Pod Identity role, bound to the chart's service account",
    ({ name }) => {
      const association = one(mocks, T.podIdentity, `obs-${name}-pod-identity`);
      expect(association.inputs).toMatchObject({
        clusterName: CLUSTER_NAME,
        namespace: "observability",
        serviceAccount: name,
      });
      expect(values(mocks, name).serviceAccount).toEqual({ create: true, name });
      one(mocks, T.role, `obs-${name}-role`);
      expect(association.inputs.roleArn).toContain(`obs-${name}-role`);
      expect(one(mocks, T.release, `obs-${name}`).options.dependsOn).toContain(association.urn);
    },
  );

  it("gives the three signals three distinct roles", () => {
    expect(
      mocks
        .byType(T.role)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["obs-loki-role", "obs-mimir-role", "obs-tempo-role"]);
    expect(new Set(mocks.byType(T.podIdentity).map((a) => a.inputs.serviceAccount)).size).toBe(3);
  });

  it.each(SIGNALS)(
    "$name's role reaches only its own bucket, and the storage key only through S3",
    ({ name, bucket }) => {
      const statements = policy(mocks, name);
      const own = `arn:aws:s3:::${BUCKETS[bucket]}`;
      const s3 = statements.filter((s) => list(s.Action).some((a) => a.startsWith("s3:")));
      const s3Resources = s3.flatMap((s) => list(s.Resource)).sort();
      expect(s3Resources).toEqual([own, `${own}/*`]);
      for (const other of Object.values(BUCKETS).filter((b) => b !== BUCKETS[bucket])) {
        expect(JSON.stringify(statements)).not.toContain(other);
      }
      expect(list(s3.find((s) => list(s.Resource).includes(own))!.Action).sort()).toEqual([
        "s3:GetBucketLocation",
        "s3:ListBucket",
      ]);
      const kms = statements.filter((s) => list(s.Action).some((a) => a.startsWith("kms:")));
      expect(kms).toEqual([
        {
          Sid: "StorageKeyThroughS3",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: STORAGE_KEY_ARN,
          Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
        },
      ]);
      // Nothing else: no wildcard resources, no other services.
      expect(statements).toHaveLength(s3.length + kms.length);
      expect(statements.flatMap((s) => list(s.Resource))).not.toContain("*");
    },
  );

  /** Each signal's upstream minimum S3 policy; every action it lists must be granted. */
  const UPSTREAM_S3_ACTIONS: Record<string, string[]> = {
    // grafana.com/docs/tempo/latest/configuration/hosted-storage/s3/ ("minimal permissions required by Tempo").
    tempo: [
      "s3:PutObject",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:DeleteObject",
      "s3:GetObjectTagging",
      "s3:PutObjectTagging",
    ],
  };
  it.each(SIGNALS)("$name's role grants every S3 action of its upstream minimum", ({ name }) => {
    const granted = policy(mocks, name).flatMap((s) => list(s.Action));
    for (const action of UPSTREAM_S3_ACTIONS[name] ?? ["s3:PutObject", "s3:GetObject"])
      expect(granted).toContain(action);
    // Tagging is Tempo's alone: Mimir's and Loki's roles stay at read/write.
    if (name !== "tempo") expect(granted.filter((a) => a.includes("Tagging"))).toEqual([]);
  });

  it("keeps every signal for the configured retention", () => {
    expect(
      values(mocks, "mimir").mimir.structuredConfig.limits.compactor_blocks_retention_period,
    ).toBe("720h");
    const loki = values(mocks, "loki").loki;
    expect(loki.limits_config.retention_period).toBe("720h");
    expect(loki.compactor).toEqual({ retention_enabled: true, delete_request_store: "s3" });
    expect(values(mocks, "tempo").compactor.config.compaction.block_retention).toBe("720h");
  });

  it("runs Mimir in the classic architecture: no Kafka, no ingest storage, no MinIO", () => {
    const mimir = values(mocks, "mimir");
    expect(mimir.kafka).toEqual({ enabled: false });
    expect(mimir.minio).toEqual({ enabled: false });
    expect(mimir.mimir.structuredConfig.ingest_storage).toEqual({ enabled: false });
    expect(mimir.mimir.structuredConfig.ingester).toEqual({ push_grpc_method_enabled: true });
    expect(mimir.ingester.zoneAwareReplication.autoIngestStorageClientRack).toBe(false);
  });

  it("uses Loki's TSDB v13 schema on S3 and Tempo's ingester path with OTLP receivers", () => {
    expect(values(mocks, "loki").loki.schemaConfig.configs).toEqual([
      {
        from: "2024-04-01",
        store: "tsdb",
        object_store: "s3",
        schema: "v13",
        index: { prefix: "loki_index_", period: "24h" },
      },
    ]);
    const tempo = values(mocks, "tempo");
    expect(tempo.traces.otlp).toEqual({ grpc: { enabled: true }, http: { enabled: true } });
    expect(one(mocks, T.release, "obs-tempo").inputs.version).toBe("2.26.2");
  });

  it("replicates across zones in prod", () => {
    const mimir = values(mocks, "mimir");
    expect(mimir.ingester.zoneAwareReplication).toMatchObject({
      enabled: true,
      topologyKey: "kubernetes.io/hostname",
    });
    expect(mimir.store_gateway.zoneAwareReplication).toMatchObject({ enabled: true });
    expect(mimir.rollout_operator).toEqual({ enabled: true });
    const loki = values(mocks, "loki");
    expect(loki.deploymentMode).toBe("Distributed");
    expect(loki.ingester).toMatchObject({ replicas: 3, zoneAwareReplication: { enabled: true } });
    // The stack's real zones reach the values through the component's args.
    expect(loki.ingester.zoneAwareReplication.zoneC.nodeSelector).toEqual({
      "topology.kubernetes.io/zone": awsConfig("prod").zones[2],
    });
    expect(loki.loki.commonConfig).toEqual({ replication_factor: 3 });
    expect(values(mocks, "tempo").distributor).toEqual({ replicas: 2 });
  });

  it("exports the namespace, in-cluster URLs and releases", async () => {
    expect(await valueOf(obs.outputs.namespace)).toBe("observability");
    expect(await valueOf(obs.outputs.metricsUrl)).toBe(
      "http://mimir-gateway.observability.svc/prometheus",
    );
    expect(await valueOf(obs.outputs.logsUrl)).toBe("http://loki-gateway.observability.svc");
    expect(await valueOf(obs.outputs.tracesUrl)).toBe(
      "http://tempo-distributor.observability.svc:4318",
    );
    expect(await valueOf(obs.outputs.releases)).toEqual([
      "observability/mimir@6.1.0",
      "observability/loki@18.11.0",
      "observability/tempo@2.26.2",
      "observability/monitoring-crds@31.0.1",
      "observability/collectors@4.4.0",
      "observability/grafana@12.11.1",
      "keda/keda@2.20.2",
    ]);
  });
});

describe("AWS observability outside prod", () => {
  it("runs the small footprint and follows the configured retention", async () => {
    const base = awsConfig("dev");
    const { mocks } = await build({ ...base, observability: { enabled: true, retentionDays: 7 } });
    const loki = values(mocks, "loki");
    expect(loki.deploymentMode).toBe("Monolithic");
    expect(loki.singleBinary).toEqual({ replicas: 1 });
    expect(loki.loki.commonConfig).toEqual({ replication_factor: 1 });
    expect(loki.loki.limits_config.retention_period).toBe("168h");
    expect(values(mocks, "mimir").ingester.zoneAwareReplication.enabled).toBe(false);
    expect(
      values(mocks, "mimir").mimir.structuredConfig.limits.compactor_blocks_retention_period,
    ).toBe("168h");
    expect(values(mocks, "tempo").compactor.config.compaction.block_retention).toBe("168h");
  });

  it("refuses to build when observability is off", async () => {
    await mockPulumi();
    const config = awsConfig("dev");
    expect(
      () =>
        new Observability(
          "obs",
          {
            ...commonArgs(config),
            observability: { enabled: false, retentionDays: 30 },
            zones: config.zones,
            kubernetes: kubernetesOutputs(),
            storage: storageOutputs(),
          },
          withKubernetes(),
        ),
    ).toThrow(/args\.observability\.enabled = false/);
  });
});

describe("observability values (cloud-agnostic)", () => {
  const common = {
    retentionDays: 30,
    serviceAccountName: "sa",
    highAvailability: true,
    zones: ["z-a", "z-b", "z-c"],
  };

  it("rejects a retention that is not a whole number of days", () => {
    expect(retentionPeriod(1)).toBe("24h");
    expect(() => retentionPeriod(0)).toThrow(/at least 1; got 0/);
    expect(() => retentionPeriod(1.5)).toThrow(/whole number/);
  });

  it("maps GCS and Azure storage to each tool's own keys", () => {
    const gcs = { ...common, storage: { kind: "gcs" as const, bucket: "g" } };
    expect((mimirValues(gcs) as any).mimir.structuredConfig.common.storage).toEqual({
      backend: "gcs",
      gcs: { bucket_name: "g" },
    });
    expect((lokiValues(gcs) as any).loki.storage).toEqual({
      type: "gcs",
      bucketNames: { chunks: "g", ruler: "g" },
    });
    expect((tempoValues(gcs) as any).storage.trace).toEqual({
      backend: "gcs",
      gcs: { bucket_name: "g" },
    });
    const azure = {
      ...common,
      storage: { kind: "azure" as const, storageAccount: "acct", container: "c" },
    };
    expect((mimirValues(azure) as any).mimir.structuredConfig.common.storage).toEqual({
      backend: "azure",
      azure: { account_name: "acct", container_name: "c" },
    });
    expect((lokiValues(azure) as any).loki.storage).toMatchObject({
      type: "azure",
      azure: { accountName: "acct", useFederatedToken: true },
    });
    expect((lokiValues(azure) as any).loki.compactor.delete_request_store).toBe("azure");
    expect((tempoValues(azure) as any).storage.trace.azure).toEqual({
      container_name: "c",
      storage_account_name: "acct",
      use_federated_token: true,
    });
  });

  it("uses path-style addressing only when asked (S3-compatible stores)", () => {
    const storage = {
      kind: "s3" as const,
      bucket: "b",
      region: "r",
      endpoint: "minio.local:9000",
      forcePathStyle: true,
    };
    expect(
      (mimirValues({ ...common, storage }) as any).mimir.structuredConfig.common.storage.s3
        .bucket_lookup_type,
    ).toBe("path");
    expect((lokiValues({ ...common, storage }) as any).loki.storage.s3.s3ForcePathStyle).toBe(true);
    expect((tempoValues({ ...common, storage }) as any).storage.trace.s3.forcepathstyle).toBe(true);
  });
});
