import { Backup } from "../../components/backup";
import { BUCKET_PURPOSES, Storage } from "../../components/storage";
import { PlatformConfig, StorageConfig } from "../../components/types";
import { alibabaBackupSchedule } from "../../providers/alibaba/catalog";
import { mockPulumi, one, RecordingMocks, settle, valueOf } from "../harness";
import {
  alibabaCommonArgs,
  alibabaConfig,
  alibabaKubernetesOutputs,
  alibabaNetworkOutputs,
  alibabaStorageOutputs,
  mockSwitchCidr,
  REGION,
  STORAGE_KEY,
  vswitch,
  VPC_ID,
  withKubernetes,
  ZONES,
} from "./fixtures";

const T = {
  key: "alicloud:kms/key:Key",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  nas: "alicloud:nas/fileSystem:FileSystem",
  mount: "alicloud:nas/mountTarget:MountTarget",
  accessRule: "alicloud:nas/accessRule:AccessRule",
  bucket: "alicloud:oss/bucket:Bucket",
  publicAccess: "alicloud:oss/bucketPublicAccessBlock:BucketPublicAccessBlock",
  policy: "alicloud:oss/bucketPolicy:BucketPolicy",
  logging: "alicloud:oss/bucketLogging:BucketLogging",
  snapshotPolicy: "alicloud:ecs/autoSnapshotPolicy:AutoSnapshotPolicy",
  vault: "alicloud:hbr/vault:Vault",
  nasPlan: "alicloud:hbr/nasBackupPlan:NasBackupPlan",
};

async function build(environment: "dev" | "prod" = "prod", storage: Partial<StorageConfig> = {}) {
  const mocks = await mockPulumi({ region: REGION });
  const base = alibabaConfig(environment);
  const config: PlatformConfig = { ...base, storage: { ...base.storage, ...storage } };
  const n = `${config.name}-storage`;
  const component = new Storage(
    n,
    {
      ...alibabaCommonArgs(config),
      zones: config.zones,
      storage: config.storage,
      network: alibabaNetworkOutputs(),
      kubernetes: alibabaKubernetesOutputs(),
    },
    withKubernetes(),
  );
  await valueOf(component.outputs.buckets);
  await settle();
  return { mocks, n, out: component.outputs, config };
}

const sc = (mocks: RecordingMocks, role: string) =>
  one(mocks, T.storageClass, `officeless-prod-storage-${role}`);

describe("Alibaba Cloud storage", () => {
  it("makes the KMS-encrypted, expandable ESSD class the default, bound where the pod lands, kept in prod", async () => {
    const { mocks } = await build();
    const key = one(mocks, T.key);
    expect(key.options.protect).toBe(true);
    expect(sc(mocks, "block").inputs).toMatchObject({
      metadata: {
        name: "officeless-block",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "diskplugin.csi.alibabacloud.com",
      parameters: { type: "cloud_essd", encrypted: "true", kmsKeyId: `${key.name}-id` },
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Retain",
    });
  });

  it("encrypts NAS with the key, admits only the node vSwitches and mounts it once, leaving NAS's second slot to HBR", async () => {
    const { mocks, n } = await build();
    const key = one(mocks, T.key);
    const nas = one(mocks, T.nas);
    expect(nas.inputs).toMatchObject({
      protocolType: "NFS",
      fileSystemType: "standard",
      encryptType: 2,
      kmsKeyId: `${key.name}-id`,
    });
    expect(nas.options.protect).toBe(true);
    expect(mocks.byType(T.accessRule).map((r) => r.inputs.sourceCidrIp)).toEqual(
      ZONES.map((_, i) => mockSwitchCidr("private", i)),
    );
    const mounts = mocks.byType(T.mount);
    expect(mounts.map((m) => m.inputs.vswitchId)).toEqual([vswitch("private", ZONES[0])]);
    for (const m of mounts)
      expect(m.inputs).toMatchObject({
        fileSystemId: `${n}-files-id`,
        networkType: "Vpc",
        vpcId: VPC_ID,
      });
    expect(sc(mocks, "file").inputs).toMatchObject({
      metadata: { name: "officeless-file" },
      provisioner: "nasplugin.csi.alibabacloud.com",
      parameters: {
        volumeAs: "subpath",
        server: expect.stringMatching(/\.nas\.aliyuncs\.com:\/k8s\/$/),
      },
      mountOptions: ["nolock,tcp,noresvport", "vers=3"],
    });
  });

  it("keeps each purpose's bucket versioned, SSE-KMS with the key, private, TLS-only, with the config's lifecycle and access logs", async () => {
    const { mocks, n, out, config } = await build();
    const key = one(mocks, T.key);
    const buckets = await valueOf(out.buckets);
    expect(Object.keys(buckets)).toEqual([...BUCKET_PURPOSES]);
    for (const purpose of BUCKET_PURPOSES) {
      const b = one(mocks, T.bucket, `${n}-${purpose}`);
      expect(buckets[purpose]).toMatch(new RegExp(`^${n}-${purpose}-[a-z0-9]{6}$`));
      expect(b.inputs).toMatchObject({
        versioning: { status: "Enabled" },
        serverSideEncryptionRule: { sseAlgorithm: "KMS", kmsMasterKeyId: `${key.name}-id` },
        forceDestroy: false,
      });
      expect(b.options.protect).toBe(true);
      const lifecycle = config.storage.object.lifecycle;
      expect(b.inputs.lifecycleRules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            transitions: [{ days: lifecycle.transitionToInfrequentAccessDays, storageClass: "IA" }],
          }),
          expect.objectContaining({
            noncurrentVersionExpirations: [{ days: lifecycle.noncurrentVersionExpirationDays }],
          }),
          expect.objectContaining({
            abortMultipartUploads: [{ days: lifecycle.abortIncompleteMultipartUploadDays }],
          }),
        ]),
      );
      expect(
        one(mocks, T.publicAccess, `${n}-${purpose}-public-access`).inputs.blockPublicAccess,
      ).toBe(true);
      const policy = JSON.parse(
        one(mocks, T.policy, `${n}-${purpose}-tls-only`).inputs.policy as string,
      );
      expect(policy.Statement[0]).toMatchObject({
        Effect: "Deny",
        Condition: { Bool: { "acs:SecureTransport": ["false"] } },
        Resource: [`acs:oss:*:*:${buckets[purpose]}`, `acs:oss:*:*:${buckets[purpose]}/*`],
      });
      expect(one(mocks, T.logging, `${n}-${purpose}-logging`).inputs.targetPrefix).toBe(
        `${purpose}/`,
      );
    }
  });

  it("sends access logs to a bucket of their own with OSS-managed encryption, no versions and a year's expiry in prod", async () => {
    const { mocks, n } = await build();
    const logs = one(mocks, T.bucket, `${n}-access-logs`);
    expect(logs.inputs.serverSideEncryptionRule).toEqual({ sseAlgorithm: "AES256" });
    expect(logs.inputs.versioning).toBeUndefined();
    expect(logs.inputs.lifecycleRules).toEqual([
      expect.objectContaining({ enabled: true, expirations: [{ days: 365 }] }),
    ]);
    expect(mocks.byType(T.logging).map((l) => l.inputs.targetBucket)).toEqual(
      BUCKET_PURPOSES.map(() => logs.inputs.bucket),
    );
    expect(
      mocks.byType(T.logging).find((l) => l.name === `${n}-access-logs-logging`),
    ).toBeUndefined();
  });

  it("empties buckets on destroy and deletes released volumes outside prod; no file system when file storage is off", async () => {
    const { mocks, n, out } = await build("dev", { file: { enabled: false } });
    expect(one(mocks, T.bucket, `${n}-data`).inputs.forceDestroy).toBe(true);
    expect(one(mocks, T.bucket, `${n}-data`).options.protect).toBe(false);
    expect(mocks.byType(T.nas)).toEqual([]);
    expect(await valueOf(out.fileSystemId)).toBe("");
  });
});

describe("Alibaba Cloud backup", () => {
  async function backup(schedule = "0 3 * * *") {
    const mocks = await mockPulumi({ region: REGION });
    const base = alibabaConfig("prod");
    const config = { ...base, backup: { ...base.backup, schedule, retentionDays: 21 } };
    const component = new Backup("officeless-prod-backup", {
      ...alibabaCommonArgs(config),
      backup: config.backup,
      storage: alibabaStorageOutputs(),
      kubernetes: alibabaKubernetesOutputs(),
    });
    await valueOf(component.outputs.planId);
    await settle();
    return mocks;
  }

  it("snapshots the disks of every tagged node daily at the configured UTC hour (UTC+8 in the policy) for retentionDays", async () => {
    const mocks = await backup();
    expect(one(mocks, T.snapshotPolicy).inputs).toMatchObject({
      timePoints: ["11"],
      repeatWeekdays: ["1", "2", "3", "4", "5", "6", "7"],
      retentionDays: 21,
      associationType: "AssociatedWithInstanceTag",
      targetTags: [{ tagKey: "officeless-backup", tagValue: "true" }],
    });
  });

  it("backs NAS up with HBR into a KMS-encrypted vault, kept in prod, on the same schedule", async () => {
    const mocks = await backup();
    const vault = one(mocks, T.vault);
    expect(vault.inputs).toMatchObject({
      encryptType: "KMS",
      kmsKeyId: STORAGE_KEY,
      vaultType: "STANDARD",
    });
    expect(vault.options.protect).toBe(true);
    expect(one(mocks, T.nasPlan).inputs).toMatchObject({
      fileSystemId: "0a1b2c3d4e",
      vaultId: `${vault.name}-id`,
      retention: "21",
      paths: ["/"],
      schedule: `I|${Date.UTC(2025, 0, 6, 3) / 1000}|P1D`,
    });
  });

  it("moves a run past 16:00 UTC to the next weekday in UTC+8, and refuses what snapshot policies cannot express", () => {
    expect(alibabaBackupSchedule("0 20 * * 1")).toEqual({
      schedule: { weekdays: ["2"], hours: ["4"], hbr: `I|${Date.UTC(2025, 0, 6, 20) / 1000}|P7D` },
    });
    expect(alibabaBackupSchedule("cron(0 3 * * ? *)")).toMatchObject({
      schedule: { hours: ["11"] },
    });
    expect(alibabaBackupSchedule("30 3 * * *")).toEqual({
      error: expect.stringMatching(/on the hour/),
    });
    expect(alibabaBackupSchedule("0 3 1 * *")).toEqual({
      error: expect.stringMatching(/day of month/),
    });
    expect(alibabaBackupSchedule("0 3,20 * * 1")).toEqual({
      error: expect.stringMatching(/UTC\+8/),
    });
  });
});
