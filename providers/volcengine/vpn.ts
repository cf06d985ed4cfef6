/**
 * Volcengine VPN layer: an IPsec VPN gateway in the first zone's public subnet, and per peer a
 * customer gateway and a route-based connection (IKEv2, AES-256, SHA-256, DH group 14 in both
 * phases, DPD restart, NAT traversal) whose pre-shared key is the configured one or a generated
 * one (a secret). Static routing: the gateway routes each peer CIDR to its connection, and every
 * private route table of the network layer routes it to the gateway, so nodes, pods (VPC-CNI) and
 * the private API endpoint answer the office. BGP over Volcengine VPN is not bound (catalog refuses
 * `bgpAsn`). The gateway has one public address: a single tunnel per peer.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Scope } from "../../components/types";
import type { VpnArgs, VpnConnectionInfo, VpnOutputs } from "../../components/vpn";
import * as vpc from "../../sdks/volcengine/vpc";
import * as vpn from "../../sdks/volcengine/vpn";
import { cidrLabel, nameOf, volcTags } from "./common";

/** Gateway bandwidth in Mbps (vpn_gateway `bandwidth`: 5, 10, 20, 50, 100, 200, 500). */
export const VPN_BANDWIDTH = 100;

/** IKE and IPsec proposals of every connection: what the issue and current guidance ask for. */
export const IPSEC_PROPOSAL = {
  ikeConfigVersion: "ikev2",
  ikeConfigMode: "main",
  ikeConfigEncAlg: "aes256",
  ikeConfigAuthAlg: "sha256",
  ikeConfigDhGroup: "group14",
  ikeConfigLifetime: 86400,
  ipsecConfigEncAlg: "aes256",
  ipsecConfigAuthAlg: "sha256",
  ipsecConfigDhGroup: "group14",
  ipsecConfigLifetime: 3600,
} as const;

export function volcengineVpn(scope: Scope, args: VpnArgs): VpnOutputs {
  const opts: pulumi.CustomResourceOptions = { parent: scope.parent };
  const tags = volcTags(scope.tags);
  const gateway = new vpn.Gateway(
    `${scope.name}-gateway`,
    {
      vpnGatewayName: nameOf(scope, "gateway"),
      vpcId: args.network.networkId,
      subnetId: args.network.publicSubnetIds.apply((ids) => ids[0]),
      bandwidth: VPN_BANDWIDTH,
      billingType: "PostPaid",
      ipsecEnabled: true,
      sslEnabled: false,
      description: `${scope.name}: site-to-site VPN`,
      tags,
    },
    opts,
  );

  const peers = args.vpn.peers.map((peer) => {
    const n = `${scope.name}-${peer.name}`;
    const psk =
      peer.preSharedKey !== undefined
        ? pulumi.secret(peer.preSharedKey)
        : new random.RandomPassword(`${n}-psk`, { length: 48, special: false }, opts).result;
    const customer = new vpn.CustomerGateway(
      `${n}-customer-gateway`,
      {
        customerGatewayName: nameOf(scope, peer.name),
        ipAddress: peer.publicIp,
        description: `${scope.name}: ${peer.name}`,
        tags,
      },
      opts,
    );
    const connection = new vpn.Connection(
      `${n}-connection`,
      {
        vpnConnectionName: nameOf(scope, peer.name),
        vpnGatewayId: gateway.id,
        customerGatewayId: customer.id,
        localSubnets: [args.network.cidr],
        remoteSubnets: [...peer.cidrs],
        ikeConfigPsk: psk,
        ...IPSEC_PROPOSAL,
        dpdAction: "restart",
        natTraversal: true,
        negotiateInstantly: true,
        logEnabled: true,
        description: `${scope.name}: ${peer.name}`,
        tags,
      },
      opts,
    );
    // Named by CIDR, so editing or reordering a peer's list moves no CIDR onto another route;
    // each is ForceNew on its destination and next hop, and a table (or the gateway) refuses a
    // second route to one destination: a replacement deletes the old route first.
    const routeOpts = { ...opts, deleteBeforeReplace: true };
    peer.cidrs.forEach((cidr) => {
      const label = cidrLabel(cidr);
      new vpn.GatewayRoute(
        `${n}-route-${label}`,
        { vpnGatewayId: gateway.id, destinationCidrBlock: cidr, nextHopId: connection.id },
        routeOpts,
      );
      args.zones.forEach((zone, z) => {
        new vpc.RouteEntry(
          `${n}-route-${label}-${z}`,
          {
            routeTableId: args.network.privateRouteTableIds.apply((ids) => ids[z]),
            destinationCidrBlock: cidr,
            nextHopType: "VpnGW",
            nextHopId: gateway.id,
            routeEntryName: nameOf(scope, `${peer.name}-${label}-${zone}`),
            description: `${peer.name} over the VPN`,
          },
          routeOpts,
        );
      });
    });
    return { peer, psk, connection };
  });

  const connections: pulumi.Output<VpnConnectionInfo[]> = pulumi.all(
    peers.map(({ peer, connection }) =>
      pulumi.all([connection.id, gateway.ipAddress]).apply(([id, address]) => ({
        peer: peer.name,
        connectionId: id,
        tunnelAddresses: [address],
      })),
    ),
  );
  return {
    gatewayId: gateway.id,
    connections,
    tunnelPreSharedKeys: pulumi.secret(
      pulumi
        .all(peers.map(({ peer, psk }) => pulumi.all([peer.name, psk])))
        .apply((pairs) => Object.fromEntries(pairs.map(([name, key]) => [name, [key]]))),
    ),
  };
}
