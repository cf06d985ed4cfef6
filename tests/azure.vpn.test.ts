/** Azure VPN: GatewaySubnet, zone-redundant route-based gateway, local gateways and IKEv2 connections. */
import * as pulumi from "@pulumi/pulumi";
import { Vpn } from "../components/vpn";
import { VpnPeerConfig } from "../components/types";
import { gatewayBgpAddresses, IPSEC_POLICY, peerBgpAddress } from "../providers/azure/vpn";
import {
  AZ,
  azureConfig,
  commonArgs,
  NETWORK_GROUP,
  networkOutputs,
  VNET_NAME,
} from "./azureFixtures";
import { isSecret, mockPulumi, one, RecordingMocks, settle, valueOf } from "./harness";

async function build(environment: "dev" | "prod", peers?: VpnPeerConfig[]) {
  const mocks = await mockPulumi({ region: "westeurope" });
  const config = azureConfig(environment);
  const n = `${config.name}-vpn`;
  const vpn = new Vpn(n, {
    ...commonArgs(config),
    zones: config.zones,
    vpn: { enabled: true, peers: peers ?? config.vpn.peers },
    network: networkOutputs(config.zones),
  });
  const outputs = {
    gatewayId: await valueOf(vpn.outputs.gatewayId),
    connections: await valueOf(vpn.outputs.connections),
    keys: await valueOf(vpn.outputs.tunnelPreSharedKeys),
    keysSecret: await isSecret(vpn.outputs.tunnelPreSharedKeys),
  };
  await settle();
  return { mocks, n, outputs };
}

const gateway = (mocks: RecordingMocks) => one(mocks, AZ.gateway).inputs as any;

describe("Azure VPN", () => {
  let prod: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    prod = await build("prod");
  });

  it("adds the GatewaySubnet to the network's VNet, in the last /27, without an NSG", () => {
    const subnet = one(prod.mocks, AZ.subnet);
    expect(subnet.inputs).toMatchObject({
      resourceGroupName: NETWORK_GROUP,
      virtualNetworkName: VNET_NAME,
      subnetName: "GatewaySubnet",
      addressPrefix: "10.30.255.224/27",
    });
    expect(subnet.inputs).not.toHaveProperty("networkSecurityGroup");
  });

  it("builds a route-based, zone-redundant, active-active VpnGw2AZ gateway in prod, in the network's group", () => {
    const { mocks, n } = prod;
    expect(gateway(mocks)).toMatchObject({
      resourceGroupName: NETWORK_GROUP,
      gatewayType: "Vpn",
      vpnType: "RouteBased",
      sku: { name: "VpnGw2AZ", tier: "VpnGw2AZ" },
      vpnGatewayGeneration: "Generation2",
      activeActive: true,
      enableBgp: false,
    });
    expect(gateway(mocks).ipConfigurations).toEqual(
      [0, 1].map((i) =>
        expect.objectContaining({
          publicIPAddress: { id: `${n}-ip-${i}-id` },
          subnet: expect.objectContaining({ id: `${n}-gateway-subnet-id` }),
        }),
      ),
    );
    const ips = mocks.byType(AZ.pip);
    expect(ips).toHaveLength(2);
    for (const ip of ips)
      expect(ip.inputs).toMatchObject({
        sku: { name: "Standard" },
        publicIPAllocationMethod: "Static",
        zones: ["1", "2", "3"],
      });
  });

  it("uses one VpnGw1AZ instance outside prod", async () => {
    const { mocks } = await build("dev");
    expect(gateway(mocks)).toMatchObject({
      sku: { name: "VpnGw1AZ", tier: "VpnGw1AZ" },
      activeActive: false,
    });
    expect(mocks.byType(AZ.pip)).toHaveLength(1);
  });

  it("describes each peer with a local network gateway and connects it over IKEv2 with a strong IPsec policy", () => {
    const { mocks, n } = prod;
    expect(one(mocks, AZ.localGateway).inputs).toMatchObject({
      gatewayIpAddress: "198.51.100.7",
      localNetworkAddressSpace: { addressPrefixes: ["192.168.0.0/16"] },
    });
    expect(one(mocks, AZ.localGateway).inputs).not.toHaveProperty("bgpSettings");
    const connection = one(mocks, AZ.connection).inputs as any;
    expect(connection).toMatchObject({
      connectionType: "IPsec",
      connectionProtocol: "IKEv2",
      virtualNetworkGateway1: { id: `${n}-gateway-id` },
      localNetworkGateway2: { id: `${n}-office-local-gateway-id` },
      enableBgp: false,
      ipsecPolicies: [IPSEC_POLICY],
      sharedKey: "[secret]",
    });
    expect(IPSEC_POLICY).toMatchObject({
      ikeEncryption: "GCMAES256",
      dhGroup: "ECP384",
      pfsGroup: "ECP384",
      ipsecEncryption: "GCMAES256",
    });
  });

  it("generates a secret key per peer and hands it out for both tunnels", () => {
    const { mocks, n, outputs } = prod;
    expect(one(mocks, "random:index/randomPassword:RandomPassword").name).toBe(`${n}-office-psk`);
    expect(outputs.keysSecret).toBe(true);
    expect(outputs.keys.office).toHaveLength(2);
    expect(outputs.keys.office[0]).toBe(outputs.keys.office[1]);
    expect(outputs.connections).toEqual([
      {
        peer: "office",
        connectionId: `${n}-office-connection-id`,
        tunnelAddresses: [
          expect.stringMatching(/^203\.0\.113\.\d+$/),
          expect.stringMatching(/^203\.0\.113\.\d+$/),
        ],
      },
    ]);
    expect(outputs.gatewayId).toBe(`${n}-gateway-id`);
  });

  it("uses the peer's own key when configured, and BGP when it has an ASN", async () => {
    const { mocks, outputs } = await build("prod", [
      {
        name: "dc",
        publicIp: "198.51.100.9",
        cidrs: ["172.16.0.0/16"],
        bgpAsn: 65010,
        preSharedKey: pulumi.secret("peer-chosen-key"),
      },
    ]);
    expect(mocks.byType("random:index/randomPassword:RandomPassword")).toHaveLength(0);
    expect(outputs.keys.dc).toEqual(["peer-chosen-key", "peer-chosen-key"]);
    expect(gateway(mocks)).toMatchObject({ enableBgp: true, bgpSettings: { asn: 65515 } });
    // No bgpPeerAddress: the first host of the peer's first network, as before the field existed.
    expect(one(mocks, AZ.localGateway).inputs).toMatchObject({
      bgpSettings: { asn: 65010, bgpPeeringAddress: "172.16.0.1" },
    });
    expect(one(mocks, AZ.connection).inputs).toMatchObject({ enableBgp: true });
    expect(peerBgpAddress({ cidrs: ["10.8.4.0/22"] })).toBe("10.8.4.1");
    // One session per gateway instance (active-active in prod), each with the gateway's own address.
    expect(outputs.connections[0].bgpSessions).toEqual([
      { cloudAddress: "10.255.255.254", peerAddress: "172.16.0.1" },
      { cloudAddress: "10.255.255.253", peerAddress: "172.16.0.1" },
    ]);
  });

  it("uses the configured BGP address for the peer and exports it with the gateway's", async () => {
    const { mocks, outputs } = await build("dev", [
      {
        name: "dc",
        publicIp: "198.51.100.9",
        cidrs: ["172.16.0.0/16"],
        bgpAsn: 65010,
        bgpPeerAddress: "10.99.0.1",
      },
    ]);
    expect(one(mocks, AZ.localGateway).inputs).toMatchObject({
      bgpSettings: { asn: 65010, bgpPeeringAddress: "10.99.0.1" },
    });
    expect(outputs.connections[0].bgpSessions).toEqual([
      { cloudAddress: "10.255.255.254", peerAddress: "10.99.0.1" },
    ]);
  });

  it("exports no BGP sessions for a statically routed peer", () => {
    expect(prod.outputs.connections[0]).not.toHaveProperty("bgpSessions");
  });

  it("reads the gateway's BGP address per instance, by IP configuration, else from the combined address", () => {
    const entry = (config: string, address: string) => ({
      ipconfigurationId: `/x/ipConfigurations/${config}`,
      defaultBgpIpAddresses: [address],
      tunnelIpAddresses: [],
    });
    expect(
      gatewayBgpAddresses(
        { bgpPeeringAddresses: [entry("ipconfig-1", "10.0.0.5"), entry("ipconfig-0", "10.0.0.4")] },
        2,
      ),
    ).toEqual(["10.0.0.4", "10.0.0.5"]);
    expect(gatewayBgpAddresses({ bgpPeeringAddress: "10.0.0.4,10.0.0.5" }, 2)).toEqual([
      "10.0.0.4",
      "10.0.0.5",
    ]);
    expect(gatewayBgpAddresses(undefined, 1)).toEqual([""]);
  });

  it("refuses BGP addresses Azure would refuse or could not reach, before creating anything", async () => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const config = azureConfig("prod");
    const make = (peer: Partial<VpnPeerConfig>) => () =>
      new Vpn("v", {
        ...commonArgs(config),
        zones: config.zones,
        vpn: {
          enabled: true,
          peers: [
            {
              name: "x",
              publicIp: "198.51.100.9",
              cidrs: ["172.16.0.0/16"],
              bgpAsn: 65010,
              ...peer,
            },
          ],
        },
        network: networkOutputs(config.zones),
      });
    expect(make({ bgpPeerAddress: "198.51.100.9" })).toThrow(
      /args\.vpn\.peers\[0\]\.bgpPeerAddress = "198\.51\.100\.9": must not be the device's public IP/,
    );
    expect(make({ bgpPeerAddress: "169.254.21.2" })).toThrow(
      /bgpPeerAddress = "169\.254\.21\.2": is link-local/,
    );
    expect(make({ bgpPeerAddress: "10.99.0.1", bgpAsn: undefined })).toThrow(
      /this peer routes statically; set its bgpAsn too/,
    );
    expect(make({ bgpPeerAddress: "10.99.0" })).toThrow(
      /bgpPeerAddress = "10\.99\.0": must be an IPv4 address/,
    );
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });

  it("refuses a peer ASN Azure reserves", async () => {
    await mockPulumi({ region: "westeurope" });
    const config = azureConfig("prod");
    expect(
      () =>
        new Vpn("v", {
          ...commonArgs(config),
          zones: config.zones,
          vpn: {
            enabled: true,
            peers: [
              { name: "x", publicIp: "198.51.100.9", cidrs: ["172.16.0.0/16"], bgpAsn: 65515 },
            ],
          },
          network: networkOutputs(config.zones),
        }),
    ).toThrow(/vpn\.peers\[0\]\.bgpAsn = 65515: is reserved by Azure/);
    await settle();
  });
});
