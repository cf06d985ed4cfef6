/**
 * Component-level validation: a component checks its arguments before it registers itself or any
 * child, and throws one error listing every problem with its `args.` path. Also the shared rules the
 * config parser reuses, checked directly.
 */
import { Backup } from "../components/backup";
import { KubernetesCluster } from "../components/kubernetesCluster";
import { Network, NetworkOutputs } from "../components/network";
import { Vpn } from "../components/vpn";
import { PlatformConfig } from "../components/types";
import { kubernetesOutputs, storageOutputs } from "./awsUpstream";
import {
  ValidationError,
  backupIssues,
  cacheIssues,
  closestMatch,
  isPublicIpv4,
  kubernetesIssues,
  linkLocalSessions,
  networkIssues,
  tagIssues,
  vpnIssues,
  zoneIssues,
} from "../components/validation";
import { awsConfigIssues } from "../providers/aws/catalog";
import { awsConfig, commonArgs } from "./fixtures";
import { RecordingMocks, mockPulumi, settle } from "./harness";

/** Runs `build` under fresh mocks; returns its error and what the mocks recorded. */
async function attempt(build: () => void): Promise<{ error: unknown; mocks: RecordingMocks }> {
  const mocks = await mockPulumi({ region: "eu-west-1" });
  let error: unknown;
  try {
    build();
  } catch (err) {
    error = err;
  }
  await settle();
  return { error, mocks };
}

/** Network outputs are never read: validation throws before the backend is called. */
const unusedNetwork = {} as NetworkOutputs;

describe("components validate before registering anything", () => {
  it("Network: a bad CIDR is reported as args.network.cidr and nothing is registered", async () => {
    const config = awsConfig("prod");
    const { error, mocks } = await attempt(
      () =>
        new Network("net", {
          ...commonArgs(config),
          zones: config.zones,
          network: { ...config.network, cidr: "10.20.0.1/16" },
        }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(
      'args.network.cidr = "10.20.0.1/16": must be an IPv4 CIDR with zero host bits',
    );
    expect(mocks.resources).toEqual([]);
  });

  it("Network: lists every problem at once (zones and NAT in prod)", async () => {
    const config = awsConfig("prod");
    const { error, mocks } = await attempt(
      () =>
        new Network("net", {
          ...commonArgs(config),
          zones: ["eu-west-1a", "eu-west-1a"],
          network: { ...config.network, natGateways: "single" },
        }),
    );
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
      "zones",
      "zones",
      "network.natGateways",
    ]);
    expect((error as Error).message).toMatch(/^Invalid Network arguments: 3 problems\n/);
    expect((error as Error).message).toContain("args.zones");
    expect((error as Error).message).toContain('args.network.natGateways = "single"');
    expect(mocks.resources).toEqual([]);
  });

  it("KubernetesCluster: an unsupported version and min > max stop it before the cluster exists", async () => {
    const config = awsConfig("prod");
    const pools = config.kubernetes.nodePools.map((p, i) =>
      i === 0 ? { ...p, minSize: 4, maxSize: 2, desiredSize: 2 } : p,
    );
    const { error, mocks } = await attempt(
      () =>
        new KubernetesCluster("k8s", {
          ...commonArgs(config),
          zones: config.zones,
          kubernetes: { ...config.kubernetes, version: "1.29", nodePools: pools },
          network: unusedNetwork,
        }),
    );
    expect((error as Error).message).toContain(
      'args.kubernetes.version = "1.29": is outside the supported window',
    );
    expect((error as Error).message).toContain(
      "args.kubernetes.nodePools[0].minSize = 4: must be <= maxSize (2)",
    );
    expect(mocks.resources).toEqual([]);
  });

  it("Vpn: overlapping peers stop it before the gateway exists", async () => {
    const config = awsConfig("prod");
    const vpn = {
      enabled: true,
      peers: [
        { name: "a", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"] },
        { name: "b", publicIp: "198.51.100.8", cidrs: ["192.168.4.0/22"] },
      ],
    };
    const { error, mocks } = await attempt(
      () =>
        new Vpn("vpn", { ...commonArgs(config), zones: config.zones, vpn, network: unusedNetwork }),
    );
    expect((error as Error).message).toContain(
      'args.vpn.peers[1].cidrs[0] = "192.168.4.0/22": overlaps 192.168.0.0/16 of peer "a"',
    );
    expect(mocks.resources).toEqual([]);
  });

  it("Backup: a zero retention stops it before the vault exists", async () => {
    const config = awsConfig("prod");
    const { error, mocks } = await attempt(
      () =>
        new Backup("backup", {
          ...commonArgs(config),
          backup: { ...config.backup, retentionDays: 0 },
          storage: storageOutputs(),
          kubernetes: kubernetesOutputs(),
        }),
    );
    expect((error as Error).message).toContain(
      "args.backup.retentionDays = 0: must be at least 1 day",
    );
    expect(mocks.resources).toEqual([]);
  });
});

describe("shared rules", () => {
  /** Every rule over a whole config, as the parser runs them. */
  function allIssues(c: PlatformConfig) {
    return [
      ...zoneIssues(c.zones, c.environment),
      ...networkIssues(c.network, c.zones.length, c.environment),
      ...kubernetesIssues(c.kubernetes, c.environment, c.network.cidr),
      ...vpnIssues(c.vpn, c.network.cidr),
      ...cacheIssues(c.cache, c.environment, c.zones.length),
      ...backupIssues(c.backup, c.environment),
      ...tagIssues(c.tags),
    ];
  }

  it.each(["dev", "staging", "prod"] as const)(
    "accept the %s fixture other tests build from",
    (env) => {
      expect(allIssues(awsConfig(env))).toEqual([]);
    },
  );

  it("report subnets that do not fit on the CIDR, with the sizes", () => {
    const network = { ...awsConfig("prod").network, cidr: "10.20.0.0/18" };
    const [issue] = networkIssues(network, 3, "prod");
    expect(issue).toMatchObject({ path: "network.cidr", value: "10.20.0.0/18" });
    expect(issue.message).toMatch(/too small.*need 26112 addresses; 10\.20\.0\.0\/18 has 16384/);
  });

  it("tell an overlap inside one peer from one across peers", () => {
    const vpn = {
      enabled: true,
      peers: [{ name: "a", publicIp: "198.51.100.7", cidrs: ["10.1.0.0/16", "10.1.2.0/24"] }],
    };
    expect(vpnIssues(vpn)[0].message).toContain(
      "overlaps 10.1.0.0/16 listed earlier for this peer",
    );
  });

  it("require a public address for a VPN peer", () => {
    for (const ip of [
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "100.64.0.1",
      "127.0.0.1",
      "169.254.1.1",
      "224.0.0.1",
      "0.1.2.3",
    ]) {
      expect(isPublicIpv4(ip)).toBe(false);
    }
    for (const ip of ["198.51.100.7", "8.8.8.8", "172.32.0.1", "100.128.0.1"])
      expect(isPublicIpv4(ip)).toBe(true);
  });

  it("check the Kubernetes version format and window", () => {
    const k8s = awsConfig("prod").kubernetes;
    const paths = (version: string) =>
      kubernetesIssues({ ...k8s, version }, "prod").map((i) => i.path);
    expect(paths("1.36")).toEqual([]);
    expect(paths("1.35")).toEqual([]);
    expect(paths("1.34")).toEqual(["kubernetes.version"]);
    expect(paths("1.37")).toEqual(["kubernetes.version"]);
    expect(paths("1.3")).toEqual(["kubernetes.version"]);
  });

  it("check AWS admins are IAM roles or users, on AWS only", () => {
    const k8s = awsConfig("prod").kubernetes;
    const paths = (arns: string[]) =>
      awsConfigIssues({ kubernetes: { ...k8s, adminPrincipals: arns } }).map((i) => i.path);
    expect(
      paths([
        "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/Admin",
        "arn:aws:iam::123456789012:user/ci",
      ]),
    ).toEqual([]);
    expect(
      paths([
        "arn:aws:iam::123456789012:group/admins",
        "arn:aws:sts::123456789012:assumed-role/x/y",
      ]),
    ).toEqual(["kubernetes.adminPrincipals[0]", "kubernetes.adminPrincipals[1]"]);
    expect(kubernetesIssues({ ...k8s, adminPrincipals: ["not-an-arn"] }, "prod")).toEqual([]);
  });

  it("require a BGP peer address to be IPv4 and each peer's own, leaving ranges to the clouds", () => {
    const peer = (name: string, bgpPeerAddress?: string) => ({
      name,
      publicIp: "198.51.100.7",
      cidrs: [name === "a" ? "10.1.0.0/16" : "10.2.0.0/16"],
      bgpPeerAddress,
    });
    const issues = (...peers: ReturnType<typeof peer>[]) =>
      vpnIssues({ enabled: true, peers }).map((i) => [i.path, i.message]);
    // Any IPv4 address passes the shared rule: link-local, private or public is each cloud's call.
    expect(issues(peer("a", "169.254.21.2"), peer("b", "10.9.9.9"))).toEqual([]);
    expect(issues(peer("a", "fe80::1"))).toEqual([
      ["vpn.peers[0].bgpPeerAddress", expect.stringMatching(/^must be an IPv4 address/)],
    ]);
    expect(issues(peer("a", "169.254.21.2"), peer("b", "169.254.21.2"))).toEqual([
      [
        "vpn.peers[1].bgpPeerAddress",
        'is already the BGP address of peer "a" (vpn.peers[0]); each peer needs its own',
      ],
    ]);
  });

  it("lay BGP sessions over consecutive /30s, the cloud on the other host of each", () => {
    expect(linkLocalSessions("169.254.21.2", 2)).toEqual([
      { range: "169.254.21.0/30", cloudAddress: "169.254.21.1", peerAddress: "169.254.21.2" },
      { range: "169.254.21.4/30", cloudAddress: "169.254.21.5", peerAddress: "169.254.21.6" },
    ]);
    expect(linkLocalSessions("169.254.21.253", 1)).toEqual([
      { range: "169.254.21.252/30", cloudAddress: "169.254.21.254", peerAddress: "169.254.21.253" },
    ]);
    expect(() => linkLocalSessions("169.254.21", 1)).toThrow(/not an IPv4 address/);
  });

  it("check AWS tunnel inside addresses: the second host of a free, unreserved /30, for BGP peers only", () => {
    const peer = (i: number, bgpPeerAddress: string, bgp = true) => ({
      name: `p${i}`,
      publicIp: "198.51.100.7",
      cidrs: [`172.16.${i}.0/24`],
      bgpAsn: bgp ? 65010 : undefined,
      bgpPeerAddress,
    });
    const messages = (...peers: ReturnType<typeof peer>[]) =>
      awsConfigIssues({ vpn: { enabled: true, peers } }).map((i) => `${i.path}: ${i.message}`);
    expect(messages(peer(0, "169.254.21.2"), peer(1, "169.254.100.10"))).toEqual([]);
    for (const address of ["169.254.21.1", "169.254.21.0", "10.0.0.2"]) {
      expect(messages(peer(0, address))).toEqual([
        "vpn.peers[0].bgpPeerAddress: must be the second host of a /30 in 169.254.0.0/16 (AWS takes the first), e.g. 169.254.21.2 for 169.254.21.0/30",
      ]);
    }
    expect(messages(peer(0, "169.254.4.254"))[0]).toMatch(
      /puts tunnel 2 in 169\.254\.5\.0\/30, which AWS reserves/,
    );
    expect(messages(peer(0, "169.254.169.250"))[0]).toMatch(
      /puts tunnel 2 in 169\.254\.169\.252\/30, which AWS reserves/,
    );
    expect(messages(peer(0, "169.254.255.254"))[0]).toMatch(/leaves no room for tunnel 2/);
    expect(messages(peer(0, "169.254.21.2"), peer(1, "169.254.21.6"))).toEqual([
      expect.stringMatching(
        /^vpn\.peers\[1\]\.bgpPeerAddress: puts a tunnel in 169\.254\.21\.4\/30, which vpn\.peers\[0\] already uses/,
      ),
    ]);
    expect(messages(peer(0, "169.254.21.2", false))).toEqual([
      expect.stringMatching(/routes statically; set its bgpAsn too/),
    ]);
    expect(awsConfigIssues({ vpn: { enabled: false, peers: [peer(0, "10.0.0.1")] } })).toEqual([]);
  });

  it("refuse reserved, AWS-owned and oversized tags", () => {
    const issues = tagIssues({
      Environment: "x",
      "aws:owner": "y",
      ok: "z".repeat(257),
      "officeless-backup": "true",
      "bad{key}": "v",
    });
    expect(issues.map((i) => i.path)).toEqual([
      "tags.Environment",
      "tags.aws:owner",
      "tags.ok",
      "tags.officeless-backup",
      "tags.bad{key}",
    ]);
    const many = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`k${i}`, "v"]));
    expect(tagIssues(many).map((i) => i.path)).toEqual(["tags"]);
  });

  it("require backups in prod only", () => {
    const off = {
      enabled: false,
      retentionDays: 35,
      schedule: "cron(0 3 * * ? *)",
      crossRegionCopy: { enabled: false },
    };
    expect(backupIssues(off, "prod").map((i) => i.path)).toEqual(["backup.enabled"]);
    expect(backupIssues(off, "dev")).toEqual([]);
  });

  it("suggest the closest key for typos, case-insensitively, and nothing when far off", () => {
    expect(closestMatch("netwrok", ["network", "kubernetes"])).toBe("network");
    expect(closestMatch("nodepools", ["name", "nodePools"])).toBe("nodePools");
    expect(closestMatch("zzz", ["network", "kubernetes"])).toBeUndefined();
  });
});
