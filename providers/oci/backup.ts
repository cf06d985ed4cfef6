/**
 * OCI backup: a volume backup policy (incremental backups on the configured daily or weekly UTC
 * schedule, kept `retentionDays`) for the cluster's block volumes. File Storage is backed up by the
 * snapshot policy the storage layer sets on its file system from the same config (OCI attaches a
 * snapshot policy through the file system itself). OCI assigns a volume backup policy per volume
 * and has no tag-based selection, so volumes the CSI driver creates are assigned by the
 * `officeless-backup` tag by the operator (docs/clouds/oci.md has the command); the policy's id is
 * the `planId` output.
 */
import * as core from "@pulumi/oci/core";
import * as pulumi from "@pulumi/pulumi";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { BACKUP_SELECTION_TAG, BackupConfig, Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { ociConfigIssues, parseOciSchedule } from "./catalog";
import { displayName, ociSettings, ociTags } from "./common";

/** Volume backup policy schedules of a backup config. */
export function volumeBackupSchedules(backup: BackupConfig) {
  const parsed = parseOciSchedule(backup.schedule);
  if ("error" in parsed) throw new Error(`backup.schedule: ${parsed.error}`);
  return [
    {
      backupType: "INCREMENTAL",
      period: parsed.period === "daily" ? "ONE_DAY" : "ONE_WEEK",
      hourOfDay: parsed.hourOfDay,
      ...(parsed.dayOfWeek ? { dayOfWeek: parsed.dayOfWeek } : {}),
      offsetType: "STRUCTURED",
      timeZone: "UTC",
      retentionSeconds: backup.retentionDays * 86400,
    },
  ];
}

export function ociBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  const settings = ociSettings(args);
  const issues = ociConfigIssues({ backup: args.backup });
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Backup arguments");
  const name = displayName(scope, "volumes");
  const policy = new core.VolumeBackupPolicy(
    `${scope.name}-volumes`,
    {
      compartmentId: settings.compartmentId,
      displayName: name,
      schedules: volumeBackupSchedules(args.backup),
      freeformTags: ociTags(scope.tags),
    },
    { parent: scope.parent, protect: scope.protect },
  );
  return {
    vaultName: policy.displayName.apply((n) => n ?? name),
    planId: policy.id,
    selectionTag: pulumi.output(BACKUP_SELECTION_TAG),
  };
}
