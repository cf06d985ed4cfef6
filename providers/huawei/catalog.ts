/**
 * Huawei Cloud facts that config validation needs without loading the bindings: regions and their
 * availability zones, CCE's fixed address ranges, and the rules Huawei Cloud (or the
 * pulumi-huaweicloud v0.0.11 provider) would refuse at deploy time. Pure data: no Pulumi here.
 */
import { cidrContains, cidrsOverlap, parseCidr } from "../../components/cidr";
import { Issue, ValidationError } from "../../components/validation";
import type { CloudCatalog, CloudConfigSections } from "../backend";

/** `region` + letters, e.g. `zonesOf("ap-southeast-3", "abc")`. */
function zonesOf(region: string, letters: string): readonly string[] {
  return [...letters].map((letter) => `${region}${letter}`);
}

/**
 * Pod and Service ranges of every cluster (CCE's VPC network model routes pod ranges in the VPC):
 * fixed, so they never move, and refused as VPC or peer networks.
 */
export const CCE_CONTAINER_CIDR = "172.16.0.0/16";
export const CCE_SERVICE_CIDR = "10.247.0.0/16";

/** VPC ranges Huawei Cloud accepts (RFC 1918). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** LTS keeps logs 1 to 365 days (LTS CreateLogGroup `ttl_in_days`). */
export const MAX_LTS_RETENTION_DAYS = 365;

/**
 * DCS Redis versions the pinned provider's flavor lookup documents (sdk/nodejs/dcs/getFlavors.ts);
 * 6.0 is the newest, and the one with TLS (`ssl_enable`) on master/standby instances.
 */
export const DCS_REDIS_VERSIONS = ["4.0", "5.0", "6.0"];
export const DEFAULT_DCS_REDIS_VERSION = "6.0";

/**
 * OBS moves objects to Warm at least 30 days after their last update (OBS user guide, lifecycle
 * management: "Objects can be transitioned to Warm at least 30 days after their last update").
 */
export const OBS_MIN_WARM_TRANSITION_DAYS = 30;

/** CBR keeps backups 2 to 99999 days (`time_period`). */
export const MIN_CBR_RETENTION_DAYS = 2;

/** An ECS flavor name, e.g. `c7.xlarge.2` (family, size, memory-to-vCPU ratio). */
export const ECS_FLAVOR = /^[a-z][a-z0-9]*\.[a-z0-9]+\.\d+$/;

/** CCE node pool names: 1 to 50 lowercase letters, digits and hyphens, a letter first. */
export const MAX_CCE_POOL_NAME = 50;

/**
 * The Kubernetes minors CCE is known to create, of those the platform accepts
 * (components/versions.ts), with where that was read. 1.36: no CCE release note found, so refused
 * until one is. Checked 2026-12-01 (reviewer session 3); re-check in the console's Create Cluster
 * page or `hcloud CCE ListClusters`/the version list before adding a minor.
 */
export const CCE_KUBERNETES_VERSIONS: Readonly<Record<string, string>> = {
  "1.35":
    "CCE release note 'Kubernetes 1.35版本说明' (support.huaweicloud.com/bulletin-cce/cce_bulletin_0117)",
};

/**
 * CCE Cluster Autoscaler add-on builds (`1.<minor>.<build>`) per Kubernetes minor, entered only
 * once read from CCE's "CCE Cluster Autoscaler Release History" (bulletin-cce/cce_bulletin_0042)
 * or `hcloud CCE ListAddonTemplates --addon_template_name=autoscaler`. Builds are not guessable
 * (the first build of a minor was 1.33.5, 1.32.5; later ones run to 1.31.85), and the provider has
 * no data source that lists them, so a minor without a verified build here needs
 * `kubernetes.autoscalerAddonVersion` in config, and is refused at validation without it.
 */
export const AUTOSCALER_ADDON_VERSIONS: Readonly<Record<string, string>> = {};

const LIST_TEMPLATES = "hcloud CCE ListAddonTemplates --addon_template_name=autoscaler";

function addonVersionIssue(minor: string, configured: string | undefined): Issue | undefined {
  if (configured === undefined) {
    if (AUTOSCALER_ADDON_VERSIONS[minor]) return undefined;
    return {
      path: "kubernetes.autoscalerAddonVersion",
      value: configured,
      message: `is required on CCE for Kubernetes ${minor}: no verified CCE Cluster Autoscaler add-on build is recorded for it (providers/huawei/catalog.ts); set the newest build \`${LIST_TEMPLATES}\` lists for v${minor} clusters, e.g. "${minor}.<build>"`,
    };
  }
  if (!new RegExp(`^${minor.replace(".", "\\.")}\\.\\d+$`).test(configured))
    return {
      path: "kubernetes.autoscalerAddonVersion",
      value: configured,
      message: `must be a CCE Cluster Autoscaler build for Kubernetes ${minor} ("${minor}.<build>", as \`${LIST_TEMPLATES}\` lists)`,
    };
  return undefined;
}

/**
 * The add-on build for a minor: the configured one, else the verified table's; a ValidationError
 * naming `kubernetes.autoscalerAddonVersion` otherwise.
 */
export function autoscalerVersion(minor: string, configured?: string): string {
  const issue = addonVersionIssue(minor, configured);
  if (issue) throw new ValidationError([issue], "args.", "Invalid ClusterAddons arguments");
  return configured ?? AUTOSCALER_ADDON_VERSIONS[minor];
}

export const HUAWEI_CATALOG: CloudCatalog = {
  configIssues: (config) => huaweiConfigIssues(config),
  // CCE creates a private (inner) dedicated ELB only from per-stack values on the Service (zones,
  // subnet ids, flavor: kubernetes.io/elb.autocreate), and the platform's own ELB listens on 443
  // for Ingresses (CCE docs, "Configuring Advanced Load Balancing Functions Using Annotations").
  noPrivateLoadBalancerReason:
    "CCE's inner ELB needs the stack's zones, subnet ids and flavor on the Service, which the observability layer does not read",
  // The availability zones Huawei Cloud lists per region (console endpoints page); a valid zone not
  // listed here is refused, so add it when a region gains one.
  regions: {
    "cn-north-4": zonesOf("cn-north-4", "abcg"),
    "cn-east-3": zonesOf("cn-east-3", "abcd"),
    "cn-south-1": zonesOf("cn-south-1", "acef"),
    "ap-southeast-1": zonesOf("ap-southeast-1", "abc"),
    "ap-southeast-2": zonesOf("ap-southeast-2", "abc"),
    "ap-southeast-3": zonesOf("ap-southeast-3", "abcdef"),
    "ap-southeast-4": zonesOf("ap-southeast-4", "abc"),
    "af-south-1": zonesOf("af-south-1", "abc"),
    "eu-west-101": zonesOf("eu-west-101", "abc"),
    "me-east-1": zonesOf("me-east-1", "abc"),
    "tr-west-1": zonesOf("tr-west-1", "abc"),
    "la-south-2": zonesOf("la-south-2", "abc"),
    "sa-brazil-1": zonesOf("sa-brazil-1", "abc"),
  },
};

const WEEKDAY_NAMES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/** A CBR schedule: weekdays (`MO,TU,...`) and the `HH:MM` times backups start. */
export interface CbrSchedule {
  readonly days: string;
  readonly executionTimes: string[];
}

function numbers(field: string, max: number): number[] | undefined {
  if (!/^\d+(,\d+)*$/.test(field)) return undefined;
  const list = field.split(",").map(Number);
  return list.every((n) => n <= max) ? list : undefined;
}

/**
 * The config's cron schedule as CBR's weekly cycle, or why it cannot be one. Takes a Unix cron
 * (`0 3 * * *`) or the AWS form of the shared default (`cron(0 3 * * ? *)`): minutes and hours as
 * numbers or lists, every day of the month and every month, weekdays `*`, `?` or a list of numbers
 * (Unix 0-6 from Sunday; AWS 1-7 from Sunday).
 */
export function cbrSchedule(schedule: string): CbrSchedule | { error: string } {
  const aws = /^cron\((\S+( \S+){5})\)$/.exec(schedule);
  const unix = !aws && /^\S+( \S+){4}$/.test(schedule);
  if (!aws && !unix) return { error: 'must be a cron expression, e.g. "0 3 * * *"' };
  const fields = (aws ? aws[1] : schedule).split(" ");
  const [minute, hour, day, month, weekday] = fields;
  if (aws && fields[5] !== "*") return { error: "CBR schedules cannot name a year; use *" };
  const minutes = numbers(minute, 59);
  const hours = numbers(hour, 23);
  if (!minutes || !hours)
    return {
      error: "CBR starts backups at listed times: minute and hour must be numbers or lists",
    };
  if (!["*", "?"].includes(day) || month !== "*")
    return { error: "CBR cycles by weekday: day of month and month must be *" };
  let days = WEEKDAY_NAMES.slice(1).concat("SU");
  if (!["*", "?"].includes(weekday)) {
    const list = numbers(weekday, aws ? 7 : 6);
    if (!list || (aws && list.includes(0)))
      return { error: "weekdays must be *, ? or a list of day numbers" };
    days = list.map((n) => WEEKDAY_NAMES[aws ? n - 1 : n]);
  }
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    days: [...new Set(days)].join(","),
    executionTimes: hours.flatMap((h) => minutes.map((m) => `${pad(h)}:${pad(m)}`)),
  };
}

export function huaweiConfigIssues(config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const fixed = [CCE_CONTAINER_CIDR, CCE_SERVICE_CIDR];
  if (config.network) {
    const cidr = config.network.cidr;
    if (parseCidr(cidr)) {
      if (!PRIVATE_RANGES.some((range) => cidrContains(range, cidr)))
        issues.push({
          path: "network.cidr",
          value: cidr,
          message: `a Huawei Cloud VPC range must lie in ${PRIVATE_RANGES.join(", ")}`,
        });
      const clash = fixed.find((range) => cidrsOverlap(range, cidr));
      if (clash)
        issues.push({
          path: "network.cidr",
          value: cidr,
          message: `overlaps CCE's fixed pod or Service range ${clash}; pick a range outside ${fixed.join(" and ")}`,
        });
    }
    if (config.network.flowLogRetentionDays > MAX_LTS_RETENTION_DAYS)
      issues.push({
        path: "network.flowLogRetentionDays",
        value: config.network.flowLogRetentionDays,
        message: `LTS keeps flow logs at most ${MAX_LTS_RETENTION_DAYS} days`,
      });
  }
  const k8s = config.kubernetes;
  if (k8s) {
    if (!CCE_KUBERNETES_VERSIONS[k8s.version])
      issues.push({
        path: "kubernetes.version",
        value: k8s.version,
        message: `is not a minor CCE is known to offer; CCE: ${Object.keys(CCE_KUBERNETES_VERSIONS).join(", ")} (providers/huawei/catalog.ts, with the source of each)`,
      });
    else {
      const issue = addonVersionIssue(k8s.version, k8s.autoscalerAddonVersion);
      if (issue) issues.push(issue);
    }
    if (k8s.endpoint.publicAccessCidrs.length > 0)
      issues.push({
        path: "kubernetes.endpoint.publicAccessCidrs",
        value: k8s.endpoint.publicAccessCidrs,
        message:
          "cannot be enforced on CCE: pulumi-huaweicloud 0.0.11 has no allow-list for the API's public address, so the API stays private; reach it over the VPN or from a runner in the VPC",
      });
    if (k8s.endpoint.dnsAccess)
      issues.push({
        path: "kubernetes.endpoint.dnsAccess",
        value: true,
        message: "is GKE's DNS endpoint; CCE has none",
      });
    if (k8s.adminPrincipals.length > 0)
      issues.push({
        path: "kubernetes.adminPrincipals",
        value: k8s.adminPrincipals,
        message:
          "is not built on CCE: cluster permissions of IAM users and groups are granted in the CCE console (Permissions); leave it empty",
      });
    k8s.nodePools.forEach((pool, i) => {
      const where = `kubernetes.nodePools[${i}].instanceTypes`;
      if (pool.instanceTypes.length > 1)
        issues.push({
          path: where,
          value: pool.instanceTypes,
          message: "a CCE node pool has one ECS flavor; list one",
        });
      pool.instanceTypes.forEach((type, j) => {
        if (!ECS_FLAVOR.test(type))
          issues.push({
            path: `${where}[${j}]`,
            value: type,
            message: 'must be an ECS flavor name such as "c7.xlarge.2"',
          });
      });
    });
  }
  const transition = config.storage?.object.lifecycle.transitionToInfrequentAccessDays;
  if (transition !== undefined && transition > 0 && transition < OBS_MIN_WARM_TRANSITION_DAYS)
    issues.push({
      path: "storage.object.lifecycle.transitionToInfrequentAccessDays",
      value: transition,
      message: `OBS moves objects to Warm at least ${OBS_MIN_WARM_TRANSITION_DAYS} days after their last update (0 turns it off)`,
    });
  if (config.backup?.enabled) {
    const converted = cbrSchedule(config.backup.schedule);
    if ("error" in converted)
      issues.push({
        path: "backup.schedule",
        value: config.backup.schedule,
        message: converted.error,
      });
    if (config.backup.retentionDays < MIN_CBR_RETENTION_DAYS)
      issues.push({
        path: "backup.retentionDays",
        value: config.backup.retentionDays,
        message: `CBR keeps backups at least ${MIN_CBR_RETENTION_DAYS} days`,
      });
  }
  const cache = config.cache;
  if (cache?.enabled) {
    if (cache.engine !== "redis")
      issues.push({
        path: "cache.engine",
        value: cache.engine,
        message: 'DCS offers Redis, not Valkey: set "redis"',
      });
    if (cache.version !== undefined && !DCS_REDIS_VERSIONS.includes(cache.version))
      issues.push({
        path: "cache.version",
        value: cache.version,
        message: `must be a DCS Redis version: ${DCS_REDIS_VERSIONS.join(", ")}`,
      });
    if (cache.nodeType !== undefined && !/^redis\.[a-z0-9.]+$/.test(cache.nodeType))
      issues.push({
        path: "cache.nodeType",
        value: cache.nodeType,
        message: 'must be a DCS flavor code such as "redis.ha.xu1.large.r2.4"',
      });
  }
  if (config.vpn?.enabled) {
    config.vpn.peers.forEach((peer, i) => {
      if (peer.bgpAsn !== undefined)
        issues.push({
          path: `vpn.peers[${i}].bgpAsn`,
          value: peer.bgpAsn,
          message:
            "the Huawei Cloud IPsec gateway routes statically to the peer's cidrs; leave it unset",
        });
      peer.cidrs.forEach((cidr, j) => {
        const clash = fixed.find((range) => parseCidr(cidr) && cidrsOverlap(range, cidr));
        if (clash)
          issues.push({
            path: `vpn.peers[${i}].cidrs[${j}]`,
            value: cidr,
            message: `overlaps CCE's fixed pod or Service range ${clash}`,
          });
      });
    });
  }
  return issues;
}
