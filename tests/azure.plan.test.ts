/**
 * Checks over the whole offline plan of the Azure stacks (every layer), for defect classes that
 * mocks accept but Azure refuses: here, key references that must name a key version.
 */
import { plan, PlannedResource } from "../automation/offline/plan";
import { AZ } from "./azureFixtures";

/** A Key Vault key URL: `https://<vault>.vault.azure.net/keys/<name>[/<version>]`. */
const KEY_URL = /^https:\/\/[^/]+\.vault\.azure\.net\/keys\/([^/]+)(\/[^/]+)?\/?$/;
const hasVersion = (url: string) => Boolean(KEY_URL.exec(url)?.[2]);

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

/** Inputs whose API requires a versioned key (azure-rest-api-specs: DiskEncryptionSet, RedisEnterprise, ManagedCluster). */
const MUST_BE_VERSIONED: Record<string, string> = {
  [AZ.des]: "activeKey.keyUrl",
  [AZ.redis]: "encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl",
  [AZ.cluster]: "securityProfile.azureKeyVaultKms.keyId",
};

describe.each(["prod-azure", "dev-azure"])("%s plan: key references", (stack) => {
  let resources: PlannedResource[];
  beforeAll(async () => {
    resources = (await plan([stack])).stacks.flatMap((s) => s.resources);
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
