/**
 * Helm values conformance for the OCI backend: every release it installs (cluster-autoscaler and
 * the observability charts) is pinned and present in ../shared/helm-values, and every key it
 * passes exists in the pinned chart, walked with the reviewed exceptions of tests/helmRules.ts.
 * The OCI native ingress controller is OKE's managed add-on, not a release: its chart
 * (oracle/oci-native-ingress-controller 1.4.3) has no published Helm repository, so there are no
 * values of ours to walk; its add-on configuration keys are asserted in tests/oci/addons.test.ts.
 */
import { CHARTS } from "../../components/charts";
import { OBSERVABILITY_USE_CHARTS } from "../../components/observabilityCollection";
import { expectReleasesConform, recordChartReleases, RecordedRelease, RULES } from "../helmRules";
import { loadChart, loadIndex, walkValues } from "../helmValuesWalker";
import {
  ociCommonArgs,
  ociConfig,
  ociKubernetesOutputs,
  ociNetworkOutputs,
  ociStorageOutputs,
  REGION,
  withKubernetes,
} from "./fixtures";

const recordedReleases = (environment: "dev" | "prod") =>
  recordChartReleases(REGION, () => {
    const config = ociConfig(environment);
    return {
      config,
      common: ociCommonArgs(config),
      network: ociNetworkOutputs(),
      kubernetes: ociKubernetesOutputs(),
      storage: ociStorageOutputs(),
      opts: withKubernetes(),
    };
  });

describe.each(["prod", "dev"] as const)("values the OCI backend passes (%s)", (environment) => {
  let releases: RecordedRelease[];
  beforeAll(async () => {
    releases = await recordedReleases(environment);
  });

  it("installs cluster-autoscaler and the observability charts at their pinned versions", () => {
    const pins = [
      CHARTS.clusterAutoscaler,
      CHARTS.mimir,
      CHARTS.loki,
      CHARTS.tempo,
      ...OBSERVABILITY_USE_CHARTS.map((key) => CHARTS[key]),
    ].map((p) => `${p.chart}@${p.version}`);
    expect(releases.map((r) => `${r.chart}@${r.version}`).sort()).toEqual(pins.sort());
  });

  it("uses only keys the pinned charts know", () => {
    expectReleasesConform(releases);
  });

  it("would catch the autoscaler's workload identity switches put where the chart does not read them", () => {
    const ca = releases.find((r) => r.chart === "cluster-autoscaler")!;
    const ref = loadChart(ca.chart, ca.version);
    const values = ca.values as Record<string, unknown>;
    const wrong = { ...values, extraEnvs: values.extraEnv };
    expect(
      walkValues({ values: wrong, defaults: ref.defaults, rules: RULES[ca.chart] }).map(
        (v) => v.path,
      ),
    ).toEqual(["extraEnvs"]);
  });
});

it("has the native ingress controller's 1.4.3 values in the reference data, as the add-on's source", () => {
  const entry = loadIndex().find((e) => e.chart === "oci-native-ingress-controller");
  expect(entry).toMatchObject({ version: "1.4.3", repoURL: null });
});
