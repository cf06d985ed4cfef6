/**
 * The Azure state store: a resource group; a Key Vault (RBAC only, purge protection) with the key
 * of Pulumi's `azurekeyvault` secrets provider and the storage account's customer key; a storage
 * account with no shared keys, no anonymous or cross-tenant access, TLS 1.2, infrastructure
 * encryption plus the customer key; blob versioning, soft delete and old-version expiry; the
 * `state` container; and the data-plane roles the deploying identity needs (no shared key means
 * nobody reaches the blobs without them).
 */
import type { AzurePrincipalType } from "./names";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { azureSecretsProvider, azureStateSku, BootstrapNames, BootstrapTarget } from "./names";
import { keptOptions, sameAccount, storeOptions } from "./options";

export interface AzureStateStoreArgs {
  readonly target: BootstrapTarget;
  readonly names: BootstrapNames;
  readonly retentionDays: number;
  /**
   * Object id of the identity that deploys (a user, group or service principal).
   * @default the identity running bootstrap (`az login`)
   */
  readonly principalId?: string;
  /**
   * What the deploying identity is. ARM refuses an assignment whose type differs from the
   * principal's, and azure-native sends `User` when none is given: a CI service principal needs
   * `ServicePrincipal`.
   */
  readonly principalType: AzurePrincipalType;
  /**
   * What the identity running bootstrap is (from `az account show`, whatever `--principal-id`
   * names): it is granted Key Vault Crypto Officer on the vault to create the keys.
   * @default principalType
   */
  readonly callerType?: AzurePrincipalType;
  /** Set only by `--destroy`, once the container holds no stack. */
  readonly destroying?: boolean;
}

/** Built-in role definition ids (the same in every tenant). */
export const AZURE_STATE_ROLES = {
  /**
   * Create and manage keys: for the identity running bootstrap, on the vault. On an RBAC vault ARM
   * authorizes a key's create (and its existence check) against the caller's data role, which
   * Owner/Contributor lack (ForbiddenByRbac; Azure/bicep#7864, pulumi/pulumi-azure-native#890).
   */
  keyVaultCryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  /** Read, write, delete and list blobs: scoped to the `state` container. */
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  /**
   * List blobs: for the identity running bootstrap when `--principal-id` names another deployer,
   * so its `--destroy` can still check the container for stacks (shared keys are off).
   */
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  /** Encrypt and decrypt with keys: scoped to the secrets key. */
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  /** Wrap and unwrap for the storage account's identity: scoped to the storage key. */
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
} as const;

/** Soft delete of blobs and containers, days. */
export const AZURE_SOFT_DELETE_DAYS = 30;
/** The storage account's customer key in the vault. */
export const AZURE_STORAGE_KEY = "state-storage";

export class AzureStateStore extends pulumi.ComponentResource {
  readonly resourceGroup: resources.ResourceGroup;
  readonly vault: keyvault.Vault;
  readonly secretsKey: keyvault.Key;
  readonly secretsProvider: pulumi.Output<string>;
  readonly account: storage.StorageAccount;
  readonly container: storage.BlobContainer;

  constructor(name: string, args: AzureStateStoreArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("officeless:bootstrap:AzureStateStore", name, {}, opts);
    const { names, target } = args;
    const location = target.region;
    const parent = { parent: this };
    const stateful = storeOptions(this, args.destroying);
    // The secrets key and what holds it (vault, resource group) and grants it stay on --destroy
    // (see keptOptions): deleting the vault or its group would delete the key with them.
    const kept = keptOptions(this, args.destroying);
    const tags = { "officeless-bootstrap": target.name, purpose: "pulumi-state" };

    const client = authorization.getClientConfigOutput(parent);
    // The names carry the subscription the CLI reported; stop before creating anything in another.
    const rgName = client.subscriptionId.apply((subscription) => {
      sameAccount("Azure subscription", subscription, target.account);
      return names.resourceGroup;
    });
    this.resourceGroup = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: rgName, location, tags },
      kept,
    );
    const resourceGroupName = this.resourceGroup.name;
    const role = (
      roleName: string,
      id: string,
      principalId: pulumi.Input<string>,
      scope: pulumi.Input<string>,
      principalType: AzurePrincipalType,
      options: pulumi.CustomResourceOptions = parent,
    ) =>
      new authorization.RoleAssignment(
        `${name}-${roleName}`,
        {
          principalId,
          principalType,
          roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`,
          scope,
        },
        options,
      );

    this.vault = new keyvault.Vault(
      `${name}-kv`,
      {
        resourceGroupName,
        location,
        vaultName: names.key,
        properties: {
          tenantId: client.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: 90,
          // A deleted key cannot be purged before 90 days (storage CMK requires it too).
          enablePurgeProtection: true,
          // Pulumi runs from laptops and CI outside any VNet; access stays RBAC-only.
          publicNetworkAccess: "Enabled",
          networkAcls: { defaultAction: "Allow", bypass: "AzureServices" },
        },
        tags,
      },
      kept,
    );
    // The caller's data role on the vault, before any key (its propagation: runBootstrap's retry).
    const officer = role(
      "caller-key-officer",
      AZURE_STATE_ROLES.keyVaultCryptoOfficer,
      client.objectId,
      this.vault.id,
      args.callerType ?? args.principalType,
    );
    const key = (
      role: string,
      keyName: string,
      rotates: boolean,
      options: pulumi.CustomResourceOptions,
    ) =>
      new keyvault.Key(
        `${name}-${role}-key`,
        {
          resourceGroupName,
          vaultName: this.vault.name,
          keyName,
          properties: {
            kty: "RSA",
            keySize: 3072,
            keyOps: ["wrapKey", "unwrapKey", "encrypt", "decrypt"],
            ...(rotates
              ? {
                  rotationPolicy: {
                    lifetimeActions: [
                      { action: { type: "rotate" }, trigger: { timeAfterCreate: "P1Y" } },
                    ],
                  },
                }
              : {}),
          },
          tags,
        },
        { ...options, dependsOn: [officer] },
      );
    // Never rotated: each stack's data key was wrapped by this key's version, and the
    // azurekeyvault keeper decrypts with the version its URL names (the latest when none:
    // pulumi/pulumi#22338). To rotate, `pulumi stack change-secrets-provider` each stack.
    this.secretsKey = key("secrets", names.secretsKey, false, kept);
    // Rotates yearly: the storage account follows the latest version (no version in its reference).
    const storageKey = key("storage", AZURE_STORAGE_KEY, true, stateful);
    /** Pulumi's secrets-provider URL, pinned to the key's version. */
    this.secretsProvider = this.secretsKey.keyUriWithVersion.apply(azureSecretsProvider);

    const identity = new managedidentity.UserAssignedIdentity(
      `${name}-encryption-identity`,
      { resourceGroupName, location, resourceName: `${target.name}-state-encryption`, tags },
      parent,
    );
    const keyGrant = role(
      "storage-key-encryption",
      AZURE_STATE_ROLES.keyVaultCryptoServiceEncryptionUser,
      identity.principalId,
      storageKey.id,
      "ServicePrincipal",
    );

    this.account = new storage.StorageAccount(
      `${name}-account`,
      {
        resourceGroupName,
        location,
        accountName: names.storageAccount,
        kind: "StorageV2",
        sku: { name: azureStateSku(location) },
        accessTier: "Hot",
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        allowBlobPublicAccess: false,
        allowCrossTenantReplication: false,
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
        encryption: {
          keySource: "Microsoft.Keyvault",
          // No key version: the account follows Key Vault's rotation.
          keyVaultProperties: {
            keyName: AZURE_STORAGE_KEY,
            keyVaultUri: this.vault.properties.apply((p) => p.vaultUri ?? ""),
          },
          encryptionIdentity: { encryptionUserAssignedIdentity: identity.id },
          // Set at creation only (a change replaces the account): constant.
          requireInfrastructureEncryption: true,
          services: { blob: { enabled: true, keyType: "Account" } },
        },
        tags,
      },
      // Creating the account checks its identity can use the key.
      { ...stateful, dependsOn: [keyGrant] },
    );
    const blobService = new storage.BlobServiceProperties(
      `${name}-blob-service`,
      {
        resourceGroupName,
        accountName: this.account.name,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: AZURE_SOFT_DELETE_DAYS },
        containerDeleteRetentionPolicy: { enabled: true, days: AZURE_SOFT_DELETE_DAYS },
      },
      parent,
    );
    new storage.ManagementPolicy(
      `${name}-lifecycle`,
      {
        resourceGroupName,
        accountName: this.account.name,
        // Azure allows one policy per account, named "default".
        managementPolicyName: "default",
        policy: {
          rules: [
            {
              name: "expire-noncurrent-versions",
              type: "Lifecycle",
              enabled: true,
              definition: {
                filters: { blobTypes: ["blockBlob"] },
                actions: {
                  version: { delete: { daysAfterCreationGreaterThan: args.retentionDays } },
                },
              },
            },
          ],
        },
      },
      { parent: this, dependsOn: [blobService] },
    );
    this.container = new storage.BlobContainer(
      `${name}-container`,
      {
        resourceGroupName,
        accountName: this.account.name,
        containerName: names.bucket,
        publicAccess: "None",
      },
      stateful,
    );

    if (args.principalId)
      role(
        "caller-state-reader",
        AZURE_STATE_ROLES.storageBlobDataReader,
        client.objectId,
        this.container.id,
        args.callerType ?? args.principalType,
      );
    const deployer = args.principalId ?? client.objectId;
    role(
      "deployer-state",
      AZURE_STATE_ROLES.storageBlobDataContributor,
      deployer,
      this.container.id,
      args.principalType,
    );
    role(
      "deployer-secrets",
      AZURE_STATE_ROLES.keyVaultCryptoUser,
      deployer,
      this.secretsKey.id,
      args.principalType,
      kept,
    );
    this.registerOutputs({
      resourceGroup: this.resourceGroup,
      vault: this.vault,
      secretsKey: this.secretsKey,
      account: this.account,
      container: this.container,
    });
  }
}
