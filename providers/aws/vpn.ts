/**
 * AWS VPN layer: a virtual private gateway on the VPC, and per peer a customer gateway and an
 * IPsec connection (two tunnels) restricted to IKEv2 with strong ciphers. Peers without a BGP ASN
 * get static routes; the gateway propagates every VPN route into each private route table. A
 * peer's `bgpPeerAddress` sets the tunnels' inside /30s; unset, AWS picks them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BgpSession, VpnArgs, VpnConnectionInfo, VpnOutputs } from "../../components/vpn";
import { Scope, VpnPeerConfig } from "../../components/types";
import { linkLocalSessions, ValidationError } from "../../components/validation";
import { AWS_TUNNELS, awsConfigIssues } from "./catalog";

/** The ASN a customer gateway declares when the peer routes statically (AWS requires one). */
export const STATIC_PEER_ASN = 65000;

/** Largest ASN `bgpAsn` takes; larger 4-byte ASNs go in `bgpAsnExtended`. */
const MAX_BGP_ASN = 2147483647;

/**
 * Tunnel options both tunnels get: IKEv2 only, AES-256 (CBC or GCM), SHA-2 integrity, and
 * Diffie-Hellman groups 14 and up without the small-subgroup MODP groups 22-24 (RFC 8247).
 * DPD restarts IKE so a tunnel recovers on its own after the peer comes back.
 */
export const TUNNEL_CRYPTO = {
  IkeVersions: ["ikev2"],
  Phase1EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  Phase1IntegrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
  Phase1DhGroupNumbers: [14, 15, 16, 17, 18, 19, 20, 21],
  Phase2EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  Phase2IntegrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
  Phase2DhGroupNumbers: [14, 15, 16, 17, 18, 19, 20, 21],
  DpdTimeoutAction: "restart",
} as const;

/** `TUNNEL_CRYPTO` as `tunnel1*` and `tunnel2*` arguments of a VPN connection. */
export function tunnelOptions(
  preSharedKey?: pulumi.Input<string>,
): Partial<aws.ec2.VpnConnectionArgs> {
  const out: Record<string, unknown> = {};
  for (const tunnel of ["tunnel1", "tunnel2"]) {
    for (const [option, value] of Object.entries(TUNNEL_CRYPTO)) {
      out[`${tunnel}${option}`] = Array.isArray(value) ? [...value] : value;
    }
    if (preSharedKey !== undefined) out[`${tunnel}PresharedKey`] = preSharedKey;
  }
  return out as Partial<aws.ec2.VpnConnectionArgs>;
}

type GatewayAsn = Pick<aws.ec2.CustomerGatewayArgs, "bgpAsn" | "bgpAsnExtended">;

function customerGatewayAsn(peer: VpnPeerConfig): GatewayAsn {
  const asn = peer.bgpAsn ?? STATIC_PEER_ASN;
  return asn > MAX_BGP_ASN ? { bgpAsnExtended: String(asn) } : { bgpAsn: String(asn) };
}

/**
 * The tunnels' inside /30s from the peer's `bgpPeerAddress`: tunnel 1 the /30 holding it, tunnel 2
 * the next. Unset, AWS picks both (they are read back from the connection for `bgpSessions`).
 * Setting or changing it on an existing connection may replace the connection, with new tunnel
 * endpoints and generated keys: the AWS provider forced that before in-place support (TF #45781).
 */
export function tunnelInsideCidrs(
  peer: VpnPeerConfig,
): Pick<aws.ec2.VpnConnectionArgs, "tunnel1InsideCidr" | "tunnel2InsideCidr"> {
  if (peer.bgpPeerAddress === undefined) return {};
  const [tunnel1, tunnel2] = linkLocalSessions(peer.bgpPeerAddress, AWS_TUNNELS).map(
    (s) => s.range,
  );
  return { tunnel1InsideCidr: tunnel1, tunnel2InsideCidr: tunnel2 };
}

/** The AWS VPN backend. */
export function awsVpn(scope: Scope, args: VpnArgs): VpnOutputs {
  // What AWS would refuse (tunnel inside ranges), before any child exists.
  const issues = awsConfigIssues({ vpn: args.vpn });
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Vpn arguments");
  const opts = { parent: scope.parent };
  const gateway = new aws.ec2.VpnGateway(
    `${scope.name}-gateway`,
    { vpcId: args.network.networkId, tags: { ...scope.tags, Name: scope.name } },
    opts,
  );

  // Static and BGP-learned routes reach the nodes' route tables, one per zone.
  args.zones.forEach((_zone, i) => {
    new aws.ec2.VpnGatewayRoutePropagation(
      `${scope.name}-propagation-${i}`,
      {
        vpnGatewayId: gateway.id,
        routeTableId: args.network.privateRouteTableIds.apply((ids) => ids[i]),
      },
      opts,
    );
  });

  const connections = args.vpn.peers.map((peer) => {
    const n = `${scope.name}-${peer.name}`;
    const tags = { ...scope.tags, Name: n, peer: peer.name };
    const customerGateway = new aws.ec2.CustomerGateway(
      `${n}-cgw`,
      {
        type: "ipsec.1",
        ipAddress: peer.publicIp,
        ...customerGatewayAsn(peer),
        deviceName: peer.name,
        tags,
      },
      opts,
    );
    const staticRoutes = peer.bgpAsn === undefined;
    const connection = new aws.ec2.VpnConnection(
      `${n}-connection`,
      {
        type: "ipsec.1",
        vpnGatewayId: gateway.id,
        customerGatewayId: customerGateway.id,
        staticRoutesOnly: staticRoutes,
        ...tunnelOptions(peer.preSharedKey),
        ...tunnelInsideCidrs(peer),
        tags,
      },
      opts,
    );
    if (staticRoutes) {
      peer.cidrs.forEach((cidr, j) => {
        new aws.ec2.VpnConnectionRoute(
          `${n}-route-${j}`,
          { vpnConnectionId: connection.id, destinationCidrBlock: cidr },
          opts,
        );
      });
    }
    return { peer: peer.name, connection, bgp: !staticRoutes };
  });

  return {
    gatewayId: gateway.id,
    connections: pulumi.all(
      connections.map(({ peer, connection, bgp }) => {
        // What the peer configures per tunnel, as AWS reports it (chosen by AWS or from bgpPeerAddress).
        const sessions = pulumi
          .all([
            connection.tunnel1VgwInsideAddress,
            connection.tunnel1CgwInsideAddress,
            connection.tunnel2VgwInsideAddress,
            connection.tunnel2CgwInsideAddress,
          ])
          .apply(([vgw1, cgw1, vgw2, cgw2]): BgpSession[] => [
            { cloudAddress: vgw1, peerAddress: cgw1 },
            { cloudAddress: vgw2, peerAddress: cgw2 },
          ]);
        return pulumi
          .all([connection.id, connection.tunnel1Address, connection.tunnel2Address, sessions])
          .apply(([connectionId, t1, t2, bgpSessions]): VpnConnectionInfo => ({
            peer,
            connectionId,
            tunnelAddresses: [t1, t2],
            ...(bgp ? { bgpSessions } : {}),
          }));
      }),
    ),
    tunnelPreSharedKeys: pulumi
      .all(connections.map(({ connection: c }) => [c.tunnel1PresharedKey, c.tunnel2PresharedKey]))
      .apply((keys) => Object.fromEntries(connections.map(({ peer }, i) => [peer, keys[i]]))),
  };
}
