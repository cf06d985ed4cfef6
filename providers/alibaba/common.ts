/**
 * Pieces every Alibaba Cloud layer shares: tags in Alibaba's rules, names cut to a resource's
 * limit, KMS keys, SLS projects with retained logstores, and the lookup of the network layer's
 * vSwitches by tier (the pod vSwitches and every vSwitch's CIDR, which the shared network outputs
 * do not carry).
 */
import * as kms from "@pulumi/alicloud/kms";
import * as log from "@pulumi/alicloud/log";
import * as ram from "@pulumi/alicloud/ram";
import * as vpc from "@pulumi/alicloud/vpc";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { inputsHash } from "../../components/inputsHash";
import { Scope, Tags } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";

/** The tag key the network layer puts on every vSwitch: which tier it serves. */
export const TIER_TAG = "officeless-tier";
export type Tier = "public" | "private" | "database" | "pods";

/** Tag keys may not start with these (Alibaba Cloud reserves them); such keys get an `x-` prefix. */
const RESERVED_TAG_PREFIX = /^(aliyun|acs:)/i;
const TAG_LIMIT = 128;

/**
 * Tags as Alibaba Cloud takes them: keys and values at most 128 characters, no key starting with
 * the reserved `aliyun` or `acs:` prefixes, no `http://` or `https://` in keys.
 */
export function alibabaTags(tags: Tags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    let k = key.replace(/https?:\/\//gi, "");
    if (RESERVED_TAG_PREFIX.test(k)) k = `x-${k}`;
    out[k.slice(0, TAG_LIMIT)] = value.slice(0, TAG_LIMIT);
  }
  return out;
}

/**
 * `name` when it has at most `max` characters, otherwise its head plus `-` and a 6-character hash
 * of the whole (at most `max`), so cut names stay unique and stable.
 */
export function cutName(name: string, max: number): string {
  if (name.length <= max) return name;
  return `${name.slice(0, max - 7).replace(/-+$/, "")}-${inputsHash(["name"], { name }, 6)}`;
}

export function throwIfIssues(issues: Issue[], what: string): void {
  if (issues.length > 0) throw new ValidationError(issues, "args.", what);
}

/**
 * Default keys (KMS's shared tier, no KMS instance to buy) rotate on a fixed 365-day period: the
 * only `rotationInterval` they take. ACK secret encryption, disks, NAS, OSS and Tair TDE all accept
 * default keys.
 */
export const KEY_ROTATION_INTERVAL = `${365 * 24 * 3600}s`;
/** The longest wait before a deleted key is gone: time to notice a mistake. */
export const KEY_PENDING_WINDOW_DAYS = 30;

/** A symmetric customer master key for one role, rotated yearly, deletion-protected and kept in prod. */
export function customerKey(scope: Scope, role: string, description: string): kms.Key {
  return new kms.Key(
    `${scope.name}-${role}-key`,
    {
      description,
      keySpec: "Aliyun_AES_256",
      keyUsage: "ENCRYPT/DECRYPT",
      protectionLevel: "SOFTWARE",
      automaticRotation: "Enabled",
      rotationInterval: KEY_ROTATION_INTERVAL,
      pendingWindowInDays: KEY_PENDING_WINDOW_DAYS,
      deletionProtection: scope.protect ? "Enabled" : "Disabled",
      status: "Enabled",
      tags: alibabaTags(scope.tags),
    },
    { parent: scope.parent, protect: scope.protect },
  );
}

/** SLS project names: 3-63 characters, lowercase letters, digits and hyphens, unique in the region across accounts. */
export const SLS_PROJECT_MAX = 63;

export interface LogProject {
  readonly project: log.Project;
  readonly projectName: pulumi.Output<string>;
}

/**
 * An SLS project for one role. Its name must be unique in the region across every Alibaba Cloud
 * account, so it ends in a random suffix fixed at creation; protected in prod (deleting a project
 * deletes its logs).
 */
export function logProject(scope: Scope, role: string, description: string): LogProject {
  const suffix = new random.RandomString(
    `${scope.name}-${role}-suffix`,
    { length: 6, special: false, upper: false },
    { parent: scope.parent },
  );
  const base = cutName(`${scope.name}-${role}`.toLowerCase(), SLS_PROJECT_MAX - 7);
  const project = new log.Project(
    `${scope.name}-${role}-project`,
    {
      projectName: pulumi.interpolate`${base}-${suffix.result}`,
      description,
      tags: alibabaTags(scope.tags),
    },
    { parent: scope.parent, protect: scope.protect },
  );
  return { project, projectName: project.projectName };
}

/** A logstore keeping `retentionDays`, auto-splitting its shards under load. */
export function logStore(
  scope: Scope,
  role: string,
  project: LogProject,
  logstoreName: string,
  retentionDays: number,
): log.Store {
  return new log.Store(
    `${scope.name}-${role}-logstore`,
    {
      projectName: project.projectName,
      logstoreName,
      retentionPeriod: retentionDays,
      shardCount: 2,
      autoSplit: true,
      maxSplitShardCount: 64,
    },
    { parent: scope.parent, protect: scope.protect, dependsOn: [project.project] },
  );
}

export interface TierSwitch {
  readonly id: string;
  readonly cidr: string;
  readonly zone: string;
}

/**
 * The network layer's vSwitches of one tier in the VPC, in zone order (a lookup, as the shared
 * network outputs carry no pod vSwitches and no CIDRs). It lists the VPC's vSwitches and filters
 * on the tier tag each one reports (DescribeVSwitches by VPC, which lists a new vSwitch at once;
 * a tag-filtered query goes through the tag index, which can lag behind a create). `networkId`
 * resolves only once every vSwitch exists, so the lookup never runs early.
 */
export function tierSwitches(
  scope: Scope,
  networkId: pulumi.Input<string>,
  tier: Tier,
  zones: readonly string[],
): pulumi.Output<TierSwitch[]> {
  const found = vpc.getSwitchesOutput({ vpcId: networkId }, { parent: scope.parent });
  return found.vswitches.apply((switches) =>
    switches
      .filter((s) => (s.tags as Record<string, string> | undefined)?.[TIER_TAG] === tier)
      .map((s) => ({ id: s.id, cidr: s.cidrBlock, zone: s.zoneId }))
      .filter((s) => zones.includes(s.zone))
      .sort((a, b) => zones.indexOf(a.zone) - zones.indexOf(b.zone)),
  );
}

/** Where an administrator grants Alibaba Cloud services their roles, once per account. */
export const ROLE_AUTHORIZATION_URL = "https://ram.console.aliyun.com/role/authorization";

/**
 * Fails the deploy before the resources that need them, with the fix, when service roles the
 * account must have granted are missing (a fresh account has none of them). Read `roles` into an
 * input of the first resource that needs them.
 */
export function requireRoles(
  scope: Scope,
  nameRegex: string,
  names: readonly string[],
  service: string,
): pulumi.Output<void> {
  const found = ram.getRolesOutput({ nameRegex }, { parent: scope.parent });
  return found.roles.apply((roles) => {
    const have = new Set(roles.map((r) => r.name));
    const missing = names.filter((r) => !have.has(r));
    if (missing.length > 0) {
      throw new Error(
        `${service}'s service roles are missing: ${missing.join(", ")}. Grant them once for the account (${ROLE_AUTHORIZATION_URL}, or the service's console prompt) and run again.`,
      );
    }
  });
}
