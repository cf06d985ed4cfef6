/**
 * Volcengine kubernetes layer: a VKE cluster whose control plane sits in the private subnets of
 * every zone with its public endpoint off, VPC-CNI networking (pods take addresses of the private
 * subnets, so the network's firewalling and VPN routes apply to them), IRSA on, audit and
 * control-plane logs kept the configured days, deletion protection in prod, the managed
 * cluster-autoscaler add-on, and one node pool per configured pool over all zones, scaled by VKE's
 * autoscaler with `ZoneBalance` (desired size left to it after creation). Nodes sit in a security
 * group of their own that admits the VPC and the configured private networks only. Once the pools
 * exist: the core-dns add-on (a cluster made through the API gets add-ons only by CreateAddon) and
 * a private kubeconfig (the cluster resource only lists existing ones), read back from the cluster.
 *
 * What VKE's provider (v0.0.47) does not offer, so is not built: a KMS key for Kubernetes secrets
 * (ClusterClusterConfig has no encryption field; `encryptionKeyId` is empty), encryption of node
 * system and data volumes (NodePoolNodeConfigSystemVolume/DataVolume hold only type and size),
 * spot capacity on node pools, and an allow-list on a public endpoint (refused in the catalog).
 */
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import type { KubernetesClusterArgs, KubernetesOutputs } from "../../components/kubernetesCluster";
import { NodePoolConfig, Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import * as vke from "../../sdks/volcengine/vke";
import * as vpc from "../../sdks/volcengine/vpc";
import { serviceCidr, volcengineConfigIssues } from "./catalog";
import { cidrLabel, nameOf, volcTags } from "./common";

/** VKE cluster and node pool names: 2-64 characters (vke_cluster / vke_node_pool `name`). */
export const MAX_VKE_NAME = 64;

/** Control-plane log types VKE sends to TLS (vke_cluster `log_setups.log_type`). */
export const VKE_LOG_TYPES = ["Audit", "KubeApiServer", "KubeScheduler", "KubeControllerManager"];

/** System volumes are ESSD PL0, VKE's default class for nodes. */
export const NODE_VOLUME_TYPE = "ESSD_PL0";

/** A node pool's replicas over all zones: VKE spreads them with ZoneBalance. */
export function poolScaling(pool: NodePoolConfig, zones: number) {
  return {
    enabled: true,
    minReplicas: pool.minSize * zones,
    maxReplicas: pool.maxSize * zones,
    desiredReplicas: pool.desiredSize * zones,
    subnetPolicy: "ZoneBalance",
  };
}

/** The server URL and CA of a kubeconfig (YAML, as VKE returns it base64-encoded). */
export function kubeconfigCluster(kubeconfig: string): { server: string; ca: string } {
  const doc = parse(kubeconfig) as {
    clusters?: { cluster?: { server?: string; "certificate-authority-data"?: string } }[];
  };
  const cluster = doc?.clusters?.[0]?.cluster ?? {};
  return { server: cluster.server ?? "", ca: cluster["certificate-authority-data"] ?? "" };
}

export function volcengineKubernetes(scope: Scope, args: KubernetesClusterArgs): KubernetesOutputs {
  const issues = volcengineConfigIssues({ kubernetes: args.kubernetes });
  if (issues.length > 0)
    throw new ValidationError(issues, "args.", "Invalid KubernetesCluster arguments");
  const k8s = args.kubernetes;
  const opts: pulumi.CustomResourceOptions = { parent: scope.parent };
  const tags = volcTags(scope.tags);
  const zones = args.zones.length;

  // Nodes: the VPC (nodes, pods and the control plane's ENIs all take VPC addresses) and the
  // office networks; VKE's own rules for the control plane come with the cluster.
  const nodes = new vpc.SecurityGroup(
    `${scope.name}-nodes-sg`,
    {
      vpcId: args.network.networkId,
      securityGroupName: nameOf(scope, "nodes"),
      description: `${scope.name}: VKE nodes`,
      tags,
    },
    opts,
  );
  const sources: {
    label: string;
    cidr: pulumi.Input<string>;
    description: string;
    direction?: string;
  }[] = [
    // Explicit egress (image pulls, TOS, VKE's APIs through the NAT): a group made through the API
    // is not documented to carry the console's default allow-all egress rule.
    { label: "egress", cidr: "0.0.0.0/0", description: "All egress", direction: "egress" },
    { label: "vpc", cidr: args.network.cidr, description: "The platform network" },
    // Named by CIDR: removing one must not shift another onto its rule (a rule is replaced
    // create-first, and Volcengine refuses a duplicate of a rule that still exists).
    ...k8s.endpoint.privateAccessCidrs.map((cidr) => ({
      label: `private-${cidrLabel(cidr)}`,
      cidr,
      description: "An office network (VPN)",
    })),
  ];
  const rules = sources.map(
    (source) =>
      new vpc.SecurityGroupRule(
        `${scope.name}-nodes-sg-${source.label}`,
        {
          securityGroupId: nodes.id,
          direction: source.direction ?? "ingress",
          protocol: "all",
          portStart: -1,
          portEnd: -1,
          cidrIp: source.cidr,
          policy: "accept",
          priority: 1,
          description: source.description,
        },
        opts,
      ),
  );

  const cluster = new vke.Cluster(
    `${scope.name}-cluster`,
    {
      name: clusterNameOf(scope),
      description: `${scope.name}: Officeless platform cluster`,
      kubernetesVersion: k8s.version,
      clusterConfig: {
        // The control plane's ENIs, one subnet per zone: it survives a zone failure.
        subnetIds: args.network.privateSubnetIds,
        apiServerPublicAccessEnabled: false,
        resourcePublicAccessDefaultEnabled: false,
      },
      podsConfig: {
        podNetworkMode: "VpcCniShared",
        vpcCniConfig: { subnetIds: args.network.privateSubnetIds },
      },
      servicesConfig: { serviceCidrsv4s: [args.network.cidr.apply(serviceCidr)] },
      deleteProtectionEnabled: scope.protect,
      irsaEnabled: true,
      loggingConfig: {
        logSetups: VKE_LOG_TYPES.map((logType) => ({
          logType,
          enabled: true,
          logTtl: k8s.logRetentionDays,
        })),
      },
      tags,
    },
    {
      ...opts,
      dependsOn: rules,
      // kubernetes_version is ForceNew: a minor upgrade goes through VKE (console or
      // UpgradeCluster), never by replacing the cluster (docs/clouds/volcengine.md).
      ignoreChanges: ["kubernetesVersion"],
    },
  );

  // VKE's autoscaler for node pools with autoScaling on; managed, so it runs in the control plane.
  const autoscaler = new vke.Addon(
    `${scope.name}-cluster-autoscaler`,
    { clusterId: cluster.id, name: "cluster-autoscaler", deployMode: "Managed" },
    opts,
  );

  const pools = k8s.nodePools.map(
    (pool) =>
      new vke.NodePool(
        `${scope.name}-${pool.name}`,
        {
          clusterId: cluster.id,
          name: nameOf(scope, pool.name, MAX_VKE_NAME),
          autoScaling: poolScaling(pool, zones),
          nodeConfig: {
            instanceTypeIds: [...pool.instanceTypes],
            subnetIds: args.network.privateSubnetIds,
            systemVolume: { type: NODE_VOLUME_TYPE, size: pool.diskSizeGb },
            instanceChargeType: "PostPaid",
            security: { securityGroupIds: [nodes.id], securityStrategies: ["Hids"] },
            namePrefix: pool.name,
            ecsTags: tags,
          },
          kubernetesConfig: {
            cordon: false,
            labels: Object.entries(pool.labels).map(([key, value]) => ({ key, value })),
            taints: pool.taints.map((t) => ({
              key: t.key,
              value: t.value ?? "",
              effect: t.effect,
            })),
          },
          tags,
        },
        {
          ...opts,
          dependsOn: [autoscaler],
          // The autoscaler owns the size after creation.
          ignoreChanges: ["autoScaling.desiredReplicas"],
        },
      ),
  );

  // In-cluster DNS: every workload of the later layers resolves `*.svc` through it. Unmanaged, on
  // the nodes, so it waits for the pools.
  const coreDns = new vke.Addon(
    `${scope.name}-core-dns`,
    { clusterId: cluster.id, name: "core-dns", deployMode: "Unmanaged", deployNodeType: "Node" },
    { ...opts, dependsOn: pools },
  );

  // VKE lists a cluster's kubeconfigs, it does not make one: create the private one, then read
  // the cluster anew so its `kubeconfigPrivate` (ListKubeconfigs, Private) holds it. The read runs
  // on every `up`. Deleted first on a replacement, so the read finds the new one only.
  const access = new vke.Kubeconfig(
    `${scope.name}-kubeconfig`,
    { clusterId: cluster.id, type: "Private", validDuration: KUBECONFIG_VALID_HOURS },
    { ...opts, dependsOn: pools, deleteBeforeReplace: true },
  );
  const current = vke.Cluster.get(`${scope.name}-cluster-read`, cluster.id, {
    ...opts,
    dependsOn: [access, coreDns],
  });
  // Base64 as VKE returns it; resolves once the pools and core-dns exist, so the Helm releases
  // of later layers in one stack find nodes and DNS.
  const kubeconfig = current.kubeconfigPrivate.apply((data) => {
    if (!data)
      throw new Error(
        `VKE listed no private kubeconfig for ${clusterNameOf(scope)} after creating one: check it in ` +
          "the VKE console (Cluster > Connection information) and run `pulumi up --refresh`",
      );
    return Buffer.from(data, "base64").toString("utf8");
  });
  const endpoint = kubeconfig.apply((k) => kubeconfigCluster(k));
  return {
    clusterName: cluster.name,
    clusterId: cluster.id,
    endpoint: endpoint.apply((e) => e.server),
    certificateAuthority: endpoint.apply((e) => e.ca),
    kubeconfig: pulumi.secret(kubeconfig),
    version: cluster.kubernetesVersion,
    nodeSecurityGroupId: nodes.id,
    // VKE makes and owns the control plane's security group; it is not an output of the provider.
    clusterSecurityGroupId: pulumi.output(""),
    // VKE nodes carry no identity of ours: workloads use IRSA (or, for the tools, scoped keys).
    nodeIdentity: pulumi.output(""),
    oidcIssuerUrl: cluster.irsaConfigs.apply((configs) => irsaIssuer(configs)),
    // No secrets encryption key: see the header.
    encryptionKeyId: pulumi.output(""),
    nodePoolNames: pulumi.output(k8s.nodePools.map((p) => p.name)),
  };
}

/** The issuer of the first IRSA config (the provider does not document the object's fields). */
export function irsaIssuer(configs: unknown): string {
  const first = Array.isArray(configs)
    ? (configs[0] as Record<string, unknown> | undefined)
    : undefined;
  const issuer = first?.issuer ?? first?.issuerUrl ?? first?.Issuer;
  return typeof issuer === "string" ? issuer : "";
}

/**
 * How long the private kubeconfig is valid: VKE's maximum, 43800 hours (5 years). Rotate it by
 * replacing the resource (docs/clouds/volcengine.md).
 */
export const KUBECONFIG_VALID_HOURS = 43800;

/** The cluster's name as the console shows it. */
function clusterNameOf(scope: Scope): string {
  return nameOf(scope, "vke", MAX_VKE_NAME);
}
