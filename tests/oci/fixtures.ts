/**
 * OCI test fixtures: a valid platform config for OCI (Frankfurt's three ADs), the `officeless:oci`
 * settings, and upstream layer outputs in the form the OCI backend produces them.
 */
import { KubernetesOutputs } from "../../components/kubernetesCluster";
import { NetworkOutputs } from "../../components/network";
import { Environment, OciSettings, PlatformConfig } from "../../components/types";
import { bucketsBy, commonArgs, platformConfig, upstreamOutputs } from "../fixtures";
import { one, RecordedResource, RecordingMocks } from "../harness";

export { withKubernetes } from "../fixtures";

export const REGION = "eu-frankfurt-1";

/** The resource types of an Object Storage user (objectStoreUser.ts). */
export const OBJECT_STORE_USER_TYPES = {
  user: "oci:Identity/user:User",
  group: "oci:Identity/group:Group",
  membership: "oci:Identity/userGroupMembership:UserGroupMembership",
  capabilities: "oci:Identity/userCapabilitiesManagement:UserCapabilitiesManagement",
  key: "oci:Identity/customerSecretKey:CustomerSecretKey",
  policy: "oci:Identity/policy:Policy",
  provider: "pulumi:providers:oci",
};
export const ZONES = ["EU-FRANKFURT-1-AD-1", "EU-FRANKFURT-1-AD-2", "EU-FRANKFURT-1-AD-3"];
export const CIDR = "10.50.0.0/16";
export const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaatestcompartment";
export const TENANCY = "ocid1.tenancy.oc1..aaaaaaaatesttenancy";

export const OCI_SETTINGS: OciSettings = {
  compartmentId: COMPARTMENT,
  tenancyId: TENANCY,
  imageSigningKeyIds: [],
  flexShapes: { "VM.Standard.E5.Flex": { ocpus: 4, memoryInGbs: 32 } },
};

export function ociConfig(
  environment: Environment = "prod",
  oci: Partial<OciSettings> = {},
): PlatformConfig {
  const base = platformConfig(environment, {
    cloud: "oci",
    region: REGION,
    zones: ZONES,
    cidr: CIDR,
    instanceTypes: { general: ["VM.Standard.E5.Flex"], spot: ["VM.Standard.E4.Flex"] },
    vpnPeer: { bgpAsn: 65010 },
    cacheReplicas: 2,
  });
  // Block volumes cannot be backed up on OCI (the catalog refuses anything else with backups on).
  return {
    ...base,
    backup: { ...base.backup, diskSnapshots: "off" },
    oci: { ...OCI_SETTINGS, ...oci },
  };
}

/** The common args every component takes, `oci` settings included. */
export function ociCommonArgs(config: PlatformConfig) {
  return { ...commonArgs(config), oci: config.oci };
}

const subnet = (role: string) => `ocid1.subnet.oc1.${REGION}.${role}`;
export const VCN = `ocid1.vcn.oc1.${REGION}.vcn`;
export const CLUSTER_ID = `ocid1.cluster.oc1.${REGION}.cluster`;
export const NODE_NSG = `ocid1.networksecuritygroup.oc1.${REGION}.nodes`;
export const STORAGE_KEY = `ocid1.key.oc1.${REGION}.storage`;
export const BUCKETS = bucketsBy((purpose) => `officeless-test-${purpose}`);

const upstream = upstreamOutputs({
  network: {
    networkId: VCN,
    cidr: CIDR,
    subnetIds: (tier) =>
      tier === "private" ? ["workers", "pods", "api"].map(subnet) : [subnet(tier)],
    privateRouteTableIds: () => [`ocid1.routetable.oc1.${REGION}.private`],
  },
  kubernetes: {
    clusterName: "officeless-test-oke",
    clusterId: CLUSTER_ID,
    endpoint: "https://10.50.96.2:6443",
    nodeSecurityGroupId: NODE_NSG,
    clusterSecurityGroupId: `ocid1.networksecuritygroup.oc1.${REGION}.api`,
    nodeIdentity: COMPARTMENT,
    oidcIssuerUrl: `https://${REGION}.oke.oraclecloud.com/oidc/cluster`,
    encryptionKeyId: `ocid1.key.oc1.${REGION}.k8s`,
    version: "v1.36.1",
  },
  storage: {
    fileSystemId: `ocid1.filesystem.oc1.${REGION}.files`,
    buckets: BUCKETS,
    encryptionKeyId: STORAGE_KEY,
  },
});

export function ociNetworkOutputs(databaseTier = true): NetworkOutputs {
  return upstream.networkOutputs(ZONES, databaseTier);
}
export function ociKubernetesOutputs(): KubernetesOutputs {
  return upstream.kubernetesOutputs();
}
export const ociStorageOutputs = upstream.storageOutputs;

/** OCI types without freeform tags. */
export const UNTAGGED = new Set([
  "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
  "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy",
  "oci:FileStorage/exportSet:ExportSet",
  "oci:FileStorage/export:Export",
  "oci:Identity/userGroupMembership:UserGroupMembership",
  "oci:Identity/customerSecretKey:CustomerSecretKey",
  "oci:Identity/userCapabilitiesManagement:UserCapabilitiesManagement",
  "oci:ContainerEngine/addon:Addon",
  "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement",
  "oci:Redis/redisClusterAttachOciCacheUser:RedisClusterAttachOciCacheUser",
]);

/** Asserts every taggable OCI resource carries the layer's freeform tags. */
export function expectTagged(
  resources: RecordedResource[],
  environment: string,
  layer: string,
): void {
  const tagged = resources.filter(
    (r) => r.custom && r.type.startsWith("oci:") && !UNTAGGED.has(r.type),
  );
  expect(tagged.length).toBeGreaterThan(0);
  for (const r of tagged)
    expect({ name: r.name, tags: r.inputs.freeformTags }).toEqual({
      name: r.name,
      tags: expect.objectContaining({
        team: "platform",
        environment,
        layer,
        "managed-by": "officeless",
      }),
    });
}

/**
 * The object-store user whose id is `userId` may hold customer secret keys only (no console
 * password, API keys, auth tokens or SMTP credentials), set before its key; returns the
 * capabilities resource.
 */
export function expectSecretKeysOnly(mocks: RecordingMocks, userId: string): RecordedResource {
  const caps = one(mocks, OBJECT_STORE_USER_TYPES.capabilities);
  expect(caps.inputs).toMatchObject({
    userId,
    canUseApiKeys: false,
    canUseAuthTokens: false,
    canUseConsolePassword: false,
    canUseCustomerSecretKeys: true,
    canUseSmtpCredentials: false,
  });
  expect(one(mocks, OBJECT_STORE_USER_TYPES.key).options.dependsOn).toContain(caps.urn);
  return caps;
}
