/**
 * Helm values conformance for the Azure backend: every values key its releases pass (the shared
 * observability values plus the workload-identity wiring) exists in the pinned chart's defaults
 * (../shared/helm-values), walked with the reviewed exceptions of tests/helmRules.ts.
 */
import {
  azureConfig,
  commonArgs,
  kubernetesOutputs,
  networkOutputs,
  storageOutputs,
  withKubernetes,
} from "./azureFixtures";
import { expectReleasesConform, recordChartReleases, RecordedRelease, RULES } from "./helmRules";
import { loadChart, walkValues } from "./helmValuesWalker";

/** The releases of every Azure component that could install a chart. */
const recordedReleases = (environment: "dev" | "prod") =>
  recordChartReleases("westeurope", () => {
    const config = azureConfig(environment);
    return {
      config,
      common: commonArgs(config),
      network: networkOutputs(config.zones),
      kubernetes: kubernetesOutputs(),
      storage: storageOutputs(),
      opts: withKubernetes(),
    };
  });

describe.each(["prod", "dev"] as const)("values the Azure backend passes (%s)", (environment) => {
  let releases: RecordedRelease[];
  beforeAll(async () => {
    releases = await recordedReleases(environment);
  });

  it("installs only the observability charts (AKS manages CSI drivers, autoscaling, metrics and ingress)", () => {
    expect(releases.map((r) => `${r.chart}@${r.version}`).sort()).toEqual([
      "grafana@12.11.1",
      "k8s-monitoring@4.4.0",
      "keda@2.20.2",
      "loki@18.11.0",
      "mimir-distributed@6.1.0",
      "prometheus-operator-crds@31.0.1",
      "tempo-distributed@2.26.2",
    ]);
  });

  it("uses only keys the pinned charts know", () => {
    expectReleasesConform(releases);
  });

  it("catches a workload-identity label put where the chart does not read it", () => {
    const loki = releases.find((r) => r.chart === "loki")!;
    const ref = loadChart("loki", "18.11.0");
    const wrong = {
      ...(loki.values as object),
      podLabelz: { "azure.workload.identity/use": "true" },
    };
    expect(
      walkValues({
        values: wrong,
        defaults: ref.defaults,
        schema: ref.schema,
        rules: RULES.loki,
      }).map((v) => v.path),
    ).toEqual(["podLabelz"]);
  });
});
