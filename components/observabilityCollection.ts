/**
 * What makes the observability stack observe, on every cloud: the monitoring CRDs, the
 * collectors (k8s-monitoring), the default alert rules (PrometheusRule objects synced into
 * Mimir's ruler), the tenant's Alertmanager config, Grafana, KEDA for HPAs on Mimir queries, and
 * in central mode the authenticated write path for other platforms. observabilityStack calls it
 * after (local, central) or instead of (remote) the Mimir, Loki and Tempo releases. The private
 * endpoints (the write path, Grafana's private exposure) serve TLS from the platform's private CA.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { catalogFor } from "../providers/registry";
import { ChartKey, helmRelease, releaseLabel } from "./charts";
import type { ObservabilityArgs } from "./observability";
import { alertmanagerLoader } from "./observabilityAlerting";
import {
  CentralEndpoints,
  centralWritePath,
  gatewayNames,
  GATEWAY_NAME,
  readCentral,
  remoteAuthData,
  remoteEndpoints,
} from "./observabilityCentral";
import {
  COLLECTION_RELEASE,
  CollectorEndpoints,
  collectorValues,
  otlpEndpoints,
} from "./observabilityCollectors";
import {
  communityDashboards,
  GrafanaExposureValues,
  GRAFANA_RELEASE,
  grafanaValues,
} from "./observabilityGrafana";
import { DEFAULT_ALERT_GROUPS, prometheusRuleGroup } from "./observabilityRules";
import { ObservabilitySettings } from "./observabilitySettings";
import { OBSERVABILITY_NAMES, observabilityEndpoints } from "./observabilityValues";
import { contentDigest } from "./inputsHash";
import { endpointTls, PrivateCa, privateCa } from "./privateTls";
import { Scope } from "./types";

/**
 * Values merged over each signal's shared ones: self-monitoring, dashboards, tenancy. `cluster` is
 * the platform's cluster label: Mimir's ServiceMonitors set their own `cluster` label (the
 * release name unless told), which the collectors' external label does not override.
 */
export const signalOverlays = (
  cluster: string,
): Readonly<Record<string, Record<string, unknown>>> => ({
  [OBSERVABILITY_NAMES.mimir]: {
    metaMonitoring: {
      serviceMonitor: { enabled: true, clusterLabel: cluster },
      dashboards: { enabled: true },
    },
  },
  [OBSERVABILITY_NAMES.loki]: {
    monitoring: { serviceMonitor: { enabled: true }, dashboards: { enabled: true } },
  },
  // Tempo ignores X-Scope-OrgID unless multitenancy is on; Mimir and Loki have it on by default.
  // Its metrics generator writes each tenant's span metrics and service graph into the same
  // tenant of Mimir (remote_write_add_org_id_header, on by default): Grafana's service map and
  // trace-to-metrics links read them.
  [OBSERVABILITY_NAMES.tempo]: {
    multitenancyEnabled: true,
    metaMonitoring: { serviceMonitor: { enabled: true } },
    metricsGenerator: {
      enabled: true,
      config: {
        storage: {
          remote_write: [
            {
              url: `http://${OBSERVABILITY_NAMES.mimir}-gateway.${OBSERVABILITY_NAMES.namespace}.svc/api/v1/push`,
              send_exemplars: true,
            },
          ],
        },
      },
    },
    overrides: {
      defaults: { metrics_generator: { processors: ["service-graphs", "span-metrics"] } },
    },
  },
});

/** The charts every local or central observability layer installs beside Mimir, Loki and Tempo. */
export const OBSERVABILITY_USE_CHARTS: readonly ChartKey[] = [
  "prometheusOperatorCrds",
  "k8sMonitoring",
  "grafana",
  "keda",
];

export const KEDA_NAMESPACE = "keda";
/** Apps' ScaledObjects reference it in remote mode (the central write path's basic auth). */
export const KEDA_AUTH_NAME = "officeless-mimir";
const CENTRAL_AUTH_SECRET = "central-write-auth";
const GRAFANA_TLS_SECRET = "grafana-tls";

/**
 * TLS on every destination of a remote cluster's collectors. With the credential Secret external
 * (`secret.create: false`) k8s-monitoring reads `tls.ca`, `tls.cert` and `tls.key` from that
 * Secret's keys `ca`, `cert` and `key` (templates/destinations/_helpers.tpl) once a destination
 * has a `tls` block: the CA is in the Secret, the client pair empty (no client certificate).
 */
export function withDestinationTls(values: Record<string, unknown>): Record<string, unknown> {
  const destinations = values.destinations as Record<string, Record<string, unknown>>;
  return {
    ...values,
    destinations: Object.fromEntries(
      Object.entries(destinations).map(([name, d]) => [
        name,
        { ...d, tls: { ...(d.tls as object | undefined), insecureSkipVerify: false } },
      ]),
    ),
  };
}

export interface ObservabilityUseContext {
  readonly settings: ObservabilitySettings;
  readonly namespace: string;
  /** This platform's tenant id and cluster label. */
  readonly tenant: string;
  readonly highAvailability: boolean;
  /** The monitoring CRDs' release: everything that creates a monitoring.coreos.com object waits for it. */
  readonly crds: k8s.helm.v3.Release;
  /** Mimir's, Loki's and Tempo's releases (none in remote mode). */
  readonly signals: readonly k8s.helm.v3.Release[];
  /** Per-stack private load-balancer annotations the backend adds to the catalog's (a subnet id). */
  readonly loadBalancerAnnotations?: () => pulumi.Input<Record<string, string>>;
}

export interface ObservabilityUseOutputs {
  readonly releases: pulumi.Output<string>[];
  readonly otlpGrpcEndpoint: pulumi.Output<string>;
  readonly otlpHttpEndpoint: pulumi.Output<string>;
  readonly grafanaUrl: pulumi.Output<string>;
  readonly grafanaAdminPassword: pulumi.Output<string>;
  /** PEM of the CA of Grafana's certificate (private exposure), for browsers to trust; else empty. */
  readonly grafanaCaCertificate: pulumi.Output<string>;
  readonly autoscalingQueryUrl: pulumi.Output<string>;
  readonly central: pulumi.Output<CentralEndpoints | null>;
  /** Where metrics, logs and traces go (the central platform's in remote mode). */
  readonly remote?: {
    metricsUrl: pulumi.Output<string>;
    logsUrl: pulumi.Output<string>;
    tracesUrl: pulumi.Output<string>;
  };
}

export function observabilityUse(
  scope: Scope,
  args: ObservabilityArgs,
  ctx: ObservabilityUseContext,
): ObservabilityUseOutputs {
  const { settings, namespace, tenant } = ctx;
  const local = observabilityEndpoints(namespace);
  const mimirBase = `http://${OBSERVABILITY_NAMES.mimir}-gateway.${namespace}.svc`;
  const lokiBase = local.logsUrl;
  const afterCrds = { dependsOn: [ctx.crds] };
  const releases: pulumi.Output<string>[] = [releaseLabel(ctx.crds, "prometheusOperatorCrds")];
  // The platform's private CA, made only when an endpoint needs a certificate from it.
  let ca: PrivateCa | undefined;
  const platformCa = () => (ca ??= privateCa(scope, `${tenant} observability CA`));
  // The cloud's private load-balancer annotations, with the backend's per-stack ones (a subnet
  // id), looked up only when a private load balancer is made.
  let lbAnnotations: pulumi.Output<Record<string, string>> | undefined;
  const annotations = () =>
    (lbAnnotations ??= pulumi.output(ctx.loadBalancerAnnotations?.() ?? {}).apply((extra) => ({
      ...(catalogFor(args.cloud)?.privateLoadBalancerAnnotations ?? {}),
      ...extra,
    })));

  // Where this cluster's collectors write.
  let endpoints: pulumi.Output<CollectorEndpoints>;
  let authSecret: k8s.core.v1.Secret | undefined;
  let centralUrl: pulumi.Output<string> | undefined;
  let centralPassword: pulumi.Output<string> | undefined;
  let centralCa: pulumi.Output<string> | undefined;
  if (settings.mode === "remote") {
    const central = readCentral(settings.remoteStack!, scope.parent);
    centralUrl = pulumi.unsecret(central.apply((c) => c.url));
    centralCa = pulumi.unsecret(central.apply((c) => c.caCertificate));
    centralPassword = pulumi.secret(
      central.apply((c) => {
        const password = c.tenants[tenant];
        if (!password)
          throw new Error(
            `the central stack ${settings.remoteStack} has no credential for tenant "${tenant}": add it to its officeless:observability.central.tenants`,
          );
        return password;
      }),
    );
    authSecret = new k8s.core.v1.Secret(
      `${scope.name}-${CENTRAL_AUTH_SECRET}`,
      {
        metadata: { name: CENTRAL_AUTH_SECRET, namespace },
        stringData: pulumi
          .all([centralPassword, centralCa])
          .apply(([password, caPem]) => remoteAuthData(tenant, password, caPem)),
      },
      { parent: scope.parent, ...afterCrds },
    );
    endpoints = centralUrl.apply((url) => remoteEndpoints({ url }, CENTRAL_AUTH_SECRET));
  } else {
    endpoints = pulumi.output({
      metricsPushUrl: `${mimirBase}/api/v1/push`,
      rulesUrl: mimirBase,
      logsPushUrl: `${lokiBase}/loki/api/v1/push`,
      tracesUrl: `${OBSERVABILITY_NAMES.tempo}-distributor.${namespace}.svc:4317`,
      tracesProtocol: "grpc" as const,
    });
  }

  const collectors = helmRelease(
    scope,
    "collectors",
    {
      chart: "k8sMonitoring",
      namespace,
      releaseName: COLLECTION_RELEASE,
      // The cluster carries the platform's name (the kubernetes layer names it so), as does the tenant.
      values: endpoints.apply((e) => {
        const values = collectorValues({
          cluster: tenant,
          environment: args.environment,
          tenant,
          namespace,
          endpoints: e,
          preset: settings.preset,
          highAvailability: ctx.highAvailability,
        });
        return e.basicAuthSecret ? withDestinationTls(values) : values;
      }),
    },
    { dependsOn: [ctx.crds, ...ctx.signals, ...(authSecret ? [authSecret] : [])] },
  );
  releases.push(releaseLabel(collectors, "k8sMonitoring"));

  // The default rules, as PrometheusRule objects the collectors sync into this tenant's ruler.
  for (const group of DEFAULT_ALERT_GROUPS) {
    new k8s.apiextensions.CustomResource(
      `${scope.name}-rules-${group.name}`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: {
          name: `officeless-${group.name}`,
          namespace,
          labels: { "app.kubernetes.io/part-of": "officeless" },
        },
        spec: { groups: [prometheusRuleGroup(group)] },
      },
      { parent: scope.parent, ...afterCrds },
    );
  }

  alertmanagerLoader(scope, {
    namespace,
    receivers: settings.receivers,
    target: centralUrl
      ? {
          baseUrl: centralUrl,
          tenant,
          basicAuthSecret: CENTRAL_AUTH_SECRET,
          caSecret: { name: CENTRAL_AUTH_SECRET, key: "ca" },
        }
      : { baseUrl: mimirBase, tenant },
    dependsOn: [ctx.crds, ...ctx.signals, ...(authSecret ? [authSecret] : [])],
  });

  // Central mode: the remote tenants' write path.
  let central: pulumi.Output<CentralEndpoints | null> = pulumi.secret(pulumi.output(null));
  const tenants = [tenant, ...settings.remoteTenants];
  if (settings.mode === "central") {
    // Validation requires the hostname in central mode (observabilityIssues).
    const hostname = settings.centralHostname!;
    central = centralWritePath(scope, {
      namespace,
      tenants: settings.remoteTenants,
      annotations: annotations(),
      hostname,
      tls: endpointTls(
        platformCa,
        GATEWAY_NAME,
        gatewayNames(hostname, namespace),
        settings.centralTls,
      ),
      allowedCidrs: settings.centralAllowedCidrs,
      highAvailability: ctx.highAvailability,
      dependsOn: [ctx.crds, ...ctx.signals],
    });
  }

  // Grafana: this tenant's data sources, plus each remote tenant's on a central platform.
  let grafanaUrl = pulumi.output("");
  /** The CA of Grafana's certificate (private exposure); empty otherwise. */
  let grafanaCa: pulumi.Output<string> = pulumi.output("");
  let grafanaAdminPassword: pulumi.Output<string> = pulumi.secret(pulumi.output(""));
  if (settings.grafana.enabled) {
    const password = new random.RandomPassword(
      `${scope.name}-grafana-admin`,
      { length: 32, special: false },
      { parent: scope.parent },
    ).result;
    grafanaAdminPassword = pulumi.secret(password);
    const adminSecret = new k8s.core.v1.Secret(
      `${scope.name}-grafana-admin`,
      {
        metadata: { name: "grafana-admin", namespace },
        stringData: { "admin-user": "admin", "admin-password": grafanaAdminPassword },
      },
      { parent: scope.parent, ...afterCrds },
    );
    const oidc = settings.grafana.oidc;
    const oidcSecret = oidc
      ? new k8s.core.v1.Secret(
          `${scope.name}-grafana-oidc`,
          {
            metadata: { name: "grafana-oidc", namespace },
            stringData: { GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: pulumi.secret(oidc.clientSecret) },
          },
          { parent: scope.parent, ...afterCrds },
        )
      : undefined;
    // Loaded by Grafana's sidecar whenever it appears: no ordering needed.
    new k8s.core.v1.ConfigMap(`${scope.name}-grafana-dashboards`, communityDashboards(namespace), {
      parent: scope.parent,
      ...afterCrds,
    });
    // Private exposure: HTTPS from Grafana itself on the cloud's private load balancer.
    const rootUrl = settings.grafana.rootUrl;
    const exposed = settings.grafana.exposure === "private" && rootUrl !== undefined;
    const serviceHost = `${GRAFANA_RELEASE}.${namespace}.svc`;
    let exposure: pulumi.Output<GrafanaExposureValues | undefined> = pulumi.output(undefined);
    const tlsDeps: pulumi.Resource[] = [];
    if (exposed) {
      const tls = endpointTls(
        platformCa,
        GRAFANA_RELEASE,
        // localhost: `kubectl port-forward` to https://localhost:3000 matches too.
        [new URL(rootUrl).hostname, serviceHost, `${serviceHost}.cluster.local`, "localhost"],
        settings.grafana.tls,
      );
      tlsDeps.push(
        new k8s.core.v1.Secret(
          `${scope.name}-${GRAFANA_TLS_SECRET}`,
          {
            metadata: { name: GRAFANA_TLS_SECRET, namespace },
            type: "kubernetes.io/tls",
            stringData: {
              "tls.crt": tls.certificate,
              "tls.key": pulumi.secret(tls.privateKey),
              "ca.crt": tls.caCertificate,
            },
          },
          { parent: scope.parent, ...afterCrds },
        ),
      );
      exposure = pulumi.all([tls.certificate, annotations()]).apply(([cert, lb]) => ({
        annotations: lb,
        ...(settings.grafana.allowedCidrs ? { allowedCidrs: settings.grafana.allowedCidrs } : {}),
        tlsSecret: GRAFANA_TLS_SECRET,
        tlsDigest: contentDigest(cert),
      }));
      grafanaCa = tls.caCertificate;
    }
    const grafana = helmRelease(
      scope,
      "grafana",
      {
        chart: "grafana",
        namespace,
        releaseName: GRAFANA_RELEASE,
        // Its volume uses the default StorageClass: reading it makes the release wait for it.
        values: pulumi.all([exposure, args.storage.blockStorageClass]).apply(([e]) =>
          grafanaValues({
            ...(e ? { exposure: e } : {}),
            tenants,
            mimirUrl: local.metricsUrl,
            lokiUrl: lokiBase,
            tempoUrl: `http://${OBSERVABILITY_NAMES.tempo}-query-frontend.${namespace}.svc:3200`,
            adminSecret: "grafana-admin",
            ...(oidcSecret ? { oidcSecret: "grafana-oidc" } : {}),
            grafana: settings.grafana,
            preset: settings.preset,
          }),
        ),
      },
      {
        dependsOn: [
          adminSecret,
          ...(oidcSecret ? [oidcSecret] : []),
          ...tlsDeps,
          ...ctx.signals,
          ctx.crds,
        ],
      },
    );
    releases.push(releaseLabel(grafana, "grafana"));
    grafanaUrl = grafana.name.apply((n) => (exposed ? rootUrl : `http://${n}.${namespace}.svc`));
  }

  // KEDA: ScaledObjects query Mimir's Prometheus API for the tenant (see docs/observability.md).
  const queryUrl = centralUrl
    ? centralUrl.apply((u) => `${u}/prometheus`)
    : pulumi.output(local.metricsUrl);
  if (settings.autoscaling) {
    const keda = helmRelease(
      scope,
      "keda",
      { chart: "keda", namespace: KEDA_NAMESPACE, values: kedaValues(settings.preset === "large") },
      afterCrds,
    );
    releases.push(releaseLabel(keda, "keda"));
    if (centralPassword) {
      const kedaSecret = new k8s.core.v1.Secret(
        `${scope.name}-keda-mimir`,
        {
          metadata: { name: KEDA_AUTH_NAME, namespace: KEDA_NAMESPACE },
          stringData: { username: tenant, password: centralPassword, ca: centralCa! },
        },
        { parent: scope.parent, dependsOn: [keda] },
      );
      new k8s.apiextensions.CustomResource(
        `${scope.name}-keda-auth`,
        {
          apiVersion: "keda.sh/v1alpha1",
          kind: "ClusterTriggerAuthentication",
          metadata: { name: KEDA_AUTH_NAME },
          // `ca`: the prometheus scaler verifies the HTTPS central against it (KEDA's
          // authentication helpers read it whatever the authModes).
          spec: {
            secretTargetRef: ["username", "password", "ca"].map((key) => ({
              parameter: key,
              name: KEDA_AUTH_NAME,
              key,
            })),
          },
        },
        { parent: scope.parent, dependsOn: [keda, kedaSecret] },
      );
    }
  }

  const otlp = otlpEndpoints(namespace);
  const afterCollectors = (value: string) => collectors.name.apply(() => value);
  return {
    releases,
    otlpGrpcEndpoint: afterCollectors(otlp.grpc),
    otlpHttpEndpoint: afterCollectors(otlp.http),
    grafanaUrl,
    grafanaAdminPassword,
    grafanaCaCertificate: grafanaCa,
    autoscalingQueryUrl: queryUrl,
    central,
    ...(centralUrl
      ? {
          remote: {
            metricsUrl: centralUrl.apply((u) => `${u}/prometheus`),
            logsUrl: centralUrl,
            tracesUrl: centralUrl,
          },
        }
      : {}),
  };
}

/**
 * keda 2.20.2: its own metrics for the collectors, and the metrics API server on 8443, a port GKE
 * private clusters' control plane may call (DEFAULT_WEBHOOK_PORTS; its default 6443 is not).
 */
export function kedaValues(large: boolean): Record<string, unknown> {
  const size = large
    ? { requests: { cpu: "200m", memory: "256Mi" }, limits: { memory: "1000Mi" } }
    : { requests: { cpu: "50m", memory: "100Mi" }, limits: { memory: "500Mi" } };
  return {
    service: { portHttpsTarget: 8443 },
    resources: { operator: size, metricServer: size, webhooks: size },
    prometheus: {
      metricServer: { enabled: true, serviceMonitor: { enabled: true } },
      operator: { enabled: true, serviceMonitor: { enabled: true } },
    },
  };
}
