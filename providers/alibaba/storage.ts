/**
 * Alibaba Cloud storage layer: one KMS key for everything stored; an ESSD StorageClass through
 * ACK's managed disk CSI (KMS-encrypted, expandable, WaitForFirstConsumer, the default class); a
 * General-purpose NAS file system encrypted with the key, a permission group admitting the node
 * vSwitches and one mount target in the first zone's node vSwitch (nodes of every zone reach it
 * inside the VPC; the file system itself is zonal, so a second target adds no resilience, and the
 * file system's second and last slot is left to the backup layer, whose HBR plan mounts it), plus
 * a NAS StorageClass (a subdirectory per volume); and one OSS bucket per purpose with versioning, SSE-KMS, public access blocked, a
 * TLS-only policy, lifecycle rules and access logs. The CSI plugins are ACK add-ons installed at
 * cluster creation (`csi-plugin`, `managed-csiprovisioner`): no Helm chart here.
 */
import * as nas from "@pulumi/alicloud/nas";
import * as oss from "@pulumi/alicloud/oss";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  BUCKET_PURPOSES,
  BucketPurpose,
  StorageArgs,
  StorageOutputs,
} from "../../components/storage";
import { reclaimPolicy as reclaimPolicyFor, storageClass } from "../../components/storageClass";
import { BACKUP_SELECTION_TAG, ObjectLifecycleConfig, Scope } from "../../components/types";
import { alibabaTags, customerKey, cutName, tierSwitches } from "./common";

/**
 * Mount targets of the file system: General-purpose NAS takes at most two, and HBR's NAS backup
 * creates one of its own (hbr.NasBackupPlan: "creates a mount point on the file system").
 */
export const NAS_MOUNT_TARGETS = 1;
/** NFSv3 options ACK documents for NAS volumes (noresvport survives a mount target failover). */
export const NAS_MOUNT_OPTIONS = ["nolock,tcp,noresvport", "vers=3"];
/** OSS bucket names: 3-63 characters, lowercase letters, digits and hyphens, unique across Alibaba Cloud. */
export const OSS_BUCKET_MAX = 63;

/** Deny every request not sent over TLS (`acs:SecureTransport` false), on the bucket and its objects. */
export function tlsOnlyPolicy(bucket: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: ["*"],
        Action: ["oss:*"],
        Resource: [`acs:oss:*:*:${bucket}`, `acs:oss:*:*:${bucket}/*`],
        Condition: { Bool: { "acs:SecureTransport": ["false"] } },
      },
    ],
  });
}

/** OSS lifecycle rules from the config: infrequent access, old versions expired, uploads aborted. */
export function lifecycleRules(lifecycle: ObjectLifecycleConfig) {
  return [
    ...(lifecycle.transitionToInfrequentAccessDays > 0
      ? [
          {
            id: "transition-to-ia",
            enabled: true,
            prefix: "",
            transitions: [{ days: lifecycle.transitionToInfrequentAccessDays, storageClass: "IA" }],
          },
        ]
      : []),
    {
      id: "expire-noncurrent-versions",
      enabled: true,
      prefix: "",
      noncurrentVersionExpirations: [{ days: lifecycle.noncurrentVersionExpirationDays }],
    },
    {
      id: "abort-incomplete-uploads",
      enabled: true,
      prefix: "",
      abortMultipartUploads: [{ days: lifecycle.abortIncompleteMultipartUploadDays }],
    },
  ];
}

function bucketName(scope: Scope, purpose: string, suffix: pulumi.Output<string>) {
  const base = cutName(`${scope.name}-${purpose}`.toLowerCase(), OSS_BUCKET_MAX - 7);
  return pulumi.interpolate`${base}-${suffix}`;
}

/** Days access logs are kept: a year of audit trail in prod, a month elsewhere. */
export function accessLogRetentionDays(protect: boolean): number {
  return protect ? 365 : 30;
}

interface BucketSettings {
  /** SSE-KMS with this key; unset: OSS-managed keys (AES256). */
  readonly keyId?: pulumi.Output<string>;
  readonly versioned: boolean;
  readonly lifecycleRules: oss.BucketArgs["lifecycleRules"];
  /** The bucket its access logs go to, under `<role>/`. */
  readonly logsTo?: oss.Bucket;
}

/**
 * A private bucket: public access blocked, TLS only, emptied on destroy outside prod (prod never
 * deletes data with it), versioned and SSE-KMS with the storage key unless told otherwise.
 */
function privateBucket(
  scope: Scope,
  role: string,
  name: pulumi.Output<string>,
  settings: BucketSettings,
): oss.Bucket {
  const opts = { parent: scope.parent };
  const bucket = new oss.Bucket(
    `${scope.name}-${role}`,
    {
      bucket: name,
      storageClass: "Standard",
      ...(settings.versioned ? { versioning: { status: "Enabled" } } : {}),
      serverSideEncryptionRule: settings.keyId
        ? { sseAlgorithm: "KMS", kmsMasterKeyId: settings.keyId }
        : { sseAlgorithm: "AES256" },
      lifecycleRules: settings.lifecycleRules,
      forceDestroy: !scope.protect,
      tags: alibabaTags(scope.tags),
    },
    { ...opts, protect: scope.protect },
  );
  new oss.BucketAcl(`${scope.name}-${role}-acl`, { bucket: bucket.bucket, acl: "private" }, opts);
  new oss.BucketPublicAccessBlock(
    `${scope.name}-${role}-public-access`,
    { bucket: bucket.bucket, blockPublicAccess: true },
    opts,
  );
  new oss.BucketPolicy(
    `${scope.name}-${role}-tls-only`,
    { bucket: bucket.bucket, policy: bucket.bucket.apply(tlsOnlyPolicy) },
    opts,
  );
  if (settings.logsTo) {
    new oss.BucketLogging(
      `${scope.name}-${role}-logging`,
      { bucket: bucket.bucket, targetBucket: settings.logsTo.bucket, targetPrefix: `${role}/` },
      opts,
    );
  }
  return bucket;
}

function objectStorage(scope: Scope, args: StorageArgs, keyId: pulumi.Output<string>) {
  // Bucket names are global across every Alibaba Cloud account: one random suffix for the stack's.
  const suffix = new random.RandomString(
    `${scope.name}-bucket-suffix`,
    { length: 6, special: false, upper: false },
    { parent: scope.parent },
  ).result;
  const lifecycle = args.storage.object.lifecycle;
  // The log target keeps OSS-managed encryption and no versions: OSS writes the logs as its own
  // service, and its log-storage docs name no customer-key target (S3 refuses SSE-KMS targets
  // outright), so the conservative choice; the logs expire on their own.
  const accessLogs = args.storage.object.accessLogging
    ? privateBucket(scope, "access-logs", bucketName(scope, "access-logs", suffix), {
        versioned: false,
        lifecycleRules: [
          {
            id: "expire-access-logs",
            enabled: true,
            prefix: "",
            expirations: [{ days: accessLogRetentionDays(scope.protect) }],
          },
        ],
      })
    : undefined;
  const buckets = BUCKET_PURPOSES.map((purpose) =>
    privateBucket(scope, purpose, bucketName(scope, purpose, suffix), {
      keyId,
      versioned: true,
      lifecycleRules: lifecycleRules(lifecycle),
      logsTo: accessLogs,
    }),
  );
  return pulumi
    .all(buckets.map((b) => b.bucket))
    .apply(
      (names) =>
        Object.fromEntries(BUCKET_PURPOSES.map((p, i) => [p, names[i]])) as Record<
          BucketPurpose,
          string
        >,
    );
}

function fileStorage(scope: Scope, args: StorageArgs, keyId: pulumi.Output<string>) {
  const opts = { parent: scope.parent };
  const fileSystem = new nas.FileSystem(
    `${scope.name}-files`,
    {
      protocolType: "NFS",
      storageType: "Performance",
      fileSystemType: "standard",
      // 2: encrypted with a KMS key of the account (1 would be a NAS-managed key).
      encryptType: 2,
      kmsKeyId: keyId,
      description: `${scope.name} shared files`,
      tags: { ...alibabaTags(scope.tags), [BACKUP_SELECTION_TAG]: "true" },
    },
    { ...opts, protect: scope.protect },
  );
  const group = new nas.AccessGroup(
    `${scope.name}-files-access`,
    {
      accessGroupName: cutName(`${scope.name}-files`, 64),
      accessGroupType: "Vpc",
      fileSystemType: "standard",
      description: "The cluster's node vSwitches",
    },
    opts,
  );
  // The nodes mount (kubelet on the host network), so their vSwitches are the only sources.
  const nodeSwitches = tierSwitches(scope, args.network.networkId, "private", args.zones);
  const rules = args.zones.map(
    (_, i) =>
      new nas.AccessRule(
        `${scope.name}-files-access-${i}`,
        {
          accessGroupName: group.accessGroupName,
          fileSystemType: "standard",
          sourceCidrIp: nodeSwitches.apply((s) => s[i]?.cidr ?? ""),
          rwAccessType: "RDWR",
          userAccessType: "no_squash",
          priority: 1,
        },
        opts,
      ),
  );
  const targets = args.zones.slice(0, NAS_MOUNT_TARGETS).map(
    (_, i) =>
      new nas.MountTarget(
        `${scope.name}-files-mount-${i}`,
        {
          fileSystemId: fileSystem.id,
          accessGroupName: group.accessGroupName,
          networkType: "Vpc",
          vpcId: args.network.networkId,
          vswitchId: args.network.privateSubnetIds.apply((ids) => ids[i]),
        },
        { ...opts, dependsOn: rules },
      ),
  );
  const fileClass = storageClass(scope, "file", {
    provisioner: "nasplugin.csi.alibabacloud.com",
    parameters: {
      // One subdirectory of the file system per volume.
      volumeAs: "subpath",
      server: pulumi.interpolate`${targets[0].mountTargetDomain}:/k8s/`,
      archiveOnDelete: "false",
    },
    mountOptions: NAS_MOUNT_OPTIONS,
    allowVolumeExpansion: true,
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy: reclaimPolicyFor(args.environment),
    dependsOn: targets,
  });
  return { fileSystemId: fileSystem.id, storageClass: fileClass };
}

export function alibabaStorage(scope: Scope, args: StorageArgs): StorageOutputs {
  const key = customerKey(scope, "storage", `${scope.name}: disks, NAS and OSS`);
  const blockClass = storageClass(scope, "block", {
    defaultClass: args.storage.block.defaultClass,
    provisioner: "diskplugin.csi.alibabacloud.com",
    parameters: {
      type: "cloud_essd",
      performanceLevel: "PL1",
      encrypted: "true",
      kmsKeyId: key.id,
      "csi.storage.k8s.io/fstype": "ext4",
    },
    allowVolumeExpansion: true,
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy: reclaimPolicyFor(args.environment),
    dependsOn: [key],
  });
  const files = args.storage.file.enabled ? fileStorage(scope, args, key.id) : undefined;
  return {
    blockStorageClass: blockClass,
    fileSystemId: files ? files.fileSystemId : pulumi.output(""),
    fileStorageClass: files ? files.storageClass : pulumi.output(""),
    buckets: objectStorage(scope, args, key.id),
    encryptionKeyId: key.id,
  };
}
