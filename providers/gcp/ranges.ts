/**
 * The GCP address plan: a fixed scheme carved from the network CIDR with components/cidr.ts, so
 * every range is known from the CIDR alone and never moves between runs. For a network of prefix
 * /p (`10.30.0.0/16` in the examples):
 *
 * | share            | range (/16 example)  | use                                                          |
 * |------------------|----------------------|--------------------------------------------------------------|
 * | first half       | 10.30.0.0/17         | pods: secondary range `pods` (a /24 per node: 128 nodes)     |
 * | third quarter    | 10.30.128.0/18       | subnets from config: nodes, proxy-only (public), database    |
 * | seventh eighth   | 10.30.192.0/19       | services: secondary range `services`                         |
 * | 15th sixteenth   | 10.30.224.0/20       | private services access (Filestore, Memorystore for Redis)   |
 * | last sixteenth   | 10.30.240.0/28       | GKE control plane (`masterIpv4CidrBlock`); the rest is spare |
 *
 * The configured subnets are packed largest first inside their quarter (nodes at
 * `privateSubnetPrefix`, the proxy-only subnet at `publicSubnetPrefix`, the database tier at
 * `databaseSubnetPrefix`), like planSubnets does. Because the pods, services and control-plane
 * ranges depend on the CIDR only, the kubernetes layer derives them from the network's `cidr`
 * output without the network's config.
 */
import { formatCidr, parseCidr } from "../../components/cidr";
import type { NetworkConfig } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";

/** Secondary range names on the node subnet; the cluster's ipAllocationPolicy names them. */
export const PODS_RANGE_NAME = "pods";
export const SERVICES_RANGE_NAME = "services";

/** Widest and narrowest network the scheme supports. */
export const MIN_NETWORK_PREFIX = 8;
export const MAX_NETWORK_PREFIX = 18;

/**
 * The narrowest proxy-only subnet: regional Envoy load balancers need at least 64 addresses, a /26
 * (cloud.google.com/load-balancing/docs/proxy-only-subnets); /27 and /28 are refused.
 */
export const MAX_PROXY_ONLY_PREFIX = 26;

/** Pod addresses GKE reserves per node at the default 110 pods per node (a /24). */
export const POD_ADDRESSES_PER_NODE = 256;

/** Ranges that depend on the network CIDR only. */
export interface FixedRanges {
  readonly pods: string;
  readonly services: string;
  readonly privateServiceAccess: string;
  readonly controlPlane: string;
  /** The quarter the configured subnets are packed into. */
  readonly subnetBlock: string;
}

export interface GcpAddressPlan extends FixedRanges {
  /** Primary range of the regional node subnet. */
  readonly nodes: string;
  /** The proxy-only subnet regional Envoy load balancers (Gateway API) run in. */
  readonly proxyOnly: string;
  /** The isolated database tier (Private Service Connect endpoints); undefined when off. */
  readonly database?: string;
}

function fail(issue: Issue): never {
  throw new ValidationError([issue], "args.", "Invalid Network arguments");
}

/** The pods, services, private-services and control-plane ranges of a network CIDR. */
export function fixedRanges(cidr: string): FixedRanges {
  const range = parseCidr(cidr);
  if (!range)
    fail({
      path: "network.cidr",
      value: cidr,
      message: "must be an IPv4 CIDR with zero host bits",
    });
  const p = range.prefix;
  if (p < MIN_NETWORK_PREFIX || p > MAX_NETWORK_PREFIX) {
    fail({
      path: "network.cidr",
      value: cidr,
      message: `on GCP must be a /${MIN_NETWORK_PREFIX} to /${MAX_NETWORK_PREFIX}: half of it holds the pod ranges of every node`,
    });
  }
  const at = (fraction: number) => range.start + range.size * fraction;
  return {
    pods: formatCidr(at(0), p + 1),
    subnetBlock: formatCidr(at(1 / 2), p + 2),
    services: formatCidr(at(3 / 4), p + 3),
    privateServiceAccess: formatCidr(at(7 / 8), p + 4),
    controlPlane: formatCidr(at(15 / 16), 28),
  };
}

/** Nodes the pods range can hold at the default 110 pods per node. */
export function podNodeCapacity(cidr: string): number {
  const pods = parseCidr(fixedRanges(cidr).pods)!;
  return pods.size / POD_ADDRESSES_PER_NODE;
}

/** The full plan for a network config; throws a ValidationError naming the prefix that does not fit. */
export function planGcpNetwork(
  network: Pick<
    NetworkConfig,
    "cidr" | "publicSubnetPrefix" | "privateSubnetPrefix" | "databaseSubnetPrefix"
  >,
): GcpAddressPlan {
  const fixed = fixedRanges(network.cidr);
  const block = parseCidr(fixed.subnetBlock)!;
  const tiers: {
    key: "nodes" | "proxyOnly" | "database";
    path: string;
    prefix: number;
    max: number;
    why?: string;
  }[] = [
    {
      key: "nodes",
      path: "network.privateSubnetPrefix",
      prefix: network.privateSubnetPrefix,
      max: 28,
    },
    {
      key: "proxyOnly",
      path: "network.publicSubnetPrefix",
      prefix: network.publicSubnetPrefix,
      max: MAX_PROXY_ONLY_PREFIX,
      why: "; on GCP it is the proxy-only subnet, which must hold at least 64 addresses (Google recommends /23)",
    },
  ];
  if (network.databaseSubnetPrefix > 0) {
    tiers.push({
      key: "database",
      path: "network.databaseSubnetPrefix",
      prefix: network.databaseSubnetPrefix,
      max: 28,
    });
  }
  for (const tier of tiers) {
    if (!Number.isInteger(tier.prefix) || tier.prefix <= block.prefix || tier.prefix > tier.max) {
      fail({
        path: tier.path,
        value: tier.prefix,
        message: `must be between /${block.prefix + 1} and /${tier.max}: the subnets share ${fixed.subnetBlock}, a quarter of ${network.cidr}${tier.why ?? ""}`,
      });
    }
  }
  const needed = tiers.reduce((sum, t) => sum + 2 ** (32 - t.prefix), 0);
  if (needed > block.size) {
    fail({
      path: "network.privateSubnetPrefix",
      value: network.privateSubnetPrefix,
      message: `the subnets (${tiers.map((t) => `/${t.prefix}`).join(", ")}) need ${needed} addresses; their quarter ${fixed.subnetBlock} has ${block.size}`,
    });
  }
  const out: Record<string, string> = {};
  let cursor = block.start;
  // Largest first keeps every block aligned; the stable sort keeps nodes before equal-sized tiers.
  for (const tier of [...tiers].sort((a, b) => a.prefix - b.prefix)) {
    out[tier.key] = formatCidr(cursor, tier.prefix);
    cursor += 2 ** (32 - tier.prefix);
  }
  return { ...fixed, nodes: out.nodes, proxyOnly: out.proxyOnly, database: out.database };
}
