/**
 * Alibaba Cloud backup layer, on the schedule and retention of the config:
 * - Disks (the ESSD volumes the disk CSI creates, and the nodes' system disks): an ECS automatic
 *   snapshot policy associated with the instances that carry the backup tag (every node pool tags
 *   its instances), so every disk attached to a node is snapshotted without a per-disk binding,
 *   which dynamically provisioned volumes could not get. Association by instance tag must be
 *   turned on for the account once (docs/clouds/alibaba.md, prerequisites).
 * - NAS: a Hybrid Backup Recovery (HBR) vault encrypted with the storage layer's KMS key and a NAS
 *   backup plan of the whole file system into it (General-purpose NAS has no snapshots).
 * The policy's and the plan's times are UTC+8; catalog.ts converts the UTC schedule.
 */
import * as ecs from "@pulumi/alicloud/ecs";
import * as hbr from "@pulumi/alicloud/hbr";
import * as pulumi from "@pulumi/pulumi";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { BACKUP_SELECTION_TAG, Scope } from "../../components/types";
import { alibabaBackupSchedule, alibabaConfigIssues } from "./catalog";
import { alibabaTags, cutName, throwIfIssues } from "./common";

export function alibabaBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  throwIfIssues(
    alibabaConfigIssues({ backup: args.backup }),
    "Invalid Alibaba Cloud backup arguments",
  );
  const converted = alibabaBackupSchedule(args.backup.schedule);
  if ("error" in converted) throw new Error(converted.error);
  const { schedule } = converted;
  const opts = { parent: scope.parent };
  const tags = alibabaTags(scope.tags);

  const policy = new ecs.AutoSnapshotPolicy(
    `${scope.name}-disks`,
    {
      autoSnapshotPolicyName: cutName(`${scope.name}-disks`, 128),
      repeatWeekdays: schedule.weekdays,
      timePoints: schedule.hours,
      retentionDays: args.backup.retentionDays,
      associationType: "AssociatedWithInstanceTag",
      targetTags: [{ tagKey: BACKUP_SELECTION_TAG, tagValue: "true" }],
      tags,
    },
    opts,
  );

  const vault = new hbr.Vault(
    `${scope.name}-vault`,
    {
      vaultName: cutName(scope.name, 64),
      vaultType: "STANDARD",
      encryptType: "KMS",
      kmsKeyId: args.storage.encryptionKeyId,
      description: `${scope.name} NAS backups`,
    },
    { ...opts, protect: scope.protect },
  );
  const nasPlan = args.storage.fileSystemId.apply((id) => id !== "");
  const plan = new hbr.NasBackupPlan(
    `${scope.name}-nas`,
    {
      nasBackupPlanName: cutName(`${scope.name}-nas`, 64),
      fileSystemId: args.storage.fileSystemId,
      vaultId: vault.id,
      backupType: "COMPLETE",
      paths: ["/"],
      retention: String(args.backup.retentionDays),
      schedule: schedule.hbr,
      // With file storage off there is nothing to back up; the plan stays, disabled.
      disabled: nasPlan.apply((on) => !on),
    },
    opts,
  );
  return {
    vaultName: vault.vaultName,
    planId: pulumi.all([policy.id, plan.id]).apply(([p]) => p),
    selectionTag: pulumi.output(BACKUP_SELECTION_TAG),
  };
}
