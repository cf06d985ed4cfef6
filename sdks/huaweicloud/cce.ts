import { defineFunction, defineResource, req, secret, t } from "../binding";
import { HUAWEICLOUD } from "./package";

const clusterComponentConfiguration = t.object(
  "huaweicloud:Cce/ClusterComponentConfiguration:ClusterComponentConfiguration",
  {
    configurations: t.string,
    name: req(t.string),
  },
);
const clusterExtendParam = t.object("huaweicloud:Cce/ClusterExtendParam:ClusterExtendParam", {
  clusterAz: t.string,
  cpuManagerPolicy: t.string,
  decMasterFlavor: t.string,
  dockerUmaskMode: t.string,
  dssMasterVolumes: t.string,
  fixPoolMask: t.string,
});
const clusterMaster = t.object("huaweicloud:Cce/ClusterMaster:ClusterMaster", {
  availabilityZone: t.string,
});
/** Root and data volumes have the same properties under two type tokens. */
const volumeProps = {
  dssPoolId: t.string,
  extendParam: t.string,
  extendParams: t.map(t.string),
  hwPassthrough: t.boolean,
  iops: t.integer,
  kmsKeyId: t.string,
  size: req(t.integer),
  throughput: t.integer,
  volumetype: req(t.string),
} as const;
const nodePoolDataVolume = t.object(
  "huaweicloud:Cce/NodePoolDataVolume:NodePoolDataVolume",
  volumeProps,
);
const nodePoolExtendParams = t.object("huaweicloud:Cce/NodePoolExtendParams:NodePoolExtendParams", {
  agencyName: t.string,
  dockerBaseSize: t.integer,
  kubeReservedMem: t.integer,
  marketType: t.string,
  maxPods: t.integer,
  nicThreshold: t.string,
  nodeImageId: t.string,
  nodeMultiQueue: t.string,
  postinstall: t.string,
  preinstall: t.string,
  securityReinforcementType: t.string,
  spotPrice: t.string,
  systemReservedMem: t.integer,
});
const nodePoolExtensionScaleGroupMetadata = t.object(
  "huaweicloud:Cce/NodePoolExtensionScaleGroupMetadata:NodePoolExtensionScaleGroupMetadata",
  {
    name: t.string,
  },
);
const nodePoolExtensionScaleGroupSpecAutoscaling = t.object(
  "huaweicloud:Cce/NodePoolExtensionScaleGroupSpecAutoscaling:NodePoolExtensionScaleGroupSpecAutoscaling",
  {
    enable: t.boolean,
    extensionPriority: t.integer,
    maxNodeCount: t.integer,
    minNodeCount: t.integer,
  },
);
const nodePoolExtensionScaleGroupSpecCapacityReservationSpecification = t.object(
  "huaweicloud:Cce/NodePoolExtensionScaleGroupSpecCapacityReservationSpecification:NodePoolExtensionScaleGroupSpecCapacityReservationSpecification",
  {
    id: t.string,
    preference: t.string,
  },
);
const nodePoolExtensionScaleGroupSpec = t.object(
  "huaweicloud:Cce/NodePoolExtensionScaleGroupSpec:NodePoolExtensionScaleGroupSpec",
  {
    autoscaling: nodePoolExtensionScaleGroupSpecAutoscaling,
    az: t.string,
    capacityReservationSpecification:
      nodePoolExtensionScaleGroupSpecCapacityReservationSpecification,
    flavor: t.string,
  },
);
const nodePoolExtensionScaleGroup = t.object(
  "huaweicloud:Cce/NodePoolExtensionScaleGroup:NodePoolExtensionScaleGroup",
  {
    metadata: nodePoolExtensionScaleGroupMetadata,
    spec: nodePoolExtensionScaleGroupSpec,
  },
);
const nodePoolHostnameConfig = t.object(
  "huaweicloud:Cce/NodePoolHostnameConfig:NodePoolHostnameConfig",
  {
    type: req(t.string),
  },
);
const nodePoolRootVolume = t.object(
  "huaweicloud:Cce/NodePoolRootVolume:NodePoolRootVolume",
  volumeProps,
);
const nodePoolStorageGroupVirtualSpace = t.object(
  "huaweicloud:Cce/NodePoolStorageGroupVirtualSpace:NodePoolStorageGroupVirtualSpace",
  {
    lvmLvType: t.string,
    lvmPath: t.string,
    name: req(t.string),
    runtimeLvType: t.string,
    size: req(t.string),
  },
);
const nodePoolStorageGroup = t.object("huaweicloud:Cce/NodePoolStorageGroup:NodePoolStorageGroup", {
  cceManaged: t.boolean,
  name: req(t.string),
  selectorNames: req(t.array(t.string)),
  virtualSpaces: req(t.array(nodePoolStorageGroupVirtualSpace)),
});
const nodePoolStorageSelector = t.object(
  "huaweicloud:Cce/NodePoolStorageSelector:NodePoolStorageSelector",
  {
    matchLabelCount: t.string,
    matchLabelMetadataCmkid: t.string,
    matchLabelMetadataEncrypted: t.string,
    matchLabelSize: t.string,
    matchLabelVolumeType: t.string,
    name: req(t.string),
    type: t.string,
  },
);
const nodePoolStorage = t.object("huaweicloud:Cce/NodePoolStorage:NodePoolStorage", {
  groups: req(t.array(nodePoolStorageGroup)),
  selectors: req(t.array(nodePoolStorageSelector)),
});
const nodePoolTaint = t.object("huaweicloud:Cce/NodePoolTaint:NodePoolTaint", {
  effect: req(t.string),
  key: req(t.string),
  value: req(t.string),
});
const addonValues = t.object("huaweicloud:Cce/AddonValues:AddonValues", {
  basic: t.map(t.string),
  basicJson: t.string,
  custom: t.map(t.string),
  customJson: t.string,
  flavor: t.map(t.string),
  flavorJson: t.string,
});

/** CCE managed Kubernetes cluster (control plane) */
export const Cluster = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Cce/cluster:Cluster",
  inputs: {
    alias: t.string,
    annotations: t.map(t.string),
    authenticatingProxyCa: t.string,
    authenticatingProxyCert: t.string,
    authenticatingProxyPrivateKey: secret(t.string),
    authenticationMode: t.string,
    autoPay: t.string,
    autoRenew: t.string,
    billingMode: t.integer,
    chargingMode: t.string,
    clusterType: t.string,
    clusterVersion: t.string,
    componentConfigurations: t.array(clusterComponentConfiguration),
    containerNetworkCidr: t.string,
    containerNetworkType: req(t.string),
    customSans: t.array(t.string),
    deleteAll: t.string,
    deleteEfs: t.string,
    deleteEni: t.string,
    deleteEvs: t.string,
    deleteNet: t.string,
    deleteObs: t.string,
    deleteSfs: t.string,
    description: t.string,
    eip: t.string,
    enableDistributeManagement: t.boolean,
    eniSubnetCidr: t.string,
    eniSubnetId: t.string,
    enterpriseProjectId: t.string,
    extendParam: t.map(t.string),
    extendParams: t.array(clusterExtendParam),
    flavorId: req(t.string),
    hibernate: t.boolean,
    highwaySubnetId: t.string,
    ipv6Enable: t.boolean,
    kubeProxyMode: t.string,
    labels: t.map(t.string),
    ltsReclaimPolicy: t.string,
    masters: t.array(clusterMaster),
    multiAz: t.boolean,
    name: t.string,
    period: t.integer,
    periodUnit: t.string,
    region: t.string,
    securityGroupId: t.string,
    serviceNetworkCidr: t.string,
    subnetId: req(t.string),
    supportIstio: t.boolean,
    tags: t.map(t.string),
    vpcId: req(t.string),
  },
  outputs: {
    kubeConfigRaw: secret(t.string),
    status: t.string,
  },
});
export type Cluster = InstanceType<typeof Cluster>;

/** CCE node pool of worker VMs for a cluster */
export const NodePool = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Cce/nodePool:NodePool",
  inputs: {
    autoRenew: t.string,
    availabilityZone: t.string,
    chargingMode: t.string,
    clusterId: req(t.string),
    dataVolumes: t.array(nodePoolDataVolume),
    ecsGroupId: t.string,
    enterpriseProjectId: t.string,
    extendParam: t.map(t.string),
    extendParams: nodePoolExtendParams,
    extensionScaleGroups: t.array(nodePoolExtensionScaleGroup),
    flavorId: req(t.string),
    hostnameConfig: nodePoolHostnameConfig,
    initialNodeCount: req(t.integer),
    initializedConditions: t.array(t.string),
    keyPair: t.string,
    labelPolicyOnExistingNodes: t.string,
    labels: t.map(t.string),
    maxNodeCount: t.integer,
    maxPods: t.integer,
    minNodeCount: t.integer,
    name: t.string,
    os: t.string,
    password: secret(t.string),
    period: t.integer,
    periodUnit: t.string,
    podSecurityGroups: t.array(t.string),
    postinstall: t.string,
    preinstall: t.string,
    priority: t.integer,
    region: t.string,
    rootVolume: req(nodePoolRootVolume),
    runtime: t.string,
    scaleDownCooldownTime: t.integer,
    scallEnable: t.boolean,
    securityGroups: t.array(t.string),
    storage: nodePoolStorage,
    subnetId: t.string,
    subnetLists: t.array(t.string),
    tagPolicyOnExistingNodes: t.string,
    tags: t.map(t.string),
    taintPolicyOnExistingNodes: t.string,
    taints: t.array(nodePoolTaint),
    type: t.string,
  },
  outputs: {},
});
export type NodePool = InstanceType<typeof NodePool>;

/** CCE cluster add-on installed from a template with a version and values */
export const Addon = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Cce/addon:Addon",
  inputs: {
    clusterId: req(t.string),
    region: t.string,
    templateName: req(t.string),
    values: addonValues,
    version: t.string,
  },
  outputs: {},
});
export type Addon = InstanceType<typeof Addon>;

/** An add-on template's spec (JSON: `basic` values and `parameters.custom` defaults) for a version. */
export const getAddonTemplate = defineFunction(HUAWEICLOUD, {
  token: "huaweicloud:Cce/getAddonTemplate:getAddonTemplate",
  inputs: {
    clusterId: req(t.string),
    name: req(t.string),
    version: req(t.string),
    region: t.string,
  },
  outputs: { spec: t.string },
});
