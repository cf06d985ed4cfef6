import * as pulumi from "@pulumi/pulumi";
import { backendFor } from "../providers/registry";
import { LayerComponent } from "./layerComponent";
import { NetworkOutputs } from "./network";
import { outputKeys } from "./outputs";
import { CommonArgs, VpnConfig } from "./types";
import { validateVpnArgs } from "./validation";

export interface VpnArgs extends CommonArgs {
  /** The network's zones: one private route table per zone receives the VPN routes. */
  readonly zones: readonly string[];
  readonly vpn: VpnConfig;
  readonly network: NetworkOutputs;
}

/** One BGP session over a tunnel: what the peer device configures as its neighbour and itself. */
export interface BgpSession {
  /** The cloud side's BGP address: the peer device's neighbour. */
  readonly cloudAddress: string;
  /** The peer device's own BGP address (`bgpPeerAddress`, or the cloud's derivation of it). */
  readonly peerAddress: string;
}

export interface VpnConnectionInfo {
  readonly peer: string;
  readonly connectionId: string;
  /** Cloud-side tunnel endpoints the peer device connects to. */
  readonly tunnelAddresses: string[];
  /**
   * The BGP sessions to configure on the peer device: one per tunnel on AWS and GCP, one per
   * gateway instance on Azure. Absent when the peer routes statically (no BGP).
   */
  readonly bgpSessions?: BgpSession[];
}

export interface VpnOutputs {
  readonly gatewayId: pulumi.Output<string>;
  readonly connections: pulumi.Output<VpnConnectionInfo[]>;
  /** Pre-shared keys per peer and tunnel. Secret. */
  readonly tunnelPreSharedKeys: pulumi.Output<Record<string, string[]>>;
  /**
   * The gateway's own configuration where the platform renders it (on-prem: strongSwan's
   * swanctl.conf for every peer, keys included). Secret. Absent on the clouds.
   */
  readonly gatewayConfig?: pulumi.Output<string>;
}

export const VPN_OUTPUT_KEYS = outputKeys<VpnOutputs>({
  gatewayId: true,
  connections: true,
  tunnelPreSharedKeys: true,
  gatewayConfig: true,
});

/** Site-to-site IPsec VPN: a gateway on the network and one connection per configured peer. */
export class Vpn extends LayerComponent<VpnOutputs> {
  constructor(name: string, args: VpnArgs, opts?: pulumi.ComponentResourceOptions) {
    validateVpnArgs(args);
    super(
      "officeless:vpn:Vpn",
      name,
      "vpn",
      args,
      VPN_OUTPUT_KEYS,
      (scope) => {
        const out = backendFor(args.cloud).vpn(scope, args);
        return {
          ...out,
          tunnelPreSharedKeys: pulumi.secret(out.tunnelPreSharedKeys),
          ...(out.gatewayConfig ? { gatewayConfig: pulumi.secret(out.gatewayConfig) } : {}),
        };
      },
      opts,
    );
  }
}
