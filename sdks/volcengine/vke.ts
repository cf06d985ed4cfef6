/**
 * Volcengine `vke` resources the platform uses, as the generated SDK's sdk/nodejs/vke/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineResource, req, secret, t } from "../binding";
import { VOLCENGINE } from "./package";

export const Cluster = defineResource(VOLCENGINE, {
  token: "volcengine:vke/cluster:Cluster",
  inputs: {
    clientToken: t.string,
    clusterConfig: req(
      t.object("volcengine:vke/ClusterClusterConfig:ClusterClusterConfig", {
        apiServerPublicAccessConfig: t.object(
          "volcengine:vke/ClusterClusterConfigApiServerPublicAccessConfig:ClusterClusterConfigApiServerPublicAccessConfig",
          {
            publicAccessNetworkConfig: t.object(
              "volcengine:vke/ClusterClusterConfigApiServerPublicAccessConfigPublicAccessNetworkConfig:ClusterClusterConfigApiServerPublicAccessConfigPublicAccessNetworkConfig",
              {
                bandwidth: t.integer,
                billingType: t.string,
              },
            ),
          },
        ),
        apiServerPublicAccessEnabled: t.boolean,
        ipFamily: t.string,
        resourcePublicAccessDefaultEnabled: t.boolean,
        subnetIds: req(t.array(t.string)),
      }),
    ),
    deleteProtectionEnabled: t.boolean,
    description: t.string,
    irsaEnabled: t.boolean,
    kubernetesVersion: t.string,
    loggingConfig: t.object("volcengine:vke/ClusterLoggingConfig:ClusterLoggingConfig", {
      logProjectId: t.string,
      logSetups: t.array(
        t.object("volcengine:vke/ClusterLoggingConfigLogSetup:ClusterLoggingConfigLogSetup", {
          enabled: t.boolean,
          logTtl: t.integer,
          logType: req(t.string),
        }),
      ),
    }),
    name: t.string,
    podsConfig: req(
      t.object("volcengine:vke/ClusterPodsConfig:ClusterPodsConfig", {
        flannelConfig: t.object(
          "volcengine:vke/ClusterPodsConfigFlannelConfig:ClusterPodsConfigFlannelConfig",
          {
            maxPodsPerNode: t.integer,
            podCidrs: t.array(t.string),
          },
        ),
        podNetworkMode: req(t.string),
        vpcCniConfig: t.object(
          "volcengine:vke/ClusterPodsConfigVpcCniConfig:ClusterPodsConfigVpcCniConfig",
          {
            subnetIds: t.array(t.string),
            vpcId: t.string,
          },
        ),
      }),
    ),
    projectName: t.string,
    servicesConfig: req(
      t.object("volcengine:vke/ClusterServicesConfig:ClusterServicesConfig", {
        serviceCidrsv4s: req(t.array(t.string)),
      }),
    ),
    tags: t.array(
      t.object("volcengine:vke/ClusterTag:ClusterTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
  },
  outputs: {
    eipAllocationId: t.string,
    irsaConfigs: t.array(t.any),
    kubeconfigPrivate: secret(t.string),
    kubeconfigPublic: secret(t.string),
  },
});

export const NodePool = defineResource(VOLCENGINE, {
  token: "volcengine:vke/nodePool:NodePool",
  inputs: {
    autoScaling: t.object("volcengine:vke/NodePoolAutoScaling:NodePoolAutoScaling", {
      desiredReplicas: t.integer,
      enabled: t.boolean,
      maxReplicas: t.integer,
      minReplicas: t.integer,
      priority: t.integer,
      subnetPolicy: t.string,
    }),
    clientToken: t.string,
    clusterId: t.string,
    instanceIds: t.array(t.string),
    keepInstanceName: t.boolean,
    kubernetesConfig: req(
      t.object("volcengine:vke/NodePoolKubernetesConfig:NodePoolKubernetesConfig", {
        autoSyncDisabled: t.boolean,
        cordon: req(t.boolean),
        kubeletConfig: t.object(
          "volcengine:vke/NodePoolKubernetesConfigKubeletConfig:NodePoolKubernetesConfigKubeletConfig",
          {
            featureGates: t.object(
              "volcengine:vke/NodePoolKubernetesConfigKubeletConfigFeatureGates:NodePoolKubernetesConfigKubeletConfigFeatureGates",
              {
                qosResourceManager: t.boolean,
              },
            ),
            topologyManagerPolicy: t.string,
            topologyManagerScope: t.string,
          },
        ),
        labels: t.array(
          t.object("volcengine:vke/NodePoolKubernetesConfigLabel:NodePoolKubernetesConfigLabel", {
            key: t.string,
            value: t.string,
          }),
        ),
        namePrefix: t.string,
        taints: t.array(
          t.object("volcengine:vke/NodePoolKubernetesConfigTaint:NodePoolKubernetesConfigTaint", {
            effect: t.string,
            key: t.string,
            value: t.string,
          }),
        ),
      }),
    ),
    management: t.object("volcengine:vke/NodePoolManagement:NodePoolManagement", {
      enabled: t.boolean,
      remedyConfig: t.object(
        "volcengine:vke/NodePoolManagementRemedyConfig:NodePoolManagementRemedyConfig",
        {
          enabled: t.boolean,
          id: t.string,
        },
      ),
    }),
    name: t.string,
    nodeConfig: req(
      t.object("volcengine:vke/NodePoolNodeConfig:NodePoolNodeConfig", {
        additionalContainerStorageEnabled: t.boolean,
        autoRenew: t.boolean,
        autoRenewPeriod: t.integer,
        dataVolumes: t.array(
          t.object("volcengine:vke/NodePoolNodeConfigDataVolume:NodePoolNodeConfigDataVolume", {
            mountPoint: t.string,
            size: t.integer,
            type: t.string,
          }),
        ),
        ecsTags: t.array(
          t.object("volcengine:vke/NodePoolNodeConfigEcsTag:NodePoolNodeConfigEcsTag", {
            key: req(t.string),
            value: req(t.string),
          }),
        ),
        hpcClusterIds: t.array(t.string),
        imageId: t.string,
        initializeScript: t.string,
        instanceChargeType: t.string,
        instanceTypeIds: req(t.array(t.string)),
        namePrefix: t.string,
        period: t.integer,
        preScript: t.string,
        projectName: t.string,
        security: req(
          t.object("volcengine:vke/NodePoolNodeConfigSecurity:NodePoolNodeConfigSecurity", {
            login: t.object(
              "volcengine:vke/NodePoolNodeConfigSecurityLogin:NodePoolNodeConfigSecurityLogin",
              {
                password: secret(t.string),
                sshKeyPairName: t.string,
              },
            ),
            securityGroupIds: t.array(t.string),
            securityStrategies: t.array(t.string),
          }),
        ),
        subnetIds: req(t.array(t.string)),
        systemVolume: t.object(
          "volcengine:vke/NodePoolNodeConfigSystemVolume:NodePoolNodeConfigSystemVolume",
          {
            size: t.integer,
            type: t.string,
          },
        ),
      }),
    ),
    tags: t.array(
      t.object("volcengine:vke/NodePoolTag:NodePoolTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
  },
  outputs: {},
});

export const Addon = defineResource(VOLCENGINE, {
  token: "volcengine:vke/addon:Addon",
  inputs: {
    clusterId: req(t.string),
    config: t.string,
    deployMode: t.string,
    deployNodeType: t.string,
    name: t.string,
    version: t.string,
  },
  outputs: {},
});

/**
 * A kubeconfig of the cluster (VKE CreateKubeconfig): the cluster resource only lists existing
 * ones (its `kubeconfigPrivate`), so one must be made. Every input is ForceNew; `validDuration` is
 * in hours, 1-43800 (terraform-provider-volcengine vke_kubeconfig, default 26280). No content
 * output: read it from the cluster once this exists.
 */
export const Kubeconfig = defineResource(VOLCENGINE, {
  token: "volcengine:vke/kubeconfig:Kubeconfig",
  inputs: {
    clusterId: req(t.string),
    type: req(t.string),
    validDuration: t.integer,
  },
  outputs: {},
});
