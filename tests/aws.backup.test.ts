import { Backup } from "../components/backup";
import { BACKUP_SELECTION_TAG, BackupConfig, PlatformConfig } from "../components/types";
import { kubernetesOutputs, storageOutputs } from "./awsUpstream";
import { awsConfig, commonArgs } from "./fixtures";
import { mockPulumi, one, RecordedResource, RecordingMocks, settle, valueOf } from "./harness";

const T = {
  key: "aws:kms/key:Key",
  vault: "aws:backup/vault:Vault",
  lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
};

interface Built {
  mocks: RecordingMocks;
  backup: Backup;
  config: PlatformConfig;
  n: string;
}

async function build(
  environment: "dev" | "prod",
  backup: Partial<BackupConfig> = {},
): Promise<Built> {
  const mocks = await mockPulumi({ region: "eu-west-1" });
  const base = awsConfig(environment);
  const config: PlatformConfig = { ...base, backup: { ...base.backup, ...backup } };
  const n = `${config.name}-backup`;
  const component = new Backup(n, {
    ...commonArgs(config),
    backup: config.backup,
    storage: storageOutputs(),
    kubernetes: kubernetesOutputs(),
  });
  await valueOf(component.outputs.planId);
  await settle();
  return { mocks, backup: component, config, n };
}

const idOf = (r: RecordedResource) => `${r.name}-id`;
const arnOf = (r: RecordedResource, service: string) =>
  `arn:aws:${service}:eu-west-1:123456789012:${r.name}`;

describe("AWS backup", () => {
  it("keeps recovery points in a vault encrypted with its own customer key", async () => {
    const { mocks, backup, n } = await build("prod");
    const key = one(mocks, T.key, `${n}-vault-key`);
    const vault = one(mocks, T.vault, `${n}-vault`);
    expect(vault.inputs.kmsKeyArn).toBe(arnOf(key, "kms"));
    expect(vault.inputs.forceDestroy).toBe(false);
    expect(vault.inputs.tags).toMatchObject({ environment: "prod", layer: "storage" });
    expect(await valueOf(backup.outputs.vaultName)).toBe(vault.name);
  });

  it("protects the vault and its key in prod only", async () => {
    const prod = await build("prod");
    expect(one(prod.mocks, T.vault).options.protect).toBe(true);
    expect(one(prod.mocks, T.key).options.protect).toBe(true);
    const dev = await build("dev");
    expect(one(dev.mocks, T.vault).options.protect).toBe(false);
    expect(one(dev.mocks, T.key).options.protect).toBe(false);
  });

  it("runs the configured schedule into the vault and keeps points for the retention period", async () => {
    const { mocks, backup } = await build("prod", {
      retentionDays: 14,
      schedule: "cron(0 5 ? * SUN *)",
    });
    const plan = one(mocks, T.plan);
    const vault = one(mocks, T.vault);
    expect(plan.inputs.rules).toEqual([
      expect.objectContaining({
        schedule: "cron(0 5 ? * SUN *)",
        targetVaultName: vault.name,
        lifecycle: { deleteAfter: 14 },
      }),
    ]);
    expect(await valueOf(backup.outputs.planId)).toBe(idOf(plan));
  });

  it("selects resources by the backup tag, with a role AWS Backup assumes", async () => {
    const { mocks, backup } = await build("dev");
    const selection = one(mocks, T.selection);
    const role = one(mocks, T.role);
    expect(selection.inputs).toMatchObject({
      planId: idOf(one(mocks, T.plan)),
      iamRoleArn: arnOf(role, "iam"),
      selectionTags: [{ type: "STRINGEQUALS", key: BACKUP_SELECTION_TAG, value: "true" }],
    });
    // Tags alone select: a resource list would widen the selection (AWS ORs the two).
    expect(selection.inputs.resources).toBeUndefined();
    expect(await valueOf(backup.outputs.selectionTag)).toBe(BACKUP_SELECTION_TAG);

    const trust = JSON.parse(role.inputs.assumeRolePolicy as string).Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Service: "backup.amazonaws.com" },
        Action: "sts:AssumeRole",
      }),
    ]);
    const attachments = mocks.byType(T.attachment);
    expect(attachments.map((a) => a.inputs.policyArn).sort()).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
    for (const a of attachments) expect(a.inputs.role).toBe(idOf(role));
    expect(selection.options.dependsOn).toEqual(
      expect.arrayContaining(attachments.map((a) => a.urn)),
    );
  });

  it("locks the vault in governance mode for the retention period in prod, not elsewhere", async () => {
    const prod = await build("prod", { retentionDays: 35 });
    const lock = one(prod.mocks, T.lock);
    expect(lock.inputs).toMatchObject({
      backupVaultName: one(prod.mocks, T.vault).name,
      minRetentionDays: 35,
    });
    // No cooling-off period: the lock stays removable (governance, not compliance mode).
    expect(lock.inputs.changeableForDays).toBeUndefined();
    const dev = await build("dev");
    expect(dev.mocks.byType(T.lock)).toHaveLength(0);
  });
});
