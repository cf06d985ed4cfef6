/** GCP resources and invokes under the offline mocks. */
import { CloudMocks, Invoke, mockPublicIp, shortHash } from "./common";

/** The GCP project (id and number) the mocked GCP invokes report. */
export const MOCK_GCP_PROJECT = "officeless-example";
export const MOCK_GCP_PROJECT_NUMBER = "210987654321";

function outputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  region: string,
): Record<string, unknown> | undefined {
  const physical = (inputs.name as string) ?? name;
  switch (type) {
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
        address: mockPublicIp(name),
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
    default:
      return undefined;
  }
}

const invokes: Record<string, Invoke> = {
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

export const GCP_MOCKS: CloudMocks = { prefix: "gcp:", outputs, invokes };
