import * as pulumi from "@pulumi/pulumi";
import { backendFor } from "../providers/registry";
import { LayerComponent } from "./layerComponent";
import { outputKeys } from "./outputs";
import { CommonArgs, NetworkConfig } from "./types";
import { validateNetworkArgs } from "./validation";

export interface NetworkArgs extends CommonArgs {
  /** Zones to spread subnets over, in order; subnet indexes follow this order. */
  readonly zones: readonly string[];
  readonly network: NetworkConfig;
}

/** What the network layer exports and downstream layers read. */
export interface NetworkOutputs {
  readonly networkId: pulumi.Output<string>;
  readonly cidr: pulumi.Output<string>;
  readonly zones: pulumi.Output<string[]>;
  /** One per zone, in zone order. */
  readonly publicSubnetIds: pulumi.Output<string[]>;
  /** One per zone, in zone order: nodes, pods, mount targets, cache. */
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** One per zone, no route to the internet; empty when the database tier is off. */
  readonly databaseSubnetIds: pulumi.Output<string[]>;
  /** Route tables of the private subnets (VPN routes are propagated into them). */
  readonly privateRouteTableIds: pulumi.Output<string[]>;
  /** Public IPs of the NAT gateways: what peers see as the platform's egress. */
  readonly natPublicIps: pulumi.Output<string[]>;
}

export const NETWORK_OUTPUT_KEYS = outputKeys<NetworkOutputs>({
  networkId: true,
  cidr: true,
  zones: true,
  publicSubnetIds: true,
  privateSubnetIds: true,
  databaseSubnetIds: true,
  privateRouteTableIds: true,
  natPublicIps: true,
});

/** A private network over several zones: public, private and database tiers, NAT, flow logs. */
export class Network extends LayerComponent<NetworkOutputs> {
  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    validateNetworkArgs(args);
    super(
      "officeless:network:Network",
      name,
      "network",
      args,
      NETWORK_OUTPUT_KEYS,
      (scope) => backendFor(args.cloud).network(scope, args),
      opts,
    );
  }
}
