/** The on-prem network layer: no resources, the declared site network as NetworkOutputs. */
import { Network } from "../../components/network";
import { mockPulumi, settle, valueOf } from "../harness";
import { devK3sRaw, edit, onpremArgs, parsed, prodOnpremRaw } from "./fixtures";

describe("onprem network", () => {
  it("exports the site network, the zones and the node segments in zone order, and creates nothing", async () => {
    const mocks = await mockPulumi();
    const config = parsed(
      edit((r) => {
        // Declared out of zone order: the outputs follow officeless:zones.
        r.onprem.nodeNetworks = [
          { zone: "room-c", cidr: "10.30.3.0/24" },
          { zone: "room-a", cidr: "10.30.1.0/24" },
          { zone: "room-b", cidr: "10.30.2.0/24" },
        ];
        r.vpn = {
          enabled: true,
          peers: [{ name: "aws", publicIp: "198.51.100.7", cidrs: ["172.16.0.0/16"] }],
        };
        r.onprem.vpn = { localPublicIp: "203.0.113.10" };
      }),
    );
    const net = new Network("site-network", {
      ...onpremArgs(config),
      zones: config.zones,
      network: config.network,
    });
    const out = net.outputs;
    expect(await valueOf(out.networkId)).toBe("onprem:dc1");
    expect(await valueOf(out.cidr)).toBe("10.30.0.0/16");
    expect(await valueOf(out.zones)).toEqual(["room-a", "room-b", "room-c"]);
    expect(await valueOf(out.privateSubnetIds)).toEqual([
      "10.30.1.0/24",
      "10.30.2.0/24",
      "10.30.3.0/24",
    ]);
    expect(await valueOf(out.publicSubnetIds)).toEqual([]);
    expect(await valueOf(out.databaseSubnetIds)).toEqual([]);
    expect(await valueOf(out.natPublicIps)).toEqual(["203.0.113.10"]);
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });

  it("refuses, as a component, node networks outside the site network", async () => {
    await mockPulumi();
    const config = parsed(devK3sRaw());
    const bad = {
      ...config.onprem!,
      nodeNetworks: [{ zone: "rack-1", cidr: "192.168.0.0/24" }],
    };
    expect(
      () =>
        new Network("lab-network", {
          ...onpremArgs(config),
          onprem: bad,
          zones: config.zones,
          network: config.network,
        }),
    ).toThrow(
      /args\.onprem\.nodeNetworks\[0\]\.cidr = "192\.168\.0\.0\/24": is outside the declared network/,
    );
  });

  it("exports no public address when the site declares none", async () => {
    await mockPulumi();
    const config = parsed(prodOnpremRaw());
    const net = new Network("site-network", {
      ...onpremArgs(config),
      zones: config.zones,
      network: config.network,
    });
    expect(await valueOf(net.outputs.natPublicIps)).toEqual([]);
  });
});
