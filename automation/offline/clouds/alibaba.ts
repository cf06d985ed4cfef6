/** Alibaba Cloud (alicloud) resources and invokes under the offline mocks. */
import { ACK_SERVICE_ROLES, ALIBABA_REGIONS, TDE_ROLE } from "../../../providers/alibaba/catalog";
import { CloudMocks, Invoke, mockPublicIp, shortHash } from "./common";

/** The Alibaba Cloud account id the mocked `getCallerIdentity` reports. */
export const MOCK_ALIBABA_ACCOUNT_ID = "1234567890123456";

/** The ACK releases the mocked `getKubernetesVersion` reports (two patches per accepted minor). */
export const MOCK_ACK_VERSIONS = [
  "1.35.3-aliyun.1",
  "1.35.6-aliyun.1",
  "1.36.1-aliyun.1",
  "1.36.2-aliyun.1",
];

interface MockSwitch {
  id: string;
  vpcId: string;
  cidrBlock: string;
  zoneId: string;
  tags: Record<string, string>;
}

/**
 * The vSwitches the runs created, by id, so `getSwitches` finds them as DescribeVSwitches would
 * (a later plan of the same stack registers the same ids again and replaces them).
 */
const switches = new Map<string, MockSwitch>();

function outputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  region: string,
): Record<string, unknown> | undefined {
  const id = shortHash(name).toLowerCase();
  switch (type) {
    case "alicloud:vpc/switch:Switch":
      switches.set(`${name}-id`, {
        id: `${name}-id`,
        vpcId: inputs.vpcId,
        cidrBlock: inputs.cidrBlock,
        zoneId: inputs.zoneId,
        tags: inputs.tags ?? {},
      });
      return undefined;
    case "alicloud:vpc/natGateway:NatGateway":
      return { snatTableIds: `stb-${id}`, forwardTableIds: `ftb-${id}` };
    case "alicloud:ecs/eipAddress:EipAddress":
      return { ipAddress: mockPublicIp(name) };
    case "alicloud:cs/managedKubernetes:ManagedKubernetes":
      return {
        connections: {
          apiServerIntranet: `https://10.${parseInt(id.slice(0, 2), 16)}.0.10:6443`,
          serviceDomain: `*.c${id}.${region}.alicontainer.com`,
        },
        certificateAuthority: { clusterCert: Buffer.from(`mock-ca-${name}`).toString("base64") },
        securityGroupId: `sg-${id}`,
        workerRamRoleName: `KubernetesWorkerRole-${id}`,
        rrsaMetadata: {
          enabled: true,
          rrsaOidcIssuerUrl: `https://oidc-ack-${region}.oss-${region}.aliyuncs.com/c${id}`,
          ramOidcProviderName: `ack-rrsa-c${id}`,
        },
      };
    case "alicloud:nas/mountTarget:MountTarget":
      return { mountTargetDomain: `${id}-${name.length}.${region}.nas.aliyuncs.com` };
    case "alicloud:redis/tairInstance:TairInstance":
      return { connectionDomain: `r-${id}.redis.rds.aliyuncs.com`, port: inputs.port ?? 6379 };
    case "alicloud:vpn/gateway:Gateway":
      return {
        internetIp: mockPublicIp(`${name}-master`),
        disasterRecoveryInternetIp: mockPublicIp(`${name}-slave`),
      };
    case "alicloud:ram/accessKey:AccessKey":
      return { secret: `mock-secret-${id}` };
    default:
      return undefined;
  }
}

/** Every zone of the region offers the product (a prepared region). */
const regionZones = (region: string) =>
  (ALIBABA_REGIONS[region] ?? []).map((zoneId) => ({
    zoneId,
    zoneName: zoneId,
    localName: zoneId,
  }));

const invokes: Record<string, Invoke> = {
  "alicloud:vpn/getGatewayZones:getGatewayZones": (inputs, region) => ({
    spec: inputs.spec,
    ids: regionZones(region).map((z) => z.zoneId),
    zones: regionZones(region),
    id: `${region}-${inputs.spec}`,
  }),
  "alicloud:vpc/getEnhancedNatAvailableZones:getEnhancedNatAvailableZones": (_inputs, region) => ({
    ids: regionZones(region).map((z) => z.zoneId),
    zones: regionZones(region),
    id: region,
  }),
  // The run's vSwitches in the VPC (with the asked tags); a layer run on its own (the network built
  // by another stack) gets the four tiers' vSwitches in every zone of the region, as the network
  // layer would have made them.
  "alicloud:vpc/getSwitches:getSwitches": (inputs, region) => {
    const wanted = Object.entries((inputs.tags ?? {}) as Record<string, string>);
    const matches = (s: MockSwitch) =>
      s.vpcId === inputs.vpcId && wanted.every(([k, v]) => s.tags[k] === v);
    let found = [...switches.values()].filter(matches);
    if (found.length === 0) {
      found = ["public", "private", "database", "pods"]
        .flatMap((tier) =>
          (ALIBABA_REGIONS[region] ?? []).map((zoneId, i) => ({
            id: `vsw-${tier}-${zoneId}`,
            vpcId: inputs.vpcId,
            cidrBlock: `10.${tier === "pods" ? 128 + i * 8 : i * 8}.0.0/21`,
            zoneId,
            tags: { "officeless-tier": tier },
          })),
        )
        .filter(matches);
    }
    return {
      ids: found.map((s) => s.id),
      names: found.map((s) => s.id),
      vswitches: found.map((s) => ({
        id: s.id,
        cidrBlock: s.cidrBlock,
        zoneId: s.zoneId,
        vpcId: s.vpcId,
        tags: s.tags,
      })),
      id: `${inputs.vpcId}-switches`,
    };
  },
  "alicloud:cs/getKubernetesVersion:getKubernetesVersion": (inputs) => ({
    clusterType: inputs.clusterType,
    kubernetesVersion: inputs.kubernetesVersion,
    profile: inputs.profile,
    metadatas: MOCK_ACK_VERSIONS.filter(
      (v) => !inputs.kubernetesVersion || v.startsWith(`${inputs.kubernetesVersion}.`),
    ).map((version) => ({ version, runtimes: [{ name: "containerd", version: "1.6.36" }] })),
    id: `${inputs.clusterType}-${inputs.kubernetesVersion ?? "all"}`,
  }),
  // A prepared account: ACK's service roles have been authorized.
  "alicloud:ram/getRoles:getRoles": (inputs) => {
    const all = [...ACK_SERVICE_ROLES, TDE_ROLE];
    const names = all.filter((n) => !inputs.nameRegex || new RegExp(inputs.nameRegex).test(n));
    return {
      ids: names,
      names,
      roles: names.map((name) => ({
        id: name,
        name,
        arn: `acs:ram::${MOCK_ALIBABA_ACCOUNT_ID}:role/${name.toLowerCase()}`,
      })),
      id: "roles",
    };
  },
  // A fresh stack: no Tair instance of its name exists yet.
  "alicloud:kvstore/getInstances:getInstances": (inputs) => ({
    ...inputs,
    ids: [],
    names: [],
    instances: [],
    id: `instances-${inputs.nameRegex ?? "all"}`,
  }),
  "alicloud:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: MOCK_ALIBABA_ACCOUNT_ID,
    arn: `acs:ram::${MOCK_ALIBABA_ACCOUNT_ID}:user/officeless-plan`,
    identityType: "RAMUser",
    id: MOCK_ALIBABA_ACCOUNT_ID,
  }),
};

export const ALIBABA_MOCKS: CloudMocks = { prefix: "alicloud:", outputs, invokes };
