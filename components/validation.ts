/**
 * Cross-field rules of each layer, shared by the components (which throw before creating any
 * child) and the stack-config parser (which reports them with full `officeless:` keys).
 * Each rule yields an issue with the path of the offending field, its value and what is allowed.
 */
import { cidrContains, cidrsOverlap, isIpv4, parseCidr, planSubnets, SubnetPlanError } from "./cidr";
import { CacheConfig, Environment, KubernetesConfig, NetworkConfig, VpnConfig } from "./types";

export interface Issue {
  /** Dotted path below the config root, e.g. `network.cidr` or `kubernetes.nodePools[0].minSize`. */
  readonly path: string;
  /** The offending value (omitted for secrets). */
  readonly value?: unknown;
  /** What is wrong and what would be valid. */
  readonly message: string;
}

/** Renders a value for an error message; long values are cut. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return "(unset)";
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One error listing every issue, so a user fixes them all in one go. */
export class ValidationError extends Error {
  constructor(
    public readonly issues: readonly Issue[],
    /** Prefix for paths in the message, e.g. `officeless:` for stack config or `args.` for components. */
    prefix: string,
    what: string,
  ) {
    super(
      `${what}: ${issues.length} problem${issues.length === 1 ? "" : "s"}\n` +
        issues
          .map((i) => `  - ${prefix}${i.path}${"value" in i ? ` = ${showValue(i.value)}` : ""}: ${i.message}`)
          .join("\n"),
    );
    this.name = "ValidationError";
  }
}

/** Minimum zones for an environment: prod must survive a zone loss with a majority left. */
export function minZones(environment: Environment): number {
  return environment === "prod" ? 3 : 1;
}

export function zoneIssues(zones: readonly string[], environment: Environment): Issue[] {
  const issues: Issue[] = [];
  const min = minZones(environment);
  if (zones.length < min) {
    issues.push({ path: "zones", value: zones, message: `${environment} needs at least ${min} zones, got ${zones.length}` });
  }
  const dupes = zones.filter((z, i) => zones.indexOf(z) !== i);
  if (dupes.length > 0) issues.push({ path: "zones", value: zones, message: `zones must be distinct; repeated: ${dupes.join(", ")}` });
  return issues;
}

export function networkIssues(network: NetworkConfig, zoneCount: number, environment: Environment): Issue[] {
  const issues: Issue[] = [];
  const range = parseCidr(network.cidr);
  if (!range) {
    issues.push({ path: "network.cidr", value: network.cidr, message: "must be an IPv4 CIDR with zero host bits, e.g. 10.0.0.0/16" });
  } else if (range.prefix < 16 || range.prefix > 24) {
    issues.push({ path: "network.cidr", value: network.cidr, message: "prefix must be between /16 and /24 (the sizes clouds accept for a VPC)" });
  } else if (zoneCount > 0) {
    try {
      planSubnets(network.cidr, zoneCount, {
        publicPrefix: network.publicSubnetPrefix,
        privatePrefix: network.privateSubnetPrefix,
        databasePrefix: network.databaseSubnetPrefix,
      });
    } catch (err) {
      if (!(err instanceof SubnetPlanError)) throw err;
      issues.push({ path: "network", value: { cidr: network.cidr, zones: zoneCount }, message: `subnets do not fit: ${err.message}` });
    }
  }
  if (environment === "prod" && network.natGateways !== "perZone") {
    issues.push({ path: "network.natGateways", value: network.natGateways, message: "prod needs perZone so a zone failure keeps egress; single is for dev and staging" });
  }
  return issues;
}

export function kubernetesIssues(k8s: KubernetesConfig, environment: Environment, networkCidr?: string): Issue[] {
  const issues: Issue[] = [];
  if (k8s.nodePools.length === 0) {
    issues.push({ path: "kubernetes.nodePools", value: [], message: "at least one node pool is needed" });
  }
  const names = new Set<string>();
  k8s.nodePools.forEach((pool, i) => {
    const at = `kubernetes.nodePools[${i}]`;
    if (names.has(pool.name)) issues.push({ path: `${at}.name`, value: pool.name, message: "node pool names must be unique" });
    names.add(pool.name);
    if (pool.minSize > pool.maxSize) {
      issues.push({ path: `${at}.minSize`, value: pool.minSize, message: `must be <= maxSize (${pool.maxSize})` });
    }
    if (pool.desiredSize < pool.minSize || pool.desiredSize > pool.maxSize) {
      issues.push({ path: `${at}.desiredSize`, value: pool.desiredSize, message: `must be between minSize (${pool.minSize}) and maxSize (${pool.maxSize})` });
    }
  });
  if (environment === "prod" && k8s.nodePools.length > 0 && k8s.nodePools.every((p) => p.spot)) {
    issues.push({ path: "kubernetes.nodePools", value: k8s.nodePools.map((p) => p.name), message: "prod needs at least one on-demand (spot: false) pool" });
  }
  k8s.endpoint.publicAccessCidrs.forEach((cidr, i) => {
    const path = `kubernetes.endpoint.publicAccessCidrs[${i}]`;
    if (!parseCidr(cidr)) issues.push({ path, value: cidr, message: "must be an IPv4 CIDR with zero host bits" });
    else if (parseCidr(cidr)!.prefix === 0) {
      issues.push({ path, value: cidr, message: "opening the API to the whole internet is not allowed; list your networks (e.g. 203.0.113.0/24)" });
    }
  });
  k8s.endpoint.privateAccessCidrs.forEach((cidr, i) => {
    const path = `kubernetes.endpoint.privateAccessCidrs[${i}]`;
    if (!parseCidr(cidr)) issues.push({ path, value: cidr, message: "must be an IPv4 CIDR with zero host bits" });
    else if (networkCidr && cidrContains(networkCidr, cidr)) {
      issues.push({ path, value: cidr, message: `is inside the network ${networkCidr}, which already reaches the endpoint; list outside networks (VPN peers)` });
    }
  });
  return issues;
}

export function vpnIssues(vpn: VpnConfig, networkCidr?: string): Issue[] {
  const issues: Issue[] = [];
  if (!vpn.enabled) return issues;
  if (vpn.peers.length === 0) issues.push({ path: "vpn.peers", value: [], message: "VPN is enabled but no peers are listed; add a peer or set vpn.enabled: false" });
  const names = new Set<string>();
  const seenCidrs: string[] = [];
  vpn.peers.forEach((peer, i) => {
    const at = `vpn.peers[${i}]`;
    if (names.has(peer.name)) issues.push({ path: `${at}.name`, value: peer.name, message: "peer names must be unique" });
    names.add(peer.name);
    if (!isIpv4(peer.publicIp)) issues.push({ path: `${at}.publicIp`, value: peer.publicIp, message: "must be an IPv4 address, e.g. 198.51.100.7" });
    if (peer.cidrs.length === 0) issues.push({ path: `${at}.cidrs`, value: [], message: "list at least one network behind the peer" });
    peer.cidrs.forEach((cidr, j) => {
      const path = `${at}.cidrs[${j}]`;
      if (!parseCidr(cidr)) {
        issues.push({ path, value: cidr, message: "must be an IPv4 CIDR with zero host bits" });
        return;
      }
      if (networkCidr && parseCidr(networkCidr) && cidrsOverlap(networkCidr, cidr)) {
        issues.push({ path, value: cidr, message: `overlaps the platform network ${networkCidr}; peer networks must be disjoint from it` });
      }
      const clash = seenCidrs.find((c) => cidrsOverlap(c, cidr));
      if (clash) issues.push({ path, value: cidr, message: `overlaps ${clash} of another peer` });
      seenCidrs.push(cidr);
    });
    if (peer.bgpAsn !== undefined && (peer.bgpAsn < 1 || peer.bgpAsn > 4294967295 || peer.bgpAsn === 7224)) {
      issues.push({ path: `${at}.bgpAsn`, value: peer.bgpAsn, message: "must be a valid ASN (1-4294967295), not AWS's 7224" });
    }
  });
  return issues;
}

export function cacheIssues(cache: CacheConfig, environment: Environment, zoneCount: number): Issue[] {
  const issues: Issue[] = [];
  if (!cache.enabled) return issues;
  if (cache.highAvailability && cache.replicas < 1) {
    issues.push({ path: "cache.replicas", value: cache.replicas, message: "high availability needs at least 1 replica" });
  }
  if (environment === "prod" && !cache.highAvailability) {
    issues.push({ path: "cache.highAvailability", value: false, message: "prod needs a multi-zone cache with automatic failover" });
  }
  if (cache.highAvailability && zoneCount < 2) {
    issues.push({ path: "cache.highAvailability", value: true, message: "needs at least 2 zones" });
  }
  return issues;
}

function throwIfAny(issues: Issue[], what: string): void {
  if (issues.length > 0) throw new ValidationError(issues, "args.", what);
}

export function validateNetworkArgs(args: { zones: readonly string[]; network: NetworkConfig; environment: Environment }): void {
  throwIfAny([...zoneIssues(args.zones, args.environment), ...networkIssues(args.network, args.zones.length, args.environment)], "Invalid Network arguments");
}

export function validateKubernetesArgs(args: { zones: readonly string[]; kubernetes: KubernetesConfig; environment: Environment }): void {
  throwIfAny([...zoneIssues(args.zones, args.environment), ...kubernetesIssues(args.kubernetes, args.environment)], "Invalid KubernetesCluster arguments");
}

export function validateVpnArgs(args: { vpn: VpnConfig }): void {
  throwIfAny(vpnIssues(args.vpn), "Invalid Vpn arguments");
}

export function validateCacheArgs(args: { cache: CacheConfig; environment: Environment; zones: readonly string[] }): void {
  throwIfAny(cacheIssues(args.cache, args.environment, args.zones.length), "Invalid Cache arguments");
}
