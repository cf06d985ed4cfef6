/**
 * What every cloud's Helm values conformance test shares: the reviewed exceptions per chart, the
 * releases recorded by building every component that may install a chart, and the check that
 * walks each release's values against its pinned chart (tests/helmValuesWalker.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { CHARTS, chartSource } from "../components/charts";
import { ClusterAddons } from "../components/clusterAddons";
import { KubernetesOutputs } from "../components/kubernetesCluster";
import { LoadBalancing } from "../components/loadBalancing";
import { NetworkOutputs } from "../components/network";
import { Observability } from "../components/observability";
import { Storage, StorageOutputs } from "../components/storage";
import { CommonArgs, PlatformConfig } from "../components/types";
import { mockPulumi, RecordingMocks, settle } from "./harness";
import { ChartRules, loadChart, walkValues } from "./helmValuesWalker";

/**
 * The reviewed exceptions, per chart (they describe the chart, so every cloud walks with them).
 * Keep this short: every entry is a hole in the check. `freeForm`: maps passed on whole;
 * `templateRead`: keys a template reads that values.yaml lacks.
 */
export const RULES: Record<string, ChartRules> = {
  "cluster-autoscaler": {
    // templates/deployment.yaml renders every key of extraArgs as `--<key>=<value>`; its default is not empty.
    freeForm: { extraArgs: "templates/deployment.yaml turns each key into a command-line flag" },
  },
  "mimir-distributed": {
    subcharts: {
      minio: { values: "minio-5.4.0.values.yaml" },
      rollout_operator: {
        reason:
          "rollout-operator subchart; its values file is not in the reference folder (we set only `enabled`, the Chart.yaml condition)",
      },
      "grafana-agent-operator": {
        reason:
          "grafana-agent-operator subchart; its values file is not in the reference folder (we pass nothing)",
      },
    },
  },
  loki: {
    subcharts: {
      minio: { values: "minio-5.4.0.values.yaml" },
      rollout_operator: {
        reason:
          "rollout-operator subchart; its values file is not in the reference folder (we pass nothing)",
      },
    },
  },
  "rook-ceph-cluster": {
    // templates/cephcluster.yaml renders `cephClusterSpec` whole as the CephCluster's spec; these
    // CephCluster fields appear in values.yaml only as comments (ceph.rook.io/v1 CephClusterSpec).
    templateRead: {
      "cephClusterSpec.placement":
        "templates/cephcluster.yaml (spec.placement, commented in values.yaml)",
      "cephClusterSpec.storage.config":
        "templates/cephcluster.yaml (spec.storage.config.encryptedDevice, commented in values.yaml)",
      "cephClusterSpec.storage.deviceFilter":
        "templates/cephcluster.yaml (spec.storage.deviceFilter, commented in values.yaml)",
      "cephClusterSpec.annotations":
        "templates/cephcluster.yaml (spec.annotations: per-daemon pod annotations, `mgr` for the metrics; commented in values.yaml)",
    },
  },
  // Default annotation maps (prometheus.io keys), which ours are merged into.
  velero: {
    freeForm: {
      "metrics.podAnnotations":
        "templates/deployment.yaml adds every key to the server pod's annotations when metrics.enabled",
    },
  },
  "gateway-helm": {
    freeForm: {
      "deployment.pod.annotations":
        "templates/envoy-gateway-deployment.yaml renders the map as the controller pod's annotations",
    },
  },
  "tempo-distributed": {
    templateRead: {
      // values.yaml `config` (rendered by tempo.calculatedConfig in templates/_helpers.tpl) does
      // `toYaml .Values.storage.trace.<backend>` for the selected backend; values.yaml has no default.
      "storage.trace.s3":
        "templates/_helpers.tpl (tempo.calculatedConfig, config: storage.trace.s3)",
      "storage.trace.gcs":
        "templates/_helpers.tpl (tempo.calculatedConfig, config: storage.trace.gcs)",
      "storage.trace.azure":
        "templates/_helpers.tpl (tempo.calculatedConfig, config: storage.trace.azure)",
    },
  },
};

/** k8s-monitoring 4.4.0's feature and service subcharts (each local chart is `version: 1.0.0`). */
const K8S_MONITORING_FEATURES: Readonly<Record<string, string>> = {
  clusterMetrics: "feature-cluster-metrics",
  clusterEvents: "feature-cluster-events",
  podLogsViaLoki: "feature-pod-logs-via-loki",
  applicationObservability: "feature-application-observability",
  hostMetrics: "feature-host-metrics",
  prometheusOperatorObjects: "feature-prometheus-operator-objects",
  annotationAutodiscovery: "feature-annotation-autodiscovery",
  telemetryServices: "telemetry-services",
};
RULES["k8s-monitoring"] = {
  subcharts: {
    ...Object.fromEntries(
      Object.entries(K8S_MONITORING_FEATURES).map(([key, chart]) => [
        key,
        { values: `k8s-monitoring-4.4.0.${chart}.values.yaml` },
      ]),
    ),
    "alloy-operator": { values: "alloy-operator-0.6.3.values.yaml" },
    // telemetry-services' Chart.yaml aliases the prometheus-community charts it bundles.
    "telemetryServices.kube-state-metrics": { values: "kube-state-metrics-8.1.3.values.yaml" },
    "telemetryServices.node-exporter": { values: "prometheus-node-exporter-4.56.1.values.yaml" },
  },
  // The schema says `collectors: {type: object}`; tests/observability/collectors.test.ts walks
  // each collector against the schema's alloy-collector definition and the alloy chart's values.
};
RULES.grafana = {
  freeForm: {
    "grafana.ini":
      "templates/configmap.yaml renders every section and key of grafana.ini into the ini file",
    // HTTPS probes (private exposure): the container's probes, rendered whole.
    readinessProbe: "templates/_pod.tpl renders it whole as the grafana container's readinessProbe",
    livenessProbe: "templates/_pod.tpl renders it whole as the grafana container's livenessProbe",
  },
  templateRead: {
    podAnnotations:
      "templates/deployment.yaml (the pod template's annotations; commented in values.yaml)",
  },
};

export interface RecordedRelease {
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
  readonly values: unknown;
}

/** The Helm releases the mocks recorded, in creation order. */
export function helmReleases(mocks: RecordingMocks): RecordedRelease[] {
  return mocks.byType("kubernetes:helm.sh/v3:Release").map((r) => {
    // An OCI chart is one reference in `chart` (no repositoryOpts): name it by its pin.
    const oci = Object.values(CHARTS).find(
      (pin) => pin.repo.startsWith("oci://") && chartSource(pin).chart === r.inputs.chart,
    );
    return {
      name: r.name,
      chart: oci ? oci.chart : (r.inputs.chart as string),
      version: r.inputs.version as string,
      repo: oci ? oci.repo : (r.inputs.repositoryOpts as { repo: string }).repo,
      values: r.inputs.values,
    };
  });
}

/** The upstream outputs and options one cloud's fixtures provide. */
export interface ChartLayerInputs {
  readonly config: PlatformConfig;
  readonly common: CommonArgs;
  readonly network: NetworkOutputs;
  readonly kubernetes: KubernetesOutputs;
  readonly storage: StorageOutputs;
  /** Options carrying the Kubernetes provider. */
  readonly opts: pulumi.ComponentResourceOptions;
}

/**
 * Installs fresh mocks in `region`, builds every component that may install a chart (storage,
 * add-ons, load balancing, observability) from `inputs` (called once the mocks are in place), and
 * returns the releases recorded.
 */
export async function recordChartReleases(
  region: string,
  inputs: () => ChartLayerInputs,
): Promise<RecordedRelease[]> {
  const mocks = await mockPulumi({ region });
  const { config, common, network, kubernetes, storage, opts } = inputs();
  new Storage(
    "st",
    { ...common, zones: config.zones, storage: config.storage, network, kubernetes },
    opts,
  );
  new ClusterAddons(
    "addons",
    { ...common, kubernetes, kubernetesConfig: config.kubernetes, network },
    opts,
  );
  new LoadBalancing("lb", { ...common, network, kubernetes }, opts);
  new Observability(
    "obs",
    { ...common, observability: config.observability, zones: config.zones, kubernetes, storage },
    opts,
  );
  await settle();
  return helmReleases(mocks);
}

/**
 * Each release comes from its pinned repository and passes only keys its chart knows (walked with
 * RULES); every problem is listed in one failure.
 */
export function expectReleasesConform(releases: readonly RecordedRelease[]): void {
  const problems: string[] = [];
  for (const release of releases) {
    const ref = loadChart(release.chart, release.version);
    expect(release.repo).toBe(ref.entry.repoURL);
    for (const v of walkValues({
      values: release.values,
      defaults: ref.defaults,
      schema: ref.schema,
      rules: RULES[release.chart],
    })) {
      problems.push(
        `${release.name} (${release.chart}@${release.version}): ${v.path} ${v.message}`,
      );
    }
  }
  expect(problems).toEqual([]);
}
