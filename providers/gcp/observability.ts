/**
 * GCP observability: Mimir, Loki and Tempo in one namespace, each storing in its own bucket of the
 * storage layer as its own Google service account, impersonated through GKE Workload Identity by
 * the chart's Kubernetes service account and granted `roles/storage.objectAdmin` and
 * `roles/storage.legacyBucketReader` on that bucket only. Buckets use the storage key by default (Cloud Storage's agent encrypts), so the workloads
 * need no Cloud KMS permission. Releases and values are the shared ones of
 * components/observabilityRelease.ts; this module adds the Workload Identity wiring.
 */
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import { observabilityStack } from "../../components/observabilityRelease";
import { Scope } from "../../components/types";
import {
  gcpProject,
  projectServices,
  WORKLOAD_IDENTITY_ANNOTATION,
  workloadIdentity,
} from "./common";

/** The APIs the observability layer calls: service accounts and their bucket grants. */
export const OBSERVABILITY_APIS = ["iam.googleapis.com", "storage.googleapis.com"];

/**
 * The roles each signal's identity holds, on its own bucket only: objectAdmin (storage.objects.*)
 * and legacyBucketReader for storage.buckets.get, which Tempo's GCS backend calls at start to
 * confirm the bucket (grafana/tempo tempodb/backend/gcs `bucket.Attrs`; Tempo's GCS page lists
 * storage.buckets.get as required). Without it every Tempo component exits with 403.
 */
export const SIGNAL_BUCKET_ROLES = [
  "roles/storage.objectAdmin",
  "roles/storage.legacyBucketReader",
];

export function gcpObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  return observabilityStack(scope, args, () => {
    const project = gcpProject(scope);
    const { apis } = projectServices(scope, project, OBSERVABILITY_APIS);
    return ({ signal, namespace, bucket }) => {
      const identity = workloadIdentity(scope, signal.name, {
        project,
        namespace,
        serviceAccount: signal.name,
        description: `${signal.name} in ${namespace}: reads and writes the ${signal.bucket} bucket only`,
        after: apis,
      });
      const grants = SIGNAL_BUCKET_ROLES.map(
        (role, i) =>
          new storage.BucketIAMMember(
            // The first grant keeps the name it has always had.
            `${scope.name}-${signal.name}-bucket${i === 0 ? "" : `-${role.split(".").pop()}`}`,
            { bucket, role, member: identity.account.member },
            { parent: scope.parent, dependsOn: apis },
          ),
      );
      return {
        storage: pulumi.output({ kind: "gcs" as const, bucket }),
        // The chart's service account names the Google one it may act as.
        identityValues: identity.account.email.apply((email): Record<string, unknown> => ({
          serviceAccount: { annotations: { [WORKLOAD_IDENTITY_ANNOTATION]: email } },
        })),
        // Pods must start with a working identity: the binding and the grant exist first.
        dependsOn: [identity.binding, ...grants],
      };
    };
  });
}
