/**
 * AWS storage layer: one customer-managed key for everything stored; encrypted gp3 block storage
 * through the EBS CSI driver; an optional EFS file system with a mount target in every zone; and
 * one private, versioned, KMS-encrypted, TLS-only S3 bucket per purpose, with server access logs
 * and (prod by default) a replica in another region.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { scrapeAnnotations } from "../../components/observabilityCollectors";
import { helmRelease } from "../../components/charts";
import {
  BUCKET_PURPOSES,
  BucketPurpose,
  StorageArgs,
  StorageOutputs,
} from "../../components/storage";
import { reclaimPolicy as reclaimPolicyFor, storageClass } from "../../components/storageClass";
import { BACKUP_SELECTION_TAG, Environment, Scope } from "../../components/types";
import { copyRegionOf } from "./catalog";
import { awsAccount, kmsKey, PolicyStatement, podIdentityRole } from "./common";
import { dnsSuffix } from "./network";
import { tlsOnlyStatements } from "./tlsOnly";

/** Service accounts the charts create for their controllers (chart defaults, bound by Pod Identity). */
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";
export const EFS_CSI_SERVICE_ACCOUNT = "efs-csi-controller-sa";
const CSI_NAMESPACE = "kube-system";

/** Directory dynamically provisioned EFS volumes live under (one access point each). */
export const EFS_DYNAMIC_BASE_PATH = "/dynamic_provisioning";
/** POSIX identity of the platform's own EFS access point. */
const PLATFORM_POSIX_ID = 1000;
const NFS_PORT = 2049;

/** Where ARNs of this account and region start: `arn:<partition>:<service>:<region>:<account>`. */
interface ArnBase {
  readonly partition: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
  readonly region: string;
}

function arn(
  base: ArnBase,
  service: string,
  resource: string,
  account: pulumi.Input<string> = base.accountId,
): pulumi.Output<string> {
  return pulumi.interpolate`arn:${base.partition}:${service}:${base.region}:${account}:${resource}`;
}

/** KMS use through grants for AWS services, as the CSI drivers' docs require for customer keys. */
function kmsStatements(keyArn: pulumi.Input<string>): PolicyStatement[] {
  return [
    {
      Sid: "KmsGrantsForAwsResources",
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: keyArn,
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
    {
      Sid: "KmsUse",
      Effect: "Allow",
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ],
      Resource: keyArn,
    },
  ];
}

/**
 * AmazonEBSCSIDriverPolicy, narrowed: ARNs of this account and region only, and create/delete
 * limited to volumes and snapshots carrying the tags the driver always sets (`CSIVolumeName`,
 * `CSIVolumeSnapshotName`, `ebs.csi.aws.com/cluster=true`). Describe calls have no resource level.
 */
export function ebsCsiStatements(base: ArnBase, keyArn: pulumi.Input<string>): PolicyStatement[] {
  const volumes = arn(base, "ec2", "volume/*");
  const instances = arn(base, "ec2", "instance/*");
  // Snapshot ARNs carry no account id.
  const snapshots = arn(base, "ec2", "snapshot/*", "");
  const ownedByDriver = { "aws:ResourceTag/ebs.csi.aws.com/cluster": "true" };
  const ownOnly = (
    Sid: string,
    Action: string,
    Resource: PolicyStatement["Resource"],
  ): PolicyStatement => ({
    Sid,
    Effect: "Allow",
    Action,
    Resource,
    Condition: { StringEquals: ownedByDriver },
  });
  return [
    {
      Sid: "Describe",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInstances",
        "ec2:DescribeSnapshots",
        "ec2:DescribeTags",
        "ec2:DescribeVolumes",
        "ec2:DescribeVolumesModifications",
        "ec2:DescribeVolumeStatus",
      ],
      Resource: "*",
    },
    {
      Sid: "AttachDetach",
      Effect: "Allow",
      Action: ["ec2:AttachVolume", "ec2:DetachVolume"],
      Resource: [volumes, instances],
    },
    {
      Sid: "ModifyAndSnapshotOwnVolumes",
      Effect: "Allow",
      Action: ["ec2:ModifyVolume", "ec2:CreateSnapshot"],
      Resource: volumes,
      Condition: { StringEquals: ownedByDriver },
    },
    {
      Sid: "CreateVolumeFromSnapshot",
      Effect: "Allow",
      Action: "ec2:CreateVolume",
      Resource: snapshots,
    },
    {
      Sid: "CreateOwnVolumes",
      Effect: "Allow",
      Action: ["ec2:CreateVolume", "ec2:CopyVolumes"],
      Resource: volumes,
      Condition: {
        StringEquals: { "aws:RequestTag/ebs.csi.aws.com/cluster": "true" },
        StringLike: { "aws:RequestTag/CSIVolumeName": "*" },
      },
    },
    {
      Sid: "CreateOwnSnapshots",
      Effect: "Allow",
      Action: "ec2:CreateSnapshot",
      Resource: snapshots,
      Condition: {
        StringEquals: { "aws:RequestTag/ebs.csi.aws.com/cluster": "true" },
        StringLike: { "aws:RequestTag/CSIVolumeSnapshotName": "*" },
      },
    },
    {
      Sid: "TagOnCreate",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: [volumes, snapshots],
      Condition: {
        StringEquals: { "ec2:CreateAction": ["CreateVolume", "CreateSnapshot", "CopyVolumes"] },
      },
    },
    ownOnly("UntagOwn", "ec2:DeleteTags", [volumes, snapshots]),
    ownOnly("DeleteOwnVolumes", "ec2:DeleteVolume", volumes),
    ownOnly("DeleteOwnSnapshots", "ec2:DeleteSnapshot", snapshots),
    ...kmsStatements(keyArn),
  ];
}

/**
 * AmazonEFSCSIDriverPolicy, narrowed to one file system: describe it, create access points on it
 * only with the driver's `efs.csi.aws.com/cluster=true` tag, and delete only access points so tagged.
 */
export function efsCsiStatements(
  base: ArnBase,
  fileSystemArn: pulumi.Input<string>,
): PolicyStatement[] {
  const accessPoints = arn(base, "elasticfilesystem", "access-point/*");
  const driverTagged = { "aws:RequestTag/efs.csi.aws.com/cluster": "true" };
  return [
    {
      Sid: "DescribeZones",
      Effect: "Allow",
      Action: "ec2:DescribeAvailabilityZones",
      Resource: "*",
    },
    {
      Sid: "DescribeFileSystem",
      Effect: "Allow",
      Action: [
        "elasticfilesystem:DescribeAccessPoints",
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeMountTargets",
      ],
      Resource: [fileSystemArn, accessPoints],
    },
    {
      Sid: "CreateTaggedAccessPoints",
      Effect: "Allow",
      Action: ["elasticfilesystem:CreateAccessPoint", "elasticfilesystem:TagResource"],
      Resource: [fileSystemArn, accessPoints],
      Condition: { StringEquals: driverTagged },
    },
    {
      Sid: "DeleteOwnAccessPoints",
      Effect: "Allow",
      Action: "elasticfilesystem:DeleteAccessPoint",
      Resource: accessPoints,
      Condition: { StringEquals: { "aws:ResourceTag/efs.csi.aws.com/cluster": "true" } },
    },
  ];
}

/** The AWS storage backend. */
export function awsStorage(scope: Scope, args: StorageArgs): StorageOutputs {
  // A replica region AWS has no default for fails before any child exists.
  const { replication } = args.storage.object;
  const replicaRegion = replication.enabled
    ? copyRegionOf(args.region, replication, "storage.object.replication")
    : undefined;
  const { partition, accountId } = awsAccount(scope);
  const base: ArnBase = { partition, accountId, region: args.region };
  const key = kmsKey(scope, "encryption", `${scope.name}: EBS volumes, EFS and S3 buckets`);
  const reclaimPolicy = reclaimPolicyFor(args.environment);

  const blockStorageClass = blockStorage(scope, args, base, key, reclaimPolicy);
  const file = args.storage.file.enabled
    ? fileStorage(scope, args, base, key, reclaimPolicy)
    : undefined;
  const buckets = objectStorage(scope, args, key, replicaRegion);

  return {
    blockStorageClass,
    fileSystemId: file?.fileSystemId ?? pulumi.output(""),
    fileStorageClass: file?.storageClass ?? pulumi.output(""),
    buckets,
    encryptionKeyId: key.arn,
  };
}

function blockStorage(
  scope: Scope,
  args: StorageArgs,
  base: ArnBase,
  key: aws.kms.Key,
  reclaimPolicy: string,
): pulumi.Output<string> {
  const identity = podIdentityRole(scope, "ebs-csi", {
    clusterName: args.kubernetes.clusterName,
    namespace: CSI_NAMESPACE,
    serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
    statements: ebsCsiStatements(base, key.arn),
  });
  const release = helmRelease(
    scope,
    "ebs-csi",
    {
      chart: "awsEbsCsiDriver",
      namespace: CSI_NAMESPACE,
      createNamespace: false,
      values: {
        controller: {
          // Set explicitly: IMDS is out of pods' reach (hop limit 1 on the nodes).
          region: args.region,
          k8sTagClusterId: args.kubernetes.clusterName,
          extraVolumeTags: scope.tags,
          serviceAccount: { create: true, name: EBS_CSI_SERVICE_ACCOUNT },
          // The driver's EBS API metrics on 3301, for the collectors' annotation path. Once the
          // monitoring CRDs exist, the chart also renders its own ServiceMonitor on upgrade
          // (templates/metrics.yaml checks the API), which the collectors skip
          // (ANNOTATION_SCRAPED_SERVICE_MONITORS).
          enableMetrics: true,
          podAnnotations: scrapeAnnotations(3301, { container: "ebs-plugin" }),
        },
      },
    },
    { dependsOn: [identity.association] },
  );
  return storageClass(scope, "block", {
    defaultClass: args.storage.block.defaultClass,
    provisioner: "ebs.csi.aws.com",
    parameters: {
      type: "gp3",
      encrypted: "true",
      kmsKeyId: key.arn,
      // The backup plan selects volumes by this tag.
      tagSpecification_1: `${BACKUP_SELECTION_TAG}=true`,
    },
    allowVolumeExpansion: true,
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy,
    dependsOn: [release],
  });
}

function fileStorage(
  scope: Scope,
  args: StorageArgs,
  base: ArnBase,
  key: aws.kms.Key,
  reclaimPolicy: string,
): { fileSystemId: pulumi.Output<string>; storageClass: pulumi.Output<string> } {
  const fileSystem = new aws.efs.FileSystem(
    `${scope.name}-efs`,
    {
      encrypted: true,
      kmsKeyId: key.arn,
      performanceMode: "generalPurpose",
      throughputMode: "elastic",
      lifecyclePolicies: [
        { transitionToIa: "AFTER_30_DAYS" },
        { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
      ],
      tags: { ...scope.tags, Name: `${scope.name}-efs`, [BACKUP_SELECTION_TAG]: "true" },
    },
    { parent: scope.parent, protect: scope.protect },
  );
  // Clients must use TLS and come through a mount target; root is squashed (access points set identities).
  new aws.efs.FileSystemPolicy(
    `${scope.name}-efs-policy`,
    {
      fileSystemId: fileSystem.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "MountThroughMountTargets",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            Resource: fileSystem.arn,
            Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
          },
          {
            Sid: "DenyWithoutTls",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "elasticfilesystem:*",
            Resource: fileSystem.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    },
    { parent: scope.parent },
  );

  const securityGroup = new aws.ec2.SecurityGroup(
    `${scope.name}-efs-sg`,
    {
      description: "EFS mount targets: NFS from the cluster nodes only",
      vpcId: args.network.networkId,
      tags: { ...scope.tags, Name: `${scope.name}-efs` },
    },
    { parent: scope.parent },
  );
  new aws.vpc.SecurityGroupIngressRule(
    `${scope.name}-efs-sg-nfs`,
    {
      securityGroupId: securityGroup.id,
      description: "NFS from the cluster nodes",
      ipProtocol: "tcp",
      fromPort: NFS_PORT,
      toPort: NFS_PORT,
      referencedSecurityGroupId: args.kubernetes.nodeSecurityGroupId,
      tags: scope.tags,
    },
    { parent: scope.parent },
  );
  const mountTargets = args.zones.map(
    (_zone, i) =>
      new aws.efs.MountTarget(
        `${scope.name}-efs-mount-${i}`,
        {
          fileSystemId: fileSystem.id,
          subnetId: args.network.privateSubnetIds.apply((ids) => ids[i]),
          securityGroups: [securityGroup.id],
        },
        { parent: scope.parent },
      ),
  );
  new aws.efs.AccessPoint(
    `${scope.name}-efs-platform`,
    {
      fileSystemId: fileSystem.id,
      posixUser: { uid: PLATFORM_POSIX_ID, gid: PLATFORM_POSIX_ID },
      rootDirectory: {
        path: "/platform",
        creationInfo: {
          ownerUid: PLATFORM_POSIX_ID,
          ownerGid: PLATFORM_POSIX_ID,
          permissions: "750",
        },
      },
      tags: { ...scope.tags, Name: `${scope.name}-efs-platform` },
    },
    { parent: scope.parent },
  );

  const identity = podIdentityRole(scope, "efs-csi", {
    clusterName: args.kubernetes.clusterName,
    namespace: CSI_NAMESPACE,
    serviceAccount: EFS_CSI_SERVICE_ACCOUNT,
    statements: efsCsiStatements(base, fileSystem.arn),
  });
  const release = helmRelease(
    scope,
    "efs-csi",
    {
      chart: "awsEfsCsiDriver",
      namespace: CSI_NAMESPACE,
      createNamespace: false,
      values: {
        controller: {
          serviceAccount: { create: true, name: EFS_CSI_SERVICE_ACCOUNT },
          // The controller's metrics on 3301 (no ServiceMonitor unless asked), to the collectors.
          enableMetrics: true,
          podAnnotations: scrapeAnnotations(3301, { container: "efs-plugin" }),
        },
      },
    },
    { dependsOn: [identity.association] },
  );
  const fileClass = storageClass(scope, "file", {
    provisioner: "efs.csi.aws.com",
    parameters: {
      provisioningMode: "efs-ap",
      fileSystemId: fileSystem.id,
      directoryPerms: "700",
      basePath: EFS_DYNAMIC_BASE_PATH,
    },
    reclaimPolicy,
    volumeBindingMode: "Immediate",
    // Volumes are only mountable once every zone has its mount target.
    dependsOn: [release, ...mountTargets],
  });
  return { fileSystemId: fileSystem.id, storageClass: fileClass };
}

/** Days server access logs are kept: a year of audit trail in prod, a month elsewhere. */
export function accessLogRetentionDays(environment: Environment): number {
  return environment === "prod" ? 365 : 30;
}

/** A bucket whose server access logs are kept, under `<purpose>/` in the log bucket. */
interface LoggedBucket {
  /** Its logical name: the logging configuration's derives from it. */
  readonly name: string;
  readonly bucket: aws.s3.Bucket;
  readonly purpose: string;
}

interface BucketArgs {
  /** Tag `purpose`. */
  readonly purpose: string;
  /** Unset: the provider's region (the stack's). */
  readonly region?: string;
  /** SSE-KMS with this key; unset means SSE-S3 (what S3's docs give for server access log targets). */
  readonly key?: aws.kms.Key;
  readonly versioned: boolean;
  readonly rules: aws.types.input.s3.BucketLifecycleConfigurationRule[];
  /** Extra statements beside the TLS-only ones (the log delivery grant). */
  readonly statements?: (bucket: aws.s3.Bucket) => pulumi.Input<PolicyStatement[]>;
  /**
   * Delete the objects with the bucket: outside prod only, so that destroying a dev stack leaves
   * nothing behind instead of stopping at the first non-empty bucket; prod never deletes data.
   */
  readonly forceDestroy: boolean;
}

interface PrivateBucket {
  readonly bucket: aws.s3.Bucket;
  readonly versioning?: aws.s3.BucketVersioning;
  readonly policy: aws.s3.BucketPolicy;
}

/**
 * A private, TLS-only bucket owned by the account (no ACLs), encrypted by default, with lifecycle
 * rules. Child names derive from `n`.
 */
function privateBucket(scope: Scope, n: string, args: BucketArgs): PrivateBucket {
  const inRegion = args.region ? { region: args.region } : {};
  const bucket = new aws.s3.Bucket(
    n,
    {
      forceDestroy: args.forceDestroy,
      ...inRegion,
      tags: { ...scope.tags, Name: n, purpose: args.purpose },
    },
    { parent: scope.parent, protect: scope.protect },
  );
  const opts = { parent: scope.parent };
  const versioning = args.versioned
    ? new aws.s3.BucketVersioning(
        `${n}-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" }, ...inRegion },
        opts,
      )
    : undefined;
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${n}-encryption`,
    {
      bucket: bucket.id,
      rules: [
        args.key
          ? {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: args.key.arn,
              },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
      ...inRegion,
    },
    opts,
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${n}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      ...inRegion,
    },
    opts,
  );
  new aws.s3.BucketOwnershipControls(
    `${n}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" }, ...inRegion },
    opts,
  );
  const everything = [bucket.arn, pulumi.interpolate`${bucket.arn}/*`];
  const policy = new aws.s3.BucketPolicy(
    `${n}-policy`,
    {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: pulumi
          .output(args.statements?.(bucket) ?? [])
          .apply((extra) => [...tlsOnlyStatements(everything), ...extra]),
      }),
      ...inRegion,
    },
    // S3 rejects concurrent bucket-level updates; the block also guards against a public policy.
    { ...opts, dependsOn: [publicAccess] },
  );
  // Noncurrent-version rules need versioning in place first.
  new aws.s3.BucketLifecycleConfiguration(
    `${n}-lifecycle`,
    { bucket: bucket.id, rules: args.rules, ...inRegion },
    { ...opts, dependsOn: versioning ? [versioning] : [] },
  );
  return { bucket, versioning, policy };
}

/** The lifecycle rules of a data bucket (and its replica). */
function dataRules(
  lifecycle: StorageArgs["storage"]["object"]["lifecycle"],
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [];
  if (lifecycle.transitionToInfrequentAccessDays > 0) {
    rules.push({
      id: "transition-to-infrequent-access",
      status: "Enabled",
      filter: {},
      transitions: [
        { days: lifecycle.transitionToInfrequentAccessDays, storageClass: "STANDARD_IA" },
      ],
    });
  }
  rules.push(
    {
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: lifecycle.noncurrentVersionExpirationDays },
    },
    {
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: {
        daysAfterInitiation: lifecycle.abortIncompleteMultipartUploadDays,
      },
    },
  );
  return rules;
}

/**
 * A bucket for the server access logs of the given buckets (all in one region: S3 delivers only
 * within a region), and their logging configurations. S3 writes the logs as the logging service,
 * which the policy admits for exactly these source buckets of this account (with BucketOwnerEnforced
 * ownership a policy is the only way). Encrypted with SSE-S3, the default encryption S3 documents
 * for log targets. The log bucket is not logged itself (a loop).
 */
function accessLogs(
  scope: Scope,
  n: string,
  sources: readonly LoggedBucket[],
  args: { environment: Environment; region?: string; accountId: pulumi.Output<string> },
): aws.s3.Bucket {
  const target = privateBucket(scope, n, {
    purpose: "access-logs",
    region: args.region,
    versioned: false,
    rules: [
      {
        id: "expire-access-logs",
        status: "Enabled",
        filter: {},
        expiration: { days: accessLogRetentionDays(args.environment) },
      },
    ],
    forceDestroy: args.environment !== "prod",
    statements: (bucket) => [
      {
        Sid: "S3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: pulumi.interpolate`${bucket.arn}/*`,
        Condition: {
          ArnLike: { "aws:SourceArn": sources.map((s) => s.bucket.arn) },
          StringEquals: { "aws:SourceAccount": args.accountId },
        },
      },
    ],
  });
  for (const source of sources) {
    new aws.s3.BucketLogging(
      `${source.name}-access-logging`,
      {
        bucket: source.bucket.id,
        targetBucket: target.bucket.id,
        targetPrefix: `${source.purpose}/`,
        ...(args.region ? { region: args.region } : {}),
      },
      // Delivery starts at once: the grant must be in place, or the first logs are dropped.
      { parent: scope.parent, dependsOn: [target.policy] },
    );
  }
  return target.bucket;
}

/** Where the replicas live: the other region and its own key (KMS keys are regional). */
interface ReplicaSite {
  readonly region: string;
  readonly key: aws.kms.Key;
}

/**
 * One private, versioned, KMS-encrypted, TLS-only bucket per purpose, with lifecycle rules; server
 * access logs of each into a log bucket; and, when replication is on, a copy of each bucket in
 * another region (with its own key and log bucket), kept current by S3 replication.
 */
function objectStorage(
  scope: Scope,
  args: StorageArgs,
  key: aws.kms.Key,
  replicaRegion: string | undefined,
): pulumi.Output<Record<BucketPurpose, string>> {
  const object = args.storage.object;
  const { accountId, partition } = awsAccount(scope);
  const rules = dataRules(object.lifecycle);
  const forceDestroy = args.environment !== "prod";
  const names = {} as Record<BucketPurpose, pulumi.Output<string>>;
  const sources: (LoggedBucket & PrivateBucket)[] = BUCKET_PURPOSES.map((purpose) => {
    const n = `${scope.name}-${purpose}`;
    const made = privateBucket(scope, n, {
      purpose,
      key,
      versioned: true,
      rules,
      forceDestroy,
    });
    names[purpose] = made.bucket.bucket;
    return { name: n, purpose, ...made };
  });

  const site: ReplicaSite | undefined = replicaRegion
    ? {
        region: replicaRegion,
        key: kmsKey(
          scope,
          "replica",
          `${scope.name}: S3 replicas in ${replicaRegion}`,
          undefined,
          replicaRegion,
        ),
      }
    : undefined;
  const replicas: (LoggedBucket & PrivateBucket)[] = site
    ? sources.map((source) => {
        const n = `${source.name}-replica`;
        const made = privateBucket(scope, n, {
          purpose: source.purpose,
          region: site.region,
          key: site.key,
          versioned: true,
          rules,
          forceDestroy,
        });
        return { name: n, purpose: `${source.purpose}-replica`, ...made };
      })
    : [];

  if (object.accessLogging) {
    const logArgs = { environment: args.environment, accountId };
    accessLogs(scope, `${scope.name}-access-logs`, sources, logArgs);
    if (site)
      accessLogs(scope, `${scope.name}-replica-logs`, replicas, {
        ...logArgs,
        region: site.region,
      });
  }
  if (site) replicate(scope, args.region, key, site, sources, replicas, { accountId, partition });
  return pulumi.output(names) as pulumi.Output<Record<BucketPurpose, string>>;
}

/**
 * S3 replication of every bucket to its replica: a role S3 assumes for this account, allowed to
 * read the sources' versions, decrypt with the source key and encrypt with the replica key (each
 * only through S3, for these buckets), and one rule per bucket that copies every new object
 * version and delete marker. Objects written before replication was turned on are not copied
 * (S3 Batch Replication does that).
 */
function replicate(
  scope: Scope,
  region: string,
  sourceKey: aws.kms.Key,
  site: ReplicaSite,
  sources: readonly (LoggedBucket & PrivateBucket)[],
  replicas: readonly PrivateBucket[],
  account: { accountId: pulumi.Output<string>; partition: pulumi.Output<string> },
): void {
  const opts = { parent: scope.parent };
  const s3Via = (r: string) => pulumi.interpolate`s3.${r}.${dnsSuffix(account.partition)}`;
  const objectsOf = (buckets: readonly PrivateBucket[]) =>
    buckets.flatMap((b) => [b.bucket.arn, pulumi.interpolate`${b.bucket.arn}/*`]);
  const role = new aws.iam.Role(
    `${scope.name}-replication-role`,
    {
      description: `S3 replication of ${scope.name} to ${site.region}`,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "s3.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
          },
        ],
      }),
      tags: scope.tags,
    },
    opts,
  );
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadReplicationConfig",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      Resource: sources.map((b) => b.bucket.arn),
    },
    {
      Sid: "ReadSourceVersions",
      Effect: "Allow",
      Action: [
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
      ],
      Resource: sources.map((b) => pulumi.interpolate`${b.bucket.arn}/*`),
    },
    {
      Sid: "WriteReplicas",
      Effect: "Allow",
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      Resource: replicas.map((b) => pulumi.interpolate`${b.bucket.arn}/*`),
    },
    {
      // With S3 Bucket Keys the encryption context is the bucket's ARN, else the object's.
      Sid: "DecryptSources",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: sourceKey.arn,
      Condition: {
        StringEquals: { "kms:ViaService": s3Via(region) },
        ArnLike: { "kms:EncryptionContext:aws:s3:arn": objectsOf(sources) },
      },
    },
    {
      Sid: "EncryptReplicas",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: site.key.arn,
      Condition: {
        StringEquals: { "kms:ViaService": s3Via(site.region) },
        ArnLike: { "kms:EncryptionContext:aws:s3:arn": objectsOf(replicas) },
      },
    },
  ];
  const rolePolicy = new aws.iam.RolePolicy(
    `${scope.name}-replication-policy`,
    {
      role: role.id,
      policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }),
    },
    opts,
  );
  sources.forEach((source, i) => {
    const replica = replicas[i];
    new aws.s3.BucketReplicationConfig(
      `${source.name}-replication`,
      {
        bucket: source.bucket.id,
        role: role.arn,
        rules: [
          {
            id: `copy-to-${site.region}`,
            status: "Enabled",
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: replica.bucket.arn,
              encryptionConfiguration: { replicaKmsKeyId: site.key.arn },
            },
          },
        ],
      },
      // S3 refuses replication unless both buckets are versioned, and S3 checks the role at once.
      { ...opts, dependsOn: [source.versioning!, replica.versioning!, rolePolicy] },
    );
  });
}
