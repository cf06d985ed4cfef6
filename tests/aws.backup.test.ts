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
    for (const type of [T.vault, T.key]) {
      expect(prod.mocks.byType(type)).toHaveLength(2);
      for (const r of prod.mocks.byType(type))
        expect([r.name, r.options.protect]).toEqual([r.name, true]);
    }
    const dev = await build("dev");
    expect(one(dev.mocks, T.vault).options.protect).toBe(false);
    expect(one(dev.mocks, T.key).options.protect).toBe(false);
  });

  it("runs the configured schedule into the vault and keeps points for the retention period", async () => {
    const { mocks, backup, n } = await build("prod", {
      retentionDays: 14,
      schedule: "cron(0 5 ? * SUN *)",
    });
    const plan = one(mocks, T.plan);
    const vault = one(mocks, T.vault, `${n}-vault`);
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

  it("lets a dev destroy delete the vaults with their recovery points, never in prod", async () => {
    const dev = await build("dev", { crossRegionCopy: { enabled: true } });
    const devVaults = dev.mocks.byType(T.vault);
    expect(devVaults).toHaveLength(2);
    for (const v of devVaults) expect([v.name, v.inputs.forceDestroy]).toEqual([v.name, true]);
    for (const v of (await build("prod")).mocks.byType(T.vault))
      expect([v.name, v.inputs.forceDestroy]).toEqual([v.name, false]);
  });

  it("locks the vault in governance mode for the retention period in prod, not elsewhere", async () => {
    const prod = await build("prod", { retentionDays: 35 });
    const lock = one(prod.mocks, T.lock, `${prod.n}-vault-lock`);
    expect(lock.inputs).toMatchObject({
      backupVaultName: one(prod.mocks, T.vault, `${prod.n}-vault`).name,
      minRetentionDays: 35,
    });
    // No cooling-off period: the lock stays removable (governance, not compliance mode).
    expect(lock.inputs.changeableForDays).toBeUndefined();
    // Its id is the vault name: a replacement must delete the old lock before putting the new one.
    for (const l of prod.mocks.byType(T.lock)) expect(l.options.deleteBeforeReplace).toBe(true);
    const dev = await build("dev");
    expect(dev.mocks.byType(T.lock)).toHaveLength(0);
  });

  it("copies every recovery point in prod to a locked vault in the partner region, under that region's key", async () => {
    const { mocks, n } = await build("prod", { retentionDays: 35 });
    const key = one(mocks, T.key, `${n}-copy-vault-key`);
    expect(key.inputs.region).toBe("eu-central-1");
    const copy = one(mocks, T.vault, `${n}-copy`);
    expect(copy.inputs).toMatchObject({
      region: "eu-central-1",
      kmsKeyArn: `arn:aws:kms:eu-central-1:123456789012:${key.name}`,
      forceDestroy: false,
    });
    expect(copy.options.protect).toBe(true);
    expect(one(mocks, T.lock, `${n}-copy-lock`).inputs).toMatchObject({
      backupVaultName: copy.name,
      minRetentionDays: 35,
      region: "eu-central-1",
    });
    const [rule] = one(mocks, T.plan).inputs.rules as any[];
    expect(rule.copyActions).toEqual([
      {
        destinationVaultArn: `arn:aws:backup:eu-central-1:123456789012:${copy.name}`,
        lifecycle: { deleteAfter: 35 },
      },
    ]);
    // The source vault stays in the stack's region.
    expect(one(mocks, T.vault, `${n}-vault`).inputs.region).toBeUndefined();
  });

  it("copies nowhere in dev by default or when turned off, and honours a chosen region", async () => {
    const dev = await build("dev");
    expect((one(dev.mocks, T.plan).inputs.rules as any[])[0].copyActions).toBeUndefined();
    expect(dev.mocks.byType(T.vault)).toHaveLength(1);
    const off = await build("prod", { crossRegionCopy: { enabled: false } });
    expect(off.mocks.byType(T.vault)).toHaveLength(1);
    const chosen = await build("dev", { crossRegionCopy: { enabled: true, region: "eu-west-3" } });
    expect(one(chosen.mocks, T.vault, `${chosen.n}-copy`).inputs.region).toBe("eu-west-3");
  });

  it("refuses a copy region without a default, naming the key, before creating anything", async () => {
    const mocks = await mockPulumi({ region: "sa-east-1" });
    const config = awsConfig("prod");
    expect(
      () =>
        new Backup("b", {
          ...commonArgs({ ...config, region: "sa-east-1" }),
          backup: { ...config.backup, crossRegionCopy: { enabled: true } },
          storage: storageOutputs(),
          kubernetes: kubernetesOutputs(),
        }),
    ).toThrow(/args\.backup\.crossRegionCopy\.region: has no default for sa-east-1/);
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });

  it("keeps both auto-named vaults within AWS Backup's 50 characters at the longest officeless:name", async () => {
    const name = "a".repeat(22) + "-x";
    const mocks = await mockPulumi({ region: "eu-west-1" });
    const config = awsConfig("prod");
    new Backup(`${name}-backup`, {
      ...commonArgs({ ...config, name }),
      backup: config.backup,
      storage: storageOutputs(),
      kubernetes: kubernetesOutputs(),
    });
    await settle();
    const vaults = mocks.byType(T.vault);
    expect(vaults).toHaveLength(2);
    // Pulumi auto-names `<logical name>-<7 characters>`.
    for (const v of vaults) expect(v.name.length + 8).toBeLessThanOrEqual(50);
  });
});
