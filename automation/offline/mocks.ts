/**
 * Pulumi mocks that record every registered resource with its inputs and options, and answer with
 * plausible computed outputs (ids, ARNs, endpoints) so downstream wiring runs as it would for real.
 * Used by the offline plan and by every unit test: one source of truth for what "under mocks" means.
 */
import * as pulumi from "@pulumi/pulumi";
import { AWS_CATALOG, EKS_UNSUPPORTED_ZONE_IDS } from "../../providers/aws/catalog";

export interface RecordedOptions {
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  dependsOn: string[];
  /** Replacement deletes the old resource first (singletons whose id is their parent's). */
  deleteBeforeReplace: boolean;
  /** The provider reference (`<urn>::<id>`), empty for the default provider. */
  provider: string;
  /** Names (or URNs) of the resource's aliases, when it has any. */
  aliases?: string[];
}

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  options: RecordedOptions;
}

export interface MockSettings {
  project?: string;
  stack?: string;
  /** Outputs returned for a StackReference, keyed by the referenced stack's full name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** Names of outputs per referenced stack that are secrets. */
  stackSecretOutputs?: Record<string, string[]>;
  /** Region the mocked AWS invokes report. */
  region?: string;
  /** Run as a preview (dry run). Default false so apply callbacks run. */
  preview?: boolean;
  /** The account's zones as `aws.getAvailabilityZones` reports them (default: mockZones). */
  availabilityZones?: { names: string[]; zoneIds: string[] };
}

const ACCOUNT_ID = "123456789012";

/** A fixed, recognisable fake account id used by all mocked ARNs. */
export const MOCK_ACCOUNT_ID = ACCOUNT_ID;

/** The fake Azure subscription, tenant and deploying identity the mocked `getClientConfig` reports. */
export const MOCK_AZURE_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000001";
export const MOCK_AZURE_TENANT_ID = "00000000-0000-4000-8000-0000000000a1";
export const MOCK_AZURE_OBJECT_ID = "00000000-0000-4000-8000-0000000000b1";

/** The GCP project (id and number) the mocked GCP invokes report. */
export const MOCK_GCP_PROJECT = "officeless-example";
export const MOCK_GCP_PROJECT_NUMBER = "210987654321";

function shortHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

/** Computed outputs for resource types whose downstream consumers read more than their inputs. */
function computedOutputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  region: string,
): Record<string, unknown> {
  const physical = (inputs.name as string) ?? name;
  switch (type) {
    case "aws:eks/cluster:Cluster": {
      const id = shortHash(name);
      return {
        name: physical,
        endpoint: `https://${id}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`mock-ca-${name}`).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${id}` }] }],
        vpcConfig: {
          ...(inputs.vpcConfig ?? {}),
          clusterSecurityGroupId: `sg-${id.toLowerCase()}cluster`,
        },
        version: inputs.version ?? "1.36",
      };
    }
    case "aws:ec2/eip:Eip":
      return {
        publicIp: `203.0.113.${(parseInt(shortHash(name), 16) % 250) + 1}`,
        allocationId: `eipalloc-${shortHash(name).toLowerCase()}`,
      };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { latestVersion: 1 };
    case "aws:elasticache/replicationGroup:ReplicationGroup": {
      const id = (inputs.replicationGroupId as string) ?? physical;
      return {
        replicationGroupId: id,
        primaryEndpointAddress: `master.${id}.cache.amazonaws.com`,
        readerEndpointAddress: `replica.${id}.cache.amazonaws.com`,
        port: inputs.port ?? 6379,
      };
    }
    case "aws:ec2/vpnConnection:VpnConnection":
      return {
        tunnel1Address: "198.51.100.10",
        tunnel2Address: "198.51.100.11",
        tunnel1PresharedKey: inputs.tunnel1PresharedKey ?? `mock-psk1-${shortHash(name)}`,
        tunnel2PresharedKey: inputs.tunnel2PresharedKey ?? `mock-psk2-${shortHash(name)}`,
        // Inside /30s: AWS takes .1 and the customer gateway .2; unset, AWS picks them.
        ...Object.fromEntries(
          ["tunnel1", "tunnel2"].flatMap((t, i) => {
            const [a, b, c, d] = String(
              inputs[`${t}InsideCidr`] ??
                `169.254.${(parseInt(shortHash(name), 16) % 200) + 10}.${4 * i}/30`,
            )
              .split("/")[0]
              .split(".")
              .map(Number);
            return [
              [`${t}InsideCidr`, `${a}.${b}.${c}.${d}/30`],
              [`${t}VgwInsideAddress`, `${a}.${b}.${c}.${d + 1}`],
              [`${t}CgwInsideAddress`, `${a}.${b}.${c}.${d + 2}`],
            ];
          }),
        ),
      };
    // Autonamed `name`s that other resources reference (a vault by its plan, a subnet group by its cache).
    case "aws:backup/vault:Vault":
    case "aws:elasticache/subnetGroup:SubnetGroup":
      return { name: physical };
    case "aws:s3/bucket:Bucket":
      return { bucket: inputs.bucket ?? physical };
    // GCP: what the cluster reports, service account emails, and the names consumers reference.
    case "gcp:container/cluster:Cluster": {
      const id = shortHash(name).toLowerCase();
      const endpoints = inputs.controlPlaneEndpointsConfig ?? {};
      return {
        name: physical,
        endpoint: `10.${parseInt(id.slice(0, 2), 16)}.0.2`,
        masterVersion: `${inputs.minMasterVersion ?? "1.36"}.5-gke.1000000`,
        masterAuth: {
          ...(inputs.masterAuth ?? {}),
          clusterCaCertificate: Buffer.from(`mock-ca-${name}`).toString("base64"),
        },
        controlPlaneEndpointsConfig: {
          ...endpoints,
          dnsEndpointConfig: {
            ...(endpoints.dnsEndpointConfig ?? {}),
            endpoint: `gke-${id}.${region}.gke.goog`,
          },
        },
        // GKE gives both IP endpoints whatever enablePrivateEndpoint says; the private one is the
        // second address of the control-plane range.
        privateClusterConfig: {
          ...(inputs.privateClusterConfig ?? {}),
          privateEndpoint:
            typeof inputs.privateClusterConfig?.masterIpv4CidrBlock === "string"
              ? inputs.privateClusterConfig.masterIpv4CidrBlock.replace(
                  /\.(\d+)\/\d+$/,
                  (_: string, last: string) => `.${Number(last) + 2}`,
                )
              : `10.${parseInt(id.slice(0, 2), 16)}.0.2`,
          publicEndpoint: `203.0.113.${(parseInt(id.slice(2, 4), 16) % 250) + 1}`,
          // A control plane with its own range is peered with the cluster's network.
          ...(inputs.privateClusterConfig?.masterIpv4CidrBlock
            ? { peeringName: `gke-n${id}-${id.slice(0, 4)}-peer` }
            : {}),
        },
      };
    }
    case "gcp:serviceaccount/account:Account": {
      const email = `${inputs.accountId ?? name}@${MOCK_GCP_PROJECT}.iam.gserviceaccount.com`;
      return {
        email,
        name: `projects/${MOCK_GCP_PROJECT}/serviceAccounts/${email}`,
        member: `serviceAccount:${email}`,
      };
    }
    case "gcp:compute/address:Address":
      return {
        name: physical,
        address: `203.0.113.${(parseInt(shortHash(name), 16) % 250) + 1}`,
        selfLink: `https://www.googleapis.com/compute/v1/projects/${MOCK_GCP_PROJECT}/regions/${region}/addresses/${physical}`,
      };
    case "gcp:compute/haVpnGateway:HaVpnGateway":
      return {
        name: physical,
        vpnInterfaces: [
          { id: 0, ipAddress: "198.51.100.20" },
          { id: 1, ipAddress: "198.51.100.21" },
        ],
      };
    case "gcp:redis/instance:Instance":
      return {
        name: physical,
        host: "10.30.224.4",
        port: 6378,
        readEndpoint: "10.30.224.5",
        readEndpointPort: 6378,
        authString: `mock-auth-${shortHash(name)}`,
      };
    case "gcp:memorystore/instance:Instance": {
      const connection = (connectionType: string, ipAddress: string) => ({
        pscAutoConnection: {
          connectionType,
          ipAddress,
          port: 6379,
          network: inputs.desiredAutoCreatedEndpoints?.[0]?.network ?? "",
        },
      });
      return {
        name: `projects/${MOCK_GCP_PROJECT}/locations/${region}/instances/${inputs.instanceId ?? physical}`,
        endpoints: [
          {
            connections: [
              connection("CONNECTION_TYPE_PRIMARY", "10.30.130.2"),
              connection("CONNECTION_TYPE_READER", "10.30.130.3"),
            ],
          },
        ],
      };
    }
    // Autonamed GCP resources whose `name` (or self link) other resources reference.
    case "gcp:compute/network:Network":
    case "gcp:compute/subnetwork:Subnetwork":
    case "gcp:compute/router:Router":
    case "gcp:compute/globalAddress:GlobalAddress":
    case "gcp:compute/vPNTunnel:VPNTunnel":
    case "gcp:compute/externalVpnGateway:ExternalVpnGateway":
    case "gcp:compute/routerInterface:RouterInterface":
    case "gcp:container/nodePool:NodePool":
    case "gcp:storage/bucket:Bucket":
    case "gcp:filestore/instance:Instance":
    case "gcp:gkebackup/backupPlan:BackupPlan":
    case "gcp:kms/keyRing:KeyRing":
    case "gcp:kms/cryptoKey:CryptoKey":
      return {
        name: physical,
        selfLink: `https://www.googleapis.com/compute/v1/projects/${MOCK_GCP_PROJECT}/${physical}`,
      };
    // Azure (azure-native): the physical name (its `<x>Name` input) and the outputs consumers read.
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
            ipAddress: `203.0.113.${(parseInt(shortHash(name), 16) % 250) + 1}`,
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
    case "random:index/randomString:RandomString":
      return {
        result: shortHash(name)
          .toLowerCase()
          .repeat(4)
          .slice(0, Number(inputs.length ?? 8)),
      };
    case "random:index/randomPassword:RandomPassword":
      return { result: `mock-${shortHash(name)}-password-0123456789abcdef` };
    case "kubernetes:helm.sh/v3:Release":
      return {
        name: inputs.name ?? physical,
        namespace: inputs.namespace ?? "default",
        status: { status: "deployed" },
      };
    default:
      return {};
  }
}

/**
 * An account's zones in a region: the catalog's names, with zone IDs of the region's short form
 * (`use1-az1`, ...). The offline plan assumes a prepared account, so no name maps to a zone ID EKS
 * refuses (those get IDs past the region's last).
 */
export function mockZones(region: string): { names: string[]; zoneIds: string[] } {
  const names = [...(AWS_CATALOG.regions[region] ?? [])];
  const [geo, direction = "", n = ""] = region.split("-");
  const compass = direction.replace(/north|south|east|west|central/g, (w) => w[0]);
  const short = `${geo}${compass}${n}`;
  const zoneIds = names.map((_, i) => {
    const id = `${short}-az${i + 1}`;
    return EKS_UNSUPPORTED_ZONE_IDS.includes(id) ? `${short}-az${names.length + i + 1}` : id;
  });
  return { names, zoneIds };
}

type Invoke = (inputs: any, region: string, settings: MockSettings) => Record<string, unknown>;

const INVOKES: Record<string, Invoke> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_i, region, settings) => {
    const zones = settings.availabilityZones ?? mockZones(region);
    return { ...zones, groupNames: [region], id: region };
  },
  // An assumed role, as most deployments run (SSO, CI): the backends must turn it into the role ARN.
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: ACCOUNT_ID,
    arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/officeless-plan/plan-session`,
    userId: "AROAOFFICELESSPLAN:plan-session",
    id: ACCOUNT_ID,
  }),
  "aws:iam/getSessionContext:getSessionContext": (inputs) => {
    const arn = String(inputs.arn);
    const role = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
    const issuerArn = role ? `arn:${role[1]}:iam::${role[2]}:role/${role[3]}` : arn;
    return {
      arn,
      issuerArn,
      issuerId: role ? "AROAOFFICELESSPLAN" : "",
      issuerName: role ? role[3] : "",
      sessionName: role ? role[4] : "",
      id: arn,
    };
  },
  // EKS's default add-on version for a Kubernetes minor (the shape describe-addon-versions gives).
  "aws:eks/getAddonVersion:getAddonVersion": (inputs, region) => {
    const minor = String(inputs.kubernetesVersion).split(".")[1] ?? "0";
    return {
      addonName: inputs.addonName,
      kubernetesVersion: inputs.kubernetesVersion,
      mostRecent: inputs.mostRecent ?? false,
      region,
      version: `v1.${minor}.0-eksbuild.1`,
      id: `${inputs.addonName}:${inputs.kubernetesVersion}`,
    };
  },
  // An existing role (bootstrap's `--role`), as IAM reports it.
  "aws:iam/getRole:getRole": (inputs) => ({
    name: inputs.name,
    arn: `arn:aws:iam::${ACCOUNT_ID}:role/${inputs.name}`,
    id: inputs.name,
  }),
  "aws:index/getPartition:getPartition": () => ({
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    id: "aws",
  }),
  "aws:index/getRegion:getRegion": (_i, region) => ({ name: region, region, id: region }),
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
  "gcp:organizations/getProject:getProject": () => ({
    projectId: MOCK_GCP_PROJECT,
    number: MOCK_GCP_PROJECT_NUMBER,
    name: MOCK_GCP_PROJECT,
    id: `projects/${MOCK_GCP_PROJECT}`,
  }),
  "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": () => {
    const email = `service-${MOCK_GCP_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com`;
    return {
      emailAddress: email,
      member: `serviceAccount:${email}`,
      project: MOCK_GCP_PROJECT,
      id: email,
    };
  },
};

/** Mocks that record what a program registers. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  public readonly resources: RecordedResource[] = [];

  constructor(private readonly settings: MockSettings = {}) {}

  private get region(): string {
    return this.settings.region ?? "us-east-1";
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    if (args.type === "pulumi:pulumi:StackReference") {
      const stackName = String(inputs.name ?? args.name);
      const outputs = this.settings.stackOutputs?.[stackName];
      if (!outputs) {
        throw new Error(`offline plan: no outputs recorded for upstream stack "${stackName}"`);
      }
      const secretNames = this.settings.stackSecretOutputs?.[stackName] ?? [];
      return { id: stackName, state: { name: stackName, outputs, secretOutputNames: secretNames } };
    }
    const id = `${args.name}-id`;
    const arnService = args.type.split(":")[1]?.split("/")[0] ?? "resource";
    // AWS resources may name their own region (provider v7's per-resource `region`, e.g. replicas).
    const region =
      args.type.startsWith("aws:") && typeof inputs.region === "string"
        ? inputs.region
        : this.region;
    const state = {
      ...inputs,
      id,
      arn: `arn:aws:${arnService}:${region}:${ACCOUNT_ID}:${args.name}`,
      ...computedOutputs(args.type, args.name, inputs as Record<string, any>, region),
    };
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const invoke = INVOKES[args.token];
    if (!invoke) {
      throw new Error(
        `offline plan: invoke ${args.token} is not mocked; add it to automation/offline/mocks.ts`,
      );
    }
    return invoke(args.inputs, this.region, this.settings);
  }

  /** Resources of a type, optionally filtered by logical name. */
  byType(type: string, name?: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  }
}

/** Special signature keys of Pulumi's wire format. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG_SECRET = "1b47061264138c4ac30d75fd1eb44270";
const SIG_RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The secret placeholder: secret values never appear in recorded inputs or plans. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Wire-format value to plain JSON: secrets become "[secret]", resource references their URN. */
export function plainValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainValue);
  if (value === UNKNOWN) return "[unknown]";
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SIG_SECRET) return SECRET_PLACEHOLDER;
    if (obj[SIG_KEY] === SIG_RESOURCE) return obj.urn;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = plainValue(v);
    return out;
  }
  return value;
}

/**
 * Installs the mocks for one program run and patches the mock monitor so each registration's
 * options (protect, retainOnDelete, ignoreChanges, dependsOn, deleteBeforeReplace, provider,
 * parent) are recorded too: the SDK's
 * mock interface only passes inputs.
 */
export async function installMocks(settings: MockSettings = {}): Promise<RecordingMocks> {
  const mocks = new RecordingMocks(settings);
  // "organization" is what the Pulumi CLI reports for self-managed (DIY) backends.
  await pulumi.runtime.setMocks(
    mocks,
    settings.project ?? "officeless",
    settings.stack ?? "test",
    settings.preview ?? false,
    "organization",
  );
  const monitor = (pulumi.runtime as any).getMonitor();
  // Registered resources carry options; read resources (StackReferences) carry only their inputs.
  const aliasesOf = (req: any): string[] =>
    (req.getAliasesList?.() ?? []).map((a: any) =>
      a.hasSpec?.() ? a.getSpec().getName() : a.getUrn(),
    );
  const record = (req: any, urn: string, inputs: any, custom: boolean, withOptions: boolean) => {
    const aliases = withOptions ? aliasesOf(req) : [];
    mocks.resources.push({
      urn,
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() ?? "",
      custom,
      inputs: plainValue(inputs?.toJavaScript() ?? {}) as Record<string, unknown>,
      options: {
        protect: withOptions && req.getProtect() === true,
        retainOnDelete: withOptions && req.getRetainondelete() === true,
        ignoreChanges: withOptions ? (req.getIgnorechangesList() ?? []) : [],
        dependsOn: withOptions ? (req.getDependenciesList() ?? []) : [],
        deleteBeforeReplace: withOptions && req.getDeletebeforereplace() === true,
        provider: (withOptions && req.getProvider()) || "",
        ...(aliases.length > 0 ? { aliases } : {}),
      },
    });
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) =>
    register(req, (err: any, resp: any) => {
      if (!err && resp) record(req, resp.getUrn(), req.getObject(), req.getCustom(), true);
      callback(err, resp);
    });
  const read = monitor.readResource.bind(monitor);
  monitor.readResource = (req: any, callback: (err: any, resp: any) => void) =>
    read(req, (err: any, resp: any) => {
      if (!err && resp) record(req, resp.getUrn(), req.getProperties(), true, false);
      callback(err, resp);
    });
  return mocks;
}
