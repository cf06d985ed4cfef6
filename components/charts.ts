/**
 * Every Helm chart the platform installs, pinned to a version and repository in one place.
 * `tests/helmValues.test.ts` checks each pin against ../shared/helm-values/INDEX.json and every
 * values key we pass against the chart's real default values.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Scope } from "./types";

export interface ChartPin {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
}

export const CHARTS = {
  clusterAutoscaler: {
    chart: "cluster-autoscaler",
    version: "9.45.0",
    repo: "https://kubernetes.github.io/autoscaler",
  },
  metricsServer: {
    chart: "metrics-server",
    version: "3.13.1",
    repo: "https://kubernetes-sigs.github.io/metrics-server/",
  },
  awsLoadBalancerController: {
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    repo: "https://aws.github.io/eks-charts",
  },
  awsEbsCsiDriver: {
    chart: "aws-ebs-csi-driver",
    version: "2.64.0",
    repo: "https://kubernetes-sigs.github.io/aws-ebs-csi-driver",
  },
  awsEfsCsiDriver: {
    chart: "aws-efs-csi-driver",
    version: "4.4.1",
    repo: "https://kubernetes-sigs.github.io/aws-efs-csi-driver/",
  },
  // Volcengine's ingress controller (behind a private CLB the cloud controller reuses).
  traefik: {
    chart: "traefik",
    version: "41.3.0",
    repo: "https://traefik.github.io/charts",
  },
  // Backups where the cloud has no service for the CSI driver's volumes (on-prem, Volcengine, OCI:
  // components/velero.ts).
  velero: {
    chart: "velero",
    version: "12.1.0",
    repo: "https://vmware-tanzu.github.io/helm-charts",
  },
  // Mimir 6 defaults to Kafka ingest; values turn on the classic (ingester) architecture instead.
  mimir: {
    chart: "mimir-distributed",
    version: "6.1.0",
    repo: "https://grafana.github.io/helm-charts",
  },
  // Loki and Tempo moved to grafana-community in 2026; tempo-distributed 3.x requires Kafka, 2.26.2 does not.
  loki: {
    chart: "loki",
    version: "18.11.0",
    repo: "https://grafana-community.github.io/helm-charts",
  },
  tempo: {
    chart: "tempo-distributed",
    version: "2.26.2",
    repo: "https://grafana-community.github.io/helm-charts",
  },
  // On-prem (providers/onprem): what a cloud would otherwise provide.
  metallb: { chart: "metallb", version: "0.16.1", repo: "https://metallb.github.io/metallb" },
  envoyGateway: { chart: "gateway-helm", version: "v1.9.0", repo: "oci://docker.io/envoyproxy" },
  certManager: { chart: "cert-manager", version: "v1.21.1", repo: "oci://quay.io/jetstack/charts" },
  rookCeph: { chart: "rook-ceph", version: "v1.20.6", repo: "https://charts.rook.io/release" },
  rookCephCluster: {
    chart: "rook-ceph-cluster",
    version: "v1.20.6",
    repo: "https://charts.rook.io/release",
  },
  longhorn: { chart: "longhorn", version: "1.12.1", repo: "https://charts.longhorn.io" },
  csiDriverNfs: {
    chart: "csi-driver-nfs",
    version: "4.13.4",
    repo: "https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts",
  },
  // The CSI external-snapshotter CRDs and controller (upstream publishes no chart; Piraeus packages it).
  snapshotController: {
    chart: "snapshot-controller",
    version: "5.2.0",
    repo: "https://piraeus.io/helm-charts/",
  },
  // The Valkey project's own chart (Bitnami's valkey 4.x images moved to bitnamilegacy).
  valkey: { chart: "valkey", version: "0.11.0", repo: "https://valkey.io/valkey-helm/" },
  // Observability collection and use (components/observabilityCollection.ts).
  // The monitoring.coreos.com CRDs only: ServiceMonitors and PrometheusRules, no operator.
  prometheusOperatorCrds: {
    chart: "prometheus-operator-crds",
    version: "31.0.1",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
  // Grafana's collectors (Alloy) for metrics, logs, events, OTLP and the ruler sync.
  k8sMonitoring: {
    chart: "k8s-monitoring",
    version: "4.4.0",
    repo: "https://grafana.github.io/helm-charts",
  },
  // The grafana chart moved to grafana-community in 2026 (the grafana repo's last is 10.5.15, deprecated).
  grafana: {
    chart: "grafana",
    version: "12.11.1",
    repo: "https://grafana-community.github.io/helm-charts",
  },
  keda: {
    chart: "keda",
    version: "2.20.2",
    repo: "https://kedacore.github.io/charts",
  },
  // An OCI chart: the repo is the chart's whole reference (automation/pko/operator.ts).
  pulumiKubernetesOperator: {
    chart: "pulumi-kubernetes-operator",
    version: "2.9.0",
    repo: "oci://ghcr.io/pulumi/helm-charts/pulumi-kubernetes-operator",
  },
} as const satisfies Record<string, ChartPin>;

export type ChartKey = keyof typeof CHARTS;

/**
 * Where Helm finds a pin: a classic repository by chart name, or an OCI registry, which Helm takes
 * as the chart's whole reference with no repository index. An `oci://` repo is either that whole
 * reference (ending in the chart's name) or the registry path the chart sits under (INDEX.json's
 * repoURL for cert-manager and gateway-helm).
 */
export function chartSource(pin: ChartPin): { chart: string; repositoryOpts?: { repo: string } } {
  if (!pin.repo.startsWith("oci://"))
    return { chart: pin.chart, repositoryOpts: { repo: pin.repo } };
  return { chart: pin.repo.endsWith(`/${pin.chart}`) ? pin.repo : `${pin.repo}/${pin.chart}` };
}

/** Every values object handed to Helm, recorded so the conformance test can walk them. */
export interface HelmReleaseArgs {
  readonly chart: ChartKey;
  readonly namespace: pulumi.Input<string>;
  /** Release name; defaults to the chart name. */
  readonly releaseName?: string;
  readonly values: pulumi.Input<Record<string, unknown>>;
  readonly createNamespace?: boolean;
}

/**
 * A pinned Helm release under the scope's parent. Atomic with cleanup so a failed upgrade rolls
 * back instead of leaving a half-installed release; `${scope.name}-<role>` names it.
 */
export function helmRelease(
  scope: Scope,
  role: string,
  args: HelmReleaseArgs,
  opts?: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  const pin = CHARTS[args.chart];
  return new k8s.helm.v3.Release(
    `${scope.name}-${role}`,
    {
      name: args.releaseName ?? pin.chart,
      ...chartSource(pin),
      version: pin.version,
      namespace: args.namespace,
      createNamespace: args.createNamespace ?? true,
      values: args.values,
      atomic: true,
      cleanupOnFail: true,
      timeout: 900,
    },
    { parent: scope.parent, ...opts },
  );
}

/** `namespace/name@version` of a release, for the layer's `releases` output. */
export function releaseLabel(release: k8s.helm.v3.Release, chart: ChartKey): pulumi.Output<string> {
  return pulumi.interpolate`${release.namespace}/${release.name}@${CHARTS[chart].version}`;
}
