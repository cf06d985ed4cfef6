/**
 * Cloud-agnostic Helm values for the observability stack: Mimir (metrics), Loki (logs) and Tempo
 * (traces) on object storage. Pure functions of a storage descriptor, a retention and an HA flag,
 * so every cloud backend reuses them and adds only its identity wiring (roles, service accounts).
 * Every key used here exists in the pinned charts' values (tests/helmValues.test.ts walks them).
 */

/** Where one signal keeps its data. The backend resolves names and endpoints before calling in. */
export type ObjectStorage =
  | {
      readonly kind: "s3";
      readonly bucket: string;
      readonly region: string;
      /** S3 API host (no scheme), e.g. `s3.eu-west-1.amazonaws.com` or an S3-compatible store's host. */
      readonly endpoint: string;
      /** Path-style addressing, for S3-compatible stores that lack virtual-hosted buckets. @default false */
      readonly forcePathStyle?: boolean;
      /**
       * The store serves virtual-hosted buckets only (Volcengine TOS). Mimir's and Tempo's S3 client
       * (minio-go) in its default `auto` lookup picks path style for any host but AWS's and
       * Google's, so they are told to use virtual-hosted style; Loki's (the AWS SDK) already does
       * when `forcePathStyle` is off. @default false: each client's default lookup
       */
      readonly virtualHostedOnly?: boolean;
      /**
       * Plain HTTP to the endpoint: only for a store inside the cluster network (Ceph RGW behind
       * its ClusterIP Service, on-prem). @default false: TLS
       */
      readonly insecure?: boolean;
    }
  | { readonly kind: "gcs"; readonly bucket: string }
  | {
      readonly kind: "azure";
      readonly storageAccount: string;
      readonly container: string;
      /** Blob endpoint suffix for sovereign clouds, e.g. `blob.core.chinacloudapi.cn`. @default each tool's public-cloud default */
      readonly endpointSuffix?: string;
    };

export interface SignalValuesArgs {
  readonly storage: ObjectStorage;
  /** Days the signal is kept; at least 1. */
  readonly retentionDays: number;
  /** The chart's service account; the cloud identity (Pod Identity, workload identity) binds to it. */
  readonly serviceAccountName: string;
  /** Replicated, zone-spread components (prod); otherwise the smallest sound footprint. */
  readonly highAvailability: boolean;
  /**
   * The stack's real zones (`topology.kubernetes.io/zone` values), in order. In HA the zone-aware
   * StatefulSets pin their logical zones a, b and c to the first three, so a write quorum never
   * sits in one real zone. At least three when `highAvailability`.
   */
  readonly zones: readonly string[];
}

/** The Kubernetes well-known label every cloud's nodes carry with their zone. */
export const ZONE_LABEL = "topology.kubernetes.io/zone";

/** Logical zones of the zone-aware charts, in the order the charts name them. */
const LOGICAL_ZONES = ["zone-a", "zone-b", "zone-c"] as const;

/**
 * The first three real zones, one per logical zone. Fewer than three cannot hold a quorum of
 * three replicas apart, so HA refuses them here as well as at config validation.
 */
export function pinnedZones(zones: readonly string[]): readonly string[] {
  if (zones.length < LOGICAL_ZONES.length) {
    throw new Error(
      `zone-aware replication needs at least ${LOGICAL_ZONES.length} zones; got ${JSON.stringify(zones)}`,
    );
  }
  return zones.slice(0, LOGICAL_ZONES.length);
}

/**
 * mimir-distributed's `zoneAwareReplication.zones` list (ingester, store-gateway): each logical
 * zone selects nodes of one real zone. A list replaces the chart's default whole, so every key of
 * the default items is restated with its default.
 */
function mimirZones(zones: readonly string[]): Record<string, unknown>[] {
  return pinnedZones(zones).map((zone, i) => ({
    name: LOGICAL_ZONES[i],
    nodeSelector: { [ZONE_LABEL]: zone },
    extraAffinity: {},
    noDownscale: false,
    prepareDownscale: true,
  }));
}

/** Stable release and resource names: the in-cluster URLs below derive from them. */
export const OBSERVABILITY_NAMES = {
  namespace: "observability",
  mimir: "mimir",
  loki: "loki",
  tempo: "tempo",
} as const;

/** In-cluster URLs of the stack in a namespace (fullnameOverride pins the service names). */
export function observabilityEndpoints(namespace: string): {
  metricsUrl: string;
  logsUrl: string;
  tracesUrl: string;
} {
  return {
    // mimir-distributed 6.x names its nginx gateway `<fullname>-gateway` (port 80); /prometheus is the query and push API.
    metricsUrl: `http://${OBSERVABILITY_NAMES.mimir}-gateway.${namespace}.svc/prometheus`,
    // The loki chart's gateway `<fullname>-gateway` (port 80) fronts push (/loki/api/v1/push) and query.
    logsUrl: `http://${OBSERVABILITY_NAMES.loki}-gateway.${namespace}.svc`,
    // OTLP over HTTP on the distributor; gRPC listens on 4317 beside it.
    tracesUrl: `http://${OBSERVABILITY_NAMES.tempo}-distributor.${namespace}.svc:4318`,
  };
}

/** Days as a Go/Prometheus duration in hours (`30` -> `720h`), a form Mimir, Loki and Tempo all parse. */
export function retentionPeriod(days: number): string {
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(
      `observability.retentionDays must be a whole number of days, at least 1; got ${days}`,
    );
  }
  return `${days * 24}h`;
}

/** Mimir's object storage block (`common.storage`); blocks, ruler and alertmanager share it by prefix. */
function mimirStorage(storage: ObjectStorage): Record<string, unknown> {
  switch (storage.kind) {
    case "s3":
      return {
        backend: "s3",
        s3: {
          bucket_name: storage.bucket,
          endpoint: storage.endpoint,
          region: storage.region,
          ...(storage.forcePathStyle ? { bucket_lookup_type: "path" } : {}),
          ...(storage.virtualHostedOnly ? { bucket_lookup_type: "virtual-hosted" } : {}),
          ...(storage.insecure ? { insecure: true } : {}),
        },
      };
    case "gcs":
      return { backend: "gcs", gcs: { bucket_name: storage.bucket } };
    case "azure":
      return {
        backend: "azure",
        azure: {
          // Mimir's key is account_name (Tempo's is storage_account_name).
          account_name: storage.storageAccount,
          container_name: storage.container,
          ...(storage.endpointSuffix ? { endpoint_suffix: storage.endpointSuffix } : {}),
        },
      };
  }
}

/**
 * mimir-distributed 6.1.0 in the classic (ingester) architecture: the chart's
 * `classic-architecture.yaml` turns Kafka off (`kafka.enabled`), disables ingest storage and lets
 * distributors push to ingesters again. Its nulls (reset to Mimir's defaults) are written as the
 * defaults themselves, because Pulumi drops null Helm values (pulumi/pulumi-kubernetes#2034).
 */
/**
 * Per-tenant ingestion limits. Mimir's defaults (150k series, 10k samples/s) are sized for a
 * trial: one cluster's kubelet, cAdvisor, kube-state-metrics and node-exporter series, the
 * components' own ServiceMonitors and Tempo's span metrics pass them on a production cluster, and
 * series beyond a limit are refused (the CollectorMetricsNotSent alert fires). Every tenant gets
 * the same (a central platform's remote tenants included).
 */
export function tenantLimits(highAvailability: boolean): Record<string, number> {
  return highAvailability
    ? {
        max_global_series_per_user: 3_000_000,
        ingestion_rate: 300_000,
        ingestion_burst_size: 3_000_000,
      }
    : {
        max_global_series_per_user: 500_000,
        ingestion_rate: 50_000,
        ingestion_burst_size: 500_000,
      };
}

export function mimirValues(args: SignalValuesArgs): Record<string, unknown> {
  const ha = args.highAvailability;
  // Logical zones pinned to real ones; the host anti-affinity keeps two zones off one node too.
  const zoneAware = (enabled: boolean) =>
    enabled
      ? { enabled: true, topologyKey: "kubernetes.io/hostname", zones: mimirZones(args.zones) }
      : { enabled: false };
  return {
    fullnameOverride: OBSERVABILITY_NAMES.mimir,
    serviceAccount: { create: true, name: args.serviceAccountName },
    kafka: { enabled: false },
    minio: { enabled: false },
    // The rollout operator coordinates zone-by-zone restarts; without zones it has nothing to do.
    // It watches every StatefulSet of the namespace with a `rollout-group` label, so it rolls
    // Loki's zone-aware ingesters too (their group is prefixed `loki-`, see lokiValues).
    rollout_operator: { enabled: ha },
    mimir: {
      structuredConfig: {
        ingest_storage: { enabled: false },
        ingester: { push_grpc_method_enabled: true },
        distributor: { remote_timeout: "2s" },
        common: { storage: mimirStorage(args.storage) },
        // One bucket per signal: each store keeps its own prefix, as Mimir requires for a shared bucket.
        blocks_storage: { storage_prefix: "blocks" },
        ruler_storage: { storage_prefix: "ruler" },
        alertmanager_storage: { storage_prefix: "alertmanager" },
        limits: {
          compactor_blocks_retention_period: retentionPeriod(args.retentionDays),
          ...tenantLimits(ha),
        },
      },
    },
    // Classic writes replicate 3 ways across zones: one zone lost keeps every series.
    ingester: { zoneAwareReplication: { ...zoneAware(ha), autoIngestStorageClientRack: false } },
    store_gateway: { zoneAwareReplication: zoneAware(ha) },
    distributor: { replicas: ha ? 3 : 1 },
    querier: { replicas: ha ? 3 : 1 },
    query_frontend: { replicas: ha ? 2 : 1 },
    gateway: { replicas: ha ? 2 : 1 },
  };
}

/** Loki's `loki.storage` block for a signal bucket (chunks and rules share it). */
function lokiStorage(storage: ObjectStorage): Record<string, unknown> {
  switch (storage.kind) {
    case "s3":
      return {
        type: "s3",
        bucketNames: { chunks: storage.bucket, ruler: storage.bucket },
        s3: {
          region: storage.region,
          endpoint: storage.endpoint,
          s3ForcePathStyle: storage.forcePathStyle ?? false,
          ...(storage.insecure ? { insecure: true } : {}),
        },
      };
    case "gcs":
      return { type: "gcs", bucketNames: { chunks: storage.bucket, ruler: storage.bucket } };
    case "azure":
      return {
        type: "azure",
        bucketNames: { chunks: storage.container, ruler: storage.container },
        azure: {
          accountName: storage.storageAccount,
          useFederatedToken: true,
          ...(storage.endpointSuffix ? { endpointSuffix: storage.endpointSuffix } : {}),
        },
      };
  }
}

/** loki's `ingester.zoneAwareReplication.zoneA|B|C`: each logical zone selects one real zone. */
function lokiZones(zones: readonly string[]): Record<string, unknown> {
  const keys = ["zoneA", "zoneB", "zoneC"];
  return Object.fromEntries(
    pinnedZones(zones).map((zone, i) => [keys[i], { nodeSelector: { [ZONE_LABEL]: zone } }]),
  );
}

/**
 * loki 18.11.0 (grafana-community): Distributed with zone-aware ingesters in HA, Monolithic (one
 * replica, replication factor 1) otherwise; TSDB v13 schema; compactor-driven retention.
 */
export function lokiValues(args: SignalValuesArgs): Record<string, unknown> {
  const ha = args.highAvailability;
  const distributed = ha ? 2 : 0;
  return {
    fullnameOverride: OBSERVABILITY_NAMES.loki,
    deploymentMode: ha ? "Distributed" : "Monolithic",
    serviceAccount: { create: true, name: args.serviceAccountName },
    minio: { enabled: false },
    loki: {
      schemaConfig: {
        configs: [
          {
            from: "2024-04-01",
            store: "tsdb",
            object_store: args.storage.kind,
            schema: "v13",
            index: { prefix: "loki_index_", period: "24h" },
          },
        ],
      },
      storage: lokiStorage(args.storage),
      commonConfig: { replication_factor: ha ? 3 : 1 },
      limits_config: { retention_period: retentionPeriod(args.retentionDays) },
      // Retention is applied by the compactor; deletes are recorded in the same object store.
      compactor: { retention_enabled: true, delete_request_store: args.storage.kind },
    },
    singleBinary: { replicas: ha ? 0 : 1 },
    // The chart's Simple Scalable targets default to 3 replicas; they would clash with either mode.
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    ingester: ha
      ? {
          replicas: 3,
          zoneAwareReplication: { enabled: true, ...lokiZones(args.zones) },
          // Zone by zone: Mimir's rollout operator (same namespace) restarts one zone's pods at a
          // time, which it does only for StatefulSets that leave updates to it (OnDelete). The
          // prefixes keep Loki's group and pod names apart from Mimir's ingesters.
          updateStrategy: { type: "OnDelete" },
          rolloutGroupPrefix: OBSERVABILITY_NAMES.loki,
          addIngesterNamePrefix: true,
        }
      : { replicas: 0, zoneAwareReplication: { enabled: false } },
    distributor: { replicas: distributed },
    querier: { replicas: distributed },
    queryFrontend: { replicas: distributed },
    queryScheduler: { replicas: distributed },
    indexGateway: { replicas: distributed },
    compactor: { replicas: ha ? 1 : 0 },
    gateway: { replicas: ha ? 2 : 1 },
    // The chunks cache reserves 8 GiB of memcached by default: worth it only at production volume.
    chunksCache: { enabled: ha },
  };
}

/** Tempo's `storage.trace` block: the backend plus its settings, rendered into the config by the chart. */
function tempoStorage(storage: ObjectStorage): Record<string, unknown> {
  switch (storage.kind) {
    case "s3":
      return {
        backend: "s3",
        s3: {
          bucket: storage.bucket,
          endpoint: storage.endpoint,
          region: storage.region,
          ...(storage.forcePathStyle ? { forcepathstyle: true } : {}),
          // minio-go's BucketLookupDNS (tempodb/backend/s3/config.go `bucket_lookup_type`, an int).
          ...(storage.virtualHostedOnly ? { bucket_lookup_type: 1 } : {}),
          ...(storage.insecure ? { insecure: true } : {}),
        },
      };
    case "gcs":
      return { backend: "gcs", gcs: { bucket_name: storage.bucket } };
    case "azure":
      return {
        backend: "azure",
        azure: {
          container_name: storage.container,
          storage_account_name: storage.storageAccount,
          ...(storage.endpointSuffix ? { endpoint_suffix: storage.endpointSuffix } : {}),
          use_federated_token: true,
        },
      };
  }
}

/**
 * tempo-distributed 2.26.2 (the last line with the ingester path, no Kafka): OTLP receivers on,
 * compactor retention, replicated distributors and queriers in HA (ingesters replicate 3 ways by default).
 */
export function tempoValues(args: SignalValuesArgs): Record<string, unknown> {
  const ha = args.highAvailability;
  return {
    fullnameOverride: OBSERVABILITY_NAMES.tempo,
    serviceAccount: { create: true, name: args.serviceAccountName },
    storage: { trace: tempoStorage(args.storage) },
    traces: { otlp: { grpc: { enabled: true }, http: { enabled: true } } },
    compactor: { config: { compaction: { block_retention: retentionPeriod(args.retentionDays) } } },
    ingester: {
      replicas: 3,
      // Tempo's zone-aware ingesters would join Mimir's `ingester` rollout group (the chart has no
      // prefix), so HA keeps one StatefulSet and makes the chart's soft zone spread hard: the
      // three replicas of every trace sit in three real zones (pinnedZones checks there are three).
      ...(ha ? { topologySpreadConstraints: tempoZoneSpread(args.zones) } : {}),
    },
    distributor: { replicas: ha ? 2 : 1 },
    querier: { replicas: ha ? 2 : 1 },
    queryFrontend: { replicas: ha ? 2 : 1 },
  };
}

/** The chart's own ingester spread (a `tpl` string), with DoNotSchedule instead of ScheduleAnyway. */
function tempoZoneSpread(zones: readonly string[]): string {
  pinnedZones(zones);
  return [
    "- maxSkew: 1",
    `  topologyKey: ${ZONE_LABEL}`,
    "  whenUnsatisfiable: DoNotSchedule",
    "  labelSelector:",
    "    matchLabels:",
    '      {{- include "tempo.selectorLabels" (dict "ctx" . "component" "ingester") | nindent 6 }}',
    "",
  ].join("\n");
}
