/**
 * Alibaba Cloud VPN layer: a dual-tunnel IPsec VPN gateway in the VPC (its two tunnel endpoints
 * in the node vSwitches of the first two zones that offer VPN gateways), one customer gateway per peer, and one IPsec
 * connection per peer with two tunnels (master and slave) on IKEv2, AES-256, SHA-256 and DH
 * group 14, BGP over each tunnel when the peer has an ASN, static destination routes otherwise.
 * The peers' networks are routed from every zone's private route table to the gateway.
 * Pre-shared keys: the configured one, or a random key per tunnel (exported as secrets).
 */
import * as vpc from "@pulumi/alicloud/vpc";
import * as vpn from "@pulumi/alicloud/vpn";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Scope } from "../../components/types";
import { linkLocalSessions } from "../../components/validation";
import type { VpnArgs, VpnConnectionInfo, VpnOutputs } from "../../components/vpn";
import { alibabaConfigIssues } from "./catalog";
import { alibabaTags, cutName, throwIfIssues } from "./common";

/** The VPN gateway's own BGP ASN (Alibaba Cloud's default for VPN gateways). */
export const GATEWAY_ASN = "45104";
/** Gateway bandwidth, Mbit/s. */
export const GATEWAY_BANDWIDTH = 200;
export const TUNNEL_ROLES = ["master", "slave"] as const;

export const IKE_CONFIG = {
  ikeVersion: "ikev2",
  ikeMode: "main",
  ikeEncAlg: "aes256",
  ikeAuthAlg: "sha256",
  ikePfs: "group14",
  ikeLifetime: 86400,
};
export const IPSEC_CONFIG = {
  ipsecEncAlg: "aes256",
  ipsecAuthAlg: "sha256",
  ipsecPfs: "group14",
  ipsecLifetime: 3600,
};

/** The BGP sessions of peer `index` over the two tunnels (169.254.(100+i).0/30 and .4/30 unless configured). */
export function alibabaBgpSessions(index: number, peerAddress?: string) {
  return linkLocalSessions(peerAddress ?? `169.254.${100 + index}.2`, TUNNEL_ROLES.length);
}

export function alibabaVpn(scope: Scope, args: VpnArgs): VpnOutputs {
  throwIfIssues(alibabaConfigIssues({ vpn: args.vpn }), "Invalid Alibaba Cloud VPN arguments");
  const opts = { parent: scope.parent };
  const tags = alibabaTags(scope.tags);
  // The gateway's two tunnel endpoints go to the first two of the stack's zones that offer VPN
  // gateways of this bandwidth (not every zone does).
  const offered = vpn
    .getGatewayZonesOutput({ spec: `${GATEWAY_BANDWIDTH}M` }, opts)
    .zones.apply((zones) => zones.map((z) => z.zoneId));
  const endpoints = pulumi.all([offered, args.network.privateSubnetIds]).apply(([ok, ids]) => {
    const picked = args.zones
      .map((zone, i) => ({ zone, id: ids[i] }))
      .filter((z) => ok.includes(z.zone));
    if (picked.length < 2)
      throw new Error(
        `a dual-tunnel VPN gateway needs two zones that offer it; of the stack's zones (${args.zones.join(", ")}) these do: ${picked.map((p) => p.zone).join(", ") || "none"} (offered: ${ok.join(", ")})`,
      );
    return picked.slice(0, 2).map((p) => p.id);
  });
  const gateway = new vpn.Gateway(
    `${scope.name}-gateway`,
    {
      vpnGatewayName: cutName(scope.name, 100),
      vpcId: args.network.networkId,
      vswitchId: endpoints.apply((ids) => ids[0]),
      disasterRecoveryVswitchId: endpoints.apply((ids) => ids[1]),
      bandwidth: GATEWAY_BANDWIDTH,
      enableIpsec: true,
      enableSsl: false,
      networkType: "public",
      vpnType: "Normal",
      paymentType: "PayAsYouGo",
      autoPropagate: true,
      description: `${scope.name} site-to-site VPN`,
      tags,
    },
    opts,
  );

  const peers = args.vpn.peers.map((peer, index) => {
    const n = `${scope.name}-${peer.name}`;
    const customer = new vpn.CustomerGateway(
      `${n}-cgw`,
      {
        customerGatewayName: cutName(n, 100),
        ipAddress: peer.publicIp,
        asn: peer.bgpAsn === undefined ? undefined : String(peer.bgpAsn),
        description: `${peer.name} peer device`,
        tags,
      },
      opts,
    );
    // Secret on our side too: the provider marks `psk` sensitive only at the top of its outputs.
    const keys = TUNNEL_ROLES.map((role) =>
      pulumi.secret(
        peer.preSharedKey ??
          new random.RandomPassword(`${n}-psk-${role}`, { length: 32, special: false }, opts)
            .result,
      ),
    );
    const bgp = peer.bgpAsn !== undefined;
    const sessions = bgp ? alibabaBgpSessions(index, peer.bgpPeerAddress) : [];
    const connection = new vpn.Connection(
      `${n}-connection`,
      {
        vpnConnectionName: cutName(n, 100),
        vpnGatewayId: gateway.id,
        localSubnets: [args.network.cidr],
        remoteSubnets: [...peer.cidrs],
        networkType: "public",
        effectImmediately: true,
        enableTunnelsBgp: bgp,
        tunnelOptionsSpecifications: TUNNEL_ROLES.map((role, t) => ({
          role,
          customerGatewayId: customer.id,
          enableDpd: true,
          enableNatTraversal: true,
          tunnelIkeConfig: { ...IKE_CONFIG, psk: keys[t] },
          tunnelIpsecConfig: IPSEC_CONFIG,
          ...(bgp
            ? {
                tunnelBgpConfig: {
                  localAsn: GATEWAY_ASN,
                  localBgpIp: sessions[t].cloudAddress,
                  tunnelCidr: sessions[t].range,
                },
              }
            : {}),
        })),
        tags,
      },
      { ...opts, additionalSecretOutputs: ["tunnelOptionsSpecifications"] },
    );
    // Static peers: destination routes on the gateway (BGP peers announce theirs).
    if (!bgp) {
      peer.cidrs.forEach(
        (cidr, c) =>
          new vpn.RouteEntry(
            `${n}-route-${c}`,
            {
              vpnGatewayId: gateway.id,
              routeDest: cidr,
              nextHop: connection.id,
              weight: 100,
              publishVpc: false,
            },
            opts,
          ),
      );
    }
    // Every zone's private route table sends the peer's networks to the gateway.
    args.zones.forEach((_, z) =>
      peer.cidrs.forEach(
        (cidr, c) =>
          new vpc.RouteEntry(
            `${n}-private-${z}-${c}`,
            {
              routeTableId: args.network.privateRouteTableIds.apply((ids) => ids[z]),
              destinationCidrblock: cidr,
              nexthopType: "VpnGateway",
              nexthopId: gateway.id,
            },
            { ...opts, dependsOn: [connection] },
          ),
      ),
    );
    const info = pulumi
      .all([connection.id, gateway.internetIp, gateway.disasterRecoveryInternetIp])
      .apply(([connectionId, master, slave]): VpnConnectionInfo => ({
        peer: peer.name,
        connectionId,
        tunnelAddresses: [master, slave],
        ...(bgp
          ? {
              bgpSessions: sessions.map((s) => ({
                cloudAddress: s.cloudAddress,
                peerAddress: s.peerAddress,
              })),
            }
          : {}),
      }));
    return { peer, info, keys };
  });

  return {
    gatewayId: gateway.id,
    connections: pulumi.all(peers.map((p) => p.info)),
    tunnelPreSharedKeys: pulumi.secret(
      pulumi
        .all(peers.map((p) => pulumi.all(p.keys)))
        .apply((keys) => Object.fromEntries(peers.map((p, i) => [p.peer.name, keys[i]]))),
    ),
  };
}
