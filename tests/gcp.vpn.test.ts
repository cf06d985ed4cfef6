import * as pulumi from "@pulumi/pulumi";
import { Vpn } from "../components/vpn";
import { PlatformConfig, VpnPeerConfig } from "../components/types";
import { cidrContains } from "../components/cidr";
import { fixedRanges } from "../providers/gcp/ranges";
import { bgpSession, peerChildNames } from "../providers/gcp/vpn";
import {
  expectLabelled,
  gcpCommonArgs,
  gcpConfig,
  gcpNetworkOutputs,
  NETWORK_ID,
  REGION,
} from "./gcpFixtures";
import { isSecret, mockPulumi, one, RecordingMocks, settle, valueOf } from "./harness";

const T = {
  gateway: "gcp:compute/haVpnGateway:HaVpnGateway",
  external: "gcp:compute/externalVpnGateway:ExternalVpnGateway",
  tunnel: "gcp:compute/vPNTunnel:VPNTunnel",
  router: "gcp:compute/router:Router",
  iface: "gcp:compute/routerInterface:RouterInterface",
  peer: "gcp:compute/routerPeer:RouterPeer",
  password: "random:index/randomPassword:RandomPassword",
};

async function build(peers?: VpnPeerConfig[]) {
  const mocks = await mockPulumi({ region: REGION });
  const base = gcpConfig("prod");
  const config: PlatformConfig = {
    ...base,
    vpn: { enabled: true, peers: peers ?? base.vpn.peers },
  };
  const n = `${config.name}-vpn`;
  const component = new Vpn(n, {
    ...gcpCommonArgs(config),
    zones: config.zones,
    vpn: config.vpn,
    network: gcpNetworkOutputs(),
  });
  await valueOf(component.outputs.connections);
  await settle();
  return { mocks, component, n };
}

const byName = (mocks: RecordingMocks, type: string, name: string) =>
  one(mocks, type, name).inputs as Record<string, any>;

describe("GCP VPN (HA VPN)", () => {
  it("puts an HA VPN gateway and a BGP Cloud Router on the network, advertising the platform CIDR", async () => {
    const { mocks, n } = await build();
    expect(one(mocks, T.gateway).inputs).toMatchObject({ network: NETWORK_ID, region: REGION });
    expect(byName(mocks, T.router, `${n}-router`)).toMatchObject({
      network: NETWORK_ID,
      bgp: {
        asn: 64514,
        advertiseMode: "CUSTOM",
        advertisedIpRanges: [{ range: "10.30.0.0/16", description: "platform network" }],
      },
    });
  });

  it("advertises the GKE control-plane range to the peers (it lies inside the platform CIDR)", async () => {
    const { mocks, n } = await build();
    const ranges: { range: string }[] = byName(mocks, T.router, `${n}-router`).bgp
      .advertisedIpRanges;
    const controlPlane = fixedRanges("10.30.0.0/16").controlPlane;
    // The office reaches the private endpoint only if its device learns a route to it.
    expect(ranges.some(({ range }) => cidrContains(range, controlPlane))).toBe(true);
  });

  it("describes each peer as an external gateway and builds two IKEv2 tunnels, on interfaces 0 and 1", async () => {
    const { mocks, n } = await build();
    expect(byName(mocks, T.external, `${n}-office-gw`)).toMatchObject({
      redundancyType: "SINGLE_IP_INTERNALLY_REDUNDANT",
      interfaces: [{ id: 0, ipAddress: "198.51.100.7" }],
    });
    for (const t of [0, 1]) {
      const tunnel = one(mocks, T.tunnel, `${n}-office-t${t}`);
      expect(tunnel.inputs).toMatchObject({
        vpnGateway: `${n}-gateway-id`,
        vpnGatewayInterface: t,
        peerExternalGateway: `${n}-office-gw-id`,
        peerExternalGatewayInterface: 0,
        ikeVersion: 2,
        router: `${n}-router-id`,
        sharedSecret: "[secret]",
      });
    }
  });

  it("runs a BGP session per tunnel with the peer's ASN and installs routes to its networks", async () => {
    const { mocks, n } = await build();
    for (const t of [0, 1]) {
      const session = bgpSession(0, t);
      expect(byName(mocks, T.iface, `${n}-office-bgp-if-${t}`)).toMatchObject({
        router: `${n}-router`,
        ipRange: session.range,
        vpnTunnel: `${n}-office-t${t}`,
      });
      expect(byName(mocks, T.peer, `${n}-office-bgp-peer-${t}`)).toMatchObject({
        router: `${n}-router`,
        interface: `office-if-${t}`,
        ipAddress: session.routerIp,
        peerIpAddress: session.peerIp,
        peerAsn: 65010,
        customLearnedIpRanges: [{ range: "192.168.0.0/16" }],
      });
    }
  });

  it("gives a peer without an ASN the default one (HA VPN has no static routing)", async () => {
    const { mocks, n } = await build([
      { name: "branch", publicIp: "203.0.113.9", cidrs: ["172.16.0.0/24", "172.16.1.0/24"] },
    ]);
    const peer = byName(mocks, T.peer, `${n}-branch-bgp-peer-0`);
    expect(peer.peerAsn).toBe(65000);
    expect(peer.customLearnedIpRanges).toEqual([
      { range: "172.16.0.0/24" },
      { range: "172.16.1.0/24" },
    ]);
  });

  it("generates a secret key per tunnel when the peer gives none, and uses the peer's key otherwise", async () => {
    const generated = await build();
    expect(
      generated.mocks
        .byType(T.password)
        .map((p) => p.name)
        .sort(),
    ).toEqual([`${generated.n}-office-psk-0`, `${generated.n}-office-psk-1`]);
    const keys = generated.component.outputs.tunnelPreSharedKeys;
    expect(await isSecret(keys)).toBe(true);
    expect((await valueOf(keys)).office).toHaveLength(2);

    const given = await build([
      {
        name: "office",
        publicIp: "198.51.100.7",
        cidrs: ["192.168.0.0/16"],
        preSharedKey: pulumi.secret("given-key-123"),
      },
    ]);
    expect(given.mocks.byType(T.password)).toEqual([]);
    expect((await valueOf(given.component.outputs.tunnelPreSharedKeys)).office).toEqual([
      "given-key-123",
      "given-key-123",
    ]);
    for (const t of given.mocks.byType(T.tunnel)) expect(t.inputs.sharedSecret).toBe("[secret]");
  });

  it("keeps link-local sessions distinct per peer and tunnel", () => {
    const ranges = [0, 1, 2].flatMap((p) => [0, 1].map((t) => bgpSession(p, t).range));
    expect(new Set(ranges).size).toBe(6);
    expect(bgpSession(1, 1)).toEqual({
      range: "169.254.101.5/30",
      routerIp: "169.254.101.5",
      peerIp: "169.254.101.6",
    });
  });

  it("exports the gateway's two interface addresses per connection, and labels its resources", async () => {
    const { mocks, component, n } = await build();
    expect(await valueOf(component.outputs.gatewayId)).toBe(`${n}-gateway-id`);
    expect(await valueOf(component.outputs.connections)).toEqual([
      {
        peer: "office",
        connectionId: `${n}-office-gw-id`,
        tunnelAddresses: ["198.51.100.20", "198.51.100.21"],
        // Derived, as before bgpPeerAddress existed: peer 0 in 169.254.100.0/30 and .4/30.
        bgpSessions: [
          { cloudAddress: "169.254.100.1", peerAddress: "169.254.100.2" },
          { cloudAddress: "169.254.100.5", peerAddress: "169.254.100.6" },
        ],
      },
    ]);
    expectLabelled(mocks.resources, "prod", "vpn");
  });

  it("builds the sessions from the peer's BGP address: its /30 for tunnel 0, the next for tunnel 1", async () => {
    const { mocks, component, n } = await build([
      { name: "office", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"], bgpAsn: 65010 },
      // The first host: Cloud Router takes the second.
      {
        name: "dc",
        publicIp: "198.51.100.8",
        cidrs: ["172.16.0.0/16"],
        bgpAsn: 65020,
        bgpPeerAddress: "169.254.30.1",
      },
    ]);
    const expected = [
      { range: "169.254.30.2/30", routerIp: "169.254.30.2", peerIp: "169.254.30.1" },
      { range: "169.254.30.6/30", routerIp: "169.254.30.6", peerIp: "169.254.30.5" },
    ];
    expected.forEach((session, t) => {
      expect(byName(mocks, T.iface, `${n}-dc-bgp-if-${t}`).ipRange).toBe(session.range);
      expect(byName(mocks, T.peer, `${n}-dc-bgp-peer-${t}`)).toMatchObject({
        ipAddress: session.routerIp,
        peerIpAddress: session.peerIp,
        peerAsn: 65020,
      });
      expect(bgpSession(1, t, "169.254.30.1")).toEqual(session);
    });
    // The peer without an address keeps its derived sessions.
    expect(byName(mocks, T.iface, `${n}-office-bgp-if-0`).ipRange).toBe("169.254.100.1/30");
    const connections = await valueOf(component.outputs.connections);
    expect(connections[1].bgpSessions).toEqual([
      { cloudAddress: "169.254.30.2", peerAddress: "169.254.30.1" },
      { cloudAddress: "169.254.30.6", peerAddress: "169.254.30.5" },
    ]);
  });

  it("fits the external gateway and tunnel names in 63 at the longest accepted names, aliased to the first names", async () => {
    const mocks = await mockPulumi({ region: REGION });
    // The SDK sends aliases in the request; the recording mocks keep only the other options.
    const aliases = new Map<string, string[]>();
    const monitor = (pulumi.runtime as any).getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: unknown) => {
      aliases.set(
        req.getName(),
        (req.getAliasesList() ?? []).map((a: any) => a.getSpec()?.getName() ?? a.getUrn()),
      );
      return register(req, callback);
    };
    const config = gcpConfig("prod");
    // officeless:name and vpn.peers[].name at their maximum lengths (configSchema: 24 and 20).
    const n = `${"n".repeat(24)}-vpn`;
    const peer = "p".repeat(20);
    const component = new Vpn(n, {
      ...gcpCommonArgs(config),
      zones: config.zones,
      vpn: {
        enabled: true,
        peers: [{ name: peer, publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"] }],
      },
      network: gcpNetworkOutputs(),
    });
    await valueOf(component.outputs.connections);
    await settle();
    const named = [...mocks.byType(T.external), ...mocks.byType(T.tunnel)];
    expect(named).toHaveLength(3);
    // Auto-named: the logical name, "-" and 7 random characters (RFC1035, at most 63).
    for (const r of named) expect(`${r.name}-abc1234`.length).toBeLessThanOrEqual(63);
    const names = peerChildNames(n, peer);
    expect(aliases.get(names.gateway)).toEqual([`${n}-${peer}-peer-gateway`]);
    expect(aliases.get(names.tunnel(0))).toEqual([`${n}-${peer}-tunnel-0`]);
    expect(aliases.get(names.tunnel(1))).toEqual([`${n}-${peer}-tunnel-1`]);
  });

  it("refuses a BGP address outside link-local /30s or on another peer's sessions, before creating anything", async () => {
    const mocks = await mockPulumi({ region: REGION });
    const config = gcpConfig("prod");
    const make = (peers: VpnPeerConfig[]) => () =>
      new Vpn("v", {
        ...gcpCommonArgs(config),
        zones: config.zones,
        vpn: { enabled: true, peers },
        network: gcpNetworkOutputs(),
      });
    const office = { name: "office", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"] };
    expect(make([{ ...office, bgpPeerAddress: "192.168.0.1" }])).toThrow(
      /args\.vpn\.peers\[0\]\.bgpPeerAddress = "192\.168\.0\.1": must be a host \(\.1 or \.2\) of a \/30 in 169\.254\.0\.0\/16/,
    );
    // Peer 0's derived sessions are 169.254.100.0/30 and .4/30.
    expect(
      make([
        office,
        { ...office, name: "dc", cidrs: ["172.16.0.0/16"], bgpPeerAddress: "169.254.100.6" },
      ]),
    ).toThrow(
      /vpn\.peers\[1\]\.bgpPeerAddress = "169\.254\.100\.6": puts a BGP session in a \/30 already derived for vpn\.peers\[0\]/,
    );
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });
});
