/**
 * Alibaba Cloud test fixtures: a valid platform config (tests/fixtures.ts with Alibaba's values),
 * upstream layer outputs in the form the Alibaba backend produces them, and the vSwitches the
 * offline mocks' `getSwitches` reports for a VPC the test did not build (one per zone of the
 * region: `vsw-<tier>-<zone>`, 10.<8i>.0.0/21, pods from 10.128.0.0).
 */
import { Environment, PlatformConfig } from "../../components/types";
import { bucketsBy, platformConfig, upstreamOutputs } from "../fixtures";

export { commonArgs as alibabaCommonArgs, withKubernetes } from "../fixtures";

export const REGION = "ap-southeast-1";
export const ZONES = ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"];
export const CIDR = "10.50.0.0/16";
export const VPC_ID = "vpc-test";
export const CLUSTER_ID = "c0123456789abcdef";
export const STORAGE_KEY = "key-storage-0001";
export const K8S_KEY = "key-k8s-0001";
export const NODE_SG = "sg-nodes0001";

/** The id the mocks' `getSwitches` gives a tier's vSwitch in a zone of a VPC no test built. */
export const vswitch = (tier: string, zone: string) => `vsw-${tier}-${zone}`;
/** Their CIDRs: 10.<8i>.0.0/21 by the zone's index in the region, pods from 10.128.0.0. */
export const mockSwitchCidr = (tier: string, i: number) =>
  `10.${tier === "pods" ? 128 + i * 8 : i * 8}.0.0/21`;

export const BUCKETS = bucketsBy((purpose) => `officeless-test-${purpose}-abc123`);

export function alibabaConfig(environment: Environment = "prod"): PlatformConfig {
  const base = platformConfig(environment, {
    cloud: "alibaba",
    region: REGION,
    zones: ZONES,
    cidr: CIDR,
    instanceTypes: { general: ["ecs.g7.xlarge"], spot: ["ecs.g7.2xlarge", "ecs.c7.2xlarge"] },
    vpnPeer: { bgpAsn: 65010 },
    backupSchedule: "0 3 * * *",
  });
  // Tair offers no Valkey.
  return { ...base, cache: { ...base.cache, engine: "redis" } };
}

const upstream = upstreamOutputs({
  network: {
    networkId: VPC_ID,
    cidr: CIDR,
    subnetIds: (tier, zones) => zones.map((z) => vswitch(tier, z)),
    privateRouteTableIds: (zones) => zones.map((z) => `vtb-private-${z}`),
  },
  kubernetes: {
    clusterName: "officeless-test",
    clusterId: CLUSTER_ID,
    endpoint: "https://10.50.0.10:6443",
    nodeSecurityGroupId: NODE_SG,
    clusterSecurityGroupId: NODE_SG,
    nodeIdentity: "KubernetesWorkerRole-test",
    oidcIssuerUrl: `https://oidc-ack-${REGION}.oss-${REGION}.aliyuncs.com/${CLUSTER_ID}`,
    encryptionKeyId: K8S_KEY,
    version: "1.36.2-aliyun.1",
  },
  storage: { fileSystemId: "0a1b2c3d4e", buckets: BUCKETS, encryptionKeyId: STORAGE_KEY },
});

export const alibabaNetworkOutputs = (zones: readonly string[] = ZONES, databaseTier = true) =>
  upstream.networkOutputs(zones, databaseTier);
export const alibabaKubernetesOutputs = () => upstream.kubernetesOutputs();
export const alibabaStorageOutputs = () => upstream.storageOutputs();
