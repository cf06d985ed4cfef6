/**
 * Azure test fixtures: a valid Azure configuration and upstream layer outputs (both built by
 * tests/fixtures.ts) with real-shaped ARM ids so backends can parse them.
 */
import { MOCK_AZURE_SUBSCRIPTION_ID } from "../automation/offline/mocks";
import { BucketPurpose } from "../components/storage";
import { Environment, PlatformConfig } from "../components/types";
import { bucketsBy, platformConfig, upstreamOutputs } from "./fixtures";

export { commonArgs, withKubernetes } from "./fixtures";

export const SUBSCRIPTION = MOCK_AZURE_SUBSCRIPTION_ID;
const rgId = (group: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${group}`;

export const NETWORK_GROUP = "officeless-test-network-rg";
export const VNET_NAME = "officeless-test-network-vnet";
export const VNET_ID = `${rgId(NETWORK_GROUP)}/providers/Microsoft.Network/virtualNetworks/${VNET_NAME}`;
export const SUBNET_ID = (tier: string) => `${VNET_ID}/subnets/${tier}`;
export const NAT_IPS = ["203.0.113.10", "203.0.113.11", "203.0.113.12"];

export const CLUSTER_GROUP = "officeless-test-rg";
export const CLUSTER_NAME = "officeless-test";
export const CLUSTER_ID = `${rgId(CLUSTER_GROUP)}/providers/Microsoft.ContainerService/managedClusters/${CLUSTER_NAME}`;
/** Principal (object) id of the cluster's control-plane identity: `clusterSecurityGroupId` on Azure. */
export const CONTROL_PLANE_PRINCIPAL = "11111111-2222-4333-8444-555555555555";
export const OIDC_ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/issuer/";

export const STORAGE_GROUP = "officeless-test-storage-rg";
export const STORAGE_ACCOUNT = "officelesstestblob123456";
export const STORAGE_ACCOUNT_ID = `${rgId(STORAGE_GROUP)}/providers/Microsoft.Storage/storageAccounts/${STORAGE_ACCOUNT}`;
export const CONTAINER_ID = (purpose: BucketPurpose) =>
  `${STORAGE_ACCOUNT_ID}/blobServices/default/containers/${purpose}`;
export const STORAGE_KEY = "https://officeless-test-storage.vault.azure.net/keys/encryption";

const CIDR = "10.30.0.0/16";

export function azureConfig(environment: Environment = "prod"): PlatformConfig {
  return platformConfig(environment, {
    cloud: "azure",
    region: "westeurope",
    zones: environment === "prod" ? ["1", "2", "3"] : ["1", "2"],
    cidr: CIDR,
    instanceTypes: {
      general: ["Standard_D4ds_v5"],
      spot: ["Standard_D8ds_v5", "Standard_D8as_v5"],
    },
    spotPool: {
      diskSizeGb: 128,
      taints: [{ key: "capacity", value: "spot", effect: "NoSchedule" }],
    },
    cacheReplicas: 1,
    backupSchedule: "R/2025-01-01T03:00:00+00:00/P1D",
  });
}

export const { networkOutputs, kubernetesOutputs, storageOutputs } = upstreamOutputs({
  network: {
    networkId: VNET_ID,
    cidr: CIDR,
    // A node subnet per zone (`private-<zone>`), one regional subnet for the other tiers; one NAT
    // address per zone.
    subnetIds: (tier, zones) =>
      tier === "private" ? zones.map((z) => SUBNET_ID(`private-${z}`)) : [SUBNET_ID(tier)],
    natPublicIps: (zones) => NAT_IPS.slice(0, zones.length),
  },
  kubernetes: {
    clusterName: CLUSTER_NAME,
    clusterId: CLUSTER_ID,
    // The public FQDN the kubeconfig uses (resolves to the private IP).
    endpoint: "https://officeless-test-abc.hcp.westeurope.azmk8s.io:443",
    nodeSecurityGroupId: `${rgId(CLUSTER_GROUP)}/providers/Microsoft.Network/applicationSecurityGroups/nodes`,
    clusterSecurityGroupId: CONTROL_PLANE_PRINCIPAL,
    nodeIdentity: "99999999-8888-4777-8666-555555555555",
    oidcIssuerUrl: OIDC_ISSUER,
    encryptionKeyId: "https://officeless-test.vault.azure.net/keys/encryption",
  },
  storage: {
    fileSystemId: `${rgId(STORAGE_GROUP)}/providers/Microsoft.Storage/storageAccounts/officelesstestfiles1`,
    buckets: bucketsBy(CONTAINER_ID),
    encryptionKeyId: STORAGE_KEY,
  },
});

/** The full ARM id of a built-in role in the mocked subscription. */
export function roleDefinition(guid: string): string {
  return `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

/** Azure resource type tokens, by short name. */
export const AZ = {
  rg: "azure-native:resources:ResourceGroup",
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  nat: "azure-native:network:NatGateway",
  pip: "azure-native:network:PublicIPAddress",
  flowLog: "azure-native:network:FlowLog",
  asg: "azure-native:network:ApplicationSecurityGroup",
  pe: "azure-native:network:PrivateEndpoint",
  peDns: "azure-native:network:PrivateDnsZoneGroup",
  zone: "azure-native:privatedns:PrivateZone",
  zoneLink: "azure-native:privatedns:VirtualNetworkLink",
  gateway: "azure-native:network:VirtualNetworkGateway",
  localGateway: "azure-native:network:LocalNetworkGateway",
  connection: "azure-native:network:VirtualNetworkGatewayConnection",
  vault: "azure-native:keyvault:Vault",
  key: "azure-native:keyvault:Key",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  federated: "azure-native:managedidentity:FederatedIdentityCredential",
  role: "azure-native:authorization:RoleAssignment",
  cluster: "azure-native:containerservice:ManagedCluster",
  pool: "azure-native:containerservice:AgentPool",
  trustedAccess: "azure-native:containerservice:TrustedAccessRoleBinding",
  des: "azure-native:compute:DiskEncryptionSet",
  workspace: "azure-native:operationalinsights:Workspace",
  diagnostics: "azure-native:monitor:DiagnosticSetting",
  account: "azure-native:storage:StorageAccount",
  blobService: "azure-native:storage:BlobServiceProperties",
  container: "azure-native:storage:BlobContainer",
  lifecycle: "azure-native:storage:ManagementPolicy",
  share: "azure-native:storage:FileShare",
  redis: "azure-native:redisenterprise:RedisEnterprise",
  database: "azure-native:redisenterprise:Database",
  backupVault: "azure-native:dataprotection:BackupVault",
  backupPolicy: "azure-native:dataprotection:BackupPolicy",
  backupInstance: "azure-native:dataprotection:BackupInstance",
  extension: "azure-native:kubernetesconfiguration:Extension",
  release: "kubernetes:helm.sh/v3:Release",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
} as const;
