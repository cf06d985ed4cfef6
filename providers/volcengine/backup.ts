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
import { ValidationError } from "../../components/validation";
import { convertCron } from "../../components/cron";
import { credentialsFile, VELERO_METRICS_VALUES, VELERO_NAMESPACE } from "../../components/velero";

import { bucketUser, tosS3Endpoint } from "./common";

export const VELERO_CREDENTIALS_SECRET = "velero-credentials";
/** Velero's S3 plugin; 1.14 pairs with Velero 1.18 (the plugin's compatibility table). */
export const VELERO_AWS_PLUGIN = "velero/velero-plugin-for-aws:v1.14.0";
/** The schedule's name: the `planId` output. */
export const VELERO_SCHEDULE = "daily";

export interface VeleroValuesArgs {
  readonly bucket: string;
  readonly region: string;
  /** Five-field cron. */
  readonly schedule: string;
  readonly retentionDays: number;
}

export function veleroValues(args: VeleroValuesArgs): Record<string, unknown> {
  return {
    ...VELERO_METRICS_VALUES,
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: VELERO_AWS_PLUGIN,
        imagePullPolicy: "IfNotPresent",
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
    credentials: { useSecret: true, existingSecret: VELERO_CREDENTIALS_SECRET },
    configuration: {
      backupStorageLocation: [
        {
          name: "default",
          provider: "aws",
          bucket: args.bucket,
          prefix: "velero",
          default: true,
          config: {
            region: args.region,
            s3Url: `https://${tosS3Endpoint(args.region)}`,
            // TOS serves buckets virtual-hosted only.
            s3ForcePathStyle: "false",
            // The plugin's default CRC32 checksums are an AWS extension S3-compatible stores refuse.
            checksumAlgorithm: "",
          },
        },
      ],
      uploaderType: "kopia",
      defaultVolumesToFsBackup: true,
    },
    // No cloud snapshots: volume data goes through the node agent.
    snapshotsEnabled: false,
    deployNodeAgent: true,
    schedules: {
      [VELERO_SCHEDULE]: {
        schedule: args.schedule,
        useOwnerReferencesInBackup: false,
        template: { ttl: `${args.retentionDays * 24}h0m0s`, includedNamespaces: ["*"] },
      },
    },
  };
}

export function volcengineBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  const cron = convertCron(args.backup.schedule);
  if ("error" in cron)
    throw new ValidationError(
      [{ path: "backup.schedule", value: args.backup.schedule, message: cron.error }],
      "args.",
      "Invalid Backup arguments",
    );
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
  const secret = new k8s.core.v1.Secret(
    `${scope.name}-velero-credentials`,
    {
      metadata: { name: VELERO_CREDENTIALS_SECRET, namespace: VELERO_NAMESPACE },
      type: "Opaque",
      stringData: pulumi.secret(
        user.credentials.apply((c) => ({
          cloud: credentialsFile(c.accessKeyId, c.secretAccessKey),
        })),
      ),
    },
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
          bucket: b,
          region: args.region,
          schedule: cron.cron,
          retentionDays: args.backup.retentionDays,
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
