/**
 * GCP observability: Mimir, Loki and Tempo in one namespace, each storing in its own bucket of the
 * storage layer as its own Google service account, impersonated through GKE Workload Identity by
 * the chart's Kubernetes service account and granted `roles/storage.objectAdmin` on that bucket
 * only. Buckets use the storage key by default (Cloud Storage's agent encrypts), so the workloads
 * need no Cloud KMS permission. Chart values come from components/observabilityValues.ts.
 */
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { ChartKey, helmRelease, releaseLabel } from "../../components/charts";
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import {
  lokiValues,
  mimirValues,
  OBSERVABILITY_NAMES,
  observabilityEndpoints,
  retentionPeriod,
  SignalValuesArgs,
  tempoValues,
} from "../../components/observabilityValues";
import type { BucketPurpose } from "../../components/storage";
import { Scope } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";
import { gcpProject, WORKLOAD_IDENTITY_ANNOTATION, workloadIdentity } from "./common";

interface Signal {
  /** Child names, the release and the chart's service account. */
  readonly name: string;
  readonly chart: ChartKey;
  readonly bucket: BucketPurpose;
  readonly values: (args: SignalValuesArgs) => Record<string, unknown>;
}

const SIGNALS: readonly Signal[] = [
  { name: OBSERVABILITY_NAMES.mimir, chart: "mimir", bucket: "metrics", values: mimirValues },
  { name: OBSERVABILITY_NAMES.loki, chart: "loki", bucket: "logs", values: lokiValues },
  { name: OBSERVABILITY_NAMES.tempo, chart: "tempo", bucket: "traces", values: tempoValues },
];

/** The one role each signal's identity holds, on its own bucket. */
export const SIGNAL_BUCKET_ROLE = "roles/storage.objectAdmin";

/** Shared values with the Workload Identity annotation added to the chart's service account. */
export function withWorkloadIdentity(values: Record<string, unknown>, email: string): Record<string, unknown> {
  const serviceAccount = (values.serviceAccount ?? {}) as Record<string, unknown>;
  const annotations = (serviceAccount.annotations ?? {}) as Record<string, string>;
  return {
    ...values,
    serviceAccount: { ...serviceAccount, annotations: { ...annotations, [WORKLOAD_IDENTITY_ANNOTATION]: email } },
  };
}

export function gcpObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  if (!args.observability.enabled) {
    const issue: Issue = { path: "observability.enabled", value: false, message: "is off; do not build the Observability component" };
    throw new ValidationError([issue], "args.", "Invalid Observability arguments");
  }
  // Fail on a bad retention before any child exists (the values are built later, inside an apply).
  retentionPeriod(args.observability.retentionDays);
  const namespace = OBSERVABILITY_NAMES.namespace;
  const highAvailability = args.environment === "prod";
  const project = gcpProject(scope);

  const labels = SIGNALS.map((signal) => {
    const bucket = args.storage.buckets.apply((buckets) => buckets[signal.bucket]);
    const identity = workloadIdentity(scope, signal.name, {
      project,
      namespace,
      serviceAccount: signal.name,
      description: `${signal.name} in ${namespace}: reads and writes the ${signal.bucket} bucket only`,
    });
    const grant = new storage.BucketIAMMember(
      `${scope.name}-${signal.name}-bucket`,
      { bucket, role: SIGNAL_BUCKET_ROLE, member: identity.account.member },
      { parent: scope.parent },
    );
    const values = pulumi.all([bucket, identity.account.email]).apply(([bucketName, email]) =>
      withWorkloadIdentity(
        signal.values({
          storage: { kind: "gcs", bucket: bucketName },
          retentionDays: args.observability.retentionDays,
          serviceAccountName: signal.name,
          highAvailability,
        }),
        email,
      ),
    );
    const release = helmRelease(
      scope,
      signal.name,
      { chart: signal.chart, namespace, releaseName: signal.name, values },
      // Pods must start with a working identity: the binding and the grant exist first.
      { dependsOn: [identity.binding, grant] },
    );
    return releaseLabel(release, signal.chart);
  });

  const urls = observabilityEndpoints(namespace);
  const releases = pulumi.all(labels);
  // Outputs wait for the releases, so consumers never see a URL before its service exists.
  const afterReleases = (value: string) => releases.apply(() => value);
  return {
    namespace: afterReleases(namespace),
    metricsUrl: afterReleases(urls.metricsUrl),
    logsUrl: afterReleases(urls.logsUrl),
    tracesUrl: afterReleases(urls.tracesUrl),
    releases,
  };
}
