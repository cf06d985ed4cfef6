/**
 * AWS backup layer: an AWS Backup vault encrypted with its own customer key, a scheduled plan, and
 * a tag selection that picks up every EBS volume (tagged by the block StorageClass) and the EFS.
 * In prod the vault gets a governance-mode lock so recovery points outlive a compromised account user.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { BACKUP_SELECTION_TAG, Scope } from "../../components/types";
import { awsAccount, kmsKey } from "./common";

/** AWS managed policies AWS Backup documents for its service role. */
export const BACKUP_MANAGED_POLICIES = [
  "service-role/AWSBackupServiceRolePolicyForBackup",
  "service-role/AWSBackupServiceRolePolicyForRestores",
] as const;

/** The AWS backup backend. */
export function awsBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  const { partition, accountId } = awsAccount(scope);
  const key = kmsKey(scope, "vault", `${scope.name}: AWS Backup vault`);

  const vault = new aws.backup.Vault(
    `${scope.name}-vault`,
    { kmsKeyArn: key.arn, forceDestroy: false, tags: scope.tags },
    { parent: scope.parent, protect: scope.protect },
  );
  if (args.environment === "prod") {
    // Governance mode (no changeableForDays): recovery points cannot be deleted before the
    // retention period, yet an administrator can still remove the lock deliberately.
    new aws.backup.VaultLockConfiguration(
      `${scope.name}-vault-lock`,
      { backupVaultName: vault.name, minRetentionDays: args.backup.retentionDays },
      { parent: scope.parent },
    );
  }

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
