/**
 * GCP VPN layer: an HA VPN gateway (two interfaces, 99.99% SLA with two tunnels) on its own
 * Cloud Router, and per peer an external VPN gateway, two IKEv2 tunnels (interfaces 0 and 1) with
 * pre-shared keys, and a BGP session per tunnel. HA VPN requires BGP: peers configured without an
 * ASN get DEFAULT_PEER_ASN and must run BGP with it; the routes to their `cidrs` are installed as
 * custom learned ranges either way, and the platform network is advertised to every peer. Each
 * session sits in a link-local /30: from the peer's `bgpPeerAddress` when set, else derived from its
 * position in the peer list; the sessions are exported so the peer knows what to configure.
 */
import * as compute from "@pulumi/gcp/compute";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { VpnArgs, VpnConnectionInfo, VpnOutputs } from "../../components/vpn";
import { Scope, VpnPeerConfig } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { gcpBgpSessions, gcpConfigIssues, TUNNEL_INTERFACES } from "./catalog";
import { gcpLabels, gcpProject, projectServices } from "./common";

/** Google's side of every BGP session (a private ASN). */
export const CLOUD_ROUTER_ASN = 64514;
/** The ASN assumed for a peer configured without one: HA VPN has no static-route mode. */
export const DEFAULT_PEER_ASN = 65000;

/**
 * The link-local BGP session of peer `peerIndex` on tunnel `tunnel`: `range` is Cloud Router's
 * interface address with the /30's prefix, as a router interface takes it. From the peer's
 * `bgpPeerAddress` when set, else 169.254.(100 + i).(4t)/30 with Cloud Router on .1 and the peer on
 * .2 (catalog.ts `gcpBgpSessions`).
 */
export function bgpSession(
  peerIndex: number,
  tunnel: number,
  peerAddress?: string,
): { range: string; routerIp: string; peerIp: string } {
  const session = gcpBgpSessions(peerIndex, peerAddress)[tunnel];
  return {
    range: `${session.cloudAddress}/30`,
    routerIp: session.cloudAddress,
    peerIp: session.peerAddress,
  };
}

/** The ASN a peer's BGP sessions use. */
export function peerAsn(peer: VpnPeerConfig): number {
  return peer.bgpAsn ?? DEFAULT_PEER_ASN;
}

/**
 * Logical names of a peer's external gateway and tunnels. Both are auto-named (`<logical>-<7
 * random>`) and GCP caps them at 63 characters: at the longest accepted names (`officeless:name`
 * 24, so scope `<24>-vpn`, and a 20-character peer) the short suffixes `-gw` and `-t<i>` give 60,
 * where the first names (`-peer-gateway`, `-tunnel-<i>`) gave 70 and 66. Stacks created with the
 * first names keep their resources and cloud names through the aliases.
 */
export function peerChildNames(scopeName: string, peerName: string) {
  const n = `${scopeName}-${peerName}`;
  return {
    gateway: `${n}-gw`,
    tunnel: (t: number) => `${n}-t${t}`,
    previousGateway: `${n}-peer-gateway`,
    previousTunnel: (t: number) => `${n}-tunnel-${t}`,
  };
}

/** The GCP VPN backend. */
export function gcpVpn(scope: Scope, args: VpnArgs): VpnOutputs {
  // What HA VPN would refuse (BGP addresses outside link-local /30s, clashing sessions).
  const issues = gcpConfigIssues({ vpn: args.vpn });
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Vpn arguments");
  const { apis } = projectServices(scope, gcpProject(scope), ["compute.googleapis.com"]);
  const opts = { parent: scope.parent, dependsOn: apis };
  const labels = gcpLabels(scope.tags);

  const gateway = new compute.HaVpnGateway(
    `${scope.name}-gateway`,
    {
      network: args.network.networkId,
      region: args.region,
      description: `${scope.name}: HA VPN`,
      labels,
    },
    opts,
  );
  const router = new compute.Router(
    `${scope.name}-router`,
    {
      network: args.network.networkId,
      region: args.region,
      description: `${scope.name}: BGP for HA VPN`,
      bgp: {
        asn: CLOUD_ROUTER_ASN,
        // The whole platform network (subnets, pods, services, private services access) goes to peers.
        advertiseMode: "CUSTOM",
        advertisedIpRanges: [{ range: args.network.cidr, description: "platform network" }],
      },
    },
    opts,
  );

  const connections = args.vpn.peers.map((peer, p) => {
    const n = `${scope.name}-${peer.name}`;
    const names = peerChildNames(scope.name, peer.name);
    const external = new compute.ExternalVpnGateway(
      names.gateway,
      {
        // One device with one public address (it may be redundant internally).
        redundancyType: "SINGLE_IP_INTERNALLY_REDUNDANT",
        interfaces: [{ id: 0, ipAddress: peer.publicIp }],
        description: `${scope.name}: VPN peer ${peer.name}`,
        labels: { ...labels, peer: peer.name },
      },
      { ...opts, aliases: [{ name: names.previousGateway }] },
    );
    const keys = TUNNEL_INTERFACES.map((t) =>
      peer.preSharedKey !== undefined
        ? pulumi.secret(peer.preSharedKey)
        : new random.RandomPassword(`${n}-psk-${t}`, { length: 48, special: false }, opts).result,
    );
    const tunnels = TUNNEL_INTERFACES.map((t) => {
      const tunnel = new compute.VPNTunnel(
        names.tunnel(t),
        {
          region: args.region,
          vpnGateway: gateway.id,
          vpnGatewayInterface: t,
          peerExternalGateway: external.id,
          peerExternalGatewayInterface: 0,
          ikeVersion: 2,
          sharedSecret: keys[t],
          router: router.id,
          description: `${scope.name}: tunnel ${t} to ${peer.name}`,
          labels: { ...labels, peer: peer.name },
        },
        { ...opts, aliases: [{ name: names.previousTunnel(t) }] },
      );
      const session = bgpSession(p, t, peer.bgpPeerAddress);
      const iface = new compute.RouterInterface(
        `${n}-bgp-if-${t}`,
        {
          name: `${peer.name}-if-${t}`,
          router: router.name,
          region: args.region,
          ipRange: session.range,
          vpnTunnel: tunnel.name,
        },
        opts,
      );
      new compute.RouterPeer(
        `${n}-bgp-peer-${t}`,
        {
          name: `${peer.name}-peer-${t}`,
          router: router.name,
          region: args.region,
          interface: iface.name,
          ipAddress: session.routerIp,
          peerIpAddress: session.peerIp,
          peerAsn: peerAsn(peer),
          advertisedRoutePriority: 100,
          // Routes to the configured peer networks exist even before the peer advertises them.
          customLearnedIpRanges: peer.cidrs.map((range) => ({ range })),
          customLearnedRoutePriority: 100,
        },
        opts,
      );
      return tunnel;
    });
    const bgpSessions = TUNNEL_INTERFACES.map((t) => {
      const { routerIp, peerIp } = bgpSession(p, t, peer.bgpPeerAddress);
      return { cloudAddress: routerIp, peerAddress: peerIp };
    });
    return { peer: peer.name, external, tunnels, keys, bgpSessions };
  });

  const tunnelAddresses = gateway.vpnInterfaces.apply((ifs) =>
    TUNNEL_INTERFACES.map((t) => ifs.find((i) => i.id === t)?.ipAddress ?? ""),
  );
  return {
    gatewayId: gateway.id,
    connections: pulumi.all(
      connections.map(({ peer, external, tunnels, bgpSessions }) =>
        pulumi
          // The connection is ready when both of its tunnels are.
          .all([external.id, tunnelAddresses, pulumi.all(tunnels.map((t) => t.id))])
          .apply(([connectionId, addresses]): VpnConnectionInfo => ({
            peer,
            connectionId,
            tunnelAddresses: addresses,
            bgpSessions,
          })),
      ),
    ),
    tunnelPreSharedKeys: pulumi
      .all(connections.map(({ keys }) => pulumi.all(keys)))
      .apply((keys) => Object.fromEntries(connections.map(({ peer }, i) => [peer, keys[i]]))),
  };
}
