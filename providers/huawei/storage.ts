/**
 * Huawei Cloud storage layer: one DEW key for everything stored; the default block StorageClass
 * through CCE's Everest CSI driver (SSD EVS disks encrypted with the key, expandable, bound where
 * the pod lands); an SFS Turbo file system in the first zone's private subnet, which every zone of
 * the VPC reaches over NFS, with a StorageClass that gives each claim its own subdirectory; and one
 * private, versioned, SSE-KMS bucket per purpose with lifecycle rules. Everest is a CCE system
 * add-on installed with every cluster: no chart here.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  BUCKET_PURPOSES,
  BucketPurpose,
  StorageArgs,
  StorageOutputs,
} from "../../components/storage";
import { reclaimPolicy as reclaimPolicyFor, storageClass } from "../../components/storageClass";
import { BACKUP_SELECTION_TAG, Scope } from "../../components/types";
import * as dew from "../../sdks/huaweicloud/dew";
import * as obs from "../../sdks/huaweicloud/obs";
import * as sfs from "../../sdks/huaweicloud/sfs";
import * as vpc from "../../sdks/huaweicloud/vpc";
import { customerKey, cutName, denyByDefaultGroup, hwTags, warnFirstUse } from "./common";

/** Everest's provisioner and drivers. */
export const EVEREST_PROVISIONER = "everest-csi-provisioner";
export const EVEREST_DISK_DRIVER = "disk.csi.everest.io";
export const EVEREST_TURBO_DRIVER = "sfsturbo.csi.everest.io";

/** SFS Turbo Standard's smallest size (GiB). */
export const SFS_TURBO_SIZE_GB = 500;

/**
 * NFS ports SFS Turbo serves (portmapper, nfs, mountd and the lock services), TCP and UDP, as
 * Huawei's SFS Turbo security-group guidance lists them (111, 2049, 2051, 2052, 20048; 445 is CIFS).
 */
export const NFS_PORTS = [
  { protocol: "tcp", ports: "111" },
  { protocol: "udp", ports: "111" },
  { protocol: "tcp", ports: "2049" },
  { protocol: "udp", ports: "2049" },
  { protocol: "tcp", ports: "2051-2052" },
  { protocol: "udp", ports: "2051-2052" },
  { protocol: "tcp", ports: "20048" },
  { protocol: "udp", ports: "20048" },
] as const;

/** The tag the backup layer's vaults bind volumes and file systems by. */
export const BACKUP_TAGS = { [BACKUP_SELECTION_TAG]: "true" };

/** Lifecycle rules from config: WARM storage after N days, old versions and stale uploads expire. */
export function lifecycleRules(lifecycle: StorageArgs["storage"]["object"]["lifecycle"]) {
  return [
    {
      name: "officeless",
      enabled: true,
      transitions:
        lifecycle.transitionToInfrequentAccessDays > 0
          ? [{ days: lifecycle.transitionToInfrequentAccessDays, storageClass: "WARM" }]
          : [],
      noncurrentVersionExpirations: [{ days: lifecycle.noncurrentVersionExpirationDays }],
      abortIncompleteMultipartUploads: [{ days: lifecycle.abortIncompleteMultipartUploadDays }],
    },
  ];
}

/** The export location of the claims' parent directory: `10.0.1.5:/` -> `10.0.1.5:/officeless`. */
export function turboSubdirectory(exportLocation: string): string {
  return `${exportLocation.replace(/\/+$/, "")}/officeless`;
}

export function huaweiStorage(scope: Scope, args: StorageArgs): StorageOutputs {
  // EVS, SFS Turbo and OBS encrypt with it; EVS and SFS Turbo need their KMS agencies
  // (EVSAccessKMS, SFSTurboAccessKMS: docs/clouds/huawei.md).
  warnFirstUse(scope, args.storage.file.enabled ? ["evs", "sfsTurbo"] : ["evs"]);
  const key = customerKey(scope, "encryption");
  const reclaimPolicy = reclaimPolicyFor(args.environment);

  const blockStorageClass = storageClass(scope, "block", {
    defaultClass: args.storage.block.defaultClass,
    provisioner: EVEREST_PROVISIONER,
    parameters: {
      "csi.storage.k8s.io/csi-driver-name": EVEREST_DISK_DRIVER,
      "csi.storage.k8s.io/fstype": "ext4",
      "everest.io/disk-volume-type": "SSD",
      "everest.io/passthrough": "true",
      "everest.io/crypt-key-id": key.id,
      // Disks carry the backup selection tag, which the CBR disk vault binds by.
      "everest.io/disk-volume-tags": JSON.stringify(BACKUP_TAGS),
    },
    allowVolumeExpansion: true,
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy,
    dependsOn: [key],
  });

  const file = args.storage.file.enabled ? fileStorage(scope, args, key, reclaimPolicy) : undefined;
  const buckets = objectStorage(scope, args, key);
  return {
    blockStorageClass,
    fileSystemId: file?.fileSystemId ?? pulumi.output(""),
    fileStorageClass: file?.storageClass ?? pulumi.output(""),
    buckets,
    encryptionKeyId: key.id,
  };
}

function fileStorage(
  scope: Scope,
  args: StorageArgs,
  key: dew.Key,
  reclaimPolicy: string,
): { fileSystemId: pulumi.Output<string>; storageClass: pulumi.Output<string> } {
  // NFS from the VPC only: the CSI driver mounts on the node, so the client is a node address.
  // Egress and traffic inside the group stay open, as in Huawei's default group: which of them SFS
  // Turbo needs (NFSv3 lock callbacks to clients, its own nodes' traffic) is not documented, and a
  // mount that hangs is worse than an open egress on a file service.
  const group = denyByDefaultGroup(
    scope,
    "file",
    `${scope.name}: SFS Turbo, NFS from the VPC only`,
    NFS_PORTS.map((p) => ({
      name: `nfs-${p.protocol}-${p.ports}`,
      protocol: p.protocol,
      ports: p.ports,
      from: args.network.cidr,
    })),
    true,
  );
  new vpc.SecgroupRule(
    `${scope.name}-file-sg-self`,
    {
      securityGroupId: group.id,
      direction: "ingress",
      ethertype: "IPv4",
      remoteGroupId: group.id,
      action: "allow",
      description: "within the group",
    },
    { parent: scope.parent },
  );
  const turbo = new sfs.Turbo(
    `${scope.name}-sfs-turbo`,
    {
      name: cutName(`${scope.name}-files`, 64),
      size: SFS_TURBO_SIZE_GB,
      shareProto: "NFS",
      shareType: "STANDARD",
      availabilityZone: args.zones[0],
      vpcId: args.network.networkId,
      subnetId: args.network.privateSubnetIds.apply((ids) => ids[0]),
      securityGroupId: group.id,
      cryptKeyId: key.id,
      tags: hwTags(scope.tags, BACKUP_TAGS),
    },
    { parent: scope.parent, protect: scope.protect },
  );
  const fileClass = storageClass(scope, "file", {
    provisioner: EVEREST_PROVISIONER,
    parameters: {
      "csi.storage.k8s.io/csi-driver-name": EVEREST_TURBO_DRIVER,
      "csi.storage.k8s.io/fstype": "nfs",
      "everest.io/share-access-to": args.network.networkId,
      "everest.io/share-source": "sfs-turbo",
      // Each claim is a subdirectory of the one file system.
      "everest.io/volume-as": "subpath",
      "everest.io/volume-id": turbo.id,
      // `<address>:/` as SFS Turbo reports it, plus the directory the claims' subdirectories go in.
      "everest.io/share-export-location": turbo.exportLocation.apply(turboSubdirectory),
      // A deleted claim's directory is archived, not erased, in prod.
      "everest.io/archive-on-delete": scope.protect ? "true" : "false",
    },
    allowVolumeExpansion: true,
    volumeBindingMode: "Immediate",
    reclaimPolicy,
    dependsOn: [turbo],
  });
  return { fileSystemId: turbo.id, storageClass: fileClass };
}

/** One private, versioned, SSE-KMS bucket per purpose; names carry a random suffix (OBS names are global). */
function objectStorage(
  scope: Scope,
  args: StorageArgs,
  key: dew.Key,
): pulumi.Output<Record<BucketPurpose, string>> {
  const suffix = new random.RandomString(
    `${scope.name}-bucket-suffix`,
    { length: 6, special: false, upper: false },
    { parent: scope.parent },
  );
  const rules = lifecycleRules(args.storage.object.lifecycle);
  const names = {} as Record<BucketPurpose, pulumi.Output<string>>;
  for (const purpose of BUCKET_PURPOSES) {
    const bucket = new obs.Bucket(
      `${scope.name}-${purpose}`,
      {
        bucket: pulumi.interpolate`${cutName(`${scope.name}-${purpose}`, 56)}-${suffix.result}`,
        acl: "private",
        storageClass: "STANDARD",
        versioning: true,
        encryption: true,
        sseAlgorithm: "kms",
        kmsKeyId: key.id,
        lifecycleRules: rules,
        // Three-zone storage in prod (set at creation only).
        multiAz: args.environment === "prod",
        // Outside prod a destroy empties the bucket first; prod never deletes data with it.
        forceDestroy: !scope.protect,
        tags: hwTags(scope.tags, { purpose }),
      },
      { parent: scope.parent, protect: scope.protect },
    );
    names[purpose] = bucket.bucket;
  }
  return pulumi.output(names) as pulumi.Output<Record<BucketPurpose, string>>;
}
