/**
 * Helm values conformance for the GCP backend: every release it installs is pinned in CHARTS and
 * present in ../shared/helm-values, and every values key it passes (the shared observability
 * values plus the Workload Identity annotation) exists in the pinned chart, walked with the
 * reviewed exceptions of tests/helmRules.ts. Storage, add-ons and load balancing install no
 * chart on GKE.
 */
import { CHARTS } from "../components/charts";
import {
  gcpCommonArgs,
  gcpConfig,
  gcpKubernetesOutputs,
  gcpNetworkOutputs,
  gcpStorageOutputs,
  REGION,
  withKubernetes,
} from "./gcpFixtures";
import { expectReleasesConform, recordChartReleases, RecordedRelease, RULES } from "./helmRules";
import { loadChart, walkValues } from "./helmValuesWalker";

/** The releases of every GCP component that could install a chart. */
const recordedReleases = (environment: "dev" | "prod") =>
  recordChartReleases(REGION, () => {
    const config = gcpConfig(environment);
    return {
      config,
      common: gcpCommonArgs(config),
      network: gcpNetworkOutputs(),
      kubernetes: gcpKubernetesOutputs(),
      storage: gcpStorageOutputs(),
      opts: withKubernetes(),
    };
  });

describe.each(["prod", "dev"] as const)("values the GCP backend passes (%s)", (environment) => {
  let releases: RecordedRelease[];
  beforeAll(async () => {
    releases = await recordedReleases(environment);
  });

  it("installs exactly the observability charts at their pinned versions (no autoscaler, no metrics-server)", () => {
    const pins = [
      CHARTS.mimir,
      CHARTS.loki,
      CHARTS.tempo,
      CHARTS.prometheusOperatorCrds,
      CHARTS.k8sMonitoring,
      CHARTS.grafana,
      CHARTS.keda,
    ].map((p) => `${p.chart}@${p.version}`);
    expect(releases.map((r) => `${r.chart}@${r.version}`).sort()).toEqual(pins.sort());
    for (const release of releases)
      expect(release.repo).toBe(loadChart(release.chart, release.version).entry.repoURL);
  });

  it("uses only keys the pinned charts know, Workload Identity annotation included", () => {
    // The signal stores run as their Google service accounts; the collectors, Grafana and KEDA need none.
    const stores: string[] = [CHARTS.mimir.chart, CHARTS.loki.chart, CHARTS.tempo.chart];
    for (const release of releases.filter((r) => stores.includes(r.chart))) {
      const values = release.values as {
        serviceAccount?: { annotations?: Record<string, string> };
      };
      expect(Object.keys(values.serviceAccount?.annotations ?? {})).toEqual([
        "iam.gke.io/gcp-service-account",
      ]);
    }
    expectReleasesConform(releases);
  });

  it("would catch a misspelled key in the values it passes", () => {
    const mimir = releases.find((r) => r.chart === "mimir-distributed")!;
    const ref = loadChart(mimir.chart, mimir.version);
    const broken = { ...(mimir.values as object), serviceAcount: { name: "x" } };
    expect(
      walkValues({
        values: broken,
        defaults: ref.defaults,
        schema: ref.schema,
        rules: RULES[mimir.chart],
      }).map((v) => v.path),
    ).toEqual(["serviceAcount"]);
  });
});
