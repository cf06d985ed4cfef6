/**
 * Network security groups from a table of allowed flows. NSGs admit nothing by default; each flow
 * "from A to B on ports" becomes B's ingress rule and A's egress rule (OCI checks both ends; the
 * rules are stateful, so replies pass). Sources and destinations are NSGs or CIDRs.
 */
import * as core from "@pulumi/oci/core";
import * as pulumi from "@pulumi/pulumi";
import { Scope } from "../../components/types";
import { displayName, ociTags } from "./common";

/** IANA protocol numbers OCI takes. */
export const PROTOCOL = { all: "all", tcp: "6", udp: "17", icmp: "1" } as const;

/** One end of a flow: an NSG of the layer, or a CIDR (no rule is written on a CIDR's side). */
export type Peer =
  | { readonly nsg: core.NetworkSecurityGroup }
  | { readonly cidr: pulumi.Input<string> }
  /** Another layer's NSG: a source or destination only (its own rules are that layer's). */
  | { readonly nsgId: pulumi.Input<string> };

export interface Flow {
  /** Rule descriptions and child names: unique per NSG pair. */
  readonly name: string;
  readonly from: Peer;
  readonly to: Peer;
  readonly protocol: keyof typeof PROTOCOL;
  /** TCP/UDP destination port range; unset means every port. */
  readonly ports?: readonly [number, number];
  /** ICMP type and code (type 3 code 4: path MTU discovery). */
  readonly icmp?: { readonly type: number; readonly code?: number };
}

/** An NSG on the VCN, tagged like the layer. */
export function nsg(
  scope: Scope,
  role: string,
  compartmentId: pulumi.Input<string>,
  vcnId: pulumi.Input<string>,
): core.NetworkSecurityGroup {
  return new core.NetworkSecurityGroup(
    `${scope.name}-${role}-nsg`,
    {
      compartmentId,
      vcnId,
      displayName: displayName(scope, role),
      freeformTags: ociTags(scope.tags),
    },
    { parent: scope.parent },
  );
}

function options(flow: Flow): Partial<core.NetworkSecurityGroupSecurityRuleArgs> {
  const range = flow.ports ? { min: flow.ports[0], max: flow.ports[1] } : undefined;
  if (flow.protocol === "tcp" && range) return { tcpOptions: { destinationPortRange: range } };
  if (flow.protocol === "udp" && range) return { udpOptions: { destinationPortRange: range } };
  if (flow.protocol === "icmp" && flow.icmp) return { icmpOptions: flow.icmp };
  return {};
}

/** The ingress and egress rules of every flow; child names `<scope>-<nsg role>-<in|out>-<flow>`. */
export function flowRules(
  scope: Scope,
  roles: ReadonlyMap<core.NetworkSecurityGroup, string>,
  flows: readonly Flow[],
): core.NetworkSecurityGroupSecurityRule[] {
  const rules: core.NetworkSecurityGroupSecurityRule[] = [];
  const end = (peer: Peer): { value: pulumi.Input<string>; type: string } =>
    "nsg" in peer
      ? { value: peer.nsg.id, type: "NETWORK_SECURITY_GROUP" }
      : "nsgId" in peer
        ? { value: peer.nsgId, type: "NETWORK_SECURITY_GROUP" }
        : { value: peer.cidr, type: "CIDR_BLOCK" };
  for (const flow of flows) {
    const common = {
      protocol: PROTOCOL[flow.protocol],
      stateless: false,
      description: flow.name,
      ...options(flow),
    };
    if ("nsg" in flow.to) {
      const source = end(flow.from);
      rules.push(
        new core.NetworkSecurityGroupSecurityRule(
          `${scope.name}-${roles.get(flow.to.nsg)}-in-${flow.name}`,
          {
            ...common,
            networkSecurityGroupId: flow.to.nsg.id,
            direction: "INGRESS",
            source: source.value,
            sourceType: source.type,
          },
          { parent: scope.parent },
        ),
      );
    }
    if ("nsg" in flow.from) {
      const destination = end(flow.to);
      rules.push(
        new core.NetworkSecurityGroupSecurityRule(
          `${scope.name}-${roles.get(flow.from.nsg)}-out-${flow.name}`,
          {
            ...common,
            networkSecurityGroupId: flow.from.nsg.id,
            direction: "EGRESS",
            destination: destination.value,
            destinationType: destination.type,
          },
          { parent: scope.parent },
        ),
      );
    }
  }
  return rules;
}
