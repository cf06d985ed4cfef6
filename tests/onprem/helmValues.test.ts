/**
 * Helm values conformance for the on-prem backend: every release it installs (add-ons, load
 * balancing, storage, cache, observability), over the distributions and storage choices, is pinned
 * and uses only keys its chart knows (tests/helmRules.ts walks them against the vendored values).
 */
import { Cache } from "../../components/cache";
import { CHARTS } from "../../components/charts";
import { OBSERVABILITY_USE_CHARTS } from "../../components/observabilityCollection";
import { ClusterAddons } from "../../components/clusterAddons";
import { LoadBalancing } from "../../components/loadBalancing";
import { Observability } from "../../components/observability";
import { Storage } from "../../components/storage";
import { PlatformConfig } from "../../components/types";
import { mockPulumi, settle } from "../harness";
import { expectReleasesConform, helmReleases, RecordedRelease } from "../helmRules";
import { Raw } from "./fixtures";
import {
  devConfig,
  onpremArgs,
  openshiftStorage,
  prodConfig,
  upstream,
  withKubernetes,
} from "./layerFixtures";

async function releasesOf(config: PlatformConfig): Promise<RecordedRelease[]> {
  const mocks = await mockPulumi();
  const common = onpremArgs(config);
  const network = upstream.networkOutputs(config.zones);
  const kubernetes = upstream.kubernetesOutputs();
  const opts = withKubernetes();
  new Storage(
    "st",
    { ...common, zones: config.zones, storage: config.storage, network, kubernetes },
    opts,
  );
  new LoadBalancing("lb", { ...common, network, kubernetes }, opts);
  new ClusterAddons(
    "addons",
    { ...common, kubernetes, kubernetesConfig: config.kubernetes, network },
    opts,
  );
  new Cache(
    "cache",
    { ...common, zones: config.zones, cache: config.cache, network, kubernetes },
    opts,
  );
  new Observability(
    "obs",
    {
      ...common,
      observability: config.observability,
      zones: config.zones,
      kubernetes,
      storage: upstream.storageOutputs(),
    },
    opts,
  );
  await settle();
  return helmReleases(mocks);
}

const alternatives = (raw: Raw) => {
  raw.kubernetes.nodePools[0].maxSize = 6;
  raw.onprem.autoscaling = {
    provider: "clusterapi",
    clusterapi: { clusterName: "dc1", namespace: "capi" },
  };
  raw.onprem.loadBalancer = {
    mode: "bgp",
    addressPools: [{ name: "routed", addresses: ["10.30.200.0/28"] }],
    bgp: { localAsn: 64512, peers: [{ address: "10.30.1.1", asn: 64513 }] },
  };
  raw.onprem.storage = {
    block: { provider: "longhorn" },
    file: { provider: "nfs", nfs: { server: "10.30.9.10", share: "/exports/officeless" } },
    object: {
      provider: "external",
      external: { endpoint: "s3.dc1.example.com", accessKeyId: "AKIA", secretAccessKey: "s" },
    },
  };
};

const rancher = (raw: Raw) => {
  raw.kubernetes.nodePools[0].maxSize = 6;
  raw.onprem.autoscaling = {
    provider: "rancher",
    rancher: { url: "https://rancher.dc1.example.com", clusterName: "dc1", token: "t" },
  };
};

const stacks: [string, () => PlatformConfig, string[]][] = [
  [
    "RKE2 prod, Rook-Ceph",
    () => prodConfig("rke2"),
    [
      "rook-ceph",
      "rook-ceph-cluster",
      "metallb",
      "gateway-helm",
      "cert-manager",
      "valkey",
      "mimir-distributed",
      "loki",
      "tempo-distributed",
    ],
  ],
  [
    "K3s dev, Rook-Ceph",
    () => devConfig(),
    [
      "snapshot-controller",
      "rook-ceph",
      "rook-ceph-cluster",
      "metallb",
      "gateway-helm",
      "cert-manager",
      "valkey",
      "mimir-distributed",
      "loki",
      "tempo-distributed",
    ],
  ],
  [
    "vanilla prod, Longhorn + NFS + external S3, BGP, Cluster API",
    () => prodConfig("vanilla", alternatives),
    [
      "snapshot-controller",
      "longhorn",
      "csi-driver-nfs",
      "metallb",
      "gateway-helm",
      "cert-manager",
      "metrics-server",
      "cluster-autoscaler",
      "valkey",
      "mimir-distributed",
      "loki",
      "tempo-distributed",
    ],
  ],
  [
    "RKE2 prod, Rancher autoscaler",
    () => prodConfig("rke2", rancher),
    [
      "rook-ceph",
      "rook-ceph-cluster",
      "metallb",
      "gateway-helm",
      "cert-manager",
      "cluster-autoscaler",
      "valkey",
      "mimir-distributed",
      "loki",
      "tempo-distributed",
    ],
  ],
  [
    "OpenShift prod, ODF + external S3",
    () => prodConfig("openshift", openshiftStorage),
    ["cert-manager", "valkey", "mimir-distributed", "loki", "tempo-distributed"],
  ],
];

describe.each(stacks)("values the on-prem backend passes: %s", (_name, config, charts) => {
  let releases: RecordedRelease[];
  beforeAll(async () => {
    releases = await releasesOf(config());
  });

  it("installs exactly the charts this site needs", () => {
    // Where the site runs the observability stack, its collection comes with it.
    const collection = charts.includes("mimir-distributed")
      ? OBSERVABILITY_USE_CHARTS.map((key) => CHARTS[key].chart)
      : [];
    expect(releases.map((r) => r.chart).sort()).toEqual([...charts, ...collection].sort());
  });

  it("uses only keys the pinned charts know, from their pinned repositories", () => {
    expectReleasesConform(releases);
  });
});

describe("coverage", () => {
  it("installs every chart pinned for on-prem in at least one of the sites above", async () => {
    const seen = new Set<string>();
    for (const [, config] of stacks)
      for (const r of await releasesOf(config())) seen.add(`${r.chart}@${r.version}`);
    const onprem = [
      CHARTS.metallb,
      CHARTS.envoyGateway,
      CHARTS.certManager,
      CHARTS.rookCeph,
      CHARTS.rookCephCluster,
      CHARTS.longhorn,
      CHARTS.csiDriverNfs,
      CHARTS.snapshotController,
      CHARTS.valkey,
      CHARTS.metricsServer,
      CHARTS.clusterAutoscaler,
    ];
    for (const pin of onprem) expect(seen).toContain(`${pin.chart}@${pin.version}`);
  });
});
