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
import { AWS_CRON, UNIX_CRON } from "./catalog";
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

const AWS_WEEKDAYS = /^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$/;

/**
 * The schedule as the five-field Unix cron Backup for GKE takes. A Unix cron passes unchanged; the
 * AWS form of the shared default (`cron(0 3 * * ? *)`) is converted: the year must be `*`, `?`
 * becomes `*`, numeric weekdays move from 1-7 (Sunday = 1) to 0-6. `L`, `W` and `#` have no
 * Unix equivalent and are rejected.
 */
export function unixCron(schedule: string): string {
  const fail = (message: string): never => {
    const issue: Issue = { path: "backup.schedule", value: schedule, message };
    throw new ValidationError([issue], "args.", "Invalid Backup arguments");
  };
  if (UNIX_CRON.test(schedule) && !schedule.startsWith("cron(")) return schedule;
  const aws = AWS_CRON.exec(schedule);
  if (!aws) return fail('must be a five-field cron expression, e.g. "0 3 * * *"');
  const [minute, hour, day, month, weekday, year] = aws[1].split(" ");
  if (year !== "*") fail("a year field cannot be expressed in Backup for GKE's cron; use *");
  if (/[LW#]/.test(`${day} ${weekday}`)) fail("L, W and # have no equivalent in a Unix cron");
  const unset = (field: string) => (field === "?" ? "*" : field);
  let dow = unset(weekday);
  if (AWS_WEEKDAYS.test(dow)) dow = dow.replace(/[1-7]/g, (d) => String(Number(d) - 1));
  return [minute, hour, unset(day), month, dow].join(" ");
}

/** The GCP backup backend. */
export function gcpBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  // Fail on a schedule GKE would reject before any child exists.
  const cronSchedule = unixCron(args.backup.schedule);
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
        // Prod: a backup cannot be deleted before its retention ends (like the AWS vault lock).
        // The policy itself stays editable (`locked: false`), so an administrator can still act.
        ...(args.environment === "prod" ? { backupDeleteLockDays: retainDays } : {}),
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
