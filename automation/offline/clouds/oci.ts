/** OCI resources and invokes under the offline mocks. */
import { CloudMocks, Invoke, mockPublicIp, shortHash } from "./common";

/** The tenancy's Object Storage namespace the mocked `getNamespace` reports. */
export const MOCK_OCI_NAMESPACE = "axmockns1234";
/** The tenancy prefix of availability domain names (`Uocm:EU-FRANKFURT-1-AD-1`). */
export const MOCK_OCI_AD_PREFIX = "Uocm";
/** The OKE Kubernetes releases the mocked `getClusterOption` offers. */
export const MOCK_OKE_VERSIONS = ["v1.34.2", "v1.35.1", "v1.35.2", "v1.36.1"];

/** A fake OCID of a type, stable per name. */
export function mockOcid(type: string, name: string, region = ""): string {
  return `ocid1.${type}.oc1.${region}.aaaaaaaa${shortHash(name).toLowerCase()}${shortHash(`${name}/2`).toLowerCase()}`;
}

/** The short AD names of a region as the mock tenancy lists them. */
function adsOf(region: string): string[] {
  const multi: Record<string, string[]> = {
    "us-ashburn-1": ["US-ASHBURN-AD-1", "US-ASHBURN-AD-2", "US-ASHBURN-AD-3"],
    "us-phoenix-1": ["PHX-AD-1", "PHX-AD-2", "PHX-AD-3"],
  };
  return (
    multi[region] ??
    (["eu-frankfurt-1", "uk-london-1", "us-chicago-1"].includes(region)
      ? [1, 2, 3].map((n) => `${region.toUpperCase()}-AD-${n}`)
      : [`${region.toUpperCase()}-AD-1`])
  );
}

function outputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  region: string,
): Record<string, unknown> | undefined {
  const h = parseInt(shortHash(name), 16);
  switch (type) {
    case "oci:Core/vcn:Vcn":
      return {
        defaultSecurityListId: mockOcid("securitylist", `${name}/default`, region),
        defaultRouteTableId: mockOcid("routetable", `${name}/default`, region),
      };
    case "oci:Core/natGateway:NatGateway":
      return { natIp: mockPublicIp(name) };
    case "oci:Kms/vault:Vault":
      return {
        managementEndpoint: `https://${shortHash(name).toLowerCase()}-management.kms.${region}.oraclecloud.com`,
      };
    case "oci:ContainerEngine/cluster:Cluster": {
      const id = shortHash(name).toLowerCase();
      return {
        name: inputs.name ?? name,
        endpoints: [
          {
            privateEndpoint: `10.${h % 200}.0.2:6443`,
            kubernetes: "",
            publicEndpoint: "",
            vcnHostnameEndpoint: "",
          },
        ],
        openIdConnectDiscoveryEndpoint: `https://${region}.oke.oraclecloud.com/oidc/${id}`,
      };
    }
    case "oci:ContainerEngine/nodePool:NodePool":
      return { name: inputs.name ?? name };
    case "oci:ObjectStorage/bucket:Bucket":
      return { name: inputs.name ?? name };
    case "oci:Redis/redisCluster:RedisCluster": {
      const id = shortHash(name).toLowerCase();
      return {
        primaryFqdn: `${id}-p.redis.${region}.oci.oraclecloud.com`,
        replicasFqdn: `${id}-r.redis.${region}.oci.oraclecloud.com`,
      };
    }
    case "oci:Identity/customerSecretKey:CustomerSecretKey":
      return { key: `mock-secret-key-${shortHash(name).toLowerCase()}` };
    case "oci:Kms/key:Key":
    case "oci:Core/volumeBackupPolicy:VolumeBackupPolicy":
      return { displayName: inputs.displayName ?? name };
    default:
      return undefined;
  }
}

const invokes: Record<string, Invoke> = {
  "oci:Identity/getAvailabilityDomains:getAvailabilityDomains": (inputs, region) => ({
    compartmentId: inputs.compartmentId,
    availabilityDomains: adsOf(region).map((ad) => ({
      id: mockOcid("availabilitydomain", ad, region),
      name: `${MOCK_OCI_AD_PREFIX}:${ad}`,
      compartmentId: inputs.compartmentId,
    })),
    id: `ads-${region}`,
  }),
  "oci:Core/getServices:getServices": (_inputs, region) => {
    const key = region.split("-")[1]?.slice(0, 3) ?? "reg";
    return {
      services: [
        {
          id: mockOcid("service", "objectstorage", region),
          name: `OCI ${region} Object Storage`,
          cidrBlock: `oci-${key}-objectstorage`,
          description: "Object Storage",
        },
        {
          id: mockOcid("service", "all", region),
          name: `All ${key.toUpperCase()} Services In Oracle Services Network`,
          cidrBlock: `all-${key}-services-in-oracle-services-network`,
          description: "All services",
        },
      ],
      id: `services-${region}`,
    };
  },
  "oci:ContainerEngine/getClusterOption:getClusterOption": (inputs) => ({
    clusterOptionId: inputs.clusterOptionId,
    kubernetesVersions: MOCK_OKE_VERSIONS,
    clusterPodNetworkOptions: [{ cniType: "OCI_VCN_IP_NATIVE" }, { cniType: "FLANNEL_OVERLAY" }],
    id: "cluster-options",
  }),
  "oci:ContainerEngine/getNodePoolOption:getNodePoolOption": (inputs, region) => ({
    nodePoolOptionId: inputs.nodePoolOptionId,
    kubernetesVersions: MOCK_OKE_VERSIONS,
    images: [],
    shapes: ["VM.Standard.E5.Flex", "VM.Standard.E4.Flex", "VM.Standard.A1.Flex"],
    sources: MOCK_OKE_VERSIONS.flatMap((v) => {
      const release = v.slice(1);
      return ["", "aarch64-", "GPU-"].flatMap((kind) =>
        ["2026.09.16-0", "2026.10.28-0"].map((date) => {
          const sourceName = `Oracle-Linux-8.10-${kind}${date}-OKE-${release}-1300`;
          return {
            sourceName,
            sourceType: "IMAGE",
            imageId: mockOcid("image", sourceName, region),
          };
        }),
      );
    }),
    id: "node-pool-options",
  }),
  "oci:ContainerEngine/getClusterKubeConfig:getClusterKubeConfig": (inputs) => {
    const ca = Buffer.from(`mock-ca-${inputs.clusterId}`).toString("base64");
    return {
      clusterId: inputs.clusterId,
      content: `apiVersion: v1\nkind: Config\nclusters:\n- name: cluster\n  cluster:\n    server: https://10.0.0.2:6443\n    certificate-authority-data: ${ca}\n`,
      id: `kubeconfig-${inputs.clusterId}`,
    };
  },
  "oci:ContainerEngine/getNodePools:getNodePools": (inputs, region) => ({
    compartmentId: inputs.compartmentId,
    clusterId: inputs.clusterId,
    nodePools: inputs.name
      ? [
          {
            id: mockOcid("nodepool", `${inputs.clusterId}/${inputs.name}`, region),
            name: inputs.name,
          },
        ]
      : [],
    id: `node-pools-${inputs.clusterId}`,
  }),
  "oci:ObjectStorage/getNamespace:getNamespace": () => ({
    namespace: MOCK_OCI_NAMESPACE,
    id: MOCK_OCI_NAMESPACE,
  }),
  "oci:Core/getDrgAttachments:getDrgAttachments": (inputs, region) => ({
    compartmentId: inputs.compartmentId,
    drgAttachments: [
      {
        id: mockOcid("drgattachment", String(inputs.vcnId), region),
        drgId: mockOcid("drg", String(inputs.vcnId), region),
        vcnId: inputs.vcnId,
      },
    ],
    id: `drg-attachments-${inputs.vcnId}`,
  }),
  "oci:Core/getIpsecConnectionTunnels:getIpsecConnectionTunnels": (inputs, region) => ({
    ipsecId: inputs.ipsecId,
    ipSecConnectionTunnels: [1, 2].map((t) => ({
      id: mockOcid("ipsectunnel", `${inputs.ipsecId}/${t}`, region),
      vpnIp: `198.51.100.${(parseInt(shortHash(String(inputs.ipsecId)), 16) % 100) + 100 + t}`,
    })),
    id: `tunnels-${inputs.ipsecId}`,
  }),
};

export const OCI_MOCKS: CloudMocks = { prefix: "oci:", outputs, invokes };
