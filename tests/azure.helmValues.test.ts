/**
 * Helm values conformance for the Azure backend: every values key its releases pass (the shared
 * observability values plus the workload-identity wiring) exists in the pinned chart's defaults
 * (../shared/helm-values), walked with the reviewed exceptions below.
 */
import { Observability } from "../components/observability";
import { Storage } from "../components/storage";
import { ClusterAddons } from "../components/clusterAddons";
import { LoadBalancing } from "../components/loadBalancing";
import { AZ, azureConfig, commonArgs, kubernetesOutputs, networkOutputs, storageOutputs, withKubernetes } from "./azureFixtures";
import { mockPulumi, settle } from "./harness";
import { ChartRules, loadChart, walkValues } from "./helmValuesWalker";

/** The reviewed exceptions, per chart: the same ones tests/helmValues.test.ts keeps for these charts. */
const RULES: Record<string, ChartRules> = {
  "mimir-distributed": {
    subcharts: {
      minio: { values: "minio-5.4.0.values.yaml" },
      rollout_operator: { reason: "rollout-operator subchart; its values file is not in the reference folder (we set only `enabled`, the Chart.yaml condition)" },
      "grafana-agent-operator": { reason: "grafana-agent-operator subchart; its values file is not in the reference folder (we pass nothing)" },
    },
  },
  loki: {
    subcharts: {
      minio: { values: "minio-5.4.0.values.yaml" },
      rollout_operator: { reason: "rollout-operator subchart; its values file is not in the reference folder (we pass nothing)" },
    },
  },
  "tempo-distributed": {
    templateRead: {
      // values.yaml `config` renders `toYaml .Values.storage.trace.<backend>`; values.yaml has no azure default.
      "storage.trace.azure": "templates/_helpers.tpl (tempo.calculatedConfig, config: storage.trace.azure)",
    },
  },
};

interface Recorded {
  name: string;
  chart: string;
  version: string;
  repo: string;
  values: unknown;
}

/** Builds every Azure component that could install a chart and returns the releases the mocks recorded. */
async function recordedReleases(environment: "dev" | "prod"): Promise<Recorded[]> {
  const mocks = await mockPulumi({ region: "westeurope" });
  const config = azureConfig(environment);
  const common = commonArgs(config);
  const network = networkOutputs(config.zones);
  const kubernetes = kubernetesOutputs();
  const opts = withKubernetes();
  new Storage("st", { ...common, zones: config.zones, storage: config.storage, network, kubernetes }, opts);
  new ClusterAddons("addons", { ...common, kubernetes, kubernetesConfig: config.kubernetes, network }, opts);
  new LoadBalancing("lb", { ...common, network, kubernetes }, opts);
  new Observability("obs", { ...common, observability: config.observability, kubernetes, storage: storageOutputs() }, opts);
  await settle();
  return mocks.byType(AZ.release).map((r) => ({
    name: r.name,
    chart: r.inputs.chart as string,
    version: r.inputs.version as string,
    repo: (r.inputs.repositoryOpts as { repo: string }).repo,
    values: r.inputs.values,
  }));
}

describe.each(["prod", "dev"] as const)("values the Azure backend passes (%s)", (environment) => {
  let releases: Recorded[];
  beforeAll(async () => {
    releases = await recordedReleases(environment);
  });

  it("installs only the observability charts (AKS manages CSI drivers, autoscaling, metrics and ingress)", () => {
    expect(releases.map((r) => `${r.chart}@${r.version}`).sort()).toEqual(["loki@18.11.0", "mimir-distributed@6.1.0", "tempo-distributed@2.26.2"]);
  });

  it("uses only keys the pinned charts know", () => {
    const problems: string[] = [];
    for (const release of releases) {
      const ref = loadChart(release.chart, release.version);
      expect(release.repo).toBe(ref.entry.repoURL);
      for (const v of walkValues({ values: release.values, defaults: ref.defaults, schema: ref.schema, rules: RULES[release.chart] })) {
        problems.push(`${release.name} (${release.chart}@${release.version}): ${v.path} ${v.message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("catches a workload-identity label put where the chart does not read it", () => {
    const loki = releases.find((r) => r.chart === "loki")!;
    const ref = loadChart("loki", "18.11.0");
    const wrong = { ...(loki.values as object), podLabelz: { "azure.workload.identity/use": "true" } };
    expect(walkValues({ values: wrong, defaults: ref.defaults, schema: ref.schema, rules: RULES.loki }).map((v) => v.path)).toEqual(["podLabelz"]);
  });
});
