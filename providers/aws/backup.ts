/**
 * AWS backup layer: an AWS Backup vault encrypted with its own customer key, a scheduled plan, and
 * a tag selection that picks up every EBS volume (tagged by the block StorageClass) and the EFS.
 * In prod the vault gets a governance-mode lock so recovery points outlive a compromised account user,
 * and (by default) every recovery point is copied to a locked vault in another region.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { BACKUP_SELECTION_TAG, Scope } from "../../components/types";
import { copyRegionOf } from "./catalog";
import { awsAccount, kmsKey } from "./common";

/** AWS managed policies AWS Backup documents for its service role. */
export const BACKUP_MANAGED_POLICIES = [
  "service-role/AWSBackupServiceRolePolicyForBackup",
  "service-role/AWSBackupServiceRolePolicyForRestores",
] as const;

/** The AWS backup backend. */
export function awsBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  // A copy region AWS has no default for fails before any child exists.
  const { crossRegionCopy } = args.backup;
  const copyRegion = crossRegionCopy.enabled
    ? copyRegionOf(args.region, crossRegionCopy, "backup.crossRegionCopy")
    : undefined;
  const { partition, accountId } = awsAccount(scope);
  const vault = backupVault(scope, "vault", args);
  // Recovery points outlive the loss of the region: each is copied into a vault of another one,
  // under that region's own key, and kept as long as the original.
  const copyVault = copyRegion ? backupVault(scope, "copy", args, copyRegion) : undefined;

  const plan = new aws.backup.Plan(
    `${scope.name}-plan`,
    {
      rules: [
        {
          ruleName: "scheduled",
          targetVaultName: vault.name,
          schedule: args.backup.schedule,
          lifecycle: { deleteAfter: args.backup.retentionDays },
          recoveryPointTags: scope.tags,
          ...(copyVault
            ? {
                copyActions: [
                  {
                    destinationVaultArn: copyVault.arn,
                    lifecycle: { deleteAfter: args.backup.retentionDays },
                  },
                ],
              }
            : {}),
        },
      ],
      tags: scope.tags,
    },
    { parent: scope.parent },
  );

  const role = new aws.iam.Role(
    `${scope.name}-role`,
    {
      description: `AWS Backup service role for ${scope.name}`,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "backup.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ],
      }),
      tags: scope.tags,
    },
    { parent: scope.parent },
  );
  const attachments = BACKUP_MANAGED_POLICIES.map(
    (policy, i) =>
      new aws.iam.RolePolicyAttachment(
        `${scope.name}-role-policy-${i}`,
        {
          role: role.id,
          policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`,
        },
        { parent: scope.parent },
      ),
  );

  // Backup jobs fail if they start before the role can act.
  new aws.backup.Selection(
    `${scope.name}-selection`,
    {
      planId: plan.id,
      iamRoleArn: role.arn,
      selectionTags: [{ type: "STRINGEQUALS", key: BACKUP_SELECTION_TAG, value: "true" }],
    },
    { parent: scope.parent, dependsOn: attachments },
  );

  return {
    vaultName: vault.name,
    planId: plan.id,
    selectionTag: pulumi.output(BACKUP_SELECTION_TAG),
  };
}

/**
 * A vault under its own customer key, protected in prod. In prod a governance-mode lock (no
 * changeableForDays) keeps recovery points until their retention ends, yet an administrator can
 * still remove the lock deliberately. `region` places it outside the provider's region.
 */
function backupVault(
  scope: Scope,
  role: "vault" | "copy",
  args: BackupArgs,
  region?: string,
): aws.backup.Vault {
  const inRegion = region ? { region } : {};
  const what = region ? `AWS Backup copies in ${region}` : "AWS Backup vault";
  const key = kmsKey(
    scope,
    role === "vault" ? "vault" : "copy-vault",
    `${scope.name}: ${what}`,
    undefined,
    region,
  );
  // Auto-named `<name>-<7 chars>`: at a 24-character officeless:name, `-copy` stays under the 50 AWS allows.
  const vault = new aws.backup.Vault(
    `${scope.name}-${role}`,
    // Outside prod a destroy deletes the recovery points too instead of stopping at a non-empty vault.
    {
      kmsKeyArn: key.arn,
      forceDestroy: args.environment !== "prod",
      ...inRegion,
      tags: scope.tags,
    },
    { parent: scope.parent, protect: scope.protect },
  );
  if (args.environment === "prod") {
    new aws.backup.VaultLockConfiguration(
      `${scope.name}-${role}-lock`,
      { backupVaultName: vault.name, minRetentionDays: args.backup.retentionDays, ...inRegion },
      // Every input is ForceNew and the lock's id is the vault name: create-first would put the new
      // lock, then the old one's delete would remove it (terraform-provider-aws
      // internal/service/backup/vault_lock_configuration.go), leaving the vault unlocked.
      { parent: scope.parent, deleteBeforeReplace: true },
    );
  }
  return vault;
}
