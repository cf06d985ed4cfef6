/**
 * Pieces every Huawei Cloud layer shares: tags, names cut to a service's limit, the region's OBS
 * endpoint, a DEW (KMS) customer key, and a security group that denies everything but what its
 * rules admit. Resources come from the project's bindings (sdks/huaweicloud), which carry the
 * plugin version and download URL, so `pulumi up` installs the huaweicloud plugin itself.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { inputsHash } from "../../components/inputsHash";
import { Scope, Tags } from "../../components/types";
import * as dew from "../../sdks/huaweicloud/dew";
import * as vpc from "../../sdks/huaweicloud/vpc";

/** Tags as Huawei Cloud takes them (keys up to 128 characters, values up to 255). */
export function hwTags(tags: Tags, extra: Tags = {}): Record<string, string> {
  return { ...tags, ...extra };
}

/**
 * `name` when it has at most `max` characters, otherwise its head, `-` and a hash of the whole,
 * so cut names stay unique and stable.
 */
export function cutName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = inputsHash(["name"], { name }, 6);
  return `${name.slice(0, max - 7).replace(/-+$/, "")}-${hash}`;
}

/** The OBS S3-compatible endpoint of a region (host only). */
export function obsEndpoint(region: string): string {
  return `obs.${region}.myhuaweicloud.com`;
}

/**
 * Agencies a fresh account lacks, which Huawei Cloud creates on first use in the console (no
 * resource of the pinned provider creates them): the plan states them where `preview` shows it.
 */
export const FIRST_USE_AGENCIES = {
  cce: "CCE needs the agency cce_admin_trust (CCE console, first visit: Authorize) before it creates a cluster",
  evs: "EVS encrypts node and volume disks with a DEW key through the agency EVSAccessKMS (created when a disk is first created with encryption in the console)",
  sfsTurbo:
    "SFS Turbo encrypts with a DEW key through the agency SFSTurboAccessKMS (created when an SFS Turbo file system is first created with encryption in the console)",
} as const;

/** One warning naming the agencies a layer needs (docs/clouds/huawei.md, before the first up). */
export function warnFirstUse(
  scope: Scope,
  needs: readonly (keyof typeof FIRST_USE_AGENCIES)[],
): void {
  const text = needs.map((n) => FIRST_USE_AGENCIES[n]).join("; ");
  void pulumi.log.warn(
    `In a fresh Huawei Cloud account: ${text}. See docs/clouds/huawei.md.`,
    scope.parent,
  );
}

/** DEW key rotation: every 90 days (the service takes 30 to 365). */
export const KEY_ROTATION_DAYS = 90;
/** Days a deleted key waits before it is gone (7 to 1096): time to notice a mistake. */
export const KEY_PENDING_DAYS = "30";

/**
 * A symmetric DEW key with rotation, protected in prod. A key waiting for deletion keeps its alias,
 * so outside prod the alias ends in a random suffix: a stack destroyed and created again within the
 * pending days would otherwise fail on the alias.
 */
export function customerKey(scope: Scope, role: string): dew.Key {
  const suffix = scope.protect
    ? undefined
    : new random.RandomString(
        `${scope.name}-${role}-key-suffix`,
        { length: 6, special: false, upper: false },
        { parent: scope.parent },
      );
  const alias = `${scope.name}-${role}`;
  return new dew.Key(
    `${scope.name}-${role}-key`,
    {
      keyAlias: suffix ? pulumi.interpolate`${alias}-${suffix.result}` : alias,
      keyDescription: `${scope.name}: ${role} encryption key`,
      keyAlgorithm: "AES_256",
      keyUsage: "ENCRYPT_DECRYPT",
      rotationEnabled: true,
      rotationInterval: KEY_ROTATION_DAYS,
      pendingDays: KEY_PENDING_DAYS,
      isEnabled: true,
      tags: hwTags(scope.tags),
    },
    { parent: scope.parent, protect: scope.protect },
  );
}

export interface Admit {
  /** Rule name suffix. */
  readonly name: string;
  /** Unset: every protocol. `50` is ESP. */
  readonly protocol?: "tcp" | "udp" | "icmp" | "50";
  /** Port or range `a-b`; unset for protocols without ports. */
  readonly ports?: string;
  readonly from: pulumi.Input<string>;
}

/**
 * A security group without Huawei's default rules (which admit the group itself and let everything
 * out), so it denies all but `admit` in and all but `egress` out. `egressAll` keeps one rule that
 * lets everything out, for hosts that reach the internet or forward traffic.
 */
export function denyByDefaultGroup(
  scope: Scope,
  role: string,
  description: string,
  admit: readonly Admit[],
  egressAll = false,
): vpc.Secgroup {
  const opts = { parent: scope.parent };
  const group = new vpc.Secgroup(
    `${scope.name}-${role}-sg`,
    {
      name: cutName(`${scope.name}-${role}`, 64),
      description,
      deleteDefaultRules: true,
      tags: hwTags(scope.tags),
    },
    opts,
  );
  admit.forEach((rule) => {
    new vpc.SecgroupRule(
      `${scope.name}-${role}-sg-${rule.name}`,
      {
        securityGroupId: group.id,
        direction: "ingress",
        ethertype: "IPv4",
        protocol: rule.protocol,
        ports: rule.ports,
        remoteIpPrefix: rule.from,
        action: "allow",
        description: `${rule.name}`,
      },
      opts,
    );
  });
  if (egressAll) {
    new vpc.SecgroupRule(
      `${scope.name}-${role}-sg-egress`,
      {
        securityGroupId: group.id,
        direction: "egress",
        ethertype: "IPv4",
        remoteIpPrefix: "0.0.0.0/0",
        action: "allow",
        description: "all out",
      },
      opts,
    );
  }
  return group;
}
