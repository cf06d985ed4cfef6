/**
 * OCI VPN layer: the network layer's DRG (already attached to the VCN, and the private route tables
 * already send the private ranges outside the VCN to it), and per peer a CPE and an IPSec
 * connection whose two tunnels are set to IKEv2 with AES-256, SHA-256 and DH group 14 (PFS on in
 * phase 2), and BGP (the peer's ASN, a /30 per tunnel) where the peer has an ASN, static routes to
 * its networks otherwise. Pre-shared keys come from config or are generated, and are secret.
 */
import * as core from "@pulumi/oci/core";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { VpnArgs, VpnConnectionInfo, VpnOutputs } from "../../components/vpn";
import { Scope, VpnPeerConfig } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { ociBgpSessions, ociConfigIssues, TUNNELS } from "./catalog";
import { displayName, ociSettings, ociTags } from "./common";

/** Phase 1 (IKE): AES-256-CBC, SHA-256, DH group 14, 8 hours. */
export const PHASE_ONE = {
  isCustomPhaseOneConfig: true,
  customEncryptionAlgorithm: "AES_256_CBC",
  customAuthenticationAlgorithm: "SHA2_256",
  customDhGroup: "GROUP14",
  lifetime: 28800,
};
/** Phase 2 (ESP): AES-256-GCM (its own integrity), PFS with DH group 14, 1 hour. */
export const PHASE_TWO = {
  isCustomPhaseTwoConfig: true,
  customEncryptionAlgorithm: "AES_256_GCM",
  isPfsEnabled: true,
  dhGroup: "GROUP14",
  lifetime: 3600,
};

/** The one DRG attached to the VCN (created by the network layer). */
export function drgOf(
  scope: Scope,
  compartmentId: string,
  vcnId: pulumi.Input<string>,
): pulumi.Output<string> {
  return core
    .getDrgAttachmentsOutput(
      { compartmentId, vcnId, attachmentType: "VCN" },
      { parent: scope.parent },
    )
    .drgAttachments.apply((attachments) => {
      if (attachments.length !== 1)
        throw new Error(
          `expected the network layer's one DRG attachment on the VCN, found ${attachments.length}`,
        );
      return attachments[0].drgId;
    });
}

/** One tunnel's settings: IKEv2, the ciphers above, BGP or static routing. */
export function tunnelSettings(peer: VpnPeerConfig, peerIndex: number, tunnel: number) {
  const bgp =
    peer.bgpAsn !== undefined
      ? (() => {
          const session = ociBgpSessions(peerIndex, peer.bgpPeerAddress)[tunnel];
          return {
            routing: "BGP",
            bgpSessionInfo: {
              customerBgpAsn: String(peer.bgpAsn),
              customerInterfaceIp: `${session.peerAddress}/30`,
              oracleInterfaceIp: `${session.cloudAddress}/30`,
            },
          };
        })()
      : { routing: "STATIC" };
  return {
    ikeVersion: "V2",
    ...bgp,
    phaseOneDetails: PHASE_ONE,
    phaseTwoDetails: PHASE_TWO,
    dpdConfigs: [{ dpdMode: "INITIATE_AND_RESPOND", dpdTimeoutInSec: 20 }],
    oracleCanInitiate: "INITIATOR_OR_RESPONDER",
  };
}

export function ociVpn(scope: Scope, args: VpnArgs): VpnOutputs {
  const settings = ociSettings(args);
  const issues = ociConfigIssues({ vpn: args.vpn });
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Vpn arguments");
  const compartmentId = settings.compartmentId;
  const freeformTags = ociTags(scope.tags);
  const opts = { parent: scope.parent };
  const drgId = drgOf(scope, compartmentId, args.network.networkId);

  const peers = args.vpn.peers.map((peer, i) => {
    const cpe = new core.Cpe(
      `${scope.name}-${peer.name}-cpe`,
      {
        compartmentId,
        ipAddress: peer.publicIp,
        displayName: displayName(scope, `${peer.name}-cpe`),
        freeformTags,
      },
      opts,
    );
    const ipsec = new core.Ipsec(
      `${scope.name}-${peer.name}`,
      {
        compartmentId,
        cpeId: cpe.id,
        drgId,
        displayName: displayName(scope, peer.name),
        // With BGP the routes are learned; OCI still needs a list, ignored for BGP tunnels.
        staticRoutes: [...peer.cidrs],
        freeformTags,
      },
      opts,
    );
    const tunnelIds = core
      .getIpsecConnectionTunnelsOutput({ ipsecId: ipsec.id }, opts)
      .ipSecConnectionTunnels.apply((t) => t.map((x) => ({ id: x.id, vpnIp: x.vpnIp })));
    const keys = Array.from(
      { length: TUNNELS },
      (_, t) =>
        peer.preSharedKey ??
        new random.RandomPassword(
          `${scope.name}-${peer.name}-psk-${t + 1}`,
          { length: 32, special: false },
          opts,
        ).result,
    );
    const tunnels = Array.from(
      { length: TUNNELS },
      (_, t) =>
        new core.IpsecConnectionTunnelManagement(
          `${scope.name}-${peer.name}-tunnel-${t + 1}`,
          {
            ipsecId: ipsec.id,
            tunnelId: tunnelIds.apply((ids) => ids[t].id),
            displayName: displayName(scope, `${peer.name}-tunnel-${t + 1}`),
            sharedSecret: pulumi.secret(keys[t]),
            ...tunnelSettings(peer, i, t),
          },
          { ...opts, additionalSecretOutputs: ["sharedSecret"] },
        ),
    );
    const info: pulumi.Output<VpnConnectionInfo> = pulumi
      .all([ipsec.id, tunnelIds, pulumi.all(tunnels.map((t) => t.id))])
      .apply(([id, ids]): VpnConnectionInfo => ({
        peer: peer.name,
        connectionId: id,
        tunnelAddresses: ids.map((x) => x.vpnIp),
        ...(peer.bgpAsn !== undefined
          ? {
              bgpSessions: ociBgpSessions(i, peer.bgpPeerAddress).map((s) => ({
                cloudAddress: s.cloudAddress,
                peerAddress: s.peerAddress,
              })),
            }
          : {}),
      }));
    return { peer, info, keys: pulumi.all(keys) };
  });

  return {
    gatewayId: drgId,
    connections: pulumi.all(peers.map((p) => p.info)),
    tunnelPreSharedKeys: pulumi.secret(
      pulumi
        .all(peers.map((p) => p.keys))
        .apply((lists) => Object.fromEntries(peers.map((p, i) => [p.peer.name, lists[i]]))),
    ),
  };
}
