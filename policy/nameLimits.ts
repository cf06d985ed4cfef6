/**
 * Cloud name limits per resource type and name input, from the providers' API references and the
 * Terraform providers' validators (each entry says where). `autoname`: Pulumi names the resource
 * `<logical name>-<7 random characters>` when the input is absent, so that form is checked too.
 * Reviewed 2026-12-01 against @pulumi/aws 7.48, @pulumi/gcp 9.37, @pulumi/azure-native 3.28, and
 * the Volcengine bindings (volcengine/pulumi-volcengine v0.0.47).
 */
export interface NameLimit {
  readonly type: string;
  /** Dotted path of the input holding the cloud-side name. */
  readonly input: string;
  readonly autoname: boolean;
  readonly max: number;
  readonly min?: number;
  /** The whole name must match (JavaScript syntax). */
  readonly pattern?: RegExp;
  readonly source: string;
}

/** Kubernetes object names (most kinds): DNS-1123 subdomains. */
const K8S_SUBDOMAIN = new RegExp(
  "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
);

/** Kinds the on-prem backend writes with fixed names: Kubernetes object names, DNS-1123 subdomains. */
const SUBDOMAIN_NAMED_KINDS = [
  "kubernetes:metallb.io/v1beta1:IPAddressPool",
  "kubernetes:metallb.io/v1beta1:L2Advertisement",
  "kubernetes:metallb.io/v1beta1:BGPAdvertisement",
  "kubernetes:metallb.io/v1beta2:BGPPeer",
  "kubernetes:metallb.io/v1beta1:MetalLB",
  "kubernetes:operators.coreos.com/v1:OperatorGroup",
  "kubernetes:operators.coreos.com/v1alpha1:Subscription",
  "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy",
  "kubernetes:gateway.networking.k8s.io/v1:GatewayClass",
  "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  "kubernetes:cert-manager.io/v1:ClusterIssuer",
  "kubernetes:cert-manager.io/v1:Certificate",
  "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass",
];

export const NAME_LIMITS: readonly NameLimit[] = [
  ...SUBDOMAIN_NAMED_KINDS.map((type) => ({
    type,
    input: "metadata.name",
    autoname: true,
    max: 253,
    min: 1,
    pattern: K8S_SUBDOMAIN,
    source: "Kubernetes 'Object Names and IDs': DNS-1123 subdomain, at most 253 characters",
  })),
  {
    type: "huaweicloud:Vpc/vpc:Vpc",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]+$"),
    source:
      "terraform-provider-huaweicloud docs/resources/vpc.md: 1 to 64 letters, digits, underscores, hyphens, periods",
  },
  {
    type: "huaweicloud:Vpc/subnet:Subnet",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]+$"),
    source:
      "terraform-provider-huaweicloud docs/resources/vpc_subnet.md: 1 to 64 letters, digits, underscores, hyphens, periods",
  },
  {
    type: "huaweicloud:Vpc/eip:Eip",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]+$"),
    source:
      "terraform-provider-huaweicloud docs/resources/vpc_eip.md: name 1 to 64 letters, digits, underscores, hyphens, periods",
  },
  {
    type: "huaweicloud:Vpc/eip:Eip",
    input: "bandwidth.name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]+$"),
    source:
      "terraform-provider-huaweicloud docs/resources/vpc_eip.md: bandwidth name 1 to 64 characters",
  },
  {
    type: "huaweicloud:Nat/gateway:Gateway",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_-]+$"),
    source:
      "terraform-provider-huaweicloud docs/resources/nat_gateway.md: 1 to 64 letters, digits, underscores, hyphens",
  },
  {
    type: "huaweicloud:Vpc/secgroup:Secgroup",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]+$"),
    source:
      "terraform-provider-huaweicloud docs/resources/networking_secgroup.md: 1 to 64 letters, digits, underscores, hyphens, periods",
  },
  {
    type: "huaweicloud:Vpc/flowLog:FlowLog",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]+$"),
    source:
      "sdk/nodejs/vpc/flowLog.ts: no more than 64 letters, digits, underscores, hyphens, periods",
  },
  {
    type: "huaweicloud:Lts/group:Group",
    input: "groupName",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9-][a-zA-Z0-9_.-]*[a-zA-Z0-9_-]$"),
    source:
      "LTS CreateLogGroup log_group_name: 1 to 64 letters, digits, _ - ., not starting with . or _, not ending with .",
  },
  {
    type: "huaweicloud:Lts/stream:Stream",
    input: "streamName",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9-][a-zA-Z0-9_.-]*[a-zA-Z0-9_-]$"),
    source: "LTS CreateLogStream log_stream_name: same rule as log groups",
  },
  {
    type: "huaweicloud:Cce/cluster:Cluster",
    input: "name",
    autoname: true,
    max: 128,
    min: 4,
    pattern: new RegExp("^[a-z][a-z0-9-]*[a-z0-9]$"),
    source:
      "terraform-provider-huaweicloud docs/resources/cce_cluster.md: 4 to 128 lowercase letters, digits, hyphens, starting with a letter, not ending with a hyphen",
  },
  {
    type: "huaweicloud:Cce/nodePool:NodePool",
    input: "name",
    autoname: true,
    max: 50,
    min: 1,
    pattern: new RegExp("^[a-z][a-z0-9-]*[a-z0-9]$"),
    source:
      "terraform-provider-huaweicloud docs/resources/cce_node_pool.md: 1 to 50 lowercase letters, digits, hyphens, starting with a letter",
  },
  {
    type: "huaweicloud:Dew/key:Key",
    input: "keyAlias",
    autoname: true,
    max: 255,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9:/_-]+$"),
    source:
      "terraform-provider-huaweicloud docs/resources/kms_key.md: key_alias up to 255 letters, digits, colons, slashes, underscores, hyphens",
  },
  {
    type: "huaweicloud:Sfs/turbo:Turbo",
    input: "name",
    autoname: true,
    max: 64,
    min: 4,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9_-]*$"),
    source:
      "terraform-provider-huaweicloud docs/resources/sfs_turbo.md: 4 to 64 letters, digits, underscores, hyphens, starting with a letter",
  },
  {
    type: "huaweicloud:Obs/bucket:Bucket",
    input: "bucket",
    autoname: true,
    max: 63,
    min: 3,
    pattern: new RegExp("^[a-z0-9][a-z0-9.-]*[a-z0-9]$"),
    source:
      "terraform-provider-huaweicloud docs/resources/obs_bucket.md: 3 to 63 lowercase letters, digits, hyphens, periods, globally unique",
  },
  {
    type: "huaweicloud:Dcs/instance:Instance",
    input: "name",
    autoname: true,
    max: 64,
    min: 4,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9_-]*$"),
    source:
      "terraform-provider-huaweicloud docs/resources/dcs_instance.md: 4 to 64 letters, digits, underscores, hyphens, starting with a letter",
  },
  {
    type: "huaweicloud:DedicatedElb/loadbalancer:Loadbalancer",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]+$"),
    source:
      "terraform-provider-huaweicloud docs/resources/elb_loadbalancer.md: up to 64 letters, digits, underscores, hyphens, periods",
  },
  {
    type: "huaweicloud:Cbr/vault:Vault",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_-]+$"),
    source:
      "terraform-provider-huaweicloud docs/resources/cbr_vault.md: 1 to 64 letters, digits, underscores, hyphens",
  },
  {
    type: "huaweicloud:Cbr/policy:Policy",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_-]+$"),
    source:
      "terraform-provider-huaweicloud docs/resources/cbr_policy.md: 1 to 64 letters, digits, underscores, hyphens",
  },
  {
    type: "huaweicloud:Ecs/instance:Instance",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]+$"),
    source: "sdk/nodejs/ecs/instance.ts: 1 to 64 letters, digits, underscores, hyphens, periods",
  },
  {
    type: "huaweicloud:Iam/user:User",
    input: "name",
    autoname: true,
    max: 32,
    min: 5,
    pattern: new RegExp("^[a-zA-Z_-][a-zA-Z0-9 _-]*$"),
    source:
      "sdk/nodejs/iam/user.ts: 5 to 32 letters, digits, spaces, - and _, not starting with a digit",
  },
  {
    type: "huaweicloud:Iam/group:Group",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[^\\s].*$"),
    source: "sdk/nodejs/iam/group.ts: at most 64 bytes",
  },
  {
    type: "huaweicloud:Iam/role:Role",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]+$"),
    source: "IAM CreateCloudServiceCustomPolicy display_name: 1 to 64 characters",
  },
  {
    type: "aws:backup/plan:Plan",
    input: "name",
    autoname: true,
    max: 50,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]+$"),
    source:
      "AWS Backup API BackupPlanInput.BackupPlanName: 'Must contain 1 to 50 alphanumeric or '-_.' characters' (docs.aws.amazon.com sdk-for-kotlin backup",
  },
  {
    type: "aws:backup/selection:Selection",
    input: "name",
    autoname: true,
    max: 50,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_.-]{1,50}$"),
    source:
      "AWS Backup CreateBackupSelection SelectionName: 'Must contain 1 to 50 alphanumeric or '-_.' characters' (boto3 create_backup_selection docs); same",
  },
  {
    type: "aws:backup/vault:Vault",
    input: "name",
    autoname: true,
    max: 50,
    min: 2,
    pattern: new RegExp("^[a-zA-Z0-9_-]+$"),
    source:
      "hashicorp/terraform-provider-aws internal/service/backup/vault.go: validation.StringLenBetween(2, 50) + StringMatch(`^[a-zA-Z0-9\\-\\_]*$`); AWS API",
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    input: "name",
    autoname: true,
    max: 512,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_\\-/.#]+$"),
    source:
      "CloudWatch Logs CreateLogGroup: 'Log group names can be between 1 and 512 characters long'; characters a-z A-Z 0-9 _ - / . (and # per the LogGroup",
  },
  {
    type: "aws:ec2/customerGateway:CustomerGateway",
    input: "deviceName",
    autoname: false,
    max: 255,
    source:
      "NOT VERIFIED in this pass (AWS CreateCustomerGateway DeviceName); value is vpn.peers[].name, which configSchema caps at 20 chars, so no limit is near.",
  },
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    input: "name",
    autoname: true,
    max: 128,
    min: 3,
    pattern: new RegExp("^[a-zA-Z0-9().\\-/_]+$"),
    source:
      "EC2 CreateLaunchTemplate LaunchTemplateName (3-128, [a-zA-Z0-9\\(\\)\\.\\-/_]+) - limit from the EC2 API model, not re-quoted in this pass; Pulumi",
  },
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    input: "name",
    autoname: true,
    max: 255,
    min: 1,
    pattern: new RegExp("^(?!sg-)[a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]+$"),
    source:
      "EC2 CreateSecurityGroup GroupName: 'Constraints: Up to 255 characters in length. Can't start with sg-. Valid characters: a-z, A-Z, 0-9, spaces, and",
  },
  {
    type: "aws:efs/fileSystem:FileSystem",
    input: "creationToken",
    autoname: true,
    max: 64,
    min: 1,
    source:
      'pulumi/pulumi-aws provider/resources.go: "creation_token": tfbridge.AutoName("creationToken", 255, "-"); EFS CreateFileSystem CreationToken max 64',
  },
  {
    type: "aws:eks/cluster:Cluster",
    input: "name",
    autoname: true,
    max: 100,
    min: 1,
    pattern: new RegExp("^[0-9A-Za-z][A-Za-z0-9_-]*$"),
    source:
      "EKS CreateCluster name: 'can contain only alphanumeric characters (case-sensitive), hyphens, and underscores. It must start with an alphanumeric",
  },
  {
    type: "aws:eks/nodeGroup:NodeGroup",
    input: "nodeGroupName",
    autoname: true,
    max: 63,
    min: 1,
    source:
      "hashicorp/terraform-provider-aws internal/service/eks/node_group.go: node_group_name ValidateFunc validation.StringLenBetween(0, 63);",
  },
  {
    type: "aws:eks/nodeGroup:NodeGroup",
    input: "nodeGroupNamePrefix",
    autoname: false,
    max: 37,
    min: 1,
    source:
      "hashicorp/terraform-provider-aws internal/service/eks/node_group.go: node_group_name_prefix ValidateFunc validation.StringLenBetween(0, 63-id.UniqueIDSuffixLength); UniqueIDSuffixLength = 26 (terraform-plugin-sdk helper/id)",
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    input: "replicationGroupId",
    autoname: true,
    max: 40,
    min: 1,
    pattern: new RegExp("^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$"),
    source:
      'pulumi/pulumi-aws provider/resources.go: "replication_group_id": tfbridge.AutoNameTransform("replicationGroupId", 40, strings.ToLower); ElastiCache',
  },
  {
    type: "aws:elasticache/subnetGroup:SubnetGroup",
    input: "name",
    autoname: true,
    max: 255,
    min: 1,
    pattern: new RegExp("^[a-z0-9-]+$"),
    source:
      "ElastiCache CreateCacheSubnetGroup CacheSubnetGroupName: 'This value is stored as a lowercase string. Constraints: Must contain no more than 255",
  },
  {
    type: "aws:iam/role:Role",
    input: "name",
    autoname: true,
    max: 64,
    min: 1,
    pattern: new RegExp("^[\\w+=,.@-]+$"),
    source:
      'pulumi/pulumi-aws provider/resources.go: "name": tfbridge.AutoName("name", 64, "-"); IAM RoleName \'Length Constraints: Minimum length of 1. Maximum',
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    input: "name",
    autoname: true,
    max: 128,
    min: 1,
    pattern: new RegExp("^[\\w+=,.@-]+$"),
    source:
      "IAM PutRolePolicy PolicyName pattern (alphanumeric plus _+=,.@-, AWS JS SDK v3 PutRolePolicyCommandInput); 128-char maximum from the IAM API model,",
  },
  {
    type: "aws:kms/alias:Alias",
    input: "name",
    autoname: true,
    max: 256,
    min: 1,
    pattern: new RegExp("^alias/(?!aws/)[a-zA-Z0-9/_-]+$"),
    source:
      "AWS KMS Create aliases: 'The alias must be string of 1-256 characters. It can contain only alphanumeric characters, forward slashes (/), underscores",
  },
  {
    type: "aws:s3/bucket:Bucket",
    input: "bucket",
    autoname: true,
    max: 63,
    min: 3,
    pattern: new RegExp(
      "^(?!xn--|sthree-|amzn-s3-demo-)(?!.*(-s3alias|--ol-s3|\\.mrap|--x-s3|--table-s3)$)[a-z0-9][a-z0-9.-]*[a-z0-9]$",
    ),
    source:
      'pulumi/pulumi-aws provider/resources.go: "bucket": tfbridge.AutoNameTransform("bucket", 63, strings.ToLower); S3 Bucket naming rules',
  },
  {
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    input: "rules.0.id",
    autoname: false,
    max: 255,
    min: 1,
    source:
      "S3 API ReplicationRule ID: 'A unique identifier for the rule. The maximum value is 255 characters.' (AWS SDK for Kotlin s3control ReplicationRule.id; s3-2006-03-01 model)",
  },
  {
    type: "kubernetes:helm.sh/v3:Release",
    input: "name",
    autoname: true,
    max: 53,
    min: 1,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "Helm release name limit (53 chars, DNS-1123 label) - Helm's own rule, not re-verified with the search tool in this pass",
  },
  {
    type: "kubernetes:core/v1:Namespace",
    input: "metadata.name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "Kubernetes 'Object Names and IDs': namespaces are RFC 1123 DNS labels, at most 63 characters",
  },
  {
    type: "kubernetes:core/v1:Secret",
    input: "metadata.name",
    autoname: true,
    max: 253,
    min: 1,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
    source: "Kubernetes 'Object Names and IDs': DNS-1123 subdomain, at most 253 characters",
  },
  {
    type: "kubernetes:objectbucket.io/v1alpha1:ObjectBucketClaim",
    input: "metadata.name",
    autoname: true,
    max: 253,
    min: 1,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
    source:
      "Kubernetes object names: DNS-1123 subdomain, at most 253 characters (Kubernetes 'Object Names and IDs'); the claim's Secret and ConfigMap take the same name (rook/rook Documentation/Storage-Configuration/Object-Storage-RGW/ceph-object-bucket-claim.md)",
  },
  {
    type: "kubernetes:objectbucket.io/v1alpha1:ObjectBucketClaim",
    input: "spec.bucketName",
    autoname: false,
    max: 63,
    min: 3,
    pattern: new RegExp("^[a-z0-9][a-z0-9.-]*[a-z0-9]$"),
    source:
      "S3 bucket naming rules (3-63 characters, lowercase letters, digits, dots and hyphens), which Ceph RGW enforces with rgw_relaxed_s3_bucket_names false, its default (docs.ceph.com radosgw config-ref)",
  },
  {
    type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    input: "metadata.name",
    autoname: true,
    max: 253,
    min: 1,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
    source:
      "Kubernetes RBAC objects take path-segment names (ValidateRBACName), kept here to the DNS-1123 subdomain rule the platform's names follow, at most 253 characters",
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    input: "metadata.name",
    autoname: true,
    max: 253,
    min: 1,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
    source: "Kubernetes 'Object Names and IDs': DNS-1123 subdomain, at most 253 characters",
  },
  {
    type: "kubernetes:core/v1:Service",
    input: "metadata.name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "Kubernetes 'Object Names and IDs': Services are RFC 1035 labels (start with a letter), at most 63 characters",
  },
  {
    type: "kubernetes:batch/v1:Job",
    input: "metadata.name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "Kubernetes Job docs: the name becomes the job-name label of its pods, so at most 63 characters (a label value), DNS-1123",
  },
  {
    type: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    input: "metadata.name",
    autoname: true,
    max: 253,
    min: 1,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
    source:
      "Kubernetes 'Object Names and IDs': custom resources are DNS-1123 subdomains, at most 253 characters",
  },
  {
    type: "kubernetes:keda.sh/v1alpha1:ClusterTriggerAuthentication",
    input: "metadata.name",
    autoname: true,
    max: 253,
    min: 1,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
    source:
      "Kubernetes 'Object Names and IDs': custom resources are DNS-1123 subdomains, at most 253 characters",
  },
  {
    type: "kubernetes:storage.k8s.io/v1:StorageClass",
    input: "metadata.name",
    autoname: true,
    max: 253,
    min: 1,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
    source:
      "Kubernetes object names: DNS-1123 subdomain, at most 253 characters (Kubernetes 'Object Names and IDs'); not re-verified with the search tool in this",
  },
  {
    type: "gcp:compute/address:Address",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "@pulumi/gcp 9.37 compute/address.d.ts AddressArgs.name: 'The name must be 1-63 characters long, and comply with RFC1035' (regex",
  },
  {
    type: "gcp:compute/externalVpnGateway:ExternalVpnGateway",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "@pulumi/gcp 9.37 compute/externalVpnGateway.d.ts ExternalVpnGatewayArgs.name: 1-63 characters, RFC1035",
  },
  {
    type: "gcp:compute/firewall:Firewall",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source: "@pulumi/gcp 9.37 compute/firewall.d.ts FirewallArgs.name: 1-63 characters, RFC1035",
  },
  {
    type: "gcp:compute/globalAddress:GlobalAddress",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "@pulumi/gcp 9.37 compute/globalAddress.d.ts GlobalAddressArgs.name: 1-63 characters, RFC1035",
  },
  {
    type: "gcp:compute/haVpnGateway:HaVpnGateway",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "@pulumi/gcp 9.37 compute/haVpnGateway.d.ts HaVpnGatewayArgs.name: 1-63 characters, RFC1035",
  },
  {
    type: "gcp:compute/network:Network",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source: "@pulumi/gcp 9.37 compute/network.d.ts NetworkArgs.name: 1-63 characters, RFC1035",
  },
  {
    type: "gcp:compute/router:Router",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "@pulumi/gcp 9.37 compute/router.d.ts RouterArgs.name: 1-63 characters, RFC1035; Compute API REST Resource routers: name 'must be 1-63 characters",
  },
  {
    type: "gcp:compute/routerInterface:RouterInterface",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "@pulumi/gcp 9.37 compute/routerInterface.d.ts says only 'A unique name for the interface, required by GCE. Changing this forces a new interface to be",
  },
  {
    type: "gcp:compute/routerNat:RouterNat",
    input: "name",
    autoname: true,
    max: 63,
    min: 2,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      'hashicorp/terraform-provider-google google/services/compute/resource_compute_router_nat.go: "name" ValidateFunc: verify.ValidateRFC1035Name(2, 63),',
  },
  {
    type: "gcp:compute/routerPeer:RouterPeer",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "@pulumi/gcp 9.37 compute/routerPeer.d.ts RouterPeerArgs.name: 'The name must be 1-63 characters long, and comply with RFC1035'",
  },
  {
    type: "gcp:compute/subnetwork:Subnetwork",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "@pulumi/gcp 9.37 compute/subnetwork.d.ts SubnetworkArgs.name: 1-63 characters, RFC1035",
  },
  {
    type: "gcp:compute/vPNTunnel:VPNTunnel",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "@pulumi/gcp 9.37 compute/vpntunnel.d.ts VPNTunnelArgs.name: 'The name must be 1-63 characters long, and comply with RFC1035'",
  },
  {
    type: "gcp:container/cluster:Cluster",
    input: "name",
    autoname: true,
    max: 40,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "GKE: 'Cluster names must start with a letter and end with an alphanumeric, and cannot be longer than 40 characters' (Google Cloud Skills Boost GKE",
  },
  {
    type: "gcp:container/nodePool:NodePool",
    input: "name",
    autoname: true,
    max: 40,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "secondary source only: gitlab.com/thorchain/devops/cluster-launcher MR 67 'google_container_node_pool.name is limited to 40 symbols by GCP'; not",
  },
  {
    type: "gcp:filestore/instance:Instance",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "Filestore REST projects.locations.instances/create instanceId: 'must start with a lowercase letter followed by up to 62 lowercase letters, numbers,",
  },
  {
    type: "gcp:gkebackup/backupPlan:BackupPlan",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "Backup for GKE CreateBackupPlanRequest.backup_plan_id: 'be between 1 and 63 characters long (inclusive); consist of only lower-case ASCII letters,",
  },
  {
    type: "gcp:kms/cryptoKey:CryptoKey",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_-]{1,63}$"),
    source:
      "Cloud KMS CreateCryptoKeyRequest.crypto_key_id: regular expression [a-zA-Z0-9_-]{1,63} (same rule as key rings; the key-ring rule was retrieved:",
  },
  {
    type: "gcp:kms/keyRing:KeyRing",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_-]{1,63}$"),
    source:
      "Cloud KMS keyRings.create keyRingId: 'It must be unique within a location and match the regular expression [a-zA-Z0-9_-]{1,63}'",
  },
  {
    type: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
    input: "bucketId",
    autoname: false,
    max: 100,
    min: 1,
    pattern: new RegExp("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"),
    source:
      "Cloud Logging locations.buckets.create bucketId: 'Identifiers are limited to 100 characters and can include only letters, digits, underscores,",
  },
  {
    type: "gcp:logging/projectSink:ProjectSink",
    input: "name",
    autoname: true,
    max: 100,
    min: 1,
    pattern: new RegExp("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"),
    source:
      "Cloud Logging sinks.create: sink identifiers are limited to 100 characters, letters, digits, underscores, hyphens and periods, first character",
  },
  {
    type: "gcp:memorystore/instance:Instance",
    input: "instanceId",
    autoname: false,
    max: 63,
    min: 4,
    pattern: new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "hashicorp/terraform-provider-google google/services/memorystore/resource_memorystore_instance.go instance_id (Required, ForceNew): 'Must be 4-63",
  },
  {
    type: "gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy",
    input: "name",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "Network Connectivity serviceConnectionPolicies.create serviceConnectionPolicyId: 'Resource ID ... See",
  },
  {
    type: "gcp:redis/instance:Instance",
    input: "name",
    autoname: true,
    max: 40,
    min: 1,
    pattern: new RegExp("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
    source:
      "Memorystore for Redis CreateInstanceRequest.instance_id: 'Must contain only lowercase letters, numbers, and hyphens. Must start with a letter. Must be between 1-40 characters. Must end with a number or a letter.' (cloud.google.com Google.Cloud.Redis.V1 CreateInstanceRequest)",
  },
  {
    type: "gcp:serviceaccount/account:Account",
    input: "accountId",
    autoname: true,
    max: 30,
    min: 6,
    pattern: new RegExp("^[a-z]([-a-z0-9]{4,28}[a-z0-9])$"),
    source:
      "@pulumi/gcp 9.37 serviceaccount/account.d.ts AccountArgs.accountId: 'must be 6-30 characters long, and match the regular expression",
  },
  {
    type: "gcp:storage/bucket:Bucket",
    input: "name",
    autoname: true,
    max: 63,
    min: 3,
    pattern: new RegExp("^(?!goog)(?!.*g[o0]{2}gle)[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]$"),
    source:
      "@pulumi/gcp 9.37 storage/bucket.d.ts BucketArgs.name: 'Bucket names must be in lowercase and no more than 63 characters long' (rules:",
  },
  {
    type: "azure-native:authorization:RoleAssignment",
    input: "roleAssignmentName",
    // azure-native auto-names role assignments with a random GUID, not the logical name.
    autoname: false,
    max: 36,
    min: 36,
    pattern: new RegExp(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    ),
    source:
      "ARM role assignments are named by a GUID; azure-native generates a fresh GUID when roleAssignmentName is absent (the plan leaves it absent",
  },
  {
    type: "azure-native:compute:DiskEncryptionSet",
    input: "diskEncryptionSetName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[A-Za-z0-9_-]{1,80}$"),
    source:
      "MicrosoftDocs/azure-docs articles/azure-resource-manager/management/resource-name-rules.md (current version): diskEncryptionSets 1-80,",
  },
  {
    type: "azure-native:containerservice:AgentPool",
    input: "agentPoolName",
    autoname: true,
    max: 12,
    min: 1,
    pattern: new RegExp("^[a-z][a-z0-9]{0,11}$"),
    source:
      "Azure/azure-rest-api-specs containerservice aks/stable/2025-09-01/managedClusters.json parameters.AgentPoolNameParameter: pattern",
  },
  {
    type: "azure-native:containerservice:ManagedCluster",
    input: "resourceName",
    autoname: true,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$"),
    source:
      "Azure/azure-rest-api-specs containerservice aks/stable/2025-09-01/managedClusters.json parameters.ResourceNameParameter (minLength 1, maxLength 63,",
  },
  {
    type: "azure-native:containerservice:ManagedCluster",
    input: "dnsPrefix",
    autoname: false,
    max: 54,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$"),
    source:
      "Microsoft/PSRule.Rules.Azure rule Azure.AKS.DNSPrefix: 'Between 1 and 54 characters long. Alphanumerics and hyphens. Start and end with",
  },
  {
    type: "azure-native:containerservice:ManagedCluster",
    input: "nodeResourceGroup",
    autoname: false,
    // AKS's own limit on the node resource group it creates is tighter than a group's 90.
    max: 80,
    min: 1,
    pattern: new RegExp("^[-\\w._()]*[-\\w_()]$"),
    source:
      "resource-name-rules.md Microsoft.Resources/resourcegroups 1-90, underscores, hyphens, periods, parentheses, letters/digits; can't end with period",
  },
  {
    type: "azure-native:containerservice:TrustedAccessRoleBinding",
    input: "trustedAccessRoleBindingName",
    autoname: true,
    max: 24,
    min: 1,
    pattern: new RegExp("^([A-Za-z0-9-])+$"),
    source:
      "Azure/azure-rest-api-specs containerservice aks/stable/2025-09-01/managedClusters.json parameters.TrustedAccessRoleBindingNameParameter: pattern",
  },
  {
    type: "azure-native:dataprotection:BackupVault",
    input: "vaultName",
    autoname: true,
    max: 50,
    min: 2,
    pattern: new RegExp("^[A-Za-z][-A-Za-z0-9]*[A-Za-z0-9]$"),
    source:
      "Azure/azure-rest-api-specs dataprotection stable/2025-01-01/dataprotection.json parameters.RestrictedVaultName: pattern",
  },
  {
    type: "azure-native:keyvault:Key",
    input: "keyName",
    autoname: true,
    max: 127,
    min: 1,
    pattern: new RegExp("^[0-9a-zA-Z-]{1,127}$"),
    source:
      "Key Vault object names 1-127 alphanumerics and hyphens (resource-name-rules.md lists vaults/secrets 1-127; keys assumed the same, not verified",
  },
  {
    type: "azure-native:keyvault:Vault",
    input: "vaultName",
    autoname: true,
    max: 24,
    min: 3,
    pattern: new RegExp("^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$"),
    source:
      "resource-name-rules.md Microsoft.KeyVault/vaults: global, 3-24, alphanumerics and hyphens, start with letter, end with letter or digit, no",
  },
  {
    type: "azure-native:managedidentity:FederatedIdentityCredential",
    input: "federatedIdentityCredentialResourceName",
    autoname: true,
    max: 120,
    min: 3,
    pattern: new RegExp("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}$"),
    source:
      "bicep-types-az generated docs for Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials: name pattern",
  },
  {
    type: "azure-native:managedidentity:UserAssignedIdentity",
    input: "resourceName",
    autoname: true,
    max: 128,
    min: 3,
    pattern: new RegExp("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$"),
    source:
      "resource-name-rules.md Microsoft.ManagedIdentity/userAssignedIdentities: 3-128, alphanumerics, hyphens, underscores, start with letter or number",
  },
  {
    type: "azure-native:network:ApplicationSecurityGroup",
    input: "applicationSecurityGroupName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source:
      "resource-name-rules.md Microsoft.Network/applicationSecurityGroups 1-80, alphanumerics, underscores, periods, hyphens; start alphanumeric, end",
  },
  {
    type: "azure-native:network:FlowLog",
    input: "flowLogName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source:
      "not in resource-name-rules.md; assumed the common Microsoft.Network child rule (1-80) \u2014 not verified",
  },
  {
    type: "azure-native:network:LocalNetworkGateway",
    input: "localNetworkGatewayName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source: "resource-name-rules.md Microsoft.Network/localNetworkGateways 1-80",
  },
  {
    type: "azure-native:network:NatGateway",
    input: "natGatewayName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source:
      "not in resource-name-rules.md; assumed the common Microsoft.Network rule (1-80) \u2014 not verified",
  },
  {
    type: "azure-native:network:NetworkSecurityGroup",
    input: "networkSecurityGroupName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source: "resource-name-rules.md Microsoft.Network/networkSecurityGroups 1-80",
  },
  {
    type: "azure-native:network:PrivateDnsZoneGroup",
    input: "privateDnsZoneGroupName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source:
      "not in resource-name-rules.md; assumed the common Microsoft.Network child rule \u2014 not verified (value is the constant 'default')",
  },
  {
    type: "azure-native:network:PrivateEndpoint",
    input: "privateEndpointName",
    autoname: true,
    max: 64,
    min: 2,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,62}[a-zA-Z0-9_])$"),
    source:
      "resource-name-rules.md Microsoft.Network/privateEndpoints 2-64, alphanumerics, underscores, periods, hyphens; start alphanumeric, end alphanumeric or",
  },
  {
    type: "azure-native:network:PublicIPAddress",
    input: "publicIpAddressName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source: "resource-name-rules.md Microsoft.Network/publicIPAddresses 1-80",
  },
  {
    type: "azure-native:network:Subnet",
    input: "subnetName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source: "resource-name-rules.md Microsoft.Network/virtualnetworks/subnets 1-80",
  },
  {
    type: "azure-native:network:VirtualNetwork",
    input: "virtualNetworkName",
    autoname: true,
    max: 64,
    min: 2,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,62}[a-zA-Z0-9_])$"),
    source: "resource-name-rules.md Microsoft.Network/virtualNetworks 2-64",
  },
  {
    type: "azure-native:network:VirtualNetworkGateway",
    input: "virtualNetworkGatewayName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source: "resource-name-rules.md Microsoft.Network/virtualNetworkGateways 1-80",
  },
  {
    type: "azure-native:network:VirtualNetworkGatewayConnection",
    input: "virtualNetworkGatewayConnectionName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source: "resource-name-rules.md Microsoft.Network/connections 1-80",
  },
  {
    type: "azure-native:operationalinsights:Workspace",
    input: "workspaceName",
    autoname: true,
    max: 63,
    min: 4,
    pattern: new RegExp("^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$"),
    source:
      "resource-name-rules.md Microsoft.OperationalInsights/workspaces 4-63, alphanumerics and hyphens, start and end alphanumeric",
  },
  {
    type: "azure-native:privatedns:PrivateZone",
    input: "privateZoneName",
    autoname: true,
    max: 63,
    min: 1,
    source:
      "resource-name-rules.md privateDnsZones: 1-63 characters, 2 to 34 labels of alphanumerics, underscores, hyphens",
  },
  {
    type: "azure-native:privatedns:VirtualNetworkLink",
    input: "virtualNetworkLinkName",
    autoname: true,
    max: 80,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_])?$"),
    source: "resource-name-rules.md privateDnsZones/virtualNetworkLinks 1-80",
  },
  {
    type: "azure-native:redisenterprise:Database",
    input: "databaseName",
    autoname: true,
    max: 60,
    min: 1,
    pattern: new RegExp("^(?=.{1,60}$)[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"),
    source:
      "Azure/azure-rest-api-specs redisenterprise stable/2025-07-01/redisenterprise.json parameters.DatabaseNameParameter",
  },
  {
    type: "azure-native:redisenterprise:RedisEnterprise",
    input: "clusterName",
    autoname: true,
    max: 60,
    min: 1,
    pattern: new RegExp("^(?=.{1,60}$)[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"),
    source:
      "Azure/azure-rest-api-specs redisenterprise stable/2025-07-01/redisenterprise.json parameters.ClusterNameParameter: 'Name must be 1-60 characters",
  },
  {
    type: "azure-native:resources:ResourceGroup",
    input: "resourceGroupName",
    autoname: true,
    max: 90,
    min: 1,
    pattern: new RegExp("^[-\\w._()]*[-\\w_()]$"),
    source: "resource-name-rules.md Microsoft.Resources/resourcegroups 1-90, can't end with period",
  },
  {
    type: "azure-native:storage:BlobContainer",
    input: "containerName",
    autoname: true,
    max: 63,
    min: 3,
    pattern: new RegExp("^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"),
    source:
      "resource-name-rules.md storageAccounts/blobServices/containers 3-63, lowercase letters, numbers, hyphens; start with letter or number; no consecutive",
  },
  {
    type: "azure-native:storage:BlobServiceProperties",
    input: "blobServicesName",
    autoname: false,
    max: 7,
    min: 7,
    pattern: new RegExp("^default$"),
    source: "resource-name-rules.md storageAccounts/blobServices: Must be 'default'",
  },
  {
    type: "azure-native:storage:FileShare",
    input: "shareName",
    autoname: true,
    max: 63,
    min: 3,
    pattern: new RegExp("^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"),
    source:
      "resource-name-rules.md storageAccounts/fileServices/shares 3-63, lowercase letters, numbers, hyphens; can't start or end with hyphen; no consecutive",
  },
  {
    type: "azure-native:storage:ManagementPolicy",
    input: "managementPolicyName",
    autoname: false,
    max: 7,
    min: 7,
    pattern: new RegExp("^default$"),
    source: "resource-name-rules.md storageAccounts/managementPolicies: Must be 'default'",
  },
  {
    type: "azure-native:storage:StorageAccount",
    input: "accountName",
    autoname: true,
    max: 24,
    min: 3,
    pattern: new RegExp("^[a-z0-9]{3,24}$"),
    source:
      "resource-name-rules.md Microsoft.Storage/storageAccounts: global, 3-24, lowercase letters and numbers",
  },
  // OCI (@pulumi/oci 4.20.0). Display names are free text, not unique, changeable in place, at most
  // 255 characters (the OCI API's CreateXxxDetails.displayName: "A user-friendly name. Does not
  // have to be unique, and it's changeable"; the 255 is OCI's general display-name limit, not
  // re-stated per type in the API reference).
  ...[
    "oci:Core/vcn:Vcn",
    "oci:Core/subnet:Subnet",
    "oci:Core/natGateway:NatGateway",
    "oci:Core/internetGateway:InternetGateway",
    "oci:Core/serviceGateway:ServiceGateway",
    "oci:Core/drg:Drg",
    "oci:Core/drgAttachment:DrgAttachment",
    "oci:Core/routeTable:RouteTable",
    "oci:Core/securityList:SecurityList",
    "oci:Core/defaultSecurityList:DefaultSecurityList",
    "oci:Core/networkSecurityGroup:NetworkSecurityGroup",
    "oci:Core/cpe:Cpe",
    "oci:Core/ipsec:Ipsec",
    "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement",
    "oci:Core/volumeBackupPolicy:VolumeBackupPolicy",
    "oci:Kms/vault:Vault",
    "oci:Kms/key:Key",
    "oci:Logging/logGroup:LogGroup",
    "oci:Logging/log:Log",
    "oci:FileStorage/fileSystem:FileSystem",
    "oci:FileStorage/mountTarget:MountTarget",
    "oci:FileStorage/exportSet:ExportSet",
    "oci:FileStorage/filesystemSnapshotPolicy:FilesystemSnapshotPolicy",
    "oci:Redis/redisCluster:RedisCluster",
    "oci:Identity/customerSecretKey:CustomerSecretKey",
  ].map((type): NameLimit => ({
    type,
    input: "displayName",
    autoname: false,
    max: 255,
    min: 1,
    source:
      "OCI API CreateXxxDetails.displayName: free text, not unique; 255 characters (OCI's display-name limit)",
  })),
  // Logs and log groups: "Log group names must be unique in the compartment; only letters, numbers,
  // hyphens, underscores and periods" (OCI Logging, Managing Logs and Log Groups).
  ...["oci:Logging/logGroup:LogGroup", "oci:Logging/log:Log"].map((type): NameLimit => ({
    type,
    input: "displayName",
    autoname: false,
    max: 255,
    min: 1,
    pattern: new RegExp("^[A-Za-z0-9_.-]+$"),
    source:
      "OCI Logging: log and log group names take letters, numbers, hyphens, underscores and periods",
  })),
  ...["oci:Core/vcn:Vcn", "oci:Core/subnet:Subnet"].map((type): NameLimit => ({
    type,
    input: "dnsLabel",
    autoname: false,
    max: 15,
    min: 1,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9]*$"),
    source:
      "OCI Networking, DNS in Your VCN: 'alphanumeric string that begins with a letter', at most 15 characters (VCN and subnet labels)",
  })),
  {
    type: "oci:ObjectStorage/bucket:Bucket",
    input: "name",
    autoname: false,
    max: 255,
    min: 1,
    pattern: new RegExp("^[A-Za-z0-9_.-]+$"),
    source:
      "OCI Object Storage, Managing Buckets: letters, numbers, dashes, underscores and periods; 'The maximum length for an object and bucket name is 255 characters' (docs.oracle.com Compute Cloud@Customer Object Storage, same service)",
  },
  ...["oci:ContainerEngine/cluster:Cluster", "oci:ContainerEngine/nodePool:NodePool"].map(
    (type): NameLimit => ({
      type,
      input: "name",
      autoname: false,
      max: 255,
      min: 1,
      source:
        "OKE API CreateClusterDetails.name / CreateNodePoolDetails.name: free text; 255 assumed (OCI's display-name limit, not stated in the API reference)",
    }),
  ),
  // IAM names are unique in the tenancy and cannot change (CreateUser/CreateGroup/CreatePolicy:
  // "Allowed characters: No spaces. Only letters, numerals, hyphens, periods, underscores, +, and
  // @"); they are auto-named. The 100-character limit is the IAM Console's, not re-verified here.
  ...["oci:Identity/user:User", "oci:Identity/group:Group", "oci:Identity/policy:Policy"].map(
    (type): NameLimit => ({
      type,
      input: "name",
      autoname: true,
      max: 100,
      min: 1,
      pattern: new RegExp("^[A-Za-z0-9._+@-]+$"),
      source:
        "OCI IAM CreateUser/CreateGroup/CreatePolicy: unique in the tenancy; letters, numerals, - . _ + @; 100 characters (Console)",
    }),
  ),
  // Volcengine: every name is explicit (the bindings pass what the code sets; no autonaming).
  {
    type: "volcengine:vpc/vpc:Vpc",
    input: "vpcName",
    autoname: false,
    max: 128,
    min: 1,
    source: "Volcengine VPC CreateVpc VpcName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:vpc/subnet:Subnet",
    input: "subnetName",
    autoname: false,
    max: 128,
    min: 1,
    source: "Volcengine VPC CreateSubnet SubnetName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:vpc/securityGroup:SecurityGroup",
    input: "securityGroupName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine VPC CreateSecurityGroup SecurityGroupName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:vpc/routeTable:RouteTable",
    input: "routeTableName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine VPC CreateRouteTable RouteTableName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:vpc/routeEntry:RouteEntry",
    input: "routeEntryName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine VPC CreateRouteEntry RouteEntryName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:eip/address:Address",
    input: "name",
    autoname: false,
    max: 128,
    min: 1,
    source: "Volcengine EIP AllocateEipAddress Name: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:nat/gateway:Gateway",
    input: "natGatewayName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine NAT CreateNatGateway NatGatewayName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:nat/snatEntry:SnatEntry",
    input: "snatEntryName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine NAT CreateSnatEntry SnatEntryName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:vke/cluster:Cluster",
    input: "name",
    autoname: false,
    max: 64,
    min: 2,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$"),
    source:
      "VKE CreateCluster Name: 2-64 characters, letters, digits and '-', a letter first (VKE console rule; NOT VERIFIED against the API in this pass)",
  },
  {
    type: "volcengine:vke/nodePool:NodePool",
    input: "name",
    autoname: false,
    max: 64,
    min: 2,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$"),
    source:
      "VKE CreateNodePool Name: 2-64 characters, letters, digits and '-', a letter first (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:kms/keyring:Keyring",
    input: "keyringName",
    autoname: false,
    max: 31,
    min: 2,
    pattern: new RegExp("^[a-zA-Z0-9_-]+$"),
    source:
      "Volcengine KMS CreateKeyring KeyringName: 2-31 characters of letters, digits, '-' and '_' (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:kms/key:Key",
    input: "keyName",
    autoname: false,
    max: 31,
    min: 2,
    pattern: new RegExp("^[a-zA-Z0-9_-]+$"),
    source:
      "Volcengine KMS CreateKey KeyName: 2-31 characters of letters, digits, '-' and '_' (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:nas/fileSystem:FileSystem",
    input: "fileSystemName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine NAS CreateFileSystem FileSystemName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:nas/permissionGroup:PermissionGroup",
    input: "permissionGroupName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine NAS CreatePermissionGroup PermissionGroupName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:nas/mountPoint:MountPoint",
    input: "mountPointName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine NAS CreateMountPoint MountPointName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:tos/bucket:Bucket",
    input: "bucketName",
    autoname: false,
    max: 63,
    min: 3,
    pattern: new RegExp("^[a-z0-9][a-z0-9-]*[a-z0-9]$"),
    source:
      "TOS bucket naming: 3-63 characters, lowercase letters, digits and '-', not starting or ending with '-', globally unique (TOS CreateBucket)",
  },
  {
    type: "volcengine:vpn/gateway:Gateway",
    input: "vpnGatewayName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine VPN CreateVpnGateway VpnGatewayName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:vpn/customerGateway:CustomerGateway",
    input: "customerGatewayName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine VPN CreateCustomerGateway CustomerGatewayName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:vpn/connection:Connection",
    input: "vpnConnectionName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine VPN CreateVpnConnection VpnConnectionName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:redis/instance:Instance",
    input: "instanceName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine Redis CreateDBInstance InstanceName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:redis/allowList:AllowList",
    input: "allowListName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine Redis CreateAllowList AllowListName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:clb/clb:Clb",
    input: "loadBalancerName",
    autoname: false,
    max: 128,
    min: 1,
    source:
      "Volcengine CLB CreateLoadBalancer LoadBalancerName: 1-128 characters (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:iam/user:User",
    input: "userName",
    autoname: false,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9._-]+$"),
    source:
      "Volcengine IAM CreateUser UserName: 1-64 characters of letters, digits and '.-_' (NOT VERIFIED in this pass)",
  },
  {
    type: "volcengine:iam/policy:Policy",
    input: "policyName",
    autoname: false,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9_-]+$"),
    source:
      "Volcengine IAM CreatePolicy PolicyName: 1-64 characters of letters, digits, '-' and '_' (NOT VERIFIED in this pass)",
  },
  {
    type: "alicloud:cs/managedKubernetes:ManagedKubernetes",
    input: "name",
    autoname: false,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9][a-zA-Z0-9_-]*$"),
    source:
      "aliyun/terraform-provider-alicloud resource_alicloud_cs_managed_kubernetes.go name: StringLenBetween(1, 63); ACK CreateCluster name: letters, digits, underscores and hyphens, not starting with a hyphen",
  },
  {
    type: "alicloud:cs/nodePool:NodePool",
    input: "nodePoolName",
    autoname: false,
    max: 63,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9][a-zA-Z0-9_-]*$"),
    source:
      "ACK CreateClusterNodePool nodepool_info.name: 1-63 characters, letters, digits, underscores, hyphens (API reference); no validator in resource_alicloud_cs_kubernetes_node_pool.go; value is nodePools[].name, which configSchema caps",
  },
  {
    type: "alicloud:vpc/network:Network",
    input: "vpcName",
    autoname: false,
    max: 128,
    min: 1,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "VPC CreateVpc VpcName: 1-128 characters, starts with a letter, no http:// or https:// (API reference; not re-verified with the search tool in this pass)",
  },
  {
    type: "alicloud:vpc/switch:Switch",
    input: "vswitchName",
    autoname: false,
    max: 128,
    min: 1,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "VPC CreateVSwitch VSwitchName: 1-128 characters, starts with a letter (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:vpc/natGateway:NatGateway",
    input: "natGatewayName",
    autoname: false,
    max: 128,
    min: 2,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "VPC CreateNatGateway Name: 2-128 characters, starts with a letter (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:vpc/snatEntry:SnatEntry",
    input: "snatEntryName",
    autoname: false,
    max: 128,
    min: 2,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "VPC CreateSnatEntry SnatEntryName: 2-128 characters, starts with a letter (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:vpc/routeTable:RouteTable",
    input: "routeTableName",
    autoname: false,
    max: 128,
    min: 1,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "VPC CreateRouteTable RouteTableName: 1-128 characters, starts with a letter (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:vpc/flowLog:FlowLog",
    input: "flowLogName",
    autoname: false,
    max: 128,
    min: 1,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "VPC CreateFlowLog FlowLogName: 1-128 characters, starts with a letter (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:ecs/eipAddress:EipAddress",
    input: "addressName",
    autoname: false,
    max: 128,
    min: 1,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "VPC AllocateEipAddress Name: 1-128 characters, starts with a letter (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:log/project:Project",
    input: "projectName",
    autoname: false,
    max: 63,
    min: 3,
    pattern: new RegExp("^[a-z0-9][a-z0-9-]*[a-z0-9]$"),
    source:
      "SLS CreateProject projectName: 3-63 characters, lowercase letters, digits and hyphens, starting and ending with a letter or digit, unique in the region",
  },
  {
    type: "alicloud:log/store:Store",
    input: "logstoreName",
    autoname: false,
    max: 63,
    min: 2,
    pattern: new RegExp("^[a-z0-9][a-z0-9_-]*[a-z0-9]$"),
    source:
      "SLS CreateLogStore logstoreName: 2-63 characters, lowercase letters, digits, hyphens and underscores, starting and ending with a letter or digit",
  },
  {
    type: "alicloud:oss/bucket:Bucket",
    input: "bucket",
    autoname: false,
    max: 63,
    min: 3,
    pattern: new RegExp("^[a-z0-9][a-z0-9-]*[a-z0-9]$"),
    source:
      "OSS bucket naming: 3-63 characters, lowercase letters, digits and hyphens, starting and ending with a letter or digit, unique across Alibaba Cloud",
  },
  {
    type: "alicloud:nas/accessGroup:AccessGroup",
    input: "accessGroupName",
    autoname: false,
    max: 64,
    min: 3,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9_-]*$"),
    source:
      "NAS CreateAccessGroup AccessGroupName: 3-64 characters, starts with a letter, letters, digits, underscores and hyphens (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:ecs/autoSnapshotPolicy:AutoSnapshotPolicy",
    input: "autoSnapshotPolicyName",
    autoname: false,
    max: 128,
    min: 2,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "ECS CreateAutoSnapshotPolicy autoSnapshotPolicyName: 2-128 characters, starts with a letter, digits, colons, underscores, hyphens (the @pulumi/alicloud 3.108 nas.AutoSnapshotPolicy doc states the same rule)",
  },
  {
    type: "alicloud:hbr/vault:Vault",
    input: "vaultName",
    autoname: false,
    max: 64,
    min: 1,
    source:
      "HBR CreateVault VaultName: 1-64 characters (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:hbr/nasBackupPlan:NasBackupPlan",
    input: "nasBackupPlanName",
    autoname: false,
    max: 64,
    min: 1,
    source: "@pulumi/alicloud 3.108 hbr.NasBackupPlan nasBackupPlanName: '1~64 characters'",
  },
  {
    type: "alicloud:vpn/gateway:Gateway",
    input: "vpnGatewayName",
    autoname: false,
    max: 100,
    min: 1,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "VPN CreateVpnGateway Name: 1-100 characters, starts with a letter (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:vpn/customerGateway:CustomerGateway",
    input: "customerGatewayName",
    autoname: false,
    max: 100,
    min: 1,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "VPN CreateCustomerGateway Name: 1-100 characters, starts with a letter (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:vpn/connection:Connection",
    input: "vpnConnectionName",
    autoname: false,
    max: 100,
    min: 1,
    pattern: new RegExp("^[a-zA-Z][a-zA-Z0-9._:-]*$"),
    source:
      "VPN CreateVpnConnection Name: 1-100 characters, starts with a letter (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:redis/tairInstance:TairInstance",
    input: "tairInstanceName",
    autoname: false,
    max: 128,
    min: 2,
    source:
      "Tair CreateInstance InstanceName: 2-128 characters, starts with a letter (API reference; not re-verified in this pass)",
  },
  {
    type: "alicloud:ram/user:User",
    input: "name",
    autoname: false,
    max: 64,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9._-]+$"),
    source:
      "RAM CreateUser UserName: 1-64 characters, letters, digits, periods, hyphens and underscores",
  },
  {
    type: "alicloud:ram/policy:Policy",
    input: "policyName",
    autoname: false,
    max: 128,
    min: 1,
    pattern: new RegExp("^[a-zA-Z0-9-]+$"),
    source: "RAM CreatePolicy PolicyName: 1-128 characters, letters, digits and hyphens",
  },
];

/**
 * Types reviewed and left out of NAME_LIMITS: no cloud-side name (associations, routes, policies,
 * Name tags only), or a name the code sets to a short constant whose limit no reference states.
 * A type in a plan that is in neither list fails the test until someone looks up its limit.
 */
export const NO_NAME_LIMIT: ReadonlySet<string> = new Set([
  "alicloud:cs/kubernetesAddon:KubernetesAddon",
  "alicloud:cs/kubernetesPermission:KubernetesPermission",
  // One per cluster, identified by the cluster id; no name input.
  "alicloud:cs/autoscalingConfig:AutoscalingConfig",
  "alicloud:ecs/eipAssociation:EipAssociation",
  // Identified by id; the description carries the purpose.
  "alicloud:kms/key:Key",
  "alicloud:nas/accessRule:AccessRule",
  "alicloud:nas/fileSystem:FileSystem",
  "alicloud:nas/mountTarget:MountTarget",
  "alicloud:oss/bucketAcl:BucketAcl",
  "alicloud:oss/bucketLogging:BucketLogging",
  "alicloud:oss/bucketPolicy:BucketPolicy",
  "alicloud:oss/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "alicloud:ram/accessKey:AccessKey",
  "alicloud:ram/userPolicyAttachment:UserPolicyAttachment",
  "alicloud:vpc/routeEntry:RouteEntry",
  "alicloud:vpc/routeTableAttachment:RouteTableAttachment",
  "alicloud:vpn/routeEntry:RouteEntry",
  // metadata.name is the constant `alb`.
  "kubernetes:alibabacloud.com/v1:AlbConfig",
  "kubernetes:networking.k8s.io/v1:IngressClass",
  // Volcengine associations, rules and keys: identified by the ids they join, no name of their own.
  "volcengine:eip/associate:Associate",
  "volcengine:vpc/securityGroupRule:SecurityGroupRule",
  "volcengine:vpc/routeTableAssociate:RouteTableAssociate",
  "volcengine:vpn/gatewayRoute:GatewayRoute",
  "volcengine:redis/allowListAssociate:AllowListAssociate",
  "volcengine:iam/userPolicyAttachment:UserPolicyAttachment",
  "volcengine:iam/accessKey:AccessKey",
  "volcengine:tos/bucketEncryption:BucketEncryption",
  "volcengine:tos/bucketLifecycle:BucketLifecycle",
  // The add-on's name is VKE's (csi-ebs, csi-nas, metrics-server, cluster-autoscaler), a constant.
  "volcengine:vke/addon:Addon",
  // vke_kubeconfig: cluster_id, type and valid_duration only; VKE names it.
  "volcengine:vke/kubeconfig:Kubeconfig",
  // Huawei Cloud: rules, SNAT rules, routes, add-ons (named by their template), IAM links and keys.
  "huaweicloud:Vpc/secgroupRule:SecgroupRule",
  "huaweicloud:Nat/snatRule:SnatRule",
  "huaweicloud:Vpc/route:Route",
  "huaweicloud:Cce/addon:Addon",
  "huaweicloud:Iam/groupMembership:GroupMembership",
  "huaweicloud:Iam/groupRoleAssignment:GroupRoleAssignment",
  "huaweicloud:Iam/accessKey:AccessKey",
  // Local commands have no cloud-side name.
  "command:local:Command",
  // Fixed names (`officeless-load-balancer`, `officeless-volume-policy`), far below Kubernetes' 253.
  "kubernetes:core/v1:ConfigMap",
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  // Access entries and their policy associations are identified by cluster and principal ARN only.
  "aws:eks/accessEntry:AccessEntry",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  "aws:ec2/eip:Eip",
  "aws:ec2/flowLog:FlowLog",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/route:Route",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/vpnConnection:VpnConnection",
  "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
  "aws:ec2/vpnGateway:VpnGateway",
  "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
  "aws:efs/accessPoint:AccessPoint",
  "aws:efs/fileSystemPolicy:FileSystemPolicy",
  "aws:efs/mountTarget:MountTarget",
  "aws:eks/addon:Addon",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:kms/key:Key",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  // Settings of its bucket; targetPrefix is an object key prefix (`<purpose>/`), not a name.
  "aws:s3/bucketLogging:BucketLogging",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "azure-native:dataprotection:BackupInstance",
  "azure-native:dataprotection:BackupPolicy",
  "azure-native:kubernetesconfiguration:Extension",
  "azure-native:monitor:DiagnosticSetting",
  "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
  "gcp:projects/service:Service",
  "gcp:projects/serviceIdentity:ServiceIdentity",
  "gcp:projects/iAMMember:IAMMember",
  "gcp:serviceaccount/iAMMember:IAMMember",
  "gcp:servicenetworking/connection:Connection",
  "gcp:storage/bucketIAMMember:BucketIAMMember",
  // SSH commands (K3s, strongSwan on-prem): no name on any remote side.
  "command:remote:Command",
  "pulumi:providers:kubernetes",
  "pulumi:pulumi:StackReference",
  "random:index/randomPassword:RandomPassword",
  "random:index/randomString:RandomString",
  // Keys and certificates exist only in the state (terraform-provider-tls): no name anywhere; the
  // certificates' subject names are DNS names, validated as such by the config.
  "tls:index/privateKey:PrivateKey",
  "tls:index/certRequest:CertRequest",
  "tls:index/selfSignedCert:SelfSignedCert",
  "tls:index/locallySignedCert:LocallySignedCert",
  // OCI: identified by OCID and their parent only, or named by a constant.
  "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
  "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy",
  "oci:FileStorage/export:Export",
  "oci:Identity/userGroupMembership:UserGroupMembership",
  // A user's capabilities: the user's own settings, identified by `capabilities/<user OCID>`.
  "oci:Identity/userCapabilitiesManagement:UserCapabilitiesManagement",
  "oci:ContainerEngine/addon:Addon",
  // The cache user is named by a constant (`officeless`).
  "oci:Redis/ociCacheUser:OciCacheUser",
  "oci:Redis/redisClusterAttachOciCacheUser:RedisClusterAttachOciCacheUser",
  "pulumi:providers:oci",
  "kubernetes:ingress.oraclecloud.com/v1beta1:IngressClassParameters",
  "kubernetes:networking.k8s.io/v1:IngressClass",
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
]);
