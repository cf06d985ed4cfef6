/** Azure backup: Azure Backup for AKS (vault, policy, extension, trusted access, backup instance). */
import { MOCK_AZURE_TENANT_ID } from "../automation/offline/mocks";
import { Backup } from "../components/backup";
import { BACKUP_SELECTION_TAG, BackupConfig } from "../components/types";
import { ROLES } from "../providers/azure/common";
import {
  AKS_DATASOURCE_TYPE,
  BACKUP_EXTENSION_TYPE,
  BACKUP_OPERATOR_ROLE,
} from "../providers/azure/backup";
import {
  AZ,
  azureConfig,
  CLUSTER_GROUP,
  CLUSTER_ID,
  CLUSTER_NAME,
  commonArgs,
  CONTROL_PLANE_PRINCIPAL,
  kubernetesOutputs,
  roleDefinition,
  STORAGE_ACCOUNT,
  STORAGE_ACCOUNT_ID,
  STORAGE_GROUP,
  storageOutputs,
  SUBSCRIPTION,
} from "./azureFixtures";
import { mockPulumi, one, RecordingMocks, settle, valueOf } from "./harness";

async function build(environment: "dev" | "prod", backup: Partial<BackupConfig> = {}) {
  const mocks = await mockPulumi({ region: "westeurope" });
  const config = azureConfig(environment);
  const n = `${config.name}-backup`;
  const component = new Backup(n, {
    ...commonArgs(config),
    backup: { ...config.backup, ...backup },
    storage: storageOutputs(),
    kubernetes: kubernetesOutputs(),
  });
  const outputs = {
    vaultName: await valueOf(component.outputs.vaultName),
    planId: await valueOf(component.outputs.planId),
    selectionTag: await valueOf(component.outputs.selectionTag),
  };
  await settle();
  return { mocks, n, outputs };
}

const grant = (mocks: RecordingMocks, name: string) => one(mocks, AZ.role, name).inputs;

describe("Azure backup (Azure Backup for AKS)", () => {
  let prod: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    prod = await build("prod");
  });

  it("keeps recovery points in a zone-redundant vault with soft delete and immutability, protected in prod", () => {
    const vault = one(prod.mocks, AZ.backupVault);
    expect(vault.inputs).toMatchObject({
      resourceGroupName: `${prod.n}-rg`,
      identity: { type: "SystemAssigned" },
      properties: {
        storageSettings: [{ datastoreType: "VaultStore", type: "ZoneRedundant" }],
        securitySettings: {
          softDeleteSettings: { state: "On", retentionDurationInDays: 14 },
          immutabilitySettings: { state: "Unlocked" },
        },
      },
    });
    expect(vault.options.protect).toBe(true);
  });

  it("backs the cluster up incrementally on the configured schedule and keeps it the configured days", () => {
    const policy = one(prod.mocks, AZ.backupPolicy).inputs as any;
    expect(policy.properties.datasourceTypes).toEqual([AKS_DATASOURCE_TYPE]);
    const [rule, retention] = policy.properties.policyRules;
    expect(rule).toMatchObject({
      objectType: "AzureBackupRule",
      backupParameters: { backupType: "Incremental" },
      dataStore: { dataStoreType: "OperationalStore" },
      trigger: {
        schedule: { repeatingTimeIntervals: ["R/2025-01-01T03:00:00+00:00/P1D"], timeZone: "UTC" },
      },
    });
    expect(retention).toMatchObject({
      isDefault: true,
      lifecycles: [
        {
          deleteAfter: { duration: "P35D" },
          sourceDataStore: { dataStoreType: "OperationalStore" },
        },
      ],
    });
  });

  it("installs the backup extension on the cluster, writing to the storage layer's backups container with Entra ID", () => {
    const extension = one(prod.mocks, AZ.extension).inputs as any;
    expect(extension).toMatchObject({
      resourceGroupName: CLUSTER_GROUP,
      clusterName: CLUSTER_NAME,
      clusterRp: "Microsoft.ContainerService",
      clusterResourceName: "managedClusters",
      extensionType: BACKUP_EXTENSION_TYPE,
      configurationSettings: {
        "configuration.backupStorageLocation.bucket": "backups",
        "configuration.backupStorageLocation.config.storageAccount": STORAGE_ACCOUNT,
        "configuration.backupStorageLocation.config.resourceGroup": STORAGE_GROUP,
        "configuration.backupStorageLocation.config.subscriptionId": SUBSCRIPTION,
        "configuration.backupStorageLocation.config.useAAD": "true",
        "configuration.backupStorageLocation.config.storageAccountURI": `https://${STORAGE_ACCOUNT}.blob.core.windows.net/`,
        "credentials.tenantId": MOCK_AZURE_TENANT_ID,
      },
    });
    expect(grant(prod.mocks, `${prod.n}-extension-storage`)).toMatchObject({
      principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      scope: STORAGE_ACCOUNT_ID,
      roleDefinitionId: roleDefinition(ROLES.storageBlobDataContributor),
    });
    // Microsoft's current prerequisite for the extension identity, on the same account.
    expect(grant(prod.mocks, `${prod.n}-extension-account`)).toMatchObject({
      principalId: grant(prod.mocks, `${prod.n}-extension-storage`).principalId,
      scope: STORAGE_ACCOUNT_ID,
      roleDefinitionId: roleDefinition(ROLES.storageAccountContributor),
    });
  });

  it("lets the vault operate the extension through trusted access and read the cluster and snapshots", () => {
    const { mocks, n } = prod;
    expect(one(mocks, AZ.trustedAccess).inputs).toMatchObject({
      resourceGroupName: CLUSTER_GROUP,
      resourceName: CLUSTER_NAME,
      roles: [BACKUP_OPERATOR_ROLE],
      sourceResourceId: `${n}-vault-id`,
      // At most 24 characters: a fixed name, not one derived from officeless:name.
      trustedAccessRoleBindingName: "officeless-backup-vault",
    });
    expect(grant(mocks, `${n}-vault-cluster-reader`)).toMatchObject({
      scope: CLUSTER_ID,
      roleDefinitionId: roleDefinition(ROLES.reader),
    });
    expect(grant(mocks, `${n}-vault-snapshots-reader`)).toMatchObject({
      scope: `${n}-snapshots-rg-id`,
      roleDefinitionId: roleDefinition(ROLES.reader),
    });
    expect(grant(mocks, `${n}-cluster-snapshots`)).toMatchObject({
      principalId: CONTROL_PLANE_PRINCIPAL,
      scope: `${n}-snapshots-rg-id`,
      roleDefinitionId: roleDefinition(ROLES.contributor),
    });
    expect(one(mocks, AZ.rg, `${n}-snapshots-rg`).inputs.resourceGroupName).toBe(
      `${n}-snapshots-rg`,
    );
  });

  it("protects the whole cluster with volume snapshots, after every grant and the binding", () => {
    const { mocks, n } = prod;
    const instance = one(mocks, AZ.backupInstance);
    expect(instance.inputs).toMatchObject({
      vaultName: `${n}-vault`,
      properties: {
        dataSourceInfo: {
          resourceID: CLUSTER_ID,
          datasourceType: AKS_DATASOURCE_TYPE,
          resourceLocation: "westeurope",
        },
        policyInfo: {
          policyId: `${n}-policy-id`,
          policyParameters: {
            dataStoreParametersList: [
              { dataStoreType: "OperationalStore", resourceGroupId: `${n}-snapshots-rg-id` },
            ],
            backupDatasourceParametersList: [
              {
                objectType: "KubernetesClusterBackupDatasourceParameters",
                includeClusterScopeResources: true,
                snapshotVolumes: true,
              },
            ],
          },
        },
      },
    });
    const deps = instance.options.dependsOn;
    expect(deps).toContain(one(mocks, AZ.trustedAccess).urn);
    for (const name of [
      "extension-account",
      "extension-storage",
      "vault-cluster-reader",
      "vault-snapshots-reader",
      "cluster-snapshots",
    ]) {
      expect(deps).toContain(one(mocks, AZ.role, `${n}-${name}`).urn);
    }
  });

  it("exports the vault, the policy and the selection tag", () => {
    expect(prod.outputs).toEqual({
      vaultName: `${prod.n}-vault`,
      planId: `${prod.n}-policy-id`,
      selectionTag: BACKUP_SELECTION_TAG,
    });
  });

  it("leaves immutability and soft delete off and protects nothing outside prod, so destroy can delete the vault", async () => {
    const { mocks } = await build("dev");
    const security = (one(mocks, AZ.backupVault).inputs.properties as any).securitySettings;
    expect(security.immutabilitySettings).toEqual({ state: "Disabled" });
    // A soft-deleted backup instance keeps the vault undeletable for 14 days.
    expect(security.softDeleteSettings).toEqual({ state: "Off", retentionDurationInDays: 14 });
    expect(mocks.resources.filter((r) => r.options.protect)).toEqual([]);
  });

  it("refuses an AWS cron schedule and a retention beyond the operational tier's, before creating anything", async () => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const config = azureConfig("prod");
    const make = (backup: Partial<BackupConfig>) => () =>
      new Backup("b", {
        ...commonArgs(config),
        backup: { ...config.backup, ...backup },
        storage: storageOutputs(),
        kubernetes: kubernetesOutputs(),
      });
    expect(make({ schedule: "cron(0 3 * * ? *)" })).toThrow(
      /backup\.schedule = "cron\(0 3 \* \* \? \*\)": must be an ISO 8601 repeating interval/,
    );
    expect(make({ retentionDays: 400 })).toThrow(
      /retentionDays = 400: Azure Backup for AKS keeps snapshots at most 360 days/,
    );
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
    // Every four hours is one of the intervals AKS backups take.
    expect(make({ schedule: "R/2025-01-01T03:00:00+00:00/PT4H" })).not.toThrow();
    await settle();
  });
});
