/**
 * Azure observability: Mimir, Loki and Tempo in one namespace, each storing in its own blob
 * container of the storage layer as its own user-assigned identity, which holds Storage Blob Data
 * Contributor on that container only and trusts exactly the chart's service account through a
 * federated credential on the cluster's OIDC issuer (AKS workload identity). The chart values
 * come from components/observabilityValues.ts; this module adds the identity wiring.
 */
import * as managedidentity from "@pulumi/azure-native/managedidentity";
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
import { armIdPart, resourceGroup, roleAssignment, throwIfIssues } from "./common";

/** The audience AKS workload identity tokens carry. */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";
/** The service-account annotation naming the identity, and the pod label that opts pods in. */
export const CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id";
export const USE_LABEL = "azure.workload.identity/use";

interface Signal {
  /** Child names and the chart's service account. */
  readonly name: string;
  readonly chart: ChartKey;
  readonly bucket: BucketPurpose;
  readonly values: (args: SignalValuesArgs) => Record<string, unknown>;
  /** Where the chart takes labels for every pod it runs. */
  readonly podLabelsAt: "global" | "loki";
}

const SIGNALS: readonly Signal[] = [
  { name: OBSERVABILITY_NAMES.mimir, chart: "mimir", bucket: "metrics", values: mimirValues, podLabelsAt: "global" },
  { name: OBSERVABILITY_NAMES.loki, chart: "loki", bucket: "logs", values: lokiValues, podLabelsAt: "loki" },
  { name: OBSERVABILITY_NAMES.tempo, chart: "tempo", bucket: "traces", values: tempoValues, podLabelsAt: "global" },
];

/** A plain-object deep merge: `extra` wins, nested maps merge. */
function merge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k];
    out[k] =
      b && v && typeof b === "object" && typeof v === "object" && !Array.isArray(b) && !Array.isArray(v)
        ? merge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** Workload identity wiring for a chart: the SA names the identity, every pod opts in. */
export function workloadIdentityValues(signal: Pick<Signal, "podLabelsAt">, clientId: string): Record<string, unknown> {
  const podLabels = { podLabels: { [USE_LABEL]: "true" } };
  return {
    serviceAccount: { annotations: { [CLIENT_ID_ANNOTATION]: clientId } },
    [signal.podLabelsAt]: podLabels,
  };
}

export function azureObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  if (!args.observability.enabled) {
    throwIfIssues([{ path: "observability.enabled", value: false, message: "is off; do not build the Observability component" }], "Invalid Observability arguments");
  }
  // Fail on a bad retention before any child exists (the values are built later, inside an apply).
  retentionPeriod(args.observability.retentionDays);
  const namespace = OBSERVABILITY_NAMES.namespace;
  const highAvailability = args.environment === "prod";
  const opts = { parent: scope.parent };
  const rg = resourceGroup(scope, args.region);

  const labels = SIGNALS.map((signal) => {
    const containerId = args.storage.buckets.apply((buckets) => buckets[signal.bucket]);
    const identity = new managedidentity.UserAssignedIdentity(
      `${scope.name}-${signal.name}-identity`,
      { resourceGroupName: rg.name, location: args.region, resourceName: `${scope.name}-${signal.name}`, tags: scope.tags },
      opts,
    );
    const access = roleAssignment(scope, `${signal.name}-container`, {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      role: "storageBlobDataContributor",
      scope: containerId,
    });
    const federation = new managedidentity.FederatedIdentityCredential(
      `${scope.name}-${signal.name}-federation`,
      {
        resourceGroupName: rg.name,
        resourceName: identity.name,
        federatedIdentityCredentialResourceName: `${signal.name}-service-account`,
        issuer: args.kubernetes.oidcIssuerUrl,
        subject: `system:serviceaccount:${namespace}:${signal.name}`,
        audiences: [WORKLOAD_IDENTITY_AUDIENCE],
      },
      opts,
    );
    const values = pulumi.all([containerId, identity.clientId]).apply(([id, clientId]) => {
      const base = signal.values({
        storage: { kind: "azure", storageAccount: armIdPart(id, "storageAccounts"), container: armIdPart(id, "containers") },
        retentionDays: args.observability.retentionDays,
        serviceAccountName: signal.name,
        highAvailability,
      });
      return merge(base, workloadIdentityValues(signal, clientId));
    });
    const release = helmRelease(
      scope,
      signal.name,
      { chart: signal.chart, namespace, releaseName: signal.name, values },
      // Tokens are exchanged as soon as pods start: the trust and the grant must exist first.
      { dependsOn: [federation, access] },
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
