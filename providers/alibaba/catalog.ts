/**
 * Alibaba Cloud facts that config validation needs without loading the SDK: the international
 * and mainland regions with at least two zones ACK can place nodes in, and what Alibaba Cloud
 * would refuse at deploy time (node instance types, retentions, the backup schedule, the Tair
 * engine, service CIDR overlaps, the address plan). Pure data and arithmetic: no
 * `@pulumi/alicloud` import here.
 */
import { cidrContains, cidrsOverlap, parseCidr } from "../../components/cidr";
import { AWS_CRON, UNIX_CRON } from "../../components/cron";
import type { NetworkConfig, VpnPeerConfig } from "../../components/types";
import { Issue, ipv4Number, ValidationError } from "../../components/validation";
import type { CloudCatalog, CloudConfigSections } from "../backend";
import { planAlibabaNetwork } from "./ranges";

/** The fixed-size pool the kubernetes layer adds for system pods (ACK keeps them off autoscaled nodes). */
export const SYSTEM_POOL = "system";

/** Zone ids: `cn-hangzhou-h` in mainland regions, `ap-southeast-1a` where the region ends in a digit. */
const zonesOf = (region: string, letters: string) =>
  [...letters].map((l) => (/\d$/.test(region) ? `${region}${l}` : `${region}-${l}`));

/**
 * Regions with two or more zones (Alibaba Cloud "Regions and zones", checked 2026-12-01); single-zone
 * regions (Seoul, Manila, Bangkok, Dubai) cannot hold a zone-redundant platform and are left out.
 */
export const ALIBABA_REGIONS: Readonly<Record<string, readonly string[]>> = {
  // Chinese mainland
  "cn-hangzhou": zonesOf("cn-hangzhou", "bcdefghijk"),
  "cn-shanghai": zonesOf("cn-shanghai", "abcdefglmn"),
  "cn-beijing": zonesOf("cn-beijing", "acdefghijkl"),
  "cn-shenzhen": zonesOf("cn-shenzhen", "abcdef"),
  "cn-zhangjiakou": zonesOf("cn-zhangjiakou", "abc"),
  "cn-qingdao": zonesOf("cn-qingdao", "bc"),
  "cn-wulanchabu": zonesOf("cn-wulanchabu", "abc"),
  "cn-chengdu": zonesOf("cn-chengdu", "ab"),
  "cn-hongkong": zonesOf("cn-hongkong", "bcd"),
  // Asia Pacific
  "ap-southeast-1": zonesOf("ap-southeast-1", "abc"),
  "ap-southeast-3": zonesOf("ap-southeast-3", "ab"),
  "ap-southeast-5": zonesOf("ap-southeast-5", "abc"),
  "ap-northeast-1": zonesOf("ap-northeast-1", "abc"),
  // Europe and Americas
  "eu-central-1": zonesOf("eu-central-1", "abc"),
  "eu-west-1": zonesOf("eu-west-1", "ab"),
  "us-west-1": zonesOf("us-west-1", "ab"),
  "us-east-1": zonesOf("us-east-1", "ab"),
  // Middle East
  "me-central-1": zonesOf("me-central-1", "ab"),
};

/** SLS logstores keep data 1 to 3650 days (ACK's control-plane log TTL has the same bound). */
export const MAX_LOG_RETENTION_DAYS = 3650;

/**
 * The Kubernetes service CIDR every ACK cluster gets. Fixed, because ACK cannot change it after
 * creation (`serviceCidr` is create-only); it must not overlap the VPC, the VPN peers or the
 * extra API-endpoint CIDRs, which config validation checks.
 */
export const SERVICE_CIDR = "172.21.0.0/20";

/** A node pool's system disk, GiB (the provider's `system_disk_size` validator). */
export const MIN_SYSTEM_DISK_GB = 20;
export const MAX_SYSTEM_DISK_GB = 500;
/** ACK takes 1-5 control-plane vSwitches (`vswitch_ids` MaxItems): one per zone. */
export const MAX_CLUSTER_ZONES = 5;

/**
 * ECS sizes below `large` (2 vCPUs): ACK refuses worker instance types under 2 vCPUs / 4 GiB, and
 * Terway needs the secondary ENIs only larger sizes have.
 */
const TOO_SMALL = /\.(nano|micro|tiny|small|medium)$/;
/** Burstable (t5, t6) and shared (s6, n4, mn4, xn4, e4) families, which ACK does not support for workers. */
const UNSUPPORTED_FAMILY = /^ecs\.(t5|t6|s6|n4|mn4|xn4|e4)-/;
/** An ECS instance type: `ecs.<family>.<size>`, e.g. `ecs.g7.xlarge`, `ecs.c8i.2xlarge`. */
const INSTANCE_TYPE = /^ecs\.[a-z0-9][a-z0-9-]*\.[a-z0-9-]+$/;
/** A Tair memory-optimized class (the series with TDE), e.g. `tair.rdb.1g`, `tair.rdb.with.proxy.4g`. */
const CACHE_CLASS = /^tair\.rdb(\.[a-z0-9-]+)+$/;
/**
 * A cluster admin: `user:<RAM user id>` or `role:<RAM role id>` (the ids, digits, that ACK grants
 * RBAC to; the kind sets `isRamRole`, which the grant needs).
 */
export const RAM_PRINCIPAL = /^(user|role):(\d{10,24})$/;

/** ECS auto snapshot policies and HBR schedule in UTC+8 (China Standard Time). */
const POLICY_UTC_OFFSET_HOURS = 8;

/**
 * Why `backup.diskSnapshots` is asked for: no API reports the allow-list, so the operator states
 * it (ecs/autoSnapshotPolicy.d.ts, `associationType`).
 */
export const DISK_SNAPSHOT_ALLOW_LIST =
  "The disk snapshot policy selects the nodes' disks by instance tag (associationType AssociatedWithInstanceTag), which ECS enables per account only after a ticket to the ECS team; without it CreateAutoSnapshotPolicy fails with InvalidOperation.UserNotInWhiteList, and no API reports the allow-list before the deploy.";

/** When a backup runs, in the two forms Alibaba Cloud takes. */
export interface AlibabaBackupSchedule {
  /** ECS auto snapshot policy: days of the week (1 = Monday ... 7 = Sunday), in UTC+8. */
  readonly weekdays: string[];
  /** ECS auto snapshot policy: hours of the day (0-23), in UTC+8. */
  readonly hours: string[];
  /** The first run as UNIX seconds (UTC) and the interval: HBR's `I|<start>|<interval>`. */
  readonly hbr: string;
}

function list(field: string, min: number, max: number): number[] | undefined {
  if (field === "*" || field === "?")
    return Array.from({ length: max - min + 1 }, (_, i) => i + min);
  const out: number[] = [];
  for (const part of field.split(",")) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) return undefined;
    const lo = Number(range[1]);
    const hi = range[2] === undefined ? lo : Number(range[2]);
    if (lo < min || hi > max || lo > hi) return undefined;
    for (let v = lo; v <= hi; v++) out.push(v);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/**
 * The schedule in Alibaba Cloud's forms, or why it cannot be one. Takes the shared default's AWS
 * form (`cron(0 3 * * ? *)`, weekdays 1-7 from Sunday) or a Unix cron (`0 3 * * *`, weekdays 0-6
 * from Sunday), in UTC, at minute 0 on every day of the month: snapshot policies run on the hour
 * on chosen weekdays. HBR takes one start and a fixed interval, so a daily run at one hour (P1D) or
 * a weekly one (P7D).
 */
export function alibabaBackupSchedule(
  schedule: string,
): { schedule: AlibabaBackupSchedule } | { error: string } {
  let fields: string[];
  let sundayFirst: number;
  const aws = AWS_CRON.exec(schedule);
  if (aws) {
    fields = aws[1].split(" ");
    if (fields[5] !== "*") return { error: "the year field must be *" };
    sundayFirst = 1;
  } else if (UNIX_CRON.test(schedule)) {
    fields = schedule.split(" ");
    sundayFirst = 0;
  } else {
    return { error: 'must be a cron expression, "0 3 * * *" or cron(0 3 * * ? *)' };
  }
  const [minute, hour, day, month, weekday] = fields;
  if (minute !== "0") return { error: "snapshot policies run on the hour: the minute must be 0" };
  if (!["*", "?"].includes(day) || month !== "*")
    return { error: "snapshot policies run on weekdays: day of month and month must be * (or ?)" };
  const hours = list(hour, 0, 23);
  const days = list(weekday, sundayFirst, sundayFirst + 6);
  if (!hours || !days) return { error: "hours and weekdays must be numbers, ranges or lists" };
  // To UTC+8: an hour past midnight moves its run to the next weekday.
  const runs = new Set<string>();
  for (const d of days)
    for (const h of hours) {
      const shifted = h + POLICY_UTC_OFFSET_HOURS;
      // 0 = Sunday ... 6 = Saturday, then ECS's 1 = Monday ... 7 = Sunday.
      const dow = (d - sundayFirst + Math.floor(shifted / 24)) % 7;
      runs.add(`${dow === 0 ? 7 : dow}:${shifted % 24}`);
    }
  const localDays = [...new Set([...runs].map((r) => r.split(":")[0]))].sort();
  const localHours = [...new Set([...runs].map((r) => r.split(":")[1]))].sort(
    (a, b) => Number(a) - Number(b),
  );
  if (localDays.length * localHours.length !== runs.size)
    return {
      error:
        "in UTC+8 (the time zone of ECS snapshot policies) the runs do not fall on the same hours every chosen day; pick hours that stay on one side of 16:00 UTC",
    };
  if (hours.length !== 1 || (days.length !== 7 && days.length !== 1))
    return {
      error:
        "HBR (the NAS backup) takes one start time and a fixed interval: run once a day at one hour, or once a week",
    };
  // The first run on or after 2025-01-06 (a Monday) 00:00 UTC at the configured hour and weekday.
  const monday = Date.UTC(2025, 0, 6) / 1000;
  const offsetDays = days.length === 7 ? 0 : (days[0] - sundayFirst + 6) % 7;
  const start = monday + offsetDays * 86400 + hours[0] * 3600;
  return {
    schedule: {
      weekdays: localDays,
      hours: localHours,
      hbr: `I|${start}|${days.length === 7 ? "P1D" : "P7D"}`,
    },
  };
}

function retentionIssue(path: string, days: number, what: string): Issue[] {
  return days > MAX_LOG_RETENTION_DAYS
    ? [{ path, value: days, message: `${what} keeps logs at most ${MAX_LOG_RETENTION_DAYS} days` }]
    : [];
}

/** The address plan's own errors (tiers and pod vSwitches that do not fit), as issues. */
function networkPlanIssues(network: NetworkConfig, zoneCount: number): Issue[] {
  if (!parseCidr(network.cidr) || zoneCount < 1) return [];
  try {
    planAlibabaNetwork(network, zoneCount);
    return [];
  } catch (err) {
    if (err instanceof ValidationError) return [...err.issues];
    throw err;
  }
}

/** Where the fixed service CIDR would collide with a network the cluster must reach. */
function serviceCidrIssues(config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const clash = (path: string, cidr: string) => {
    if (parseCidr(cidr) && cidrsOverlap(cidr, SERVICE_CIDR))
      issues.push({
        path,
        value: cidr,
        message: `overlaps ${SERVICE_CIDR}, the Kubernetes service CIDR of every ACK cluster (fixed: ACK cannot change it after creation); pick a range outside it`,
      });
  };
  if (config.network) clash("network.cidr", config.network.cidr);
  config.kubernetes?.endpoint.privateAccessCidrs.forEach((c, i) =>
    clash(`kubernetes.endpoint.privateAccessCidrs[${i}]`, c),
  );
  if (config.vpn?.enabled)
    config.vpn.peers.forEach((peer, i) =>
      peer.cidrs.forEach((c, j) => clash(`vpn.peers[${i}].cidrs[${j}]`, c)),
    );
  return issues;
}

/** BGP sessions are /30s of 169.254.0.0/16; the peer takes a host of tunnel 0's and the next /30 serves tunnel 1. */
function bgpIssues(peers: readonly VpnPeerConfig[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<number, number>();
  peers.forEach((peer, i) => {
    const address = peer.bgpPeerAddress;
    const n = address === undefined ? undefined : ipv4Number(address);
    if (address === undefined || n === undefined) return;
    const issue = (message: string) =>
      issues.push({ path: `vpn.peers[${i}].bgpPeerAddress`, value: address, message });
    if (!cidrContains("169.254.0.0/16", `${address}/32`) || (n % 4 !== 1 && n % 4 !== 2)) {
      issue(
        "must be a host (.1 or .2) of a /30 in 169.254.0.0/16 (the VPN gateway's tunnel CIDRs are link-local /30s), e.g. 169.254.21.2",
      );
      return;
    }
    const block = n - (n % 4);
    const next = block + 4;
    if (next > (ipv4Number("169.254.255.252") ?? 0)) {
      issue("leaves no room for tunnel 1, which uses the next /30; pick a lower /30");
      return;
    }
    for (const b of [block, next]) {
      const other = seen.get(b);
      if (other !== undefined) {
        issue(
          `puts a tunnel in a /30 already used by vpn.peers[${other}]; give each peer its own pair of /30s`,
        );
        return;
      }
    }
    seen.set(block, i);
    seen.set(next, i);
  });
  return issues;
}

/**
 * What Alibaba Cloud would refuse at deploy time, caught before anything is created. Paths are
 * relative to the config root; programs/config.ts runs it for `cloud: alibaba` and the backend
 * on its own arguments.
 */
export function alibabaConfigIssues(
  config: CloudConfigSections & { readonly zones?: readonly string[] },
): Issue[] {
  const issues: Issue[] = [];
  const zoneCount = config.zones?.length ?? 3;
  if (config.zones && config.zones.length > MAX_CLUSTER_ZONES)
    issues.push({
      path: "zones",
      value: config.zones,
      message: `ACK takes at most ${MAX_CLUSTER_ZONES} vSwitches for a cluster's control plane, one per zone; give at most ${MAX_CLUSTER_ZONES} zones`,
    });
  if (config.network) {
    issues.push(
      ...retentionIssue("network.flowLogRetentionDays", config.network.flowLogRetentionDays, "SLS"),
    );
    issues.push(...networkPlanIssues(config.network, zoneCount));
  }
  issues.push(...serviceCidrIssues(config));
  const k8s = config.kubernetes;
  if (k8s) {
    issues.push(
      ...retentionIssue(
        "kubernetes.logRetentionDays",
        k8s.logRetentionDays,
        "ACK's control-plane log store",
      ),
    );
    if (k8s.endpoint.dnsAccess === true)
      issues.push({
        path: "kubernetes.endpoint.dnsAccess",
        value: true,
        message:
          "is GKE only; on ACK reach the private endpoint over the VPN or from the VPC, or allow-list a public endpoint with kubernetes.endpoint.publicAccessCidrs",
      });
    k8s.nodePools.forEach((pool, p) => {
      if (pool.name === SYSTEM_POOL)
        issues.push({
          path: `kubernetes.nodePools[${p}].name`,
          value: pool.name,
          message: `is the name of the fixed-size pool the backend adds for system pods (ACK keeps them off autoscaled nodes); choose another name`,
        });
    });
    k8s.nodePools.forEach((pool, p) =>
      pool.instanceTypes.forEach((type, t) => {
        const path = `kubernetes.nodePools[${p}].instanceTypes[${t}]`;
        if (!INSTANCE_TYPE.test(type))
          issues.push({
            path,
            value: type,
            message: "must be an ECS instance type, ecs.<family>.<size>, e.g. ecs.g7.xlarge",
          });
        else if (TOO_SMALL.test(type))
          issues.push({
            path,
            value: type,
            message:
              "is below 2 vCPUs / 4 GiB, which ACK refuses for worker nodes; use large or bigger, e.g. ecs.g7.xlarge",
          });
        else if (UNSUPPORTED_FAMILY.test(type))
          issues.push({
            path,
            value: type,
            message:
              "is a burstable or shared family, which ACK does not support for worker nodes; use an enterprise family such as g7, c7, r7 or g8i",
          });
      }),
    );
    k8s.nodePools.forEach((pool, p) => {
      if (pool.diskSizeGb < MIN_SYSTEM_DISK_GB || pool.diskSizeGb > MAX_SYSTEM_DISK_GB)
        issues.push({
          path: `kubernetes.nodePools[${p}].diskSizeGb`,
          value: pool.diskSizeGb,
          message: `ACK node pools take a system disk of ${MIN_SYSTEM_DISK_GB} to ${MAX_SYSTEM_DISK_GB} GiB`,
        });
      if (pool.instanceTypes.length > 10)
        issues.push({
          path: `kubernetes.nodePools[${p}].instanceTypes`,
          value: pool.instanceTypes,
          message: "ACK node pools take at most 10 instance types",
        });
    });
    k8s.adminPrincipals.forEach((principal, i) => {
      if (!RAM_PRINCIPAL.test(principal))
        issues.push({
          path: `kubernetes.adminPrincipals[${i}]`,
          value: principal,
          message:
            "must be user:<RAM user id> or role:<RAM role id> (the id as the RAM console shows it, digits), which ACK grants its admin RBAC role on the cluster, e.g. role:312345678901234567",
        });
    });
  }
  const cache = config.cache;
  if (cache?.enabled) {
    if (cache.engine === "valkey")
      issues.push({
        path: "cache.engine",
        value: "valkey",
        message:
          "is not offered by Alibaba Cloud Tair, which is Redis OSS-compatible only; set it to redis",
      });
    if (cache.nodeType !== undefined && !CACHE_CLASS.test(cache.nodeType))
      issues.push({
        path: "cache.nodeType",
        value: cache.nodeType,
        message:
          "must be a Tair memory-optimized class (tair.rdb.*, the only series with TDE), e.g. tair.rdb.1g or tair.rdb.8g",
      });
    if (cache.version !== undefined && !["6.0", "7.0"].includes(cache.version))
      issues.push({
        path: "cache.version",
        value: cache.version,
        message:
          "must be a Redis version Tair memory-optimized instances are compatible with and TDE supports: 6.0 or 7.0",
      });
  }
  if (config.backup?.enabled) {
    const converted = alibabaBackupSchedule(config.backup.schedule);
    if ("error" in converted)
      issues.push({
        path: "backup.schedule",
        value: config.backup.schedule,
        message: converted.error,
      });
    if (config.backup.diskSnapshots === undefined)
      issues.push({
        path: "backup.diskSnapshots",
        message: `must be set with backup.enabled on Alibaba Cloud. ${DISK_SNAPSHOT_ALLOW_LIST} Set it to instanceTag once ECS has allow-listed the account, or to off to back up the NAS file system only (no disk snapshots)`,
      });
    if (config.backup.retentionDays > 65536)
      issues.push({
        path: "backup.retentionDays",
        value: config.backup.retentionDays,
        message: "ECS snapshot policies keep snapshots at most 65536 days",
      });
  }
  if (config.backup?.enabled && config.storage && !config.storage.file.enabled)
    issues.push({
      path: "storage.file.enabled",
      value: false,
      message:
        "is needed with backup.enabled on Alibaba Cloud: the backup layer's HBR plan backs up the NAS file system, which must exist; turn file storage on or backup off",
    });
  if (config.vpn?.enabled) issues.push(...bgpIssues(config.vpn.peers));
  return issues;
}

export const ALIBABA_CATALOG: CloudCatalog = {
  regions: ALIBABA_REGIONS,
  configIssues: (config) => alibabaConfigIssues(config),
  // An internal-facing CLB in the cluster's vSwitch (ACK's CCM picks it when none is named):
  // reachable from the VPC and what is routed into it (VPN, CEN), never the Internet. ACK docs,
  // "Use annotations to configure CLB instances": address-type intranet, CCM 1.9.3+.
  privateLoadBalancerAnnotations: {
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet",
  },
};

/**
 * RAM roles ACK assumes on the account's behalf: they exist once an administrator has granted
 * ACK's "cloud resource access authorization" in the console (once per account). The cluster
 * cannot create without the first, KMS secret encryption needs the security role, node
 * autoscaling the autoscaler role.
 * Here, in the catalog, so the offline mocks can answer the role lookups without loading the SDK.
 */
export const ACK_SERVICE_ROLES = [
  "AliyunCSManagedKubernetesRole",
  "AliyunCSDefaultRole",
  "AliyunCSManagedSecurityRole",
  "AliyunCSManagedAutoScalerRole",
  "AliyunCSManagedCsiRole",
  "AliyunCSManagedNetworkRole",
  "AliyunCSManagedLogRole",
  // The audit log (auditLogConfig) and the managed CSI's provisioner and plugin.
  "AliyunCSKubernetesAuditRole",
  "AliyunCSManagedCsiProvisionerRole",
  "AliyunCSManagedCsiPluginRole",
];

/** The service role Tair's TDE uses to reach KMS (created by the console's one-time authorization). */
export const TDE_ROLE = "AliyunRdsInstanceEncryptionDefaultRole";
