/**
 * OCI facts that config validation needs without loading the SDK: the commercial (oc1) regions,
 * their availability domains by the short names OKE labels nodes with (`topology.kubernetes.io/zone`,
 * docs.oracle.com ContEng/Reference/contengsupportedlabelsusecases.htm: `<REGION>-AD-<n>`, with
 * Ashburn and Phoenix the exceptions `US-ASHBURN-AD-n` and `PHX-AD-n`), and the rules OCI would
 * enforce at deploy time. In single-AD regions the platform's zones are the AD's three fault
 * domains (`FAULT-DOMAIN-1..3`): node pools spread over them in the one AD.
 * Pure data: no `@pulumi/oci` import here.
 */
import { cidrContains, parseCidr } from "../../components/cidr";
import type { NodePoolConfig } from "../../components/types";
import { DEFAULT_OCI_FLEX_SHAPE } from "../../components/types";
import {
  Issue,
  ipv4Number,
  linkLocalSessions,
  LinkLocalSession,
  ValidationError,
} from "../../components/validation";
import type { CloudCatalog, CloudConfigSections } from "../backend";
import { planOciNetwork, PRIVATE_RANGES } from "./ranges";

export { PRIVATE_RANGES } from "./ranges";

/** The three fault domains of every availability domain. */
export const FAULT_DOMAINS = ["FAULT-DOMAIN-1", "FAULT-DOMAIN-2", "FAULT-DOMAIN-3"] as const;

/** Regions with three availability domains, with their ADs' short names. */
const MULTI_AD: Record<string, readonly string[]> = {
  "us-ashburn-1": ["US-ASHBURN-AD-1", "US-ASHBURN-AD-2", "US-ASHBURN-AD-3"],
  "us-phoenix-1": ["PHX-AD-1", "PHX-AD-2", "PHX-AD-3"],
  "us-chicago-1": ["US-CHICAGO-1-AD-1", "US-CHICAGO-1-AD-2", "US-CHICAGO-1-AD-3"],
  "eu-frankfurt-1": ["EU-FRANKFURT-1-AD-1", "EU-FRANKFURT-1-AD-2", "EU-FRANKFURT-1-AD-3"],
  "uk-london-1": ["UK-LONDON-1-AD-1", "UK-LONDON-1-AD-2", "UK-LONDON-1-AD-3"],
};

/** Regions with one availability domain (`<REGION>-AD-1`). */
const SINGLE_AD: readonly string[] = [
  // Americas
  "us-sanjose-1",
  "ca-toronto-1",
  "ca-montreal-1",
  "sa-saopaulo-1",
  "sa-vinhedo-1",
  "sa-santiago-1",
  "sa-bogota-1",
  "mx-queretaro-1",
  "mx-monterrey-1",
  // Europe
  "eu-amsterdam-1",
  "eu-zurich-1",
  "eu-madrid-1",
  "eu-marseille-1",
  "eu-milan-1",
  "eu-paris-1",
  "eu-stockholm-1",
  "uk-cardiff-1",
  // Middle East and Africa
  "me-jeddah-1",
  "me-dubai-1",
  "me-abudhabi-1",
  "me-riyadh-1",
  "il-jerusalem-1",
  "af-johannesburg-1",
  // Asia Pacific
  "ap-tokyo-1",
  "ap-osaka-1",
  "ap-seoul-1",
  "ap-chuncheon-1",
  "ap-mumbai-1",
  "ap-hyderabad-1",
  "ap-singapore-1",
  "ap-singapore-2",
  "ap-sydney-1",
  "ap-melbourne-1",
];

/** Whether a region has a single availability domain (zones are then its fault domains). */
export function isSingleAdRegion(region: string): boolean {
  return SINGLE_AD.includes(region);
}

/** The short names of a region's availability domains. */
export function availabilityDomains(region: string): readonly string[] {
  return MULTI_AD[region] ?? (isSingleAdRegion(region) ? [`${region.toUpperCase()}-AD-1`] : []);
}

/**
 * Where a configured zone puts nodes: its AD (short name) and, in single-AD regions, the fault
 * domain. Multi-AD zones leave the fault domain to OKE, which spreads over all three.
 */
export function placementOf(region: string, zone: string): { ad: string; faultDomain?: string } {
  if (isSingleAdRegion(region)) return { ad: availabilityDomains(region)[0], faultDomain: zone };
  return { ad: zone };
}

export const OCI_CATALOG: CloudCatalog = {
  regions: {
    ...MULTI_AD,
    ...Object.fromEntries(SINGLE_AD.map((region) => [region, FAULT_DOMAINS])),
  },
  configIssues: (config) => ociConfigIssues(config),
  // A private flexible load balancer in the cluster's load-balancer subnet (the OKE cluster's
  // serviceLbSubnetIds), 10-100 Mbps. Security lists stay ours: the load-balancer subnet admits
  // 443 from private networks and the nodes' NSG admits the VCN (OKE docs, "Creating internal
  // load balancers"; oci-cloud-controller-manager load-balancer annotations).
  privateLoadBalancerAnnotations: {
    "service.beta.kubernetes.io/oci-load-balancer-internal": "true",
    "service.beta.kubernetes.io/oci-load-balancer-shape": "flexible",
    "service.beta.kubernetes.io/oci-load-balancer-shape-flex-min": "10",
    "service.beta.kubernetes.io/oci-load-balancer-shape-flex-max": "100",
    "service.beta.kubernetes.io/oci-load-balancer-security-list-management-mode": "None",
  },
  // Nodes carry their AD's short name; in a single-AD region every fault domain is the one AD.
  nodeZoneLabel: (region, zone) => placementOf(region, zone).ad,
};

/** OCI Logging keeps a log 30 to 180 days, in 30-day steps (`retentionDuration`). */
export const MAX_LOG_RETENTION_DAYS = 180;

/** A retention in days as OCI Logging takes it: the next 30-day step, at most 180. */
export function logRetentionDuration(days: number): number {
  return Math.min(MAX_LOG_RETENTION_DAYS, Math.max(30, Math.ceil(days / 30) * 30));
}

/** OKE boot volumes: at least 50 GB (the platform image's size). */
export const MIN_BOOT_VOLUME_GB = 50;

/**
 * Shapes OKE refuses for managed nodes: the Always Free micro shape (1 GB) and the retired first
 * generation (`*.Standard1.*`, `*.DenseIO1.*`, `*.HighIO1.*`).
 */
export const REFUSED_SHAPES =
  /^(VM\.Standard\.E2\.1\.Micro|(VM|BM)\.(Standard1|DenseIO1|HighIO1)\..*)$/;
/** The form of a compute shape name. */
export const SHAPE = /^(VM|BM)\.[A-Za-z0-9]+(\.[A-Za-z0-9]+)+$/;

/** Flexible shapes take 1 to 64 GB per OCPU (E3/E4/E5/A1 Flex). */
export const FLEX_GB_PER_OCPU = { min: 1, max: 64 } as const;

/** Whether a shape is flexible (sized by `nodeShapeConfig`). */
export function isFlexShape(shape: string): boolean {
  return shape.endsWith(".Flex");
}

/** OCI Cache node memory per size (GB); `cache.nodeType` may give it directly ("16"). */
export const CACHE_MEMORY_GB = { small: 8, medium: 16, large: 32 } as const;
export const CACHE_MEMORY_RANGE = { min: 2, max: 500 } as const;
/** A non-sharded OCI Cache cluster has 1 to 5 nodes. */
export const MAX_CACHE_NODES = 5;

/** OCI Cache engine versions (`softwareVersion`) per engine and version. */
export const CACHE_SOFTWARE_VERSIONS: Record<"valkey" | "redis", Record<string, string>> = {
  valkey: { "7.2": "VALKEY_7_2" },
  redis: { "7.0": "REDIS_7_0" },
};
export const DEFAULT_CACHE_VERSION = { valkey: "7.2", redis: "7.0" } as const;

/** OCI Cache's `softwareVersion` for an engine and optional version; undefined when not offered. */
export function cacheSoftwareVersion(
  engine: "valkey" | "redis",
  version: string | undefined,
): string | undefined {
  return CACHE_SOFTWARE_VERSIONS[engine][version ?? DEFAULT_CACHE_VERSION[engine]];
}

/** A backup schedule as OCI's backup policies take it: daily or weekly, at a UTC hour. */
export interface OciSchedule {
  readonly period: "daily" | "weekly";
  readonly hourOfDay: number;
  /** MONDAY..SUNDAY, weekly only. */
  readonly dayOfWeek?: string;
}

const DAYS = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"];
const DAY_NAMES: Record<string, number> = {
  SUN: 0,
  MON: 1,
  TUE: 2,
  WED: 3,
  THU: 4,
  FRI: 5,
  SAT: 6,
};

/**
 * The schedule of `backup.schedule`: the AWS form of the shared default (`cron(0 3 * * ? *)`) or a
 * five-field Unix cron, either one run a day at a whole hour (`M H * * *`) or one a week
 * (`M H * * D`, D a weekday number or name). OCI's volume backup policies and File Storage
 * snapshot policies run at a whole hour: the minute must be 0.
 */
export function parseOciSchedule(schedule: string): OciSchedule | { error: string } {
  const aws = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(schedule);
  const unix = /^(\S+) (\S+) (\S+) (\S+) (\S+)$/.exec(schedule);
  const f = aws ? aws.slice(1, 6) : unix ? unix.slice(1, 6) : undefined;
  const hint =
    'must run once a day or once a week at a whole UTC hour, e.g. "cron(0 3 * * ? *)", "0 3 * * *" or "0 3 * * SUN"';
  if (!f || (aws && aws[6] !== "*")) return { error: hint };
  const [minute, hour, day, month, weekday] = f;
  if (minute !== "0" || !/^\d+$/.test(hour) || Number(hour) > 23) return { error: hint };
  if (!["*", "?"].includes(day) || month !== "*") return { error: hint };
  const hourOfDay = Number(hour);
  if (weekday === "*" || weekday === "?") return { period: "daily", hourOfDay };
  const n = /^\d$/.test(weekday)
    ? aws
      ? Number(weekday) - 1 // AWS: 1 = Sunday
      : Number(weekday) % 7
    : DAY_NAMES[weekday.toUpperCase()];
  if (n === undefined || n < 0 || n > 6) return { error: hint };
  return { period: "weekly", hourOfDay, dayOfWeek: DAYS[n] };
}

/** BGP over OCI IPSec tunnels: a /30 per tunnel inside 169.254.0.0/16, as on the other clouds. */
export const BGP_LINK_LOCAL_RANGE = "169.254.0.0/16";
/** Each IPSec connection has two tunnels. */
export const TUNNELS = 2;

/**
 * The BGP sessions of peer `peerIndex`'s two tunnels: the peer keeps `peerAddress` (or the derived
 * 169.254.(110 + i).2) in tunnel 1's /30, tunnel 2 takes the next /30, Oracle the other host.
 */
export function ociBgpSessions(peerIndex: number, peerAddress?: string): LinkLocalSession[] {
  return linkLocalSessions(peerAddress ?? `169.254.${110 + peerIndex}.2`, TUNNELS);
}

/** A cluster admin: an IAM group's OCID (OCI policies grant to groups, never to single users). */
export const ADMIN_GROUP = /^ocid1\.group\.[a-z0-9-]+\.[a-z0-9-]*\.[a-z0-9]+$/;

/** The shape problems of one pool. */
function poolIssues(pool: NodePoolConfig, i: number): Issue[] {
  const issues: Issue[] = [];
  const at = `kubernetes.nodePools[${i}]`;
  if (pool.instanceTypes.length > 1) {
    issues.push({
      path: `${at}.instanceTypes`,
      value: pool.instanceTypes,
      message:
        "an OKE node pool has one shape; list exactly one (make another pool for another shape)",
    });
  }
  const shape = pool.instanceTypes[0];
  if (shape !== undefined) {
    if (!SHAPE.test(shape) || REFUSED_SHAPES.test(shape)) {
      issues.push({
        path: `${at}.instanceTypes[0]`,
        value: shape,
        message: REFUSED_SHAPES.test(shape)
          ? "is a shape OKE refuses for worker nodes (Always Free micro or first generation); use e.g. VM.Standard.E5.Flex"
          : "must be an OCI compute shape, e.g. VM.Standard.E5.Flex or VM.Standard.A1.Flex",
      });
    } else if (pool.spot && shape.startsWith("BM.")) {
      issues.push({
        path: `${at}.spot`,
        value: true,
        message: `preemptible capacity is for VM shapes only; ${shape} is bare metal`,
      });
    }
  }
  if (pool.diskSizeGb < MIN_BOOT_VOLUME_GB) {
    issues.push({
      path: `${at}.diskSizeGb`,
      value: pool.diskSizeGb,
      message: `OKE boot volumes are at least ${MIN_BOOT_VOLUME_GB} GB`,
    });
  }
  return issues;
}

/**
 * `oci.flexShapes` sizes flexible shapes by shape name, for every pool on that shape (keyed by
 * shape rather than pool, so renaming a pool never orphans its size): each key must be a `*.Flex`
 * shape some pool uses, and each size (the default too) within 1-64 GB per OCPU.
 */
function flexShapeIssues(
  pools: readonly NodePoolConfig[],
  sizes: Readonly<Record<string, { ocpus: number; memoryInGbs: number }>>,
): Issue[] {
  const issues: Issue[] = [];
  const used = new Set(
    pools.map((p) => p.instanceTypes[0]).filter((s) => s !== undefined && isFlexShape(s)),
  );
  for (const [shape, size] of Object.entries(sizes)) {
    if (!used.has(shape))
      issues.push({
        path: `oci.flexShapes.${shape}`,
        value: size,
        message: `sizes no pool's shape: give the *.Flex shape a pool uses (${[...used].join(", ") || "none"})`,
      });
  }
  for (const shape of used) {
    const { ocpus, memoryInGbs } = sizes[shape] ?? DEFAULT_OCI_FLEX_SHAPE;
    const perOcpu = memoryInGbs / ocpus;
    if (perOcpu < FLEX_GB_PER_OCPU.min || perOcpu > FLEX_GB_PER_OCPU.max)
      issues.push({
        path: `oci.flexShapes.${shape}`,
        value: sizes[shape] ?? DEFAULT_OCI_FLEX_SHAPE,
        message: `flexible shapes take ${FLEX_GB_PER_OCPU.min} to ${FLEX_GB_PER_OCPU.max} GB of memory per OCPU`,
      });
  }
  return issues;
}

/**
 * What OCI would refuse at deploy time, caught before anything is created. Paths are relative to
 * the config root; programs/config.ts runs it for `cloud: oci`.
 */
export function ociConfigIssues(config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  if (config.network && config.network.flowLogRetentionDays > MAX_LOG_RETENTION_DAYS) {
    issues.push({
      path: "network.flowLogRetentionDays",
      value: config.network.flowLogRetentionDays,
      message: `OCI Logging keeps logs at most ${MAX_LOG_RETENTION_DAYS} days (shorter retentions are rounded up to its 30-day steps)`,
    });
  }
  if (config.network && parseCidr(config.network.cidr)) {
    // The address plan, at config time rather than when the network layer runs (a malformed
    // CIDR is the shared rules' to report).
    try {
      planOciNetwork(config.network);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues.push(...err.issues);
    }
  }
  const k8s = config.kubernetes;
  if (k8s) {
    k8s.nodePools.forEach((pool, i) => issues.push(...poolIssues(pool, i)));
    issues.push(...flexShapeIssues(k8s.nodePools, config.oci?.flexShapes ?? {}));
    if (k8s.endpoint.publicAccessCidrs.length > 0) {
      issues.push({
        path: "kubernetes.endpoint.publicAccessCidrs",
        value: k8s.endpoint.publicAccessCidrs,
        message:
          "is not built on OCI: the API endpoint is private only (reach it from the VCN or over the VPN, kubernetes.endpoint.privateAccessCidrs)",
      });
    }
    if (k8s.endpoint.dnsAccess === true) {
      issues.push({
        path: "kubernetes.endpoint.dnsAccess",
        value: true,
        message:
          "is GKE only; OKE's endpoint is the private IP (or a public one with publicAccessCidrs)",
      });
    }
    k8s.adminPrincipals.forEach((principal, i) => {
      if (!ADMIN_GROUP.test(principal))
        issues.push({
          path: `kubernetes.adminPrincipals[${i}]`,
          value: principal,
          message:
            "must be an OCI IAM group OCID (ocid1.group.oc1..aaaa...): OCI policies grant to groups",
        });
    });
  }
  const cache = config.cache;
  if (cache?.enabled) {
    if (cacheSoftwareVersion(cache.engine, cache.version) === undefined) {
      const offered = Object.keys(CACHE_SOFTWARE_VERSIONS[cache.engine]).join(", ");
      issues.push({
        path: "cache.version",
        value: cache.version ?? "",
        message: `OCI Cache offers ${cache.engine} ${offered}`,
      });
    }
    if (cache.nodeType !== undefined) {
      const gb = Number(cache.nodeType);
      if (
        !/^\d+$/.test(cache.nodeType) ||
        gb < CACHE_MEMORY_RANGE.min ||
        gb > CACHE_MEMORY_RANGE.max
      )
        issues.push({
          path: "cache.nodeType",
          value: cache.nodeType,
          message: `on OCI is the node memory in GB, ${CACHE_MEMORY_RANGE.min}-${CACHE_MEMORY_RANGE.max}, e.g. "16"`,
        });
    }
    if (cache.replicas + 1 > MAX_CACHE_NODES)
      issues.push({
        path: "cache.replicas",
        value: cache.replicas,
        message: `an OCI Cache cluster has at most ${MAX_CACHE_NODES} nodes (a primary and ${MAX_CACHE_NODES - 1} replicas)`,
      });
  }
  if (config.backup?.enabled && config.backup.diskSnapshots !== "off")
    issues.push({
      path: "backup.diskSnapshots",
      value: config.backup.diskSnapshots ?? "",
      message:
        'must be "off" on OCI with backups on: OCI assigns a volume backup policy per volume, with no tag selection, so no policy can cover the volumes the Block Volume CSI driver creates; claims are backed up by Velero\'s file-system backups to the backups bucket instead (with oci.veleroPluginImage, docs/clouds/oci.md), and File Storage keeps its snapshot policy',
    });
  if (config.oci && config.oci.imageSigningKeyIds.length > 0)
    issues.push({
      path: "oci.imageSigningKeyIds",
      value: config.oci.imageSigningKeyIds.join(", "),
      message:
        "is not supported: with image verification on, OKE admits only signed images referenced by digest from OCI Registry, and the platform's charts pull unsigned upstream images by tag (nothing would start); remove it",
    });
  if (config.backup?.enabled) {
    const parsed = parseOciSchedule(config.backup.schedule);
    if ("error" in parsed)
      issues.push({
        path: "backup.schedule",
        value: config.backup.schedule,
        message: parsed.error,
      });
  }
  if (config.vpn?.enabled) {
    config.vpn.peers.forEach((peer, i) => {
      peer.cidrs.forEach((cidr, j) => {
        if (parseCidr(cidr) && !PRIVATE_RANGES.some((range) => cidrContains(range, cidr)))
          issues.push({
            path: `vpn.peers[${i}].cidrs[${j}]`,
            value: cidr,
            message: `must be inside ${PRIVATE_RANGES.join(", ")}: the network routes those ranges to the DRG`,
          });
      });
      const address = peer.bgpPeerAddress;
      if (address === undefined || ipv4Number(address) === undefined) return;
      const n = ipv4Number(address)!;
      const sessions = ociBgpSessions(i, address);
      if (
        !cidrContains(BGP_LINK_LOCAL_RANGE, `${address}/32`) ||
        !(n % 4 === 1 || n % 4 === 2) ||
        !cidrContains(BGP_LINK_LOCAL_RANGE, sessions[1].range)
      )
        issues.push({
          path: `vpn.peers[${i}].bgpPeerAddress`,
          value: address,
          message: `must be a host (.1 or .2) of a /30 in ${BGP_LINK_LOCAL_RANGE} with room for tunnel 2's /30 after it, e.g. 169.254.21.2`,
        });
    });
  }
  return issues;
}
