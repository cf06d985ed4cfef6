/**
 * Volcengine backup: Velero, because the cloud has no backup service the platform can point at its
 * volumes. The pinned provider (v0.0.47) binds EBS auto snapshot policies to volume ids only, and
 * the volumes are created later by the CSI driver, one per claim; NAS has no snapshot policy
 * resource, and the EBS CSI driver has no VolumeSnapshotClass the platform installs. So Velero
 * backs up every namespace's Kubernetes objects to the stack's `backups` TOS bucket, on the
 * configured schedule, kept `retentionDays`. **Not the volumes' data**: Velero's file-system
 * backups go through kopia, whose S3 client always addresses buckets path style, and TOS serves
 * virtual-hosted style only (velero-io/velero#9780, kopia/kopia#3902), so the node agent could never
 * reach its repository. Its identity is an IAM user scoped to that bucket and the storage key, its
 * key in a Kubernetes Secret (never in the release's values). Redis keeps its own daily backups.
 */
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { Scope } from "../../components/types";
import { veleroInstall } from "../../components/velero";

import { bucketUser, tosS3Endpoint } from "./common";

export function volcengineBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  const bucket = args.storage.buckets.apply((b) => b.backups);
  const user = bucketUser(
    scope,
    "velero",
    bucket,
    args.storage.encryptionKeyId,
    "Velero: reads and writes the backups bucket only",
  );
  return veleroInstall(scope, {
    target: bucket.apply((b) => ({
      bucket: b,
      s3Url: `https://${tosS3Endpoint(args.region)}`,
      region: args.region,
      // TOS serves buckets virtual-hosted only.
      forcePathStyle: false,
    })),
    credentials: user.credentials,
    ready: user.ready,
    backup: args.backup,
    volumes: { kind: "none" },
  });
}
