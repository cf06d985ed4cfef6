import * as pulumi from "@pulumi/pulumi";
import { NetworkOutputs } from "../components/network";
import { PlatformConfig, VpnPeerConfig } from "../components/types";
import { Vpn } from "../components/vpn";
import { tunnelInsideCidrs } from "../providers/aws/vpn";
import { awsConfig, commonArgs } from "./fixtures";
import {
  isSecret,
  mockPulumi,
  one,
  RecordedResource,
  RecordingMocks,
  settle,
  valueOf,
} from "./harness";

const T = {
  gateway: "aws:ec2/vpnGateway:VpnGateway",
  cgw: "aws:ec2/customerGateway:CustomerGateway",
  connection: "aws:ec2/vpnConnection:VpnConnection",
  route: "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
  propagation: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
};

const PSK = "Office_psk.0123456789abcdef";

function networkOutputs(zones: readonly string[]): NetworkOutputs {
  const perZone = (prefix: string) => pulumi.output(zones.map((_, i) => `${prefix}-${i}`));
  return {
    networkId: pulumi.output("vpc-0abc"),
    cidr: pulumi.output("10.20.0.0/16"),
    zones: pulumi.output([...zones]),
    publicSubnetIds: perZone("subnet-public"),
    privateSubnetIds: perZone("subnet-private"),
    databaseSubnetIds: perZone("subnet-database"),
    privateRouteTableIds: perZone("rtb-private"),
    natPublicIps: pulumi.output(["203.0.113.10"]),
  };
}

/** A static peer with its own key and two networks, and a BGP peer letting AWS generate keys. */
function peers(): VpnPeerConfig[] {
  return [
    {
      name: "office",
      publicIp: "198.51.100.7",
      cidrs: ["192.168.0.0/16", "172.20.0.0/16"],
      preSharedKey: pulumi.secret(PSK),
    },
    { name: "dc", publicIp: "198.51.100.8", cidrs: ["172.16.0.0/16"], bgpAsn: 65010 },
  ];
}

interface Built {
  mocks: RecordingMocks;
  vpn: Vpn;
  config: PlatformConfig;
  n: string;
}

async function build(list: VpnPeerConfig[] = peers()): Promise<Built> {
  const mocks = await mockPulumi({ region: "eu-west-1" });
  const base = awsConfig("prod");
  const config: PlatformConfig = { ...base, vpn: { enabled: true, peers: list } };
  const n = `${config.name}-vpn`;
  const component = new Vpn(n, {
    ...commonArgs(config),
    zones: config.zones,
    vpn: config.vpn,
    network: networkOutputs(config.zones),
  });
  await valueOf(component.outputs.connections);
  await settle();
  return { mocks, vpn: component, config, n };
}

const idOf = (r: RecordedResource) => `${r.name}-id`;
const TUNNELS = ["tunnel1", "tunnel2"];

describe("AWS VPN", () => {
  it("attaches one gateway to the VPC and one customer gateway and connection per peer", async () => {
    const { mocks, n } = await build();
    const gateway = one(mocks, T.gateway, `${n}-gateway`);
    expect(gateway.inputs.vpcId).toBe("vpc-0abc");
    expect(mocks.byType(T.cgw)).toHaveLength(2);
    expect(mocks.byType(T.connection)).toHaveLength(2);
    for (const peer of peers()) {
      const cgw = one(mocks, T.cgw, `${n}-${peer.name}-cgw`);
      expect(cgw.inputs).toMatchObject({ type: "ipsec.1", ipAddress: peer.publicIp });
      const connection = one(mocks, T.connection, `${n}-${peer.name}-connection`);
      expect(connection.inputs).toMatchObject({
        type: "ipsec.1",
        vpnGatewayId: idOf(gateway),
        customerGatewayId: idOf(cgw),
      });
    }
  });

  it("routes statically to peers without an ASN and over BGP with the peer's ASN otherwise", async () => {
    const { mocks, n } = await build();
    expect(one(mocks, T.cgw, `${n}-office-cgw`).inputs.bgpAsn).toBe("65000");
    expect(one(mocks, T.connection, `${n}-office-connection`).inputs.staticRoutesOnly).toBe(true);
    const officeRoutes = mocks
      .byType(T.route)
      .filter((r) => r.inputs.vpnConnectionId === `${n}-office-connection-id`);
    expect(officeRoutes.map((r) => r.inputs.destinationCidrBlock)).toEqual([
      "192.168.0.0/16",
      "172.20.0.0/16",
    ]);

    expect(one(mocks, T.cgw, `${n}-dc-cgw`).inputs.bgpAsn).toBe("65010");
    expect(one(mocks, T.connection, `${n}-dc-connection`).inputs.staticRoutesOnly).toBe(false);
    expect(mocks.byType(T.route)).toHaveLength(2);
  });

  it("propagates VPN routes into every private route table", async () => {
    const { mocks, config, n } = await build();
    const propagations = mocks.byType(T.propagation);
    expect(propagations).toHaveLength(config.zones.length);
    propagations.forEach((p, i) => {
      expect(p.name).toBe(`${n}-propagation-${i}`);
      expect(p.inputs).toMatchObject({
        vpnGatewayId: `${n}-gateway-id`,
        routeTableId: `rtb-private-${i}`,
      });
    });
  });

  it("allows only IKEv2 with AES-256, SHA-2 and DH groups 14 and up on both tunnels", async () => {
    const { mocks } = await build();
    for (const connection of mocks.byType(T.connection)) {
      for (const t of TUNNELS) {
        const input = (option: string) => connection.inputs[`${t}${option}`] as (string | number)[];
        expect(input("IkeVersions")).toEqual(["ikev2"]);
        for (const phase of ["Phase1", "Phase2"]) {
          const ciphers = input(`${phase}EncryptionAlgorithms`);
          expect(ciphers.length).toBeGreaterThan(0);
          for (const c of ciphers) expect(c).toMatch(/^AES256/);
          const integrity = input(`${phase}IntegrityAlgorithms`);
          expect(integrity.length).toBeGreaterThan(0);
          for (const a of integrity) expect(a).toMatch(/^SHA2-(256|384|512)$/);
          const groups = input(`${phase}DhGroupNumbers`);
          expect(groups.length).toBeGreaterThan(0);
          for (const g of groups) expect(g).toBeGreaterThanOrEqual(14);
        }
      }
    }
  });

  it("passes a peer's pre-shared key to both tunnels as a secret and lets AWS generate the others", async () => {
    const { mocks, n } = await build();
    const office = one(mocks, T.connection, `${n}-office-connection`);
    for (const t of TUNNELS) expect(office.inputs[`${t}PresharedKey`]).toBe("[secret]");
    const dc = one(mocks, T.connection, `${n}-dc-connection`);
    for (const t of TUNNELS) expect(dc.inputs[`${t}PresharedKey`]).toBeUndefined();
  });

  it("exports tunnel endpoints per connection and the keys per peer, the keys as a secret", async () => {
    const { vpn, n } = await build();
    expect(await valueOf(vpn.outputs.gatewayId)).toBe(`${n}-gateway-id`);
    const [office, dc] = await valueOf(vpn.outputs.connections);
    // A static peer has no BGP sessions to configure.
    expect(office).toEqual({
      peer: "office",
      connectionId: `${n}-office-connection-id`,
      tunnelAddresses: ["198.51.100.10", "198.51.100.11"],
    });
    expect(dc).toMatchObject({
      peer: "dc",
      connectionId: `${n}-dc-connection-id`,
      tunnelAddresses: ["198.51.100.10", "198.51.100.11"],
    });
    expect(await isSecret(vpn.outputs.tunnelPreSharedKeys)).toBe(true);
    const keys = await valueOf(vpn.outputs.tunnelPreSharedKeys);
    expect(Object.keys(keys)).toEqual(["office", "dc"]);
    expect(keys.office).toEqual([PSK, PSK]);
    expect(keys.dc).toHaveLength(2);
    for (const k of keys.dc) expect(k).toMatch(/^mock-psk[12]-/);
  });

  it("lets AWS choose the tunnels' inside ranges when no BGP address is given, and exports what it chose", async () => {
    const { mocks, vpn, n } = await build();
    const dc = one(mocks, T.connection, `${n}-dc-connection`);
    for (const t of TUNNELS) expect(dc.inputs).not.toHaveProperty(`${t}InsideCidr`);
    const sessions = (await valueOf(vpn.outputs.connections))[1].bgpSessions!;
    expect(sessions).toHaveLength(2);
    for (const s of sessions) {
      expect(s.cloudAddress).toMatch(/^169\.254\.\d+\.\d+$/);
      expect(s.peerAddress).not.toBe(s.cloudAddress);
    }
  });

  it("puts the tunnels in the /30 of the peer's BGP address and the next one, and exports both sessions", async () => {
    const { mocks, vpn, n } = await build([
      {
        name: "dc",
        publicIp: "198.51.100.8",
        cidrs: ["172.16.0.0/16"],
        bgpAsn: 65010,
        bgpPeerAddress: "169.254.21.2",
      },
    ]);
    expect(one(mocks, T.connection, `${n}-dc-connection`).inputs).toMatchObject({
      tunnel1InsideCidr: "169.254.21.0/30",
      tunnel2InsideCidr: "169.254.21.4/30",
    });
    expect(tunnelInsideCidrs({ name: "x", publicIp: "198.51.100.8", cidrs: [] })).toEqual({});
    // AWS keeps the first host of each /30; the peer device has the second.
    expect((await valueOf(vpn.outputs.connections))[0].bgpSessions).toEqual([
      { cloudAddress: "169.254.21.1", peerAddress: "169.254.21.2" },
      { cloudAddress: "169.254.21.5", peerAddress: "169.254.21.6" },
    ]);
  });

  it("refuses a BGP address AWS would not take, before creating anything", async () => {
    const mocks = await mockPulumi({ region: "eu-west-1" });
    const config = awsConfig("prod");
    const make = (peer: Partial<VpnPeerConfig>) => () =>
      new Vpn("v", {
        ...commonArgs(config),
        zones: config.zones,
        vpn: {
          enabled: true,
          peers: [
            {
              name: "dc",
              publicIp: "198.51.100.8",
              cidrs: ["172.16.0.0/16"],
              bgpAsn: 65010,
              ...peer,
            },
          ],
        },
        network: networkOutputs(config.zones),
      });
    expect(make({ bgpPeerAddress: "169.254.21.1" })).toThrow(
      /args\.vpn\.peers\[0\]\.bgpPeerAddress = "169\.254\.21\.1": must be the second host of a \/30 in 169\.254\.0\.0\/16 \(AWS takes the first\)/,
    );
    expect(make({ bgpPeerAddress: "169.254.5.2" })).toThrow(
      /bgpPeerAddress = "169\.254\.5\.2": puts tunnel 1 in 169\.254\.5\.0\/30, which AWS reserves/,
    );
    expect(make({ bgpPeerAddress: "169.254.21.2", bgpAsn: undefined })).toThrow(
      /this peer routes statically; set its bgpAsn too/,
    );
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });
});
