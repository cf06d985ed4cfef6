/**
 * GCP facts that config validation needs without loading the SDK: the main regions and their zone
 * names, and the rules Google Cloud would enforce at deploy time. Zone letters are not contiguous
 * (us-central1 has a, b, c and f; europe-west1 has b, c and d): every zone a project can use is
 * listed, so a valid zone is never rejected. AI and sovereign-only zones are left out.
 * Pure data: no `@pulumi/gcp` import here.
 */
import { cidrContains, parseCidr } from "../../components/cidr";
import { AWS_CRON, convertCron, UNIX_CRON } from "../../components/cron";
import type { VpnPeerConfig } from "../../components/types";
import {
  Issue,
  ipv4Number,
  LinkLocalSession,
  linkLocalSessions,
  ValidationError,
} from "../../components/validation";
import type { CloudCatalog, CloudConfigSections } from "../backend";
import { planGcpNetwork } from "./ranges";

/** `region-` + letters, e.g. `zonesOf("europe-west1", "bcd")` = europe-west1-b, -c, -d. */
function zonesOf(region: string, letters: string): readonly string[] {
  return [...letters].map((letter) => `${region}-${letter}`);
}

export const GCP_CATALOG: CloudCatalog = {
  configIssues: (config) => gcpConfigIssues(config),
  // GKE's internal passthrough Network Load Balancer, in the cluster's subnet.
  // Global access: an internal passthrough LB admits clients of its own region only otherwise,
  // and remote platforms or VPN/peering routes may arrive from another region.
  privateLoadBalancerAnnotations: {
    "networking.gke.io/load-balancer-type": "Internal",
    "networking.gke.io/internal-load-balancer-allow-global-access": "true",
  },
  regions: {
    // North America
    "us-central1": zonesOf("us-central1", "abcf"),
    "us-east1": zonesOf("us-east1", "bcd"),
    "us-east4": zonesOf("us-east4", "abc"),
    "us-east5": zonesOf("us-east5", "abc"),
    "us-south1": zonesOf("us-south1", "abc"),
    "us-west1": zonesOf("us-west1", "abc"),
    "us-west2": zonesOf("us-west2", "abc"),
    "us-west3": zonesOf("us-west3", "abc"),
    "us-west4": zonesOf("us-west4", "abc"),
    "northamerica-northeast1": zonesOf("northamerica-northeast1", "abc"),
    "northamerica-northeast2": zonesOf("northamerica-northeast2", "abc"),
    "northamerica-south1": zonesOf("northamerica-south1", "abc"),
    // South America
    "southamerica-east1": zonesOf("southamerica-east1", "abc"),
    "southamerica-west1": zonesOf("southamerica-west1", "abc"),
    // Europe
    "europe-west1": zonesOf("europe-west1", "bcd"),
    "europe-west2": zonesOf("europe-west2", "abc"),
    "europe-west3": zonesOf("europe-west3", "abc"),
    "europe-west4": zonesOf("europe-west4", "abc"),
    "europe-west6": zonesOf("europe-west6", "abc"),
    "europe-west8": zonesOf("europe-west8", "abc"),
    "europe-west9": zonesOf("europe-west9", "abc"),
    "europe-west10": zonesOf("europe-west10", "abc"),
    "europe-west12": zonesOf("europe-west12", "abc"),
    "europe-central2": zonesOf("europe-central2", "abc"),
    "europe-north1": zonesOf("europe-north1", "abc"),
    "europe-north2": zonesOf("europe-north2", "abc"),
    "europe-southwest1": zonesOf("europe-southwest1", "abc"),
    // Middle East and Africa
    "me-central1": zonesOf("me-central1", "abc"),
    "me-central2": zonesOf("me-central2", "abc"),
    "me-west1": zonesOf("me-west1", "abc"),
    "africa-south1": zonesOf("africa-south1", "abc"),
    // Asia Pacific
    "asia-east1": zonesOf("asia-east1", "abc"),
    "asia-east2": zonesOf("asia-east2", "abc"),
    "asia-northeast1": zonesOf("asia-northeast1", "abc"),
    "asia-northeast2": zonesOf("asia-northeast2", "abc"),
    "asia-northeast3": zonesOf("asia-northeast3", "abc"),
    "asia-south1": zonesOf("asia-south1", "abc"),
    "asia-south2": zonesOf("asia-south2", "abc"),
    "asia-southeast1": zonesOf("asia-southeast1", "abc"),
    "asia-southeast2": zonesOf("asia-southeast2", "abc"),
    "australia-southeast1": zonesOf("australia-southeast1", "abc"),
    "australia-southeast2": zonesOf("australia-southeast2", "abc"),
  },
};

/** "google" and its close misspellings, which Cloud Storage bucket names may not contain. */
const GOOGLE_LIKE = /g[o0]{2}gle/;

/** Cloud Logging buckets keep logs 1 to 3650 days. */
export const MAX_LOG_RETENTION_DAYS = 3650;

/** Memorystore for Valkey node types (`nodeType`), smallest first. */
export const VALKEY_NODE_TYPES: readonly string[] = [
  "SHARED_CORE_NANO",
  "STANDARD_SMALL",
  "HIGHMEM_MEDIUM",
  "HIGHMEM_XLARGE",
];

/** Backup for GKE's RetentionPolicy bounds (@pulumi/gcp 9.37 types/input.d.ts BackupPlanRetentionPolicy). */
export const MAX_BACKUP_RETAIN_DAYS = 365;
/** backupDeleteLockDays "must be an integer value between 0-90 (inclusive)". */
export const MAX_BACKUP_DELETE_LOCK_DAYS = 90;

export { AWS_CRON, convertCron, UNIX_CRON };

const CRON_NAMES: Record<string, number> = Object.fromEntries([
  ...["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"].map((d, i) => [d, i]),
  ...["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"].map(
    (m, i) => [m, i + 1],
  ),
]);

/** The values one cron field selects in [min, max], or undefined when it is not plain cron. */
function cronField(field: string, min: number, max: number): Set<number> | undefined {
  const out = new Set<number>();
  const num = (t: string) => CRON_NAMES[t.toUpperCase()] ?? (/^\d+$/.test(t) ? Number(t) : NaN);
  for (const part of field.split(",")) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const [lo, hi] =
      m[1] === "*" ? [min, max] : m[1].includes("-") ? m[1].split("-").map(num) : [num(m[1]), NaN];
    const end = Number.isNaN(hi) ? (m[2] ? max : lo) : hi;
    const step = m[2] ? Number(m[2]) : 1;
    if ([lo, end].some((v) => Number.isNaN(v) || v < min || v > max) || lo > end || step < 1)
      return undefined;
    for (let v = lo; v <= end; v += step) out.add(v);
  }
  return out;
}

/**
 * The shortest time between two runs of a five-field Unix cron, in minutes (UTC, over 400 days),
 * or undefined when the expression is not plain cron. Runs fewer than twice a year count as 400 days.
 */
export function cronIntervalMinutes(cron: string): number | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [mi, ho, dom, mon, dow] = fields;
  const minutes = cronField(mi, 0, 59);
  const hours = cronField(ho, 0, 23);
  const days = cronField(dom, 1, 31);
  const months = cronField(mon, 1, 12);
  const weekdays = cronField(dow, 0, 7);
  if (!minutes || !hours || !days || !months || !weekdays) return undefined;
  if (weekdays.has(7)) weekdays.add(0);
  const start = Date.UTC(2025, 0, 1);
  const window = 400;
  const runs: number[] = [];
  for (let d = 0; d < window; d++) {
    const date = new Date(start + d * 86_400_000);
    // Standard cron: with both day fields restricted, either one matching is enough.
    const domHit = days.has(date.getUTCDate());
    const dowHit = weekdays.has(date.getUTCDay());
    const dayHit = dom === "*" || dow === "*" ? domHit && dowHit : domHit || dowHit;
    if (!dayHit || !months.has(date.getUTCMonth() + 1)) continue;
    for (const h of [...hours].sort((a, b) => a - b))
      for (const m of [...minutes].sort((a, b) => a - b)) runs.push(d * 1440 + h * 60 + m);
  }
  let shortest = window * 1440;
  for (let i = 1; i < runs.length; i++) shortest = Math.min(shortest, runs[i] - runs[i - 1]);
  return shortest;
}

/**
 * The longest `backup.retentionDays` Backup for GKE accepts with this schedule: at most 365, and at
 * most 360 times the interval between backups (an hourly plan keeps at most 15 days).
 */
export function maxBackupRetainDays(cron: string): number {
  const interval = cronIntervalMinutes(cron);
  if (interval === undefined) return MAX_BACKUP_RETAIN_DAYS;
  return Math.min(MAX_BACKUP_RETAIN_DAYS, Math.floor((360 * interval) / 1440));
}

/**
 * An IAM member granted cluster admin: a Google account, a Google group or a service account, each
 * by email. The three kinds GKE's IAM authorizer and a conditional project binding both take.
 */
export const ADMIN_MEMBER = /^(user|group|serviceAccount):[^\s@:]+@[^\s@]+\.[^\s@]+$/;

/** HA VPN gateways have two interfaces; one tunnel each gives the 99.99% SLA. */
export const TUNNEL_INTERFACES = [0, 1] as const;
/** Cloud Router's BGP sessions over HA VPN use link-local addresses. */
export const BGP_LINK_LOCAL_RANGE = "169.254.0.0/16";
/** The metadata server's /30 (169.254.169.254): never a BGP session. */
const METADATA_RANGE = "169.254.169.252/30";

/**
 * The BGP sessions of peer `peerIndex` over tunnels 0 and 1. With `peerAddress` (the peer's
 * `bgpPeerAddress`, already validated) the peer keeps that host of tunnel 0's /30 and the next /30
 * serves tunnel 1; Cloud Router takes the other host of each. Without it, the derivation the
 * platform has always used: 169.254.(100 + i).0/30 and .4/30, Cloud Router on .1 and .5, the peer
 * on .2 and .6. Stable across runs (it moves only if peers are reordered) and unique per gateway.
 */
export function gcpBgpSessions(peerIndex: number, peerAddress?: string): LinkLocalSession[] {
  return linkLocalSessions(peerAddress ?? `169.254.${100 + peerIndex}.2`, TUNNEL_INTERFACES.length);
}

/**
 * What Google Cloud would refuse at deploy time, caught before anything is created. Paths are
 * relative to the config root. programs/config.ts runs it for `cloud: gcp` and the backend runs it
 * on its own arguments, so a component built without the config parser fails the same way.
 */
export function gcpConfigIssues(config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const retention = (path: string, days: number) => {
    if (days > MAX_LOG_RETENTION_DAYS) {
      issues.push({
        path,
        value: days,
        message: `Cloud Logging keeps logs at most ${MAX_LOG_RETENTION_DAYS} days`,
      });
    }
  };
  // Every bucket name starts with the platform name (`<name>-storage-<purpose>-...`).
  if (config.name !== undefined && (/^goog/.test(config.name) || GOOGLE_LIKE.test(config.name))) {
    issues.push({
      path: "name",
      value: config.name,
      message:
        'on GCP must not start with "goog" or contain "google" (or a close misspelling such as "g00gle"): Cloud Storage refuses such bucket names, and every bucket is named after it',
    });
  }
  if (config.network) {
    retention("network.flowLogRetentionDays", config.network.flowLogRetentionDays);
    // The address plan (prefixes that do not fit, a proxy-only subnet under 64 addresses), at
    // config time rather than when the network layer runs.
    // A malformed CIDR is the shared rules' to report.
    try {
      if (parseCidr(config.network.cidr)) planGcpNetwork(config.network);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues.push(...err.issues);
    }
  }
  if (config.kubernetes) {
    retention("kubernetes.logRetentionDays", config.kubernetes.logRetentionDays);
    config.kubernetes.adminPrincipals.forEach((member, i) => {
      if (!ADMIN_MEMBER.test(member)) {
        issues.push({
          path: `kubernetes.adminPrincipals[${i}]`,
          value: member,
          message:
            "must be a Google Cloud IAM member, user:<email>, group:<email> or serviceAccount:<email>, e.g. group:platform-admins@example.com",
        });
      }
    });
  }
  if (config.backup) {
    const converted = convertCron(config.backup.schedule);
    if ("error" in converted) {
      issues.push({
        path: "backup.schedule",
        value: config.backup.schedule,
        message: converted.error,
      });
    } else {
      const max = maxBackupRetainDays(converted.cron);
      if (config.backup.retentionDays > max) {
        issues.push({
          path: "backup.retentionDays",
          value: config.backup.retentionDays,
          message: `Backup for GKE keeps a backup at most ${MAX_BACKUP_RETAIN_DAYS} days and at most 360 times the interval between backups; with backup.schedule "${config.backup.schedule}" the most is ${max}`,
        });
      }
    }
  }
  const cache = config.cache;
  if (cache?.enabled && cache.nodeType !== undefined) {
    if (cache.engine === "redis") {
      issues.push({
        path: "cache.nodeType",
        value: cache.nodeType,
        message:
          "Memorystore for Redis is sized by memory: use cache.size and leave nodeType unset",
      });
    } else if (!VALKEY_NODE_TYPES.includes(cache.nodeType)) {
      issues.push({
        path: "cache.nodeType",
        value: cache.nodeType,
        message: `must be a Memorystore for Valkey node type: ${VALKEY_NODE_TYPES.join(", ")}`,
      });
    }
  }
  if (config.vpn?.enabled) issues.push(...bgpPeerAddressIssues(config.vpn.peers));
  return issues;
}

/**
 * HA VPN's BGP sessions are link-local: `bgpPeerAddress` must be a host of a /30 in
 * 169.254.0.0/16 whose next /30 (tunnel 1's) is link-local too, and no two sessions of the gateway
 * may share a /30, derived ones included. A malformed address is the shared rules' to report.
 */
function bgpPeerAddressIssues(peers: readonly VpnPeerConfig[]): Issue[] {
  const issues: Issue[] = [];
  const valid = peers.map((peer) => {
    const n = peer.bgpPeerAddress === undefined ? undefined : ipv4Number(peer.bgpPeerAddress);
    return (
      n !== undefined &&
      cidrContains(BGP_LINK_LOCAL_RANGE, `${peer.bgpPeerAddress}/32`) &&
      (n % 4 === 1 || n % 4 === 2)
    );
  });
  // Every peer's sessions, so a configured /30 cannot land on another peer's derived one.
  const sessions = peers.map((peer, i) =>
    peer.bgpPeerAddress === undefined || valid[i] ? gcpBgpSessions(i, peer.bgpPeerAddress) : [],
  );
  peers.forEach((peer, i) => {
    const address = peer.bgpPeerAddress;
    if (address === undefined || ipv4Number(address) === undefined) return;
    const issue = (message: string) =>
      issues.push({ path: `vpn.peers[${i}].bgpPeerAddress`, value: address, message });
    if (!valid[i]) {
      issue(
        `must be a host (.1 or .2) of a /30 in ${BGP_LINK_LOCAL_RANGE}, as HA VPN's BGP sessions are link-local, e.g. 169.254.21.2 (Cloud Router takes 169.254.21.1)`,
      );
      return;
    }
    const ranges = sessions[i].map((s) => s.range);
    // A clash between two configured peers is reported once, on the later one.
    const clash = sessions.findIndex(
      (other, j) =>
        j !== i &&
        (j < i || peers[j].bgpPeerAddress === undefined) &&
        other.some((s) => ranges.includes(s.range)),
    );
    if (!cidrContains(BGP_LINK_LOCAL_RANGE, ranges[1])) {
      issue(
        `leaves no room for tunnel 1, which uses the next /30 (${ranges[1]}, outside ${BGP_LINK_LOCAL_RANGE}); pick a lower /30`,
      );
    } else if (ranges.includes(METADATA_RANGE)) {
      issue(
        `puts a BGP session in ${METADATA_RANGE}, the metadata server's /30; tunnel 1 uses the /30 after tunnel 0's, so pick another`,
      );
    } else if (clash >= 0) {
      const how = peers[clash].bgpPeerAddress === undefined ? "derived for" : "configured for";
      issue(
        `puts a BGP session in a /30 already ${how} vpn.peers[${clash}] (${sessions[clash].map((s) => s.range).join(", ")}); tunnel 1 uses the /30 after tunnel 0's`,
      );
    }
  });
  return issues;
}
