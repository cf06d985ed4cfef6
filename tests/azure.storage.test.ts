/** Azure storage: Disk CSI with a disk encryption set, Azure Files NFS over a private endpoint, private blob containers. */
import { BUCKET_PURPOSES, Storage } from "../components/storage";
import { BACKUP_SELECTION_TAG, PlatformConfig, StorageConfig } from "../components/types";
import { ROLES } from "../providers/azure/common";
import { lifecycleRules, premiumDiskSku, premiumFileSku } from "../providers/azure/storage";
import {
  AZ,
  azureConfig,
  commonArgs,
  CONTROL_PLANE_PRINCIPAL,
  kubernetesOutputs,
  networkOutputs,
  roleDefinition,
  SUBNET_ID,
  SUBSCRIPTION,
  VNET_ID,
  withKubernetes,
} from "./azureFixtures";
import { mockPulumi, one, RecordingMocks, settle, valueOf } from "./harness";

async function build(
  environment: "dev" | "prod",
  storage: Partial<StorageConfig> = {},
  opts: { region?: string; databaseTier?: boolean } = {},
) {
  const mocks = await mockPulumi({ region: opts.region ?? "westeurope" });
  const base = azureConfig(environment);
  const config: PlatformConfig = {
    ...base,
    region: opts.region ?? base.region,
    storage: { ...base.storage, ...storage },
  };
  const n = `${config.name}-storage`;
  const component = new Storage(
    n,
    {
      ...commonArgs(config),
      zones: config.zones,
      storage: config.storage,
      network: networkOutputs(config.zones, opts.databaseTier ?? true),
      kubernetes: kubernetesOutputs(),
    },
    withKubernetes(),
  );
  const buckets = await valueOf(component.outputs.buckets);
  const outputs = {
    buckets,
    fileSystemId: await valueOf(component.outputs.fileSystemId),
    fileStorageClass: await valueOf(component.outputs.fileStorageClass),
    blockStorageClass: await valueOf(component.outputs.blockStorageClass),
    encryptionKeyId: await valueOf(component.outputs.encryptionKeyId),
  };
  await settle();
  return { mocks, config, n, outputs };
}

const storageClass = (mocks: RecordingMocks, name: string) =>
  one(mocks, AZ.storageClass, name).inputs as any;

describe("Azure storage", () => {
  let prod: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    prod = await build("prod");
  });

  it("keeps one customer key in a firewalled, purge-protected vault, used through one identity", () => {
    const { mocks, n } = prod;
    const vault = one(mocks, AZ.vault);
    expect(vault.inputs.properties).toMatchObject({
      enableRbacAuthorization: true,
      enablePurgeProtection: true,
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
    });
    expect(vault.options.protect).toBe(true);
    expect(one(mocks, AZ.key).inputs).toMatchObject({
      keyName: "encryption",
      properties: { kty: "RSA", keySize: 3072 },
    });
    expect(one(mocks, AZ.role, `${n}-encryption-key`).inputs).toMatchObject({
      principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      scope: `${n}-encryption-key-id`,
      roleDefinitionId: roleDefinition(ROLES.keyVaultCryptoServiceEncryptionUser),
    });
  });

  it("makes the default block class zone-redundant Premium disks encrypted by a disk encryption set", () => {
    const { mocks, n } = prod;
    const des = one(mocks, AZ.des);
    expect(des.inputs).toMatchObject({
      encryptionType: "EncryptionAtRestWithCustomerKey",
      identity: { type: "UserAssigned", userAssignedIdentities: [`${n}-encryption-identity-id`] },
      rotationToLatestKeyVersionEnabled: true,
      activeKey: { keyUrl: expect.stringMatching(/\/keys\/encryption\/[0-9a-z]+$/) },
    });
    expect(des.options.ignoreChanges).toEqual(["activeKey.keyUrl"]);
    expect(des.options.dependsOn).toContain(one(mocks, AZ.role, `${n}-encryption-key`).urn);
    expect(des.options.protect).toBe(true);
    const block = storageClass(mocks, `${n}-block`);
    expect(block).toMatchObject({
      metadata: {
        name: "officeless-block",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "disk.csi.azure.com",
      parameters: {
        skuName: "Premium_ZRS",
        diskEncryptionSetID: `${n}-des-id`,
        networkAccessPolicy: "DenyAll",
        tags: `${BACKUP_SELECTION_TAG}=true`,
      },
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Retain",
    });
    const reader = one(mocks, AZ.role, `${n}-cluster-des`);
    expect(reader.inputs).toMatchObject({
      principalId: CONTROL_PLANE_PRINCIPAL,
      scope: `${n}-des-id`,
      roleDefinitionId: roleDefinition(ROLES.reader),
    });
    expect(one(mocks, AZ.storageClass, `${n}-block`).options.dependsOn).toContain(reader.urn);
  });

  it("falls back to Premium_LRS where zone-redundant disks are not offered", () => {
    expect(premiumDiskSku("westeurope")).toBe("Premium_ZRS");
    expect(premiumDiskSku("japanwest")).toBe("Premium_LRS");
    expect(premiumFileSku("spaincentral")).toBe("Premium_LRS");
  });

  it("serves premium NFS shares only through a private endpoint in the database tier", () => {
    const { mocks, n, outputs } = prod;
    const files = one(mocks, AZ.account, `${n}-files`);
    expect(files.inputs).toMatchObject({
      kind: "FileStorage",
      sku: { name: "Premium_ZRS" },
      publicNetworkAccess: "Disabled",
      allowSharedKeyAccess: false,
      encryption: {
        keySource: "Microsoft.Keyvault",
        keyVaultProperties: { keyName: "encryption" },
        encryptionIdentity: { encryptionUserAssignedIdentity: `${n}-encryption-identity-id` },
      },
    });
    expect(files.options.protect).toBe(true);
    expect(one(mocks, AZ.share).inputs).toMatchObject({
      enabledProtocols: "NFS",
      rootSquash: "RootSquash",
      shareQuota: 100,
    });
    expect(one(mocks, AZ.pe, `${n}-files-pe`).inputs).toMatchObject({
      subnet: { id: SUBNET_ID("database") },
      privateLinkServiceConnections: [
        { privateLinkServiceId: `${n}-files-id`, groupIds: ["file"] },
      ],
    });
    expect(one(mocks, AZ.zone, `${n}-files-dns`).inputs.privateZoneName).toBe(
      "privatelink.file.core.windows.net",
    );
    expect(one(mocks, AZ.zoneLink, `${n}-files-dns-link`).inputs).toMatchObject({
      virtualNetwork: { id: VNET_ID },
      registrationEnabled: false,
    });
    expect(one(mocks, AZ.peDns, `${n}-files-pe-dns`).inputs).toMatchObject({
      privateDnsZoneConfigs: [{ privateDnsZoneId: `${n}-files-dns-id` }],
    });
    const file = storageClass(mocks, `${n}-file`);
    expect(file).toMatchObject({
      metadata: { name: "officeless-file" },
      provisioner: "file.csi.azure.com",
      parameters: {
        protocol: "nfs",
        storageAccount: files.inputs.accountName,
        resourceGroup: `${n}-rg`,
      },
    });
    expect(one(mocks, AZ.storageClass, `${n}-file`).options.dependsOn).toContain(
      one(mocks, AZ.pe, `${n}-files-pe`).urn,
    );
    expect(one(mocks, AZ.role, `${n}-cluster-files`).inputs).toMatchObject({
      principalId: CONTROL_PLANE_PRINCIPAL,
      scope: `${n}-files-id`,
      roleDefinitionId: roleDefinition(ROLES.storageAccountContributor),
    });
    expect(outputs.fileSystemId).toBe(`${n}-files-id`);
    expect(outputs.fileStorageClass).toBe("officeless-file");
  });

  it("keeps blobs private, keyless, TLS 1.2-only, customer-encrypted, with a flat namespace for Mimir", () => {
    const { mocks, n } = prod;
    const blob = one(mocks, AZ.account, `${n}-blob`);
    expect(blob.inputs).toMatchObject({
      kind: "StorageV2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      minimumTlsVersion: "TLS1_2",
      isHnsEnabled: false,
      publicNetworkAccess: "Disabled",
      enableHttpsTrafficOnly: true,
      identity: { type: "UserAssigned", userAssignedIdentities: [`${n}-encryption-identity-id`] },
      encryption: {
        keySource: "Microsoft.Keyvault",
        keyVaultProperties: {
          keyName: "encryption",
          keyVaultUri: expect.stringMatching(/^https:\/\/.*\.vault\.azure\.net\/$/),
        },
        requireInfrastructureEncryption: true,
      },
    });
    expect(blob.inputs.encryption).not.toHaveProperty("keyVaultProperties.keyVersion");
    expect(blob.options.protect).toBe(true);
    expect(one(mocks, AZ.pe, `${n}-blob-pe`).inputs).toMatchObject({
      privateLinkServiceConnections: [{ groupIds: ["blob"] }],
    });
    expect(one(mocks, AZ.zone, `${n}-blob-dns`).inputs.privateZoneName).toBe(
      "privatelink.blob.core.windows.net",
    );
  });

  it("versions blobs and soft-deletes blobs and containers", () => {
    expect(one(prod.mocks, AZ.blobService).inputs).toMatchObject({
      blobServicesName: "default",
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 30 },
      containerDeleteRetentionPolicy: { enabled: true, days: 30 },
    });
  });

  it("creates one private container per purpose, protected in prod, and exports their ARM ids", () => {
    const { mocks, n, outputs } = prod;
    const account = one(mocks, AZ.account, `${n}-blob`).inputs.accountName as string;
    for (const purpose of BUCKET_PURPOSES) {
      const container = one(mocks, AZ.container, `${n}-${purpose}`);
      expect(container.inputs).toMatchObject({
        containerName: purpose,
        publicAccess: "None",
        accountName: account,
      });
      expect(container.options.protect).toBe(true);
      expect(outputs.buckets[purpose]).toBe(
        `/subscriptions/${SUBSCRIPTION}/resourceGroups/${n}-rg/providers/Microsoft.Storage/storageAccounts/${account}/blobServices/default/containers/${purpose}`,
      );
    }
  });

  it("turns the lifecycle config into one management policy", () => {
    const policy = one(prod.mocks, AZ.lifecycle).inputs as any;
    expect(policy.managementPolicyName).toBe("default");
    expect(policy.policy.rules).toEqual([
      expect.objectContaining({
        name: "transition-to-cool",
        definition: expect.objectContaining({
          actions: { baseBlob: { tierToCool: { daysAfterModificationGreaterThan: 30 } } },
        }),
      }),
      expect.objectContaining({
        name: "expire-noncurrent-versions",
        definition: expect.objectContaining({
          actions: { version: { delete: { daysAfterCreationGreaterThan: 90 } } },
        }),
      }),
    ]);
    expect(
      lifecycleRules({
        transitionToInfrequentAccessDays: 0,
        noncurrentVersionExpirationDays: 5,
        abortIncompleteMultipartUploadDays: 7,
      }).map((r) => r.name),
    ).toEqual(["expire-noncurrent-versions"]);
  });

  it("gives every account a distinct, valid, globally unique name", () => {
    const names = prod.mocks.byType(AZ.account).map((a) => a.inputs.accountName as string);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]{3,24}$/);
  });

  it("exports the versionless key URI", () => {
    expect(prod.outputs.encryptionKeyId).toMatch(
      /^https:\/\/officeless-prod-s-[a-z0-9]{6}\.vault\.azure\.net\/keys\/encryption$/,
    );
  });

  it("deletes volumes, protects nothing and soft-deletes for a week outside prod", async () => {
    const { mocks, n } = await build("dev");
    expect(storageClass(mocks, `${n}-block`).reclaimPolicy).toBe("Delete");
    expect(mocks.resources.filter((r) => r.options.protect)).toEqual([]);
    expect(one(mocks, AZ.blobService).inputs).toMatchObject({ deleteRetentionPolicy: { days: 7 } });
  });

  it("builds no file storage when it is off, and endpoints go to the node tier without a database tier", async () => {
    const { mocks, n, outputs } = await build(
      "prod",
      { file: { enabled: false } },
      { databaseTier: false },
    );
    expect(mocks.byType(AZ.account, `${n}-files`)).toHaveLength(0);
    expect(mocks.byType(AZ.share)).toHaveLength(0);
    expect(outputs.fileSystemId).toBe("");
    expect(outputs.fileStorageClass).toBe("");
    expect(one(mocks, AZ.pe, `${n}-blob-pe`).inputs.subnet).toMatchObject({
      id: SUBNET_ID("private-1"),
    });
  });

  it("does not mark the block class default when told not to, and uses LRS outside ZRS regions", async () => {
    const { mocks, n } = await build(
      "prod",
      { block: { defaultClass: false } },
      { region: "japanwest" },
    );
    expect(storageClass(mocks, `${n}-block`).metadata.annotations).toBeUndefined();
    expect(storageClass(mocks, `${n}-block`).parameters.skuName).toBe("Premium_LRS");
    expect(one(mocks, AZ.account, `${n}-files`).inputs.sku).toEqual({ name: "Premium_LRS" });
  });

  it("copies the blob account to the paired region (GZRS) when replication is on, and keeps it zone-redundant otherwise", async () => {
    const prod = await build("prod");
    expect(prod.config.storage.object.replication.enabled).toBe(true);
    expect(one(prod.mocks, AZ.account, `${prod.n}-blob`).inputs.sku).toEqual({
      name: "Standard_GZRS",
    });
    // Fixed at creation: Azure takes ZRS to GZRS only as a live migration, so an account created
    // before keeps its SKU instead of failing the update.
    expect(one(prod.mocks, AZ.account, `${prod.n}-blob`).options.ignoreChanges).toEqual(["sku"]);
    const dev = await build("dev");
    expect(one(dev.mocks, AZ.account, `${dev.n}-blob`).inputs.sku).toEqual({
      name: "Standard_ZRS",
    });
  });

  it("refuses a replica region (Azure picks the pair) and replication where the region has no pair, before creating anything", async () => {
    await expect(
      build("prod", {
        object: {
          ...azureConfig("prod").storage.object,
          replication: { enabled: true, region: "northeurope" },
        },
      }),
    ).rejects.toThrow(
      /storage\.object\.replication\.region = "northeurope": cannot be chosen on Azure: the copy is geo-zone-redundant storage \(GZRS\), kept in the region's pair \(northeurope for westeurope\)/,
    );
    await expect(build("prod", {}, { region: "polandcentral" })).rejects.toThrow(
      /storage\.object\.replication\.enabled = true: needs a paired region for geo-redundant storage, and polandcentral has none/,
    );
    const off = await build(
      "prod",
      { object: { ...azureConfig("prod").storage.object, replication: { enabled: false } } },
      { region: "polandcentral" },
    );
    expect(one(off.mocks, AZ.account, `${off.n}-blob`).inputs.sku).toEqual({
      name: "Standard_ZRS",
    });
  });
});
