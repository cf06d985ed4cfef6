/**
 * Huawei Cloud kubernetes layer: a CCE Standard cluster with the VPC network model (pods routable
 * in the VPC, so the office reaches them over the VPN), RBAC, an HA control plane with one master
 * in each of three zones in prod, no public address on the API, and one node pool per configured
 * pool per zone (CCE pools are single-zone) in the zone's private subnet, scaled by the CCE Cluster
 * Autoscaler add-on (addons layer) between the configured bounds, on KMS-encrypted EVS volumes.
 *
 * Not built, because pulumi-huaweicloud 0.0.11 has no input for it: KMS envelope encryption of
 * Secrets in etcd (the cluster resource takes no key) and an allow-list for a public API address
 * (the catalog refuses `publicAccessCidrs`). CCE creates the node and control-plane security groups.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { parse as parseYaml } from "yaml";
import { inputsHash } from "../../components/inputsHash";
import type { KubernetesClusterArgs, KubernetesOutputs } from "../../components/kubernetesCluster";
import { NodePoolConfig, Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import * as cce from "../../sdks/huaweicloud/cce";
import {
  CCE_CONTAINER_CIDR,
  CCE_SERVICE_CIDR,
  huaweiConfigIssues,
  MAX_CCE_POOL_NAME,
} from "./catalog";
import { customerKey, cutName, hwTags, warnFirstUse } from "./common";

/** Control plane: three masters over three zones (HA, up to 200 nodes) in prod, one elsewhere. */
export function clusterFlavor(environment: string): string {
  return environment === "prod" ? "cce.s2.medium" : "cce.s1.small";
}

/** The node OS and runtime CCE supports on every current version. */
export const NODE_OS = "Huawei Cloud EulerOS 2.0";
export const NODE_RUNTIME = "containerd";
/** EVS type of node volumes: SSD (ultra-high I/O). */
export const NODE_VOLUME_TYPE = "SSD";
/** Root volume: the OS only (CCE's minimum is 40 GiB); images and pods live on the data volume. */
export const ROOT_VOLUME_GB = 50;

/**
 * Node pool inputs CCE cannot change on an existing pool (ForceNew in terraform-provider-huaweicloud
 * huaweicloud/services/cce/resource_huaweicloud_cce_node_pool.go). Their hash is in the pool's CCE
 * name, so a change creates the new pool before the old one is drained and deleted.
 */
export const POOL_REPLACE_INPUTS = [
  "flavorId",
  "availabilityZone",
  "subnetId",
  "os",
  "runtime",
  "rootVolume",
  "dataVolumes",
  "extendParams",
] as const;

/** Characters of the replace-input hash in a pool's name. */
export const POOL_HASH_LENGTH = 6;

/** What a pool is created with that CCE does not change later. */
export function poolFixed<T>(pool: NodePoolConfig, zone: string, subnetId: T, keyId: T) {
  const volume = (size: number) => ({ size, volumetype: NODE_VOLUME_TYPE, kmsKeyId: keyId });
  return {
    flavorId: pool.instanceTypes[0],
    availabilityZone: zone,
    subnetId,
    os: NODE_OS,
    runtime: NODE_RUNTIME,
    rootVolume: volume(ROOT_VOLUME_GB),
    dataVolumes: [volume(pool.diskSizeGb)],
    extendParams: pool.spot ? { marketType: "spot" } : {},
  };
}

/** A pool's CCE name: config name, zone index and the replace-input hash (`general-0-k3x9a1`). */
export function ccePoolName(
  pool: string,
  zoneIndex: number,
  fixed: Record<string, unknown>,
): string {
  const hash = inputsHash(POOL_REPLACE_INPUTS, fixed, POOL_HASH_LENGTH);
  return cutName(`${pool}-${zoneIndex}-${hash}`, MAX_CCE_POOL_NAME);
}

interface KubeconfigDoc {
  clusters?: { name: string; cluster: { server: string; "certificate-authority-data"?: string } }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  users?: unknown[];
  "current-context"?: string;
}

/**
 * The cluster's kubeconfig with only its private (`internal`) endpoint: CCE's kubeConfigRaw holds a
 * client certificate (CCE has no exec credential plugin), so the result is a secret.
 */
export function internalKubeconfig(raw: string): {
  kubeconfig: string;
  server: string;
  ca: string;
} {
  const doc = parseYaml(raw) as KubeconfigDoc;
  const context = doc.contexts?.find((c) => c.name === "internal") ?? doc.contexts?.[0];
  const cluster = doc.clusters?.find((c) => c.name === context?.context.cluster);
  if (!context || !cluster)
    throw new Error("CCE returned a kubeconfig without an internal context");
  const kubeconfig = JSON.stringify({
    ...doc,
    clusters: [cluster],
    contexts: [context],
    "current-context": context.name,
  });
  return {
    kubeconfig,
    server: cluster.cluster.server,
    ca: cluster.cluster["certificate-authority-data"] ?? "",
  };
}

export function huaweiKubernetes(scope: Scope, args: KubernetesClusterArgs): KubernetesOutputs {
  const issues = huaweiConfigIssues({ kubernetes: args.kubernetes });
  if (issues.length > 0)
    throw new ValidationError(issues, "args.", "Invalid KubernetesCluster arguments");
  const k8s = args.kubernetes;
  const opts = { parent: scope.parent };
  const tags = hwTags(scope.tags);
  const prod = args.environment === "prod";
  warnFirstUse(scope, ["cce", "evs"]);
  // Node volumes; EVS needs the EVSAccessKMS agency (docs/clouds/huawei.md, first deploy).
  const key = customerKey(scope, "nodes");
  const remove = scope.protect ? "false" : "true";

  const cluster = new cce.Cluster(
    `${scope.name}-cluster`,
    {
      name: cutName(scope.name, 128),
      description: `${scope.name}: Officeless platform cluster`,
      clusterType: "VirtualMachine",
      flavorId: clusterFlavor(args.environment),
      clusterVersion: `v${k8s.version}`,
      // One master per zone over three zones in prod: a zone loss keeps a quorum.
      masters: (prod ? args.zones.slice(0, 3) : args.zones.slice(0, 1)).map((zone) => ({
        availabilityZone: zone,
      })),
      vpcId: args.network.networkId,
      subnetId: args.network.privateSubnetIds.apply((ids) => ids[0]),
      containerNetworkType: "vpc-router",
      containerNetworkCidr: CCE_CONTAINER_CIDR,
      serviceNetworkCidr: CCE_SERVICE_CIDR,
      authenticationMode: "rbac",
      // No `eip`: the API has only its private address in the VPC.
      // Outside prod a destroy also removes the disks, file systems, buckets and load balancers
      // the cluster's controllers created; prod keeps them.
      deleteEvs: remove,
      deleteSfs: remove,
      deleteObs: remove,
      deleteNet: remove,
      tags,
    },
    {
      ...opts,
      protect: scope.protect,
      // Minor upgrades go through CCE's in-place upgrade (console or API), never a new cluster.
      ignoreChanges: ["clusterVersion"],
    },
  );

  // Node login: a random password nobody is given (nodes have no public address; use CloudShell).
  const password = new random.RandomPassword(
    `${scope.name}-node-password`,
    {
      length: 24,
      minLower: 2,
      minUpper: 2,
      minNumeric: 2,
      minSpecial: 2,
      overrideSpecial: "!@%^-_=+",
    },
    opts,
  );

  const pools = k8s.nodePools.flatMap((pool) =>
    args.zones.map((zone, i) => {
      const subnetId = args.network.privateSubnetIds.apply((ids) => ids[i]);
      const fixed = poolFixed(pool, zone, subnetId, key.id);
      return new cce.NodePool(
        `${scope.name}-${pool.name}-${i}`,
        {
          ...fixed,
          clusterId: cluster.id,
          name: pulumi
            .all([subnetId, key.id])
            .apply(([s, k]) => ccePoolName(pool.name, i, poolFixed(pool, zone, s, k))),
          type: "vm",
          password: password.result,
          // Per zone, like the config; the autoscaler owns the count after creation.
          initialNodeCount: pool.desiredSize,
          scallEnable: true,
          minNodeCount: pool.minSize,
          maxNodeCount: pool.maxSize,
          labels: { ...pool.labels },
          taints: pool.taints.map((t) => ({ key: t.key, value: t.value ?? "", effect: t.effect })),
          tags: hwTags(scope.tags, { "node-pool": pool.name }),
        },
        { ...opts, ignoreChanges: ["initialNodeCount"] },
      );
    }),
  );

  const access = cluster.kubeConfigRaw.apply(internalKubeconfig);
  // Waits for the node pools: in one stack the Helm releases need nodes.
  const kubeconfig = pulumi
    .all([access, pulumi.all(pools.map((p) => p.id))])
    .apply(([a]) => a.kubeconfig);
  return {
    clusterName: cluster.name,
    clusterId: cluster.id,
    endpoint: access.apply((a) => a.server),
    certificateAuthority: access.apply((a) => a.ca),
    kubeconfig: pulumi.secret(kubeconfig),
    version: cluster.clusterVersion.apply((v) => v.replace(/^v/, "")),
    // The node security group CCE creates for the cluster.
    nodeSecurityGroupId: cluster.securityGroupId,
    // CCE's control-plane group is CCE's own and not reported by the provider.
    clusterSecurityGroupId: pulumi.output(""),
    // Nodes run without an IAM agency: workloads get their own credentials (observability).
    nodeIdentity: pulumi.output(""),
    oidcIssuerUrl: pulumi.output(""),
    encryptionKeyId: key.id,
    nodePoolNames: pulumi.output(k8s.nodePools.map((p) => p.name)),
  };
}
