/** Huawei Cloud (huaweicloud plugin) resources and invokes under the offline mocks. */
import { CloudMocks, Invoke, mockPublicIp, shortHash } from "./common";

/** A fake project id, as IAM reports the region's project. */
/** The account (domain) id the mocked IAM reports. */
export const MOCK_HUAWEI_DOMAIN_ID = "d0a1b2c3d4e5f60718293a4b5c6d7e8f";
export const MOCK_HUAWEI_PROJECT_ID = "0123456789abcdef0123456789abcdef";

/** What CCE returns as kubeConfigRaw: internal and external clusters, client-certificate user. */
export function mockCceKubeconfig(name: string): string {
  const octet = parseInt(shortHash(name).slice(0, 2), 16);
  const ca = Buffer.from(`mock-ca-${name}`).toString("base64");
  return JSON.stringify({
    kind: "Config",
    apiVersion: "v1",
    preferences: {},
    clusters: [
      {
        name: "internalCluster",
        cluster: { server: `https://10.${octet}.0.10:5443`, "certificate-authority-data": ca },
      },
      {
        name: "externalCluster",
        cluster: { server: "https://203.0.113.80:5443", "insecure-skip-tls-verify": true },
      },
    ],
    users: [
      {
        name: "user",
        user: { "client-certificate-data": "bW9jaw==", "client-key-data": "bW9jaw==" },
      },
    ],
    contexts: [
      { name: "internal", context: { cluster: "internalCluster", user: "user" } },
      { name: "external", context: { cluster: "externalCluster", user: "user" } },
    ],
    "current-context": "external",
  });
}

function outputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
): Record<string, unknown> | undefined {
  const id = shortHash(name).toLowerCase();
  switch (type) {
    case "huaweicloud:Vpc/subnet:Subnet":
      return { subnetId: `${name}-subnet-id`, ipv4SubnetId: `${name}-ipv4-subnet-id` };
    case "huaweicloud:Vpc/eip:Eip":
      return { address: mockPublicIp(name) };
    case "huaweicloud:Cce/cluster:Cluster":
      return {
        kubeConfigRaw: mockCceKubeconfig(name),
        securityGroupId: inputs.securityGroupId ?? `${name}-cce-node-sg`,
        status: "Available",
      };
    case "huaweicloud:Dew/key:Key":
      return { keyId: `${name}-id` };
    case "huaweicloud:Sfs/turbo:Turbo":
      return { exportLocation: `10.${parseInt(id.slice(0, 2), 16)}.64.20:/` };
    case "huaweicloud:Obs/bucket:Bucket":
      return { bucketDomainName: `${inputs.bucket}.obs.ap-southeast-3.myhuaweicloud.com` };
    case "huaweicloud:Dcs/instance:Instance":
      return {
        domainName: `redis-${id}.dcs.huaweicloud.com`,
        readonlyDomainName:
          inputs.availabilityZones?.length > 1 ? `readonly-redis-${id}.dcs.huaweicloud.com` : "",
        ip: `10.${parseInt(id.slice(0, 2), 16)}.96.5`,
        port: inputs.port ?? 6379,
      };
    case "huaweicloud:Iam/accessKey:AccessKey":
      return { secret: `mock-secret-${id}`, userName: "user" };
    case "huaweicloud:Ecs/instance:Instance":
      return { accessIpV4: `10.${parseInt(id.slice(0, 2), 16)}.0.9` };
    default:
      return undefined;
  }
}

const invokes: Record<string, Invoke> = {
  "huaweicloud:Iam/getCustomRole:getCustomRole": (inputs) => ({
    id: inputs.id,
    name: inputs.name ?? "",
    domainId: MOCK_HUAWEI_DOMAIN_ID,
    type: "AX",
  }),
  "huaweicloud:Iam/getProjects:getProjects": (inputs) => ({
    id: "projects",
    name: inputs.name,
    projects: [{ id: MOCK_HUAWEI_PROJECT_ID, name: inputs.name, enabled: true }],
  }),
  "huaweicloud:Cce/getAddonTemplate:getAddonTemplate": (inputs) => ({
    id: `${inputs.name}-${inputs.version}`,
    clusterId: inputs.clusterId,
    name: inputs.name,
    version: inputs.version,
    spec: JSON.stringify({
      basic: { swr_addr: "swr.example.invalid", swr_user: "hwofficial", region: "mock" },
      parameters: { custom: { cluster_id: "", tenant_id: "", scaleDownEnabled: false } },
    }),
  }),
  "huaweicloud:Dcs/getFlavors:getFlavors": (inputs) => ({
    id: "dcs-flavors",
    capacity: inputs.capacity,
    flavors: [
      {
        name: `redis.${inputs.cacheMode}.xu1.large.${inputs.cacheMode === "ha" ? "r2." : ""}${inputs.capacity}`,
      },
    ],
  }),
  "huaweicloud:DedicatedElb/getFlavors:getFlavors": (inputs) => ({
    id: `flavors-${inputs.type}`,
    flavors: [
      {
        id: `${inputs.type}-medium`,
        name: `${inputs.type}_flavor.elb.s2.small`,
        maxConnections: 1000000,
      },
      {
        id: `${inputs.type}-small`,
        name: `${inputs.type}_flavor.elb.s1.small`,
        maxConnections: 500000,
      },
    ],
    ids: [`${inputs.type}-medium`, `${inputs.type}-small`],
  }),
};

export const HUAWEI_MOCKS: CloudMocks = {
  prefix: "huaweicloud:",
  outputs: (type, name, inputs) => outputs(type, name, inputs),
  invokes,
};
