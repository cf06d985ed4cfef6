/**
 * GCP backup layer: a Backup for GKE plan for the cluster (the agent add-on is turned on by the
 * kubernetes layer) that backs up every namespace with its secrets and volume data on the
 * configured schedule, encrypted with its own Cloud KMS key, kept for the configured days and, in
 * prod, locked against deletion for that long.
 */
import * as gkebackup from "@pulumi/gcp/gkebackup";
import * as kms from "@pulumi/gcp/kms";
import * as pulumi from "@pulumi/pulumi";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { BACKUP_SELECTION_TAG, Scope } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";
import { convertCron, gcpConfigIssues, MAX_BACKUP_DELETE_LOCK_DAYS } from "./catalog";
import {
  agentUser,
  customerKey,
  gcpLabels,
  gcpProject,
  KEY_USER_ROLE,
  projectServices,
} from "./common";

/** The APIs the backup layer calls. */
export const BACKUP_APIS = ["gkebackup.googleapis.com", "cloudkms.googleapis.com"];

/**
 * The schedule as the five-field Unix cron Backup for GKE takes (catalog.ts `convertCron`: a Unix
 * cron unchanged, the AWS form converted); throws a ValidationError naming `backup.schedule`.
 */
export function unixCron(schedule: string): string {
  const converted = convertCron(schedule);
  if ("error" in converted) {
    const issue: Issue = { path: "backup.schedule", value: schedule, message: converted.error };
    throw new ValidationError([issue], "args.", "Invalid Backup arguments");
  }
  return converted.cron;
}

/**
 * The prod delete lock: a backup cannot be deleted before its retention ends, up to the 90 days
 * Backup for GKE allows (a longer retention keeps the lock at 90).
 */
export function deleteLockDays(retainDays: number): number {
  return Math.min(retainDays, MAX_BACKUP_DELETE_LOCK_DAYS);
}

/** The GCP backup backend. */
export function gcpBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  // Fail on a schedule GKE would reject before any child exists.
  const cronSchedule = unixCron(args.backup.schedule);
  // A retention Backup for GKE refuses (over 365 days, or 360 times the schedule's interval).
  const issues = gcpConfigIssues({ backup: args.backup });
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Backup arguments");
  const retainDays = args.backup.retentionDays;
  const project = gcpProject(scope);
  const services = projectServices(scope, project, BACKUP_APIS, ["gkeBackup", "gke"]);
  const gkeBackupAgent = agentUser(project, services, "gkeBackup", "gkebackup");
  // Backup for GKE's own agent and, for backups the cluster starts, the GKE agent (error
  // 100010107 "Missing IAM binding - agent service account (KCP)" without it) use the plan's key.
  const { key, grants } = customerKey(
    scope,
    "backup",
    args.region,
    [gkeBackupAgent, agentUser(project, services, "gke")],
    services.apis,
  );
  // Volume backups of CMEK disks stay encrypted with the disk's key (the storage layer's), and
  // restored volumes are encrypted with it again: the Backup for GKE agent needs that key too.
  const diskKeyGrant = new kms.CryptoKeyIAMMember(
    `${scope.name}-storage-key-gkebackup`,
    {
      cryptoKeyId: args.storage.encryptionKeyId,
      role: KEY_USER_ROLE,
      member: gkeBackupAgent.member,
    },
    { parent: scope.parent, dependsOn: [...services.apis, ...(gkeBackupAgent.dependsOn ?? [])] },
  );

  const plan = new gkebackup.BackupPlan(
    `${scope.name}-plan`,
    {
      cluster: args.kubernetes.clusterId,
      location: args.region,
      description: `${scope.name}: scheduled backups of every namespace`,
      backupConfig: {
        allNamespaces: true,
        includeSecrets: true,
        includeVolumeData: true,
        encryptionKey: { gcpKmsEncryptionKey: key.id },
      },
      backupSchedule: { cronSchedule },
      retentionPolicy: {
        backupRetainDays: retainDays,
        // Prod: a backup cannot be deleted before its retention ends (like the AWS vault lock), up
        // to 90 days. The policy stays editable (`locked: false`), so an administrator can still act.
        ...(args.environment === "prod"
          ? { backupDeleteLockDays: deleteLockDays(retainDays) }
          : {}),
        locked: false,
      },
      labels: gcpLabels(scope.tags),
    },
    {
      parent: scope.parent,
      protect: scope.protect,
      dependsOn: [...services.apis, ...grants, diskKeyGrant],
    },
  );

  return {
    vaultName: plan.name,
    planId: plan.id,
    selectionTag: pulumi.output(BACKUP_SELECTION_TAG),
  };
}
