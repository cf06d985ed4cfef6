/**
 * Huawei Cloud config rules (through the real config parser, naming the `officeless:` key), the
 * registry entry, and the pure helpers the backend builds inputs with.
 */
import { parseConfig } from "../../programs/config";
import { autoscalerValues, autoscalerVersion } from "../../providers/huawei/addons";
import { backupCycle } from "../../providers/huawei/backup";
import {
  AUTOSCALER_ADDON_VERSIONS,
  cbrSchedule,
  HUAWEI_CATALOG,
} from "../../providers/huawei/catalog";
import { cutName } from "../../providers/huawei/common";
import { ccePoolName, internalKubeconfig, poolFixed } from "../../providers/huawei/kubernetes";
import { fixedFlavor } from "../../providers/huawei/loadBalancing";
import { turboSubdirectory } from "../../providers/huawei/storage";
import { bucketPolicy } from "../../providers/huawei/observability";
import YAML from "yaml";
import { ESP_PROPOSALS, IKE_PROPOSALS, renderSwanctl } from "../../components/swanctl";
import {
  GATEWAY_CONFIG_FORMAT,
  GATEWAY_SWANCTL_FILE,
  gatewayUserData,
  vpnConfigHash,
} from "../../providers/huawei/vpn";
import { parseStrongswanSettings } from "../strongswanSettings";
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
    version: "1.35",
    autoscalerAddonVersion: "1.35.12",
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
      "a move to Warm before OBS allows it",
      { storage: { object: { lifecycle: { transitionToInfrequentAccessDays: 29 } } } },
      /officeless:storage\.object\.lifecycle\.transitionToInfrequentAccessDays = 29: OBS moves objects to Warm at least 30 days/,
    ],
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
  it("takes the configured autoscaler add-on build, never a guessed one, and refuses a missing or foreign one", () => {
    // No build is recorded unverified: a minor without one needs the key.
    expect(Object.values(AUTOSCALER_ADDON_VERSIONS)).toEqual([]);
    expect(autoscalerVersion("1.35", "1.35.12")).toBe("1.35.12");
    expect(() => autoscalerVersion("1.35")).toThrow(/kubernetes\.autoscalerAddonVersion/);
    expect(() => autoscalerVersion("1.36", "1.35.12")).toThrow(/build for Kubernetes 1\.36/);
  });

  it("accepts only the minors CCE is known to offer, and asks for the add-on build, naming the keys", () => {
    const issues = (kubernetes: Record<string, unknown>) => {
      try {
        parseConfig({ ...raw(), kubernetes: { ...raw().kubernetes, ...kubernetes } });
        return [];
      } catch (e) {
        return (e as { issues: { path: string; message: string }[] }).issues;
      }
    };
    expect(issues({ version: "1.35", autoscalerAddonVersion: "1.35.12" })).toEqual([]);
    // 1.36 is one of the platform's minors but has no CCE release note: refused on Huawei.
    expect(issues({ version: "1.36", autoscalerAddonVersion: "1.36.3" })).toEqual([
      expect.objectContaining({
        path: "kubernetes.version",
        message: expect.stringMatching(/CCE: 1\.35/),
      }),
    ]);
    expect(issues({ version: "1.35", autoscalerAddonVersion: undefined })).toEqual([
      expect.objectContaining({
        path: "kubernetes.autoscalerAddonVersion",
        message: expect.stringContaining(
          "hcloud CCE ListAddonTemplates --addon_template_name=autoscaler",
        ),
      }),
    ]);
    expect(
      issues({ version: "1.35", autoscalerAddonVersion: "1.33.5" }).map((i) => i.path),
    ).toEqual(["kubernetes.autoscalerAddonVersion"]);
  });

  it("refuses the add-on build key on other clouds", () => {
    const gcp = {
      cloud: "gcp",
      environment: "dev",
      region: "europe-west1",
      zones: ["europe-west1-b"],
      network: { cidr: "10.70.0.0/16" },
      kubernetes: {
        version: "1.35",
        autoscalerAddonVersion: "1.35.12",
        nodePools: [{ name: "general", instanceTypes: ["e2-standard-4"], minSize: 1, maxSize: 2 }],
      },
    };
    expect(() => parseConfig(gcp)).toThrow(
      /kubernetes\.autoscalerAddonVersion.*applies only to cloud huawei/s,
    );
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

  it("picks a fixed ELB flavor by size: the smallest outside prod, the next size up in prod", () => {
    const flavors = [
      { id: "c", maxConnections: 4 },
      { id: "b", maxConnections: 2 },
      { id: "a", maxConnections: 1 },
    ];
    expect(fixedFlavor(flavors, "dev")).toBe("a");
    expect(fixedFlavor(flavors, "prod")).toBe("b");
    expect(fixedFlavor([{ id: "a", maxConnections: 1 }], "prod")).toBe("a");
    expect(() => fixedFlavor([], "dev")).toThrow(/no dedicated ELB flavor/);
  });

  it("writes an OBS policy on one bucket and its objects", () => {
    const doc = JSON.parse(bucketPolicy("b1"));
    expect(doc.Statement[0].Resource).toEqual(["OBS:*:*:bucket:b1", "OBS:*:*:object:b1/*"]);
    expect(doc.Statement[0].Action).toContain("obs:object:PutObject");
  });
});

describe("IPsec gateway config", () => {
  const peers = [
    { name: "office-1", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16", "10.9.0.0/16"] },
    { name: "office-2", publicIp: "198.51.100.8", cidrs: ["10.10.0.0/16"] },
  ];
  const site = { publicIp: "203.0.113.5", cidrs: ["10.60.0.0/16", "172.16.0.0/16"] };
  const conf = renderSwanctl(
    site,
    peers.map((p, i) => ({ ...p, preSharedKey: i === 0 ? 'k"e\\y' : "plain" })),
  );
  const data = gatewayUserData(conf);
  /** The swanctl.conf the VM gets: the user data read as YAML, the file taken from write_files. */
  const written = () => {
    const doc = YAML.parse(data) as { write_files: { path: string; content: string }[] };
    return doc.write_files.find((f) => f.path === GATEWAY_SWANCTL_FILE)!.content;
  };

  it("writes a swanctl.conf that parses as strongSwan settings: one setting per line, sections closed", () => {
    const file = written();
    expect(file.trimEnd()).toBe(conf.trimEnd());
    const settings = parseStrongswanSettings(file) as any;
    for (const p of peers) {
      const c = settings.connections[p.name];
      expect(c).toMatchObject({ version: "2", remote_addrs: p.publicIp });
      expect(c.local).toEqual({ auth: "psk", id: site.publicIp });
      expect(c.remote).toEqual({ auth: "psk", id: p.publicIp });
      expect(c.children[`${p.name}-net`]).toMatchObject({
        local_ts: site.cidrs.join(","),
        remote_ts: p.cidrs.join(","),
        start_action: "start",
      });
      expect(settings.secrets[`ike-${p.name}`]).toMatchObject({
        "id-site": site.publicIp,
        "id-peer": p.publicIp,
      });
    }
    expect(settings.secrets["ike-office-1"].secret).toBe('k"e\\y');
  });

  it("the test parser refuses the one-line sections the gateway used to write", () => {
    expect(() =>
      parseStrongswanSettings(
        "connections {\n  a {\n    local { auth = psk; id = 1.2.3.4 }\n  }\n}\n",
      ),
    ).toThrow();
    expect(() =>
      parseStrongswanSettings('secrets {\n  ike-a { id-1 = a; id-2 = b; secret = "k" }\n}\n'),
    ).toThrow();
  });

  it("proposes AES-256-GCM with a SHA-256 PRF and DH 14 or stronger, the on-prem gateway's", () => {
    const settings = parseStrongswanSettings(written()) as any;
    const c = settings.connections["office-1"];
    expect(c.proposals).toBe(IKE_PROPOSALS);
    expect(c.children["office-1-net"].esp_proposals).toBe(ESP_PROPOSALS);
    for (const proposal of [IKE_PROPOSALS, ESP_PROPOSALS]) {
      const parts = proposal.split("-");
      expect(parts[0]).toBe("aes256gcm16");
      expect(parts.filter((p) => /^(modp|ecp)/.test(p))).not.toContain("modp1024");
      expect(parts).toContain("modp2048");
    }
    expect(IKE_PROPOSALS).toContain("prfsha256");
  });

  it("changes the gateway's config tag when the user data's format changes, not only its peers", () => {
    const cfg = peers;
    expect(vpnConfigHash(cfg)).toBe(vpnConfigHash(cfg, GATEWAY_CONFIG_FORMAT));
    expect(vpnConfigHash(cfg, GATEWAY_CONFIG_FORMAT - 1)).not.toBe(vpnConfigHash(cfg));
    expect(vpnConfigHash(cfg.slice(0, 1))).not.toBe(vpnConfigHash(cfg));
  });

  it("installs only charon-systemd, swanctl and the standard plugins (no strongswan-starter), forwards, loads at boot", () => {
    const doc = YAML.parse(data) as { packages: string[]; runcmd: string[] };
    expect(doc.packages).toEqual([
      "strongswan-swanctl",
      "charon-systemd",
      "libstrongswan-standard-plugins",
    ]);
    expect(doc.packages).not.toContain("strongswan");
    expect(data).toContain("net.ipv4.ip_forward = 1");
    expect(doc.runcmd.some((c) => c.includes('systemctl enable --now "$unit"'))).toBe(true);
    expect(doc.runcmd).toContain("swanctl --load-all --noprompt");
  });
});
