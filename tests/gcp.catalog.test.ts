import { parseConfig } from "../programs/config";
import {
  cronIntervalMinutes,
  GCP_CATALOG,
  gcpBgpSessions,
  gcpConfigIssues,
  maxBackupRetainDays,
} from "../providers/gcp/catalog";
import { accountId, gcpLabels } from "../providers/gcp/common";
import { backendFor, catalogFor } from "../providers/registry";
import { gcpConfig } from "./gcpFixtures";

/** A minimal raw GCP dev config, as a stack file would hold it. */
const gcpRaw = (): Record<string, any> => ({
  cloud: "gcp",
  environment: "dev",
  region: "europe-west1",
  zones: ["europe-west1-b", "europe-west1-c"],
  network: { cidr: "10.40.0.0/16" },
  kubernetes: {
    nodePools: [{ name: "general", instanceTypes: ["e2-standard-4"], minSize: 1, maxSize: 2 }],
  },
});

describe("GCP catalog and registry", () => {
  it("makes private load balancers internal and reachable from every region (remotes, VPN routes)", () => {
    expect(GCP_CATALOG.privateLoadBalancerAnnotations).toEqual({
      "networking.gke.io/load-balancer-type": "Internal",
      "networking.gke.io/internal-load-balancer-allow-global-access": "true",
    });
  });

  it("lists regions with their real zone letters", () => {
    expect(GCP_CATALOG.regions["us-central1"]).toEqual([
      "us-central1-a",
      "us-central1-b",
      "us-central1-c",
      "us-central1-f",
    ]);
    expect(GCP_CATALOG.regions["europe-west1"]).toEqual([
      "europe-west1-b",
      "europe-west1-c",
      "europe-west1-d",
    ]);
    for (const [region, zones] of Object.entries(GCP_CATALOG.regions)) {
      expect(zones.length).toBeGreaterThanOrEqual(3);
      for (const zone of zones) expect(zone).toMatch(new RegExp(`^${region}-[a-z]$`));
    }
    expect(catalogFor("gcp")).toBe(GCP_CATALOG);
  });

  it("is the registry's backend for gcp", () => {
    expect(backendFor("gcp").cloud).toBe("gcp");
  });

  it("finds what Google Cloud would refuse", () => {
    expect(gcpConfigIssues(gcpConfig("prod"))).toEqual([]);
    const config = gcpConfig("prod");
    const issues = gcpConfigIssues({
      network: { ...config.network, flowLogRetentionDays: 3653 },
      kubernetes: { ...config.kubernetes, adminPrincipals: ["arn:aws:iam::1:role/x"] },
      backup: { ...config.backup, schedule: "daily" },
      cache: { ...config.cache, nodeType: "cache.r7g.large" },
    });
    expect(issues.map((i) => i.path)).toEqual([
      "network.flowLogRetentionDays",
      "kubernetes.adminPrincipals[0]",
      "backup.schedule",
      "cache.nodeType",
    ]);
  });

  it("bounds backup retention as Backup for GKE does: 365 days, and 360 times the schedule's interval", () => {
    expect(cronIntervalMinutes("0 3 * * *")).toBe(1440);
    expect(cronIntervalMinutes("0 */6 * * *")).toBe(360);
    expect(cronIntervalMinutes("30 2 * * 0,6")).toBe(1440);
    expect(cronIntervalMinutes("0 4 * * MON-FRI")).toBe(1440);
    expect(cronIntervalMinutes("0 3 * * 1")).toBe(7 * 1440);
    expect(cronIntervalMinutes("0 3 1 * *")).toBe(28 * 1440);
    expect(cronIntervalMinutes("0 3 1,15 * 1")).toBeLessThan(7 * 1440);
    expect(cronIntervalMinutes("@daily")).toBeUndefined();
    expect(maxBackupRetainDays("0 3 * * *")).toBe(360);
    expect(maxBackupRetainDays("0 * * * *")).toBe(15);
    expect(maxBackupRetainDays("0 3 * * 1")).toBe(365);
    const backup = gcpConfig("prod").backup;
    const issues = (retentionDays: number, schedule = backup.schedule) =>
      gcpConfigIssues({ backup: { ...backup, retentionDays, schedule } }).map(
        (i) => `${i.path} ${String(i.value)}`,
      );
    expect(issues(360)).toEqual([]);
    expect(issues(361)).toEqual(["backup.retentionDays 361"]);
    expect(issues(36500, "0 3 * * 1")).toEqual(["backup.retentionDays 36500"]);
    expect(issues(15, "0 * * * *")).toEqual([]);
    expect(issues(35, "0 * * * *")).toEqual(["backup.retentionDays 35"]);
    // Through the config parser too, naming the officeless: key.
    const raw = { ...gcpRaw(), backup: { retentionDays: 400 } };
    expect(() => parseConfig(raw)).toThrow(
      /officeless:backup\.retentionDays = 400: Backup for GKE keeps a backup at most 365 days/,
    );
  });

  it("refuses platform names Cloud Storage would refuse in bucket names (goog prefix, google)", () => {
    const bad = (name: string) => gcpConfigIssues({ name }).map((i) => i.path);
    expect(bad("officeless-prod")).toEqual([]);
    expect(bad("goog-platform")).toEqual(["name"]);
    expect(bad("my-google-platform")).toEqual(["name"]);
    expect(bad("acme-g00gle")).toEqual(["name"]);
    expect(() => parseConfig({ ...gcpRaw(), name: "googly" })).toThrow(
      /officeless:name = "googly": on GCP must not start with "goog"/,
    );
  });

  it("takes the DNS endpoint option, which is GKE's own", () => {
    const k8s = gcpConfig("prod").kubernetes;
    expect(
      gcpConfigIssues({ kubernetes: { ...k8s, endpoint: { ...k8s.endpoint, dnsAccess: true } } }),
    ).toEqual([]);
  });

  it("takes IAM members as cluster admins: user:, group: or serviceAccount: with an email", () => {
    const k8s = gcpConfig("prod").kubernetes;
    const bad = (members: string[]) =>
      gcpConfigIssues({ kubernetes: { ...k8s, adminPrincipals: members } }).map((i) => i.value);
    expect(
      bad([
        "user:ops@example.com",
        "group:platform-admins@example.com",
        "serviceAccount:ci@p.iam.gserviceaccount.com",
      ]),
    ).toEqual([]);
    const refused = [
      "arn:aws:iam::1:role/x",
      "ops@example.com",
      "domain:example.com",
      "user:",
      "user:ops",
      "allUsers",
      "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    ];
    expect(bad(refused)).toEqual(refused);
  });

  it("keeps BGP sessions in link-local /30s, the next /30 for tunnel 1, none shared between peers", () => {
    const peer = (i: number, bgpPeerAddress?: string) => ({
      name: `p${i}`,
      publicIp: `198.51.100.${i + 1}`,
      cidrs: [`172.16.${i}.0/24`],
      bgpPeerAddress,
    });
    const messages = (...peers: ReturnType<typeof peer>[]) =>
      gcpConfigIssues({ vpn: { enabled: true, peers } }).map(
        (i) => `${i.path} ${String(i.value)}: ${i.message}`,
      );
    // Either host of a /30; the derived scheme stays as it was.
    expect(messages(peer(0, "169.254.21.1"), peer(1, "169.254.22.2"), peer(2))).toEqual([]);
    expect(gcpBgpSessions(2)).toEqual([
      { range: "169.254.102.0/30", cloudAddress: "169.254.102.1", peerAddress: "169.254.102.2" },
      { range: "169.254.102.4/30", cloudAddress: "169.254.102.5", peerAddress: "169.254.102.6" },
    ]);
    for (const address of ["10.0.0.1", "169.254.21.0", "169.254.21.3", "169.255.0.1"]) {
      expect(messages(peer(0, address))).toEqual([
        `vpn.peers[0].bgpPeerAddress ${address}: must be a host (.1 or .2) of a /30 in 169.254.0.0/16, as HA VPN's BGP sessions are link-local, e.g. 169.254.21.2 (Cloud Router takes 169.254.21.1)`,
      ]);
    }
    expect(messages(peer(0, "169.254.255.254"))[0]).toContain(
      "leaves no room for tunnel 1, which uses the next /30 (169.255.0.0/30",
    );
    expect(messages(peer(0, "169.254.169.249"))[0]).toContain(
      "169.254.169.252/30, the metadata server's /30",
    );
    // Peer 1's derived /30s are 169.254.101.0 and .4: a configured peer may not take them.
    expect(messages(peer(0, "169.254.101.5"), peer(1))).toEqual([
      expect.stringMatching(
        /^vpn\.peers\[0\]\.bgpPeerAddress 169\.254\.101\.5: puts a BGP session in a \/30 already derived for vpn\.peers\[1\]/,
      ),
    ]);
    // Two configured peers that overlap (tunnel 1 of the first is tunnel 0 of the second): reported once, on the later one.
    expect(messages(peer(0, "169.254.21.2"), peer(1, "169.254.21.6"))).toEqual([
      expect.stringMatching(
        /^vpn\.peers\[1\]\.bgpPeerAddress 169\.254\.21\.6: puts a BGP session in a \/30 already configured for vpn\.peers\[0\] \(169\.254\.21\.0\/30, 169\.254\.21\.4\/30\)/,
      ),
    ]);
    // Only an enabled VPN is checked; a malformed address is the shared rules' to report.
    expect(gcpConfigIssues({ vpn: { enabled: false, peers: [peer(0, "10.0.0.1")] } })).toEqual([]);
    expect(messages(peer(0, "not-an-ip"))).toEqual([]);
  });

  it("reports a bad GCP admin with its full config key, the value and the expected format", () => {
    const raw = {
      cloud: "gcp",
      environment: "dev",
      region: "europe-west1",
      zones: ["europe-west1-b", "europe-west1-c"],
      network: { cidr: "10.40.0.0/16" },
      kubernetes: {
        nodePools: [{ name: "general", instanceTypes: ["e2-standard-4"], minSize: 1, maxSize: 2 }],
        adminPrincipals: [
          "group:platform-admins@example.com",
          "arn:aws:iam::123456789012:role/admin",
        ],
      },
    };
    expect(() => parseConfig(raw)).toThrow(
      'officeless:kubernetes.adminPrincipals[1] = "arn:aws:iam::123456789012:role/admin": must be a Google Cloud IAM member, user:<email>, group:<email> or serviceAccount:<email>',
    );
    raw.kubernetes.adminPrincipals = ["group:platform-admins@example.com"];
    expect(parseConfig(raw).kubernetes.adminPrincipals).toEqual([
      "group:platform-admins@example.com",
    ]);
  });

  it("lets the config parser check GCP zones against the catalog", () => {
    const raw = {
      cloud: "gcp",
      environment: "dev",
      region: "europe-west1",
      zones: ["europe-west1-a", "europe-west1-b"],
      network: { cidr: "10.40.0.0/16" },
      kubernetes: {
        nodePools: [{ name: "general", instanceTypes: ["e2-standard-4"], minSize: 1, maxSize: 2 }],
      },
    };
    expect(() => parseConfig(raw)).toThrow(
      /zones\[0\] = "europe-west1-a": is not a zone of europe-west1/,
    );
    expect(parseConfig({ ...raw, zones: ["europe-west1-b", "europe-west1-c"] }).cloud).toBe("gcp");
  });

  it("adapts tags to GCP labels: lower case, only [a-z0-9_-], keys starting with a letter", () => {
    expect(
      gcpLabels({ Team: "Platform", "cost-center": "1234", "Owner.Email": "a@b.c", "1st": "x" }),
    ).toEqual({
      team: "platform",
      "cost-center": "1234",
      owner_email: "a_b_c",
      k1st: "x",
    });
    expect(gcpLabels({ k: "v".repeat(80) }).k).toHaveLength(63);
  });

  it("derives service account ids that fit GCP's 6-30 characters and stay distinct", () => {
    expect(accountId("officeless-prod", "nodes")).toBe("officeless-prod-nodes");
    const long = accountId("officeless-production123-obs", "mimir");
    expect(long.length).toBeLessThanOrEqual(30);
    expect(long).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
    expect(long).not.toBe(accountId("officeless-production123-obs", "tempo"));
  });
});
