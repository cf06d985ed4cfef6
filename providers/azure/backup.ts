/**
 * Azure backup layer: Azure Backup for AKS. A zone-redundant Backup vault with soft delete (and
 * immutability in prod), a policy of scheduled incremental backups kept in the operational tier
 * (disk snapshots plus the cluster's resources in the storage layer's `backups` container), the
 * backup extension on the cluster, the trusted-access binding that lets the vault drive it, and
 * one backup instance for the whole cluster.
 */
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as dataprotection from "@pulumi/azure-native/dataprotection";
import * as kubernetesconfiguration from "@pulumi/azure-native/kubernetesconfiguration";
import * as pulumi from "@pulumi/pulumi";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { BACKUP_SELECTION_TAG, Scope } from "../../components/types";
import { azureConfigIssues } from "./catalog";
import {
  armIdPart,
  armIdPrefix,
  azureClient,
  resourceGroup,
  roleAssignment,
  throwIfIssues,
} from "./common";

export const AKS_DATASOURCE_TYPE = "Microsoft.ContainerService/managedClusters";
export const BACKUP_EXTENSION_TYPE = "microsoft.dataprotection.kubernetes";
/** The trusted-access role that lets a Backup vault operate the extension. */
export const BACKUP_OPERATOR_ROLE = "Microsoft.DataProtection/backupVaults/backup-operator";
/**
 * The trusted-access binding's name: at most 24 characters (azure-rest-api-specs
 * TrustedAccessRoleBinding.tsp), too short for a name derived from `officeless:name`; it is unique
 * where it lives, under the one cluster the layer backs up.
 */
export const TRUSTED_ACCESS_BINDING_NAME = "officeless-backup-vault";
/** Days deleted backup data stays recoverable in the vault (14 is Azure's minimum). */
export const SOFT_DELETE_DAYS = 14;

/**
 * The vault's soft delete: on in prod; off elsewhere, because a vault cannot be deleted while it
 * holds a soft-deleted backup instance (for 14 days), so a dev destroy would leave the vault and
 * its groups behind. "Off" is one of the API's SoftDeleteState values (Off, On, AlwaysOn).
 */
export function softDeleteSettings(environment: string): {
  state: "On" | "Off";
  retentionDurationInDays: number;
} {
  return {
    state: environment === "prod" ? "On" : "Off",
    retentionDurationInDays: SOFT_DELETE_DAYS,
  };
}

const operationalStore = { dataStoreType: "OperationalStore", objectType: "DataStoreInfoBase" };

/** An AKS backup policy: incremental backups on the schedule, kept `retentionDays` in the operational tier. */
export function aksPolicy(
  schedule: string,
  retentionDays: number,
): dataprotection.BackupPolicyArgs["properties"] {
  return {
    objectType: "BackupPolicy",
    datasourceTypes: [AKS_DATASOURCE_TYPE],
    policyRules: [
      {
        name: "scheduled",
        objectType: "AzureBackupRule",
        backupParameters: { objectType: "AzureBackupParams", backupType: "Incremental" },
        dataStore: operationalStore,
        trigger: {
          objectType: "ScheduleBasedTriggerContext",
          schedule: { repeatingTimeIntervals: [schedule], timeZone: "UTC" },
          taggingCriteria: [
            { isDefault: true, taggingPriority: 99, tagInfo: { tagName: "Default" } },
          ],
        },
      },
      {
        name: "Default",
        objectType: "AzureRetentionRule",
        isDefault: true,
        lifecycles: [
          {
            deleteAfter: { objectType: "AbsoluteDeleteOption", duration: `P${retentionDays}D` },
            sourceDataStore: operationalStore,
            targetDataStoreCopySettings: [],
          },
        ],
      },
    ],
  };
}

/** The Azure backup backend. */
export function azureBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  throwIfIssues(azureConfigIssues({ backup: args.backup }), "Invalid Backup arguments");
  const opts = { parent: scope.parent };
  const location = args.region;
  const client = azureClient(scope);
  const rg = resourceGroup(scope, location);
  // Snapshots land in their own group: the cluster may write there, and nothing else lives there.
  const snapshotGroup = resourceGroupNamed(scope, "snapshots", location);

  const clusterId = args.kubernetes.clusterId;
  const clusterGroup = clusterId.apply((id) => armIdPart(id, "resourceGroups"));
  const clusterName = clusterId.apply((id) => armIdPart(id, "managedClusters"));
  const container = args.storage.buckets.apply((b) => b.backups);
  const accountId = container.apply((id) => armIdPrefix(id, "storageAccounts"));

  const vault = new dataprotection.BackupVault(
    `${scope.name}-vault`,
    {
      resourceGroupName: rg.name,
      location,
      vaultName: `${scope.name}-vault`,
      identity: { type: "SystemAssigned" },
      properties: {
        storageSettings: [{ datastoreType: "VaultStore", type: "ZoneRedundant" }],
        securitySettings: {
          softDeleteSettings: softDeleteSettings(args.environment),
          // Unlocked immutability in prod: recovery points cannot be deleted before they expire,
          // yet an administrator can still lift it on purpose (Locked is irreversible).
          immutabilitySettings: { state: args.environment === "prod" ? "Unlocked" : "Disabled" },
        },
      },
      tags: scope.tags,
    },
    { ...opts, protect: scope.protect },
  );
  const vaultPrincipal = vault.identity.apply((i) => i?.principalId ?? "");

  const policy = new dataprotection.BackupPolicy(
    `${scope.name}-policy`,
    {
      resourceGroupName: rg.name,
      vaultName: vault.name,
      backupPolicyName: `${scope.name}-aks`,
      properties: aksPolicy(args.backup.schedule, args.backup.retentionDays),
    },
    opts,
  );

  // The extension (Velero under the hood) writes the cluster's resources to the `backups` container.
  const account = container.apply((id) => ({
    name: armIdPart(id, "storageAccounts"),
    group: armIdPart(id, "resourceGroups"),
    subscription: armIdPart(id, "subscriptions"),
    container: armIdPart(id, "containers"),
  }));
  const extension = new kubernetesconfiguration.Extension(
    `${scope.name}-extension`,
    {
      resourceGroupName: clusterGroup,
      clusterName,
      clusterRp: "Microsoft.ContainerService",
      clusterResourceName: "managedClusters",
      extensionName: "azure-aks-backup",
      extensionType: BACKUP_EXTENSION_TYPE,
      autoUpgradeMinorVersion: true,
      releaseTrain: "stable",
      configurationSettings: {
        "configuration.backupStorageLocation.bucket": account.container,
        "configuration.backupStorageLocation.config.storageAccount": account.name,
        "configuration.backupStorageLocation.config.resourceGroup": account.group,
        "configuration.backupStorageLocation.config.subscriptionId": account.subscription,
        // The account takes Entra ID only (no shared keys).
        "configuration.backupStorageLocation.config.useAAD": "true",
        "configuration.backupStorageLocation.config.storageAccountURI": pulumi.interpolate`https://${account.name}.blob.core.windows.net/`,
        "credentials.tenantId": client.tenantId,
      },
    },
    opts,
  );
  const extensionPrincipal = extension.aksAssignedIdentity.apply((i) => i?.principalId ?? "");
  // The storage path with the account locked down (no public network, no shared keys): the
  // extension runs in the cluster and reaches the account through the storage layer's blob private
  // endpoint (its privatelink zone is linked to the VNet), signing in with Entra ID. The vault never
  // touches the account: with the operational tier only (aksPolicy) it drives the extension through
  // trusted access and reads snapshots from their group, so it needs no network rule on the account
  // (resource-instance rules and trusted-service bypass are moot while public access is Disabled).
  const grants = [
    // Microsoft's current prerequisite for the extension identity on the container's account
    // (learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-concept).
    roleAssignment(scope, "extension-account", {
      principalId: extensionPrincipal,
      principalType: "ServicePrincipal",
      role: "storageAccountContributor",
      scope: accountId,
    }),
    // Data access with Entra ID (`useAAD`): the contributor role above has no data actions.
    roleAssignment(scope, "extension-storage", {
      principalId: extensionPrincipal,
      principalType: "ServicePrincipal",
      role: "storageBlobDataContributor",
      scope: accountId,
    }),
    roleAssignment(scope, "vault-cluster-reader", {
      principalId: vaultPrincipal,
      principalType: "ServicePrincipal",
      role: "reader",
      scope: clusterId,
    }),
    roleAssignment(scope, "vault-snapshots-reader", {
      principalId: vaultPrincipal,
      principalType: "ServicePrincipal",
      role: "reader",
      scope: snapshotGroup.id,
    }),
    // The cluster's control-plane identity takes the disk snapshots.
    roleAssignment(scope, "cluster-snapshots", {
      principalId: args.kubernetes.clusterSecurityGroupId,
      principalType: "ServicePrincipal",
      role: "contributor",
      scope: snapshotGroup.id,
    }),
  ];
  const binding = new containerservice.TrustedAccessRoleBinding(
    `${scope.name}-trusted-access`,
    {
      resourceGroupName: clusterGroup,
      resourceName: clusterName,
      trustedAccessRoleBindingName: TRUSTED_ACCESS_BINDING_NAME,
      roles: [BACKUP_OPERATOR_ROLE],
      sourceResourceId: vault.id,
    },
    opts,
  );

  const datasource = {
    objectType: "Datasource",
    datasourceType: AKS_DATASOURCE_TYPE,
    resourceID: clusterId,
    resourceUri: clusterId,
    resourceName: clusterName,
    resourceType: AKS_DATASOURCE_TYPE,
    resourceLocation: location,
  };
  new dataprotection.BackupInstance(
    `${scope.name}-instance`,
    {
      resourceGroupName: rg.name,
      vaultName: vault.name,
      backupInstanceName: pulumi.interpolate`${clusterName}-cluster`,
      properties: {
        objectType: "BackupInstance",
        friendlyName: clusterName,
        dataSourceInfo: datasource,
        dataSourceSetInfo: { ...datasource, objectType: "DatasourceSet" },
        policyInfo: {
          policyId: policy.id,
          policyParameters: {
            dataStoreParametersList: [
              {
                objectType: "AzureOperationalStoreParameters",
                dataStoreType: "OperationalStore",
                resourceGroupId: snapshotGroup.id,
              },
            ],
            backupDatasourceParametersList: [
              {
                objectType: "KubernetesClusterBackupDatasourceParameters",
                includeClusterScopeResources: true,
                snapshotVolumes: true,
                // Disks and SMB shares; NFS shares cannot be snapshotted by Azure Backup for AKS.
                includedVolumeTypes: ["AzureDisk", "AzureFileShareSMB"],
              },
            ],
          },
        },
      },
      tags: scope.tags,
    },
    { ...opts, dependsOn: [binding, ...grants] },
  );

  return {
    vaultName: vault.name,
    planId: policy.id,
    selectionTag: pulumi.output(BACKUP_SELECTION_TAG),
  };
}

/** A second resource group of the layer, `${scope.name}-<role>-rg`. */
function resourceGroupNamed(scope: Scope, role: string, location: string) {
  return resourceGroup({ ...scope, name: `${scope.name}-${role}` }, location);
}
