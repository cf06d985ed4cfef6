/**
 * On-prem observability under mocks: Mimir, Loki and Tempo on the RGW buckets (path style, the
 * in-cluster endpoint) with the bucket claims' keys, or on an external S3 endpoint with its keys,
 * through the shared static-credentials Secret; zones pinned to the site's zones.
 */
import { Observability } from "../../components/observability";
import { PlatformConfig } from "../../components/types";
import { signalStorage } from "../../providers/onprem/observability";
import { mockPulumi, RecordingMocks, settle, valueOf } from "../harness";
import {
  onpremArgs,
  openshiftStorage,
  prodConfig,
  upstream,
  withKubernetes,
} from "./layerFixtures";
import {
  centralWithPrivateGrafana,
  expectPrivateLoadBalancers,
} from "../observability/privateEndpoints";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "kubernetes:core/v1:Secret";

async function build(config: PlatformConfig) {
  const mocks = await mockPulumi();
  const obs = new Observability(
    "obs",
    {
      ...onpremArgs(config),
      observability: config.observability,
      zones: config.zones,
      kubernetes: upstream.kubernetesOutputs(),
      storage: upstream.storageOutputs(),
    },
    withKubernetes(),
  );
  const releases = await valueOf(obs.outputs.releases);
  await settle();
  return { mocks, releases };
}

const values = (mocks: RecordingMocks, signal: string) =>
  mocks.byType(RELEASE, `obs-${signal}`)[0].inputs.values as any;

describe("on Ceph RGW (RKE2, prod)", () => {
  let mocks: RecordingMocks;
  beforeAll(async () => {
    ({ mocks } = await build(prodConfig("rke2")));
  });

  it("points each signal at its bucket on the in-cluster RGW, path style, plain HTTP inside the cluster", () => {
    expect(values(mocks, "mimir").mimir.structuredConfig.common.storage).toEqual({
      backend: "s3",
      s3: {
        bucket_name: "officeless-prod-metrics",
        endpoint: "rook-ceph-rgw-officeless.rook-ceph.svc:80",
        region: "us-east-1",
        bucket_lookup_type: "path",
        insecure: true,
      },
    });
    expect(values(mocks, "loki").loki.storage).toMatchObject({
      bucketNames: { chunks: "officeless-prod-logs" },
      s3: {
        s3ForcePathStyle: true,
        insecure: true,
        endpoint: "rook-ceph-rgw-officeless.rook-ceph.svc:80",
      },
    });
    expect(values(mocks, "tempo").storage.trace.s3).toMatchObject({
      bucket: "officeless-prod-traces",
      forcepathstyle: true,
      insecure: true,
    });
  });

  it("reads each bucket claim's Secret and hands its keys to the pods through the object-store Secret", () => {
    const reads = mocks.resources.filter(
      (r) => r.type === SECRET && r.name.endsWith("-bucket-keys"),
    );
    expect(reads.map((r) => r.name).sort()).toEqual([
      "obs-logs-bucket-keys",
      "obs-metrics-bucket-keys",
      "obs-traces-bucket-keys",
    ]);
    for (const signal of ["mimir", "loki", "tempo"]) {
      const secret = mocks.byType(SECRET, `obs-${signal}-object-store`);
      expect(secret).toHaveLength(1);
      expect(JSON.stringify(secret[0].inputs)).not.toMatch(/mock-.*-secret/);
      expect(JSON.stringify(values(mocks, signal))).toContain(`${signal}-object-store`);
      expect(JSON.stringify(values(mocks, signal))).not.toContain('AWS_SECRET_ACCESS_KEY":"');
    }
  });

  it("pins the zone-aware replicas to the site's zones", () => {
    const zones = values(mocks, "mimir").ingester.zoneAwareReplication.zones.map(
      (z: any) => z.nodeSelector["topology.kubernetes.io/zone"],
    );
    expect(zones).toEqual(["room-a", "room-b", "room-c"]);
  });
});

describe("on an external S3 endpoint (OpenShift)", () => {
  it("uses the configured endpoint over TLS and its key pair, reading no claim", async () => {
    const { mocks } = await build(prodConfig("openshift", openshiftStorage));
    expect(values(mocks, "mimir").mimir.structuredConfig.common.storage.s3).toEqual({
      bucket_name: "officeless-prod-metrics",
      endpoint: "s3.dc1.example.com",
      region: "us-east-1",
      bucket_lookup_type: "path",
    });
    expect(mocks.resources.filter((r) => r.name.endsWith("-bucket-keys"))).toEqual([]);
    expect(mocks.byType(SECRET, "obs-loki-object-store")).toHaveLength(1);
  });
});

describe("signalStorage", () => {
  it("keeps virtual-hosted addressing when the external store supports it", () => {
    const config = prodConfig("vanilla", (raw) => {
      raw.onprem.storage = {
        object: {
          provider: "external",
          external: {
            endpoint: "s3.eu-central-1.amazonaws.com",
            region: "eu-central-1",
            forcePathStyle: false,
            accessKeyId: "AKIA",
            secretAccessKey: "s",
          },
        },
      };
    });
    expect(signalStorage(config.onprem!, "b")).toEqual({
      kind: "s3",
      bucket: "b",
      region: "eu-central-1",
      endpoint: "s3.eu-central-1.amazonaws.com",
      forcePathStyle: false,
    });
  });
});

describe("on-prem central mode and private Grafana", () => {
  it("take MetalLB addresses of the site's pools, with no annotation", async () => {
    const config = prodConfig("rke2");
    const { mocks } = await build({
      ...config,
      observability: centralWithPrivateGrafana(config.observability),
    });
    expectPrivateLoadBalancers(mocks, {});
  });
});
