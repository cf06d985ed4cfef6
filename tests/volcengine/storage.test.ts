import { Backup } from "../../components/backup";
import { Storage } from "../../components/storage";
import { Environment } from "../../components/types";
import { nasServer } from "../../providers/volcengine/storage";
import { credentialsFile, VELERO_CREDENTIALS_SECRET } from "../../components/velero";
import { mockPulumi, one, policyStatements, releaseValues, settle, valueOf } from "../harness";
import {
  BUCKETS,
  commonArgs,
  kubernetesOutputs,
  networkOutputs,
  STORAGE_KEY,
  storageOutputs,
  T,
  volcengineConfig,
  withKubernetes,
} from "./fixtures";

async function build(environment: Environment) {
  const mocks = await mockPulumi({ region: "cn-shanghai" });
  const config = volcengineConfig(environment);
  const n = `${config.name}-storage`;
  const component = new Storage(
    n,
    {
      ...commonArgs(config),
      zones: config.zones,
      storage: config.storage,
      network: networkOutputs(),
      kubernetes: kubernetesOutputs(),
    },
    withKubernetes(),
  );
  await valueOf(component.outputs.buckets);
  await valueOf(component.outputs.fileStorageClass);
  await settle();
  return { mocks, component, config, n };
}

describe("Volcengine storage", () => {
  it("makes the EBS CSI class the default: ESSD, expandable, WaitForFirstConsumer, after the csi-ebs add-on", async () => {
    const { mocks, n } = await build("prod");
    const block = one(mocks, T.storageClass, `${n}-block`);
    expect(block.inputs).toMatchObject({
      provisioner: "ebs.csi.volcengine.com",
      parameters: { type: "ESSD_PL0" },
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Retain",
      metadata: { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    });
    const addon = one(mocks, T.addon, `${n}-csi-ebs`);
    expect(addon.inputs).toMatchObject({ clusterId: "cc-officeless", name: "csi-ebs" });
    expect(block.options.dependsOn).toContain(addon.urn);
  });

  it("opens NAS to the private subnets only, mounts it in a private subnet, and gives each claim a directory", async () => {
    const { mocks, n, component } = await build("prod");
    const permissions = one(mocks, T.nasPermissions);
    // The mocks' reads report the private subnets' CIDRs.
    expect(permissions.inputs.permissionRules).toEqual(
      ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"].map((cidrIp) => ({
        cidrIp,
        rwMode: "RW",
        useMode: "No_root_squash",
      })),
    );
    for (const i of [0, 1, 2])
      expect(one(mocks, T.subnet, `${n}-private-${i}-read`).custom).toBe(true);
    expect(one(mocks, T.nasMount).inputs).toMatchObject({
      fileSystemId: `${n}-nas-id`,
      permissionGroupId: expect.stringMatching(/^pgroup-/),
      subnetId: "subnet-private-0",
    });
    const nas = one(mocks, T.nas);
    expect(nas.options.protect).toBe(true);
    expect(nas.inputs.zoneId).toBe("cn-shanghai-a");
    const file = one(mocks, T.storageClass, `${n}-file`);
    expect(file.inputs).toMatchObject({
      provisioner: "nas.csi.volcengine.com",
      parameters: {
        fsId: `${n}-nas-id`,
        server: nasServer(`${n}-nas-id`, "vpc-officeless"),
        volumeAs: "subpath",
      },
      mountOptions: ["nolock,proto=tcp,noresvport", "vers=3"],
    });
    expect(file.options.dependsOn).toEqual(
      expect.arrayContaining([one(mocks, T.nasMount).urn, one(mocks, T.addon, `${n}-csi-nas`).urn]),
    );
    expect(await valueOf(component.outputs.fileSystemId)).toBe(`${n}-nas-id`);
  });

  it("derives the NAS server name as VKE's NAS StorageClasses spell it", () => {
    expect(nasServer("enas-cngz0e5b", "vpc-36td87")).toBe("cngz0e5b.vpc-36td87.nas.ivolces.com");
  });

  it("keeps one private, versioned bucket per purpose, with SSE-KMS and lifecycle as their own resources", async () => {
    const { mocks, n, config, component } = await build("prod");
    const buckets = mocks.byType(T.bucket);
    expect(buckets).toHaveLength(5);
    const key = one(mocks, T.key);
    for (const bucket of buckets) {
      expect(bucket.inputs).toMatchObject({
        publicAcl: "private",
        enableVersion: true,
        azRedundancy: "multi-az",
      });
      expect(bucket.inputs.bucketName).toMatch(/^[a-z0-9-]{3,63}$/);
      expect(bucket.options.protect).toBe(true);
      const purpose = bucket.name.slice(n.length + 1);
      const encryption = one(mocks, T.bucketEncryption, `${n}-${purpose}-encryption`);
      expect(encryption.inputs).toEqual({
        bucketName: bucket.inputs.bucketName,
        rule: {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "kms",
            kmsDataEncryption: "AES256",
            kmsMasterKeyId: expect.stringMatching(
              /^trn:kms:cn-shanghai:\d+:keyrings\/.+\/keys\/.+$/,
            ),
          },
        },
      });
      const lifecycle = one(mocks, T.bucketLifecycle, `${n}-${purpose}-lifecycle`);
      const { lifecycle: l } = config.storage.object;
      expect(lifecycle.inputs.rules).toEqual([
        expect.objectContaining({
          status: "Enabled",
          nonCurrentVersionExpiration: { nonCurrentDays: l.noncurrentVersionExpirationDays },
          abortIncompleteMultipartUpload: {
            daysAfterInitiation: l.abortIncompleteMultipartUploadDays,
          },
          transitions: [{ days: l.transitionToInfrequentAccessDays, storageClass: "IA" }],
        }),
      ]);
    }
    expect(key.options.protect).toBe(true);
    expect(key.inputs).toMatchObject({ keySpec: "SYMMETRIC_256", rotateState: "Enable" });
    expect(String(key.inputs.keyName).length).toBeLessThanOrEqual(31);
    expect(String(one(mocks, T.keyring).inputs.keyringName).length).toBeLessThanOrEqual(31);
    expect(await valueOf(component.outputs.encryptionKeyId)).toMatch(/^trn:kms:/);
  });

  it("deletes released volumes and protects nothing outside prod, single-zone buckets", async () => {
    const { mocks, n } = await build("dev");
    expect(one(mocks, T.storageClass, `${n}-block`).inputs.reclaimPolicy).toBe("Delete");
    for (const r of [...mocks.byType(T.bucket), ...mocks.byType(T.nas), ...mocks.byType(T.key)])
      expect(r.options.protect).toBe(false);
    expect(mocks.byType(T.bucket)[0].inputs.azRedundancy).toBe("single-az");
  });
});

describe("Volcengine backup (Velero)", () => {
  async function backup() {
    const mocks = await mockPulumi({ region: "cn-shanghai" });
    const config = volcengineConfig("prod");
    const component = new Backup(
      "b",
      {
        ...commonArgs(config),
        backup: { ...config.backup, schedule: "cron(0 3 * * ? *)" },
        storage: storageOutputs(),
        kubernetes: kubernetesOutputs(),
      },
      withKubernetes(),
    );
    await valueOf(component.outputs.planId);
    await settle();
    return { mocks, component, config };
  }

  it("schedules Velero backups of every namespace and pod volume to the backups bucket, kept the configured days", async () => {
    const { mocks, component } = await backup();
    const values = releaseValues(mocks, "b-velero");
    expect(values.configuration.backupStorageLocation).toEqual([
      expect.objectContaining({
        provider: "aws",
        bucket: BUCKETS.backups,
        default: true,
        config: expect.objectContaining({
          region: "cn-shanghai",
          s3Url: "https://tos-s3-cn-shanghai.ivolces.com",
          s3ForcePathStyle: "false",
        }),
      }),
    ]);
    // Objects only: kopia addresses buckets path style, TOS serves virtual-hosted only, so no
    // file-system backup of the volumes could reach its repository.
    expect(values.configuration).toMatchObject({ defaultVolumesToFsBackup: false });
    expect(values.deployNodeAgent).toBe(false);
    expect(values.schedules.daily.template).toMatchObject({
      defaultVolumesToFsBackup: false,
      snapshotVolumes: false,
    });
    // The AWS form of the default is converted to Velero's five-field cron.
    expect(values.schedules.daily).toMatchObject({
      schedule: "0 3 * * *",
      template: { ttl: "840h0m0s", includedNamespaces: ["*"] },
    });
    expect(values.credentials).toEqual({
      useSecret: true,
      existingSecret: VELERO_CREDENTIALS_SECRET,
    });
    expect(JSON.stringify(values)).not.toContain("aws_secret_access_key");
    expect(await valueOf(component.outputs.vaultName)).toBe(BUCKETS.backups);
  });

  it("runs as an IAM user scoped to the backups bucket and the storage key, its key in a Secret", async () => {
    const { mocks } = await backup();
    const [objects, kms] = policyStatements(one(mocks, T.iamPolicy).inputs.policyDocument);
    expect(objects.Resource).toEqual([
      `trn:tos:::${BUCKETS.backups}`,
      `trn:tos:::${BUCKETS.backups}/*`,
    ]);
    expect(kms.Resource).toEqual([STORAGE_KEY]);
    const secret = one(mocks, T.secret, "b-velero-credentials");
    expect(secret.inputs.stringData).toBe("[secret]");
    const release = one(mocks, T.release, "b-velero");
    expect(release.options.dependsOn).toEqual(
      expect.arrayContaining([secret.urn, one(mocks, T.iamAttachment).urn]),
    );
    expect(credentialsFile("AK", "SK")).toBe(
      "[default]\naws_access_key_id=AK\naws_secret_access_key=SK\n",
    );
  });
});
