/**
 * Azure VPN layer: the GatewaySubnet in the network's VNet, a route-based, zone-redundant virtual
 * network gateway (active-active in prod), and per peer a local network gateway and an IKEv2
 * connection with a strong custom IPsec policy. Everything lives in the network's resource group,
 * where Azure wants a VNet's gateway; routes reach every subnet without route tables. A BGP peer's
 * address is its `bgpPeerAddress` (or the first host of its first network); the sessions, one per
 * gateway instance, are exported so the peer knows its neighbours.
 */
import * as network from "@pulumi/azure-native/network";
import type * as outputs from "@pulumi/azure-native/types/output";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { VpnArgs, VpnConnectionInfo, VpnOutputs } from "../../components/vpn";
import { formatCidr, parseCidr } from "../../components/cidr";
import { Scope, VpnPeerConfig } from "../../components/types";
import { azureConfigIssues } from "./catalog";
import { armIdPart, throwIfIssues } from "./common";
import { GATEWAY_SUBNET_NAME, gatewaySubnetCidr, ZONE_REDUNDANT } from "./network";

/** The ASN Azure VPN gateways use unless told otherwise. */
export const AZURE_GATEWAY_ASN = 65515;

/**
 * One IPsec/IKE policy for every connection: IKEv2 with AES-256-GCM and SHA-384, ECP384 for the
 * key exchange and PFS (RFC 8247's recommended elliptic group, none of the weak MODP groups),
 * SAs renewed every 7.5 hours or 100 GB, Azure's defaults.
 */
export const IPSEC_POLICY = {
  ikeEncryption: "GCMAES256",
  ikeIntegrity: "SHA384",
  dhGroup: "ECP384",
  ipsecEncryption: "GCMAES256",
  // With GCM, integrity is the cipher's own.
  ipsecIntegrity: "GCMAES256",
  pfsGroup: "ECP384",
  saLifeTimeSeconds: 27000,
  saDataSizeKilobytes: 102400000,
} as const;

/** Zone-redundant SKUs: VpnGw2AZ (generation 2, more throughput) in prod, VpnGw1AZ otherwise. */
export function gatewaySku(environment: string): {
  sku: "VpnGw2AZ" | "VpnGw1AZ";
  generation: "Generation2" | "Generation1";
} {
  return environment === "prod"
    ? { sku: "VpnGw2AZ", generation: "Generation2" }
    : { sku: "VpnGw1AZ", generation: "Generation1" };
}

/**
 * The address the peer's BGP speaker uses: its `bgpPeerAddress` when set, else the first host of its
 * first network (e.g. 192.168.0.1 for 192.168.0.0/16), reached through the tunnel. Azure needs one
 * and it may not be the device's public IP.
 */
export function peerBgpAddress(peer: Pick<VpnPeerConfig, "cidrs" | "bgpPeerAddress">): string {
  if (peer.bgpPeerAddress !== undefined) return peer.bgpPeerAddress;
  const range = parseCidr(peer.cidrs[0]);
  if (!range) throw new Error(`"${peer.cidrs[0]}" is not an IPv4 CIDR`);
  return formatCidr(range.start + 1, 32).split("/")[0];
}

/**
 * The gateway's BGP address per instance, in instance order: the default one Azure gives each IP
 * configuration (`ipconfig-<i>`), falling back to the comma-separated `bgpPeeringAddress`.
 */
export function gatewayBgpAddresses(
  settings: outputs.network.BgpSettingsResponse | undefined,
  instances: number,
): string[] {
  const listed = settings?.bgpPeeringAddress?.split(",").map((a) => a.trim()) ?? [];
  const perConfig = settings?.bgpPeeringAddresses ?? [];
  return Array.from({ length: instances }, (_, i) => {
    const config =
      perConfig.find((c) => c.ipconfigurationId?.endsWith(`/ipconfig-${i}`)) ?? perConfig[i];
    return config?.defaultBgpIpAddresses[0] ?? listed[i] ?? "";
  });
}

/** The Azure VPN backend. */
export function azureVpn(scope: Scope, args: VpnArgs): VpnOutputs {
  throwIfIssues(azureConfigIssues({ vpn: args.vpn }), "Invalid Vpn arguments");
  const opts = { parent: scope.parent };
  const location = args.region;
  const prod = args.environment === "prod";
  const resourceGroupName = args.network.networkId.apply((id) => armIdPart(id, "resourceGroups"));
  const virtualNetworkName = args.network.networkId.apply((id) => armIdPart(id, "virtualNetworks"));

  // The one subnet a gateway may use; Azure does not support NSGs on it.
  const gatewaySubnet = new network.Subnet(
    `${scope.name}-gateway-subnet`,
    {
      resourceGroupName,
      virtualNetworkName,
      subnetName: GATEWAY_SUBNET_NAME,
      addressPrefix: args.network.cidr.apply(gatewaySubnetCidr),
    },
    opts,
  );

  // Active-active gateways have two instances, each with its own zone-redundant IP.
  const instances = prod ? 2 : 1;
  const ips = Array.from(
    { length: instances },
    (_, i) =>
      new network.PublicIPAddress(
        `${scope.name}-ip-${i}`,
        {
          resourceGroupName,
          location,
          publicIpAddressName: `${scope.name}-ip-${i}`,
          sku: { name: "Standard", tier: "Regional" },
          publicIPAllocationMethod: "Static",
          zones: ZONE_REDUNDANT,
          tags: scope.tags,
        },
        opts,
      ),
  );

  const { sku, generation } = gatewaySku(args.environment);
  const bgp = args.vpn.peers.some((peer) => peer.bgpAsn !== undefined);
  const gateway = new network.VirtualNetworkGateway(
    `${scope.name}-gateway`,
    {
      resourceGroupName,
      location,
      virtualNetworkGatewayName: `${scope.name}-gateway`,
      gatewayType: "Vpn",
      vpnType: "RouteBased",
      sku: { name: sku, tier: sku },
      vpnGatewayGeneration: generation,
      activeActive: prod,
      enableBgp: bgp,
      ...(bgp ? { bgpSettings: { asn: AZURE_GATEWAY_ASN } } : {}),
      ipConfigurations: ips.map((ip, i) => ({
        name: `ipconfig-${i}`,
        privateIPAllocationMethod: "Dynamic",
        publicIPAddress: { id: ip.id },
        subnet: { id: gatewaySubnet.id },
      })),
      tags: scope.tags,
    },
    // Gateways take 30-45 minutes to create or resize.
    { ...opts, customTimeouts: { create: "90m", update: "90m", delete: "60m" } },
  );

  const connections = args.vpn.peers.map((peer) => {
    const n = `${scope.name}-${peer.name}`;
    const tags = { ...scope.tags, peer: peer.name };
    const local = new network.LocalNetworkGateway(
      `${n}-local-gateway`,
      {
        resourceGroupName,
        location,
        localNetworkGatewayName: `${n}-local`,
        gatewayIpAddress: peer.publicIp,
        localNetworkAddressSpace: { addressPrefixes: [...peer.cidrs] },
        ...(peer.bgpAsn !== undefined
          ? { bgpSettings: { asn: peer.bgpAsn, bgpPeeringAddress: peerBgpAddress(peer) } }
          : {}),
        tags,
      },
      opts,
    );
    const sharedKey =
      peer.preSharedKey ??
      new random.RandomPassword(
        `${n}-psk`,
        { length: 48, special: false },
        { parent: scope.parent },
      ).result;
    const connection = new network.VirtualNetworkGatewayConnection(
      `${n}-connection`,
      {
        resourceGroupName,
        location,
        virtualNetworkGatewayConnectionName: `${n}-connection`,
        connectionType: "IPsec",
        connectionProtocol: "IKEv2",
        virtualNetworkGateway1: { id: gateway.id },
        localNetworkGateway2: { id: local.id },
        sharedKey: pulumi.secret(sharedKey),
        enableBgp: peer.bgpAsn !== undefined,
        usePolicyBasedTrafficSelectors: false,
        ipsecPolicies: [{ ...IPSEC_POLICY }],
        dpdTimeoutSeconds: 45,
        tags,
      },
      opts,
    );
    return {
      peer: peer.name,
      connection,
      sharedKey,
      bgpPeer: peer.bgpAsn !== undefined ? peerBgpAddress(peer) : undefined,
    };
  });

  const tunnelAddresses = pulumi.all(ips.map((ip) => ip.ipAddress.apply((a) => a ?? "")));
  // One session per gateway instance: the peer device neighbours each instance's BGP address.
  const gatewayBgp = gateway.bgpSettings.apply((settings) =>
    gatewayBgpAddresses(settings, instances),
  );
  return {
    gatewayId: gateway.id,
    connections: pulumi.all(
      connections.map(({ peer, connection, bgpPeer }) =>
        pulumi
          .all([connection.id, tunnelAddresses, gatewayBgp])
          .apply(([connectionId, addresses, cloudAddresses]): VpnConnectionInfo => ({
            peer,
            connectionId,
            tunnelAddresses: addresses,
            ...(bgpPeer !== undefined
              ? {
                  bgpSessions: cloudAddresses.map((cloudAddress) => ({
                    cloudAddress,
                    peerAddress: bgpPeer,
                  })),
                }
              : {}),
          })),
      ),
    ),
    // One key per connection; the peer uses it for the tunnel to each gateway instance.
    tunnelPreSharedKeys: pulumi.secret(
      pulumi
        .all(connections.map(({ sharedKey }) => pulumi.output(sharedKey)))
        .apply((keys) =>
          Object.fromEntries(
            connections.map(({ peer }, i) => [peer, Array(instances).fill(keys[i])]),
          ),
        ),
    ),
  };
}
