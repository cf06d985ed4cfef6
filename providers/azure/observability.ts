/**
 * Azure observability: Mimir, Loki and Tempo in one namespace, each storing in its own blob
 * container of the storage layer as its own user-assigned identity, which holds Storage Blob Data
 * Contributor on that container only and trusts exactly the chart's service account through a
 * federated credential on the cluster's OIDC issuer (AKS workload identity). Releases and values
 * are the shared ones of components/observabilityRelease.ts; this module adds the identity wiring.
 */
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import { observabilityStack } from "../../components/observabilityRelease";
import { OBSERVABILITY_NAMES } from "../../components/observabilityValues";
import { Scope } from "../../components/types";
import { armIdPart, resourceGroup, roleAssignment, userAssignedIdentity } from "./common";

/** The audience AKS workload identity tokens carry. */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";
/** The service-account annotation naming the identity, and the pod label that opts pods in. */
export const CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id";
export const USE_LABEL = "azure.workload.identity/use";

/** Where each signal's chart takes labels for every pod it runs. */
export type PodLabelsAt = "global" | "loki";
const POD_LABELS_AT: Record<string, PodLabelsAt> = {
  [OBSERVABILITY_NAMES.mimir]: "global",
  [OBSERVABILITY_NAMES.loki]: "loki",
  [OBSERVABILITY_NAMES.tempo]: "global",
};

/** Workload identity wiring for a chart: the SA names the identity, every pod opts in. */
export function workloadIdentityValues(
  podLabelsAt: PodLabelsAt,
  clientId: string,
): Record<string, unknown> {
  const podLabels = { podLabels: { [USE_LABEL]: "true" } };
  return {
    serviceAccount: { annotations: { [CLIENT_ID_ANNOTATION]: clientId } },
    [podLabelsAt]: podLabels,
  };
}

export function azureObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  return observabilityStack(scope, args, () => {
    const rg = resourceGroup(scope, args.region);
    return ({ signal, namespace, bucket: containerId }) => {
      const identity = userAssignedIdentity(scope, signal.name, {
        resourceGroupName: rg.name,
        location: args.region,
      });
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
        { parent: scope.parent },
      );
      return {
        storage: containerId.apply((id) => ({
          kind: "azure" as const,
          storageAccount: armIdPart(id, "storageAccounts"),
          container: armIdPart(id, "containers"),
        })),
        identityValues: identity.clientId.apply((clientId) =>
          workloadIdentityValues(POD_LABELS_AT[signal.name], clientId),
        ),
        // Tokens are exchanged as soon as pods start: the trust and the grant must exist first.
        dependsOn: [federation, access],
      };
    };
  });
}
