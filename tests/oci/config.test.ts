/**
 * OCI config validation: `officeless:oci` is required and checked, the catalog's regions, ADs and
 * fault domains, and what OKE, OCI Logging, OCI Cache, the backup policies and the VPN refuse fail
 * before any resource, naming the key, the value and what is valid.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ValidationError } from "../../components/validation";
import { parseConfig, readStackFile } from "../../programs/config";
import {
  availabilityDomains,
  logRetentionDuration,
  OCI_CATALOG,
  ociBgpSessions,
  parseOciSchedule,
  placementOf,
} from "../../providers/oci/catalog";
import { planOciNetwork, privateRangesOutside } from "../../providers/oci/ranges";
import { COMPARTMENT, TENANCY } from "./fixtures";

const root = path.resolve(__dirname, "..", "..");
const stack = (name: string) => readStackFile(path.join(root, `Pulumi.${name}.yaml`));

/** A valid raw prod config, as a stack file holds it. */
function raw(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...stack("prod-oci").raw, ...overrides };
}

function issuesOf(config: Record<string, unknown>): { path: string; message: string }[] {
  try {
    parseConfig(config, { secretKeys: new Set() });
  } catch (err) {
    if (err instanceof ValidationError)
      return err.issues.map((i) => ({ path: i.path, message: i.message }));
    throw err;
  }
  return [];
}
const pathsOf = (config: Record<string, unknown>) => issuesOf(config).map((i) => i.path);

describe("the OCI example stacks", () => {
  it.each(["prod-oci", "dev-oci"])("%s parses, with the oci settings carried through", (name) => {
    const config = parseConfig(stack(name).raw);
    expect(config.cloud).toBe("oci");
    expect(config.oci?.compartmentId).toMatch(/^ocid1\.compartment\./);
    expect(config.oci?.tenancyId).toMatch(/^ocid1\.tenancy\./);
  });

  it("declares officeless:oci in Pulumi.yaml with an empty default, so other clouds need not set it", () => {
    const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));
    expect(project.config["officeless:oci"].default).toEqual({});
    const gcp = readStackFile(path.join(root, "Pulumi.prod-gcp.yaml")).raw;
    expect(issuesOf({ ...gcp, oci: {} })).toEqual([]);
  });
});

describe("officeless:oci", () => {
  it("is required on OCI", () => {
    const { oci: _oci, ...rest } = raw();
    expect(issuesOf(rest)).toEqual([
      {
        path: "oci",
        message: expect.stringMatching(/is required on OCI.*compartmentId.*tenancyId/),
      },
    ]);
    expect(pathsOf({ ...rest, oci: {} })).toEqual(["oci"]);
  });

  it("checks the compartment and tenancy OCIDs, and is refused on another cloud", () => {
    const bad = issuesOf(raw({ oci: { compartmentId: "my-compartment", tenancyId: COMPARTMENT } }));
    expect(bad.map((i) => i.path)).toEqual(["oci.compartmentId", "oci.tenancyId"]);
    expect(bad[1].message).toMatch(/tenancy OCID/);
    // The tenancy itself is a valid compartment (its root).
    expect(issuesOf(raw({ oci: { compartmentId: TENANCY, tenancyId: TENANCY } }))).toEqual([]);
    const gcp = readStackFile(path.join(root, "Pulumi.prod-gcp.yaml")).raw;
    expect(issuesOf({ ...gcp, oci: { compartmentId: COMPARTMENT, tenancyId: TENANCY } })).toEqual([
      { path: "oci", message: "is for cloud oci only; remove it for gcp" },
    ]);
  });

  it("sizes flexible shapes the pools use, within 1-64 GB per OCPU", () => {
    const oci = raw().oci as Record<string, unknown>;
    const sized = (flexShapes: object) => pathsOf(raw({ oci: { ...oci, flexShapes } }));
    expect(sized({ "VM.Standard.E4.Flex": { ocpus: 2, memoryInGbs: 16 } })).toEqual([
      "oci.flexShapes.VM.Standard.E4.Flex",
    ]);
    expect(sized({ "VM.Standard.E5.Flex": { ocpus: 1, memoryInGbs: 128 } })).toEqual([
      "oci.flexShapes.VM.Standard.E5.Flex",
    ]);
    expect(sized({})).toEqual([]);
  });
});

describe("OCI catalog", () => {
  it("names ADs as OKE labels nodes, with the Ashburn and Phoenix exceptions", () => {
    expect(OCI_CATALOG.regions["eu-frankfurt-1"]).toEqual([
      "EU-FRANKFURT-1-AD-1",
      "EU-FRANKFURT-1-AD-2",
      "EU-FRANKFURT-1-AD-3",
    ]);
    expect(OCI_CATALOG.regions["us-ashburn-1"][0]).toBe("US-ASHBURN-AD-1");
    expect(OCI_CATALOG.regions["us-phoenix-1"][2]).toBe("PHX-AD-3");
    expect(OCI_CATALOG.nodeZoneLabel!("eu-frankfurt-1", "EU-FRANKFURT-1-AD-2")).toBe(
      "EU-FRANKFURT-1-AD-2",
    );
  });

  it("takes the fault domains as zones in single-AD regions, all in the one AD", () => {
    expect(OCI_CATALOG.regions["eu-amsterdam-1"]).toEqual([
      "FAULT-DOMAIN-1",
      "FAULT-DOMAIN-2",
      "FAULT-DOMAIN-3",
    ]);
    expect(availabilityDomains("eu-amsterdam-1")).toEqual(["EU-AMSTERDAM-1-AD-1"]);
    expect(placementOf("eu-amsterdam-1", "FAULT-DOMAIN-2")).toEqual({
      ad: "EU-AMSTERDAM-1-AD-1",
      faultDomain: "FAULT-DOMAIN-2",
    });
    expect(placementOf("eu-frankfurt-1", "EU-FRANKFURT-1-AD-3")).toEqual({
      ad: "EU-FRANKFURT-1-AD-3",
    });
  });

  it("refuses an unknown region, and an AD of another region", () => {
    expect(issuesOf(raw({ region: "eu-frankfurt-2" }))[0]).toEqual({
      path: "region",
      message: expect.stringMatching(/is not a region of oci; valid: .*eu-frankfurt-1/),
    });
    expect(
      pathsOf(raw({ zones: ["EU-FRANKFURT-1-AD-1", "EU-FRANKFURT-1-AD-2", "UK-LONDON-1-AD-1"] })),
    ).toEqual(["zones[2]"]);
  });

  it("refuses shapes OKE does not run, several shapes in one pool, preemptible bare metal and small boot volumes", () => {
    const k8s = raw().kubernetes as { nodePools: Record<string, unknown>[] };
    const oci = { ...(raw().oci as object), flexShapes: {} };
    const withPool = (pool: Record<string, unknown>) =>
      raw({ oci, kubernetes: { ...k8s, nodePools: [{ ...k8s.nodePools[0], ...pool }] } });
    expect(issuesOf(withPool({ instanceTypes: ["VM.Standard.E2.1.Micro"] }))).toEqual([
      {
        path: "kubernetes.nodePools[0].instanceTypes[0]",
        message: expect.stringMatching(/OKE refuses/),
      },
    ]);
    expect(pathsOf(withPool({ instanceTypes: ["n2-standard-4"] }))).toEqual([
      "kubernetes.nodePools[0].instanceTypes[0]",
    ]);
    expect(
      pathsOf(withPool({ instanceTypes: ["VM.Standard.E5.Flex", "VM.Standard.E4.Flex"] })),
    ).toEqual(["kubernetes.nodePools[0].instanceTypes"]);
    expect(pathsOf(withPool({ instanceTypes: ["BM.Standard.E5.192"], spot: true }))).toContain(
      "kubernetes.nodePools[0].spot",
    );
    expect(pathsOf(withPool({ diskSizeGb: 30 }))).toEqual(["kubernetes.nodePools[0].diskSizeGb"]);
  });

  it("refuses a public API endpoint and GKE's DNS endpoint", () => {
    const k8s = raw().kubernetes as Record<string, unknown>;
    expect(
      pathsOf(
        raw({
          kubernetes: {
            ...k8s,
            endpoint: { publicAccessCidrs: ["203.0.113.0/24"], dnsAccess: true },
          },
        }),
      ),
    ).toEqual(["kubernetes.endpoint.publicAccessCidrs", "kubernetes.endpoint.dnsAccess"]);
  });

  it("takes IAM group OCIDs as cluster admins", () => {
    const k8s = raw().kubernetes as Record<string, unknown>;
    expect(
      issuesOf(raw({ kubernetes: { ...k8s, adminPrincipals: ["ocid1.group.oc1..aaaaadmins"] } })),
    ).toEqual([]);
    expect(
      pathsOf(raw({ kubernetes: { ...k8s, adminPrincipals: ["user:alice@example.com"] } })),
    ).toEqual(["kubernetes.adminPrincipals[0]"]);
  });

  it("refuses flow logs kept beyond OCI Logging's 180 days and rounds shorter ones up to its 30-day steps", () => {
    const network = raw().network as Record<string, unknown>;
    expect(issuesOf(raw({ network: { ...network, flowLogRetentionDays: 365 } }))).toEqual([
      { path: "network.flowLogRetentionDays", message: expect.stringMatching(/at most 180 days/) },
    ]);
    expect([1, 14, 30, 31, 90, 179, 180].map(logRetentionDuration)).toEqual([
      30, 30, 30, 60, 90, 180, 180,
    ]);
  });

  it("refuses cache versions, sizes and node counts OCI Cache does not offer", () => {
    const cache = raw().cache as Record<string, unknown>;
    expect(pathsOf(raw({ cache: { ...cache, version: "6.2" } }))).toEqual(["cache.version"]);
    expect(pathsOf(raw({ cache: { ...cache, nodeType: "cache.r7g.large" } }))).toEqual([
      "cache.nodeType",
    ]);
    expect(issuesOf(raw({ cache: { ...cache, nodeType: "64" } }))).toEqual([]);
    expect(pathsOf(raw({ cache: { ...cache, replicas: 5 } }))).toEqual(["cache.replicas"]);
  });

  it("takes daily and weekly backup schedules at a whole UTC hour only", () => {
    expect(parseOciSchedule("cron(0 3 * * ? *)")).toEqual({ period: "daily", hourOfDay: 3 });
    expect(parseOciSchedule("0 22 * * *")).toEqual({ period: "daily", hourOfDay: 22 });
    expect(parseOciSchedule("0 3 * * SUN")).toEqual({
      period: "weekly",
      hourOfDay: 3,
      dayOfWeek: "SUNDAY",
    });
    // AWS numbers weekdays from 1 = Sunday, Unix from 0 = Sunday.
    expect(parseOciSchedule("cron(0 3 ? * 2 *)")).toEqual({
      period: "weekly",
      hourOfDay: 3,
      dayOfWeek: "MONDAY",
    });
    expect(parseOciSchedule("0 3 * * 1")).toEqual({
      period: "weekly",
      hourOfDay: 3,
      dayOfWeek: "MONDAY",
    });
    for (const bad of ["30 3 * * *", "0 */6 * * *", "0 3 1 * *", "cron(0 3 * * ? 2027)", "daily"])
      expect(parseOciSchedule(bad)).toEqual({
        error: expect.stringMatching(/once a day or once a week/),
      });
    const backup = raw().backup as Record<string, unknown>;
    expect(pathsOf(raw({ backup: { ...backup, schedule: "0 */6 * * *" } }))).toEqual([
      "backup.schedule",
    ]);
  });

  it("refuses block-volume backups it cannot assign: backups on need backup.diskSnapshots off (Velero covers the claims)", () => {
    const backup = raw().backup as Record<string, unknown>;
    const { diskSnapshots: _off, ...unset } = backup;
    expect(backup.diskSnapshots).toBe("off");
    expect(issuesOf(raw())).toEqual([]);
    for (const b of [unset, { ...backup, diskSnapshots: "instanceTag" }])
      expect(issuesOf(raw({ backup: b }))).toEqual([
        {
          path: "backup.diskSnapshots",
          message: expect.stringMatching(/must be "off" on OCI.*no tag selection.*File Storage/),
        },
      ]);
    expect(pathsOf(raw({ backup: { ...unset, enabled: false } }))).not.toContain(
      "backup.diskSnapshots",
    );
  });

  it("takes a Velero plugin image only pinned by digest", () => {
    const oci = raw()["oci"] as Record<string, unknown>;
    const pinned = `registry.example.com/velero-plugin-for-aws:v1.14.3-oci@sha256:${"0f".repeat(32)}`;
    expect(issuesOf(raw({ oci: { ...oci, veleroPluginImage: pinned } }))).toEqual([]);
    expect(
      parseConfig(raw({ oci: { ...oci, veleroPluginImage: pinned } })).oci?.veleroPluginImage,
    ).toBe(pinned);
    expect(
      issuesOf(raw({ oci: { ...oci, veleroPluginImage: "velero/velero-plugin-for-aws:v1.14.3" } })),
    ).toEqual([
      { path: "oci.veleroPluginImage", message: expect.stringMatching(/pinned by digest/) },
    ]);
  });

  it("refuses image signing keys: OKE would admit none of the charts' unsigned upstream images", () => {
    const oci = raw()["oci"] as Record<string, unknown>;
    const key = "ocid1.key.oc1.eu-frankfurt-1.aaaaaaaasigning";
    expect(issuesOf(raw({ oci: { ...oci, imageSigningKeyIds: [key] } }))).toEqual([
      {
        path: "oci.imageSigningKeyIds",
        message: expect.stringMatching(
          /not supported.*signed images referenced by digest.*remove it/,
        ),
      },
    ]);
  });

  it("refuses VPN peer networks outside the ranges routed to the DRG, and BGP addresses outside link-local /30s", () => {
    const vpn = raw().vpn as { enabled: boolean; peers: Record<string, unknown>[] };
    const peer = (p: Record<string, unknown>) =>
      raw({ vpn: { enabled: true, peers: [{ ...vpn.peers[0], ...p }] } });
    expect(pathsOf(peer({ cidrs: ["100.64.0.0/16"] }))).toEqual(["vpn.peers[0].cidrs[0]"]);
    expect(pathsOf(peer({ bgpPeerAddress: "10.0.0.2" }))).toEqual(["vpn.peers[0].bgpPeerAddress"]);
    expect(pathsOf(peer({ bgpPeerAddress: "169.254.21.3" }))).toEqual([
      "vpn.peers[0].bgpPeerAddress",
    ]);
    expect(issuesOf(peer({ bgpPeerAddress: "169.254.21.2" }))).toEqual([]);
    expect(ociBgpSessions(0, "169.254.21.2").map((s) => [s.cloudAddress, s.peerAddress])).toEqual([
      ["169.254.21.1", "169.254.21.2"],
      ["169.254.21.5", "169.254.21.6"],
    ]);
    expect(ociBgpSessions(1)[0].peerAddress).toBe("169.254.111.2");
  });

  it("refuses copies out of the region, which the OCI backend does not build", () => {
    const storage = raw().storage ?? {};
    expect(
      pathsOf(
        raw({ storage: { ...(storage as object), object: { replication: { enabled: true } } } }),
      ),
    ).toEqual(["storage.object.replication.enabled"]);
  });
});

describe("OCI address plan", () => {
  it("carves regional subnets largest first, each aligned and inside the VCN", () => {
    expect(
      planOciNetwork({
        cidr: "10.50.0.0/16",
        publicSubnetPrefix: 24,
        privateSubnetPrefix: 19,
        databaseSubnetPrefix: 24,
        natGateways: "perZone",
        flowLogRetentionDays: 90,
      }),
    ).toEqual({
      pods: "10.50.0.0/18",
      workers: "10.50.64.0/19",
      public: "10.50.96.0/24",
      database: "10.50.97.0/24",
      api: "10.50.98.0/28",
    });
  });

  it("fails naming the key when the prefixes do not fit", () => {
    const network = { publicSubnetPrefix: 24, privateSubnetPrefix: 19, databaseSubnetPrefix: 24 };
    const plan = (cidr: string) => () =>
      planOciNetwork({ ...network, cidr, natGateways: "single", flowLogRetentionDays: 30 });
    expect(plan("10.50.0.0/18")).toThrow(ValidationError);
    try {
      plan("10.50.0.0/18")();
    } catch (err) {
      expect((err as ValidationError).issues).toEqual([
        {
          path: "network.cidr",
          value: "10.50.0.0/18",
          message: expect.stringMatching(/has no room on OCI for the workers subnet/),
        },
      ]);
    }
    expect(plan("10.50.0.0/17")).not.toThrow();
  });

  it("routes every RFC 1918 range but the VCN's own to the DRG", () => {
    const ranges = privateRangesOutside("10.50.0.0/16");
    expect(ranges).toContain("172.16.0.0/12");
    expect(ranges).toContain("192.168.0.0/16");
    expect(ranges).not.toContain("10.0.0.0/8");
    expect(ranges).toEqual(expect.arrayContaining(["10.0.0.0/11", "10.51.0.0/16", "10.128.0.0/9"]));
    // Together with the VCN they cover 10/8 exactly once.
    const size = (c: string) => 2 ** (32 - Number(c.split("/")[1]));
    const tens = ranges.filter((r) => r.startsWith("10."));
    expect(tens.reduce((sum, r) => sum + size(r), 0) + size("10.50.0.0/16")).toBe(
      size("10.0.0.0/8"),
    );
  });
});
