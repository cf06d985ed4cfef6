/**
 * The observability layer every cloud builds the same way: Mimir, Loki and Tempo in one namespace,
 * each a pinned Helm release of the shared values (observabilityValues.ts) over the signal's own
 * bucket, exported as in-cluster URLs that wait for the releases. A backend supplies only its cloud
 * identity wiring and storage descriptor, one signal at a time, through `observabilityStack`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { nodeZoneLabels } from "../providers/backend";
import { catalogFor } from "../providers/registry";
import { ChartKey, helmRelease, releaseLabel } from "./charts";
import type { ObservabilityArgs, ObservabilityOutputs } from "./observability";
import {
  lokiValues,
  mimirValues,
  OBSERVABILITY_NAMES,
  ObjectStorage,
  observabilityEndpoints,
  retentionPeriod,
  SignalValuesArgs,
  tempoValues,
} from "./observabilityValues";
import type { BucketPurpose } from "./storage";
import { observabilityUse, signalOverlays } from "./observabilityCollection";
import { observabilityIssues } from "./observabilityIssues";
import { observabilitySettings } from "./observabilitySettings";
import { mergeValues } from "./mergeValues";
import { ObservabilitySignalKind, Scope } from "./types";
import { Issue, ValidationError } from "./validation";

export interface ObservabilitySignal {
  /** Child names, the release and the chart's service account. */
  readonly name: string;
  readonly chart: ChartKey;
  /** The storage layer's bucket (a container on Azure) the signal keeps its data in. */
  readonly bucket: BucketPurpose;
  readonly values: (args: SignalValuesArgs) => Record<string, unknown>;
}

/** The three signals, in release order (the `releases` output follows it). */
export const OBSERVABILITY_SIGNALS: readonly ObservabilitySignal[] = [
  { name: OBSERVABILITY_NAMES.mimir, chart: "mimir", bucket: "metrics", values: mimirValues },
  { name: OBSERVABILITY_NAMES.loki, chart: "loki", bucket: "logs", values: lokiValues },
  { name: OBSERVABILITY_NAMES.tempo, chart: "tempo", bucket: "traces", values: tempoValues },
];

/** What a backend is handed for one signal. */
export interface SignalContext {
  readonly signal: ObservabilitySignal;
  readonly namespace: string;
  /** The storage layer's entry for the signal's bucket: a bucket name, or a container's ARM id on Azure. */
  readonly bucket: pulumi.Output<string>;
}

/** What a backend wires for one signal: its storage and the cloud identity the chart runs as. */
export interface SignalWiring {
  /** Where the signal keeps its data, as the shared values builders take it. */
  readonly storage: pulumi.Output<ObjectStorage>;
  /**
   * Values deep-merged over the shared ones (service-account annotations, pod labels).
   * @default nothing: the shared values as they are
   */
  readonly identityValues?: pulumi.Output<Record<string, unknown>>;
  /** What must exist before the release's pods start (identity bindings, grants). */
  readonly dependsOn: pulumi.Resource[];
  /**
   * Static S3 keys, for S3-compatible stores the tools cannot reach with a keyless cloud identity
   * (OSS, OCI, OBS, TOS, Ceph RGW). Kept in a Kubernetes Secret and handed to the pods as
   * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: with no keys in their config, Mimir's, Loki's and
   * Tempo's S3 clients read these first, so the keys never sit in the rendered (ConfigMap) config.
   * @default none: the cloud identity of `identityValues`
   */
  readonly credentials?: pulumi.Output<S3Credentials>;
}

/** What a backend adds beyond its signals' wiring. */
export interface ObservabilityStackOptions {
  /**
   * Private load-balancer annotations that need this stack's ids (a subnet), merged over the
   * catalog's `privateLoadBalancerAnnotations`; called only when the layer makes a private load
   * balancer (central mode, Grafana's private exposure). @default none
   */
  readonly privateLoadBalancerAnnotations?: () => pulumi.Input<Record<string, string>>;
}

/** An access key pair of an S3-compatible store. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Where each chart takes environment sources for all its pods. */
const ENV_FROM_KEY: Readonly<Record<string, "global" | "defaults">> = {
  [OBSERVABILITY_NAMES.mimir]: "global",
  // loki 18.x deprecates global.extraEnvFrom for defaults.extraEnvFrom.
  [OBSERVABILITY_NAMES.loki]: "defaults",
  [OBSERVABILITY_NAMES.tempo]: "global",
};

/** The Secret holding a signal's S3 keys. */
export function credentialsSecretName(signal: string): string {
  return `${signal}-object-store`;
}

/** Values that give every pod of a signal's chart its S3 keys from the Secret. */
export function credentialsValues(signal: string): Record<string, unknown> {
  return {
    [ENV_FROM_KEY[signal]]: {
      extraEnvFrom: [{ secretRef: { name: credentialsSecretName(signal) } }],
    },
  };
}

export { mergeValues } from "./mergeValues";

/**
 * Checks the arguments (before any child or invoke exists), then runs `cloud` once for the
 * backend's shared lookups and installs each signal with the wiring its returned callback makes.
 */
export function observabilityStack(
  scope: Scope,
  args: ObservabilityArgs,
  cloud: () => (context: SignalContext) => SignalWiring,
  options: ObservabilityStackOptions = {},
): ObservabilityOutputs {
  if (!args.observability.enabled) {
    const issue: Issue = {
      path: "observability.enabled",
      value: false,
      message: "is off; do not build the Observability component",
    };
    throw new ValidationError([issue], "args.", "Invalid Observability arguments");
  }
  // Fail on a bad retention or too few zones before any child exists (values are built later, inside an apply).
  retentionPeriod(args.observability.retentionDays);
  const namespace = OBSERVABILITY_NAMES.namespace;
  const highAvailability = args.environment === "prod";
  if (highAvailability && args.zones.length < 3) {
    const issue: Issue = {
      path: "zones",
      value: args.zones,
      message:
        "prod pins Mimir's, Loki's and Tempo's three replicas to three real zones; give at least 3",
    };
    throw new ValidationError([issue], "args.", "Invalid Observability arguments");
  }
  const settings = observabilitySettings(args.observability, args.environment);
  const tenant = args.tenant ?? scope.name;
  const modeIssues = observabilityIssues(args.observability, {
    name: tenant,
    cloud: args.cloud,
    privateLoadBalancer: catalogFor(args.cloud)?.privateLoadBalancerAnnotations !== undefined,
    noPrivateLoadBalancerReason: catalogFor(args.cloud)?.noPrivateLoadBalancerReason,
  });
  if (modeIssues.length > 0)
    throw new ValidationError(modeIssues, "args.", "Invalid Observability arguments");
  Object.values(settings.retentionDays).forEach(retentionPeriod);
  // Remote mode runs collectors only: no signal store, so no cloud wiring either.
  const remote = settings.mode === "remote";
  const wire = remote ? undefined : cloud();
  // Replicas are pinned by node label, which is not always the configured zone's name (AKS).
  const zones = nodeZoneLabels(catalogFor(args.cloud), args.region, args.zones);

  // The namespace exists before the releases: Secrets (S3 keys, Grafana's admin, the Alertmanager
  // config) sit in it first.
  let namespaceResource: k8s.core.v1.Namespace | undefined;
  const ensureNamespace = () =>
    (namespaceResource ??= new k8s.core.v1.Namespace(
      `${scope.name}-namespace`,
      { metadata: { name: namespace } },
      { parent: scope.parent },
    ));

  // ServiceMonitors (the charts' self-monitoring) and PrometheusRules need their CRDs first.
  const crds = helmRelease(
    scope,
    "monitoring-crds",
    {
      chart: "prometheusOperatorCrds",
      namespace,
      releaseName: "monitoring-crds",
      values: {},
    },
    { dependsOn: [ensureNamespace()] },
  );
  const signalReleases: k8s.helm.v3.Release[] = [];
  const overlays = signalOverlays(tenant);
  const labels = (wire ? OBSERVABILITY_SIGNALS : []).map((signal) => {
    const bucket = args.storage.buckets.apply((buckets) => buckets[signal.bucket]);
    const wiring = wire!({ signal, namespace, bucket });
    const credentials = wiring.credentials
      ? [
          new k8s.core.v1.Secret(
            `${scope.name}-${signal.name}-object-store`,
            {
              metadata: { name: credentialsSecretName(signal.name), namespace },
              type: "Opaque",
              stringData: pulumi.secret(
                wiring.credentials.apply((c) => ({
                  AWS_ACCESS_KEY_ID: c.accessKeyId,
                  AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
                })),
              ),
            },
            { parent: scope.parent, dependsOn: [ensureNamespace()] },
          ),
        ]
      : [];
    // The charts' volumes use the cluster's default StorageClass, which the storage layer creates
    // (with its CSI driver): reading it here makes every release wait for it.
    const values = pulumi
      .all([wiring.storage, wiring.identityValues ?? {}, args.storage.blockStorageClass])
      .apply(([storage, identity]) =>
        mergeValues(
          signal.values({
            storage,
            retentionDays:
              settings.retentionDays[signal.bucket as ObservabilitySignalKind] ??
              args.observability.retentionDays,
            serviceAccountName: signal.name,
            highAvailability,
            zones,
          }),
          mergeValues(
            mergeValues(identity, credentials.length > 0 ? credentialsValues(signal.name) : {}),
            overlays[signal.name] ?? {},
          ),
        ),
      );
    const release = helmRelease(
      scope,
      signal.name,
      { chart: signal.chart, namespace, releaseName: signal.name, values },
      { dependsOn: [...wiring.dependsOn, ...credentials, crds] },
    );
    signalReleases.push(release);
    return releaseLabel(release, signal.chart);
  });

  const use = observabilityUse(scope, args, {
    settings,
    namespace,
    tenant,
    highAvailability,
    crds,
    signals: signalReleases,
    ...(options.privateLoadBalancerAnnotations
      ? { loadBalancerAnnotations: options.privateLoadBalancerAnnotations }
      : {}),
  });
  const urls = use.remote ?? observabilityEndpoints(namespace);
  const releases = pulumi.all([...labels, ...use.releases]);
  // Outputs wait for the releases, so consumers never see a URL before its service exists.
  const afterReleases = (value: string) => releases.apply(() => value);
  return {
    namespace: afterReleases(namespace),
    metricsUrl: pulumi.output(urls.metricsUrl).apply(afterReleases),
    logsUrl: pulumi.output(urls.logsUrl).apply(afterReleases),
    tracesUrl: pulumi.output(urls.tracesUrl).apply(afterReleases),
    releases,
    tenant: afterReleases(tenant),
    otlpGrpcEndpoint: use.otlpGrpcEndpoint,
    otlpHttpEndpoint: use.otlpHttpEndpoint,
    grafanaUrl: use.grafanaUrl,
    grafanaAdminPassword: use.grafanaAdminPassword,
    grafanaCaCertificate: use.grafanaCaCertificate,
    autoscalingQueryUrl: use.autoscalingQueryUrl,
    central: use.central,
  };
}
