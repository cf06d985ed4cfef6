/**
 * OCI kubernetes layer: an OKE enhanced cluster (workload identity, add-on management) with a
 * private API endpoint only, Kubernetes secrets encrypted with a Vault key, VCN-native pod
 * networking (pods take VCN addresses from the pods subnet), OIDC discovery on, image
 * verification off (`oci.imageSigningKeyIds` is refused: the charts' images are unsigned), one node pool per
 * configured pool with a placement in every availability domain (in single-AD regions, the one AD
 * over the configured fault domains), node cycling with max surge 25% / max unavailable 0%, release and image fixed at creation, in-transit
 * encryption of attached volumes, boot volumes under the Vault key, and the pool size left to the
 * cluster-autoscaler (addons layer) after creation. NSGs admit only the flows OKE documents for
 * VCN-native clusters; the IAM policies let OKE and Block Volume use the key.
 */
import * as containerengine from "@pulumi/oci/containerengine";
import * as pulumi from "@pulumi/pulumi";
import { resolvedAtCreation } from "../../components/createOnly";
import { execKubeconfig } from "../../components/kubeconfig";
import type { KubernetesClusterArgs, KubernetesOutputs } from "../../components/kubernetesCluster";
import {
  DEFAULT_OCI_FLEX_SHAPE,
  NodePoolConfig,
  NodeTaint,
  OciSettings,
  Scope,
} from "../../components/types";
import { ValidationError } from "../../components/validation";
import { isFlexShape, ociConfigIssues, placementOf } from "./catalog";
import {
  availabilityDomainNames,
  displayName,
  iamOptions,
  inCompartment,
  ociSettings,
  ociTags,
  onKey,
  policy,
  vaultKey,
} from "./common";
import { Flow, flowRules, nsg } from "./nsg";

/** VCN-native pod networking: every pod gets a VCN address and the pods subnet's NSG. */
export const CNI_TYPE = "OCI_VCN_IP_NATIVE";
/** Pods per node (OKE's default and ceiling for VCN-native is 110; 31 keeps the pods subnet's use bounded). */
export const MAX_PODS_PER_NODE = 31;
/** The cluster's service range: outside every RFC 1918 block a VCN or peer is likely to use. */
export const SERVICES_CIDR = "10.96.0.0/16";
/**
 * Node cycling: extra nodes first, none taken away before its replacement is ready. Percentages,
 * both: OKE takes an integer "from 0 to the configured number of nodes" or a percentage of the
 * pool's size, and both must be of one form (Oracle's OKE node cycling docs for PCA/C3; the
 * commercial page "Balancing Service Availability and Cost" allows either), so a count of 1 is
 * out of range on a pool created at size 0 (spot pools with minSize 0) while 25% is valid at any size.
 */
export const NODE_CYCLING = {
  isNodeCyclingEnabled: true,
  maximumSurge: "25%",
  maximumUnavailable: "0%",
};
/** Draining before a node is deleted: 5 minutes, then forced (terraform-oci-oke's default). */
export const NODE_EVICTION = {
  evictionGraceDuration: "PT5M",
  isForceDeleteAfterGraceDuration: true,
  isForceActionAfterGraceDuration: true,
};

/**
 * The OKE release of a minor: the newest patch OKE offers (`getClusterOption`'s list of `v1.x.y`).
 * Throws when OKE does not offer the minor in the region.
 */
export function okeVersion(minor: string, offered: readonly string[]): string {
  const matching = offered
    .filter((v) => v.replace(/^v/, "").startsWith(`${minor}.`))
    .sort((a, b) => Number(b.split(".")[2] ?? 0) - Number(a.split(".")[2] ?? 0));
  if (matching.length === 0)
    throw new Error(
      `OKE offers no Kubernetes ${minor} in this region (offered: ${offered.join(", ")}); set officeless:kubernetes.version to one of them`,
    );
  return matching[0];
}

/** The image architecture a shape needs: Ampere (A1, A2) shapes run aarch64, GPU shapes GPU images. */
export function shapeImageKind(shape: string): "aarch64" | "gpu" | "x86" {
  if (/\.A\d\./.test(shape)) return "aarch64";
  if (/GPU/.test(shape)) return "gpu";
  return "x86";
}

/**
 * The newest OKE Oracle Linux image for a Kubernetes release and shape, from the node pool
 * options' sources (names like `Oracle-Linux-8.10-2025.09.16-0-OKE-1.33.1-1225`).
 */
export function okeImage(
  sources: readonly { imageId: string; sourceName: string }[],
  version: string,
  shape: string,
): string {
  const release = version.replace(/^v/, "");
  const kind = shapeImageKind(shape);
  const matching = sources
    .filter(
      (s) => s.sourceName.startsWith("Oracle-Linux-") && s.sourceName.includes(`-OKE-${release}-`),
    )
    .filter((s) => {
      const arm = /aarch64/i.test(s.sourceName);
      const gpu = /GPU/i.test(s.sourceName);
      return kind === "aarch64" ? arm : kind === "gpu" ? gpu && !arm : !arm && !gpu;
    })
    .sort((a, b) => (a.sourceName < b.sourceName ? 1 : -1));
  if (matching.length === 0)
    throw new Error(`no OKE ${release} Oracle Linux image for ${shape} (${kind}) in this region`);
  return matching[0].imageId;
}

/**
 * A pool's placements: one per availability domain (OKE takes an AD once per pool); in a
 * single-AD region the one AD, limited to the configured fault domains. `adNames` are the
 * tenancy's full names of the zones' ADs, in zone order.
 */
export function placements(
  region: string,
  zones: readonly string[],
  adNames: readonly string[],
): { availabilityDomain: string; faultDomains?: string[] }[] {
  const out = new Map<string, { availabilityDomain: string; faultDomains?: string[] }>();
  zones.forEach((zone, i) => {
    const fd = placementOf(region, zone).faultDomain;
    const p = out.get(adNames[i]) ?? { availabilityDomain: adNames[i] };
    if (fd) p.faultDomains = [...(p.faultDomains ?? []), fd];
    out.set(adNames[i], p);
  });
  return [...out.values()];
}

/** kubelet's `--register-with-taints` value for a pool's taints. */
export function taintArg(taints: readonly NodeTaint[]): string {
  return taints
    .map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ""}:${t.effect}`)
    .join(",");
}

/**
 * The node's cloud-init: OKE's own bootstrap (fetched from the instance metadata, as the default
 * cloud-init does) with the pool's taints, after installing oci-fss-utils, which File Storage's
 * in-transit encryption mounts need on the node (a failed install is reported, never fatal).
 */
export function nodeCloudInit(taints: readonly NodeTaint[]): string {
  const extra =
    taints.length > 0 ? ` --kubelet-extra-args "--register-with-taints=${taintArg(taints)}"` : "";
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    // Never fatal: a node that cannot reach the package mirror must still join the cluster.
    'dnf install -y oci-fss-utils || echo "oci-fss-utils not installed: File Storage in-transit encryption mounts will fail" >&2',
    'curl --fail -H "Authorization: Bearer Oracle" -L0 http://169.254.169.254/opc/v2/instance/metadata/oke_init_script | base64 --decode > /var/run/oke-init.sh',
    `bash /var/run/oke-init.sh${extra}`,
    "",
  ].join("\n");
}

/** The size of a pool's nodes on a `*.Flex` shape (`oci.flexShapes` by shape); none otherwise. */
export function shapeConfig(pool: NodePoolConfig, settings: OciSettings) {
  const shape = pool.instanceTypes[0];
  return isFlexShape(shape) ? (settings.flexShapes[shape] ?? DEFAULT_OCI_FLEX_SHAPE) : undefined;
}

/** A kubeconfig that gets short-lived tokens from the OCI CLI (`oci ce cluster generate-token`). */
export function okeKubeconfig(
  name: string,
  server: string,
  caData: string,
  clusterId: string,
  region: string,
): string {
  return execKubeconfig({
    name,
    server,
    certificateAuthorityData: caData,
    exec: {
      command: "oci",
      args: ["ce", "cluster", "generate-token", "--cluster-id", clusterId, "--region", region],
      installHint:
        "Install the OCI CLI (https://docs.oracle.com/iaas/Content/API/SDKDocs/cliinstall.htm) and configure it (oci setup config)",
    },
  });
}

/** The CA of a kubeconfig as OKE hands it out (YAML with `certificate-authority-data`). */
export function caOf(kubeconfig: string): string {
  const found = /certificate-authority-data:\s*(\S+)/.exec(kubeconfig);
  if (!found) throw new Error("the OKE kubeconfig carries no certificate-authority-data");
  return found[1];
}

/** The flows OKE documents for VCN-native clusters, between the API endpoint and the nodes/pods NSG. */
export function clusterFlows(
  api: Flow["to"],
  nodes: Flow["to"],
  vcnCidr: pulumi.Input<string>,
  privateAccessCidrs: readonly string[],
): Flow[] {
  return [
    { name: "kube-api", from: nodes, to: api, protocol: "tcp", ports: [6443, 6443] },
    { name: "kubelet-api", from: nodes, to: api, protocol: "tcp", ports: [12250, 12250] },
    { name: "pmtu-to-api", from: nodes, to: api, protocol: "icmp", icmp: { type: 3, code: 4 } },
    // The control plane reaches kubelets (10250) and webhooks in pods on any port.
    { name: "control-plane", from: api, to: nodes, protocol: "tcp" },
    { name: "pmtu-to-nodes", from: api, to: nodes, protocol: "icmp", icmp: { type: 3, code: 4 } },
    // OKE's control plane talks to OCI services (over the service gateway).
    {
      name: "api-services",
      from: api,
      to: { cidr: "0.0.0.0/0" },
      protocol: "tcp",
      ports: [443, 443],
    },
    // Nodes and pods among themselves (one NSG for both), and out through NAT and the service gateway.
    { name: "cluster", from: nodes, to: nodes, protocol: "all" },
    { name: "egress", from: nodes, to: { cidr: "0.0.0.0/0" }, protocol: "all" },
    // Load balancers in the VCN reach node ports and, with native ingress, pod IPs.
    { name: "vcn-backends", from: { cidr: vcnCidr }, to: nodes, protocol: "tcp" },
    {
      name: "pmtu-in",
      from: { cidr: "0.0.0.0/0" },
      to: nodes,
      protocol: "icmp",
      icmp: { type: 3, code: 4 },
    },
    // kubectl from the VCN (CI runners) and the configured private networks (the office over the VPN).
    ...[vcnCidr, ...privateAccessCidrs].map((cidr, i): Flow => ({
      name: `kubectl-${i}`,
      from: { cidr },
      to: api,
      protocol: "tcp",
      ports: [6443, 6443],
    })),
  ];
}

export function ociKubernetes(scope: Scope, args: KubernetesClusterArgs): KubernetesOutputs {
  const settings = ociSettings(args);
  const k8s = args.kubernetes;
  // The cloud's own rules, for a component built without the config parser.
  const issues = ociConfigIssues({ kubernetes: k8s, oci: settings });
  if (issues.length > 0)
    throw new ValidationError(issues, "args.", "Invalid KubernetesCluster arguments");

  const compartmentId = settings.compartmentId;
  const freeformTags = ociTags(scope.tags);
  const opts = { parent: scope.parent };
  const iam = iamOptions(scope, settings, args.region);
  const [workersSubnet, podsSubnet, apiSubnet] = [0, 1, 2].map((i) =>
    args.network.privateSubnetIds.apply((ids) => ids[i]),
  );

  const apiNsg = nsg(scope, "api", compartmentId, args.network.networkId);
  const nodesNsg = nsg(scope, "nodes", compartmentId, args.network.networkId);
  const roles = new Map([
    [apiNsg, "api"],
    [nodesNsg, "nodes"],
  ]);
  // Created outside any apply, so a preview shows every rule.
  const rules = flowRules(
    scope,
    roles,
    clusterFlows(
      { nsg: apiNsg },
      { nsg: nodesNsg },
      args.network.cidr,
      k8s.endpoint.privateAccessCidrs,
    ),
  );

  const { key } = vaultKey(scope, "k8s", settings);
  const where = inCompartment(settings);
  const keyPolicy = policy(
    scope,
    "k8s-key",
    settings,
    iam,
    `${scope.name}: OKE encrypts secrets, Block Volume the node boot volumes with the k8s key`,
    [
      pulumi.interpolate`Allow service oke to use keys in ${where} ${onKey(key)}`,
      pulumi.interpolate`Allow service blockstorage to use keys in ${where} ${onKey(key)}`,
      pulumi.interpolate`Allow any-user to use key-delegates in ${where} where ALL {request.principal.type = 'nodepool', target.key.id = '${key.id}'}`,
    ],
  );

  const clusterOptions = containerengine.getClusterOptionOutput(
    { clusterOptionId: "all", compartmentId },
    opts,
  );
  const version = clusterOptions.kubernetesVersions.apply((offered) =>
    resolvedAtCreation("the OKE release of officeless:kubernetes.version", () =>
      okeVersion(k8s.version, offered),
    ),
  );

  const cluster = new containerengine.Cluster(
    `${scope.name}-cluster`,
    {
      compartmentId,
      name: displayName(scope, "oke"),
      type: "ENHANCED_CLUSTER",
      kubernetesVersion: version,
      vcnId: args.network.networkId,
      kmsKeyId: key.id,
      endpointConfig: { isPublicIpEnabled: false, subnetId: apiSubnet, nsgIds: [apiNsg.id] },
      clusterPodNetworkOptions: [{ cniType: CNI_TYPE }],
      // Off: `oci.imageSigningKeyIds` is refused (catalog), the platform's images are unsigned upstream ones.
      imagePolicyConfig: { isPolicyEnabled: false },
      options: {
        serviceLbSubnetIds: args.network.publicSubnetIds,
        kubernetesNetworkConfig: { servicesCidr: SERVICES_CIDR },
        openIdConnectDiscovery: { isOpenIdConnectDiscoveryEnabled: true },
        persistentVolumeConfig: { freeformTags },
        serviceLbConfig: { freeformTags },
      },
      freeformTags,
    },
    {
      parent: scope.parent,
      // OKE checks the key grant when it creates the cluster.
      dependsOn: [keyPolicy],
      protect: scope.protect,
      // The release (newest patch of the minor) is resolved at creation only: a later `up` after
      // OKE ships a patch, or a minor bump in config, must not upgrade the control plane unasked
      // (docs/clouds/oci.md, upgrades).
      ignoreChanges: ["kubernetesVersion"],
    },
  );

  // Cluster admins reach the API through IAM (OKE checks `use clusters` before RBAC); the addons
  // layer binds the same groups to cluster-admin.
  if (k8s.adminPrincipals.length > 0)
    policy(
      scope,
      "k8s-admins",
      settings,
      iam,
      `${scope.name}: the configured admin groups may use the cluster`,
      k8s.adminPrincipals.map((group) => `Allow group id ${group} to use clusters in ${where}`),
    );

  const ads = availabilityDomainNames(scope, settings, args.region, args.zones);
  const imageOptions = containerengine.getNodePoolOptionOutput(
    { nodePoolOptionId: "all", compartmentId },
    opts,
  );
  const pools = k8s.nodePools.map((pool) => {
    const shape = pool.instanceTypes[0];
    const flex = shapeConfig(pool, settings);
    const placementConfigs = ads.apply((names) =>
      placements(args.region, args.zones, names).map((p) => ({
        availabilityDomain: p.availabilityDomain,
        subnetId: workersSubnet,
        ...(p.faultDomains ? { faultDomains: p.faultDomains } : {}),
        ...(pool.spot
          ? {
              preemptibleNodeConfig: {
                preemptionAction: { type: "TERMINATE", isPreserveBootVolume: false },
              },
            }
          : {}),
      })),
    );
    return new containerengine.NodePool(
      `${scope.name}-${pool.name}`,
      {
        clusterId: cluster.id,
        compartmentId,
        name: pool.name,
        // The control plane's running release, so a pool never runs ahead of it.
        kubernetesVersion: cluster.kubernetesVersion,
        nodeShape: shape,
        ...(flex ? { nodeShapeConfig: { ocpus: flex.ocpus, memoryInGbs: flex.memoryInGbs } } : {}),
        nodeSourceDetails: {
          sourceType: "IMAGE",
          imageId: pulumi
            .all([imageOptions.sources, cluster.kubernetesVersion])
            .apply(([sources, v]) =>
              resolvedAtCreation(`the node image of pool ${pool.name}`, () =>
                okeImage(sources, v, shape),
              ),
            ),
          bootVolumeSizeInGbs: String(pool.diskSizeGb),
        },
        nodeConfigDetails: {
          // minSize/maxSize/desiredSize are per zone; an OKE pool's size is its total.
          size: pool.desiredSize * args.zones.length,
          placementConfigs,
          nsgIds: [nodesNsg.id],
          kmsKeyId: key.id,
          isPvEncryptionInTransitEnabled: true,
          nodePoolPodNetworkOptionDetails: {
            cniType: CNI_TYPE,
            podSubnetIds: [podsSubnet],
            podNsgIds: [nodesNsg.id],
            maxPodsPerNode: MAX_PODS_PER_NODE,
          },
          freeformTags,
        },
        initialNodeLabels: Object.entries(pool.labels).map(([k, value]) => ({ key: k, value })),
        nodeMetadata: { user_data: Buffer.from(nodeCloudInit(pool.taints)).toString("base64") },
        // Off only for a placement change, which OKE refuses with cycling on (docs/clouds/oci.md).
        nodePoolCyclingDetails: {
          ...NODE_CYCLING,
          isNodeCyclingEnabled: settings.nodeCycling ?? true,
        },
        nodeEvictionNodePoolSettings: NODE_EVICTION,
        freeformTags,
      },
      {
        parent: scope.parent,
        // Nodes register through the API NSG's rules: a pool whose nodes cannot join is deleted.
        dependsOn: [keyPolicy, ...rules],
        // The cluster-autoscaler owns the size once the pool exists. The release and image are
        // resolved at creation only: with node cycling on, a new OKE image or patch would replace
        // every node on the next unrelated `up` (docs/clouds/oci.md, upgrades).
        ignoreChanges: ["nodeConfigDetails.size", "kubernetesVersion", "nodeSourceDetails.imageId"],
      },
    );
  });

  const kubeconfigText = containerengine.getClusterKubeConfigOutput(
    { clusterId: cluster.id, endpoint: "PRIVATE_ENDPOINT", tokenVersion: "2.0.0" },
    opts,
  ).content;
  const ca = kubeconfigText.apply(caOf);
  const server = cluster.endpoints.apply((e) => `https://${e[0]?.privateEndpoint ?? ""}`);
  const ready = pulumi.all([
    pulumi.all(pools.map((p) => p.id)),
    pulumi.all(rules.map((r) => r.id)),
  ]);
  return {
    clusterName: cluster.name,
    clusterId: cluster.id,
    endpoint: ready.apply(() => server),
    certificateAuthority: ca,
    kubeconfig: pulumi.secret(
      pulumi
        .all([cluster.name, server, ca, cluster.id, ready])
        .apply(([name, url, caData, id]) => okeKubeconfig(name, url, caData, id, args.region)),
    ),
    version: cluster.kubernetesVersion,
    nodeSecurityGroupId: nodesNsg.id,
    clusterSecurityGroupId: apiNsg.id,
    // Nodes call OCI as instance principals of the compartment; workloads use workload identity.
    nodeIdentity: pulumi.output(compartmentId),
    oidcIssuerUrl: cluster.openIdConnectDiscoveryEndpoint,
    encryptionKeyId: key.id,
    nodePoolNames: pulumi.all(pools.map((p) => p.name)),
  };
}
