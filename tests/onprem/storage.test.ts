/**
 * On-prem storage under mocks: Rook-Ceph by default (RBD block class, CephFS file class, RGW
 * buckets through ObjectBucketClaims, encrypted OSDs, snapshot classes), and the alternatives by
 * config (Longhorn, an existing class, csi-driver-nfs, an external S3 endpoint), per distribution.
 */
import { Storage, StorageOutputs } from "../../components/storage";
import { PlatformConfig } from "../../components/types";
import { bucketLifecycle, rookClusterValues } from "../../providers/onprem/storage";
import { mockPulumi, RecordingMocks, settle, valueOf } from "../harness";
import { Raw } from "./fixtures";
import {
  devConfig,
  onpremArgs,
  openshiftStorage,
  prodConfig,
  upstream,
  withKubernetes,
} from "./layerFixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SC = "kubernetes:storage.k8s.io/v1:StorageClass";
const OBC = "kubernetes:objectbucket.io/v1alpha1:ObjectBucketClaim";
const VSC = "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass";

async function build(config: PlatformConfig) {
  const mocks = await mockPulumi();
  const storage = new Storage(
    "officeless-prod-storage",
    {
      ...onpremArgs(config),
      zones: config.zones,
      storage: config.storage,
      network: upstream.networkOutputs(config.zones),
      kubernetes: upstream.kubernetesOutputs(),
    },
    withKubernetes(),
  );
  const o = storage.outputs;
  const outputs: Record<keyof StorageOutputs, unknown> = {
    blockStorageClass: await valueOf(o.blockStorageClass),
    fileSystemId: await valueOf(o.fileSystemId),
    fileStorageClass: await valueOf(o.fileStorageClass),
    buckets: await valueOf(o.buckets),
    encryptionKeyId: await valueOf(o.encryptionKeyId),
  };
  await settle();
  return { mocks, outputs };
}

const release = (mocks: RecordingMocks, name: string) =>
  mocks.byType(RELEASE, `officeless-prod-storage-${name}`)[0];
const sc = (mocks: RecordingMocks, role: string) =>
  mocks.byType(SC, `officeless-prod-storage-${role}`)[0];

describe("Rook-Ceph on RKE2 (prod)", () => {
  let mocks: RecordingMocks;
  let outputs: Record<string, unknown>;
  beforeAll(async () => {
    ({ mocks, outputs } = await build(prodConfig("rke2")));
  });

  it("installs the operator, then the cluster (protected), allowing lifecycle rules on bucket claims", () => {
    const operator = release(mocks, "rook-ceph");
    expect(operator.inputs).toMatchObject({
      chart: "rook-ceph",
      version: "v1.20.6",
      namespace: "rook-ceph",
    });
    expect((operator.inputs.values as any).obcAllowAdditionalConfigFields).toBe(
      "maxObjects,maxSize,bucketLifecycle",
    );
    const cluster = release(mocks, "rook-ceph-cluster");
    expect(cluster.inputs).toMatchObject({ chart: "rook-ceph-cluster", version: "v1.20.6" });
    expect(cluster.options.dependsOn).toContain(operator.urn);
    expect(cluster.options.protect).toBe(true);
  });

  it("encrypts OSDs at rest and the Ceph wire protocol, three monitors spread over zones", () => {
    const spec = (release(mocks, "rook-ceph-cluster").inputs.values as any).cephClusterSpec;
    expect(spec.storage).toMatchObject({
      useAllNodes: true,
      useAllDevices: true,
      config: { encryptedDevice: "true" },
    });
    expect(spec.network.connections).toEqual({ encryption: { enabled: true }, requireMsgr2: true });
    expect(spec.mon.count).toBe(3);
    expect(spec.placement.mon.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
    });
  });

  it("keeps three replicas, one per zone, in every pool; the chart's own classes off", () => {
    const values = release(mocks, "rook-ceph-cluster").inputs.values as any;
    expect(values.cephBlockPools).toEqual([
      {
        name: "officeless-block",
        spec: { failureDomain: "zone", replicated: { size: 3 } },
        storageClass: { enabled: false },
      },
    ]);
    expect(values.cephFileSystems[0].spec.dataPools[0]).toMatchObject({
      failureDomain: "zone",
      replicated: { size: 3 },
    });
    expect(values.cephObjectStores[0].spec).toMatchObject({
      dataPool: { failureDomain: "zone", replicated: { size: 3 } },
      preservePoolsOnDelete: true,
      gateway: { instances: 2 },
    });
    expect(values.cephBlockPoolsVolumeSnapshotClass).toEqual({ enabled: false });
    // List items replace the chart's whole: its MDS and RGW resources are restated.
    expect(values.cephFileSystems[0].spec.metadataServer.resources.requests.memory).toBe("4Gi");
    expect(values.cephObjectStores[0].spec.gateway.priorityClassName).toBe(
      "system-cluster-critical",
    );
  });

  it("makes the RBD class the expandable, retained default, after the cluster", () => {
    const block = sc(mocks, "block");
    expect(block.inputs).toMatchObject({
      metadata: {
        name: "officeless-block",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "rook-ceph.rbd.csi.ceph.com",
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Retain",
      parameters: {
        clusterID: "rook-ceph",
        pool: "officeless-block",
        "csi.storage.k8s.io/node-stage-secret-name": "rook-csi-rbd-node",
        "csi.storage.k8s.io/controller-expand-secret-name": "rook-csi-rbd-provisioner",
      },
    });
    expect(block.options.dependsOn).toContain(release(mocks, "rook-ceph-cluster").urn);
    expect(outputs.blockStorageClass).toBe("officeless-block");
    expect(outputs.encryptionKeyId).toMatch(/dm-crypt/);
  });

  it("serves CephFS through the file class", () => {
    expect(sc(mocks, "file").inputs).toMatchObject({
      metadata: { name: "officeless-file" },
      provisioner: "rook-ceph.cephfs.csi.ceph.com",
      parameters: { fsName: "officeless-fs", pool: "officeless-fs-data0" },
    });
    expect(outputs.fileSystemId).toBe("rook-ceph/officeless-fs");
    expect(outputs.fileStorageClass).toBe("officeless-file");
  });

  it("labels a snapshot class per driver for Velero; RKE2 brings the snapshot controller", () => {
    expect(release(mocks, "snapshot-controller")).toBeUndefined();
    const classes = mocks
      .byType(VSC)
      .sort((a, b) => (a.inputs.driver as string).localeCompare(b.inputs.driver as string))
      .reverse();
    expect(classes.map((c) => [c.inputs.driver, c.inputs.deletionPolicy])).toEqual([
      ["rook-ceph.rbd.csi.ceph.com", "Retain"],
      ["rook-ceph.cephfs.csi.ceph.com", "Retain"],
    ]);
    for (const c of classes)
      expect((c.inputs.metadata as any).labels).toEqual({
        "velero.io/csi-volumesnapshot-class": "true",
      });
    expect((classes[0].inputs.metadata as any).annotations).toEqual({
      "snapshot.storage.kubernetes.io/is-default-class": "true",
    });
  });

  it("claims one RGW bucket per purpose, Bound before use, protected, with the lifecycle rules", () => {
    const claims = mocks.byType(OBC);
    // Velero's bucket is the backup layer's (here the external target).
    expect(claims.map((c) => (c.inputs.spec as any).bucketName)).toEqual([
      "officeless-prod-data",
      "officeless-prod-metrics",
      "officeless-prod-logs",
      "officeless-prod-traces",
    ]);
    const rules = JSON.parse((claims[0].inputs.spec as any).additionalConfig.bucketLifecycle).Rules;
    expect(rules.map((r: any) => r.ID)).toEqual([
      "abort-incomplete-multipart-uploads",
      "expire-noncurrent-versions",
    ]);
    for (const c of claims) {
      expect(c.inputs.metadata).toMatchObject({
        namespace: "rook-ceph",
        annotations: { "pulumi.com/waitFor": "jsonpath={.status.phase}=Bound" },
      });
      expect((c.inputs.spec as any).storageClassName).toBe("officeless-bucket");
      expect(c.options.protect).toBe(true);
    }
    expect(sc(mocks, "bucket").inputs).toMatchObject({
      provisioner: "rook-ceph.ceph.rook.io/bucket",
      reclaimPolicy: "Retain",
      parameters: { objectStoreName: "officeless", objectStoreNamespace: "rook-ceph" },
    });
    expect(outputs.buckets).toEqual({
      data: "officeless-prod-data",
      backups: "officeless-prod-backup",
      metrics: "officeless-prod-metrics",
      logs: "officeless-prod-logs",
      traces: "officeless-prod-traces",
    });
  });
});

describe("Rook-Ceph on K3s (dev)", () => {
  it("installs the snapshot controller first, keeps two copies per host, deletes released volumes", async () => {
    const { mocks, outputs } = await build(devConfig());
    const snapshots = release(mocks, "snapshot-controller");
    expect(snapshots.inputs).toMatchObject({
      chart: "snapshot-controller",
      version: "5.2.0",
      namespace: "kube-system",
    });
    for (const c of mocks.byType(VSC)) {
      expect(c.options.dependsOn).toContain(snapshots.urn);
      expect(c.inputs.deletionPolicy).toBe("Delete");
    }
    const values = release(mocks, "rook-ceph-cluster").inputs.values as any;
    expect(values.cephBlockPools[0].spec).toEqual({
      failureDomain: "host",
      replicated: { size: 2, requireSafeReplicaSize: false },
    });
    expect(release(mocks, "rook-ceph-cluster").options.protect).toBe(false);
    expect(sc(mocks, "block").inputs.reclaimPolicy).toBe("Delete");
    // Backups stay on the cluster's RGW in dev, in a claim the backup layer makes beside Velero.
    expect(mocks.byType(OBC)).toHaveLength(4);
    expect(outputs.buckets).toMatchObject({ backups: "officeless-prod-backup" });
  });
});

const alternatives = (raw: Raw) => {
  raw.onprem.storage = {
    block: { provider: "longhorn" },
    file: { provider: "nfs", nfs: { server: "nas.dc1.example.com", share: "/exports/officeless" } },
    object: {
      provider: "external",
      external: {
        endpoint: "s3.dc1.example.com",
        bucketPrefix: "dc1-platform",
        accessKeyId: "AKIAOBJECTS",
        secretAccessKey: "objects-secret-key",
      },
    },
  };
};

describe("Longhorn, NFS and an external S3 endpoint (vanilla)", () => {
  let mocks: RecordingMocks;
  let outputs: Record<string, unknown>;
  beforeAll(async () => {
    ({ mocks, outputs } = await build(prodConfig("vanilla", alternatives)));
  });

  it("installs no Ceph and claims no bucket: the external buckets are named by the prefix", () => {
    expect(release(mocks, "rook-ceph")).toBeUndefined();
    expect(mocks.byType(OBC)).toEqual([]);
    expect(outputs.buckets).toMatchObject({
      data: "dc1-platform-data",
      metrics: "dc1-platform-metrics",
    });
  });

  it("encrypts Longhorn volumes with a generated passphrase kept as a secret, three replicas over zones", () => {
    expect(release(mocks, "longhorn").inputs.values).toMatchObject({
      persistence: { defaultClass: false },
      defaultSettings: { replicaZoneSoftAntiAffinity: false },
    });
    const secret = mocks.byType(
      "kubernetes:core/v1:Secret",
      "officeless-prod-storage-longhorn-crypto",
    )[0];
    expect(secret.inputs.metadata).toMatchObject({
      name: "longhorn-crypto",
      namespace: "longhorn-system",
    });
    expect(secret.options.protect).toBe(true);
    const block = sc(mocks, "block");
    expect(block.inputs).toMatchObject({
      provisioner: "driver.longhorn.io",
      parameters: {
        encrypted: "true",
        numberOfReplicas: "3",
        "csi.storage.k8s.io/node-stage-secret-name": "longhorn-crypto",
      },
    });
    expect(block.options.dependsOn).toEqual(
      expect.arrayContaining([release(mocks, "longhorn").urn, secret.urn]),
    );
    expect(outputs.encryptionKeyId).toBe("longhorn-system/longhorn-crypto");
  });

  it("mounts the NAS export over NFSv4.1 through csi-driver-nfs", () => {
    const file = sc(mocks, "file");
    expect(file.inputs).toMatchObject({
      provisioner: "nfs.csi.k8s.io",
      parameters: { server: "nas.dc1.example.com", share: "/exports/officeless" },
      mountOptions: ["nfsvers=4.1"],
    });
    expect(file.options.dependsOn).toContain(release(mocks, "csi-driver-nfs").urn);
    expect(outputs.fileSystemId).toBe("nas.dc1.example.com:/exports/officeless");
    expect(
      mocks
        .byType(VSC)
        .map((c) => c.inputs.driver)
        .sort(),
    ).toEqual(["driver.longhorn.io", "nfs.csi.k8s.io"]);
  });
});

describe("OpenShift: ODF's class and an external S3 endpoint", () => {
  it("creates no class and no chart but the snapshot classes it cannot know", async () => {
    const { mocks, outputs } = await build(prodConfig("openshift", openshiftStorage));
    expect(mocks.byType(RELEASE)).toEqual([]);
    expect(mocks.byType(SC)).toEqual([]);
    expect(mocks.byType(VSC)).toEqual([]);
    expect(outputs.blockStorageClass).toBe("ocs-storagecluster-ceph-rbd");
    expect(outputs.fileStorageClass).toBe("");
  });

  it("refuses upstream Rook-Ceph there, at config validation", () => {
    expect(() => prodConfig("openshift")).toThrow(
      /officeless:onprem\.storage\.block\.provider = "rook-ceph"/,
    );
  });
});

describe("values builders", () => {
  it("uses the device filter when given, instead of every empty disk", () => {
    const values = rookClusterValues({
      environment: "prod",
      zones: ["a", "b", "c"],
      blockPool: true,
      fileSystem: false,
      objectStore: false,
      deviceFilter: "^nvme[1-9]n1",
    }) as any;
    expect(values.cephClusterSpec.storage).toMatchObject({
      useAllDevices: false,
      deviceFilter: "^nvme[1-9]n1",
    });
    expect(values.cephFileSystems).toEqual([]);
    expect(values.cephObjectStores).toEqual([]);
  });

  it("puts the configured retention into the lifecycle rules", () => {
    const rules = JSON.parse(
      bucketLifecycle({
        transitionToInfrequentAccessDays: 30,
        noncurrentVersionExpirationDays: 45,
        abortIncompleteMultipartUploadDays: 3,
      }),
    ).Rules;
    expect(rules[0].AbortIncompleteMultipartUpload.DaysAfterInitiation).toBe(3);
    expect(rules[1].NoncurrentVersionExpiration.NoncurrentDays).toBe(45);
  });
});
