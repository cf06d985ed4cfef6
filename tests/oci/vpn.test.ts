/**
 * OCI VPN under mocks: per peer a CPE and an IPSec connection on the network layer's DRG, both
 * tunnels IKEv2 with AES-256, SHA-256 and DH group 14, BGP with a /30 per tunnel where the peer has
 * an ASN, static routes otherwise; pre-shared keys generated or from config, always secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { Vpn } from "../../components/vpn";
import { VpnPeerConfig } from "../../components/types";
import { mockOcid } from "../../automation/offline/clouds/oci";
import { isSecret, mockPulumi, one, settle, valueOf } from "../harness";
import { COMPARTMENT, ociCommonArgs, ociConfig, ociNetworkOutputs, REGION, VCN } from "./fixtures";

const T = {
  cpe: "oci:Core/cpe:Cpe",
  ipsec: "oci:Core/ipsec:Ipsec",
  tunnel: "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement",
};

async function build(peers?: VpnPeerConfig[]) {
  const mocks = await mockPulumi({ region: REGION });
  const config = ociConfig("prod");
  const vpn = new Vpn("vpn", {
    ...ociCommonArgs(config),
    zones: config.zones,
    vpn: { enabled: true, peers: peers ?? config.vpn.peers },
    network: ociNetworkOutputs(),
  });
  await valueOf(vpn.outputs.connections);
  await settle();
  return { mocks, vpn };
}

describe("OCI VPN", () => {
  it("connects each peer's CPE to the DRG attached to the VCN, routing its networks", async () => {
    const { mocks, vpn } = await build();
    const drg = mockOcid("drg", VCN, REGION);
    expect(one(mocks, T.cpe).inputs).toMatchObject({
      compartmentId: COMPARTMENT,
      ipAddress: "198.51.100.7",
    });
    expect(one(mocks, T.ipsec).inputs).toMatchObject({
      drgId: drg,
      cpeId: "vpn-office-cpe-id",
      staticRoutes: ["192.168.0.0/16"],
    });
    expect(await valueOf(vpn.outputs.gatewayId)).toBe(drg);
  });

  it("sets both tunnels to IKEv2, AES-256, SHA-256, DH group 14 with PFS, and BGP with the peer's ASN", async () => {
    const { mocks } = await build();
    const tunnels = mocks.byType(T.tunnel);
    expect(tunnels).toHaveLength(2);
    tunnels.forEach((t, i) =>
      expect(t.inputs).toMatchObject({
        ipsecId: "vpn-office-id",
        ikeVersion: "V2",
        routing: "BGP",
        phaseOneDetails: {
          isCustomPhaseOneConfig: true,
          customEncryptionAlgorithm: "AES_256_CBC",
          customAuthenticationAlgorithm: "SHA2_256",
          customDhGroup: "GROUP14",
        },
        phaseTwoDetails: {
          isCustomPhaseTwoConfig: true,
          customEncryptionAlgorithm: "AES_256_GCM",
          isPfsEnabled: true,
          dhGroup: "GROUP14",
        },
        bgpSessionInfo: {
          customerBgpAsn: "65010",
          customerInterfaceIp: `169.254.110.${2 + 4 * i}/30`,
          oracleInterfaceIp: `169.254.110.${1 + 4 * i}/30`,
        },
        tunnelId: mockOcid("ipsectunnel", `vpn-office-id/${i + 1}`, REGION),
      }),
    );
  });

  it("routes statically when the peer has no ASN, and reports the tunnels and sessions to configure", async () => {
    const statik = await build([
      { name: "branch", publicIp: "198.51.100.9", cidrs: ["172.20.0.0/16"] },
    ]);
    for (const t of statik.mocks.byType(T.tunnel)) {
      expect(t.inputs.routing).toBe("STATIC");
      expect(t.inputs.bgpSessionInfo).toBeUndefined();
    }
    const [conn] = await valueOf(statik.vpn.outputs.connections);
    expect(conn).toEqual({
      peer: "branch",
      connectionId: "vpn-branch-id",
      tunnelAddresses: [expect.any(String), expect.any(String)],
    });
    const bgp = await build();
    expect((await valueOf(bgp.vpn.outputs.connections))[0].bgpSessions).toEqual([
      { cloudAddress: "169.254.110.1", peerAddress: "169.254.110.2" },
      { cloudAddress: "169.254.110.5", peerAddress: "169.254.110.6" },
    ]);
  });

  it("generates a key per tunnel, or takes the peer's, and keeps them secret in inputs and outputs", async () => {
    const { mocks, vpn } = await build();
    for (const t of mocks.byType(T.tunnel)) expect(t.inputs.sharedSecret).toBe("[secret]");
    expect(await isSecret(vpn.outputs.tunnelPreSharedKeys)).toBe(true);
    const keys = await valueOf(vpn.outputs.tunnelPreSharedKeys);
    expect(keys.office).toHaveLength(2);
    expect(keys.office[0]).not.toBe(keys.office[1]);
    const given = await build([
      {
        name: "office",
        publicIp: "198.51.100.7",
        cidrs: ["192.168.0.0/16"],
        preSharedKey: pulumi.secret("configured_key_123"),
      },
    ]);
    expect(await valueOf(given.vpn.outputs.tunnelPreSharedKeys)).toEqual({
      office: ["configured_key_123", "configured_key_123"],
    });
    expect(given.mocks.byType("random:index/randomPassword:RandomPassword")).toEqual([]);
  });
});
