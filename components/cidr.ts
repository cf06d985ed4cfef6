/**
 * CIDR planning: carves one subnet per zone per tier out of the network's range. Pure and
 * deterministic (same input, same plan), so subnets never move between runs. `ip-address` parses
 * and validates; the packing is done on integers, largest tier first, so no block is misaligned.
 */
import { Address4 } from "ip-address";

export interface SubnetSizes {
  readonly publicPrefix: number;
  readonly privatePrefix: number;
  /** 0 turns the database tier off. */
  readonly databasePrefix: number;
}

export interface SubnetPlan {
  /** One CIDR per zone, in zone order. */
  readonly public: string[];
  readonly private: string[];
  /** Empty when the database tier is off. */
  readonly database: string[];
}

/** A parsed IPv4 CIDR. */
export interface Cidr {
  readonly start: number;
  readonly prefix: number;
  readonly size: number;
}

/** Parses `a.b.c.d/n` requiring the host bits to be zero; returns undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text) || !Address4.isValid(text)) return undefined;
  const addr = new Address4(text);
  const prefix = addr.subnetMask;
  if (prefix < 0 || prefix > 32) return undefined;
  const start = Number(addr.startAddress().bigInt());
  if (Number(new Address4(addr.addressMinusSuffix).bigInt()) !== start) return undefined;
  return { start, prefix, size: 2 ** (32 - prefix) };
}

/** Parses a plain IPv4 address (no prefix). */
export function isIpv4(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) && Address4.isValid(text);
}

export function formatCidr(start: number, prefix: number): string {
  return `${Address4.fromBigInt(BigInt(start)).correctForm()}/${prefix}`;
}

/** Whether two CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  return x.start < y.start + y.size && y.start < x.start + x.size;
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const x = parseCidr(outer);
  const y = parseCidr(inner);
  if (!x || !y) return false;
  return y.start >= x.start && y.start + y.size <= x.start + x.size;
}

/** Thrown when the tiers do not fit; the message gives the sizes needed and available. */
export class SubnetPlanError extends Error {}

/**
 * One subnet per zone for each tier. Tiers are packed largest first from the bottom of the range,
 * which keeps every block aligned without gaps. Throws `SubnetPlanError` when they do not fit.
 */
export function planSubnets(cidr: string, zoneCount: number, sizes: SubnetSizes): SubnetPlan {
  const range = parseCidr(cidr);
  if (!range) throw new SubnetPlanError(`"${cidr}" is not an IPv4 CIDR with zero host bits`);
  if (!Number.isInteger(zoneCount) || zoneCount < 1)
    throw new SubnetPlanError(`zone count must be >= 1, got ${zoneCount}`);
  const tiers: { tier: keyof SubnetPlan; prefix: number }[] = [
    { tier: "private", prefix: sizes.privatePrefix },
    { tier: "public", prefix: sizes.publicPrefix },
  ];
  if (sizes.databasePrefix > 0) tiers.push({ tier: "database", prefix: sizes.databasePrefix });
  for (const { tier, prefix } of tiers) {
    if (!Number.isInteger(prefix) || prefix <= range.prefix || prefix > 28) {
      throw new SubnetPlanError(
        `${tier} subnet prefix /${prefix} must be longer than the network's /${range.prefix} and at most /28`,
      );
    }
  }
  const needed = tiers.reduce((sum, t) => sum + zoneCount * 2 ** (32 - t.prefix), 0);
  if (needed > range.size) {
    throw new SubnetPlanError(
      `${zoneCount} zones x (${tiers.map((t) => `${t.tier} /${t.prefix}`).join(", ")}) need ${needed} addresses; ` +
        `${cidr} has ${range.size}`,
    );
  }
  const plan: SubnetPlan = { public: [], private: [], database: [] };
  let cursor = range.start;
  // Stable sort: equal sizes keep tier order (private, public, database).
  for (const { tier, prefix } of [...tiers].sort((a, b) => a.prefix - b.prefix)) {
    const size = 2 ** (32 - prefix);
    for (let zone = 0; zone < zoneCount; zone++) {
      plan[tier].push(formatCidr(cursor, prefix));
      cursor += size;
    }
  }
  return plan;
}

/** A CIDR as a logical-name part: `192.168.0.0/16` -> `192-168-0-0-16`. */
export function cidrLabel(cidr: string): string {
  return cidr.replace(/[./:]/g, "-");
}
