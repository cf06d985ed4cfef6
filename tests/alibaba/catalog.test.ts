import { parseConfig } from "../../programs/config";
import {
  ALIBABA_CATALOG,
  alibabaConfigIssues,
  SERVICE_CIDR,
} from "../../providers/alibaba/catalog";
import { alibabaConfig } from "./fixtures";

/** A minimal raw Alibaba Cloud dev config, as a stack file would hold it. */
const alibabaRaw = (): Record<string, any> => ({
  cloud: "alibaba",
  environment: "dev",
  region: "ap-southeast-1",
  zones: ["ap-southeast-1a", "ap-southeast-1b"],
  network: { cidr: "10.60.0.0/16" },
  kubernetes: {
    nodePools: [{ name: "general", instanceTypes: ["ecs.g7.xlarge"], minSize: 1, maxSize: 2 }],
  },
  cache: { engine: "redis" },
  backup: { schedule: "0 3 * * *" },
});

const paths = (issues: { path: string }[]) => issues.map((i) => i.path);

describe("Alibaba Cloud catalog", () => {
  it("spells zone ids as Alibaba Cloud does: cn-hangzhou-h in the mainland, ap-southeast-1a elsewhere", () => {
    expect(ALIBABA_CATALOG.regions["ap-southeast-1"]).toEqual([
      "ap-southeast-1a",
      "ap-southeast-1b",
      "ap-southeast-1c",
    ]);
    expect(ALIBABA_CATALOG.regions["cn-hangzhou"]).toContain("cn-hangzhou-h");
    for (const zones of Object.values(ALIBABA_CATALOG.regions))
      expect(zones.length).toBeGreaterThanOrEqual(2);
  });

  it("accepts the minimal config and the example's shape", () => {
    expect(parseConfig(alibabaRaw()).cloud).toBe("alibaba");
    expect(alibabaConfigIssues(alibabaConfig())).toEqual([]);
  });

  it("refuses at validation, naming the officeless: key, what ACK would refuse at deploy time", () => {
    const raw = alibabaRaw();
    raw.zones = ["ap-southeast-1a", "ap-southeast-1z"];
    raw.kubernetes.nodePools[0].instanceTypes = ["ecs.t6-c1m1.large", "ecs.g7.small", "m6i.large"];
    raw.kubernetes.nodePools[0].diskSizeGb = 1000;
    raw.cache = { engine: "valkey" };
    expect(() => parseConfig(raw)).toThrow(
      new RegExp(
        [
          'officeless:zones\\[1\\] = "ap-southeast-1z": is not a zone of ap-southeast-1',
          'officeless:kubernetes.nodePools\\[0\\].instanceTypes\\[0\\] = "ecs.t6-c1m1.large": is a burstable',
          'officeless:kubernetes.nodePools\\[0\\].instanceTypes\\[1\\] = "ecs.g7.small": is below 2 vCPUs',
          'officeless:kubernetes.nodePools\\[0\\].instanceTypes\\[2\\] = "m6i.large": must be an ECS instance type',
          "officeless:kubernetes.nodePools\\[0\\].diskSizeGb = 1000: ACK node pools take a system disk of 20 to 500 GiB",
          'officeless:cache.engine = "valkey": is not offered by Alibaba Cloud Tair',
        ].join("[\\s\\S]*"),
      ),
    );
  });

  it("refuses an unknown region with the close ones", () => {
    expect(() => parseConfig({ ...alibabaRaw(), region: "ap-southeast-9" })).toThrow(
      /is not a region of alibaba; valid: .*ap-southeast-1/,
    );
  });

  it("refuses networks that collide with the fixed service CIDR, and an address plan without room for the pod vSwitches", () => {
    const base = alibabaConfig();
    expect(
      paths(alibabaConfigIssues({ network: { ...base.network, cidr: "172.21.0.0/16" } })),
    ).toContain("network.cidr");
    const vpn = { enabled: true, peers: [{ ...base.vpn.peers[0], cidrs: ["172.21.8.0/24"] }] };
    expect(alibabaConfigIssues({ vpn })).toEqual([
      expect.objectContaining({
        path: "vpn.peers[0].cidrs[0]",
        message: expect.stringContaining(SERVICE_CIDR),
      }),
    ]);
    expect(
      alibabaConfigIssues({
        network: { ...base.network, cidr: "10.50.0.0/17" },
        zones: base.zones,
      }),
    ).toEqual([
      expect.objectContaining({ path: "network.cidr", message: expect.stringContaining("Terway") }),
    ]);
  });

  it("refuses schedules snapshot policies cannot run, retention past their limit, more than five zones and GKE's DNS endpoint", () => {
    const base = alibabaConfig();
    expect(
      paths(alibabaConfigIssues({ backup: { ...base.backup, schedule: "*/15 * * * *" } })),
    ).toEqual(["backup.schedule"]);
    expect(
      paths(alibabaConfigIssues({ backup: { ...base.backup, retentionDays: 70000 } })),
    ).toEqual(["backup.retentionDays"]);
    expect(paths(alibabaConfigIssues({ zones: ["a", "b", "c", "d", "e", "f"] }))).toEqual([
      "zones",
    ]);
    expect(
      paths(
        alibabaConfigIssues({
          kubernetes: {
            ...base.kubernetes,
            endpoint: { ...base.kubernetes.endpoint, dnsAccess: true },
          },
        }),
      ),
    ).toEqual(["kubernetes.endpoint.dnsAccess"]);
    expect(
      paths(
        alibabaConfigIssues({
          kubernetes: {
            ...base.kubernetes,
            adminPrincipals: ["user:me@example.com", "203456789012345678"],
          },
        }),
      ),
    ).toEqual(["kubernetes.adminPrincipals[0]", "kubernetes.adminPrincipals[1]"]);
  });

  it("takes BGP addresses only as hosts of link-local /30s, one pair of /30s per peer", () => {
    const base = alibabaConfig();
    const peer = base.vpn.peers[0];
    const vpn = (addresses: string[]) => ({
      enabled: true,
      peers: addresses.map((bgpPeerAddress, i) => ({ ...peer, name: `p${i}`, bgpPeerAddress })),
    });
    expect(alibabaConfigIssues({ vpn: vpn(["169.254.21.2", "169.254.30.1"]) })).toEqual([]);
    expect(paths(alibabaConfigIssues({ vpn: vpn(["10.0.0.2"]) }))).toEqual([
      "vpn.peers[0].bgpPeerAddress",
    ]);
    expect(paths(alibabaConfigIssues({ vpn: vpn(["169.254.21.2", "169.254.21.6"]) }))).toEqual([
      "vpn.peers[1].bgpPeerAddress",
    ]);
  });
});
