/**
 * The Alibaba Cloud address plan: the shared tiers (public, private/nodes, database) packed from the
 * bottom of the VPC range by `planSubnets`, and one pod vSwitch per zone for Terway packed from the
 * top, each as large as a node vSwitch (Terway gives every pod a VPC address from these). Pure and
 * deterministic, so vSwitches never move between runs; config validation runs the same plan.
 */
import {
  formatCidr,
  parseCidr,
  planSubnets,
  SubnetPlan,
  SubnetPlanError,
} from "../../components/cidr";
import type { NetworkConfig } from "../../components/types";
import { ValidationError } from "../../components/validation";

export interface AlibabaNetworkPlan extends SubnetPlan {
  /** Terway pod vSwitches, one per zone, in zone order. */
  readonly pods: string[];
}

/** The plan for `zoneCount` zones, or a ValidationError naming `network.cidr` when it does not fit. */
export function planAlibabaNetwork(network: NetworkConfig, zoneCount: number): AlibabaNetworkPlan {
  const fail = (message: string): never => {
    throw new ValidationError(
      [{ path: "network.cidr", value: network.cidr, message }],
      "officeless:",
      "Invalid Alibaba Cloud network plan",
    );
  };
  const range = parseCidr(network.cidr) ?? fail("is not an IPv4 CIDR with zero host bits");
  let tiers: SubnetPlan;
  try {
    tiers = planSubnets(network.cidr, zoneCount, {
      publicPrefix: network.publicSubnetPrefix,
      privatePrefix: network.privateSubnetPrefix,
      databasePrefix: network.databaseSubnetPrefix,
    });
  } catch (err) {
    if (err instanceof SubnetPlanError) return fail(err.message);
    throw err;
  }
  const size = (prefix: number) => 2 ** (32 - prefix);
  const used =
    zoneCount *
    (size(network.publicSubnetPrefix) +
      size(network.privateSubnetPrefix) +
      (network.databaseSubnetPrefix > 0 ? size(network.databaseSubnetPrefix) : 0));
  const podSize = size(network.privateSubnetPrefix);
  if (used + zoneCount * podSize > range.size) {
    fail(
      `has ${range.size} addresses; ${zoneCount} zones need ${used} for the public, node and database vSwitches and ${zoneCount * podSize} more for Terway's pod vSwitches (one /${network.privateSubnetPrefix} per zone); use a larger range or a longer privateSubnetPrefix`,
    );
  }
  const top = range.start + range.size;
  const pods = Array.from({ length: zoneCount }, (_, i) =>
    formatCidr(top - (zoneCount - i) * podSize, network.privateSubnetPrefix),
  );
  return { ...tiers, pods };
}
