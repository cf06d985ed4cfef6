/**
 * Azure test fixtures: a valid Azure configuration (tests/fixtures.ts style) and upstream layer
 * outputs as a downstream stack reads them, with real-shaped ARM ids so backends can parse them.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MOCK_AZURE_SUBSCRIPTION_ID } from "../automation/offline/mocks";
import { KubernetesOutputs } from "../components/kubernetesCluster";
import { NetworkOutputs } from "../components/network";
import { BUCKET_PURPOSES, BucketPurpose, StorageOutputs } from "../components/storage";
import { PlatformConfig } from "../components/types";

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
export const CONTAINER_ID = (purpose: BucketPurpose) => `${STORAGE_ACCOUNT_ID}/blobServices/default/containers/${purpose}`;
export const STORAGE_KEY = "https://officeless-test-storage.vault.azure.net/keys/encryption";

export function azureConfig(environment: "dev" | "staging" | "prod" = "prod"): PlatformConfig {
  return {
    name: `officeless-${environment}`,
    cloud: "azure",
    environment,
    region: "westeurope",
    zones: environment === "prod" ? ["1", "2", "3"] : ["1", "2"],
    network: {
      cidr: "10.30.0.0/16",
      publicSubnetPrefix: 24,
      privateSubnetPrefix: 19,
      databaseSubnetPrefix: 24,
      natGateways: environment === "prod" ? "perZone" : "single",
      flowLogRetentionDays: 90,
    },
    kubernetes: {
      version: "1.33",
      nodePools: [
        {
          name: "general",
          instanceTypes: ["Standard_D4ds_v5"],
          minSize: 1,
          maxSize: 5,
          desiredSize: 2,
          spot: false,
          diskSizeGb: 100,
          labels: { workload: "general" },
          taints: [],
        },
        {
          name: "spot",
          instanceTypes: ["Standard_D8ds_v5", "Standard_D8as_v5"],
          minSize: 0,
          maxSize: 10,
          desiredSize: 0,
          spot: true,
          diskSizeGb: 128,
          labels: { capacity: "spot" },
          taints: [{ key: "capacity", value: "spot", effect: "NoSchedule" }],
        },
      ],
      endpoint: { publicAccessCidrs: [], privateAccessCidrs: ["192.168.0.0/16"] },
      logRetentionDays: 90,
      adminPrincipals: [],
    },
    storage: {
      block: { defaultClass: true },
      file: { enabled: true },
      object: {
        lifecycle: {
          transitionToInfrequentAccessDays: 30,
          noncurrentVersionExpirationDays: 90,
          abortIncompleteMultipartUploadDays: 7,
        },
      },
    },
    vpn: {
      enabled: true,
      peers: [{ name: "office", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"] }],
    },
    cache: { enabled: true, engine: "valkey", size: "medium", replicas: 1, highAvailability: environment === "prod" },
    observability: { enabled: true, retentionDays: 30 },
    backup: { enabled: true, retentionDays: 35, schedule: "R/2025-01-01T03:00:00+00:00/P1D" },
    tags: { team: "platform", "cost-center": "1234" },
    stackReference: {},
  };
}

/** The common args every component takes, from a config. */
export function commonArgs(config: PlatformConfig) {
  return { cloud: config.cloud, region: config.region, environment: config.environment, tags: config.tags };
}

export function networkOutputs(zones: readonly string[], databaseTier = true): NetworkOutputs {
  return {
    networkId: pulumi.output(VNET_ID),
    cidr: pulumi.output("10.30.0.0/16"),
    zones: pulumi.output([...zones]),
    publicSubnetIds: pulumi.output([SUBNET_ID("public")]),
    privateSubnetIds: pulumi.output([SUBNET_ID("private")]),
    databaseSubnetIds: pulumi.output(databaseTier ? [SUBNET_ID("database")] : []),
    privateRouteTableIds: pulumi.output([]),
    natPublicIps: pulumi.output(NAT_IPS.slice(0, zones.length)),
  };
}

export function kubernetesOutputs(version = "1.33"): KubernetesOutputs {
  return {
    clusterName: pulumi.output(CLUSTER_NAME),
    clusterId: pulumi.output(CLUSTER_ID),
    endpoint: pulumi.output("https://officeless-test-abc.privatelink.westeurope.azmk8s.io:443"),
    certificateAuthority: pulumi.output("Y2E="),
    kubeconfig: pulumi.secret("{}"),
    version: pulumi.output(version),
    nodeSecurityGroupId: pulumi.output(`${rgId(CLUSTER_GROUP)}/providers/Microsoft.Network/applicationSecurityGroups/nodes`),
    clusterSecurityGroupId: pulumi.output(CONTROL_PLANE_PRINCIPAL),
    nodeIdentity: pulumi.output("99999999-8888-4777-8666-555555555555"),
    oidcIssuerUrl: pulumi.output(OIDC_ISSUER),
    encryptionKeyId: pulumi.output("https://officeless-test.vault.azure.net/keys/encryption"),
    nodePoolNames: pulumi.output(["general", "spot"]),
  };
}

export function storageOutputs(): StorageOutputs {
  return {
    blockStorageClass: pulumi.output("officeless-block"),
    fileSystemId: pulumi.output(`${rgId(STORAGE_GROUP)}/providers/Microsoft.Storage/storageAccounts/officelesstestfiles1`),
    fileStorageClass: pulumi.output("officeless-file"),
    buckets: pulumi.output(Object.fromEntries(BUCKET_PURPOSES.map((p) => [p, CONTAINER_ID(p)])) as Record<BucketPurpose, string>),
    encryptionKeyId: pulumi.output(STORAGE_KEY),
  };
}

/** Component options with a Kubernetes provider, as the program passes them. */
export function withKubernetes(): pulumi.ComponentResourceOptions {
  return { providers: { kubernetes: new k8s.Provider("k8s", { kubeconfig: "{}" }) } };
}

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
