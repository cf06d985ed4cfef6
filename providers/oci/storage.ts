/**
 * OCI storage layer: a Vault key for everything the layer stores, with the IAM grants OCI's
 * services need to use it (Block Volume, Object Storage, File Storage, and the cluster's CSI
 * drivers as key delegates); the Block Volume CSI StorageClass (paravirtualized attachments, so
 * the node pools' in-transit encryption applies; the key; expansion; WaitForFirstConsumer) as the
 * default; File Storage: a file system under the key with a snapshot policy from the backup config,
 * a mount target in the workers subnet (regional: every AD's nodes reach it) behind an NSG open to
 * the nodes only on NFS ports, an export limited to the VCN, and a file StorageClass whose volumes
 * the CSI driver creates in that mount target, mounted with in-transit encryption (TLS, port
 * 2051); and Object Storage buckets with no public access, versioning, the key, and lifecycle rules.
 */
import * as filestorage from "@pulumi/oci/filestorage";
import * as objectstorage from "@pulumi/oci/objectstorage";
import * as pulumi from "@pulumi/pulumi";
import { reclaimPolicy, storageClass } from "../../components/storageClass";
import type { BucketPurpose, StorageArgs, StorageOutputs } from "../../components/storage";
import { BUCKET_PURPOSES } from "../../components/storage";
import {
  BACKUP_SELECTION_TAG,
  BackupConfig,
  MANAGED_BY,
  ObjectLifecycleConfig,
  Scope,
  TAG_KEYS,
} from "../../components/types";
import { parseOciSchedule, placementOf } from "./catalog";
import {
  availabilityDomainNames,
  displayName,
  iamOptions,
  inCompartment,
  objectStorageNamespace,
  ociSettings,
  ociTags,
  onKey,
  policy,
  vaultKey,
} from "./common";
import { flowRules, nsg } from "./nsg";

export const BLOCK_PROVISIONER = "blockvolume.csi.oraclecloud.com";
/** The CSI drivers' StorageClass parameter for freeform tags on the volumes they create. */
export const INITIAL_TAGS = "oci.oraclecloud.com/initial-freeform-tags-override";
export const FILE_PROVISIONER = "fss.csi.oraclecloud.com";
/** Balanced performance (10 VPUs per GB), Block Volume's default. */
export const BLOCK_VPUS_PER_GB = "10";
/** OCI's File Storage service principal in the commercial realm (oc1). */
export const FSS_SERVICE = "FssOc1Prod";

/**
 * NFS ports a mount target serves (File Storage security rules): portmapper 111, NFS and mount
 * 2048-2050 (TCP and UDP 111/2048), and 2051 for in-transit encryption (oci-fss-utils' TLS tunnel).
 */
export const NFS_TCP_PORTS: readonly [number, number][] = [
  [111, 111],
  [2048, 2051],
];
export const NFS_UDP_PORTS: readonly [number, number][] = [
  [111, 111],
  [2048, 2048],
];

/** Lifecycle rules: infrequent access after N days (0: never), old versions and stale uploads removed. */
export function lifecycleRules(lifecycle: ObjectLifecycleConfig) {
  const rule = (name: string, action: string, target: string, days: number) => ({
    name,
    action,
    target,
    isEnabled: true,
    timeAmount: String(days),
    timeUnit: "DAYS",
  });
  return [
    ...(lifecycle.transitionToInfrequentAccessDays > 0
      ? [
          rule(
            "infrequent-access",
            "INFREQUENT_ACCESS",
            "objects",
            lifecycle.transitionToInfrequentAccessDays,
          ),
        ]
      : []),
    rule(
      "noncurrent-versions",
      "DELETE",
      "previous-object-versions",
      lifecycle.noncurrentVersionExpirationDays,
    ),
    rule(
      "abort-multipart",
      "ABORT",
      "multipart-uploads",
      lifecycle.abortIncompleteMultipartUploadDays,
    ),
  ];
}

/** File Storage snapshot schedules of a backup config (UTC, kept `retentionDays`). */
export function snapshotSchedules(backup: BackupConfig) {
  const parsed = parseOciSchedule(backup.schedule);
  if ("error" in parsed) throw new Error(`backup.schedule: ${parsed.error}`);
  return [
    {
      period: parsed.period === "daily" ? "DAILY" : "WEEKLY",
      hourOfDay: parsed.hourOfDay,
      ...(parsed.dayOfWeek ? { dayOfWeek: parsed.dayOfWeek } : {}),
      timeZone: "UTC",
      retentionDurationInSeconds: String(backup.retentionDays * 86400),
      schedulePrefix: "officeless",
    },
  ];
}

/** The export option of the VCN: read-write, no root squash (pods run as root in many images). */
export function exportOptions(vcnCidr: string) {
  return [
    {
      source: vcnCidr,
      access: "READ_WRITE",
      identitySquash: "NONE",
      requirePrivilegedSourcePort: false,
    },
  ];
}

export function ociStorage(scope: Scope, args: StorageArgs): StorageOutputs {
  const settings = ociSettings(args);
  const compartmentId = settings.compartmentId;
  const freeformTags = ociTags(scope.tags);
  const opts = { parent: scope.parent };
  const iam = iamOptions(scope, settings, args.region);
  const where = inCompartment(settings);
  const { key } = vaultKey(scope, "storage", settings);

  const keyPolicy = policy(
    scope,
    "storage-key",
    settings,
    iam,
    `${scope.name}: OCI services and the cluster's CSI drivers use the storage key`,
    [
      pulumi.interpolate`Allow service blockstorage to use keys in ${where} ${onKey(key)}`,
      pulumi.interpolate`Allow service objectstorage-${args.region} to use keys in ${where} ${onKey(key)}`,
      pulumi.interpolate`Allow service ${FSS_SERVICE} to use keys in ${where} ${onKey(key)}`,
      pulumi.interpolate`Allow any-user to use key-delegates in ${where} where ALL {request.principal.type = 'cluster', target.key.id = '${key.id}'}`,
      pulumi.interpolate`Allow any-user to use key-delegates in ${where} where ALL {request.principal.type = 'nodepool', target.key.id = '${key.id}'}`,
    ],
  );
  // The File Storage CSI driver creates a file system and export per volume, in our mount target
  // (OKE docs, Provisioning PVCs on the File Storage Service: the statements as documented, for
  // cluster principals of this compartment).
  const csiPolicy = policy(
    scope,
    "storage-csi",
    settings,
    iam,
    `${scope.name}: the cluster's File Storage CSI driver manages its volumes`,
    [
      `Allow any-user to manage file-family in ${where} where request.principal.type = 'cluster'`,
      `Allow any-user to use virtual-network-family in ${where} where request.principal.type = 'cluster'`,
    ],
  );
  // Volumes the CSI drivers create carry the backup selection tag and the platform's fixed tags, not
  // `officeless:tags`: a StorageClass's parameters cannot change, so a tag edit would replace it.
  const volumeTags = JSON.stringify({
    [TAG_KEYS.managedBy]: MANAGED_BY,
    [TAG_KEYS.environment]: args.environment,
    [BACKUP_SELECTION_TAG]: "true",
  });

  const blockClass = storageClass(scope, "block", {
    provisioner: BLOCK_PROVISIONER,
    parameters: {
      "attachment-type": "paravirtualized",
      "kms-key-id": key.id,
      vpusPerGB: BLOCK_VPUS_PER_GB,
      [INITIAL_TAGS]: volumeTags,
    },
    reclaimPolicy: reclaimPolicy(args.environment),
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    defaultClass: args.storage.block.defaultClass,
    dependsOn: [keyPolicy],
  });

  let fileSystemId: pulumi.Output<string> = pulumi.output("");
  let fileClass: pulumi.Output<string> = pulumi.output("");
  if (args.storage.file.enabled) {
    const firstZone = args.zones[0];
    const ad = availabilityDomainNames(scope, settings, args.region, [firstZone]).apply(
      (n) => n[0],
    );
    const workersSubnet = args.network.privateSubnetIds.apply((ids) => ids[0]);
    const filesNsg = nsg(scope, "files", compartmentId, args.network.networkId);
    const nodes = { nsgId: args.kubernetes.nodeSecurityGroupId };
    const nfsRules = flowRules(scope, new Map([[filesNsg, "files"]]), [
      ...NFS_TCP_PORTS.map(([min, max]) => ({
        name: `nfs-tcp-${min}`,
        from: nodes,
        to: { nsg: filesNsg },
        protocol: "tcp" as const,
        ports: [min, max] as const,
      })),
      ...NFS_UDP_PORTS.map(([min, max]) => ({
        name: `nfs-udp-${min}`,
        from: nodes,
        to: { nsg: filesNsg },
        protocol: "udp" as const,
        ports: [min, max] as const,
      })),
    ]);
    const snapshotPolicy = args.backup?.enabled
      ? new filestorage.FilesystemSnapshotPolicy(
          `${scope.name}-files-snapshots`,
          {
            compartmentId,
            availabilityDomain: ad,
            displayName: displayName(scope, "files-snapshots"),
            policyPrefix: "officeless",
            schedules: snapshotSchedules(args.backup),
            // Explicit: an INACTIVE policy takes no snapshots.
            state: "ACTIVE",
            freeformTags,
          },
          opts,
        )
      : undefined;
    const fileSystem = new filestorage.FileSystem(
      `${scope.name}-files`,
      {
        compartmentId,
        availabilityDomain: ad,
        displayName: displayName(scope, "files"),
        kmsKeyId: key.id,
        ...(snapshotPolicy ? { filesystemSnapshotPolicyId: snapshotPolicy.id } : {}),
        freeformTags,
      },
      { parent: scope.parent, protect: scope.protect, dependsOn: [keyPolicy] },
    );
    const mountTarget = new filestorage.MountTarget(
      `${scope.name}-mount-target`,
      {
        compartmentId,
        availabilityDomain: ad,
        subnetId: workersSubnet,
        displayName: displayName(scope, "mount-target"),
        nsgIds: [filesNsg.id],
        freeformTags,
      },
      { parent: scope.parent, dependsOn: nfsRules },
    );
    const exportSet = new filestorage.ExportSet(
      `${scope.name}-export-set`,
      { mountTargetId: mountTarget.id, displayName: displayName(scope, "exports") },
      opts,
    );
    new filestorage.Export(
      `${scope.name}-files-export`,
      {
        exportSetId: exportSet.id,
        fileSystemId: fileSystem.id,
        path: "/shared",
        exportOptions: args.network.cidr.apply(exportOptions),
      },
      opts,
    );
    fileSystemId = fileSystem.id;
    fileClass = storageClass(scope, "file", {
      provisioner: FILE_PROVISIONER,
      parameters: {
        availabilityDomain: placementOf(args.region, firstZone).ad,
        mountTargetOcid: mountTarget.id,
        compartmentOcid: compartmentId,
        kmsKeyOcid: key.id,
        exportOptions: args.network.cidr.apply((cidr) => JSON.stringify(exportOptions(cidr))),
        encryptInTransit: "true",
        [INITIAL_TAGS]: volumeTags,
      },
      reclaimPolicy: reclaimPolicy(args.environment),
      volumeBindingMode: "Immediate",
      dependsOn: [keyPolicy, csiPolicy, exportSet],
    });
  }

  const namespace = objectStorageNamespace(scope, settings);
  const lifecycle = lifecycleRules(args.storage.object.lifecycle);
  // Lifecycle rules run as Object Storage itself, which needs the grant.
  const lifecyclePolicy = policy(
    scope,
    "storage-lifecycle",
    settings,
    iam,
    `${scope.name}: Object Storage runs the buckets' lifecycle rules`,
    [`Allow service objectstorage-${args.region} to manage object-family in ${where}`],
  );
  const buckets = BUCKET_PURPOSES.map((purpose) => {
    const bucket = new objectstorage.Bucket(
      `${scope.name}-${purpose}`,
      {
        compartmentId,
        namespace,
        // Unique per namespace (tenancy); fixed, so a rename never replaces a bucket with data.
        name: `${scope.name}-${purpose}`,
        accessType: "NoPublicAccess",
        versioning: "Enabled",
        kmsKeyId: key.id,
        storageTier: "Standard",
        objectEventsEnabled: false,
        freeformTags,
      },
      { parent: scope.parent, protect: scope.protect, dependsOn: [keyPolicy] },
    );
    new objectstorage.ObjectLifecyclePolicy(
      `${scope.name}-${purpose}-lifecycle`,
      { namespace, bucket: bucket.name, rules: lifecycle },
      { parent: scope.parent, dependsOn: [lifecyclePolicy] },
    );
    return [purpose, bucket.name] as const;
  });

  return {
    blockStorageClass: blockClass,
    fileSystemId,
    fileStorageClass: fileClass,
    buckets: pulumi
      .all(buckets.map(([, name]) => name))
      .apply(
        (names) =>
          Object.fromEntries(buckets.map(([p], i) => [p, names[i]])) as Record<
            BucketPurpose,
            string
          >,
      ),
    encryptionKeyId: key.id,
  };
}
