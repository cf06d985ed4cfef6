/**
 * Checks over the whole offline plan of the Azure stacks (every layer), for defect classes that
 * mocks accept but Azure refuses (../shared/REVIEW.md): key references that must name a version,
 * the private backup path, and zone-resilient egress. Name limits are checked for every cloud at
 * the longest accepted names in tests/plan/wholePlan.test.ts.
 */
import type { PlannedResource } from "../automation/offline/plan";
import { hasKeyVersion as hasVersion, KEY_URL, MUST_BE_VERSIONED } from "../policy/clouds/azure";
import { ROLES } from "../providers/azure/common";
import { AZ } from "./azureFixtures";
import { planOnce } from "./plan/worstCase";

/** Every string in a resource's inputs that is a Key Vault key URL, with its path. */
function keyUrls(value: unknown, path = ""): { path: string; url: string }[] {
  if (typeof value === "string") return KEY_URL.test(value) ? [{ path, url: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => keyUrls(v, `${path}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => keyUrls(v, path ? `${path}.${k}` : k));
  return [];
}

const get = (obj: unknown, path: string): unknown =>
  path.split(".").reduce<any>((o, k) => (o == null ? undefined : o[k]), obj);

describe.each(["prod-azure", "dev-azure"])("%s plan: key references", (stack) => {
  let resources: PlannedResource[];
  beforeAll(async () => {
    resources = (await planOnce([stack])).flatMap((s) => s.resources);
  }, 120_000);

  it("names a key version in every Key Vault key URL of every resource", () => {
    const urls = resources.flatMap((r) => keyUrls(r.inputs).map((u) => ({ ...u, urn: r.urn })));
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((u) => !hasVersion(u.url))).toEqual([]);
  });

  it.each(Object.entries(MUST_BE_VERSIONED))("%s %s is a versioned key URL", (type, path) => {
    const found = resources.filter((r) => r.type === type);
    if (type !== AZ.redis || stack === "prod-azure") expect(found.length).toBeGreaterThan(0);
    for (const r of found) expect(hasVersion(String(get(r.inputs, path)))).toBe(true);
  });

  it("lets disk encryption sets follow rotation without an up rolling the key back", () => {
    const sets = resources.filter((r) => r.type === AZ.des);
    expect(sets.length).toBeGreaterThan(0);
    for (const set of sets) {
      expect(set.inputs.rotationToLatestKeyVersionEnabled).toBe(true);
      expect(set.options.ignoreChanges).toContain("activeKey.keyUrl");
    }
  });

  it("gives storage accounts a key without a version, so they rotate with Key Vault", () => {
    const encrypted = resources.filter(
      (r) =>
        r.type === AZ.account && get(r.inputs, "encryption.keySource") === "Microsoft.Keyvault",
    );
    expect(encrypted.length).toBeGreaterThan(0);
    for (const account of encrypted) {
      const props = get(account.inputs, "encryption.keyVaultProperties") as Record<string, unknown>;
      expect(props.keyName).toBeTruthy();
      expect(props.keyVersion).toBeUndefined();
    }
  });
});

describe("prod-azure plan: AKS backup with the blob account locked down", () => {
  let resources: PlannedResource[];
  let networkId: string;
  beforeAll(async () => {
    const planned = await planOnce(["prod-azure"]);
    resources = planned.find((s) => s.layer === "storage")!.resources;
    networkId = String(planned.find((s) => s.layer === "network")!.outputs.networkId);
  }, 120_000);

  const byType = (type: string) => resources.filter((r) => r.type === type);

  it("has the extension reach its account through a private endpoint resolved in the VNet", () => {
    const settings = one(byType(AZ.extension)).inputs.configurationSettings as Record<
      string,
      string
    >;
    const name = settings["configuration.backupStorageLocation.config.storageAccount"];
    expect(settings["configuration.backupStorageLocation.config.useAAD"]).toBe("true");
    expect(settings["configuration.backupStorageLocation.config.storageAccountURI"]).toBe(
      `https://${name}.blob.core.windows.net/`,
    );

    // The account: no public network, no shared keys.
    const account = one(byType(AZ.account).filter((r) => r.inputs.accountName === name));
    expect(account.inputs).toMatchObject({
      publicNetworkAccess: "Disabled",
      allowSharedKeyAccess: false,
    });

    // Its blob endpoint, the endpoint's record in privatelink.blob, and that zone linked to the VNet
    // the cluster's nodes (and so the extension's pods) resolve in.
    const endpoint = one(
      byType(AZ.pe).filter(
        (pe) =>
          get(pe.inputs, "privateLinkServiceConnections.0.privateLinkServiceId") ===
          `${account.name}-id`,
      ),
    );
    expect(get(endpoint.inputs, "privateLinkServiceConnections.0.groupIds")).toEqual(["blob"]);
    const zone = one(
      byType(AZ.zone).filter(
        (z) => z.inputs.privateZoneName === "privatelink.blob.core.windows.net",
      ),
    );
    const record = one(
      byType(AZ.peDns).filter(
        (g) => g.inputs.privateEndpointName === endpoint.inputs.privateEndpointName,
      ),
    );
    expect(get(record.inputs, "privateDnsZoneConfigs.0.privateDnsZoneId")).toBe(`${zone.name}-id`);
    const link = one(
      byType(AZ.zoneLink).filter((l) => l.inputs.privateZoneName === zone.inputs.privateZoneName),
    );
    expect(get(link.inputs, "virtualNetwork.id")).toBe(networkId);
  });

  it("grants the extension identity what Microsoft lists on that account, for Entra ID data access", () => {
    const accountScope = (r: PlannedResource) =>
      /\/storageAccounts\/[a-z0-9]+$/.test(String(r.inputs.scope));
    const roles = byType(AZ.role)
      .filter((r) => r.name.endsWith("-extension-storage") || r.name.endsWith("-extension-account"))
      .filter(accountScope)
      .map((r) => String(r.inputs.roleDefinitionId).split("/").pop());
    expect(roles.sort()).toEqual(
      [ROLES.storageAccountContributor, ROLES.storageBlobDataContributor].sort(),
    );
  });

  it("keeps backups in the operational tier, so the vault itself never needs the account", () => {
    const stores = JSON.stringify(one(byType(AZ.backupPolicy)).inputs.properties);
    expect(stores).toContain("OperationalStore");
    // A vault tier would have the vault copy from the account, which its firewall would then refuse.
    expect(stores).not.toContain("VaultStore");
  });
});

function one(found: PlannedResource[]): PlannedResource {
  expect(found).toHaveLength(1);
  return found[0];
}

describe("prod-azure plan: zone-resilient egress (natGateways perZone)", () => {
  let network: PlannedResource[];
  let kubernetes: PlannedResource[];
  beforeAll(async () => {
    const planned = await planOnce(["prod-azure"]);
    network = planned.find((s) => s.layer === "network")!.resources;
    kubernetes = planned.find((s) => s.layer === "kubernetes")!.resources;
  }, 120_000);

  it("puts every node pool on a subnet whose NAT gateway is in the pool's own zone", () => {
    const natZone = new Map(
      network.filter((r) => r.type === AZ.nat).map((r) => [`${r.name}-id`, r.inputs.zones]),
    );
    const subnetNat = new Map(
      network
        .filter((r) => r.type === AZ.subnet)
        .map((r) => [`${r.name}-id`, get(r.inputs, "natGateway.id") as string | undefined]),
    );
    const cluster = one(kubernetes.filter((r) => r.type === AZ.cluster));
    const pools = [
      ...(cluster.inputs.agentPoolProfiles as Record<string, unknown>[]),
      ...kubernetes.filter((r) => r.type === AZ.pool).map((r) => r.inputs),
    ];
    expect(pools.length).toBeGreaterThan(3);
    for (const pool of pools) {
      const zones = pool.availabilityZones as string[];
      expect(zones).toHaveLength(1);
      const nat = subnetNat.get(pool.vnetSubnetID as string);
      expect(nat).toBeDefined();
      expect(natZone.get(nat!)).toEqual(zones);
    }
    // Every zone has system capacity of its own.
    const systemZones = pools
      .filter((p) => p.mode === "System")
      .flatMap((p) => p.availabilityZones);
    expect([...(systemZones as string[])].sort()).toEqual(["1", "2", "3"]);
  });
});
