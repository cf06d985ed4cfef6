/**
 * The OCI address plan: regional subnets (an OCI subnet spans every availability domain), carved
 * largest first out of the VCN's range so none is misaligned, and the private ranges outside the
 * VCN that the route tables send to the DRG. Pure: no SDK.
 */
import { cidrContains, cidrsOverlap, formatCidr, parseCidr } from "../../components/cidr";
import type { NetworkConfig } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";

/** The private ranges the network routes to the DRG (VPN peers must sit inside them). */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** The Kubernetes API endpoint subnet: OKE needs a handful of addresses; a /28 is plenty. */
export const API_ENDPOINT_PREFIX = 28;

export interface OciAddressPlan {
  /** Load balancers (private by default; public ones take a public IP here). */
  readonly public: string;
  /** Worker nodes' primary VNICs and mount targets. */
  readonly workers: string;
  /** Pods' VNICs (VCN-native pod networking): twice the workers' size, a pod IP per pod. */
  readonly pods: string;
  /** The Kubernetes API endpoint's private IP. */
  readonly api: string;
  /** Isolated tier (no internet route); undefined when the database tier is off. */
  readonly database?: string;
}

/** The plan for a network config; throws a ValidationError naming the prefixes when it does not fit. */
export function planOciNetwork(network: NetworkConfig): OciAddressPlan {
  const range = parseCidr(network.cidr);
  if (!range) {
    const issue: Issue = { path: "network.cidr", value: network.cidr, message: "is not a CIDR" };
    throw new ValidationError([issue], "", "Invalid OCI network");
  }
  const wanted: [keyof OciAddressPlan, number][] = [
    ["pods", Math.max(range.prefix, network.privateSubnetPrefix - 1)],
    ["workers", network.privateSubnetPrefix],
    ["public", network.publicSubnetPrefix],
    ...(network.databaseSubnetPrefix > 0
      ? [["database", network.databaseSubnetPrefix] as [keyof OciAddressPlan, number]]
      : []),
    ["api", API_ENDPOINT_PREFIX],
  ];
  const order = [...wanted].sort((a, b) => a[1] - b[1]);
  const out: Partial<Record<keyof OciAddressPlan, string>> = {};
  let next = range.start;
  for (const [role, prefix] of order) {
    const size = 2 ** (32 - prefix);
    const start = Math.ceil(next / size) * size;
    if (prefix < range.prefix || start + size > range.start + range.size) {
      const issue: Issue = {
        path: "network.cidr",
        value: network.cidr,
        message: `has no room on OCI for the ${role} subnet (/${prefix}) beside the others (pods /${wanted[0][1]}, workers /${network.privateSubnetPrefix}, public /${network.publicSubnetPrefix}, database /${network.databaseSubnetPrefix}, API /${API_ENDPOINT_PREFIX}); use a larger range or smaller prefixes`,
      };
      throw new ValidationError([issue], "", "Invalid OCI network");
    }
    out[role] = formatCidr(start, prefix);
    next = start + size;
  }
  return out as OciAddressPlan;
}

/**
 * The RFC 1918 ranges outside the VCN, as the fewest CIDRs: what the route tables send to the DRG
 * (a range holding the VCN is split around it, since OCI routes the VCN's own range locally).
 * Without a VPN the DRG has no other attachment and drops them, as no route would.
 */
export function privateRangesOutside(vcnCidr: string): string[] {
  const out: string[] = [];
  const split = (cidr: string): void => {
    if (!cidrsOverlap(cidr, vcnCidr)) {
      out.push(cidr);
      return;
    }
    if (cidrContains(vcnCidr, cidr)) return;
    const { start, prefix } = parseCidr(cidr)!;
    const half = 2 ** (32 - prefix - 1);
    split(formatCidr(start, prefix + 1));
    split(formatCidr(start + half, prefix + 1));
  };
  PRIVATE_RANGES.forEach(split);
  return out;
}
