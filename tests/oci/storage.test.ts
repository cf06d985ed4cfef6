/**
 * OCI storage under mocks: the Vault key and the grants OCI services and the CSI
 * drivers need, the default block StorageClass, File Storage (key, snapshot policy from the backup
 * config, mount target behind an NSG open to the nodes on NFS ports, export limited to the VCN,
 * in-transit encryption), buckets with no public access, versioning, the key and lifecycle rules,
 * and protection in prod (backup: tests/oci/backup.test.ts).
 */
import { Storage } from "../../components/storage";
import { PlatformConfig } from "../../components/types";
import { NFS_TCP_PORTS, NFS_UDP_PORTS } from "../../providers/oci/storage";
import { mockPulumi, one, RecordingMocks, settle, valueOf } from "../harness";
import {
  COMPARTMENT,
  expectTagged,
  NODE_NSG,
  ociCommonArgs,
  ociConfig,
  ociKubernetesOutputs,
  ociNetworkOutputs,
  REGION,
  withKubernetes,
} from "./fixtures";
import { MOCK_OCI_AD_PREFIX, MOCK_OCI_NAMESPACE } from "../../automation/offline/clouds/oci";

const T = {
  bucket: "oci:ObjectStorage/bucket:Bucket",
  lifecycle: "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy",
  policy: "oci:Identity/policy:Policy",
  key: "oci:Kms/key:Key",
  fs: "oci:FileStorage/fileSystem:FileSystem",
  mt: "oci:FileStorage/mountTarget:MountTarget",
  exp: "oci:FileStorage/export:Export",
  snapshots: "oci:FileStorage/filesystemSnapshotPolicy:FilesystemSnapshotPolicy",
  sc: "kubernetes:storage.k8s.io/v1:StorageClass",
  rule: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
};

async function build(
  environment: "dev" | "prod" = "prod",
  change: (c: PlatformConfig) => PlatformConfig = (c) => c,
) {
  const mocks = await mockPulumi({ region: REGION });
  const config = change(ociConfig(environment));
  const n = `${config.name}-storage`;
  const storage = new Storage(
    n,
    {
      ...ociCommonArgs(config),
      zones: config.zones,
      storage: config.storage,
      network: ociNetworkOutputs(),
      kubernetes: ociKubernetesOutputs(),
      ...(config.backup.enabled ? { backup: config.backup } : {}),
    },
    withKubernetes(),
  );
  await valueOf(storage.outputs.buckets);
  await settle();
  return { mocks, storage, config, n };
}
const statements = (mocks: RecordingMocks, name: string) =>
  one(mocks, T.policy, name).inputs.statements as string[];

describe("OCI storage", () => {
  it("grants Block Volume, Object Storage, File Storage and the cluster's CSI drivers the storage key only", async () => {
    const { mocks, n } = await build();
    const key = `${n}-storage-key-id`;
    const where = `compartment id ${COMPARTMENT}`;
    expect(statements(mocks, `${n}-storage-key-policy`)).toEqual([
      `Allow service blockstorage to use keys in ${where} where target.key.id = '${key}'`,
      `Allow service objectstorage-${REGION} to use keys in ${where} where target.key.id = '${key}'`,
      `Allow service FssOc1Prod to use keys in ${where} where target.key.id = '${key}'`,
      `Allow any-user to use key-delegates in ${where} where ALL {request.principal.type = 'cluster', target.key.id = '${key}'}`,
      `Allow any-user to use key-delegates in ${where} where ALL {request.principal.type = 'nodepool', target.key.id = '${key}'}`,
    ]);
    expect(statements(mocks, `${n}-storage-csi-policy`)).toEqual([
      `Allow any-user to manage file-family in ${where} where request.principal.type = 'cluster'`,
      `Allow any-user to use virtual-network-family in ${where} where request.principal.type = 'cluster'`,
    ]);
  });

  it("makes the encrypted, expandable, zone-aware Block Volume class the default, after the key grant", async () => {
    const { mocks, n, storage } = await build();
    const block = one(mocks, T.sc, `${n}-block`);
    expect(block.inputs).toMatchObject({
      provisioner: "blockvolume.csi.oraclecloud.com",
      parameters: {
        "attachment-type": "paravirtualized",
        "kms-key-id": `${n}-storage-key-id`,
        vpusPerGB: "10",
      },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Retain",
      metadata: { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    });
    expect(block.options.dependsOn).toContain(one(mocks, T.policy, `${n}-storage-key-policy`).urn);
    expect(await valueOf(storage.outputs.blockStorageClass)).toBe("officeless-block");
    expect(
      one((await build("dev")).mocks, T.sc, "officeless-dev-storage-block").inputs.reclaimPolicy,
    ).toBe("Delete");
  });

  it("keeps File Storage under the key, in the first AD, behind a mount target open to the nodes on NFS ports only", async () => {
    const { mocks, n } = await build();
    expect(one(mocks, T.fs).inputs).toMatchObject({
      availabilityDomain: `${MOCK_OCI_AD_PREFIX}:EU-FRANKFURT-1-AD-1`,
      kmsKeyId: `${n}-storage-key-id`,
      filesystemSnapshotPolicyId: `${n}-files-snapshots-id`,
    });
    expect(one(mocks, T.fs).options.protect).toBe(true);
    expect(one(mocks, T.mt).inputs).toMatchObject({
      subnetId: expect.stringMatching(/workers$/),
      nsgIds: [`${n}-files-nsg-id`],
    });
    const ingress = mocks.byType(T.rule).map((r) => r.inputs as Record<string, any>);
    expect(ingress.every((r) => r.direction === "INGRESS" && r.source === NODE_NSG)).toBe(true);
    const ports = (proto: string, key: string) =>
      ingress
        .filter((r) => r.protocol === proto)
        .map((r) => [r[key].destinationPortRange.min, r[key].destinationPortRange.max]);
    expect(ports("6", "tcpOptions")).toEqual(NFS_TCP_PORTS);
    expect(ports("17", "udpOptions")).toEqual(NFS_UDP_PORTS);
    expect(NFS_TCP_PORTS).toContainEqual([2048, 2051]);
    expect(one(mocks, T.exp).inputs).toMatchObject({
      exportOptions: [
        { source: "10.50.0.0/16", access: "READ_WRITE", requirePrivilegedSourcePort: false },
      ],
    });
  });

  it("tags the volumes the CSI drivers create with fixed tags (a StorageClass cannot change) and the backup selection tag", async () => {
    const { mocks, n } = await build();
    for (const role of ["block", "file"]) {
      const params = one(mocks, T.sc, `${n}-${role}`).inputs.parameters as Record<string, string>;
      expect(JSON.parse(params["oci.oraclecloud.com/initial-freeform-tags-override"])).toEqual({
        environment: "prod",
        "managed-by": "officeless",
        "officeless-backup": "true",
      });
    }
  });

  it("offers a file class whose volumes the CSI driver creates in that mount target, encrypted in transit and at rest", async () => {
    const { mocks, n, storage } = await build();
    expect(one(mocks, T.sc, `${n}-file`).inputs).toMatchObject({
      provisioner: "fss.csi.oraclecloud.com",
      parameters: {
        availabilityDomain: "EU-FRANKFURT-1-AD-1",
        mountTargetOcid: `${n}-mount-target-id`,
        compartmentOcid: COMPARTMENT,
        kmsKeyOcid: `${n}-storage-key-id`,
        encryptInTransit: "true",
      },
    });
    expect(await valueOf(storage.outputs.fileSystemId)).toBe(`${n}-files-id`);
    const off = await build("prod", (c) => ({
      ...c,
      storage: { ...c.storage, file: { enabled: false } },
    }));
    expect(off.mocks.byType(T.fs)).toEqual([]);
    expect(await valueOf(off.storage.outputs.fileStorageClass)).toBe("");
  });

  it("snapshots File Storage on the backup schedule, kept retentionDays, in UTC", async () => {
    const { mocks } = await build();
    expect(one(mocks, T.snapshots).inputs.state).toBe("ACTIVE");
    expect(one(mocks, T.snapshots).inputs.schedules).toEqual([
      {
        period: "DAILY",
        hourOfDay: 3,
        timeZone: "UTC",
        retentionDurationInSeconds: String(35 * 86400),
        schedulePrefix: "officeless",
      },
    ]);
    const off = await build("dev", (c) => ({ ...c, backup: { ...c.backup, enabled: false } }));
    expect(off.mocks.byType(T.snapshots)).toEqual([]);
    expect(one(off.mocks, T.fs).inputs.filesystemSnapshotPolicyId).toBeUndefined();
  });

  it("keeps every bucket private, versioned, under the key and protected in prod, with lifecycle rules Object Storage may run", async () => {
    const { mocks, n, storage } = await build();
    const buckets = mocks.byType(T.bucket);
    expect(buckets).toHaveLength(5);
    for (const b of buckets) {
      expect(b.inputs).toMatchObject({
        namespace: MOCK_OCI_NAMESPACE,
        accessType: "NoPublicAccess",
        versioning: "Enabled",
        kmsKeyId: `${n}-storage-key-id`,
      });
      expect(b.options.protect).toBe(true);
    }
    const rules = one(mocks, T.lifecycle, `${n}-data-lifecycle`).inputs.rules;
    expect(rules).toEqual([
      expect.objectContaining({
        action: "INFREQUENT_ACCESS",
        target: "objects",
        timeAmount: "30",
        timeUnit: "DAYS",
      }),
      expect.objectContaining({
        action: "DELETE",
        target: "previous-object-versions",
        timeAmount: "90",
      }),
      expect.objectContaining({ action: "ABORT", target: "multipart-uploads", timeAmount: "7" }),
    ]);
    const grant = one(mocks, T.policy, `${n}-storage-lifecycle-policy`);
    expect(grant.inputs.statements).toEqual([
      `Allow service objectstorage-${REGION} to manage object-family in compartment id ${COMPARTMENT}`,
    ]);
    expect(one(mocks, T.lifecycle, `${n}-data-lifecycle`).options.dependsOn).toContain(grant.urn);
    expect(await valueOf(storage.outputs.buckets)).toEqual({
      data: `${n}-data`,
      backups: `${n}-backups`,
      metrics: `${n}-metrics`,
      logs: `${n}-logs`,
      traces: `${n}-traces`,
    });
  });

  it("protects nothing in dev", async () => {
    const { mocks } = await build("dev");
    expect(mocks.resources.filter((r) => r.options.protect).map((r) => r.name)).toEqual([]);
  });

  it("tags every taggable resource", async () => {
    const { mocks } = await build();
    expectTagged(mocks.resources, "prod", "storage");
  });
});
