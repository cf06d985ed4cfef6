/**
 * Huawei Cloud backup layer: one CBR backup policy on the configured schedule (weekly cycle and
 * start times) keeping recovery points for the configured days, and two vaults it drives: a disk
 * vault that binds every EVS disk carrying the backup tag (the block StorageClass tags the disks it
 * creates) and, with file storage on, an SFS Turbo vault holding the storage layer's file system.
 * Vaults span zones in prod and grow as needed.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Args } from "../../sdks/binding";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { BACKUP_SELECTION_TAG, Scope } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";
import * as cbr from "../../sdks/huaweicloud/cbr";
import { cbrSchedule, CbrSchedule } from "./catalog";
import { cutName, hwTags } from "./common";
import { BACKUP_TAGS } from "./storage";

/** The vault size CBR starts with (GiB); `autoExpand` grows it. */
export const VAULT_SIZE_GB = 100;

/** The CBR cycle of the config's schedule; throws a ValidationError naming `backup.schedule`. */
export function backupCycle(schedule: string): CbrSchedule {
  const converted = cbrSchedule(schedule);
  if ("error" in converted) {
    const issue: Issue = { path: "backup.schedule", value: schedule, message: converted.error };
    throw new ValidationError([issue], "args.", "Invalid Backup arguments");
  }
  return converted;
}

export function huaweiBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  const cycle = backupCycle(args.backup.schedule);
  const opts = { parent: scope.parent };
  const policy = new cbr.Policy(
    `${scope.name}-policy`,
    {
      name: cutName(scope.name, 64),
      type: "backup",
      enabled: true,
      backupCycle: { days: cycle.days, executionTimes: cycle.executionTimes },
      timePeriod: args.backup.retentionDays,
      timeZone: "UTC+00:00",
    },
    opts,
  );
  const vault = (role: string, type: "disk" | "turbo", extra: Partial<Args<typeof cbr.Vault>>) =>
    new cbr.Vault(
      `${scope.name}-${role}-vault`,
      {
        name: cutName(`${scope.name}-${role}`, 64),
        type,
        protectionType: "backup",
        size: VAULT_SIZE_GB,
        autoExpand: true,
        isMultiAz: args.environment === "prod",
        policies: [{ id: policy.id }],
        tags: hwTags(scope.tags),
        ...extra,
      },
      { ...opts, protect: scope.protect },
    );
  const disks = vault("disks", "disk", { autoBind: true, bindRules: BACKUP_TAGS });
  // The file system's vault once its id is known: none when file storage is off (empty id).
  const files = args.storage.fileSystemId.apply((id) =>
    id ? vault("files", "turbo", { resources: [{ includes: [id] }] }).name : undefined,
  );
  return {
    vaultName: pulumi
      .all([disks.name, files])
      .apply((names) => names.filter((n): n is string => !!n).join(",")),
    planId: policy.id,
    selectionTag: pulumi.output(BACKUP_SELECTION_TAG),
  };
}
