/**
 * The replace-on-change inputs of every resource type a day-2 edit reaches, and the helpers the
 * day-2 test files (dayTwo.test.ts, dayTwoEdits.test.ts) compare two plans with.
 */
import type { PlannedResource, PlannedStack } from "../../automation/offline/plan";
import { POOL_REPLACE_INPUTS } from "../../providers/huawei/kubernetes";
import { urnKey } from "./worstCase";

/**
 * Inputs that replace the resource when they change (Terraform `ForceNew`, or an API that refuses
 * the update), as dotted path prefixes. Sources: the Terraform providers' schemas at the pinned
 * bridges' versions (aws v6, google v6/7, azure-native's own API specs).
 */
export const REPLACES: Record<string, readonly string[]> = {
  // internal/service/eks/cluster.go: bootstrap_cluster_creator_admin_permissions is ForceNew.
  "aws:eks/cluster:Cluster": [
    "name",
    "accessConfig.bootstrapClusterCreatorAdminPermissions",
    "kubernetesNetworkConfig",
  ],
  // internal/service/eks/addon.go: addon_name and cluster_name are ForceNew; addon_version updates.
  "aws:eks/addon:Addon": ["addonName", "clusterName"],
  "aws:eks/nodeGroup:NodeGroup": [
    "amiType",
    "capacityType",
    "diskSize",
    "instanceTypes",
    "nodeGroupName",
    "nodeGroupNamePrefix",
    "nodeRoleArn",
    "subnetIds",
    "remoteAccess",
  ],
  "aws:ec2/launchTemplate:LaunchTemplate": ["name", "namePrefix"],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix"],
  "aws:backup/plan:Plan": [],
  // internal/service/backup/vault_lock_configuration.go: no Update; every argument is ForceNew.
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration": [
    "backupVaultName",
    "changeableForDays",
    "maxRetentionDays",
    "minRetentionDays",
  ],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ["bucket"],
  "kubernetes:helm.sh/v3:Release": ["name", "namespace"],
  // Kubernetes objects: the name and namespace identify them; a Secret's type and a Service's
  // clusterIP are immutable; a Job's pod template is immutable (pulumi-kubernetes replaces it:
  // the Alertmanager loader re-runs on a new config, deleted first, see REPLACED_IN_PLACE).
  "kubernetes:core/v1:Secret": ["metadata.name", "metadata.namespace", "type"],
  "kubernetes:core/v1:ConfigMap": ["metadata.name", "metadata.namespace"],
  "kubernetes:apps/v1:Deployment": ["metadata.name", "metadata.namespace", "spec.selector"],
  "kubernetes:core/v1:Service": ["metadata.name", "metadata.namespace", "spec.clusterIP"],
  "kubernetes:batch/v1:Job": [
    "metadata.name",
    "metadata.namespace",
    "spec.template",
    "spec.selector",
  ],
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule": ["metadata.name", "metadata.namespace"],
  "kubernetes:keda.sh/v1alpha1:ClusterTriggerAuthentication": ["metadata.name"],
  // terraform-provider-tls: every argument of its resources is replace-on-change (a key's algorithm,
  // a CSR's names and key, a certificate's request, CA, uses and validity). A replaced leaf is
  // signed by the same CA, so clients that trust the CA are not affected (components/privateTls.ts).
  "tls:index/privateKey:PrivateKey": ["algorithm", "ecdsaCurve", "rsaBits"],
  "tls:index/certRequest:CertRequest": [
    "dnsNames",
    "ipAddresses",
    "privateKeyPem",
    "subject",
    "uris",
  ],
  "tls:index/selfSignedCert:SelfSignedCert": [
    "allowedUses",
    "dnsNames",
    "ipAddresses",
    "isCaCertificate",
    "maxPathLength",
    "privateKeyPem",
    "setSubjectKeyId",
    "subject",
    "validityPeriodHours",
  ],
  "tls:index/locallySignedCert:LocallySignedCert": [
    "allowedUses",
    "caCertPem",
    "caPrivateKeyPem",
    "certRequestPem",
    "isCaCertificate",
    "validityPeriodHours",
  ],
  // A new password is a new resource; `length` and `special` are ForceNew (terraform-provider-random).
  "random:index/randomPassword:RandomPassword": ["length", "special", "keepers"],
  // container_node_pool: initial_node_count is ForceNew (terraform-provider-google #6901).
  "gcp:container/nodePool:NodePool": [
    "initialNodeCount",
    "name",
    "cluster",
    "location",
    "nodeConfig.spot",
    "nodeConfig.serviceAccount",
    "nodeConfig.oauthScopes",
    "nodeConfig.bootDiskKmsKey",
  ],
  "gcp:container/cluster:Cluster": [
    "name",
    "location",
    "network",
    "subnetwork",
    "ipAllocationPolicy",
    "privateClusterConfig.masterIpv4CidrBlock",
  ],
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": ["bucketId", "location", "project"],
  "gcp:gkebackup/backupPlan:BackupPlan": ["name", "cluster", "location"],
  "gcp:storage/bucket:Bucket": ["name", "location", "project"],
  "gcp:compute/routerPeer:RouterPeer": ["name", "router", "region", "interface"],
  // containerservice/managedCluster.js (the pinned SDK): "The Azure API does not currently allow
  // [agentPoolProfiles] to be updated directly"; a private cluster stays private
  // (terraform-provider-azurerm kubernetes_cluster_resource.go: private_cluster_enabled ForceNew).
  "azure-native:containerservice:ManagedCluster": [
    "resourceName",
    "resourceGroupName",
    "location",
    "dnsPrefix",
    "nodeResourceGroup",
    "agentPoolProfiles",
    "apiServerAccessProfile.enablePrivateCluster",
    "apiServerAccessProfile.privateDNSZone",
  ],
  // The AKS API refuses changes to these on an existing pool ("Changing property ... is not allowed").
  "azure-native:containerservice:AgentPool": [
    "agentPoolName",
    "vmSize",
    "availabilityZones",
    "vnetSubnetID",
    "osDiskSizeGB",
    "osDiskType",
    "enableEncryptionAtHost",
    "scaleSetPriority",
    "maxPods",
  ],
  "azure-native:network:FlowLog": [],
  "azure-native:operationalinsights:Workspace": [],
  "azure-native:dataprotection:BackupPolicy": [],
  "azure-native:storage:ManagementPolicy": [],
  "azure-native:network:LocalNetworkGateway": [],
  // OCI, from oracle/terraform-provider-oci internal/service/*: containerengine_cluster_resource.go
  // (ForceNew, plus ForceNewIfChange on endpoint_config.0.subnet_id), containerengine_node_pool_resource.go,
  // core_ipsec_resource.go (static_routes updates in place). The others: the SDK's (Updatable) marks.
  "oci:ContainerEngine/cluster:Cluster": [
    "compartmentId",
    "vcnId",
    "clusterPodNetworkOptions",
    "kmsKeyId",
    "endpointConfig.subnetId",
    "options.ipFamilies",
    "options.kubernetesNetworkConfig",
    "options.serviceLbSubnetIds",
  ],
  "oci:ContainerEngine/nodePool:NodePool": [
    "clusterId",
    "compartmentId",
    "nodeImageId",
    "nodeImageName",
  ],
  "oci:Core/ipsec:Ipsec": ["cpeId", "drgId"],
  "oci:Core/volumeBackupPolicy:VolumeBackupPolicy": ["compartmentId"],
  // identity_user_capabilities_management_resource.go: user_id is ForceNew, the flags update.
  "oci:Identity/userCapabilitiesManagement:UserCapabilitiesManagement": ["userId"],
  "oci:FileStorage/filesystemSnapshotPolicy:FilesystemSnapshotPolicy": ["availabilityDomain"],
  "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy": ["bucket", "namespace"],
  // terraform-provider-volcengine docs (v0.0.194): vke_cluster kubernetes_version, pods_config,
  // services_config, cluster_config.resource_public_access_default_enabled and
  // api_server_public_access_config.public_access_network_config are ForceNew.
  "volcengine:vke/cluster:Cluster": [
    "kubernetesVersion",
    "podsConfig",
    "servicesConfig",
    "clusterConfig.resourcePublicAccessDefaultEnabled",
    "clusterConfig.apiServerPublicAccessConfig.publicAccessNetworkConfig",
  ],
  // vke_node_pool: cluster_id and node_config.instance_charge_type are ForceNew.
  "volcengine:vke/nodePool:NodePool": ["clusterId", "nodeConfig.instanceChargeType"],
  // vke_addon: cluster_id, name, deploy_mode, deploy_node_type, version are ForceNew.
  "volcengine:vke/addon:Addon": ["clusterId", "name", "deployMode", "deployNodeType", "version"],
  // vpn_connection: vpn_gateway_id is ForceNew; subnets, proposals and the key update in place.
  "volcengine:vpn/connection:Connection": ["vpnGatewayId"],
  // tos_bucket_lifecycle / tos_bucket_encryption: bucket_name is ForceNew.
  "volcengine:tos/bucketLifecycle:BucketLifecycle": ["bucketName"],
  "volcengine:tos/bucketEncryption:BucketEncryption": ["bucketName"],
  // redis_instance: port and engine_version are ForceNew (resource_volcengine_redis_instance.go).
  "volcengine:redis/instance:Instance": ["port", "engineVersion"],
  // route_entry: every input but the name and description is ForceNew; vpn_gateway_route: all.
  "volcengine:vpc/routeEntry:RouteEntry": [
    "routeTableId",
    "destinationCidrBlock",
    "nextHopType",
    "nextHopId",
  ],
  "volcengine:vpn/gatewayRoute:GatewayRoute": ["vpnGatewayId", "destinationCidrBlock", "nextHopId"],
  "volcengine:iam/policy:Policy": ["policyName"],
  // aliyun/terraform-provider-alicloud resource_alicloud_cs_managed_kubernetes.go: ForceNew.
  "alicloud:cs/managedKubernetes:ManagedKubernetes": [
    "profile",
    "podCidr",
    "serviceCidr",
    "nodeCidrMask",
    "proxyMode",
    "ipStack",
    "clusterDomain",
    "encryptionProviderKey",
    "serviceAccountIssuer",
    "apiAudiences",
    "autoMode",
  ],
  // resource_alicloud_cs_kubernetes_node_pool.go: ForceNew (instance types, sizes, spot and disks update in place).
  "alicloud:cs/nodePool:NodePool": [
    "clusterId",
    "deploymentSetId",
    "nodeNameMode",
    "securityGroupId",
    "securityGroupIds",
    "securityHardeningOs",
    "socEnabled",
    "cisEnabled",
    "loginAsNonRoot",
    "teeConfig",
  ],
  "alicloud:cs/kubernetesPermission:KubernetesPermission": ["uid"],
  // resource_alicloud_cs_autoscaling_config.go: one per cluster, keyed by cluster_id.
  "alicloud:cs/autoscalingConfig:AutoscalingConfig": ["clusterId"],
  "alicloud:log/store:Store": ["projectName", "logstoreName", "name", "project"],
  "alicloud:log/project:Project": ["projectName", "name"],
  "alicloud:ecs/autoSnapshotPolicy:AutoSnapshotPolicy": ["associationType"],
  "alicloud:hbr/nasBackupPlan:NasBackupPlan": ["fileSystemId", "vaultId", "backupType"],
  "alicloud:oss/bucket:Bucket": ["bucket"],
  "alicloud:vpn/connection:Connection": ["vpnGatewayId"],
  "alicloud:vpc/routeEntry:RouteEntry": [
    "routeTableId",
    "destinationCidrblock",
    "nexthopType",
    "nexthopId",
  ],
  "alicloud:vpc/flowLog:FlowLog": ["resourceId", "resourceType"],
  // resource_alicloud_redis_tair_instance.go: ForceNew (secondary_zone_id too in some versions).
  "alicloud:redis/tairInstance:TairInstance": [
    "instanceType",
    "paymentType",
    "port",
    "zoneId",
    "secondaryZoneId",
    "vpcId",
    "vswitchId",
  ],
  // terraform-provider-huaweicloud huaweicloud/services/*: ForceNew arguments of the types a day-2
  // edit reaches (node pool: providers/huawei/kubernetes.ts POOL_REPLACE_INPUTS; ECS user data).
  "huaweicloud:Cce/nodePool:NodePool": ["name", "clusterId", ...POOL_REPLACE_INPUTS],
  "huaweicloud:Cce/cluster:Cluster": [
    "name",
    "flavorId",
    "clusterVersion",
    "masters",
    "vpcId",
    "subnetId",
    "containerNetworkType",
    "containerNetworkCidr",
    "serviceNetworkCidr",
  ],
  "huaweicloud:Cce/addon:Addon": ["clusterId", "templateName"],
  "huaweicloud:Ecs/instance:Instance": [
    "userData",
    "imageName",
    "availabilityZone",
    "networks",
    "eipId",
  ],
  "huaweicloud:Vpc/route:Route": ["destination", "vpcId"],
  "huaweicloud:Lts/group:Group": ["groupName"],
  "huaweicloud:Obs/bucket:Bucket": ["bucket", "multiAz", "parallelFs", "region"],
  "huaweicloud:Cbr/policy:Policy": [],
  // @pulumi/command 1.2.1: `triggers` always replaces, `update` or not (remote/command.js sets
  // replaceOnChanges triggers[*]), and so does `connection` (provider/pkg/provider/remote:
  // `provider:"replaceOnChanges,secret"`); create, update and stdin changes run `update`.
  "command:remote:Command": ["connection", "triggers"],
  "kubernetes:objectbucket.io/v1alpha1:ObjectBucketClaim": [
    "metadata.name",
    "metadata.namespace",
    "spec.bucketName",
    "spec.storageClassName",
  ],
};

/**
 * Settings objects whose id is their parent's (one per vault): replacing them is harmless only
 * when the old one is deleted first. Create-before-delete would put the new settings, then the
 * old one's delete would remove them (the vault would be left unlocked).
 */
export const REPLACED_IN_PLACE = new Set([
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  // The Alertmanager config loader: replacing it is how a changed config is loaded again.
  "kubernetes:batch/v1:Job",
]);

/** Inputs the cloud's autoscaler owns: an `up` must never reset them, whatever the config says. */
export const AUTOSCALER_OWNED: Record<string, string> = {
  "aws:eks/nodeGroup:NodeGroup": "scalingConfig.desiredSize",
  "gcp:container/nodePool:NodePool": "initialNodeCount",
  "azure-native:containerservice:AgentPool": "count",
  "oci:ContainerEngine/nodePool:NodePool": "nodeConfigDetails.size",
  "volcengine:vke/nodePool:NodePool": "autoScaling.desiredReplicas",
  "alicloud:cs/nodePool:NodePool": "desiredSize",
  "huaweicloud:Cce/nodePool:NodePool": "initialNodeCount",
};

/** Labels and tags change on every resource with a tag edit, and are always updated in place. */
export const TAG_INPUTS =
  /^(tags|tagsAll|labels|resourceLabels|defaultTags|tagSpecifications|freeformTags)(\.|$)/;

/** Leaf paths whose values differ between two input trees (arrays compared whole). */
export function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  const isMap = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isMap(a) && isMap(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    return [...keys].flatMap((k) =>
      changedPaths(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
      ),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

export const custom = (stacks: PlannedStack[]) =>
  new Map(
    stacks
      .flatMap((s) => s.resources)
      .filter((r) => r.custom && r.type !== "pulumi:pulumi:StackReference")
      .map((r) => [urnKey(r.urn), r] as [string, PlannedResource]),
  );
