import { Backup } from "../components/backup";
import { BackupConfig, PlatformConfig } from "../components/types";
import { ValidationError } from "../components/validation";
import { unixCron } from "../providers/gcp/backup";
import {
  agent,
  CLUSTER_ID,
  expectLabelled,
  gcpCommonArgs,
  gcpConfig,
  gcpKubernetesOutputs,
  gcpStorageOutputs,
  REGION,
  STORAGE_KEY,
} from "./gcpFixtures";
import { mockPulumi, one, settle, valueOf } from "./harness";

const T = {
  plan: "gcp:gkebackup/backupPlan:BackupPlan",
  key: "gcp:kms/cryptoKey:CryptoKey",
  keyIam: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
  service: "gcp:projects/service:Service",
  identity: "gcp:projects/serviceIdentity:ServiceIdentity",
};

async function build(environment: "dev" | "prod", backup: Partial<BackupConfig> = {}) {
  const mocks = await mockPulumi({ region: REGION });
  const base = gcpConfig(environment);
  const config: PlatformConfig = { ...base, backup: { ...base.backup, ...backup } };
  const n = `${config.name}-backup`;
  const component = new Backup(n, {
    ...gcpCommonArgs(config),
    backup: config.backup,
    storage: gcpStorageOutputs(),
    kubernetes: gcpKubernetesOutputs(),
  });
  await valueOf(component.outputs.planId);
  await settle();
  return { mocks, component, n };
}

describe("GCP backup (Backup for GKE)", () => {
  it("backs up every namespace with secrets and volumes of the cluster, on the converted schedule", async () => {
    const { mocks, n } = await build("prod");
    const plan = one(mocks, T.plan);
    expect(plan.inputs).toMatchObject({
      cluster: CLUSTER_ID,
      location: REGION,
      backupConfig: {
        allNamespaces: true,
        includeSecrets: true,
        includeVolumeData: true,
        encryptionKey: { gcpKmsEncryptionKey: `${n}-backup-key-id` },
      },
      backupSchedule: { cronSchedule: "0 3 * * *" },
    });
  });

  it("keeps backups for the configured days and locks them against deletion for as long in prod", async () => {
    const prod = await build("prod");
    const plan = one(prod.mocks, T.plan);
    expect(plan.inputs.retentionPolicy).toEqual({
      backupRetainDays: 35,
      backupDeleteLockDays: 35,
      locked: false,
    });
    expect(plan.options.protect).toBe(true);
    const dev = await build("dev", { retentionDays: 7 });
    expect(one(dev.mocks, T.plan).inputs.retentionPolicy).toEqual({
      backupRetainDays: 7,
      locked: false,
    });
    expect(one(dev.mocks, T.plan).options.protect).toBe(false);
  });

  it("locks prod backups at most the 90 days Backup for GKE allows, however long they are kept", async () => {
    const prod = await build("prod", { retentionDays: 200, schedule: "0 3 * * 0" });
    expect(one(prod.mocks, T.plan).inputs.retentionPolicy).toEqual({
      backupRetainDays: 200,
      backupDeleteLockDays: 90,
      locked: false,
    });
  });

  it("fails before creating anything on a retention Backup for GKE refuses", async () => {
    // A daily schedule keeps at most 360 days (360 times the interval), any schedule at most 365.
    await expect(build("prod", { retentionDays: 361 })).rejects.toThrow(
      /backup\.retentionDays = 361: .*the most is 360/,
    );
    // The component registered before its backend threw: let it settle before the next mocks.
    await settle();
    await expect(build("dev", { retentionDays: 400, schedule: "0 3 1 * *" })).rejects.toThrow(
      /backup\.retentionDays = 400: Backup for GKE keeps a backup at most 365 days/,
    );
    await settle();
  });

  it("encrypts with its own key that Backup for GKE's and GKE's agents may use, granted before the plan", async () => {
    const { mocks, n } = await build("prod");
    const grant = (name: string) => one(mocks, T.keyIam, `${n}-${name}`);
    expect(grant("backup-key-gkebackup").inputs).toEqual({
      cryptoKeyId: `${n}-backup-key-id`,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: agent("gcp-sa-gkebackup.iam.gserviceaccount.com"),
    });
    // "Missing IAM binding - agent service account (KCP)": the GKE agent on the plan's key.
    expect(grant("backup-key-gke").inputs).toEqual({
      cryptoKeyId: `${n}-backup-key-id`,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: agent("container-engine-robot.iam.gserviceaccount.com"),
    });
    // Volume backups of CMEK disks use the disk's key: the storage layer's.
    expect(grant("storage-key-gkebackup").inputs).toEqual({
      cryptoKeyId: STORAGE_KEY,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: agent("gcp-sa-gkebackup.iam.gserviceaccount.com"),
    });
    expect(mocks.byType(T.keyIam)).toHaveLength(3);
    const planDeps = one(mocks, T.plan).options.dependsOn;
    for (const g of mocks.byType(T.keyIam)) expect(planDeps).toContain(g.urn);
    expect(one(mocks, T.key).options.protect).toBe(true);
  });

  it("creates the two service agents before granting them, and enables its APIs first", async () => {
    const { mocks, n } = await build("prod");
    const identity = (service: string) =>
      mocks.byType(T.identity).find((r) => r.inputs.service === service)!;
    const backupAgent = identity("gkebackup.googleapis.com");
    const gkeAgent = identity("container.googleapis.com");
    expect(mocks.byType(T.identity)).toHaveLength(2);
    const grant = (name: string) => one(mocks, T.keyIam, `${n}-${name}`);
    expect(grant("backup-key-gkebackup").options.dependsOn).toContain(backupAgent.urn);
    expect(grant("storage-key-gkebackup").options.dependsOn).toContain(backupAgent.urn);
    expect(grant("backup-key-gke").options.dependsOn).toContain(gkeAgent.urn);
    const apis = mocks.byType(T.service);
    expect(apis.map((a) => a.inputs.service).sort()).toEqual([
      "cloudkms.googleapis.com",
      "container.googleapis.com",
      "gkebackup.googleapis.com",
    ]);
    for (const api of apis) {
      expect(api.inputs.disableOnDestroy).toBe(false);
      expect(one(mocks, T.plan).options.dependsOn).toContain(api.urn);
      expect(one(mocks, T.key).options.dependsOn).toContain(api.urn);
    }
  });

  it("exports the plan and the selection label, and labels its resources", async () => {
    const { mocks, component, n } = await build("prod");
    expect(await valueOf(component.outputs.planId)).toBe(`${n}-plan-id`);
    expect(await valueOf(component.outputs.vaultName)).toBe(`${n}-plan`);
    expect(await valueOf(component.outputs.selectionTag)).toBe("officeless-backup");
    expectLabelled(mocks.resources, "prod", "storage");
  });

  it("converts AWS cron to Unix cron and rejects what Unix cron cannot say", () => {
    expect(unixCron("0 3 * * *")).toBe("0 3 * * *");
    expect(unixCron("cron(0 3 * * ? *)")).toBe("0 3 * * *");
    expect(unixCron("cron(30 2 ? * 1,7 *)")).toBe("30 2 * * 0,6");
    expect(unixCron("cron(0 4 ? * MON-FRI *)")).toBe("0 4 * * MON-FRI");
    expect(() => unixCron("cron(0 3 L * ? *)")).toThrow(ValidationError);
    expect(() => unixCron("cron(0 3 * * ? 2030)")).toThrow(/year/);
    expect(() => unixCron("daily")).toThrow(/backup\.schedule = "daily"/);
  });

  it("fails before creating anything on a bad schedule", async () => {
    await expect(build("prod", { schedule: "every day" })).rejects.toThrow(/five-field cron/);
  });
});
