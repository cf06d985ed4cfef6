/** Azure (azure-native) resources and invokes under the offline mocks. */
import { CloudMocks, Invoke, mockPublicIp, shortHash } from "./common";

/** The fake Azure subscription, tenant and deploying identity the mocked `getClientConfig` reports. */
export const MOCK_AZURE_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000001";
export const MOCK_AZURE_TENANT_ID = "00000000-0000-4000-8000-0000000000a1";
export const MOCK_AZURE_OBJECT_ID = "00000000-0000-4000-8000-0000000000b1";

function outputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  region: string,
): Record<string, unknown> | undefined {
  switch (type) {
    case "azure-native:resources:ResourceGroup":
    case "azure-native:network:VirtualNetwork":
    case "azure-native:network:Subnet":
    case "azure-native:network:NetworkSecurityGroup":
    case "azure-native:network:NatGateway":
    case "azure-native:network:PublicIPAddress":
    case "azure-native:network:PrivateEndpoint":
    case "azure-native:network:ApplicationSecurityGroup":
    case "azure-native:network:VirtualNetworkGateway":
    case "azure-native:network:LocalNetworkGateway":
    case "azure-native:network:VirtualNetworkGatewayConnection":
    case "azure-native:privatedns:PrivateZone":
    case "azure-native:keyvault:Vault":
    case "azure-native:keyvault:Key":
    case "azure-native:managedidentity:UserAssignedIdentity":
    case "azure-native:containerservice:ManagedCluster":
    case "azure-native:containerservice:AgentPool":
    case "azure-native:storage:StorageAccount":
    case "azure-native:storage:BlobContainer":
    case "azure-native:compute:DiskEncryptionSet":
    case "azure-native:redisenterprise:RedisEnterprise":
    case "azure-native:redisenterprise:Database":
    case "azure-native:dataprotection:BackupVault":
    case "azure-native:dataprotection:BackupPolicy":
    case "azure-native:operationalinsights:Workspace":
    case "azure-native:kubernetesconfiguration:Extension": {
      const nameInput: Record<string, string> = {
        "azure-native:resources:ResourceGroup": "resourceGroupName",
        "azure-native:network:VirtualNetwork": "virtualNetworkName",
        "azure-native:network:Subnet": "subnetName",
        "azure-native:network:NetworkSecurityGroup": "networkSecurityGroupName",
        "azure-native:network:NatGateway": "natGatewayName",
        "azure-native:network:PublicIPAddress": "publicIpAddressName",
        "azure-native:network:PrivateEndpoint": "privateEndpointName",
        "azure-native:network:ApplicationSecurityGroup": "applicationSecurityGroupName",
        "azure-native:network:VirtualNetworkGateway": "virtualNetworkGatewayName",
        "azure-native:network:LocalNetworkGateway": "localNetworkGatewayName",
        "azure-native:network:VirtualNetworkGatewayConnection":
          "virtualNetworkGatewayConnectionName",
        "azure-native:privatedns:PrivateZone": "privateZoneName",
        "azure-native:keyvault:Vault": "vaultName",
        "azure-native:keyvault:Key": "keyName",
        "azure-native:managedidentity:UserAssignedIdentity": "resourceName",
        "azure-native:containerservice:ManagedCluster": "resourceName",
        "azure-native:containerservice:AgentPool": "agentPoolName",
        "azure-native:storage:StorageAccount": "accountName",
        "azure-native:storage:BlobContainer": "containerName",
        "azure-native:compute:DiskEncryptionSet": "diskEncryptionSetName",
        "azure-native:redisenterprise:RedisEnterprise": "clusterName",
        "azure-native:redisenterprise:Database": "databaseName",
        "azure-native:dataprotection:BackupVault": "vaultName",
        "azure-native:dataprotection:BackupPolicy": "backupPolicyName",
        "azure-native:operationalinsights:Workspace": "workspaceName",
        "azure-native:kubernetesconfiguration:Extension": "extensionName",
      };
      const azureName = (inputs[nameInput[type]] as string | undefined) ?? name;
      // A stable, GUID-shaped id per resource and role (principal and client ids).
      const guid = (role: string) => {
        const h = [0, 1, 2, 3]
          .map((i) => shortHash(`${name}/${role}/${i}`))
          .join("")
          .toLowerCase();
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
      };
      const vaultUri = (vault: string) => `https://${vault}.vault.azure.net/`;
      switch (type) {
        case "azure-native:network:PublicIPAddress":
          return {
            name: azureName,
            ipAddress: mockPublicIp(name),
          };
        case "azure-native:network:VirtualNetworkGateway": {
          // Azure gives each instance (IP configuration) a BGP address at the end of the GatewaySubnet.
          const configs = (inputs.ipConfigurations ?? []) as { name?: string }[];
          const peering = configs.map((c, i) => ({
            ipconfigurationId: `${name}-id/ipConfigurations/${c.name ?? `ipconfig-${i}`}`,
            defaultBgpIpAddresses: [`10.255.255.${254 - i}`],
            customBgpIpAddresses: [],
            tunnelIpAddresses: [],
          }));
          return {
            name: azureName,
            bgpSettings: {
              asn: 65515,
              ...(inputs.bgpSettings ?? {}),
              bgpPeeringAddress: peering.map((p) => p.defaultBgpIpAddresses[0]).join(","),
              bgpPeeringAddresses: peering,
            },
          };
        }
        case "azure-native:keyvault:Vault":
          return {
            name: azureName,
            properties: { ...(inputs.properties ?? {}), vaultUri: vaultUri(azureName) },
          };
        case "azure-native:keyvault:Key": {
          const keyUri = `${vaultUri(inputs.vaultName ?? "vault")}keys/${azureName}`;
          return {
            name: azureName,
            keyUri,
            keyUriWithVersion: `${keyUri}/${shortHash(name).toLowerCase()}`,
          };
        }
        case "azure-native:managedidentity:UserAssignedIdentity":
          return {
            name: azureName,
            principalId: guid("principal"),
            clientId: guid("client"),
            tenantId: MOCK_AZURE_TENANT_ID,
          };
        case "azure-native:containerservice:ManagedCluster":
          return {
            name: azureName,
            fqdn: `${azureName}-${shortHash(name).toLowerCase()}.hcp.${region}.azmk8s.io`,
            privateFQDN: `${azureName}-${shortHash(name).toLowerCase()}.privatelink.${region}.azmk8s.io`,
            currentKubernetesVersion: `${inputs.kubernetesVersion ?? "1.36"}.3`,
            oidcIssuerProfile: {
              enabled: true,
              issuerURL: `https://${region}.oic.prod-aks.azure.com/${MOCK_AZURE_TENANT_ID}/${guid("oidc")}/`,
            },
            identityProfile: {
              kubeletidentity: {
                clientId: guid("kubelet-client"),
                objectId: guid("kubelet"),
                resourceId: `${name}-kubelet-identity`,
              },
            },
          };
        case "azure-native:redisenterprise:RedisEnterprise":
          return { name: azureName, hostName: `${azureName}.${region}.redis.azure.net` };
        case "azure-native:redisenterprise:Database":
          return { name: azureName, port: inputs.port ?? 10000 };
        case "azure-native:dataprotection:BackupVault":
          return {
            name: azureName,
            identity: {
              ...(inputs.identity ?? {}),
              principalId: guid("principal"),
              tenantId: MOCK_AZURE_TENANT_ID,
            },
          };
        case "azure-native:kubernetesconfiguration:Extension":
          return {
            name: azureName,
            aksAssignedIdentity: {
              type: "SystemAssigned",
              principalId: guid("principal"),
              tenantId: MOCK_AZURE_TENANT_ID,
            },
          };
        default:
          return { name: azureName };
      }
    }
    default:
      return undefined;
  }
}

const invokes: Record<string, Invoke> = {
  "azure-native:authorization:getClientConfig": () => ({
    clientId: "00000000-0000-4000-8000-00000000c11e",
    objectId: MOCK_AZURE_OBJECT_ID,
    subscriptionId: MOCK_AZURE_SUBSCRIPTION_ID,
    tenantId: MOCK_AZURE_TENANT_ID,
  }),
  // A kubeconfig as AKS hands it out (base64 YAML); the backend reads the server and CA from it.
  "azure-native:containerservice:listManagedClusterUserCredentials": (inputs, region) => {
    const host = `${inputs.resourceName}-${shortHash(String(inputs.resourceName)).toLowerCase()}.privatelink.${region}.azmk8s.io`;
    const ca = Buffer.from(`mock-ca-${inputs.resourceName}`).toString("base64");
    const yaml = `apiVersion: v1\nkind: Config\nclusters:\n- name: ${inputs.resourceName}\n  cluster:\n    server: https://${host}:443\n    certificate-authority-data: ${ca}\n`;
    return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(yaml).toString("base64") }] };
  },
  // The offline plan assumes a prepared subscription: every feature the program checks is registered.
  "azure-native:features:getSubscriptionFeatureRegistration": (inputs) => ({
    id: `/subscriptions/${MOCK_AZURE_SUBSCRIPTION_ID}/providers/Microsoft.Features/featureProviders/${inputs.providerNamespace}/subscriptionFeatureRegistrations/${inputs.featureName}`,
    name: inputs.featureName,
    type: "Microsoft.Features/featureProviders/subscriptionFeatureRegistrations",
    properties: {
      featureName: inputs.featureName,
      providerNamespace: inputs.providerNamespace,
      state: "Registered",
    },
  }),
  // Automatic Network Watcher enablement: the region's watcher exists once a VNet does.
  "azure-native:network:getNetworkWatcher": (inputs, region) => ({
    id: `/subscriptions/${MOCK_AZURE_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.Network/networkWatchers/${inputs.networkWatcherName}`,
    name: inputs.networkWatcherName,
    location: region,
    provisioningState: "Succeeded",
    type: "Microsoft.Network/networkWatchers",
  }),
  "azure-native:redisenterprise:listDatabaseKeys": (inputs) => ({
    primaryKey: `mock-${shortHash(String(inputs.clusterName))}-primary-key`,
    secondaryKey: `mock-${shortHash(String(inputs.clusterName))}-secondary-key`,
  }),
};

export const AZURE_MOCKS: CloudMocks = { prefix: "azure-native:", outputs, invokes };
