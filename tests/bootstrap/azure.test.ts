/**
 * The Azure state store under mocks: resource group, Key Vault and keys, the storage account's
 * baseline and customer key (its identity granted first), blob versioning, soft delete, lifecycle,
 * the container, the deployer's data-plane roles with the right principal type, the URLs.
 */
import { MOCK_AZURE_OBJECT_ID, MOCK_AZURE_SUBSCRIPTION_ID } from "../../automation/offline/mocks";
import {
  azureSecretsProvider,
  bootstrapNames,
  nameLimitIssues,
} from "../../automation/bootstrap/names";
import { after, identities, planOf, resource } from "./helpers";

const REQ = { cloud: "azure", region: "westeurope" } as const;
const ROLE = (id: string) =>
  `/subscriptions/${MOCK_AZURE_SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${id}`;

describe("bootstrap azure", () => {
  it("fixed logical names", async () => {
    const plan = await planOf(REQ);
    expect(identities(plan)).toEqual(
      [
        "azure-native:authorization:RoleAssignment state-caller-key-officer",
        "azure-native:authorization:RoleAssignment state-deployer-secrets",
        "azure-native:authorization:RoleAssignment state-deployer-state",
        "azure-native:authorization:RoleAssignment state-storage-key-encryption",
        "azure-native:keyvault:Key state-secrets-key",
        "azure-native:keyvault:Key state-storage-key",
        "azure-native:keyvault:Vault state-kv",
        "azure-native:managedidentity:UserAssignedIdentity state-encryption-identity",
        "azure-native:resources:ResourceGroup state-rg",
        "azure-native:storage:BlobContainer state-container",
        "azure-native:storage:BlobServiceProperties state-blob-service",
        "azure-native:storage:ManagementPolicy state-lifecycle",
        "azure-native:storage:StorageAccount state-account",
      ].sort(),
    );
  });

  it("the storage account: no shared keys or anonymous access, TLS 1.2, infrastructure encryption and the customer key", async () => {
    const plan = await planOf(REQ);
    const account = resource(plan, "azure-native:storage:StorageAccount", "state-account");
    expect(account.inputs).toMatchObject({
      kind: "StorageV2",
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      defaultToOAuthAuthentication: true,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      encryption: {
        keySource: "Microsoft.Keyvault",
        requireInfrastructureEncryption: true,
        keyVaultProperties: { keyName: "state-storage" },
      },
    });
    expect(account.inputs.accountName).toMatch(/^[a-z0-9]{3,24}$/);
    expect(account.options).toMatchObject({ protect: true, retainOnDelete: true });
    // Creating an account with a customer key checks its identity may use the key.
    expect(after(plan, account)).toContain("state-storage-key-encryption");
    const grant = resource(
      plan,
      "azure-native:authorization:RoleAssignment",
      "state-storage-key-encryption",
    );
    expect(grant.inputs).toMatchObject({
      principalType: "ServicePrincipal",
      roleDefinitionId: ROLE("e147488a-f6f5-4113-8e2d-b22465e65bf6"),
      scope: "state-storage-key-id",
    });
  });

  it("the identity running bootstrap gets Key Vault Crypto Officer on the vault before either key", async () => {
    const plan = await planOf(REQ);
    const officer = resource(
      plan,
      "azure-native:authorization:RoleAssignment",
      "state-caller-key-officer",
    );
    expect(officer.inputs).toMatchObject({
      principalId: MOCK_AZURE_OBJECT_ID,
      principalType: "User",
      roleDefinitionId: ROLE("14b46e9e-c2b7-41b4-b07b-48a6ebf60603"),
      scope: "state-kv-id",
    });
    for (const key of ["state-secrets-key", "state-storage-key"])
      expect(after(plan, resource(plan, "azure-native:keyvault:Key", key))).toContain(
        "state-caller-key-officer",
      );
    // A CI principal named by --principal-id does not change the caller's own type.
    const ci = await planOf({
      ...REQ,
      principalId: "11111111-2222-4333-8444-555555555555",
      principalType: "ServicePrincipal",
    });
    expect(
      resource(ci, "azure-native:authorization:RoleAssignment", "state-caller-key-officer").inputs,
    ).toMatchObject({ principalId: MOCK_AZURE_OBJECT_ID, principalType: "User" });
  });

  it("zone-redundant storage where the location has zones, locally redundant where it has none", async () => {
    const zoned = await planOf(REQ);
    expect(
      resource(zoned, "azure-native:storage:StorageAccount", "state-account").inputs.sku,
    ).toEqual({ name: "Standard_ZRS" });
    const flat = await planOf({ ...REQ, region: "westcentralus" });
    expect(
      resource(flat, "azure-native:storage:StorageAccount", "state-account").inputs.sku,
    ).toEqual({ name: "Standard_LRS" });
  });

  it("blob versioning and soft delete, old versions deleted after --retention-days, a private container", async () => {
    const plan = await planOf({ ...REQ, retentionDays: 60 });
    expect(
      resource(plan, "azure-native:storage:BlobServiceProperties", "state-blob-service").inputs,
    ).toMatchObject({
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 30 },
      containerDeleteRetentionPolicy: { enabled: true, days: 30 },
    });
    const policy = resource(plan, "azure-native:storage:ManagementPolicy", "state-lifecycle");
    expect(JSON.stringify(policy.inputs.policy)).toContain(
      '"version":{"delete":{"daysAfterCreationGreaterThan":60}}',
    );
    const container = resource(plan, "azure-native:storage:BlobContainer", "state-container");
    expect(container.inputs).toMatchObject({ containerName: "state", publicAccess: "None" });
    expect(container.options.protect).toBe(true);
  });

  it("the Key Vault: RBAC only, purge protection, protected; the storage key rotates, the secrets key never does", async () => {
    const plan = await planOf(REQ);
    const vault = resource(plan, "azure-native:keyvault:Vault", "state-kv");
    expect(vault.inputs.vaultName).toMatch(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
    expect(vault.inputs.properties).toMatchObject({
      enableRbacAuthorization: true,
      enablePurgeProtection: true,
      enableSoftDelete: true,
    });
    expect(vault.options.protect).toBe(true);
    const key = resource(plan, "azure-native:keyvault:Key", "state-secrets-key");
    expect(key.inputs).toMatchObject({
      keyName: "pulumi-secrets",
      properties: { kty: "RSA", keySize: 3072 },
    });
    // A rotation would make the versionless URL decrypt with new key material (pulumi/pulumi#22338).
    expect((key.inputs.properties as Record<string, unknown>).rotationPolicy).toBeUndefined();
    const storageKey = resource(plan, "azure-native:keyvault:Key", "state-storage-key");
    expect(
      JSON.stringify((storageKey.inputs.properties as Record<string, unknown>).rotationPolicy),
    ).toContain("P1Y");
  });

  it("the deployer gets blob data on the container and crypto on the secrets key, typed as what it is", async () => {
    const plan = await planOf(REQ);
    const state = resource(
      plan,
      "azure-native:authorization:RoleAssignment",
      "state-deployer-state",
    );
    expect(state.inputs).toMatchObject({
      principalId: MOCK_AZURE_OBJECT_ID,
      principalType: "User",
      roleDefinitionId: ROLE("ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
      scope: "state-container-id",
    });
    const secrets = resource(
      plan,
      "azure-native:authorization:RoleAssignment",
      "state-deployer-secrets",
    );
    expect(secrets.inputs).toMatchObject({
      roleDefinitionId: ROLE("12338af0-0e69-4776-bea7-57ae8d297424"),
      scope: "state-secrets-key-id",
    });
    const ci = await planOf({
      ...REQ,
      principalId: "11111111-2222-4333-8444-555555555555",
      principalType: "ServicePrincipal",
    });
    expect(
      resource(ci, "azure-native:authorization:RoleAssignment", "state-deployer-state").inputs,
    ).toMatchObject({
      principalId: "11111111-2222-4333-8444-555555555555",
      principalType: "ServicePrincipal",
    });
    // The person running bootstrap for a CI principal can still list the container (--destroy).
    expect(
      resource(ci, "azure-native:authorization:RoleAssignment", "state-caller-state-reader").inputs,
    ).toMatchObject({
      principalId: MOCK_AZURE_OBJECT_ID,
      principalType: "User",
      roleDefinitionId: ROLE("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"),
      scope: "state-container-id",
    });
    // Without --principal-id the caller is the deployer, with Blob Data Contributor already.
    expect(plan.resources.some((r) => r.name === "state-caller-state-reader")).toBe(false);
  });

  it("prints the azblob backend (account in the URL) and the azurekeyvault URL of the key's version", async () => {
    const plan = await planOf(REQ);
    const names = bootstrapNames({ ...plan.target });
    expect(plan.backendUrl).toBe(`azblob://state?storage_account=${names.storageAccount}`);
    expect(plan.secretsProvider).toMatch(
      new RegExp(
        `^azurekeyvault://${names.key}\\.vault\\.azure\\.net/keys/pulumi-secrets/[0-9a-z]+$`,
      ),
    );
    expect(plan.outputs.secretsProvider).toBe(plan.secretsProvider);
    expect(azureSecretsProvider("https://v.vault.azure.net/keys/k/abc")).toBe(
      "azurekeyvault://v.vault.azure.net/keys/k/abc",
    );
    expect(() => azureSecretsProvider("https://v.vault.azure.net/keys/k")).toThrow(/versioned/);
  });

  it("--destroy keeps the secrets key, the vault and group holding it, and the deployer's grant on it", async () => {
    const plan = await planOf({ ...REQ, destroy: true });
    for (const [type, name] of [
      ["azure-native:storage:StorageAccount", "state-account"],
      ["azure-native:storage:BlobContainer", "state-container"],
      ["azure-native:keyvault:Key", "state-storage-key"],
    ])
      expect(resource(plan, type, name).options).toMatchObject({
        protect: false,
        retainOnDelete: false,
      });
    for (const [type, name] of [
      ["azure-native:keyvault:Key", "state-secrets-key"],
      ["azure-native:keyvault:Vault", "state-kv"],
      ["azure-native:resources:ResourceGroup", "state-rg"],
      ["azure-native:authorization:RoleAssignment", "state-deployer-secrets"],
    ])
      expect(resource(plan, type, name).options).toMatchObject({
        protect: false,
        retainOnDelete: true,
      });
  });

  it("names stay inside Azure's limits at the longest --name, and differ per subscription", () => {
    const t = {
      cloud: "azure",
      region: "westeurope",
      name: "a-b-c-d-e-f-g-h-i-jk",
      account: MOCK_AZURE_SUBSCRIPTION_ID,
    } as const;
    const n = bootstrapNames(t);
    expect(n.storageAccount).toMatch(/^[a-z0-9]{3,24}$/);
    expect(n.key).toMatch(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
    expect(n.key).not.toContain("--");
    // A resource group has one location: a second region gets its own.
    expect(n.resourceGroup).toBe("a-b-c-d-e-f-g-h-i-jk-state-westeurope-rg");
    expect(bootstrapNames({ ...t, region: "northeurope" }).resourceGroup).not.toBe(n.resourceGroup);
    expect(nameLimitIssues("azure", "germanywestcentral", t.name)).toEqual([]);
    expect(nameLimitIssues("azure", "x".repeat(61), t.name)).toEqual([
      expect.stringContaining("the resource group name"),
    ]);
    const other = bootstrapNames({ ...t, account: "00000000-0000-4000-8000-000000000002" });
    expect(other.storageAccount).not.toBe(n.storageAccount);
    expect(bootstrapNames(t)).toEqual(n);
  });
});
