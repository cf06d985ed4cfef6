import { parseConfig } from "../programs/config";
import { GCP_CATALOG, gcpConfigIssues } from "../providers/gcp/catalog";
import { accountId, gcpLabels } from "../providers/gcp/common";
import { backendFor, catalogFor } from "../providers/registry";
import { gcpConfig } from "./gcpFixtures";

describe("GCP catalog and registry", () => {
  it("lists regions with their real zone letters", () => {
    expect(GCP_CATALOG.regions["us-central1"]).toEqual(["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]);
    expect(GCP_CATALOG.regions["europe-west1"]).toEqual(["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
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
      "kubernetes.adminPrincipals",
      "backup.schedule",
      "cache.nodeType",
    ]);
  });

  it("lets the config parser check GCP zones against the catalog", () => {
    const raw = {
      cloud: "gcp",
      environment: "dev",
      region: "europe-west1",
      zones: ["europe-west1-a", "europe-west1-b"],
      network: { cidr: "10.40.0.0/16" },
      kubernetes: { nodePools: [{ name: "general", instanceTypes: ["e2-standard-4"], minSize: 1, maxSize: 2 }] },
    };
    expect(() => parseConfig(raw)).toThrow(/zones\[0\] = "europe-west1-a": is not a zone of europe-west1/);
    expect(parseConfig({ ...raw, zones: ["europe-west1-b", "europe-west1-c"] }).cloud).toBe("gcp");
  });

  it("adapts tags to GCP labels: lower case, only [a-z0-9_-], keys starting with a letter", () => {
    expect(gcpLabels({ Team: "Platform", "cost-center": "1234", "Owner.Email": "a@b.c", "1st": "x" })).toEqual({
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
