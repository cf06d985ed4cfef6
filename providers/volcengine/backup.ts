/**
 * Volcengine backup: Velero, because the cloud has no backup service the platform can point at its
 * volumes. The pinned provider (v0.0.47) binds EBS auto snapshot policies to volume ids only, and
 * the volumes are created later by the CSI driver, one per claim; NAS has no snapshot policy
 * resource, and the EBS CSI driver has no VolumeSnapshotClass the platform installs. So Velero
 * backs up every namespace's objects and, with its node agent (kopia), the files of every pod
 * volume (EBS and NAS alike) to the stack's `backups` TOS bucket, on the configured schedule, kept
 * `retentionDays`. Its identity is an IAM user scoped to that bucket and the storage key, its key
 * in a Kubernetes Secret (never in the release's values). Redis keeps its own daily backups.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { helmRelease } from "../../components/charts";
import { Scope } from "../../components/types";
import {
  VELERO_NAMESPACE,
  veleroCredentialsSecret,
  veleroCron,
  veleroValues,
} from "../../components/velero";

import { bucketUser, tosS3Endpoint } from "./common";

export const VELERO_CREDENTIALS_SECRET = "velero-credentials";
/** The schedule's name: the `planId` output. */
export const VELERO_SCHEDULE = "daily";

export function volcengineBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  const cron = veleroCron(args.backup);
  const bucket = args.storage.buckets.apply((b) => b.backups);
  const user = bucketUser(
    scope,
    "velero",
    bucket,
    args.storage.encryptionKeyId,
    "Velero: reads and writes the backups bucket only",
  );
  const namespace = new k8s.core.v1.Namespace(
    `${scope.name}-velero-namespace`,
    { metadata: { name: VELERO_NAMESPACE } },
    { parent: scope.parent },
  );
  const secret = veleroCredentialsSecret(
    `${scope.name}-velero-credentials`,
    VELERO_CREDENTIALS_SECRET,
    user.credentials,
    { parent: scope.parent, dependsOn: [namespace] },
  );
  const release = helmRelease(
    scope,
    "velero",
    {
      chart: "velero",
      namespace: VELERO_NAMESPACE,
      releaseName: "velero",
      createNamespace: false,
      values: bucket.apply((b) =>
        veleroValues({
          target: {
            bucket: b,
            prefix: "velero",
            s3Url: `https://${tosS3Endpoint(args.region)}`,
            region: args.region,
            // TOS serves buckets virtual-hosted only.
            forcePathStyle: false,
            credentialsSecret: VELERO_CREDENTIALS_SECRET,
          },
          schedule: { name: VELERO_SCHEDULE, cron },
          retentionDays: args.backup.retentionDays,
          volumes: { kind: "fs" },
        }),
      ),
    },
    { dependsOn: [namespace, secret, ...user.ready] },
  );
  return {
    vaultName: pulumi.all([bucket, release.id]).apply(([b]) => b),
    planId: release.id.apply(() => `${VELERO_NAMESPACE}/${VELERO_SCHEDULE}`),
    // Velero takes every namespace; no tag selects volumes.
    selectionTag: pulumi.output(""),
  };
}
