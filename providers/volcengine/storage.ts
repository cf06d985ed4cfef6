/**
 * Volcengine storage layer:
 * - Block: the VKE `csi-ebs` add-on and the default StorageClass on it (ESSD PL0, expansion,
 *   WaitForFirstConsumer). Not encrypted: volcengine-csi-driver's CreateVolume reads only the
 *   `type` and `zone` parameters (pkg/ebs/controllersvc.go), so it cannot ask for an encrypted disk.
 * - File: a NAS (NFS) file system, a permission group admitting the private subnets only
 *   (read-write, no root squash, which the CSI driver needs to create each volume's directory), a
 *   mount point in the first zone's private subnet (reachable from every zone of the VPC), the VKE
 *   `csi-nas` add-on and a StorageClass that gives each claim a subdirectory.
 * - Object: one TOS bucket per purpose, private, versioned, multi-AZ in prod, with default SSE-KMS
 *   under the layer's customer key and lifecycle rules, both as their own resources (the provider
 *   keeps them off `tos/bucket`). TOS names are global: each ends in a random suffix.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  BUCKET_PURPOSES,
  BucketPurpose,
  StorageArgs,
  StorageOutputs,
} from "../../components/storage";
import { reclaimPolicy, storageClass } from "../../components/storageClass";
import { ObjectLifecycleConfig, Scope } from "../../components/types";
import * as nas from "../../sdks/volcengine/nas";
import * as tos from "../../sdks/volcengine/tos";
import {
  customerKey,
  CustomerKey,
  nameOf,
  nodeAddon,
  privateSubnetCidrs,
  volcTags,
} from "./common";
import { NODE_VOLUME_TYPE } from "./kubernetes";

/** The CSI drivers' names (volcengine/volcengine-csi-driver). */
export const EBS_CSI_DRIVER = "ebs.csi.volcengine.com";
export const NAS_CSI_DRIVER = "nas.csi.volcengine.com";

/** NAS capacity in GiB (nas_file_system `capacity`): the smallest Capacity-type file system. */
export const NAS_CAPACITY_GIB = 100;

/** NFSv3 without the lock manager: NAS serves no NLM callbacks (the VKE NAS StorageClass's options). */
export const NAS_MOUNT_OPTIONS = ["nolock,proto=tcp,noresvport", "vers=3"];

/**
 * The NFS server name of a NAS file system in a VPC: `<id without "enas-">.<vpc id>.nas.ivolces.com`,
 * as VKE's NAS StorageClasses name it. The provider exports no mount address.
 */
export function nasServer(fileSystemId: string, vpcId: string): string {
  return `${fileSystemId.replace(/^enas-/, "")}.${vpcId}.nas.ivolces.com`;
}

/** TOS bucket names: 3-63 lowercase letters, digits and `-`, globally unique. */
export const MAX_BUCKET_NAME = 63;

/** Lifecycle rules of every bucket (tos/bucketLifecycle `rules`). */
export function lifecycleRules(lifecycle: ObjectLifecycleConfig) {
  return [
    {
      // No prefix: the rule covers the whole bucket.
      id: "platform",
      status: "Enabled",
      nonCurrentVersionExpiration: { nonCurrentDays: lifecycle.noncurrentVersionExpirationDays },
      abortIncompleteMultipartUpload: {
        daysAfterInitiation: lifecycle.abortIncompleteMultipartUploadDays,
      },
      ...(lifecycle.transitionToInfrequentAccessDays > 0
        ? {
            transitions: [{ days: lifecycle.transitionToInfrequentAccessDays, storageClass: "IA" }],
          }
        : {}),
    },
  ];
}

export function volcengineStorage(scope: Scope, args: StorageArgs): StorageOutputs {
  const opts: pulumi.CustomResourceOptions = { parent: scope.parent };
  const ebsDriver = nodeAddon(scope, "csi-ebs", args.kubernetes);
  const blockClass = storageClass(scope, "block", {
    provisioner: EBS_CSI_DRIVER,
    parameters: { type: NODE_VOLUME_TYPE },
    reclaimPolicy: reclaimPolicy(args.environment),
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    defaultClass: args.storage.block.defaultClass,
    dependsOn: [ebsDriver],
  });

  const file = args.storage.file.enabled ? fileStorage(scope, args, opts) : undefined;
  const key = customerKey(scope, "kms");
  return {
    blockStorageClass: blockClass,
    fileSystemId: file?.fileSystemId ?? pulumi.output(""),
    fileStorageClass: file?.storageClass ?? pulumi.output(""),
    buckets: objectStorage(scope, args, key),
    encryptionKeyId: key.trn,
  };
}

function fileStorage(scope: Scope, args: StorageArgs, opts: pulumi.CustomResourceOptions) {
  const tags = volcTags(scope.tags);
  const fileSystem = new nas.FileSystem(
    `${scope.name}-nas`,
    {
      fileSystemName: nameOf(scope, "nas"),
      zoneId: args.zones[0],
      capacity: NAS_CAPACITY_GIB,
      description: `${scope.name}: shared file storage`,
      tags,
    },
    { ...opts, protect: scope.protect },
  );
  // Only the private subnets (nodes and pods): nothing else in the VPC mounts it.
  const permissions = new nas.PermissionGroup(
    `${scope.name}-nas-permissions`,
    {
      permissionGroupName: nameOf(scope, "nas"),
      description: `${scope.name}: the private subnets`,
      permissionRules: privateSubnetCidrs(scope, args.network, args.zones).map((cidrIp) => ({
        cidrIp,
        rwMode: "RW",
        useMode: "No_root_squash",
      })),
    },
    opts,
  );
  const mountPoint = new nas.MountPoint(
    `${scope.name}-nas-mount`,
    {
      fileSystemId: fileSystem.id,
      mountPointName: nameOf(scope, "nas"),
      permissionGroupId: permissions.permissionGroupId,
      subnetId: args.network.privateSubnetIds.apply((ids) => ids[0]),
    },
    opts,
  );
  const driver = nodeAddon(scope, "csi-nas", args.kubernetes);
  const fileClass = storageClass(scope, "file", {
    provisioner: NAS_CSI_DRIVER,
    parameters: {
      fsId: fileSystem.id,
      server: pulumi
        .all([fileSystem.id, args.network.networkId])
        .apply(([id, vpcId]) => nasServer(id, vpcId)),
      subPath: "/",
      volumeAs: "subpath",
      // Prod keeps released volumes (Retain); elsewhere a deleted claim's directory goes.
      archiveOnDelete: "false",
    },
    mountOptions: NAS_MOUNT_OPTIONS,
    reclaimPolicy: reclaimPolicy(args.environment),
    // NAS is reachable from every zone: bind at once.
    volumeBindingMode: "Immediate",
    dependsOn: [driver, mountPoint],
  });
  return { fileSystemId: fileSystem.id, storageClass: fileClass };
}

/** One private, versioned, SSE-KMS bucket per purpose, with lifecycle rules. */
function objectStorage(
  scope: Scope,
  args: StorageArgs,
  key: CustomerKey,
): pulumi.Output<Record<BucketPurpose, string>> {
  const opts = { parent: scope.parent };
  const tags = volcTags(scope.tags);
  const rules = lifecycleRules(args.storage.object.lifecycle);
  const names = {} as Record<BucketPurpose, pulumi.Output<string>>;
  for (const purpose of BUCKET_PURPOSES) {
    const suffix = new random.RandomString(
      `${scope.name}-${purpose}-suffix`,
      { length: 6, special: false, upper: false },
      opts,
    );
    const bucket = new tos.Bucket(
      `${scope.name}-${purpose}`,
      {
        bucketName: pulumi.interpolate`${nameOf(scope, purpose, MAX_BUCKET_NAME - 7)}-${suffix.result}`,
        publicAcl: "private",
        enableVersion: true,
        storageClass: "STANDARD",
        // Copies in several zones of the region in prod (ForceNew, so fixed per environment).
        azRedundancy: args.environment === "prod" ? "multi-az" : "single-az",
        tags: [...tags, { key: "purpose", value: purpose }],
      },
      { ...opts, protect: scope.protect },
    );
    new tos.BucketEncryption(
      `${scope.name}-${purpose}-encryption`,
      {
        bucketName: bucket.bucketName,
        rule: {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "kms",
            kmsDataEncryption: "AES256",
            kmsMasterKeyId: key.trn,
          },
        },
      },
      opts,
    );
    new tos.BucketLifecycle(
      `${scope.name}-${purpose}-lifecycle`,
      { bucketName: bucket.bucketName, rules },
      opts,
    );
    names[purpose] = bucket.bucketName;
  }
  return pulumi.output(names) as pulumi.Output<Record<BucketPurpose, string>>;
}
