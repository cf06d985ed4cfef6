/**
 * AWS storage layer: one customer-managed key for everything stored; encrypted gp3 block storage
 * through the EBS CSI driver; an optional EFS file system with a mount target in every zone; and
 * one private, versioned, KMS-encrypted, TLS-only S3 bucket per purpose.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../../components/charts";
import {
  BUCKET_PURPOSES,
  BucketPurpose,
  StorageArgs,
  StorageOutputs,
} from "../../components/storage";
import { reclaimPolicy as reclaimPolicyFor, storageClass } from "../../components/storageClass";
import { BACKUP_SELECTION_TAG, Scope } from "../../components/types";
import { awsAccount, kmsKey, PolicyStatement, podIdentityRole } from "./common";

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
  const { partition, accountId } = awsAccount(scope);
  const base: ArnBase = { partition, accountId, region: args.region };
  const key = kmsKey(scope, "encryption", `${scope.name}: EBS volumes, EFS and S3 buckets`);
  const reclaimPolicy = reclaimPolicyFor(args.environment);

  const blockStorageClass = blockStorage(scope, args, base, key, reclaimPolicy);
  const file = args.storage.file.enabled
    ? fileStorage(scope, args, base, key, reclaimPolicy)
    : undefined;
  const buckets = objectStorage(scope, args, key);

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
      values: { controller: { serviceAccount: { create: true, name: EFS_CSI_SERVICE_ACCOUNT } } },
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

/** One private, versioned, KMS-encrypted, TLS-only bucket per purpose, with lifecycle rules. */
function objectStorage(
  scope: Scope,
  args: StorageArgs,
  key: aws.kms.Key,
): pulumi.Output<Record<BucketPurpose, string>> {
  const lifecycle = args.storage.object.lifecycle;
  const names = {} as Record<BucketPurpose, pulumi.Output<string>>;
  for (const purpose of BUCKET_PURPOSES) {
    const n = `${scope.name}-${purpose}`;
    const bucket = new aws.s3.Bucket(
      n,
      { forceDestroy: false, tags: { ...scope.tags, Name: n, purpose } },
      { parent: scope.parent, protect: scope.protect },
    );
    const opts = { parent: scope.parent };
    const versioning = new aws.s3.BucketVersioning(
      `${n}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      opts,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${n}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: key.arn,
            },
            bucketKeyEnabled: true,
          },
        ],
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
      },
      opts,
    );
    new aws.s3.BucketOwnershipControls(
      `${n}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      opts,
    );
    new aws.s3.BucketPolicy(
      `${n}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyWithoutTls",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
              Sid: "DenyOldTls",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
              Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
            },
          ],
        }),
      },
      // S3 rejects concurrent bucket-level updates; the block also guards against a public policy.
      { ...opts, dependsOn: [publicAccess] },
    );
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
    // Noncurrent-version rules need versioning in place first.
    new aws.s3.BucketLifecycleConfiguration(
      `${n}-lifecycle`,
      { bucket: bucket.id, rules },
      { ...opts, dependsOn: [versioning] },
    );
    names[purpose] = bucket.bucket;
  }
  return pulumi.output(names) as pulumi.Output<Record<BucketPurpose, string>>;
}
