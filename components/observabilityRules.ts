/**
 * The default alert rules, as data: kubernetes-mixin style rules for workloads, resources,
 * storage, nodes and the control plane (after kube-prometheus v0.18.0's rendered
 * `manifests/*-prometheusRule.yaml`, which carry their runbook URLs), plus the platform's own
 * (Mimir, Loki, Tempo, the collectors, the cache). They become PrometheusRule objects that the collector's
 * `mimir.rules.kubernetes` syncs into Mimir's ruler for the tenant.
 *
 * The job-label catch: the mixin selects `job="kube-state-metrics"`, `job="kubelet"`, ... while
 * k8s-monitoring names its jobs `integrations/kubernetes/...`; the collector values set each
 * source's `jobLabel` to MIXIN_JOBS so these selectors match (tests/observability/rules.test.ts
 * checks every job a rule selects is one the collectors write, and every metric it reads is kept).
 */
import { AlertSeverity } from "./types";

/** The job label of each scraped source, as the kubernetes-mixin selects it. */
export const MIXIN_JOBS = {
  kubeStateMetrics: "kube-state-metrics",
  nodeExporter: "node-exporter",
  kubelet: "kubelet",
  cadvisor: "cadvisor",
  apiServer: "apiserver",
} as const;
export type MixinSource = keyof typeof MIXIN_JOBS;

/**
 * Job labels that components scraped through the annotation path set on their pods
 * (`k8s.grafana.com/job`); that path keeps every metric (no allow-list), so the rules below may
 * read any series of these jobs.
 */
export const ANNOTATION_JOBS = {
  /** The cache's redis_exporter (components/cacheExporter.ts; on-prem, Valkey's sidecar). */
  cache: "cache",
  /** Velero's server (components/velero.ts), where a backend backs up through it. */
  velero: "velero",
} as const;

/**
 * Metrics each source must keep for the rules below (k8s-monitoring filters every source to an
 * allow-list; these are added to it with `metricsTuning.includeMetrics`). `up` is always kept.
 */
export const RULE_METRICS: Readonly<Record<MixinSource, readonly string[]>> = {
  kubeStateMetrics: [
    "kube_pod_container_status_waiting_reason",
    "kube_pod_status_phase",
    "kube_pod_owner",
    "kube_deployment_spec_replicas",
    "kube_deployment_status_replicas_available",
    "kube_deployment_status_replicas_updated",
    "kube_statefulset_status_replicas",
    "kube_statefulset_status_replicas_ready",
    "kube_statefulset_status_replicas_updated",
    "kube_daemonset_status_desired_number_scheduled",
    "kube_daemonset_status_current_number_scheduled",
    "kube_job_failed",
    "kube_horizontalpodautoscaler_spec_max_replicas",
    "kube_horizontalpodautoscaler_status_current_replicas",
    "kube_persistentvolume_status_phase",
    "kube_node_info",
    "kube_node_status_condition",
    "kube_node_spec_taint",
  ],
  nodeExporter: [
    "node_filesystem_avail_bytes",
    "node_filesystem_size_bytes",
    "node_filesystem_readonly",
    "node_memory_MemAvailable_bytes",
    "node_memory_MemTotal_bytes",
    "node_nf_conntrack_entries",
    "node_nf_conntrack_entries_limit",
    "node_timex_sync_status",
    "node_timex_maxerror_seconds",
  ],
  kubelet: [
    "kubelet_volume_stats_available_bytes",
    "kubelet_volume_stats_capacity_bytes",
    "kubelet_volume_stats_used_bytes",
  ],
  cadvisor: ["container_cpu_cfs_throttled_periods_total", "container_cpu_cfs_periods_total"],
  apiServer: ["apiserver_request_total"],
};

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: AlertSeverity;
  readonly summary: string;
  readonly description: string;
  /** The kubernetes-mixin rules' runbooks; the platform's own rules explain themselves in `description`. */
  readonly runbook?: string;
}

export interface AlertGroup {
  /** The PrometheusRule object's name and the ruler's group name. */
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

const RUNBOOKS = "https://runbooks.prometheus-operator.dev/runbooks";
const ksm = `job="${MIXIN_JOBS.kubeStateMetrics}"`;
const node = `job="${MIXIN_JOBS.nodeExporter}"`;
const kubelet = `job="${MIXIN_JOBS.kubelet}"`;
const cadvisor = `job="${MIXIN_JOBS.cadvisor}"`;
const apiserver = `job="${MIXIN_JOBS.apiServer}"`;
const fs = `${node},fstype!="",mountpoint!=""`;
const cache = `job="${ANNOTATION_JOBS.cache}"`;
const velero = `job="${ANNOTATION_JOBS.velero}"`;

/** Where the platform's own components run. */
export const PLATFORM_NAMESPACE_MATCHER = 'namespace="observability"';
const platform = PLATFORM_NAMESPACE_MATCHER;

export const DEFAULT_ALERT_GROUPS: readonly AlertGroup[] = [
  {
    name: "kubernetes-apps",
    rules: [
      {
        alert: "KubePodCrashLooping",
        expr: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", ${ksm}}[5m]) >= 1`,
        for: "15m",
        severity: "warning",
        summary: "Pod is crash looping.",
        description:
          'Pod {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is in waiting state (reason: "CrashLoopBackOff").',
        runbook: `${RUNBOOKS}/kubernetes/kubepodcrashlooping`,
      },
      {
        alert: "KubePodNotReady",
        expr: `sum by (cluster, namespace, pod) (max by (cluster, namespace, pod) (kube_pod_status_phase{${ksm}, phase=~"Pending|Unknown|Failed"}) * on (cluster, namespace, pod) group_left (owner_kind) topk by (cluster, namespace, pod) (1, max by (cluster, namespace, pod, owner_kind) (kube_pod_owner{${ksm}, owner_kind!="Job"}))) > 0`,
        for: "15m",
        severity: "warning",
        summary: "Pod has been in a non-ready state for more than 15 minutes.",
        description:
          "Pod {{ $labels.namespace }}/{{ $labels.pod }} has been in a non-ready state for longer than 15 minutes.",
        runbook: `${RUNBOOKS}/kubernetes/kubepodnotready`,
      },
      {
        alert: "KubeDeploymentReplicasMismatch",
        expr: `(kube_deployment_spec_replicas{${ksm}} > kube_deployment_status_replicas_available{${ksm}}) and (changes(kube_deployment_status_replicas_updated{${ksm}}[10m]) == 0)`,
        for: "15m",
        severity: "warning",
        summary: "Deployment has not matched the expected number of replicas.",
        description:
          "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has not matched the expected number of replicas for longer than 15 minutes.",
        runbook: `${RUNBOOKS}/kubernetes/kubedeploymentreplicasmismatch`,
      },
      {
        alert: "KubeStatefulSetReplicasMismatch",
        expr: `(kube_statefulset_status_replicas_ready{${ksm}} != kube_statefulset_status_replicas{${ksm}}) and (changes(kube_statefulset_status_replicas_updated{${ksm}}[10m]) == 0)`,
        for: "15m",
        severity: "warning",
        summary: "StatefulSet has not matched the expected number of replicas.",
        description:
          "StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has not matched the expected number of replicas for longer than 15 minutes.",
        runbook: `${RUNBOOKS}/kubernetes/kubestatefulsetreplicasmismatch`,
      },
      {
        alert: "KubeDaemonSetNotScheduled",
        expr: `kube_daemonset_status_desired_number_scheduled{${ksm}} - kube_daemonset_status_current_number_scheduled{${ksm}} > 0`,
        for: "10m",
        severity: "warning",
        summary: "DaemonSet pods are not scheduled.",
        description:
          "{{ $value }} Pods of DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} are not scheduled.",
        runbook: `${RUNBOOKS}/kubernetes/kubedaemonsetnotscheduled`,
      },
      {
        alert: "KubeJobFailed",
        expr: `kube_job_failed{${ksm}} > 0`,
        for: "15m",
        severity: "warning",
        summary: "Job failed to complete.",
        description:
          "Job {{ $labels.namespace }}/{{ $labels.job_name }} failed to complete. Removing the failed job after investigation clears this alert.",
        runbook: `${RUNBOOKS}/kubernetes/kubejobfailed`,
      },
      {
        alert: "KubeHpaMaxedOut",
        expr: `kube_horizontalpodautoscaler_status_current_replicas{${ksm}} == kube_horizontalpodautoscaler_spec_max_replicas{${ksm}}`,
        for: "15m",
        severity: "warning",
        summary: "HPA is running at max replicas.",
        description:
          "HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has been running at max replicas for longer than 15 minutes.",
        runbook: `${RUNBOOKS}/kubernetes/kubehpamaxedout`,
      },
    ],
  },
  {
    name: "kubernetes-resources",
    rules: [
      {
        alert: "CPUThrottlingHigh",
        expr: `sum without (id, metrics_path, name, image, endpoint, job, node) (increase(container_cpu_cfs_throttled_periods_total{container!="", ${cadvisor}}[5m])) / sum without (id, metrics_path, name, image, endpoint, job, node) (increase(container_cpu_cfs_periods_total{${cadvisor}}[5m])) > (25 / 100)`,
        for: "15m",
        severity: "info",
        summary: "Processes experience elevated CPU throttling.",
        description:
          "{{ $value | humanizePercentage }} throttling of CPU in namespace {{ $labels.namespace }} for container {{ $labels.container }} in pod {{ $labels.pod }}.",
        runbook: `${RUNBOOKS}/kubernetes/cputhrottlinghigh`,
      },
    ],
  },
  {
    name: "kubernetes-storage",
    rules: [
      {
        alert: "KubePersistentVolumeFillingUp",
        expr: `(kubelet_volume_stats_available_bytes{${kubelet}} / kubelet_volume_stats_capacity_bytes{${kubelet}}) < 0.03 and kubelet_volume_stats_used_bytes{${kubelet}} > 0`,
        for: "1m",
        severity: "critical",
        summary: "PersistentVolume is filling up.",
        description:
          "The PersistentVolume claimed by {{ $labels.persistentvolumeclaim }} in namespace {{ $labels.namespace }} is only {{ $value | humanizePercentage }} free.",
        runbook: `${RUNBOOKS}/kubernetes/kubepersistentvolumefillingup`,
      },
      {
        alert: "KubePersistentVolumeFillingUp",
        expr: `(kubelet_volume_stats_available_bytes{${kubelet}} / kubelet_volume_stats_capacity_bytes{${kubelet}}) < 0.15 and kubelet_volume_stats_used_bytes{${kubelet}} > 0 and predict_linear(kubelet_volume_stats_available_bytes{${kubelet}}[6h], 4 * 24 * 3600) < 0`,
        for: "1h",
        severity: "warning",
        summary: "PersistentVolume is filling up.",
        description:
          "Based on recent sampling, the PersistentVolume claimed by {{ $labels.persistentvolumeclaim }} in namespace {{ $labels.namespace }} is expected to fill up within four days.",
        runbook: `${RUNBOOKS}/kubernetes/kubepersistentvolumefillingup`,
      },
      {
        alert: "KubePersistentVolumeErrors",
        expr: `kube_persistentvolume_status_phase{phase=~"Failed|Pending", ${ksm}} > 0`,
        for: "5m",
        severity: "critical",
        summary: "PersistentVolume is having issues with provisioning.",
        description:
          "The persistent volume {{ $labels.persistentvolume }} has status {{ $labels.phase }}.",
        runbook: `${RUNBOOKS}/kubernetes/kubepersistentvolumeerrors`,
      },
    ],
  },
  {
    name: "kubernetes-system",
    rules: [
      {
        alert: "KubeNodeNotReady",
        expr: `kube_node_status_condition{${ksm}, condition="Ready", status="true"} == 0`,
        for: "15m",
        severity: "warning",
        summary: "Node is not ready.",
        description: "{{ $labels.node }} has been unready for more than 15 minutes.",
        runbook: `${RUNBOOKS}/kubernetes/kubenodenotready`,
      },
      {
        alert: "KubeNodeUnreachable",
        expr: `(kube_node_spec_taint{${ksm}, key="node.kubernetes.io/unreachable", effect="NoSchedule"} unless ignoring (key, value) kube_node_spec_taint{${ksm}, key=~"ToBeDeletedByClusterAutoscaler|cloud.google.com/impending-node-termination|aws-node-termination-handler/spot-itn"}) == 1`,
        for: "15m",
        severity: "warning",
        summary: "Node is unreachable.",
        description: "{{ $labels.node }} is unreachable and some workloads may be rescheduled.",
        runbook: `${RUNBOOKS}/kubernetes/kubenodeunreachable`,
      },
      {
        alert: "KubeletDown",
        expr: `count by (cluster) (kube_node_info{${ksm}}) - count by (cluster) (up{${kubelet}} == 1) > 0`,
        for: "15m",
        severity: "critical",
        summary: "Target disappeared from Prometheus target discovery.",
        description: "Kubelet has disappeared from the collector's target discovery on some nodes.",
        runbook: `${RUNBOOKS}/kubernetes/kubeletdown`,
      },
      {
        alert: "KubeAPIErrorsHigh",
        expr: `sum by (cluster) (rate(apiserver_request_total{${apiserver}, code=~"5.."}[5m])) / sum by (cluster) (rate(apiserver_request_total{${apiserver}}[5m])) > 0.05`,
        for: "10m",
        severity: "critical",
        summary: "The API server returns errors for more than 5% of requests.",
        description:
          "The API server answers {{ $value | humanizePercentage }} of requests with a 5xx error.",
        runbook: `${RUNBOOKS}/kubernetes/kubeapierrorbudgetburn`,
      },
      {
        alert: "KubeAPIDown",
        expr: `absent(up{${apiserver}} == 1)`,
        for: "15m",
        severity: "critical",
        summary: "Target disappeared from Prometheus target discovery.",
        description: "The API server has disappeared from the collector's target discovery.",
        runbook: `${RUNBOOKS}/kubernetes/kubeapidown`,
      },
    ],
  },
  {
    name: "node-exporter",
    rules: [
      {
        alert: "NodeFilesystemSpaceFillingUp",
        expr: `(node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}} * 100 < 15 and predict_linear(node_filesystem_avail_bytes{${fs}}[6h], 24 * 60 * 60) < 0 and node_filesystem_readonly{${fs}} == 0)`,
        for: "1h",
        severity: "warning",
        summary: "Filesystem is predicted to run out of space within the next 24 hours.",
        description:
          'Filesystem on {{ $labels.device }}, mounted on {{ $labels.mountpoint }}, at {{ $labels.instance }} has only {{ printf "%.2f" $value }}% available space left and is filling up.',
        runbook: `${RUNBOOKS}/node/nodefilesystemspacefillingup`,
      },
      {
        alert: "NodeFilesystemAlmostOutOfSpace",
        expr: `(node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}} * 100 < 5 and node_filesystem_readonly{${fs}} == 0)`,
        for: "30m",
        severity: "critical",
        summary: "Filesystem has less than 5% space left.",
        description:
          'Filesystem on {{ $labels.device }}, mounted on {{ $labels.mountpoint }}, at {{ $labels.instance }} has only {{ printf "%.2f" $value }}% available space left.',
        runbook: `${RUNBOOKS}/node/nodefilesystemalmostoutofspace`,
      },
      {
        alert: "NodeMemoryHighUtilization",
        expr: `100 - (node_memory_MemAvailable_bytes{${node}} / node_memory_MemTotal_bytes{${node}} * 100) > 90`,
        for: "15m",
        severity: "warning",
        summary: "Host is running out of memory.",
        description:
          "Memory is filling up at {{ $labels.instance }}, has been above 90% for the last 15 minutes.",
        runbook: `${RUNBOOKS}/node/nodememoryhighutilization`,
      },
      {
        alert: "NodeHighNumberConntrackEntriesUsed",
        expr: `(node_nf_conntrack_entries{${node}} / node_nf_conntrack_entries_limit{${node}}) > 0.75`,
        for: "5m",
        severity: "warning",
        summary: "Number of conntrack entries is getting close to the limit.",
        description:
          "{{ $labels.instance }} {{ $value | humanizePercentage }} of conntrack entries are used.",
        runbook: `${RUNBOOKS}/node/nodehighnumberconntrackentriesused`,
      },
      {
        alert: "NodeClockNotSynchronising",
        expr: `min_over_time(node_timex_sync_status{${node}}[5m]) == 0 and node_timex_maxerror_seconds{${node}} >= 16`,
        for: "10m",
        severity: "warning",
        summary: "Clock not synchronising.",
        description:
          "Clock at {{ $labels.instance }} is not synchronising. Ensure NTP is configured on this host.",
        runbook: `${RUNBOOKS}/node/nodeclocknotsynchronising`,
      },
    ],
  },
  {
    name: "general",
    rules: [
      {
        alert: "TargetDown",
        expr: "100 * (count by (cluster, job, namespace, service) (up == 0) / count by (cluster, job, namespace, service) (up)) > 10",
        for: "10m",
        severity: "warning",
        summary: "One or more targets are unreachable.",
        description:
          '{{ printf "%.4g" $value }}% of the {{ $labels.job }}/{{ $labels.service }} targets in {{ $labels.namespace }} namespace are down.',
        runbook: `${RUNBOOKS}/general/targetdown`,
      },
      {
        alert: "Watchdog",
        expr: "vector(1)",
        for: "0s",
        severity: "info",
        summary:
          "An alert that should always be firing to certify that Alertmanager is working properly.",
        description:
          "This alert is always firing: the whole alerting pipeline works while it reaches a dead man's switch (route it with a receiver of severity info), and is silenced otherwise.",
        runbook: `${RUNBOOKS}/general/watchdog`,
      },
    ],
  },
  {
    name: "officeless-platform",
    rules: [
      {
        alert: "MimirIngesterUnhealthy",
        expr: `min by (cluster, namespace) (cortex_ring_members{state="Unhealthy", name="ingester", ${platform}}) > 0`,
        for: "15m",
        severity: "critical",
        summary: "Mimir has unhealthy ingesters.",
        description:
          "Mimir in {{ $labels.cluster }}/{{ $labels.namespace }} has {{ $value }} unhealthy ingester(s): writes lose their replication margin. Check the ingester pods and forget the dead ring members in the distributor's /ingester/ring page.",
      },
      {
        alert: "MimirRequestErrors",
        expr: `100 * sum by (cluster, namespace, job, route) (rate(cortex_request_duration_seconds_count{status_code=~"5..", route!~"ready|debug_pprof", ${platform}}[5m])) / sum by (cluster, namespace, job, route) (rate(cortex_request_duration_seconds_count{route!~"ready|debug_pprof", ${platform}}[5m])) > 1`,
        for: "15m",
        severity: "critical",
        summary: "Mimir answers more than 1% of requests with errors.",
        description:
          '{{ $labels.job }} {{ $labels.route }} is experiencing {{ printf "%.2f" $value }}% errors. Look at the component\'s logs in Loki (namespace observability).',
      },
      {
        alert: "MimirRulerFailedEvaluations",
        expr: `sum by (cluster, namespace, user) (rate(cortex_prometheus_rule_evaluation_failures_total{${platform}}[5m])) > 0`,
        for: "5m",
        severity: "warning",
        summary: "The Mimir ruler fails to evaluate rules.",
        description:
          "Tenant {{ $labels.user }}'s rules fail to evaluate: alerts of that tenant may not fire. The ruler's logs name the failing group.",
      },
      {
        alert: "MimirAlertmanagerNotificationsFailing",
        expr: `sum by (cluster, namespace, integration) (rate(cortex_alertmanager_notifications_failed_total{${platform}}[5m])) > 0`,
        for: "15m",
        severity: "critical",
        summary: "Alert notifications are not delivered.",
        description:
          "The {{ $labels.integration }} integration fails to deliver notifications: check the receiver's URL, key or SMTP relay (officeless:observability.alerting.receivers).",
      },
      {
        alert: "LokiRequestErrors",
        expr: `100 * sum by (cluster, namespace, job, route) (rate(loki_request_duration_seconds_count{status_code=~"5..", ${platform}}[5m])) / sum by (cluster, namespace, job, route) (rate(loki_request_duration_seconds_count{${platform}}[5m])) > 10`,
        for: "15m",
        severity: "critical",
        summary: "Loki answers more than 10% of requests with errors.",
        description:
          '{{ $labels.job }} {{ $labels.route }} is experiencing {{ printf "%.2f" $value }}% errors.',
      },
      {
        alert: "TempoDiscardedSpans",
        expr: `sum by (cluster, namespace, reason) (rate(tempo_discarded_spans_total{${platform}}[5m])) > 0`,
        for: "15m",
        severity: "warning",
        summary: "Tempo discards spans.",
        description:
          "Tempo discards spans ({{ $labels.reason }}): traces arrive incomplete. Rate limits per tenant are in Tempo's overrides.",
      },
      {
        alert: "CollectorMetricsNotSent",
        expr: "sum by (cluster, namespace, pod) (rate(prometheus_remote_storage_samples_failed_total[5m])) > 0",
        for: "15m",
        severity: "warning",
        summary: "A collector fails to send metrics to Mimir.",
        description:
          "Collector {{ $labels.namespace }}/{{ $labels.pod }} fails to write samples: check the Mimir write path (or the central platform's) and the tenant's credentials.",
      },
      {
        alert: "CollectorLogsDropped",
        expr: "sum by (cluster, namespace, pod) (rate(loki_write_dropped_entries_total[5m])) > 0",
        for: "15m",
        severity: "warning",
        summary: "A collector drops log lines.",
        description:
          "Collector {{ $labels.namespace }}/{{ $labels.pod }} drops log entries on their way to Loki.",
      },
    ],
  },
  {
    name: "officeless-cache",
    rules: [
      {
        alert: "CacheExporterDown",
        expr: `up{${cache}} == 0`,
        for: "10m",
        severity: "warning",
        summary: "The cache's exporter cannot be scraped.",
        description:
          "The collectors cannot scrape {{ $labels.namespace }}/{{ $labels.pod }}: the cache's metrics (and the alerts below) are blind. Check the exporter pod (namespace cache-metrics; on-prem, the Valkey pods' metrics container).",
      },
      {
        alert: "CacheDown",
        expr: `redis_up{${cache}} == 0`,
        for: "5m",
        severity: "critical",
        summary: "The cache does not answer its exporter.",
        description:
          "The exporter {{ $labels.pod }} cannot connect to or authenticate with the cache: applications likely cannot either. Its log names the error (DNS, TLS, NOAUTH, timeout); check the cache's state in the cloud console and its allow-list or security rule.",
      },
      {
        alert: "CacheMemoryNearLimit",
        expr: `redis_memory_used_bytes{${cache}} / (redis_memory_max_bytes{${cache}} > 0) > 0.9`,
        for: "15m",
        severity: "warning",
        summary: "The cache uses more than 90% of its memory limit.",
        description:
          "The cache behind {{ $labels.pod }} uses {{ $value | humanizePercentage }} of maxmemory: it will evict keys or refuse writes. Raise officeless:cache.size (or nodeType), or shorten key TTLs.",
      },
      {
        alert: "CacheEvictingKeys",
        expr: `sum by (cluster, namespace, pod) (rate(redis_evicted_keys_total{${cache}}[5m])) > 0`,
        for: "15m",
        severity: "warning",
        summary: "The cache evicts keys to make room.",
        description:
          "The cache behind {{ $labels.pod }} evicts {{ $value }} keys/s: it is full, and data applications expect may be gone. Raise officeless:cache.size or reduce what is stored.",
      },
      {
        alert: "CacheRejectedConnections",
        expr: `sum by (cluster, namespace, pod) (increase(redis_rejected_connections_total{${cache}}[5m])) > 0`,
        for: "5m",
        severity: "critical",
        summary: "The cache refuses client connections.",
        description:
          "The cache behind {{ $labels.pod }} refused {{ $value }} connections in 5 minutes (maxclients reached): clients fail. Look for a connection leak (connected clients in Grafana) or use connection pooling.",
      },
      {
        alert: "CacheRejectedCommands",
        expr: `sum by (cluster, namespace, pod) (rate(redis_errors_total{${cache}, err=~"OOM|NOAUTH|WRONGPASS"}[5m])) > 0`,
        for: "10m",
        severity: "warning",
        summary: "The cache answers commands with out-of-memory or authentication errors.",
        description:
          "The cache behind {{ $labels.pod }} returns {{ $labels.err }} errors: writes fail (OOM) or a client presents a wrong credential (NOAUTH, WRONGPASS).",
      },
    ],
  },
  {
    // Where Velero runs (on-prem, Volcengine, OCI with a fixed plugin): its own counters.
    name: "officeless-backup",
    rules: [
      {
        alert: "VeleroBackupFailed",
        expr: `sum by (cluster, schedule) (increase(velero_backup_failure_total{${velero}}[1d])) > 0`,
        for: "5m",
        severity: "critical",
        summary: "A scheduled Velero backup failed.",
        description:
          "Schedule {{ $labels.schedule }} had {{ $value }} failed backups in the last day: nothing of that run can be restored. `velero backup describe <name> --details` and `velero backup logs <name>` name the cause (storage location, credentials, an upload the store refused).",
      },
      {
        alert: "VeleroBackupPartiallyFailed",
        expr: `sum by (cluster, schedule) (increase(velero_backup_partial_failure_total{${velero}}[1d])) > 0`,
        for: "5m",
        severity: "warning",
        summary: "A scheduled Velero backup finished with errors.",
        description:
          "Schedule {{ $labels.schedule }} had {{ $value }} partially failed backups in the last day: some objects or volumes are missing from them. `velero backup describe <name> --details` lists which.",
      },
      {
        alert: "VeleroNoRecentBackup",
        expr: `time() - max by (cluster, schedule) (velero_backup_last_successful_timestamp{${velero}, schedule!=""}) > 8 * 86400`,
        for: "1h",
        severity: "critical",
        summary: "No Velero backup has succeeded for over a week.",
        description:
          "Schedule {{ $labels.schedule }}'s last successful backup is {{ $value | humanizeDuration }} old, longer than a weekly schedule allows: check that the schedule is not paused and that its backups complete.",
      },
    ],
  },
];

/** One PrometheusRule `spec.groups` entry, with the rule's labels and annotations. */
export function prometheusRuleGroup(group: AlertGroup): Record<string, unknown> {
  return {
    name: group.name,
    rules: group.rules.map((rule) => ({
      alert: rule.alert,
      expr: rule.expr,
      for: rule.for,
      labels: { severity: rule.severity },
      annotations: {
        summary: rule.summary,
        description: rule.description,
        ...(rule.runbook ? { runbook_url: rule.runbook } : {}),
      },
    })),
  };
}
