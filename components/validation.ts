/**
 * Cross-field rules of each layer, shared by the components (which throw before creating any
 * child) and the stack-config parser (which reports them with full `officeless:` keys).
 * Each rule yields an issue with the path of the offending field, its value and what is allowed.
 */
import {
  cidrContains,
  cidrsOverlap,
  formatCidr,
  isIpv4,
  parseCidr,
  planSubnets,
  SubnetPlanError,
} from "./cidr";
import {
  BACKUP_SELECTION_TAG,
  BackupConfig,
  CacheConfig,
  Environment,
  KubernetesConfig,
  NetworkConfig,
  ObservabilityConfig,
  StorageConfig,
  TAG_KEYS,
  Tags,
  VpnConfig,
} from "./types";
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from "./versions";

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
          .map(
            (i) =>
              `  - ${prefix}${i.path}${"value" in i ? ` = ${showValue(i.value)}` : ""}: ${i.message}`,
          )
          .join("\n"),
    );
    this.name = "ValidationError";
  }
}

/** Levenshtein distance, case-insensitive: `nodepools` is 0 away from `nodePools`. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[y.length];
}

/** The closest candidate when it is close enough to be a typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 4));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Minimum zones for an environment: prod must survive a zone loss with a majority left. */
export function minZones(environment: Environment): number {
  return environment === "prod" ? 3 : 1;
}

export function zoneIssues(zones: readonly string[], environment: Environment): Issue[] {
  const issues: Issue[] = [];
  const min = minZones(environment);
  if (zones.length < min) {
    issues.push({
      path: "zones",
      value: zones,
      message: `${environment} needs at least ${min} zones, got ${zones.length}`,
    });
  }
  const dupes = zones.filter((z, i) => zones.indexOf(z) !== i);
  if (dupes.length > 0)
    issues.push({
      path: "zones",
      value: zones,
      message: `zones must be distinct; repeated: ${dupes.join(", ")}`,
    });
  return issues;
}

export function networkIssues(
  network: NetworkConfig,
  zoneCount: number,
  environment: Environment,
): Issue[] {
  const issues: Issue[] = [];
  const range = parseCidr(network.cidr);
  if (!range) {
    issues.push({
      path: "network.cidr",
      value: network.cidr,
      message: "must be an IPv4 CIDR with zero host bits, e.g. 10.0.0.0/16",
    });
  } else if (range.prefix < 16 || range.prefix > 24) {
    issues.push({
      path: "network.cidr",
      value: network.cidr,
      message: "prefix must be between /16 and /24 (the sizes clouds accept for a VPC)",
    });
  } else if (zoneCount > 0) {
    try {
      planSubnets(network.cidr, zoneCount, {
        publicPrefix: network.publicSubnetPrefix,
        privatePrefix: network.privateSubnetPrefix,
        databasePrefix: network.databaseSubnetPrefix,
      });
    } catch (err) {
      if (!(err instanceof SubnetPlanError)) throw err;
      issues.push({
        path: "network.cidr",
        value: network.cidr,
        message: `is too small for the subnets: ${err.message}; use a larger network or longer subnet prefixes (network.privateSubnetPrefix, publicSubnetPrefix, databaseSubnetPrefix)`,
      });
    }
  }
  if (environment === "prod" && network.natGateways !== "perZone") {
    issues.push({
      path: "network.natGateways",
      value: network.natGateways,
      message: "prod needs perZone so a zone failure keeps egress; single is for dev and staging",
    });
  }
  return issues;
}

export { KUBERNETES_VERSIONS };

/**
 * An endpoint allow-list: each entry a CIDR, never the whole address space, and (for networks that
 * reach the private endpoint from outside) not inside the platform's own network.
 */
function endpointCidrIssues(
  cidrs: readonly string[],
  at: string,
  wholeSpaceMessage: string,
  insideOf?: string,
): Issue[] {
  const issues: Issue[] = [];
  cidrs.forEach((cidr, i) => {
    const path = `${at}[${i}]`;
    const parsed = parseCidr(cidr);
    if (!parsed) {
      issues.push({ path, value: cidr, message: "must be an IPv4 CIDR with zero host bits" });
    } else if (parsed.prefix === 0) {
      issues.push({ path, value: cidr, message: wholeSpaceMessage });
    } else if (insideOf && cidrContains(insideOf, cidr)) {
      issues.push({
        path,
        value: cidr,
        message: `is inside the network ${insideOf}, which already reaches the endpoint; list outside networks (VPN peers)`,
      });
    }
  });
  return issues;
}

export function kubernetesIssues(
  k8s: KubernetesConfig,
  environment: Environment,
  networkCidr?: string,
): Issue[] {
  const issues: Issue[] = [];
  if (!/^1\.\d{2}$/.test(k8s.version)) {
    issues.push({
      path: "kubernetes.version",
      value: k8s.version,
      message: `must be a minor version like "${DEFAULT_KUBERNETES_VERSION}"; supported: ${KUBERNETES_VERSIONS.join(", ")}`,
    });
  } else if (!(KUBERNETES_VERSIONS as readonly string[]).includes(k8s.version)) {
    issues.push({
      path: "kubernetes.version",
      value: k8s.version,
      message: `is outside the supported window ${KUBERNETES_VERSIONS[0]}-${KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.length - 1]}`,
    });
  }
  if (k8s.nodePools.length === 0) {
    issues.push({
      path: "kubernetes.nodePools",
      value: [],
      message: "at least one node pool is needed",
    });
  }
  const names = new Set<string>();
  k8s.nodePools.forEach((pool, i) => {
    const at = `kubernetes.nodePools[${i}]`;
    if (names.has(pool.name))
      issues.push({
        path: `${at}.name`,
        value: pool.name,
        message: "node pool names must be unique",
      });
    names.add(pool.name);
    if (pool.instanceTypes.length === 0) {
      issues.push({
        path: `${at}.instanceTypes`,
        value: [],
        message: "list at least one instance type, e.g. m6i.large",
      });
    }
    if (pool.maxSize < 1)
      issues.push({ path: `${at}.maxSize`, value: pool.maxSize, message: "must be at least 1" });
    if (pool.minSize > pool.maxSize) {
      issues.push({
        path: `${at}.minSize`,
        value: pool.minSize,
        message: `must be <= maxSize (${pool.maxSize})`,
      });
    }
    if (pool.desiredSize < pool.minSize || pool.desiredSize > pool.maxSize) {
      issues.push({
        path: `${at}.desiredSize`,
        value: pool.desiredSize,
        message: `must be between minSize (${pool.minSize}) and maxSize (${pool.maxSize})`,
      });
    }
  });
  if (environment === "prod" && k8s.nodePools.length > 0 && k8s.nodePools.every((p) => p.spot)) {
    issues.push({
      path: "kubernetes.nodePools",
      value: k8s.nodePools.map((p) => p.name),
      message: "prod needs at least one on-demand (spot: false) pool",
    });
  }
  issues.push(
    ...endpointCidrIssues(
      k8s.endpoint.publicAccessCidrs,
      "kubernetes.endpoint.publicAccessCidrs",
      "opening the API to the whole internet is not allowed; list your networks (e.g. 203.0.113.0/24)",
    ),
    ...endpointCidrIssues(
      k8s.endpoint.privateAccessCidrs,
      "kubernetes.endpoint.privateAccessCidrs",
      "must not be the whole address space; list the outside networks (VPN peers, CI runners) that need the API",
      networkCidr,
    ),
  );
  return issues;
}

export function vpnIssues(vpn: VpnConfig, networkCidr?: string): Issue[] {
  const issues: Issue[] = [];
  if (!vpn.enabled) return issues;
  if (vpn.peers.length === 0)
    issues.push({
      path: "vpn.peers",
      value: [],
      message: "VPN is enabled but no peers are listed; add a peer or set vpn.enabled: false",
    });
  const names = new Set<string>();
  const seenCidrs: { cidr: string; peer: string; index: number }[] = [];
  vpn.peers.forEach((peer, i) => {
    const at = `vpn.peers[${i}]`;
    if (names.has(peer.name))
      issues.push({ path: `${at}.name`, value: peer.name, message: "peer names must be unique" });
    names.add(peer.name);
    if (!isIpv4(peer.publicIp)) {
      issues.push({
        path: `${at}.publicIp`,
        value: peer.publicIp,
        message: "must be an IPv4 address, e.g. 198.51.100.7",
      });
    } else if (!isPublicIpv4(peer.publicIp)) {
      issues.push({
        path: `${at}.publicIp`,
        value: peer.publicIp,
        message:
          "must be the peer device's public (internet-routable) address, not a private, loopback or reserved one",
      });
    }
    if (peer.cidrs.length === 0)
      issues.push({
        path: `${at}.cidrs`,
        value: [],
        message: "list at least one network behind the peer",
      });
    peer.cidrs.forEach((cidr, j) => {
      const path = `${at}.cidrs[${j}]`;
      if (!parseCidr(cidr)) {
        issues.push({ path, value: cidr, message: "must be an IPv4 CIDR with zero host bits" });
        return;
      }
      if (networkCidr && parseCidr(networkCidr) && cidrsOverlap(networkCidr, cidr)) {
        issues.push({
          path,
          value: cidr,
          message: `overlaps the platform network ${networkCidr}; peer networks must be disjoint from it`,
        });
      }
      const clash = seenCidrs.find((c) => cidrsOverlap(c.cidr, cidr));
      if (clash) {
        const owner =
          clash.index === i
            ? "listed earlier for this peer"
            : `of peer "${clash.peer}" (vpn.peers[${clash.index}])`;
        issues.push({
          path,
          value: cidr,
          message: `overlaps ${clash.cidr} ${owner}; routes over the tunnels must be disjoint`,
        });
      }
      seenCidrs.push({ cidr, peer: peer.name, index: i });
    });
    if (
      peer.bgpAsn !== undefined &&
      (peer.bgpAsn < 1 || peer.bgpAsn > 4294967295 || peer.bgpAsn === 7224)
    ) {
      issues.push({
        path: `${at}.bgpAsn`,
        value: peer.bgpAsn,
        message: "must be a valid ASN (1-4294967295), not AWS's 7224",
      });
    }
    // Which addresses a cloud accepts is its own rule (providers/<cloud>/catalog.ts).
    if (peer.bgpPeerAddress !== undefined) {
      const path = `${at}.bgpPeerAddress`;
      const other = vpn.peers.findIndex((p) => p.bgpPeerAddress === peer.bgpPeerAddress);
      if (!isIpv4(peer.bgpPeerAddress)) {
        issues.push({
          path,
          value: peer.bgpPeerAddress,
          message:
            "must be an IPv4 address (the peer's BGP address inside the tunnel), e.g. 169.254.21.2",
        });
      } else if (other < i) {
        issues.push({
          path,
          value: peer.bgpPeerAddress,
          message: `is already the BGP address of peer "${vpn.peers[other].name}" (vpn.peers[${other}]); each peer needs its own`,
        });
      }
    }
  });
  return issues;
}

/** An IPv4 address as a number, or undefined when `ip` is not one. */
export function ipv4Number(ip: string): number | undefined {
  return isIpv4(ip) ? parseCidr(`${ip}/32`)?.start : undefined;
}

/** A number as an IPv4 address. */
export function ipv4Text(n: number): string {
  return formatCidr(n, 32).split("/")[0];
}

/** One tunnel's BGP session in a /30: its range, the cloud's address and the peer's. */
export interface LinkLocalSession {
  /** The /30, e.g. `169.254.21.0/30`. */
  readonly range: string;
  readonly cloudAddress: string;
  readonly peerAddress: string;
}

/**
 * BGP sessions in consecutive /30s, one per tunnel, from the peer's address in the first: tunnel
 * `t` uses the /30 `4t` addresses further on, the peer keeps its host in it and the cloud takes the
 * other one (.1 and .2 of a /30 are its only hosts). `peerAddress` must be an IPv4 address and a
 * host of its /30; which ranges and hosts a cloud accepts is checked by its catalog.
 */
export function linkLocalSessions(peerAddress: string, tunnels: number): LinkLocalSession[] {
  const first = ipv4Number(peerAddress);
  if (first === undefined) throw new Error(`"${peerAddress}" is not an IPv4 address`);
  return Array.from({ length: tunnels }, (_, t) => {
    const peer = first + 4 * t;
    const network = peer - (peer % 4);
    return {
      range: formatCidr(network, 30),
      cloudAddress: ipv4Text(network + (peer % 4 === 1 ? 2 : 1)),
      peerAddress: ipv4Text(peer),
    };
  });
}

export function cacheIssues(
  cache: CacheConfig,
  environment: Environment,
  zoneCount: number,
): Issue[] {
  const issues: Issue[] = [];
  if (!cache.enabled) return issues;
  if (cache.highAvailability && cache.replicas < 1) {
    issues.push({
      path: "cache.replicas",
      value: cache.replicas,
      message: "high availability needs at least 1 replica",
    });
  }
  if (environment === "prod" && !cache.highAvailability) {
    issues.push({
      path: "cache.highAvailability",
      value: false,
      message: "prod needs a multi-zone cache with automatic failover",
    });
  }
  if (cache.highAvailability && zoneCount < 2) {
    issues.push({ path: "cache.highAvailability", value: true, message: "needs at least 2 zones" });
  }
  return issues;
}

/** Observability's volumes (Mimir, Loki, Tempo) are claimed from the cluster's default StorageClass. */
export function storageIssues(
  storage: StorageConfig,
  observability?: ObservabilityConfig,
): Issue[] {
  if (storage.block.defaultClass || !observability?.enabled) return [];
  return [
    {
      path: "storage.block.defaultClass",
      value: false,
      message:
        "observability is on and its volumes use the default StorageClass; keep this true or set observability.enabled: false",
    },
  ];
}

export function backupIssues(backup: BackupConfig, environment: Environment): Issue[] {
  const issues: Issue[] = [];
  if (environment === "prod" && !backup.enabled) {
    issues.push({
      path: "backup.enabled",
      value: false,
      message: "prod needs backups of its volumes and file systems; set backup.enabled: true",
    });
  }
  if (backup.enabled && backup.retentionDays < 1) {
    issues.push({
      path: "backup.retentionDays",
      value: backup.retentionDays,
      message: "must be at least 1 day",
    });
  }
  return issues;
}

/** Tag keys the platform sets itself; a user tag with one of these would be silently overwritten. */
export const RESERVED_TAG_KEYS: readonly string[] = [
  TAG_KEYS.environment,
  TAG_KEYS.layer,
  TAG_KEYS.managedBy,
  BACKUP_SELECTION_TAG,
];
/** Tags each resource may carry besides the user's: the platform's own plus `Name`. */
const PLATFORM_TAG_COUNT = RESERVED_TAG_KEYS.length + 1;
/** AWS's limit per resource (the strictest of the clouds that have one besides GCP's 64 labels). */
const MAX_TAGS = 50;
/** AWS tag characters: letters, digits, spaces and `_ . : / = + - @`. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function tagIssues(tags: Tags): Issue[] {
  const issues: Issue[] = [];
  const keys = Object.keys(tags);
  if (keys.length > MAX_TAGS - PLATFORM_TAG_COUNT) {
    issues.push({
      path: "tags",
      value: keys.length,
      message: `at most ${MAX_TAGS - PLATFORM_TAG_COUNT} user tags: resources carry ${PLATFORM_TAG_COUNT} platform tags and AWS allows ${MAX_TAGS}`,
    });
  }
  for (const key of keys) {
    const path = `tags.${key}`;
    const value = tags[key];
    if (RESERVED_TAG_KEYS.includes(key.toLowerCase())) {
      issues.push({
        path,
        value,
        message: `"${key}" is set by the platform; reserved keys: ${RESERVED_TAG_KEYS.join(", ")}`,
      });
    } else if (key.toLowerCase().startsWith("aws:")) {
      issues.push({ path, value, message: 'keys starting with "aws:" are reserved by AWS' });
    }
    if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) {
      issues.push({
        path,
        value,
        message: "tag keys must be 1-128 characters of letters, digits, spaces and _ . : / = + - @",
      });
    }
    if (value.length > 256 || !TAG_TEXT.test(value)) {
      issues.push({
        path,
        value,
        message:
          "tag values must be at most 256 characters of letters, digits, spaces and _ . : / = + - @",
      });
    }
  }
  return issues;
}

/** Ranges that never appear as a source address on the internet (RFC 1918, 6598, 1122, 3927, 5771, 1112). */
const NON_PUBLIC_RANGES = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/3",
];

/** Whether an IPv4 address can be a VPN peer's internet endpoint. Documentation ranges (TEST-NET) pass. */
export function isPublicIpv4(ip: string): boolean {
  return isIpv4(ip) && !NON_PUBLIC_RANGES.some((range) => cidrContains(range, `${ip}/32`));
}

function throwIfAny(issues: Issue[], what: string): void {
  if (issues.length > 0) throw new ValidationError(issues, "args.", what);
}

export function validateNetworkArgs(args: {
  zones: readonly string[];
  network: NetworkConfig;
  environment: Environment;
}): void {
  throwIfAny(
    [
      ...zoneIssues(args.zones, args.environment),
      ...networkIssues(args.network, args.zones.length, args.environment),
    ],
    "Invalid Network arguments",
  );
}

export function validateKubernetesArgs(args: {
  zones: readonly string[];
  kubernetes: KubernetesConfig;
  environment: Environment;
}): void {
  throwIfAny(
    [
      ...zoneIssues(args.zones, args.environment),
      ...kubernetesIssues(args.kubernetes, args.environment),
    ],
    "Invalid KubernetesCluster arguments",
  );
}

export function validateVpnArgs(args: { vpn: VpnConfig }): void {
  throwIfAny(vpnIssues(args.vpn), "Invalid Vpn arguments");
}

export function validateCacheArgs(args: {
  cache: CacheConfig;
  environment: Environment;
  zones: readonly string[];
}): void {
  throwIfAny(
    cacheIssues(args.cache, args.environment, args.zones.length),
    "Invalid Cache arguments",
  );
}

export function validateBackupArgs(args: { backup: BackupConfig; environment: Environment }): void {
  throwIfAny(backupIssues(args.backup, args.environment), "Invalid Backup arguments");
}
