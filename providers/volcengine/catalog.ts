/**
 * Volcengine facts that config validation needs without loading the bindings: the regions and
 * their zone ids, and the rules Volcengine (or the pinned provider, volcengine/pulumi-volcengine
 * v0.0.47 bridging terraform-provider-volcengine v0.0.194) would refuse at deploy time.
 * Pure data: nothing from sdks/ here.
 *
 * Zones: the ids `DescribeZones` returns (`cn-beijing-a`, `ap-southeast-1a`). The list is the
 * regions VKE, NAS, Redis and TOS are all sold in as read on 2026-12-01 from the Volcengine
 * console's region list; it was not re-read from the API here (no account), so a zone added since
 * is refused until it is listed.
 */
import { cidrsOverlap, parseCidr } from "../../components/cidr";
import type { Issue } from "../../components/validation";
import { convertCron } from "../../components/cron";
import type { CloudCatalog, CloudConfigSections } from "../backend";

/** `DescribeZones` ids: `cn-` regions take `-<letter>`, `ap-` regions the bare letter. */
function zonesOf(region: string, letters: string): readonly string[] {
  const sep = region.startsWith("cn-") ? "-" : "";
  return [...letters].map((letter) => `${region}${sep}${letter}`);
}

export const VOLCENGINE_REGIONS: Readonly<Record<string, readonly string[]>> = {
  "cn-beijing": zonesOf("cn-beijing", "abc"),
  "cn-shanghai": zonesOf("cn-shanghai", "abc"),
  "cn-guangzhou": zonesOf("cn-guangzhou", "abc"),
  "cn-hongkong": zonesOf("cn-hongkong", "ab"),
  "ap-southeast-1": zonesOf("ap-southeast-1", "ab"),
};

/** VKE log topics keep 1-3650 days (vke_cluster `log_setups.log_ttl`). */
export const VKE_LOG_TTL = { min: 1, max: 3650 } as const;

/** Redis engine versions CreateDBInstance accepts (redis_instance `engine_version`). */
export const REDIS_ENGINE_VERSIONS: readonly string[] = ["5.0", "6.0", "7.0"];
export const DEFAULT_REDIS_ENGINE_VERSION = "7.0";

/**
 * Shard capacities (MiB) of a non-sharded instance (redis_instance `shard_capacity`); 256 is not
 * allowed with a single node. `cache.nodeType` names one of these.
 */
export const REDIS_SHARD_CAPACITIES: readonly number[] = [
  256, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
];

/** Nodes per shard: the primary plus up to 5 replicas (redis_instance `node_number`, 1-6). */
export const REDIS_MAX_NODES = 6;

/** Public NAT gateways a VPC may have (BytePlus NAT Gateway FAQ: "up to three"). */
export const MAX_NAT_GATEWAYS = 3;

/** VKE node system volume size ceiling, GiB (vke_node_pool `system_volume.size`, 20-2048). */
export const MAX_SYSTEM_VOLUME_GB = 2048;

/** A VKE node pool's instance types: `ecs.<family>.<size>`. */
const INSTANCE_TYPE = /^ecs\.[a-z0-9]+\.[a-z0-9]+$/;

/**
 * Service CIDR candidates of the VKE cluster: the first that does not overlap the VPC wins.
 * `services_config` is ForceNew, so the choice depends on the VPC CIDR alone, which never changes;
 * the office networks must then stay clear of it (checked below).
 */
export const SERVICE_CIDR_CANDIDATES = ["172.30.0.0/18", "192.168.192.0/18", "100.64.0.0/18"];

/** The cluster's service range for a VPC CIDR. */
export function serviceCidr(vpcCidr: string): string {
  const free = SERVICE_CIDR_CANDIDATES.find((c) => !cidrsOverlap(c, vpcCidr));
  // Unreachable: the candidates are disjoint and a VPC is at most a /16.
  if (!free) throw new Error(`no service CIDR outside ${vpcCidr}`);
  return free;
}

/** VKE's Service annotations for a CLB it creates: its network type and its subnet. */
export const CLB_ADDRESS_TYPE_ANNOTATION =
  "service.beta.kubernetes.io/volcengine-loadbalancer-address-type";
export const CLB_SUBNET_ANNOTATION = "service.beta.kubernetes.io/volcengine-loadbalancer-subnet-id";

export const VOLCENGINE_CATALOG: CloudCatalog = {
  regions: VOLCENGINE_REGIONS,
  configIssues: (config) => volcengineConfigIssues(config),
  // A private CLB made by VKE's cloud controller. It needs the subnet's id on the Service too
  // (service.beta.kubernetes.io/volcengine-loadbalancer-subnet-id, required; VKE docs "Configuring
  // a LoadBalancer Service using annotations"): the backend adds the cluster's first subnet
  // (providers/volcengine/observability.ts).
  privateLoadBalancerAnnotations: {
    [CLB_ADDRESS_TYPE_ANNOTATION]: "PRIVATE",
  },
};

export function volcengineConfigIssues(config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const k8s = config.kubernetes;
  if (k8s) {
    const { min, max } = VKE_LOG_TTL;
    if (k8s.logRetentionDays < min || k8s.logRetentionDays > max)
      issues.push({
        path: "kubernetes.logRetentionDays",
        value: k8s.logRetentionDays,
        message: `VKE log topics keep ${min}-${max} days`,
      });
    // The pinned provider has no API-server allow-list (ClusterClusterConfigApiServerPublicAccessConfig
    // holds only the EIP's billing): a public endpoint would be open to the whole internet.
    if (k8s.endpoint.publicAccessCidrs.length > 0)
      issues.push({
        path: "kubernetes.endpoint.publicAccessCidrs",
        value: k8s.endpoint.publicAccessCidrs,
        message:
          "must be empty on Volcengine: the provider (v0.0.47) cannot restrict a public VKE API endpoint to an allow-list, " +
          "so the endpoint stays private. Reach it from the VPC (a CI runner there) or over the VPN with the office network in " +
          "kubernetes.endpoint.privateAccessCidrs",
      });
    if (k8s.endpoint.dnsAccess)
      issues.push({
        path: "kubernetes.endpoint.dnsAccess",
        value: true,
        message: "is GKE-only: VKE has no IAM-gated DNS endpoint",
      });
    // VKE RBAC grants (vke/permission) are not bound; granting admins silently nothing would mislead.
    if (k8s.adminPrincipals.length > 0)
      issues.push({
        path: "kubernetes.adminPrincipals",
        value: k8s.adminPrincipals,
        message:
          "must be empty on Volcengine: VKE RBAC grants are not built yet; the identity that creates the cluster is its " +
          "administrator. Grant others in the VKE console (Permissions) or with IAM policies on VKE",
      });
    k8s.nodePools.forEach((pool, i) => {
      if (pool.diskSizeGb > MAX_SYSTEM_VOLUME_GB)
        issues.push({
          path: `kubernetes.nodePools[${i}].diskSizeGb`,
          value: pool.diskSizeGb,
          message: `VKE node system volumes take 20-${MAX_SYSTEM_VOLUME_GB} GiB`,
        });
      if (pool.spot)
        issues.push({
          path: `kubernetes.nodePools[${i}].spot`,
          value: true,
          message:
            "must be false on Volcengine: VKE node pools (provider v0.0.47) have no spot capacity",
        });
      pool.instanceTypes.forEach((type, j) => {
        if (!INSTANCE_TYPE.test(type))
          issues.push({
            path: `kubernetes.nodePools[${i}].instanceTypes[${j}]`,
            value: type,
            message:
              "must be a Volcengine ECS instance type, ecs.<family>.<size>, e.g. ecs.g3il.xlarge",
          });
      });
    });
  }
  const cache = config.cache;
  if (cache?.enabled) {
    if (cache.engine !== "redis")
      issues.push({
        path: "cache.engine",
        value: cache.engine,
        message: 'must be "redis" on Volcengine: its managed cache is Redis (no Valkey engine)',
      });
    if (cache.version !== undefined && !REDIS_ENGINE_VERSIONS.includes(cache.version))
      issues.push({
        path: "cache.version",
        value: cache.version,
        message: `must be a Volcengine Redis engine version: ${REDIS_ENGINE_VERSIONS.join(", ")}`,
      });
    if (cache.nodeType !== undefined) {
      const mib = Number(cache.nodeType);
      if (!REDIS_SHARD_CAPACITIES.includes(mib))
        issues.push({
          path: "cache.nodeType",
          value: cache.nodeType,
          message: `is the shard capacity in MiB on Volcengine: one of ${REDIS_SHARD_CAPACITIES.join(", ")}`,
        });
      else if (mib === 256 && cache.replicas === 0)
        issues.push({
          path: "cache.nodeType",
          value: cache.nodeType,
          message: "256 MiB needs at least one replica (Volcengine refuses it on a single node)",
        });
    }
    if (cache.replicas + 1 > REDIS_MAX_NODES)
      issues.push({
        path: "cache.replicas",
        value: cache.replicas,
        message: `Volcengine Redis has at most ${REDIS_MAX_NODES} nodes per shard: at most ${REDIS_MAX_NODES - 1} replicas`,
      });
  }
  // Pods route the service range inside the cluster: an office network there is unreachable.
  const network = config.network?.cidr;
  if (network && parseCidr(network)) {
    const services = serviceCidr(network);
    const clash = (path: string, cidr: string) => {
      if (parseCidr(cidr) && cidrsOverlap(cidr, services))
        issues.push({
          path,
          value: cidr,
          message: `overlaps the VKE service range ${services} (chosen from network.cidr ${network}); pick a network.cidr or office network that keeps them apart`,
        });
    };
    config.kubernetes?.endpoint.privateAccessCidrs.forEach((c, i) =>
      clash(`kubernetes.endpoint.privateAccessCidrs[${i}]`, c),
    );
    if (config.vpn?.enabled)
      config.vpn.peers.forEach((peer, i) =>
        peer.cidrs.forEach((c, j) => clash(`vpn.peers[${i}].cidrs[${j}]`, c)),
      );
  }
  if (config.backup?.enabled) {
    // Velero's schedule is a five-field cron; the AWS form of the default is converted.
    const cron = convertCron(config.backup.schedule);
    if ("error" in cron)
      issues.push({ path: "backup.schedule", value: config.backup.schedule, message: cron.error });
  }
  if (config.vpn?.enabled)
    config.vpn.peers.forEach((peer, i) => {
      if (peer.cidrs.length > MAX_VPN_REMOTE_SUBNETS)
        issues.push({
          path: `vpn.peers[${i}].cidrs`,
          value: peer.cidrs,
          message: `a Volcengine VPN connection takes at most ${MAX_VPN_REMOTE_SUBNETS} remote subnets: summarize the peer's networks`,
        });
      if (peer.bgpAsn !== undefined)
        issues.push({
          path: `vpn.peers[${i}].bgpAsn`,
          value: peer.bgpAsn,
          message:
            "must be unset on Volcengine: the VPN connections route statically to vpn.peers[].cidrs",
        });
    });
  return issues;
}

/** vpn_connection `remote_subnet`: "Up to 5 network segments" (terraform-provider-volcengine docs). */
export const MAX_VPN_REMOTE_SUBNETS = 5;

/** The perZone NAT ceiling, checked by the network layer with the zone count. */
export function natGatewayIssues(natGateways: string, zoneCount: number): Issue[] {
  if (natGateways !== "perZone" || zoneCount <= MAX_NAT_GATEWAYS) return [];
  return [
    {
      path: "network.natGateways",
      value: natGateways,
      message: `a Volcengine VPC has at most ${MAX_NAT_GATEWAYS} NAT gateways: use at most ${MAX_NAT_GATEWAYS} zones with perZone`,
    },
  ];
}
