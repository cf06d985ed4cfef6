/**
 * Grafana (grafana-community chart 12.11.1): Mimir, Loki and Tempo data sources per tenant with
 * the trace <-> logs <-> metrics links, dashboards from the components' ConfigMaps and community
 * dashboards pinned to a commit, the admin credential from a generated Secret, OIDC by config.
 * Exposure by config: `none` keeps the Service ClusterIP (`kubectl port-forward`); `private` puts
 * it on the cloud's private L4 load balancer with Grafana itself serving HTTPS (`server.protocol
 * https`) on a certificate for rootUrl's host. TLS ends in Grafana rather than at an ingress
 * because the targets' ingress controllers take certificates in incompatible ways (the AWS ALB
 * only from ACM, GKE's Gateway, AKS app routing from Key Vault, OCI's and Alibaba's own
 * certificate services), while an L4 private load balancer and a Kubernetes Secret are the same
 * everywhere; it is also the write path's design (observabilityCentral.ts). No public option.
 */
import { CollectorPreset, GrafanaConfig } from "./types";
import { mergeValues } from "./mergeValues";
import { OBSERVABILITY_DEFAULTS } from "./observabilitySettings";

export interface GrafanaValuesArgs {
  readonly tenants: readonly string[];
  /** In-cluster query URLs. */
  readonly mimirUrl: string;
  readonly lokiUrl: string;
  readonly tempoUrl: string;
  /** Secret with `admin-user` and `admin-password`. */
  readonly adminSecret: string;
  /** Secret with `GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET`, when OIDC is on. */
  readonly oidcSecret?: string;
  readonly grafana: GrafanaConfig;
  readonly preset: CollectorPreset;
  /** `exposure: private`: the load balancer and the certificate Grafana serves. */
  readonly exposure?: GrafanaExposureValues;
}

export interface GrafanaExposureValues {
  /** The cloud's private load-balancer annotations. */
  readonly annotations: Readonly<Record<string, string>>;
  readonly allowedCidrs?: readonly string[];
  /** A kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt). */
  readonly tlsSecret: string;
  /** Digest of the certificate: a renewed one rolls the pod. */
  readonly tlsDigest: string;
}

/** Where the certificate is mounted in Grafana's container. */
export const GRAFANA_TLS_DIR = "/etc/grafana/tls";
const HEALTH = { path: "/api/health", port: "grafana", scheme: "HTTPS" };

/** The values that switch Grafana to HTTPS on a private load balancer. */
export function grafanaExposureValues(
  e: GrafanaExposureValues,
  rootUrl: string,
): Record<string, unknown> {
  return {
    service: {
      type: "LoadBalancer",
      port: 443,
      annotations: { ...e.annotations },
      ...(e.allowedCidrs ? { loadBalancerSourceRanges: [...e.allowedCidrs] } : {}),
    },
    // The chart's probes are plain HTTP; Grafana now answers HTTPS only.
    readinessProbe: { httpGet: HEALTH },
    livenessProbe: {
      httpGet: HEALTH,
      initialDelaySeconds: 60,
      timeoutSeconds: 30,
      failureThreshold: 10,
    },
    // The pair only, readable by Grafana's group (the chart's fsGroup 472) and nobody else.
    extraSecretMounts: [
      {
        name: "tls",
        mountPath: GRAFANA_TLS_DIR,
        secretName: e.tlsSecret,
        readOnly: true,
        defaultMode: 0o440,
        items: [
          { key: "tls.crt", path: "tls.crt" },
          { key: "tls.key", path: "tls.key" },
        ],
      },
    ],
    podAnnotations: { "officeless.io/tls-sha256": e.tlsDigest },
    // The collectors scrape it over HTTPS and verify the name browsers dial against the CA: a
    // user's own certificate names that host, not the in-cluster Service.
    serviceMonitor: {
      enabled: true,
      scheme: "https",
      tlsConfig: {
        serverName: new URL(rootUrl).hostname,
        ca: { secret: { name: e.tlsSecret, key: "ca.crt" } },
      },
    },
    "grafana.ini": {
      server: {
        protocol: "https",
        cert_file: `${GRAFANA_TLS_DIR}/tls.crt`,
        cert_key: `${GRAFANA_TLS_DIR}/tls.key`,
        domain: new URL(rootUrl).hostname,
        root_url: rootUrl,
      },
    },
  };
}

export const GRAFANA_RELEASE = "grafana";
/** Dashboard ConfigMaps carry this label (Mimir's and Loki's charts make theirs with it). */
export const DASHBOARD_LABEL = "grafana_dashboard";

/** Data-source uids of a tenant: links between the three refer to each other by uid. */
export function datasourceUids(tenant: string): { mimir: string; loki: string; tempo: string } {
  return { mimir: `mimir-${tenant}`, loki: `loki-${tenant}`, tempo: `tempo-${tenant}` };
}

const tenantHeader = (tenant: string) => ({
  jsonData: { httpHeaderName1: "X-Scope-OrgID" },
  secureJsonData: { httpHeaderValue1: tenant },
});

/** The three data sources of one tenant, linked both ways. */
export function tenantDatasources(
  tenant: string,
  urls: { mimir: string; loki: string; tempo: string },
  isDefault: boolean,
): Record<string, unknown>[] {
  const uid = datasourceUids(tenant);
  const header = tenantHeader(tenant);
  return [
    {
      name: `Mimir (${tenant})`,
      uid: uid.mimir,
      type: "prometheus",
      access: "proxy",
      url: urls.mimir,
      isDefault,
      jsonData: {
        ...header.jsonData,
        prometheusType: "Mimir",
        // Exemplars carry trace ids: a point on a latency graph opens its trace.
        exemplarTraceIdDestinations: [{ name: "trace_id", datasourceUid: uid.tempo }],
      },
      secureJsonData: header.secureJsonData,
    },
    {
      name: `Loki (${tenant})`,
      uid: uid.loki,
      type: "loki",
      access: "proxy",
      url: urls.loki,
      jsonData: {
        ...header.jsonData,
        // A trace id in a log line (or its structured metadata) links to the trace. `$$` is a
        // literal `$` in provisioning files.
        derivedFields: [
          {
            name: "TraceID",
            matcherRegex: '(?:trace_?id|traceID)[=:"]+(\\w+)',
            url: "$${__value.raw}",
            datasourceUid: uid.tempo,
          },
        ],
      },
      secureJsonData: header.secureJsonData,
    },
    {
      name: `Tempo (${tenant})`,
      uid: uid.tempo,
      type: "tempo",
      access: "proxy",
      url: urls.tempo,
      jsonData: {
        ...header.jsonData,
        tracesToLogsV2: {
          datasourceUid: uid.loki,
          filterByTraceID: true,
          spanStartTimeShift: "-5m",
          spanEndTimeShift: "5m",
          tags: [{ key: "k8s.namespace.name", value: "namespace" }],
        },
        tracesToMetrics: {
          datasourceUid: uid.mimir,
          // Tempo's span metrics carry the service as `service` (its default dimensions).
          tags: [{ key: "service.name", value: "service" }],
        },
        serviceMap: { datasourceUid: uid.mimir },
        nodeGraph: { enabled: true },
        lokiSearch: { datasourceUid: uid.loki },
      },
      secureJsonData: header.secureJsonData,
    },
  ];
}

/**
 * Community dashboards as files of their repositories pinned to a commit (the grafana.com ids
 * 15757-15760 and 1860 without a pinned revision would fetch revision 1). Grafana's dashboard
 * sidecar downloads each `<file>.url` entry of a labelled ConfigMap (kiwigrid/k8s-sidecar
 * `.url` keys) with retries, beside Grafana: an unreachable host leaves a dashboard missing, never
 * Grafana down (the chart's `dashboards` init container stops the pod on any failed download).
 * Their panels choose the data source through their own `datasource` variable.
 */
export const COMMUNITY_DASHBOARDS: Readonly<Record<string, string>> = {
  "k8s-views-global.json":
    "https://raw.githubusercontent.com/dotdc/grafana-dashboards-kubernetes/00845811de2d17064f3c54b9920369a6a298ad89/dashboards/k8s-views-global.json",
  "k8s-views-namespaces.json":
    "https://raw.githubusercontent.com/dotdc/grafana-dashboards-kubernetes/bfda0bdc44f877852f0fd3716c54283acaeb4f1d/dashboards/k8s-views-namespaces.json",
  "k8s-views-nodes.json":
    "https://raw.githubusercontent.com/dotdc/grafana-dashboards-kubernetes/1c6b39f65061a8e2395edb5dee5f4154d1d6e298/dashboards/k8s-views-nodes.json",
  "k8s-views-pods.json":
    "https://raw.githubusercontent.com/dotdc/grafana-dashboards-kubernetes/11f21122b092ba46f9c72ec977660d56f98b1b99/dashboards/k8s-views-pods.json",
  "node-exporter-full.json":
    "https://raw.githubusercontent.com/rfmoz/grafana-dashboards/cbb98458612984a1cc5360d1477157d159c27efd/prometheus/node-exporter-full.json",
};

/** The folder the community dashboards land in (the sidecar's folder annotation, relative). */
export const COMMUNITY_DASHBOARD_FOLDER = "Kubernetes";

/** The sidecar's folder annotation (the Mimir chart's dashboards use the same). */
export const DASHBOARD_FOLDER_ANNOTATION = "k8s-sidecar-target-directory";

/** The labelled ConfigMap's metadata and data: one `<file>.url` key per community dashboard. */
export function communityDashboards(namespace: string): {
  metadata: Record<string, unknown>;
  data: Record<string, string>;
} {
  return {
    metadata: {
      name: "grafana-community-dashboards",
      namespace,
      labels: { [DASHBOARD_LABEL]: "1" },
      annotations: { [DASHBOARD_FOLDER_ANNOTATION]: COMMUNITY_DASHBOARD_FOLDER },
    },
    data: Object.fromEntries(
      Object.entries(COMMUNITY_DASHBOARDS).map(([file, url]) => [`${file}.url`, url]),
    ),
  };
}

const RESOURCES: Readonly<Record<CollectorPreset, Record<string, unknown>>> = {
  small: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
  large: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
};

/** grafana 12.11.1 values. */
export function grafanaValues(args: GrafanaValuesArgs): Record<string, unknown> {
  const urls = { mimir: args.mimirUrl, loki: args.lokiUrl, tempo: args.tempoUrl };
  const oidc = args.grafana.oidc;
  const defaultTenant = args.tenants[0];
  const base: Record<string, unknown> = {
    admin: {
      existingSecret: args.adminSecret,
      userKey: "admin-user",
      passwordKey: "admin-password",
    },
    resources: RESOURCES[args.preset],
    // Its database (users signed in by OIDC, their preferences, dashboards made in the UI) on the
    // default StorageClass; one replica on a ReadWriteOnce volume restarts with Recreate.
    persistence: { enabled: true, size: "10Gi" },
    deploymentStrategy: { type: "Recreate" },
    serviceMonitor: { enabled: true },
    service: { type: "ClusterIP" },
    datasources: {
      "datasources.yaml": {
        apiVersion: 1,
        datasources: args.tenants.flatMap((tenant) =>
          tenantDatasources(tenant, urls, tenant === defaultTenant),
        ),
      },
    },
    sidecar: {
      dashboards: {
        enabled: true,
        label: DASHBOARD_LABEL,
        searchNamespace: "ALL",
        // Mimir's chart puts its dashboards in a folder named by this annotation.
        folderAnnotation: DASHBOARD_FOLDER_ANNOTATION,
        provider: { foldersFromFilesStructure: true },
        // No reload call: with it the chart hands the sidecar Grafana's admin credential, which
        // its HTTP client then sends with every request, the `.url` dashboard downloads from
        // GitHub included. Grafana's file provider rescans the folder by itself.
        skipReload: true,
      },
    },
    ...(oidc && args.oidcSecret ? { envFromSecrets: [{ name: args.oidcSecret }] } : {}),
    "grafana.ini": {
      server: args.grafana.rootUrl ? { root_url: args.grafana.rootUrl } : {},
      analytics: { reporting_enabled: false, check_for_updates: false },
      users: { allow_sign_up: false },
      ...(oidc
        ? {
            "auth.generic_oauth": {
              enabled: true,
              name: "OIDC",
              client_id: oidc.clientId,
              // The secret comes from GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET (envFromSecrets).
              scopes: oidc.scopes ?? OBSERVABILITY_DEFAULTS.oidcScopes,
              auth_url: oidc.authUrl,
              token_url: oidc.tokenUrl,
              api_url: oidc.apiUrl,
              use_pkce: true,
              allow_sign_up: true,
              ...(oidc.roleAttributePath
                ? { role_attribute_path: oidc.roleAttributePath, role_attribute_strict: true }
                : {}),
            },
          }
        : {}),
    },
  };
  return args.exposure && args.grafana.rootUrl
    ? mergeValues(base, grafanaExposureValues(args.exposure, args.grafana.rootUrl))
    : base;
}
