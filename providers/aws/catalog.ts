/**
 * AWS facts that config validation needs without loading the SDK: the commercial regions (partition
 * `aws`) and their Availability Zone names. GovCloud, China and the European Sovereign Cloud are
 * separate partitions with their own accounts and are not listed.
 *
 * Zone names are per account in the older regions (us-east-1, us-west-1, us-west-2, ap-northeast-1,
 * ap-southeast-2, ...): every name an account can be given is listed, so a valid zone is never
 * rejected. Local Zones and Wavelength Zones (`us-east-1-bos-1a`) are left out: they lack the
 * services (NAT gateways, EKS control-plane ENIs, ElastiCache) every zone of the platform needs.
 * Pure data and the rules AWS would enforce at deploy time: no `@pulumi/aws` import here.
 */
import { cidrContains, cidrsOverlap } from "../../components/cidr";
import type { CrossRegionConfig, VpnPeerConfig } from "../../components/types";
import { Issue, ipv4Number, linkLocalSessions, ValidationError } from "../../components/validation";
import type { CloudCatalog, CloudConfigSections } from "../backend";

/** `region` + letters, e.g. `zonesOf("eu-west-1", "abc")` = eu-west-1a, eu-west-1b, eu-west-1c. */
function zonesOf(region: string, letters: string): readonly string[] {
  return [...letters].map((letter) => `${region}${letter}`);
}

export const AWS_CATALOG: CloudCatalog = {
  configIssues: (config) => awsConfigIssues(config),
  // S3 replication and AWS Backup copy actions to the partner region.
  crossRegionCopies: { objects: true, backups: true },
  // The observability layer's private load balancers (central write path, Grafana) are the AWS
  // Load Balancer Controller's to make: it runs in the addons layer, which must come first.
  layerDependencies: { observability: ["addons"] },
  // The AWS Load Balancer Controller (addons layer) makes an internal NLB to the pods' IPs.
  privateLoadBalancerAnnotations: {
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
  },
  regions: {
    // North America
    "us-east-1": zonesOf("us-east-1", "abcdef"),
    "us-east-2": zonesOf("us-east-2", "abc"),
    // Accounts get two of the three names.
    "us-west-1": zonesOf("us-west-1", "abc"),
    "us-west-2": zonesOf("us-west-2", "abcd"),
    // No ca-central-1c: the third zone is named d.
    "ca-central-1": zonesOf("ca-central-1", "abd"),
    "ca-west-1": zonesOf("ca-west-1", "abc"),
    "mx-central-1": zonesOf("mx-central-1", "abc"),
    // South America
    "sa-east-1": zonesOf("sa-east-1", "abc"),
    // Europe
    "eu-west-1": zonesOf("eu-west-1", "abc"),
    "eu-west-2": zonesOf("eu-west-2", "abc"),
    "eu-west-3": zonesOf("eu-west-3", "abc"),
    "eu-central-1": zonesOf("eu-central-1", "abc"),
    "eu-central-2": zonesOf("eu-central-2", "abc"),
    "eu-north-1": zonesOf("eu-north-1", "abc"),
    "eu-south-1": zonesOf("eu-south-1", "abc"),
    "eu-south-2": zonesOf("eu-south-2", "abc"),
    // Middle East and Africa
    "il-central-1": zonesOf("il-central-1", "abc"),
    "me-central-1": zonesOf("me-central-1", "abc"),
    "me-south-1": zonesOf("me-south-1", "abc"),
    "af-south-1": zonesOf("af-south-1", "abc"),
    // Asia Pacific
    "ap-east-1": zonesOf("ap-east-1", "abc"),
    "ap-east-2": zonesOf("ap-east-2", "abc"),
    "ap-south-1": zonesOf("ap-south-1", "abc"),
    "ap-south-2": zonesOf("ap-south-2", "abc"),
    // ap-northeast-1b (apne1-az3) is only offered to some older accounts and is capacity-constrained.
    "ap-northeast-1": zonesOf("ap-northeast-1", "acd"),
    "ap-northeast-2": zonesOf("ap-northeast-2", "abcd"),
    "ap-northeast-3": zonesOf("ap-northeast-3", "abc"),
    "ap-southeast-1": zonesOf("ap-southeast-1", "abc"),
    "ap-southeast-2": zonesOf("ap-southeast-2", "abc"),
    "ap-southeast-3": zonesOf("ap-southeast-3", "abc"),
    "ap-southeast-4": zonesOf("ap-southeast-4", "abc"),
    "ap-southeast-5": zonesOf("ap-southeast-5", "abc"),
    "ap-southeast-6": zonesOf("ap-southeast-6", "abc"),
    "ap-southeast-7": zonesOf("ap-southeast-7", "abc"),
  },
};

/**
 * Zone IDs whose subnets EKS refuses for the control plane (CreateCluster fails with
 * UnsupportedAvailabilityZoneException). Names map to IDs differently in each account, so only the
 * account can tell whether a configured name is one of them; see awsZoneIdIssues.
 * Source: docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets,
 * as public EKS examples list it (`exclude_zone_ids = ["use1-az3", "usw1-az2", "cac1-az3"]`).
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/**
 * The configured zones checked against the account's own zones (`aws.getAvailabilityZones`:
 * parallel `names` and `zoneIds`): each must exist in the account and not map to a zone ID EKS
 * refuses. Paths name `zones[i]`, like config validation.
 */
export function awsZoneIdIssues(
  region: string,
  zones: readonly string[],
  account: { names: readonly string[]; zoneIds: readonly string[] },
): Issue[] {
  const idOf = new Map(account.names.map((name, i) => [name, account.zoneIds[i]]));
  const usable = account.names.filter(
    (name) => !EKS_UNSUPPORTED_ZONE_IDS.includes(idOf.get(name)!) && !zones.includes(name),
  );
  const others = usable.length > 0 ? usable.join(", ") : "none left";
  const issues: Issue[] = [];
  zones.forEach((zone, i) => {
    const id = idOf.get(zone);
    if (id === undefined) {
      issues.push({
        path: `zones[${i}]`,
        value: zone,
        message: `is not an available zone of this account in ${region}; its zones: ${account.names.join(", ")}`,
      });
    } else if (EKS_UNSUPPORTED_ZONE_IDS.includes(id)) {
      issues.push({
        path: `zones[${i}]`,
        value: zone,
        message:
          `is zone ID ${id} in this account, where EKS refuses control-plane subnets ` +
          `(UnsupportedAvailabilityZoneException); use another zone of this account: ${others}`,
      });
    }
  });
  return issues;
}

/**
 * The default second region for S3 replication and AWS Backup copies: the nearest region of the same
 * jurisdiction that every account has (not opt-in), so data stays where its rules apply. Regions
 * without such a partner (ca-central-1, sa-east-1, ap-south-1, the opt-in regions, ...) have none:
 * `storage.object.replication.region` / `backup.crossRegionCopy.region` must then be set.
 */
export const AWS_PARTNER_REGIONS: Readonly<Record<string, string>> = {
  "us-east-1": "us-west-2",
  "us-east-2": "us-west-2",
  "us-west-1": "us-west-2",
  "us-west-2": "us-east-1",
  "eu-west-1": "eu-central-1",
  "eu-west-2": "eu-west-1",
  "eu-west-3": "eu-central-1",
  "eu-central-1": "eu-west-1",
  "eu-north-1": "eu-west-1",
  "ap-northeast-1": "ap-northeast-3",
  "ap-northeast-3": "ap-northeast-1",
};

/** The region copies go to: the configured one, else the partner of `region` (undefined if none). */
export function awsCopyRegion(region: string, configured?: string): string | undefined {
  return configured ?? AWS_PARTNER_REGIONS[region];
}

/** The retention values CloudWatch Logs accepts (`retentionInDays`); anything else fails at deploy. */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** S3 refuses a transition to STANDARD_IA earlier than 30 days after creation. */
export const S3_MIN_INFREQUENT_ACCESS_DAYS = 30;

/** AWS Backup schedules are six-field `cron(...)` expressions (minutes hours day month weekday year). */
export const AWS_BACKUP_SCHEDULE = /^cron\(\S+( \S+){5}\)$/;

const ELASTICACHE_NODE_TYPE = /^cache\.[a-z0-9-]+\.[a-z0-9]+$/;
/** IAM role or user ARN (any partition); `role/` may carry a path, e.g. `role/aws-reserved/sso/...`. */
const IAM_PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]{1,512}$/;

/** Each VPN connection has two tunnels, each with its own inside /30. */
export const AWS_TUNNELS = 2;
/** Tunnel inside CIDRs come from the link-local range. */
export const TUNNEL_INSIDE_RANGE = "169.254.0.0/16";
/** Inside /30s AWS keeps for itself (VpnTunnelOptionsSpecification.TunnelInsideCidr). */
export const RESERVED_TUNNEL_INSIDE_CIDRS: readonly string[] = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.169.252/30",
];

/**
 * Prefixes and sequences AWS refuses in names derived from `officeless:name`: every security group
 * (EC2 CreateSecurityGroup GroupName "Can't start with sg-"), every bucket (S3 bucket naming rules:
 * no `xn--`, `sthree-` or `amzn-s3-demo-` prefix) and the cache (CreateReplicationGroup: "cannot
 * ... contain two consecutive hyphens").
 */
const REFUSED_NAMES: readonly {
  pattern: RegExp;
  why: string;
  only?: (c: CloudConfigSections) => boolean;
}[] = [
  { pattern: /^sg-/, why: "EC2 refuses security group names that start with sg-" },
  { pattern: /^xn--/, why: "S3 refuses bucket names that start with xn--" },
  { pattern: /^sthree-/, why: "S3 refuses bucket names that start with sthree-" },
  { pattern: /^amzn-s3-demo-/, why: "S3 refuses bucket names that start with amzn-s3-demo-" },
  {
    pattern: /--/,
    why: "ElastiCache refuses replication group ids with two hyphens in a row (the cache is named <name>-cache)",
    only: (c) => c.cache?.enabled !== false,
  },
];

/**
 * What AWS itself would refuse at deploy time, caught before anything is created. Takes whichever
 * sections parsed; paths are relative to the config root like every other rule.
 */
export function awsConfigIssues(config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const name = config.name;
  if (name !== undefined) {
    for (const rule of REFUSED_NAMES)
      if (rule.pattern.test(name) && (rule.only?.(config) ?? true))
        issues.push({ path: "name", value: name, message: `is refused on AWS: ${rule.why}` });
  }
  const retention = (path: string, days: number) => {
    if (!CLOUDWATCH_RETENTION_DAYS.includes(days)) {
      const valid = CLOUDWATCH_RETENTION_DAYS.filter((d) => d <= 400).join(", ");
      issues.push({
        path,
        value: days,
        message: `is not a CloudWatch Logs retention; valid: ${valid}, ... 3653`,
      });
    }
  };
  if (config.network)
    retention("network.flowLogRetentionDays", config.network.flowLogRetentionDays);
  if (config.kubernetes) {
    retention("kubernetes.logRetentionDays", config.kubernetes.logRetentionDays);
    if (config.kubernetes.endpoint.dnsAccess) {
      issues.push({
        path: "kubernetes.endpoint.dnsAccess",
        value: true,
        message:
          "is GKE-only: EKS has no IAM-gated DNS endpoint. Reach the private endpoint from the VPC or a network in " +
          "kubernetes.endpoint.privateAccessCidrs (VPN, CI), or list the runner in publicAccessCidrs",
      });
    }
    config.kubernetes.adminPrincipals.forEach((arn, i) => {
      if (!IAM_PRINCIPAL_ARN.test(arn)) {
        issues.push({
          path: `kubernetes.adminPrincipals[${i}]`,
          value: arn,
          message:
            "must be an IAM role or user ARN, arn:<partition>:iam::<account id>:role/<name> or :user/<name>, " +
            "e.g. arn:aws:iam::123456789012:role/platform-admin",
        });
      }
    });
  }
  const transition = config.storage?.object.lifecycle.transitionToInfrequentAccessDays;
  if (transition !== undefined && transition > 0 && transition < S3_MIN_INFREQUENT_ACCESS_DAYS) {
    issues.push({
      path: "storage.object.lifecycle.transitionToInfrequentAccessDays",
      value: transition,
      message: `S3 needs at least ${S3_MIN_INFREQUENT_ACCESS_DAYS} days before a move to infrequent access (0 turns it off)`,
    });
  }
  if (config.backup && !AWS_BACKUP_SCHEDULE.test(config.backup.schedule)) {
    issues.push({
      path: "backup.schedule",
      value: config.backup.schedule,
      message: 'must be an AWS cron expression with six fields, e.g. "cron(0 3 * * ? *)"',
    });
  }
  const nodeType = config.cache?.nodeType;
  if (nodeType !== undefined && !ELASTICACHE_NODE_TYPE.test(nodeType)) {
    issues.push({
      path: "cache.nodeType",
      value: nodeType,
      message: 'must be an ElastiCache node type, e.g. "cache.r7g.large"',
    });
  }
  if (config.vpn?.enabled) issues.push(...bgpPeerAddressIssues(config.vpn.peers));
  if (config.region !== undefined) {
    const copies: [string, CrossRegionConfig | undefined][] = [
      ["storage.object.replication", config.storage?.object.replication],
      [
        "backup.crossRegionCopy",
        config.backup?.enabled ? config.backup.crossRegionCopy : undefined,
      ],
    ];
    for (const [path, copy] of copies)
      if (copy?.enabled) issues.push(...copyRegionIssues(path, config.region, copy));
  }
  return issues;
}

/**
 * The region a copy goes to, for the backends: the configured or partner region, after the same
 * checks config validation runs (`path` names the key, e.g. `storage.object.replication`).
 */
export function copyRegionOf(region: string, copy: CrossRegionConfig, path: string): string {
  const issues = copyRegionIssues(path, region, copy);
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid cross-region copy");
  return awsCopyRegion(region, copy.region)!;
}

/** A copy region must be another region of the commercial partition; unset needs a partner. */
function copyRegionIssues(path: string, region: string, copy: CrossRegionConfig): Issue[] {
  if (copy.region === undefined) {
    if (AWS_PARTNER_REGIONS[region] !== undefined) return [];
    return [
      {
        path: `${path}.region`,
        message:
          `has no default for ${region} (no partner region of the same jurisdiction that every account has): ` +
          `set it, e.g. pulumi config set --path 'officeless:${path}.region' <region> (an opt-in region must be enabled in the account first), ` +
          `or turn the copy off with ${path}.enabled: false`,
      },
    ];
  }
  if (copy.region === region)
    return [
      {
        path: `${path}.region`,
        value: copy.region,
        message:
          "is the stack's own region; a copy must be in another region to survive the loss of this one",
      },
    ];
  if (!AWS_CATALOG.regions[copy.region])
    return [
      {
        path: `${path}.region`,
        value: copy.region,
        message: `is not an AWS region; valid: ${Object.keys(AWS_CATALOG.regions).slice(0, 8).join(", ")}, ...`,
      },
    ];
  return [];
}

/**
 * `bgpPeerAddress` becomes the customer gateway's address in tunnel 1's inside /30, and tunnel 2
 * uses the next /30: both must be link-local, not reserved, and unique on the gateway. AWS takes
 * the first host of each /30, so the peer's is the second. A malformed address is the shared
 * rules' to report.
 */
function bgpPeerAddressIssues(peers: readonly VpnPeerConfig[]): Issue[] {
  const issues: Issue[] = [];
  const taken: { range: string; index: number }[] = [];
  peers.forEach((peer, i) => {
    const address = peer.bgpPeerAddress;
    const n = address === undefined ? undefined : ipv4Number(address);
    if (n === undefined) return;
    const issue = (message: string) =>
      issues.push({ path: `vpn.peers[${i}].bgpPeerAddress`, value: address, message });
    if (peer.bgpAsn === undefined) {
      issue(
        "is a BGP address, but this peer routes statically; set its bgpAsn too, or remove the address",
      );
    } else if (!cidrContains(TUNNEL_INSIDE_RANGE, `${address}/32`) || n % 4 !== 2) {
      issue(
        `must be the second host of a /30 in ${TUNNEL_INSIDE_RANGE} (AWS takes the first), e.g. 169.254.21.2 for 169.254.21.0/30`,
      );
    } else {
      const ranges = linkLocalSessions(address!, AWS_TUNNELS).map((s) => s.range);
      const reserved = ranges.findIndex((r) => RESERVED_TUNNEL_INSIDE_CIDRS.includes(r));
      const clash = taken.find((t) => ranges.some((r) => cidrsOverlap(r, t.range)));
      if (!cidrContains(TUNNEL_INSIDE_RANGE, ranges[1])) {
        issue(
          `leaves no room for tunnel 2, which uses the next /30 (${ranges[1]}, outside ${TUNNEL_INSIDE_RANGE}); pick a lower /30`,
        );
      } else if (reserved >= 0) {
        issue(
          `puts tunnel ${reserved + 1} in ${ranges[reserved]}, which AWS reserves (${RESERVED_TUNNEL_INSIDE_CIDRS.join(", ")}); tunnel 2 uses the /30 after tunnel 1's`,
        );
      } else if (clash) {
        issue(
          `puts a tunnel in ${clash.range}, which vpn.peers[${clash.index}] already uses; each tunnel needs its own /30 (tunnel 2 uses the /30 after tunnel 1's)`,
        );
      }
      taken.push(...ranges.map((range) => ({ range, index: i })));
    }
  });
  return issues;
}
