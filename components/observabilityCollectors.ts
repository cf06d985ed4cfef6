/**
 * Collection on every cluster: Grafana's k8s-monitoring chart (4.4.0), chosen over a hand-written
 * Alloy config because it generates and maintains the Alloy pipelines for every Kubernetes source
 * (kubelet, cAdvisor, kube-state-metrics, node-exporter, pod logs, events, ServiceMonitors), adds
 * the cluster label and the tenant header per destination, sizes its collectors by preset and
 * syncs PrometheusRule objects into Mimir's ruler. Alloy is still what runs: four collectors,
 * each an Alloy workload made by the chart's Alloy operator.
 */
import { CollectorPreset, Environment } from "./types";
import { MIXIN_JOBS, MixinSource, RULE_METRICS } from "./observabilityRules";

/** Where a destination sends and how it proves who it is. */
export interface CollectorEndpoints {
  /** Mimir's remote-write URL (`.../api/v1/push`). */
  readonly metricsPushUrl: string;
  /** Mimir's base URL for the ruler API (the rules sync appends `/prometheus/config/v1/rules`). */
  readonly rulesUrl: string;
  /** Loki's push URL (`.../loki/api/v1/push`). */
  readonly logsPushUrl: string;
  /** Tempo's OTLP endpoint: `host:port` for gRPC, or a base URL for HTTP. */
  readonly tracesUrl: string;
  readonly tracesProtocol: "grpc" | "http";
  /** A Secret (keys `username`, `password`) in the collectors' namespace: basic auth to a central write path. */
  readonly basicAuthSecret?: string;
}

export interface CollectorValuesArgs {
  /** The cluster label every series, line and span carries. */
  readonly cluster: string;
  readonly environment: Environment;
  /** The tenant (`X-Scope-OrgID`) data is written to. */
  readonly tenant: string;
  readonly namespace: string;
  readonly endpoints: CollectorEndpoints;
  readonly preset: CollectorPreset;
  readonly highAvailability: boolean;
}

/** The collectors (Alloy workloads) the chart creates; `<release>-<name>` names their Services. */
export const COLLECTORS = {
  metrics: "alloy-metrics",
  logs: "alloy-logs",
  events: "alloy-singleton",
  receiver: "alloy-receiver",
} as const;

/** The Helm release: applications send OTLP to `<release>-alloy-receiver.<namespace>.svc`. */
export const COLLECTION_RELEASE = "collectors";

/** OTLP ports of the in-cluster receiver. */
export const OTLP_PORTS = { grpc: 4317, http: 4318 } as const;

/** Where applications send OTLP in this cluster. */
export function otlpEndpoints(namespace: string): { grpc: string; http: string } {
  const host = `${COLLECTION_RELEASE}-${COLLECTORS.receiver}.${namespace}.svc`;
  return { grpc: `${host}:${OTLP_PORTS.grpc}`, http: `http://${host}:${OTLP_PORTS.http}` };
}

/**
 * Pod annotations that make the collectors scrape a component that cannot publish a
 * ServiceMonitor (its layer runs before the monitoring CRDs exist): k8s-monitoring's
 * annotation autodiscovery reads them on every pod.
 */
export function scrapeAnnotations(
  port: number,
  options: {
    readonly path?: string;
    /** The job label rules select (ANNOTATION_JOBS); the chart's default names it after the pod. */
    readonly job?: string;
    /** The container serving `port`, in pods with sidecars (else each container is a target). */
    readonly container?: string;
  } = {},
): Record<string, string> {
  return {
    [SCRAPE_ANNOTATION]: "true",
    "k8s.grafana.com/metrics.portNumber": String(port),
    "k8s.grafana.com/metrics.path": options.path ?? "/metrics",
    ...(options.job ? { "k8s.grafana.com/job": options.job } : {}),
    ...(options.container ? { "k8s.grafana.com/metrics.container": options.container } : {}),
  };
}

/** The annotation autodiscovery keys on (its value `"true"`). */
export const SCRAPE_ANNOTATION = "k8s.grafana.com/scrape";

/**
 * ServiceMonitors that charts render by themselves once the CRD exists (a Capabilities check on a
 * later upgrade), of components the annotation path scrapes already: the collectors skip them,
 * so those series do not arrive twice. Their `app` label values (aws-ebs-csi-driver
 * templates/metrics.yaml).
 */
export const ANNOTATION_SCRAPED_SERVICE_MONITORS: readonly string[] = ["ebs-csi-controller"];

/** The label the environment travels in, beside k8s-monitoring's own `cluster`. */
export const ENVIRONMENT_LABEL = "environment";

/** A DaemonSet that tolerates every taint runs on every pool, spot and tainted ones included. */
export const TOLERATE_EVERY_TAINT: readonly Record<string, string>[] = [{ operator: "Exists" }];

/** Destination names. */
const DEST = { mimir: "mimir", loki: "loki", tempo: "tempo" } as const;

function auth(endpoints: CollectorEndpoints, namespace: string): Record<string, unknown> {
  if (!endpoints.basicAuthSecret) return {};
  return {
    auth: { type: "basic", usernameKey: "username", passwordKey: "password" },
    secret: { create: false, name: endpoints.basicAuthSecret, namespace },
  };
}

/**
 * Per mixin source: the job label the rules select and the metrics they read, on top of the
 * chart's default allow-list.
 */
function source(key: MixinSource): Record<string, unknown> {
  return {
    jobLabel: MIXIN_JOBS[key],
    metricsTuning: { includeMetrics: ["up", ...RULE_METRICS[key]] },
  };
}

/** Resource sizing per preset: a DaemonSet pod per node stays a size below the clustered ones. */
const SIZES: Readonly<Record<CollectorPreset, { perNode: string; clustered: string }>> = {
  small: { perNode: "small", clustered: "small" },
  large: { perNode: "medium", clustered: "large" },
};

/** k8s-monitoring 4.4.0 values for one cluster. */
export function collectorValues(args: CollectorValuesArgs): Record<string, unknown> {
  const { endpoints, namespace } = args;
  const size = SIZES[args.preset];
  const labels = { [ENVIRONMENT_LABEL]: args.environment };
  const replicas = args.highAvailability ? 2 : 1;
  return {
    cluster: { name: args.cluster },
    destinations: {
      [DEST.mimir]: {
        type: "prometheus",
        url: endpoints.metricsPushUrl,
        tenantId: args.tenant,
        extraLabels: labels,
        ...auth(endpoints, namespace),
        // The PrometheusRule objects of the cluster go to this tenant's ruler.
        rules: { enabled: true, address: endpoints.rulesUrl, collector: COLLECTORS.metrics },
      },
      [DEST.loki]: {
        type: "loki",
        url: endpoints.logsPushUrl,
        tenantId: args.tenant,
        extraLabels: labels,
        ...auth(endpoints, namespace),
      },
      [DEST.tempo]: {
        type: "otlp",
        protocol: endpoints.tracesProtocol,
        url: endpoints.tracesUrl,
        tenantId: args.tenant,
        extraResourceAttributes: { "deployment.environment.name": args.environment },
        metrics: { enabled: false },
        logs: { enabled: false },
        traces: { enabled: true },
        ...auth(endpoints, namespace),
        ...(endpoints.tracesProtocol === "grpc" && !endpoints.basicAuthSecret
          ? { tls: { insecure: true } }
          : {}),
      },
    },
    clusterMetrics: {
      enabled: true,
      collector: COLLECTORS.metrics,
      destinations: [DEST.mimir],
      kubelet: source("kubelet"),
      cadvisor: source("cadvisor"),
      "kube-state-metrics": source("kubeStateMetrics"),
      apiServer: { enabled: true, ...source("apiServer") },
    },
    hostMetrics: {
      enabled: true,
      collector: COLLECTORS.metrics,
      destinations: [DEST.mimir],
      linuxHosts: { enabled: true, ...source("nodeExporter") },
    },
    // The platform's own components (Mimir, Loki, Tempo, Grafana, KEDA, the collectors) publish
    // ServiceMonitors; anything else opts in with a ServiceMonitor or the scrape annotation.
    prometheusOperatorObjects: {
      enabled: true,
      collector: COLLECTORS.metrics,
      destinations: [DEST.mimir],
      serviceMonitors: {
        labelExpressions: [
          { key: "app", operator: "NotIn", values: [...ANNOTATION_SCRAPED_SERVICE_MONITORS] },
        ],
      },
    },
    annotationAutodiscovery: {
      enabled: true,
      collector: COLLECTORS.metrics,
      destinations: [DEST.mimir],
    },
    podLogsViaLoki: { enabled: true, collector: COLLECTORS.logs, destinations: [DEST.loki] },
    clusterEvents: { enabled: true, collector: COLLECTORS.events, destinations: [DEST.loki] },
    applicationObservability: {
      enabled: true,
      collector: COLLECTORS.receiver,
      destinations: [DEST.mimir, DEST.loki, DEST.tempo],
      receivers: { otlp: { grpc: { enabled: true }, http: { enabled: true } } },
    },
    // Each collector publishes its own metrics (the CollectorMetricsNotSent and
    // CollectorLogsDropped rules read them) through the Alloy chart's ServiceMonitor.
    collectors: {
      [COLLECTORS.metrics]: {
        presets: ["clustered", "statefulset", size.clustered],
        controller: { replicas },
        serviceMonitor: { enabled: true },
      },
      [COLLECTORS.logs]: {
        presets: ["filesystem-log-reader", "daemonset", size.perNode],
        controller: { tolerations: TOLERATE_EVERY_TAINT },
        serviceMonitor: { enabled: true },
      },
      [COLLECTORS.events]: { presets: ["singleton", "small"], serviceMonitor: { enabled: true } },
      [COLLECTORS.receiver]: {
        presets: ["deployment", size.clustered],
        controller: { replicas },
        serviceMonitor: { enabled: true },
      },
    },
    telemetryServices: {
      "kube-state-metrics": { deploy: true },
      "node-exporter": { deploy: true, tolerations: TOLERATE_EVERY_TAINT },
    },
  };
}
