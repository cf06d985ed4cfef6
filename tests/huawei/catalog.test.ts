/**
 * Huawei Cloud config rules (through the real config parser, naming the `officeless:` key), the
 * registry entry, and the pure helpers the backend builds inputs with.
 */
import { parseConfig } from "../../programs/config";
import { autoscalerValues, autoscalerVersion } from "../../providers/huawei/addons";
import { backupCycle } from "../../providers/huawei/backup";
import { cbrSchedule, HUAWEI_CATALOG, huaweiConfigIssues } from "../../providers/huawei/catalog";
import { cutName } from "../../providers/huawei/common";
import { ccePoolName, internalKubeconfig, poolFixed } from "../../providers/huawei/kubernetes";
import { smallestFlavor } from "../../providers/huawei/loadBalancing";
import { turboSubdirectory } from "../../providers/huawei/storage";
import { bucketPolicy } from "../../providers/huawei/observability";
import { gatewayUserData, swanctlPeer } from "../../providers/huawei/vpn";
import { mockCceKubeconfig } from "../../automation/offline/clouds/huawei";
import { backendFor, catalogFor, supportedClouds } from "../../providers/registry";

/** A minimal raw Huawei dev config, as a stack file would hold it. */
const raw = (): Record<string, any> => ({
  cloud: "huawei",
  environment: "dev",
  region: "ap-southeast-3",
  zones: ["ap-southeast-3a", "ap-southeast-3b"],
  network: { cidr: "10.70.0.0/16" },
  kubernetes: {
    nodePools: [{ name: "general", instanceTypes: ["c7.xlarge.2"], minSize: 1, maxSize: 2 }],
  },
  cache: { engine: "redis" },
});

describe("registry and catalog", () => {
  it("supports huawei, with its catalog and backend", () => {
    expect(supportedClouds()).toContain("huawei");
    expect(catalogFor("huawei")).toBe(HUAWEI_CATALOG);
    expect(backendFor("huawei").cloud).toBe("huawei");
    for (const [region, zones] of Object.entries(HUAWEI_CATALOG.regions))
      for (const zone of zones) expect(zone).toMatch(new RegExp(`^${region}[a-z]$`));
  });

  it("accepts the minimal config", () => {
    expect(parseConfig(raw()).cloud).toBe("huawei");
  });

  it.each([
    ["a zone of another region", { zones: ["ap-southeast-3a", "cn-north-4a"] }, /officeless:zones/],
    [
      "Valkey",
      { cache: { engine: "valkey" } },
      /officeless:cache\.engine = "valkey": DCS offers Redis/,
    ],
    [
      "a Redis version DCS lacks",
      { cache: { engine: "redis", version: "8.0" } },
      /officeless:cache\.version = "8\.0"/,
    ],
    [
      "a VPC range over CCE's pod range",
      { network: { cidr: "172.16.0.0/16" } },
      /officeless:network\.cidr = "172\.16\.0\.0\/16": overlaps CCE's fixed pod or Service range/,
    ],
    ["a public VPC range", { network: { cidr: "100.64.0.0/16" } }, /must lie in 10\.0\.0\.0\/8/],
    [
      "flow logs kept longer than LTS can",
      { network: { cidr: "10.70.0.0/16", flowLogRetentionDays: 400 } },
      /officeless:network\.flowLogRetentionDays = 400: LTS keeps flow logs at most 365 days/,
    ],
    [
      "an AWS instance type",
      {
        kubernetes: {
          nodePools: [{ name: "general", instanceTypes: ["m6i.large"], minSize: 1, maxSize: 2 }],
        },
      },
      /officeless:kubernetes\.nodePools\[0\]\.instanceTypes\[0\] = "m6i\.large": must be an ECS flavor/,
    ],
    [
      "two flavors in one pool",
      {
        kubernetes: {
          nodePools: [
            {
              name: "general",
              instanceTypes: ["c7.xlarge.2", "c7.2xlarge.2"],
              minSize: 1,
              maxSize: 2,
            },
          ],
        },
      },
      /a CCE node pool has one ECS flavor/,
    ],
    [
      "a public API allow-list",
      {
        kubernetes: {
          nodePools: [{ name: "general", instanceTypes: ["c7.xlarge.2"], minSize: 1, maxSize: 2 }],
          endpoint: { publicAccessCidrs: ["203.0.113.0/24"] },
        },
      },
      /officeless:kubernetes\.endpoint\.publicAccessCidrs .*cannot be enforced on CCE/,
    ],
    [
      "a schedule CBR cannot run",
      { backup: { schedule: "0 3 1 * *" } },
      /officeless:backup\.schedule = "0 3 1 \* \*": CBR cycles by weekday/,
    ],
    ["a one-day retention", { backup: { retentionDays: 1 } }, /CBR keeps backups at least 2 days/],
    [
      "BGP to a peer",
      {
        vpn: {
          enabled: true,
          peers: [
            { name: "office", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"], bgpAsn: 65010 },
          ],
        },
      },
      /officeless:vpn\.peers\[0\]\.bgpAsn = 65010: the Huawei Cloud IPsec gateway routes statically/,
    ],
  ])("refuses %s, naming the key", (_what, patch, message) => {
    expect(() => parseConfig({ ...raw(), ...patch })).toThrow(message);
  });
});

describe("CBR schedule", () => {
  it("converts Unix and AWS crons to weekly cycles", () => {
    expect(cbrSchedule("0 3 * * *")).toEqual({
      days: "MO,TU,WE,TH,FR,SA,SU",
      executionTimes: ["03:00"],
    });
    expect(cbrSchedule("cron(30 2,14 ? * 1,7 *)")).toEqual({
      days: "SU,SA",
      executionTimes: ["02:30", "14:30"],
    });
    expect(cbrSchedule("15 4 * * 1-5")).toHaveProperty("error");
    expect(cbrSchedule("cron(0 3 * * ? 2027)")).toHaveProperty("error");
    expect(() => backupCycle("*/5 * * * *")).toThrow(/backup\.schedule/);
  });
});

describe("kubernetes helpers", () => {
  it("keeps only the private endpoint of CCE's kubeconfig, with its CA", () => {
    const out = internalKubeconfig(mockCceKubeconfig("c"));
    const doc = JSON.parse(out.kubeconfig);
    expect(doc["current-context"]).toBe("internal");
    expect(doc.clusters).toHaveLength(1);
    expect(out.server).toMatch(/^https:\/\/10\.\d+\.0\.10:5443$/);
    expect(out.ca).not.toBe("");
    expect(() => internalKubeconfig("{}")).toThrow(/internal context/);
  });

  it("renames a pool when an input CCE cannot change changes, and only then", () => {
    const pool = {
      name: "general",
      instanceTypes: ["c7.xlarge.2"],
      minSize: 1,
      maxSize: 3,
      desiredSize: 1,
      spot: false,
      diskSizeGb: 100,
      labels: {},
      taints: [],
    };
    const name = (p: typeof pool) => ccePoolName(p.name, 0, poolFixed(p, "z1", "subnet", "key"));
    expect(name(pool)).toBe(name({ ...pool, maxSize: 9, labels: { a: "b" } as any }));
    expect(name(pool)).not.toBe(name({ ...pool, instanceTypes: ["c7.2xlarge.2"] }));
    expect(name(pool)).not.toBe(name({ ...pool, spot: true }));
    expect(name(pool).length).toBeLessThanOrEqual(50);
  });

  it("cuts long names with a hash that keeps them distinct", () => {
    const a = cutName("x".repeat(40) + "a", 32);
    const b = cutName("x".repeat(40) + "b", 32);
    expect(a.length).toBe(32);
    expect(a).not.toBe(b);
    expect(cutName("short", 32)).toBe("short");
  });
});

describe("add-on, load balancer and observability helpers", () => {
  it("maps Kubernetes minors to autoscaler add-on versions and refuses unknown ones", () => {
    expect(autoscalerVersion("1.36")).toMatch(/^1\.36\.\d+$/);
    expect(() => autoscalerVersion("1.20")).toThrow(/kubernetes\.version/);
    // At config validation too, before any resource.
    const k8s = parseConfig(raw()).kubernetes;
    expect(
      huaweiConfigIssues({ kubernetes: { ...k8s, version: "1.20" } }).map((i) => i.path),
    ).toEqual(["kubernetes.version"]);
    expect(huaweiConfigIssues({ kubernetes: k8s })).toEqual([]);
  });

  it("keeps the template's basic values and sets the cluster's ids over its custom defaults", () => {
    const spec = JSON.stringify({
      basic: { swr_addr: "a" },
      parameters: { custom: { cluster_id: "", coresTotal: 32000 } },
    });
    const values = autoscalerValues(spec, "c1", "p1");
    expect(JSON.parse(values.basicJson)).toEqual({ swr_addr: "a" });
    expect(JSON.parse(values.customJson)).toMatchObject({
      cluster_id: "c1",
      tenant_id: "p1",
      coresTotal: 32000,
    });
  });

  it("puts the claims' directory under the SFS Turbo export without a double slash", () => {
    expect(turboSubdirectory("10.0.1.5:/")).toBe("10.0.1.5:/officeless");
    expect(turboSubdirectory("10.0.1.5:")).toBe("10.0.1.5:/officeless");
  });

  it("picks the flavor with the fewest connections", () => {
    expect(
      smallestFlavor([
        { id: "b", maxConnections: 2 },
        { id: "a", maxConnections: 1 },
      ]),
    ).toBe("a");
    expect(() => smallestFlavor([])).toThrow(/no dedicated ELB flavor/);
  });

  it("writes an OBS policy on one bucket and its objects", () => {
    const doc = JSON.parse(bucketPolicy("b1"));
    expect(doc.Statement[0].Resource).toEqual(["OBS:*:*:bucket:b1", "OBS:*:*:object:b1/*"]);
    expect(doc.Statement[0].Action).toContain("obs:object:PutObject");
  });
});

describe("IPsec gateway config", () => {
  const peer = {
    name: "office-1",
    publicIp: "198.51.100.7",
    cidrs: ["192.168.0.0/16", "10.9.0.0/16"],
  };

  it("uses IKEv2 with AES-256, SHA-256 and DH 14, the peer's networks, and a quoted key", () => {
    const conf = swanctlPeer(peer, 'k"ey', "203.0.113.5", ["10.60.0.0/16", "172.16.0.0/16"]);
    expect(conf).toContain("version = 2");
    expect(conf).toContain("proposals = aes256-sha256-modp2048");
    expect(conf).toContain("esp_proposals = aes256-sha256-modp2048");
    expect(conf).toContain("remote_ts = 192.168.0.0/16,10.9.0.0/16");
    expect(conf).toContain("local_ts = 10.60.0.0/16,172.16.0.0/16");
    expect(conf).toContain('secret = "k\\"ey"');
  });

  it("turns forwarding on and loads the connections at boot", () => {
    const data = gatewayUserData([{ peer: "office-1", config: "connections {}" }]);
    expect(data.startsWith("#cloud-config\n")).toBe(true);
    expect(data).toContain("net.ipv4.ip_forward = 1");
    expect(data).toContain("/etc/swanctl/conf.d/office-1.conf");
    expect(data).toContain("swanctl --load-all");
  });
});
