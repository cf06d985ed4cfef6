/**
 * On-prem storage layer. Default: Rook-Ceph, one system for all three kinds:
 * - block: an RBD pool (3 replicas over zones in prod) and the `officeless-block` StorageClass
 *   (default class, expansion, Retain in prod);
 * - file: a CephFS file system and the `officeless-file` class (ReadWriteMany);
 * - object: an RGW object store and one bucket per purpose through ObjectBucketClaims, each with
 *   the config's lifecycle rules (RGW's bucket lifecycle through the OBC `bucketLifecycle` field;
 *   versioning is not settable through an OBC, and RGW has no infrequent-access tier by default,
 *   so `transitionToInfrequentAccessDays` does not apply); the claims' Secrets hold the buckets'
 *   S3 keys (the observability layer reads them);
 * - OSDs encrypted at rest with dm-crypt (keys in Kubernetes Secrets of the Rook namespace), the
 *   Ceph wire protocol encrypted (msgr2 secure mode), and a VolumeSnapshotClass per driver that
 *   Velero picks by label, with the CSI snapshot controller where the distribution lacks it.
 * Alternatives by config: Longhorn (encrypted volumes) or an existing StorageClass for block,
 * csi-driver-nfs to an existing NAS export for file, an external S3 endpoint for buckets (which
 * must exist: `<bucketPrefix>-<purpose>`). MinIO is not offered: its community edition is in
 * maintenance mode. OpenShift: upstream Rook is refused by config (ODF is Red Hat's Rook);
 * existing classes and external S3 work there.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { scrapeAnnotations } from "../../components/observabilityCollectors";
import { helmRelease } from "../../components/charts";
import {
  BUCKET_PURPOSES,
  BucketPurpose,
  StorageArgs,
  StorageOutputs,
} from "../../components/storage";
import {
  reclaimPolicy as reclaimPolicyFor,
  STORAGE_CLASS_NAMES,
  storageClass,
} from "../../components/storageClass";
import { Environment, ObjectLifecycleConfig, Scope } from "../../components/types";
import { onpremOf } from "./common";
import { distributionOf, manifest, namespace, zoneSpread } from "./inCluster";
import type { OnpremConfig, OnpremStorageConfig } from "./types";

export const ROOK_NAMESPACE = "rook-ceph";
export const LONGHORN_NAMESPACE = "longhorn-system";
const KUBE_SYSTEM = "kube-system";

/** Ceph object names; the CSI drivers are prefixed with the operator's namespace. */
export const CEPH = {
  blockPool: "officeless-block",
  fileSystem: "officeless-fs",
  /** CephFS names its data pools `<fs>-<pool>`. */
  fileDataPool: "data0",
  objectStore: "officeless",
  rbdDriver: `${ROOK_NAMESPACE}.rbd.csi.ceph.com`,
  cephfsDriver: `${ROOK_NAMESPACE}.cephfs.csi.ceph.com`,
  bucketProvisioner: `${ROOK_NAMESPACE}.ceph.rook.io/bucket`,
} as const;
export const BUCKET_CLASS = "officeless-bucket";
/** RGW accepts any region string; the chart's own bucket class uses this one. */
export const RGW_REGION = "us-east-1";
export const LONGHORN_DRIVER = "driver.longhorn.io";
export const NFS_DRIVER = "nfs.csi.k8s.io";
/** Velero picks the VolumeSnapshotClass of a driver by this label. */
export const VELERO_SNAPSHOT_CLASS_LABEL = "velero.io/csi-volumesnapshot-class";
export const LONGHORN_CRYPTO_SECRET = "longhorn-crypto";

/** The in-cluster S3 endpoint of the RGW object store (host:port, no scheme): plain HTTP in the cluster network. */
export function rgwEndpoint(): string {
  return `rook-ceph-rgw-${CEPH.objectStore}.${ROOK_NAMESPACE}.svc:80`;
}

/** The block StorageClass volumes use: the platform's, or the customer's with `existing`. */
export function blockClassName(onprem: OnpremConfig): string {
  const block = onprem.storage.block;
  return block.provider === "existing" && block.storageClassName
    ? block.storageClassName
    : STORAGE_CLASS_NAMES.block;
}

/** The Secret (and ConfigMap) an ObjectBucketClaim's provisioner writes: named after the claim. */
export function bucketClaimName(purpose: BucketPurpose): string {
  return `officeless-${purpose}`;
}

/**
 * The S3 keys Rook wrote into the Secret of a claim in the Rook namespace (named after the claim),
 * read once `after` resolves: pass an output that resolves only when the claim is Bound.
 */
export function bucketClaimKeys(
  scope: Scope,
  role: string,
  claim: string,
  after: pulumi.Output<unknown>,
): pulumi.Output<{ accessKeyId: string; secretAccessKey: string }> {
  const secret = k8s.core.v1.Secret.get(
    `${scope.name}-${role}`,
    after.apply(() => `${ROOK_NAMESPACE}/${claim}`),
    { parent: scope.parent },
  );
  const decoded = (data: Record<string, string> | undefined, key: string) => {
    const value = data?.[key];
    if (value === undefined) throw new Error(`bucket claim Secret ${claim} has no ${key}`);
    return Buffer.from(value, "base64").toString("utf8");
  };
  return pulumi.secret(
    secret.data.apply((data) => ({
      accessKeyId: decoded(data, "AWS_ACCESS_KEY_ID"),
      secretAccessKey: decoded(data, "AWS_SECRET_ACCESS_KEY"),
    })),
  );
}

/** Whether any kind of storage runs on Ceph (then the operator and cluster charts are installed). */
export function usesCeph(storage: OnpremStorageConfig, fileEnabled: boolean): boolean {
  return (
    storage.block.provider === "rook-ceph" ||
    (fileEnabled && storage.file.provider === "rook-ceph") ||
    storage.object.provider === "rook-ceph"
  );
}

/**
 * Replication: 3 copies, one per zone, in prod (at least 3 zones; per host with fewer); dev keeps 2
 * copies on different hosts with one manager. Three monitors either way: config validation asks
 * for 3 nodes with disks wherever Ceph runs.
 */
export function cephLayout(
  environment: Environment,
  zones: readonly string[],
): { failureDomain: "zone" | "host"; size: number; mons: number; mgrs: number } {
  if (environment !== "prod") return { failureDomain: "host", size: 2, mons: 3, mgrs: 1 };
  return { failureDomain: zones.length >= 3 ? "zone" : "host", size: 3, mons: 3, mgrs: 2 };
}

/**
 * rook-ceph (operator) v1.20.6 values. The OBC provisioner may apply bucket lifecycle rules
 * (`bucketLifecycle` is off by default as "risky" for self-service claims; only the platform
 * writes claims here). It watches claims in the operator's namespace only (the chart's default).
 */
export function rookOperatorValues(): Record<string, unknown> {
  return {
    crds: { enabled: true },
    obcAllowAdditionalConfigFields: "maxObjects,maxSize,bucketLifecycle",
    enableOBCWatchOperatorNamespace: true,
  };
}

function replicated(size: number): Record<string, unknown> {
  // Fewer than 3 copies must be allowed explicitly (dev).
  return size < 3 ? { size, requireSafeReplicaSize: false } : { size };
}

/**
 * rook-ceph-cluster v1.20.6 values. The chart's own StorageClasses and snapshot classes are off:
 * this module creates them (fixed platform names, Retain in prod, the Velero label). Lists
 * replace the chart's defaults whole, so each item is given in full.
 */
export function rookClusterValues(args: {
  readonly environment: Environment;
  readonly zones: readonly string[];
  readonly blockPool: boolean;
  readonly fileSystem: boolean;
  readonly objectStore: boolean;
  readonly deviceFilter?: string;
}): Record<string, unknown> {
  const layout = cephLayout(args.environment, args.zones);
  const ha = args.environment === "prod";
  const { failureDomain } = layout;
  const pool = { failureDomain, replicated: replicated(layout.size) };
  return {
    operatorNamespace: ROOK_NAMESPACE,
    cephClusterSpec: {
      mon: { count: layout.mons, allowMultiplePerNode: false },
      mgr: { count: layout.mgrs, allowMultiplePerNode: false },
      // The Ceph cluster's metrics: the mgr's prometheus module (9283, on by Rook's default).
      annotations: { mgr: scrapeAnnotations(9283, { container: "mgr" }) },
      network: {
        // msgr2 secure mode between daemons and clients (kernel 5.11+ on the nodes).
        connections: { encryption: { enabled: true }, requireMsgr2: true },
      },
      storage: {
        useAllNodes: true,
        // Only the disks the filter names, or every empty disk Rook finds (Rook never takes a
        // disk with partitions or a file system).
        useAllDevices: args.deviceFilter === undefined,
        ...(args.deviceFilter !== undefined ? { deviceFilter: args.deviceFilter } : {}),
        // dm-crypt on every OSD: data at rest is encrypted; keys are Secrets in the Rook namespace.
        config: { encryptedDevice: "true" },
      },
      placement: {
        // One monitor per zone, so a zone loss keeps the quorum.
        mon: {
          topologySpreadConstraints: zoneSpread({ app: "rook-ceph-mon" }, ha),
        },
      },
    },
    cephBlockPools: args.blockPool
      ? [{ name: CEPH.blockPool, spec: pool, storageClass: { enabled: false } }]
      : [],
    cephFileSystems: args.fileSystem
      ? [
          {
            name: CEPH.fileSystem,
            spec: {
              metadataPool: { replicated: replicated(layout.size) },
              dataPools: [{ name: CEPH.fileDataPool, ...pool }],
              preserveFilesystemOnDelete: true,
              // The chart's defaults, restated: a list item replaces the default item whole.
              metadataServer: {
                activeCount: 1,
                activeStandby: true,
                resources: {
                  limits: { memory: "4Gi" },
                  requests: { cpu: "1000m", memory: "4Gi" },
                },
                priorityClassName: "system-cluster-critical",
              },
            },
            storageClass: { enabled: false },
          },
        ]
      : [],
    cephObjectStores: args.objectStore
      ? [
          {
            name: CEPH.objectStore,
            spec: {
              metadataPool: pool,
              // Replicated rather than the chart's 2+1 erasure code: dev has one host.
              dataPool: pool,
              preservePoolsOnDelete: true,
              gateway: {
                port: 80,
                instances: ha ? 2 : 1,
                resources: {
                  limits: { memory: "2Gi" },
                  requests: { cpu: "1000m", memory: "1Gi" },
                },
                priorityClassName: "system-cluster-critical",
              },
            },
            storageClass: { enabled: false },
          },
        ]
      : [],
    cephBlockPoolsVolumeSnapshotClass: { enabled: false },
    cephFileSystemVolumeSnapshotClass: { enabled: false },
  };
}

/** Longhorn 1.12.1 values: replicas per zone in prod (hard zone anti-affinity), its own class not default. */
export function longhornValues(
  environment: Environment,
  openshift: boolean,
): Record<string, unknown> {
  const ha = environment === "prod";
  return {
    persistence: { defaultClass: false },
    // Replica counts come from the StorageClass (`numberOfReplicas`); the defaults here only
    // decide where replicas may go: a different zone each in HA.
    defaultSettings: {
      replicaZoneSoftAntiAffinity: !ha,
      replicaSoftAntiAffinity: false,
    },
    longhornUI: { replicas: ha ? 2 : 1 },
    openshift: { enabled: openshift },
    // The managers' metrics (volumes, nodes, disks; 9500), to the collectors.
    annotations: scrapeAnnotations(9500, { container: "longhorn-manager" }),
  };
}

/** csi-driver-nfs 4.13.4 values: the controller (provisioner, snapshotter) replicated in HA. */
export function nfsDriverValues(environment: Environment): Record<string, unknown> {
  return { controller: { replicas: environment === "prod" ? 2 : 1 } };
}

/** snapshot-controller 5.2.0 values: the external-snapshotter CRDs and controller, replicated in HA. */
export function snapshotControllerValues(environment: Environment): Record<string, unknown> {
  const ha = environment === "prod";
  return {
    installCRDs: true,
    // Its metrics (the chart's `httpEndpoint` :8080), to the collectors.
    controller: { replicaCount: ha ? 2 : 1, podAnnotations: scrapeAnnotations(8080) },
  };
}

/**
 * The config's lifecycle as the S3 JSON RGW takes through an OBC, rules sorted by ID (Rook
 * re-applies the rules on every reconcile and compares them in order).
 */
export function bucketLifecycle(lifecycle: ObjectLifecycleConfig): string {
  const rules = [
    {
      ID: "abort-incomplete-multipart-uploads",
      Status: "Enabled",
      Prefix: "",
      AbortIncompleteMultipartUpload: {
        DaysAfterInitiation: lifecycle.abortIncompleteMultipartUploadDays,
      },
    },
    {
      ID: "expire-noncurrent-versions",
      Status: "Enabled",
      Prefix: "",
      NoncurrentVersionExpiration: { NoncurrentDays: lifecycle.noncurrentVersionExpirationDays },
    },
  ].sort((a, b) => a.ID.localeCompare(b.ID));
  return JSON.stringify({ Rules: rules });
}

/** The buckets' names: `<name>-<purpose>` on RGW, `<bucketPrefix>-<purpose>` on an external store. */
export function bucketNames(name: string, onprem: OnpremConfig): Record<BucketPurpose, string> {
  const external =
    onprem.storage.object.provider === "external" ? onprem.storage.object.external : undefined;
  const prefix = external?.bucketPrefix ?? name;
  const names = {} as Record<BucketPurpose, string>;
  for (const purpose of BUCKET_PURPOSES) names[purpose] = `${prefix}-${purpose}`;
  // Velero's bucket is the backup layer's (providers/onprem/backup.ts): the external target, or
  // on the cluster's RGW a claim beside Velero (its Secret must be in Velero's namespace), named
  // after the Backup component (`<name>-backup`).
  names.backups =
    onprem.backup.target === "external" && onprem.backup.external
      ? onprem.backup.external.bucket
      : `${name}-backup`;
  return names;
}

/** A sub-section config validation requires with this choice (providers/onprem/catalog.ts). */
function required<T>(value: T | undefined, key: string): T {
  if (value === undefined)
    throw new Error(`officeless:${key} is required with this storage choice`);
  return value;
}

export function onpremStorage(scope: Scope, args: StorageArgs): StorageOutputs {
  const onprem = onpremOf(args);
  const s = onprem.storage;
  const fileEnabled = args.storage.file.enabled && s.file.provider !== "none";
  const reclaimPolicy = reclaimPolicyFor(args.environment);
  const facts = distributionOf(onprem);

  // VolumeSnapshotClass is the external-snapshotter's CRD: present on RKE2 and OpenShift only.
  const snapshots: pulumi.Resource[] = facts.snapshotController
    ? []
    : [
        helmRelease(scope, "snapshot-controller", {
          chart: "snapshotController",
          namespace: KUBE_SYSTEM,
          createNamespace: false,
          values: snapshotControllerValues(args.environment),
        }),
      ];

  const ceph = usesCeph(s, fileEnabled) ? rookCeph(scope, args, onprem, fileEnabled) : undefined;

  let blockStorageClass: pulumi.Output<string>;
  let encryptionKeyId: pulumi.Output<string>;
  if (s.block.provider === "rook-ceph") {
    blockStorageClass = storageClass(scope, "block", {
      defaultClass: args.storage.block.defaultClass,
      provisioner: CEPH.rbdDriver,
      parameters: {
        ...cephCsiParameters("rbd"),
        pool: CEPH.blockPool,
        imageFormat: "2",
        imageFeatures: "layering",
        "csi.storage.k8s.io/fstype": "ext4",
      },
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy,
      dependsOn: [ceph!.cluster],
    });
    snapshotClass(
      scope,
      "block",
      CEPH.rbdDriver,
      snapshotParameters("rbd"),
      reclaimPolicy,
      snapshots,
      ceph!.cluster,
    );
    encryptionKeyId = pulumi.output(
      `${ROOK_NAMESPACE}/rook-ceph-osd-encryption-key (dm-crypt, per OSD)`,
    );
  } else if (s.block.provider === "longhorn") {
    const longhorn = longhornStorage(scope, args, onprem);
    blockStorageClass = storageClass(scope, "block", {
      defaultClass: args.storage.block.defaultClass,
      provisioner: LONGHORN_DRIVER,
      parameters: longhornParameters(args.environment),
      allowVolumeExpansion: true,
      // The first replica lands where the pod runs (data locality) when binding waits for it.
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy,
      dependsOn: [longhorn.release, longhorn.secret],
    });
    snapshotClass(
      scope,
      "block",
      LONGHORN_DRIVER,
      { type: "snap" },
      reclaimPolicy,
      snapshots,
      longhorn.release,
    );
    encryptionKeyId = pulumi.output(`${LONGHORN_NAMESPACE}/${LONGHORN_CRYPTO_SECRET}`);
  } else {
    // The customer's class: its driver, encryption and snapshot class are theirs.
    blockStorageClass = pulumi.output(blockClassName(onprem));
    encryptionKeyId = pulumi.output("");
  }

  let file:
    { fileSystemId: pulumi.Output<string>; storageClass: pulumi.Output<string> } | undefined;
  if (fileEnabled && s.file.provider === "rook-ceph") {
    const fileClass = storageClass(scope, "file", {
      provisioner: CEPH.cephfsDriver,
      parameters: {
        ...cephCsiParameters("cephfs"),
        fsName: CEPH.fileSystem,
        pool: `${CEPH.fileSystem}-${CEPH.fileDataPool}`,
      },
      allowVolumeExpansion: true,
      volumeBindingMode: "Immediate",
      reclaimPolicy,
      dependsOn: [ceph!.cluster],
    });
    snapshotClass(
      scope,
      "file",
      CEPH.cephfsDriver,
      snapshotParameters("cephfs"),
      reclaimPolicy,
      snapshots,
      ceph!.cluster,
    );
    file = {
      fileSystemId: pulumi.output(`${ROOK_NAMESPACE}/${CEPH.fileSystem}`),
      storageClass: fileClass,
    };
  } else if (fileEnabled && s.file.provider === "nfs") {
    file = nfsStorage(
      scope,
      args,
      required(s.file.nfs, "onprem.storage.file.nfs"),
      reclaimPolicy,
      snapshots,
    );
  }

  const names = bucketNames(scope.name.replace(/-storage$/, ""), onprem);
  const buckets =
    s.object.provider === "rook-ceph"
      ? bucketClaims(scope, args, names, ceph!.cluster, reclaimPolicy)
      : pulumi.output(names);

  return {
    blockStorageClass,
    fileSystemId: file?.fileSystemId ?? pulumi.output(""),
    fileStorageClass: file?.storageClass ?? pulumi.output(""),
    buckets,
    encryptionKeyId,
  };
}

/** The Ceph CSI Secrets Rook creates for a driver, named in each StorageClass. */
function cephCsiParameters(driver: "rbd" | "cephfs"): Record<string, string> {
  const provisioner = `rook-csi-${driver}-provisioner`;
  return {
    clusterID: ROOK_NAMESPACE,
    "csi.storage.k8s.io/provisioner-secret-name": provisioner,
    "csi.storage.k8s.io/provisioner-secret-namespace": ROOK_NAMESPACE,
    "csi.storage.k8s.io/controller-expand-secret-name": provisioner,
    "csi.storage.k8s.io/controller-expand-secret-namespace": ROOK_NAMESPACE,
    "csi.storage.k8s.io/node-stage-secret-name": `rook-csi-${driver}-node`,
    "csi.storage.k8s.io/node-stage-secret-namespace": ROOK_NAMESPACE,
  };
}

function snapshotParameters(driver: "rbd" | "cephfs"): Record<string, string> {
  return {
    clusterID: ROOK_NAMESPACE,
    "csi.storage.k8s.io/snapshotter-secret-name": `rook-csi-${driver}-provisioner`,
    "csi.storage.k8s.io/snapshotter-secret-namespace": ROOK_NAMESPACE,
  };
}

/** A VolumeSnapshotClass Velero uses for the driver; the block one is the cluster default. */
function snapshotClass(
  scope: Scope,
  role: "block" | "file",
  driver: string,
  parameters: Record<string, string>,
  deletionPolicy: string,
  snapshots: pulumi.Resource[],
  driverReady: pulumi.Resource,
): k8s.apiextensions.CustomResource {
  return manifest(
    scope,
    `${role}-snapshot-class`,
    {
      apiVersion: "snapshot.storage.k8s.io/v1",
      kind: "VolumeSnapshotClass",
      name: `officeless-${role}`,
      labels: { [VELERO_SNAPSHOT_CLASS_LABEL]: "true" },
      annotations:
        role === "block" ? { "snapshot.storage.kubernetes.io/is-default-class": "true" } : {},
      // Retain in prod: a deleted VolumeSnapshot keeps its data until Velero expires the backup.
      fields: { driver, deletionPolicy, parameters },
    },
    { dependsOn: [...snapshots, driverReady] },
  );
}

/** The Rook operator and the Ceph cluster; the cluster release waits for the operator's CRDs and webhook. */
function rookCeph(
  scope: Scope,
  args: StorageArgs,
  onprem: OnpremConfig,
  fileEnabled: boolean,
): { cluster: k8s.helm.v3.Release } {
  const s = onprem.storage;
  const ns = namespace(scope, "rook-ceph", ROOK_NAMESPACE, { level: "privileged" });
  const operator = helmRelease(
    scope,
    "rook-ceph",
    {
      chart: "rookCeph",
      namespace: ROOK_NAMESPACE,
      createNamespace: false,
      values: rookOperatorValues(),
    },
    { dependsOn: [ns] },
  );
  const cluster = helmRelease(
    scope,
    "rook-ceph-cluster",
    {
      chart: "rookCephCluster",
      namespace: ROOK_NAMESPACE,
      createNamespace: false,
      values: rookClusterValues({
        environment: args.environment,
        zones: args.zones,
        blockPool: s.block.provider === "rook-ceph",
        fileSystem: fileEnabled && s.file.provider === "rook-ceph",
        objectStore: s.object.provider === "rook-ceph",
        deviceFilter: s.ceph.deviceFilter,
      }),
    },
    // The CephCluster holds every volume's data: prod never uninstalls it with a destroy.
    { dependsOn: [operator], protect: scope.protect },
  );
  return { cluster };
}

/** Longhorn replicas per size and environment, encrypted with a generated passphrase (dm-crypt, LUKS2). */
function longhornParameters(environment: Environment): Record<string, string> {
  const ref = (kind: string) => ({
    [`csi.storage.k8s.io/${kind}-secret-name`]: LONGHORN_CRYPTO_SECRET,
    [`csi.storage.k8s.io/${kind}-secret-namespace`]: LONGHORN_NAMESPACE,
  });
  return {
    numberOfReplicas: environment === "prod" ? "3" : "1",
    staleReplicaTimeout: "30",
    fsType: "ext4",
    dataLocality: "best-effort",
    encrypted: "true",
    ...ref("provisioner"),
    ...ref("node-publish"),
    ...ref("node-stage"),
    ...ref("node-expand"),
  };
}

function longhornStorage(
  scope: Scope,
  args: StorageArgs,
  onprem: OnpremConfig,
): { release: k8s.helm.v3.Release; secret: k8s.core.v1.Secret } {
  const ns = namespace(scope, "longhorn", LONGHORN_NAMESPACE, { level: "privileged" });
  const release = helmRelease(
    scope,
    "longhorn",
    {
      chart: "longhorn",
      namespace: LONGHORN_NAMESPACE,
      createNamespace: false,
      values: longhornValues(args.environment, onprem.distribution === "openshift"),
    },
    { dependsOn: [ns], protect: scope.protect },
  );
  const passphrase = new random.RandomPassword(
    `${scope.name}-longhorn-passphrase`,
    { length: 64, special: false },
    // Losing the passphrase loses every encrypted volume.
    { parent: scope.parent, protect: scope.protect },
  );
  // Longhorn's volume encryption Secret (longhorn.io docs, "Volume Encryption").
  const secret = new k8s.core.v1.Secret(
    `${scope.name}-longhorn-crypto`,
    {
      metadata: { name: LONGHORN_CRYPTO_SECRET, namespace: LONGHORN_NAMESPACE },
      stringData: {
        CRYPTO_KEY_VALUE: passphrase.result,
        CRYPTO_KEY_PROVIDER: "secret",
        CRYPTO_KEY_CIPHER: "aes-xts-plain64",
        CRYPTO_KEY_HASH: "sha256",
        CRYPTO_KEY_SIZE: "256",
        CRYPTO_PBKDF: "argon2i",
      },
    },
    {
      parent: scope.parent,
      dependsOn: [ns],
      protect: scope.protect,
      additionalSecretOutputs: ["stringData", "data"],
    },
  );
  return { release, secret };
}

/** csi-driver-nfs to the existing export: each volume a subdirectory of the share. */
function nfsStorage(
  scope: Scope,
  args: StorageArgs,
  nfs: { readonly server: string; readonly share: string },
  reclaimPolicy: string,
  snapshots: pulumi.Resource[],
): { fileSystemId: pulumi.Output<string>; storageClass: pulumi.Output<string> } {
  const release = helmRelease(scope, "csi-driver-nfs", {
    chart: "csiDriverNfs",
    namespace: KUBE_SYSTEM,
    createNamespace: false,
    values: nfsDriverValues(args.environment),
  });
  const fileClass = storageClass(scope, "file", {
    provisioner: NFS_DRIVER,
    parameters: { server: nfs.server, share: nfs.share },
    // NFSv4.1: one TCP port (2049), no portmapper or lockd callbacks through firewalls.
    mountOptions: ["nfsvers=4.1"],
    allowVolumeExpansion: true,
    volumeBindingMode: "Immediate",
    reclaimPolicy,
    dependsOn: [release],
  });
  snapshotClass(scope, "file", NFS_DRIVER, {}, reclaimPolicy, snapshots, release);
  return { fileSystemId: pulumi.output(`${nfs.server}:${nfs.share}`), storageClass: fileClass };
}

/**
 * The RGW bucket class and one claim per purpose but backups (the backup layer claims Velero's beside it). Each claim counts as created once Rook reports
 * it Bound (bucket, user and Secret exist), so `buckets` resolves only then.
 */
function bucketClaims(
  scope: Scope,
  args: StorageArgs,
  names: Record<BucketPurpose, string>,
  cluster: pulumi.Resource,
  reclaimPolicy: string,
): pulumi.Output<Record<BucketPurpose, string>> {
  const bucketClass = new k8s.storage.v1.StorageClass(
    `${scope.name}-bucket`,
    {
      metadata: { name: BUCKET_CLASS },
      provisioner: CEPH.bucketProvisioner,
      // Retain: deleting a claim in prod keeps the bucket and its objects.
      reclaimPolicy,
      volumeBindingMode: "Immediate",
      parameters: {
        objectStoreName: CEPH.objectStore,
        objectStoreNamespace: ROOK_NAMESPACE,
        region: RGW_REGION,
      },
    },
    { parent: scope.parent, dependsOn: [cluster] },
  );
  const lifecycle = bucketLifecycle(args.storage.object.lifecycle);
  const out = {} as Record<BucketPurpose, pulumi.Output<string>>;
  for (const purpose of BUCKET_PURPOSES) {
    if (purpose === "backups") {
      out[purpose] = pulumi.output(names[purpose]);
      continue;
    }
    const claim = manifest(
      scope,
      `bucket-${purpose}`,
      {
        apiVersion: "objectbucket.io/v1alpha1",
        kind: "ObjectBucketClaim",
        name: bucketClaimName(purpose),
        namespace: ROOK_NAMESPACE,
        waitFor: "jsonpath={.status.phase}=Bound",
        spec: {
          bucketName: names[purpose],
          storageClassName: BUCKET_CLASS,
          additionalConfig: { bucketLifecycle: lifecycle },
        },
      },
      {
        dependsOn: [bucketClass],
        protect: scope.protect,
        // On a first deploy the claim waits for Ceph itself (monitors, OSDs on every disk, RGW).
        customTimeouts: { create: "45m" },
      },
    );
    out[purpose] = claim.metadata.apply(() => names[purpose]);
  }
  return pulumi.output(out) as pulumi.Output<Record<BucketPurpose, string>>;
}
