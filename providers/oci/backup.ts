/**
 * OCI backup: File Storage only. The storage layer sets the snapshot policy (the configured daily or
 * weekly UTC schedule, kept `retentionDays`) on its file system. Block volumes are not backed up:
 * OCI assigns a volume backup policy per volume and has no tag-based selection, so a policy would
 * cover none of the volumes the CSI driver creates; the config must say so
 * (`backup.diskSnapshots: off`, checked by the catalog). No resource here; the outputs are empty.
 */
import * as pulumi from "@pulumi/pulumi";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { BACKUP_SELECTION_TAG, Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { ociConfigIssues } from "./catalog";

export function ociBackup(_scope: Scope, args: BackupArgs): BackupOutputs {
  const issues = ociConfigIssues({ backup: args.backup });
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Backup arguments");
  return {
    vaultName: pulumi.output(""),
    planId: pulumi.output(""),
    selectionTag: pulumi.output(BACKUP_SELECTION_TAG),
  };
}
