import { Vpn } from "../../components/vpn";
import { VpnPeerConfig } from "../../components/types";
import { isSecret, mockPulumi, one, settle, valueOf } from "../harness";
import {
  alibabaCommonArgs,
  alibabaConfig,
  alibabaNetworkOutputs,
  CIDR,
  REGION,
  vswitch,
  ZONES,
} from "./fixtures";

const T = {
  gateway: "alicloud:vpn/gateway:Gateway",
  cgw: "alicloud:vpn/customerGateway:CustomerGateway",
  connection: "alicloud:vpn/connection:Connection",
  vpnRoute: "alicloud:vpn/routeEntry:RouteEntry",
  vpcRoute: "alicloud:vpc/routeEntry:RouteEntry",
};

async function build(peer: Partial<VpnPeerConfig> = {}) {
  const mocks = await mockPulumi({ region: REGION });
  const config = alibabaConfig("prod");
  const peers = config.vpn.peers.map((p) => ({ ...p, ...peer }));
  const n = `${config.name}-vpn`;
  const vpn = new Vpn(n, {
    ...alibabaCommonArgs(config),
    zones: config.zones,
    vpn: { ...config.vpn, peers },
    network: alibabaNetworkOutputs(),
  });
  await valueOf(vpn.outputs.connections);
  await settle();
  return { mocks, n, out: vpn.outputs };
}

describe("Alibaba Cloud VPN", () => {
  it("puts a dual-tunnel IPsec gateway in the node vSwitches of two zones, with BGP routes propagated", async () => {
    const { mocks } = await build();
    expect(one(mocks, T.gateway).inputs).toMatchObject({
      vswitchId: vswitch("private", ZONES[0]),
      disasterRecoveryVswitchId: vswitch("private", ZONES[1]),
      enableIpsec: true,
      enableSsl: false,
      autoPropagate: true,
    });
  });

  it("runs both tunnels on IKEv2, AES-256, SHA-256 and DH group 14, with BGP in link-local /30s when the peer has an ASN", async () => {
    const { mocks, n, out } = await build();
    expect(one(mocks, T.cgw).inputs).toMatchObject({ ipAddress: "198.51.100.7", asn: "65010" });
    const c = one(mocks, T.connection).inputs as any;
    expect(c).toMatchObject({
      localSubnets: [CIDR],
      remoteSubnets: ["192.168.0.0/16"],
      enableTunnelsBgp: true,
    });
    expect(c.tunnelOptionsSpecifications.map((t: any) => t.role)).toEqual(["master", "slave"]);
    for (const t of c.tunnelOptionsSpecifications) {
      expect(t.tunnelIkeConfig).toMatchObject({
        ikeVersion: "ikev2",
        ikeEncAlg: "aes256",
        ikeAuthAlg: "sha256",
        ikePfs: "group14",
        psk: "[secret]",
      });
      expect(t.tunnelIpsecConfig).toEqual({
        ipsecEncAlg: "aes256",
        ipsecAuthAlg: "sha256",
        ipsecPfs: "group14",
        ipsecLifetime: 3600,
      });
    }
    expect(c.tunnelOptionsSpecifications.map((t: any) => t.tunnelBgpConfig)).toEqual([
      { localAsn: "45104", localBgpIp: "169.254.100.1", tunnelCidr: "169.254.100.0/30" },
      { localAsn: "45104", localBgpIp: "169.254.100.5", tunnelCidr: "169.254.100.4/30" },
    ]);
    const [info] = await valueOf(out.connections);
    expect(info.bgpSessions).toEqual([
      { cloudAddress: "169.254.100.1", peerAddress: "169.254.100.2" },
      { cloudAddress: "169.254.100.5", peerAddress: "169.254.100.6" },
    ]);
    expect(info.tunnelAddresses).toHaveLength(2);
    expect(mocks.byType(T.vpnRoute)).toEqual([]);
    expect(await isSecret(out.tunnelPreSharedKeys)).toBe(true);
    expect(Object.keys(await valueOf(out.tunnelPreSharedKeys))).toEqual(["office"]);
    expect(n).toBeTruthy();
  });

  it("routes the peer's networks from every zone's private route table to the gateway", async () => {
    const { mocks, n } = await build();
    const routes = mocks.byType(T.vpcRoute);
    expect(routes.map((r) => r.inputs)).toEqual(
      ZONES.map((z) => ({
        routeTableId: `vtb-private-${z}`,
        destinationCidrblock: "192.168.0.0/16",
        nexthopType: "VpnGateway",
        nexthopId: `${n}-gateway-id`,
      })),
    );
  });

  it("routes a static peer with destination routes on the gateway and no BGP", async () => {
    const { mocks } = await build({ bgpAsn: undefined });
    const c = one(mocks, T.connection).inputs as any;
    expect(c.enableTunnelsBgp).toBe(false);
    expect(c.tunnelOptionsSpecifications[0].tunnelBgpConfig).toBeUndefined();
    expect(one(mocks, T.vpnRoute).inputs).toMatchObject({
      routeDest: "192.168.0.0/16",
      weight: 100,
    });
  });
});
