/**
 * Helm values conformance for the GCP backend: every release it installs is pinned in CHARTS and
 * present in ../shared/helm-values, and every values key it passes (the shared observability
 * values plus the Workload Identity annotation) exists in the pinned chart, walked with
 * tests/helmValuesWalker.ts. Storage, add-ons and load balancing install no chart on GKE.
 */
import { CHARTS } from "../components/charts";
import { ClusterAddons } from "../components/clusterAddons";
import { LoadBalancing } from "../components/loadBalancing";
import { Observability } from "../components/observability";
import { Storage } from "../components/storage";
import {
  gcpCommonArgs,
  gcpConfig,
  gcpKubernetesOutputs,
  gcpNetworkOutputs,
  gcpStorageOutputs,
  REGION,
  withKubernetes,
} from "./gcpFixtures";
import { mockPulumi, settle } from "./harness";
import { ChartRules, loadChart, walkValues } from "./helmValuesWalker";

/**
 * The reviewed exceptions for the charts GCP installs: the same entries as tests/helmValues.test.ts
 * (kept there as a private constant), repeated because a test file cannot import another.
 */
const RULES: Record<string, ChartRules> = {
  "mimir-distributed": {
    subcharts: {
      minio: { values: "minio-5.4.0.values.yaml" },
      rollout_operator: { reason: "rollout-operator subchart; its values file is not in the reference folder (we set only `enabled`)" },
      "grafana-agent-operator": { reason: "grafana-agent-operator subchart; not in the reference folder (we pass nothing)" },
    },
  },
  loki: {
    subcharts: {
      minio: { values: "minio-5.4.0.values.yaml" },
      rollout_operator: { reason: "rollout-operator subchart; not in the reference folder (we pass nothing)" },
    },
  },
  "tempo-distributed": {
    templateRead: {
      "storage.trace.gcs": "templates/_helpers.tpl (tempo.calculatedConfig, config: storage.trace.gcs)",
    },
  },
};

interface RecordedRelease {
  name: string;
  chart: string;
  version: string;
  repo: string;
  values: unknown;
}

/** Builds every GCP component that could install a chart and returns the releases recorded. */
async function recordedReleases(environment: "dev" | "prod"): Promise<RecordedRelease[]> {
  const mocks = await mockPulumi({ region: REGION });
  const config = gcpConfig(environment);
  const common = gcpCommonArgs(config);
  const network = gcpNetworkOutputs();
  const kubernetes = gcpKubernetesOutputs();
  const opts = withKubernetes();
  new Storage("st", { ...common, zones: config.zones, storage: config.storage, network, kubernetes }, opts);
  new ClusterAddons("addons", { ...common, kubernetes, kubernetesConfig: config.kubernetes, network }, opts);
  new LoadBalancing("lb", { ...common, network, kubernetes }, opts);
  new Observability("obs", { ...common, observability: config.observability, kubernetes, storage: gcpStorageOutputs() }, opts);
  await settle();
  return mocks.byType("kubernetes:helm.sh/v3:Release").map((r) => ({
    name: r.name,
    chart: r.inputs.chart as string,
    version: r.inputs.version as string,
    repo: (r.inputs.repositoryOpts as { repo: string }).repo,
    values: r.inputs.values,
  }));
}

describe.each(["prod", "dev"] as const)("values the GCP backend passes (%s)", (environment) => {
  let releases: RecordedRelease[];
  beforeAll(async () => {
    releases = await recordedReleases(environment);
  });

  it("installs exactly Mimir, Loki and Tempo at their pinned versions (no autoscaler, no metrics-server)", () => {
    const pins = [CHARTS.mimir, CHARTS.loki, CHARTS.tempo].map((p) => `${p.chart}@${p.version}`);
    expect(releases.map((r) => `${r.chart}@${r.version}`).sort()).toEqual(pins.sort());
    for (const release of releases) expect(release.repo).toBe(loadChart(release.chart, release.version).entry.repoURL);
  });

  it("uses only keys the pinned charts know, Workload Identity annotation included", () => {
    const problems: string[] = [];
    for (const release of releases) {
      const ref = loadChart(release.chart, release.version);
      const values = release.values as { serviceAccount?: { annotations?: Record<string, string> } };
      expect(Object.keys(values.serviceAccount?.annotations ?? {})).toEqual(["iam.gke.io/gcp-service-account"]);
      for (const v of walkValues({ values: release.values, defaults: ref.defaults, schema: ref.schema, rules: RULES[release.chart] })) {
        problems.push(`${release.name} (${release.chart}@${release.version}): ${v.path} ${v.message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("would catch a misspelled key in the values it passes", () => {
    const mimir = releases.find((r) => r.chart === "mimir-distributed")!;
    const ref = loadChart(mimir.chart, mimir.version);
    const broken = { ...(mimir.values as object), serviceAcount: { name: "x" } };
    expect(walkValues({ values: broken, defaults: ref.defaults, schema: ref.schema, rules: RULES[mimir.chart] }).map((v) => v.path)).toEqual([
      "serviceAcount",
    ]);
  });
});
