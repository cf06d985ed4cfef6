/**
 * Volcengine test fixtures: a valid platform config for Volcengine and upstream layer outputs in the
 * form the Volcengine backend produces them (built by tests/fixtures.ts), and the type tokens.
 */
import { MOCK_VOLCENGINE_ACCOUNT } from "../../automation/offline/clouds/volcengine";
import { KubernetesOutputs } from "../../components/kubernetesCluster";
import { NetworkOutputs } from "../../components/network";
import { Environment, PlatformConfig } from "../../components/types";
import { bucketsBy, platformConfig, upstreamOutputs } from "../fixtures";

export { commonArgs, withKubernetes } from "../fixtures";

export const REGION = "cn-shanghai";
export const ZONES = ["cn-shanghai-a", "cn-shanghai-b", "cn-shanghai-c"];
export const CIDR = "10.50.0.0/16";
export const VPC_ID = "vpc-officeless";
export const CLUSTER_ID = "cc-officeless";
export const STORAGE_KEY = `trn:kms:${REGION}:${MOCK_VOLCENGINE_ACCOUNT}:keyrings/ring/keys/key`;
export const BUCKETS = bucketsBy((purpose) => `officeless-test-${purpose}-abc123`);

/** Type tokens of the bindings. */
export const T = {
  vpc: "volcengine:vpc/vpc:Vpc",
  subnet: "volcengine:vpc/subnet:Subnet",
  routeTable: "volcengine:vpc/routeTable:RouteTable",
  routeTableAssociate: "volcengine:vpc/routeTableAssociate:RouteTableAssociate",
  routeEntry: "volcengine:vpc/routeEntry:RouteEntry",
  securityGroup: "volcengine:vpc/securityGroup:SecurityGroup",
  securityGroupRule: "volcengine:vpc/securityGroupRule:SecurityGroupRule",
  eip: "volcengine:eip/address:Address",
  eipAssociate: "volcengine:eip/associate:Associate",
  nat: "volcengine:nat/gateway:Gateway",
  snat: "volcengine:nat/snatEntry:SnatEntry",
  cluster: "volcengine:vke/cluster:Cluster",
  nodePool: "volcengine:vke/nodePool:NodePool",
  addon: "volcengine:vke/addon:Addon",
  kubeconfig: "volcengine:vke/kubeconfig:Kubeconfig",
  keyring: "volcengine:kms/keyring:Keyring",
  key: "volcengine:kms/key:Key",
  nas: "volcengine:nas/fileSystem:FileSystem",
  nasMount: "volcengine:nas/mountPoint:MountPoint",
  nasPermissions: "volcengine:nas/permissionGroup:PermissionGroup",
  bucket: "volcengine:tos/bucket:Bucket",
  bucketEncryption: "volcengine:tos/bucketEncryption:BucketEncryption",
  bucketLifecycle: "volcengine:tos/bucketLifecycle:BucketLifecycle",
  vpnGateway: "volcengine:vpn/gateway:Gateway",
  customerGateway: "volcengine:vpn/customerGateway:CustomerGateway",
  vpnConnection: "volcengine:vpn/connection:Connection",
  vpnRoute: "volcengine:vpn/gatewayRoute:GatewayRoute",
  redis: "volcengine:redis/instance:Instance",
  allowList: "volcengine:redis/allowList:AllowList",
  allowListAssociate: "volcengine:redis/allowListAssociate:AllowListAssociate",
  clb: "volcengine:clb/clb:Clb",
  iamUser: "volcengine:iam/user:User",
  iamPolicy: "volcengine:iam/policy:Policy",
  iamAttachment: "volcengine:iam/userPolicyAttachment:UserPolicyAttachment",
  accessKey: "volcengine:iam/accessKey:AccessKey",
  release: "kubernetes:helm.sh/v3:Release",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  secret: "kubernetes:core/v1:Secret",
} as const;

export function volcengineConfig(environment: Environment = "prod"): PlatformConfig {
  const config = platformConfig(environment, {
    cloud: "volcengine",
    region: REGION,
    zones: ZONES,
    cidr: CIDR,
    instanceTypes: { general: ["ecs.g3il.xlarge"], spot: ["ecs.g3il.2xlarge"] },
    // VKE pools have no spot capacity: the second pool is on demand.
    spotPool: { spot: false },
    backupSchedule: "0 3 * * *",
  });
  return { ...config, cache: { ...config.cache, engine: "redis" } };
}

const subnet = (tier: string, i: number) => `subnet-${tier}-${i}`;
const upstream = upstreamOutputs({
  network: {
    networkId: VPC_ID,
    cidr: CIDR,
    subnetIds: (tier, zones) => zones.map((_, i) => subnet(tier, i)),
    privateRouteTableIds: (zones) => zones.map((_, i) => `vtb-private-${i}`),
  },
  kubernetes: {
    clusterName: "officeless-test-vke",
    clusterId: CLUSTER_ID,
    endpoint: "https://10.50.0.10:6443",
    nodeSecurityGroupId: "sg-nodes",
    clusterSecurityGroupId: "",
    nodeIdentity: "",
    oidcIssuerUrl: "https://oidc.example/vke",
    encryptionKeyId: "",
  },
  storage: { fileSystemId: "enas-cnsh1234", buckets: BUCKETS, encryptionKeyId: STORAGE_KEY },
});

export function networkOutputs(zones: readonly string[] = ZONES): NetworkOutputs {
  return upstream.networkOutputs(zones);
}
export function kubernetesOutputs(): KubernetesOutputs {
  return upstream.kubernetesOutputs();
}
export const storageOutputs = upstream.storageOutputs;
