/**
 * Azure storage layer: one customer key in the layer's Key Vault for everything stored; Azure Disk
 * CSI volumes through a disk encryption set; optional Azure Files premium NFS behind a private
 * endpoint; and a blob account (no public network, no shared keys, no anonymous access, TLS 1.2,
 * hierarchical namespace off for Mimir) with one versioned, soft-deleted container per purpose.
 */
import * as compute from "@pulumi/azure-native/compute";
import * as keyvault from "@pulumi/azure-native/keyvault";
import type * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as azstorage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/azure-native/types/input";
import {
  BUCKET_PURPOSES,
  BucketPurpose,
  StorageArgs,
  StorageOutputs,
} from "../../components/storage";
import { reclaimPolicy as reclaimPolicyFor, storageClass } from "../../components/storageClass";
import { BACKUP_SELECTION_TAG, ObjectLifecycleConfig, Scope } from "../../components/types";
import { azureConfigIssues, PREMIUM_ZRS_DISK_REGIONS, PREMIUM_ZRS_FILE_REGIONS } from "./catalog";
import {
  azureClient,
  DES_IGNORE_CHANGES,
  desKey,
  endpointSubnetId,
  formatArmId,
  keyEncryptionIdentity,
  keyVault,
  nameSuffix,
  privateEndpoint,
  resourceGroup,
  roleAssignment,
  throwIfIssues,
  uniqueName,
  vaultKey,
} from "./common";

type ManagementPolicyRuleArgs = inputs.storage.ManagementPolicyRuleArgs;

/** The share the platform itself mounts; dynamically provisioned volumes get their own shares. */
export const PLATFORM_SHARE = "platform";
/** Premium file shares start at 100 GiB. */
const PLATFORM_SHARE_GIB = 100;
/** Days deleted blobs and containers stay restorable. */
export const SOFT_DELETE_DAYS = { prod: 30, other: 7 } as const;
/** The customer key's name in the layer's vault. */
const KEY_NAME = "encryption";

/** The Premium disk SKU of a region: zone-redundant where Azure offers it. */
export function premiumDiskSku(region: string): "Premium_ZRS" | "Premium_LRS" {
  return PREMIUM_ZRS_DISK_REGIONS.has(region) ? "Premium_ZRS" : "Premium_LRS";
}

/**
 * The blob account's redundancy is fixed at creation: Azure takes ZRS to GZRS only as a live
 * migration, not as an ordinary update (MicrosoftDocs/azure-docs
 * articles/storage/common/redundancy-migration.md), so an existing account keeps its SKU.
 */
export const BLOB_IGNORE_CHANGES = ["sku"];

/**
 * The blob account's redundancy: zone-redundant in the region, and with `replication` also copied
 * to the region's pair (GZRS; the copy becomes readable with an account failover).
 */
export function blobSku(replication: boolean): "Standard_GZRS" | "Standard_ZRS" {
  return replication ? "Standard_GZRS" : "Standard_ZRS";
}

/** The premium file-share SKU of a region: zone-redundant where Azure offers it. */
export function premiumFileSku(region: string): "Premium_ZRS" | "Premium_LRS" {
  return PREMIUM_ZRS_FILE_REGIONS.has(region) ? "Premium_ZRS" : "Premium_LRS";
}

/**
 * Lifecycle rules from the cloud-agnostic config: move current blobs to Cool, delete old versions.
 * Azure has no multipart uploads to abort: it discards uncommitted blocks after 7 days by itself.
 */
export function lifecycleRules(lifecycle: ObjectLifecycleConfig): ManagementPolicyRuleArgs[] {
  const filters = { blobTypes: ["blockBlob"] };
  const rules: ManagementPolicyRuleArgs[] = [];
  if (lifecycle.transitionToInfrequentAccessDays > 0) {
    rules.push({
      name: "transition-to-cool",
      type: "Lifecycle",
      enabled: true,
      definition: {
        filters,
        actions: {
          baseBlob: {
            tierToCool: {
              daysAfterModificationGreaterThan: lifecycle.transitionToInfrequentAccessDays,
            },
          },
        },
      },
    });
  }
  rules.push({
    name: "expire-noncurrent-versions",
    type: "Lifecycle",
    enabled: true,
    definition: {
      filters,
      actions: {
        version: {
          delete: { daysAfterCreationGreaterThan: lifecycle.noncurrentVersionExpirationDays },
        },
      },
    },
  });
  return rules;
}

interface Encryption {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly vault: keyvault.Vault;
  readonly key: keyvault.Key;
  /** Wraps and unwraps with the key for the disk encryption set and both storage accounts. */
  readonly identity: managedidentity.UserAssignedIdentity;
  /** The identity's grant on the key: encrypted resources must wait for it. */
  readonly grant: pulumi.Resource;
}

/** Storage-account encryption with the layer's key through the user-assigned identity. */
function customerKey(
  enc: Encryption,
): Pick<azstorage.StorageAccountArgs, "encryption" | "identity"> {
  return {
    identity: { type: "UserAssigned", userAssignedIdentities: [enc.identity.id] },
    encryption: {
      keySource: "Microsoft.Keyvault",
      // No key version: the account follows Key Vault's rotation.
      keyVaultProperties: {
        keyName: KEY_NAME,
        keyVaultUri: enc.vault.properties.apply((p) => p.vaultUri ?? ""),
      },
      encryptionIdentity: { encryptionUserAssignedIdentity: enc.identity.id },
      requireInfrastructureEncryption: true,
      services: {
        blob: { enabled: true, keyType: "Account" },
        file: { enabled: true, keyType: "Account" },
      },
    },
  };
}

/**
 * A storage account of the layer that no one reaches from outside: private network only, no shared
 * keys, no anonymous or cross-tenant access, TLS 1.2, encrypted with the layer's key (waiting for
 * its grant), protected in prod. `props` adds what the account's kind needs; the baseline wins
 * over it, so no caller can loosen it.
 */
function privateAccount(
  scope: Scope,
  role: string,
  args: { region: string; enc: Encryption; suffix: pulumi.Output<string> },
  props: Pick<azstorage.StorageAccountArgs, "kind" | "sku"> & Partial<azstorage.StorageAccountArgs>,
  ignoreChanges: string[] = [],
): azstorage.StorageAccount {
  return new azstorage.StorageAccount(
    `${scope.name}-${role}`,
    {
      resourceGroupName: args.enc.resourceGroupName,
      location: args.region,
      accountName: uniqueName(scope.name, args.suffix, 24, { hyphens: false, role }),
      ...props,
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      minimumTlsVersion: "TLS1_2",
      publicNetworkAccess: "Disabled",
      networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
      ...customerKey(args.enc),
      tags: scope.tags,
    },
    { parent: scope.parent, protect: scope.protect, dependsOn: [args.enc.grant], ignoreChanges },
  );
}

/** The Azure storage backend. */
export function azureStorage(scope: Scope, args: StorageArgs): StorageOutputs {
  throwIfIssues(
    azureConfigIssues({ region: args.region, storage: args.storage }),
    "Invalid Storage arguments",
  );
  const location = args.region;
  const rg = resourceGroup(scope, location);
  const suffix = nameSuffix(scope);
  // Disks and storage reach the key as trusted services: the vault's firewall stays closed.
  const vault = keyVault(scope, { resourceGroupName: rg.name, location, suffix });
  const key = vaultKey(scope, KEY_NAME, { vault, resourceGroupName: rg.name });
  const { identity, grant } = keyEncryptionIdentity(scope, {
    resourceGroupName: rg.name,
    location,
    keyId: key.id,
  });
  const enc: Encryption = { resourceGroupName: rg.name, vault, key, identity, grant };
  const reclaimPolicy = reclaimPolicyFor(args.environment);

  const blockStorageClass = blockStorage(scope, args, enc, reclaimPolicy);
  const file = args.storage.file.enabled
    ? fileStorage(scope, args, enc, suffix, reclaimPolicy)
    : undefined;
  const buckets = objectStorage(scope, args, enc, suffix);

  return {
    blockStorageClass,
    fileSystemId: file?.fileSystemId ?? pulumi.output(""),
    fileStorageClass: file?.storageClass ?? pulumi.output(""),
    buckets,
    encryptionKeyId: key.keyUri,
  };
}

/** Azure Disk CSI volumes encrypted by a disk encryption set with the layer's key. */
function blockStorage(
  scope: Scope,
  args: StorageArgs,
  enc: Encryption,
  reclaimPolicy: string,
): pulumi.Output<string> {
  const des = new compute.DiskEncryptionSet(
    `${scope.name}-des`,
    {
      resourceGroupName: enc.resourceGroupName,
      location: args.region,
      diskEncryptionSetName: `${scope.name}-des`,
      encryptionType: "EncryptionAtRestWithCustomerKey",
      identity: { type: "UserAssigned", userAssignedIdentities: [enc.identity.id] },
      ...desKey(enc.key, enc.vault),
      tags: scope.tags,
    },
    {
      parent: scope.parent,
      protect: scope.protect,
      dependsOn: [enc.grant],
      ignoreChanges: DES_IGNORE_CHANGES,
    },
  );
  // The managed disk CSI controller runs as the cluster's control-plane identity, which must read
  // the encryption set to create disks with it.
  const reader = roleAssignment(scope, "cluster-des", {
    principalId: args.kubernetes.clusterSecurityGroupId,
    principalType: "ServicePrincipal",
    role: "reader",
    scope: des.id,
  });
  return storageClass(scope, "block", {
    defaultClass: args.storage.block.defaultClass,
    provisioner: "disk.csi.azure.com",
    parameters: {
      skuName: premiumDiskSku(args.region),
      diskEncryptionSetID: des.id,
      diskEncryptionType: "EncryptionAtRestWithCustomerKey",
      cachingMode: "ReadOnly",
      // No SAS export of volume contents.
      networkAccessPolicy: "DenyAll",
      tags: `${BACKUP_SELECTION_TAG}=true`,
    },
    allowVolumeExpansion: true,
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy,
    dependsOn: [reader],
  });
}

/**
 * Azure Files premium NFS: a FileStorage account reachable only through its private endpoint,
 * encrypted with the layer's key, the platform's own share, and a class that provisions a share
 * per volume in the same account.
 */
function fileStorage(
  scope: Scope,
  args: StorageArgs,
  enc: Encryption,
  suffix: pulumi.Output<string>,
  reclaimPolicy: string,
): { fileSystemId: pulumi.Output<string>; storageClass: pulumi.Output<string> } {
  const account = privateAccount(
    scope,
    "files",
    { region: args.region, enc, suffix },
    {
      kind: "FileStorage",
      sku: { name: premiumFileSku(args.region) },
      // NFS has no TLS of its own: Azure refuses NFS shares on accounts requiring HTTPS. Traffic
      // stays on the private endpoint inside the VNet.
      enableHttpsTrafficOnly: false,
    },
  );
  new azstorage.FileShare(
    `${scope.name}-platform-share`,
    {
      resourceGroupName: enc.resourceGroupName,
      accountName: account.name,
      shareName: PLATFORM_SHARE,
      enabledProtocols: "NFS",
      rootSquash: "RootSquash",
      shareQuota: PLATFORM_SHARE_GIB,
    },
    { parent: scope.parent, protect: scope.protect },
  );
  const { endpoint, ready } = privateEndpoint(scope, "files", {
    resourceGroupName: enc.resourceGroupName,
    location: args.region,
    networkId: args.network.networkId,
    subnetId: endpointSubnetId(args.network),
    targetId: account.id,
    groupId: "file",
    dnsZone: "privatelink.file.core.windows.net",
  });
  // The file CSI controller creates one share per volume in this account as the control plane.
  const shareCreator = roleAssignment(scope, "cluster-files", {
    principalId: args.kubernetes.clusterSecurityGroupId,
    principalType: "ServicePrincipal",
    role: "storageAccountContributor",
    scope: account.id,
  });
  const fileClass = storageClass(scope, "file", {
    provisioner: "file.csi.azure.com",
    parameters: {
      protocol: "nfs",
      storageAccount: account.name,
      resourceGroup: enc.resourceGroupName,
    },
    mountOptions: ["nconnect=4", "noresvport", "actimeo=30"],
    allowVolumeExpansion: true,
    reclaimPolicy,
    volumeBindingMode: "Immediate",
    // Volumes mount only once the endpoint resolves inside the VNet.
    dependsOn: [endpoint, ready, shareCreator],
  });
  return { fileSystemId: account.id, storageClass: fileClass };
}

/**
 * One blob account, private and keyless, with a container per purpose. `buckets` holds each
 * container's ARM id: on Azure a container is only addressable with its account, and downstream
 * layers need both names and the id as a role-assignment scope.
 */
function objectStorage(
  scope: Scope,
  args: StorageArgs,
  enc: Encryption,
  suffix: pulumi.Output<string>,
): pulumi.Output<Record<BucketPurpose, string>> {
  const opts = { parent: scope.parent };
  const client = azureClient(scope);
  const softDeleteDays =
    args.environment === "prod" ? SOFT_DELETE_DAYS.prod : SOFT_DELETE_DAYS.other;
  const account = privateAccount(
    scope,
    "blob",
    { region: args.region, enc, suffix },
    {
      kind: "StorageV2",
      sku: { name: blobSku(args.storage.object.replication.enabled) },
      accessTier: "Hot",
      defaultToOAuthAuthentication: true,
      enableHttpsTrafficOnly: true,
      // Mimir's Azure client needs a flat namespace.
      isHnsEnabled: false,
    },
    BLOB_IGNORE_CHANGES,
  );
  new azstorage.BlobServiceProperties(
    `${scope.name}-blob-service`,
    {
      resourceGroupName: enc.resourceGroupName,
      accountName: account.name,
      blobServicesName: "default",
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: softDeleteDays },
      containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays },
    },
    opts,
  );
  // Clients in the cluster (Mimir, Loki, Tempo, the backup extension) reach the account only here.
  const blobEndpoint = privateEndpoint(scope, "blob", {
    resourceGroupName: enc.resourceGroupName,
    location: args.region,
    networkId: args.network.networkId,
    subnetId: endpointSubnetId(args.network),
    targetId: account.id,
    groupId: "blob",
    dnsZone: "privatelink.blob.core.windows.net",
  });
  new azstorage.ManagementPolicy(
    `${scope.name}-lifecycle`,
    {
      resourceGroupName: enc.resourceGroupName,
      accountName: account.name,
      // Azure allows one policy per account, named "default".
      managementPolicyName: "default",
      policy: { rules: lifecycleRules(args.storage.object.lifecycle) },
    },
    opts,
  );

  const ids = {} as Record<BucketPurpose, pulumi.Output<string>>;
  for (const purpose of BUCKET_PURPOSES) {
    const container = new azstorage.BlobContainer(
      `${scope.name}-${purpose}`,
      {
        resourceGroupName: enc.resourceGroupName,
        accountName: account.name,
        containerName: purpose,
        publicAccess: "None",
        metadata: { purpose },
      },
      { ...opts, protect: scope.protect },
    );
    // Built from its parts (the same string as container.id) so consumers read the account and
    // container names back from it; it waits for the container like container.id would.
    // Waits for the blob endpoint's DNS record too: a consumer (the backup instance, whose
    // creation validates the extension's access) must not try the account before it resolves.
    ids[purpose] = pulumi
      .all([
        client.subscriptionId,
        enc.resourceGroupName,
        account.name,
        container.id,
        blobEndpoint.ready.id,
      ])
      .apply(([sub, group, name]) =>
        formatArmId(
          sub,
          group,
          "Microsoft.Storage",
          "storageAccounts",
          name,
          "blobServices",
          "default",
          "containers",
          purpose,
        ),
      );
  }
  return pulumi.output(ids) as pulumi.Output<Record<BucketPurpose, string>>;
}
