/** Azure kubernetes (AKS): private, Entra-only, KMS, CNI overlay + Cilium, per-zone autoscaled pools. */
import { MOCK_AZURE_OBJECT_ID, MOCK_AZURE_TENANT_ID } from "../automation/offline/mocks";
import { KubernetesCluster } from "../components/kubernetesCluster";
import { KubernetesConfig, PlatformConfig } from "../components/types";
import * as pulumi from "@pulumi/pulumi";
import { Scope } from "../components/types";
import { ENCRYPTION_AT_HOST, featureIssue, readFeature, ROLES } from "../providers/azure/common";
import {
  agentPoolName,
  AKS_SERVER_APP_ID,
  CONTROL_PLANE_LOG_CATEGORIES,
  nodeTaint,
  poolInputsHash,
  poolNameIssues,
  systemPoolFixed,
  userPoolFixed,
} from "../providers/azure/kubernetes";
import {
  AZ,
  azureConfig,
  commonArgs,
  networkOutputs,
  roleDefinition,
  SUBNET_ID,
  SUBSCRIPTION,
  VNET_ID,
} from "./azureFixtures";
import {
  isSecret,
  mockPulumi,
  one,
  RecordedResource,
  RecordingMocks,
  resourcesBehind,
  settle,
  valueOf,
} from "./harness";

interface Built {
  mocks: RecordingMocks;
  cluster: KubernetesCluster;
  config: PlatformConfig;
  n: string;
}

/** The CI identity every built cluster lists: Azure requires at least one admin. */
const CI_ADMIN = {
  entry: "servicePrincipal:66666666-7777-4888-9999-aaaaaaaaaaaa",
  principalId: "66666666-7777-4888-9999-aaaaaaaaaaaa",
};

/** The fixture's Azure config with at least one admin (the fixture lists none), and overrides. */
function configFor(
  environment: "dev" | "prod",
  kubernetes: Partial<KubernetesConfig> = {},
): PlatformConfig {
  const base = azureConfig(environment);
  return {
    ...base,
    kubernetes: { ...base.kubernetes, adminPrincipals: [CI_ADMIN.entry], ...kubernetes },
  };
}

async function build(
  environment: "dev" | "prod" = "prod",
  kubernetes: Partial<KubernetesConfig> = {},
): Promise<Built> {
  const mocks = await mockPulumi({ region: "westeurope" });
  const config = configFor(environment, kubernetes);
  const n = config.name;
  const cluster = new KubernetesCluster(n, {
    ...commonArgs(config),
    zones: config.zones,
    kubernetes: config.kubernetes,
    network: networkOutputs(config.zones),
  });
  await valueOf(cluster.outputs.kubeconfig);
  await settle();
  return { mocks, cluster, config, n };
}

const aks = (mocks: RecordingMocks) => one(mocks, AZ.cluster).inputs as any;
const grant = (mocks: RecordingMocks, name: string): RecordedResource => one(mocks, AZ.role, name);

describe("Azure kubernetes (AKS)", () => {
  let prod: Built;
  beforeAll(async () => {
    prod = await build("prod");
  });

  it("is a private Standard-tier cluster in its own resource group, protected in prod", () => {
    const cluster = one(prod.mocks, AZ.cluster);
    expect(cluster.inputs).toMatchObject({
      resourceGroupName: `${prod.n}-rg`,
      resourceName: prod.n,
      location: "westeurope",
      kubernetesVersion: "1.36",
      nodeResourceGroup: `${prod.n}-nodes-rg`,
      sku: { name: "Base", tier: "Standard" },
      apiServerAccessProfile: {
        enablePrivateCluster: true,
        privateDNSZone: "system",
        // The kubeconfig's name must resolve outside the VNet (office over the VPN).
        enablePrivateClusterPublicFQDN: true,
      },
      tags: {
        team: "platform",
        environment: "prod",
        layer: "kubernetes",
        "managed-by": "officeless",
      },
    });
    expect(cluster.inputs.apiServerAccessProfile).not.toHaveProperty("authorizedIPRanges");
    expect(cluster.options.protect).toBe(true);
  });

  it("authenticates through Entra ID only, authorizes with Azure RBAC, and federates service accounts", () => {
    expect(aks(prod.mocks)).toMatchObject({
      disableLocalAccounts: true,
      enableRBAC: true,
      aadProfile: { managed: true, enableAzureRBAC: true, tenantID: MOCK_AZURE_TENANT_ID },
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
    });
  });

  it("encrypts etcd with a versioned Key Vault key through KMS, as a user-assigned identity granted Crypto User", () => {
    const { mocks, n } = prod;
    const key = one(mocks, AZ.key);
    expect(key.inputs).toMatchObject({
      keyName: "encryption",
      properties: {
        kty: "RSA",
        keySize: 2048,
        rotationPolicy: {
          lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P1Y" } }],
        },
      },
    });
    expect(aks(mocks).securityProfile.azureKeyVaultKms).toEqual({
      enabled: true,
      keyId: expect.stringMatching(
        /^https:\/\/officeless-prod-[a-z0-9]{6}\.vault\.azure\.net\/keys\/encryption\/[0-9a-f]+$/,
      ),
      keyVaultNetworkAccess: "Public",
    });
    expect(aks(mocks).identity).toEqual({
      type: "UserAssigned",
      userAssignedIdentities: [`${n}-cluster-identity-id`],
    });
    const kms = grant(mocks, `${n}-cluster-kms`);
    expect(kms.inputs).toMatchObject({
      scope: `${n}-encryption-key-id`,
      roleDefinitionId: roleDefinition(ROLES.keyVaultCryptoUser),
      principalType: "ServicePrincipal",
    });
    expect(one(mocks, AZ.cluster).options.dependsOn).toContain(kms.urn);
  });

  it("keeps the key in a purge-protected, RBAC-only Key Vault, protected in prod", () => {
    const vault = one(prod.mocks, AZ.vault);
    expect(vault.inputs.properties).toMatchObject({
      tenantId: MOCK_AZURE_TENANT_ID,
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      enablePurgeProtection: true,
      softDeleteRetentionInDays: 90,
      // AKS KMS with a public vault refuses a vault firewall; access stays RBAC-only.
      networkAcls: { defaultAction: "Allow" },
    });
    expect((vault.inputs.vaultName as string).length).toBeLessThanOrEqual(24);
    expect(vault.options.protect).toBe(true);
    expect(one(prod.mocks, AZ.key).options.protect).toBe(true);
  });

  it("encrypts node disks with a disk encryption set on the same key, readable by the control plane", () => {
    const { mocks, n } = prod;
    const des = one(mocks, AZ.des);
    expect(des.inputs).toMatchObject({
      encryptionType: "EncryptionAtRestWithCustomerKey",
      rotationToLatestKeyVersionEnabled: true,
      activeKey: {
        // Versioned: the API refuses a versionless key URL.
        keyUrl: expect.stringMatching(/\/keys\/encryption\/[0-9a-z]+$/),
        sourceVault: { id: `${n}-kv-id` },
      },
      identity: { type: "UserAssigned", userAssignedIdentities: [`${n}-des-identity-id`] },
    });
    // Azure moves the set to each new key version; an up must not move it back.
    expect(des.options.ignoreChanges).toEqual(["activeKey.keyUrl"]);
    const desKey = grant(mocks, `${n}-des-key`);
    expect(desKey.inputs).toMatchObject({
      scope: `${n}-encryption-key-id`,
      roleDefinitionId: roleDefinition(ROLES.keyVaultCryptoServiceEncryptionUser),
    });
    expect(des.options.dependsOn).toContain(desKey.urn);
    expect(grant(mocks, `${n}-cluster-des`).inputs).toMatchObject({
      scope: `${n}-des-id`,
      roleDefinitionId: roleDefinition(ROLES.reader),
    });
    expect(aks(mocks).diskEncryptionSetID).toBe(`${n}-des-id`);
  });

  it("uses Azure CNI overlay with Cilium and leaves through the network's NAT gateway", () => {
    expect(aks(prod.mocks).networkProfile).toMatchObject({
      networkPlugin: "azure",
      networkPluginMode: "overlay",
      networkDataplane: "cilium",
      networkPolicy: "cilium",
      outboundType: "userAssignedNATGateway",
    });
    expect(grant(prod.mocks, `${prod.n}-cluster-network`).inputs).toMatchObject({
      scope: VNET_ID,
      roleDefinitionId: roleDefinition(ROLES.networkContributor),
    });
  });

  it("patches itself and its node images, balances similar pools, and turns on the storage drivers and app routing", () => {
    expect(aks(prod.mocks)).toMatchObject({
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
      autoScalerProfile: { balanceSimilarNodeGroups: "true" },
      storageProfile: {
        diskCSIDriver: { enabled: true },
        fileCSIDriver: { enabled: true },
        snapshotController: { enabled: true },
      },
      ingressProfile: { webAppRouting: { enabled: true } },
    });
  });

  it("runs a system pool per zone in prod, each on its zone's subnet, tainted for critical add-ons, autoscaled", () => {
    const { mocks, n } = prod;
    const profiles = aks(mocks).agentPoolProfiles;
    expect(profiles).toHaveLength(1);
    const others = [1, 2].map((i) => one(mocks, AZ.pool, `${n}-system-pool-${i}`));
    const pools = [profiles[0], ...others.map((p) => p.inputs)];
    prod.config.zones.forEach((zone, i) => {
      expect(pools[i]).toMatchObject({
        mode: "System",
        availabilityZones: [zone],
        // The zone's subnet, so its egress leaves through that zone's NAT gateway.
        vnetSubnetID: SUBNET_ID(`private-${zone}`),
        enableAutoScaling: true,
        minCount: 1,
        maxCount: 2,
        enableEncryptionAtHost: true,
        nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"],
        upgradeSettings: { maxSurge: "33%" },
        vmSize: "Standard_D4ds_v5",
      });
    });
    expect(profiles[0].name).toBe("system1");
    // The separate ones carry the hash of their fixed inputs: a new size is a new pool beside them.
    const hash = poolInputsHash(systemPoolFixed("prod"));
    expect(others.map((p) => p.inputs.agentPoolName)).toEqual([`system${hash}2`, `system${hash}3`]);
    expect(others.every((p) => p.inputs.resourceName === n)).toBe(true);
    for (const p of others) {
      expect(p.options.ignoreChanges).toEqual(["count"]);
      expect(p.options.deleteBeforeReplace).toBeFalsy();
    }
    // The managed-cluster API does not update the inline pool: it stays as created, and carries
    // no version (it would have to match every other pool's) and no tags.
    expect(one(mocks, AZ.cluster).options.ignoreChanges).toEqual(["agentPoolProfiles"]);
    expect(profiles[0]).not.toHaveProperty("orchestratorVersion");
    expect(profiles[0]).not.toHaveProperty("tags");
    for (const p of others) {
      expect(p.inputs.orchestratorVersion).toBe(prod.config.kubernetes.version);
      expect(p.inputs.tags).toMatchObject({ environment: "prod" });
    }
  });

  it("leaves the inline system pool's inputs unchanged by day-2 edits (version, tags, pool sizes, admins)", async () => {
    const before = aks(prod.mocks).agentPoolProfiles;
    const mocks = await mockPulumi({ region: "westeurope" });
    const base = configFor("prod");
    const config: PlatformConfig = {
      ...base,
      tags: { ...base.tags, "owner-team": "payments" },
      kubernetes: {
        ...base.kubernetes,
        version: "1.35",
        adminPrincipals: [
          ...base.kubernetes.adminPrincipals,
          "group:00000000-0000-4000-8000-00000000beef",
        ],
        nodePools: base.kubernetes.nodePools.map((p) => ({
          ...p,
          minSize: p.minSize + 1,
          desiredSize: p.minSize + 1,
          maxSize: p.maxSize + 2,
        })),
      },
    };
    new KubernetesCluster(config.name, {
      ...commonArgs(config),
      zones: config.zones,
      kubernetes: config.kubernetes,
      network: networkOutputs(config.zones),
    });
    await settle();
    const after = (one(mocks, AZ.cluster).inputs as any).agentPoolProfiles;
    expect(after).toEqual(before);
    // The edits did reach the cluster and the separate pools.
    expect((one(mocks, AZ.cluster).inputs as any).kubernetesVersion).toBe("1.35");
    expect(one(mocks, AZ.pool, `${config.name}-system-pool-1`).inputs.orchestratorVersion).toBe(
      "1.35",
    );
  });

  it("creates each configured pool once per zone, autoscaled by AKS, with the count left to the autoscaler", () => {
    const { mocks, n } = prod;
    const pools = mocks.byType(AZ.pool).filter((p) => p.inputs.mode === "User");
    const [general, spot] = prod.config.kubernetes.nodePools.map((p) =>
      poolInputsHash(userPoolFixed(p)),
    );
    expect(pools.map((p) => p.inputs.agentPoolName).sort()).toEqual(
      [1, 2, 3].map((z) => `general${general}${z}`).concat([1, 2, 3].map((z) => `spot${spot}${z}`)),
    );
    prod.config.zones.forEach((zone, z) => {
      const pool = one(mocks, AZ.pool, `${n}-general-${z}`);
      expect(pool.inputs).toMatchObject({
        resourceName: n,
        mode: "User",
        availabilityZones: [zone],
        vmSize: "Standard_D4ds_v5",
        enableAutoScaling: true,
        minCount: 1,
        maxCount: 5,
        count: 2,
        enableEncryptionAtHost: true,
        osDiskType: "Managed",
        osDiskSizeGB: 100,
        // Each zone's pool on that zone's node subnet (and so behind that zone's NAT gateway).
        vnetSubnetID: SUBNET_ID(`private-${zone}`),
        scaleSetPriority: "Regular",
        upgradeSettings: { maxSurge: "33%" },
        nodeLabels: { workload: "general" },
        nodeTaints: [],
        networkProfile: { applicationSecurityGroups: [`${n}-nodes-asg-id`] },
      });
      expect(pool.options.ignoreChanges).toEqual(["count"]);
      // Replaced (a new name) only when an input AKS cannot update changes: created first.
      expect(pool.options.deleteBeforeReplace).toBeFalsy();
    });
  });

  it("names every separate pool by the hash of its own replace-on-change inputs", () => {
    const pools = prod.mocks.byType(AZ.pool);
    expect(pools).toHaveLength(8);
    for (const p of pools) {
      const name = String(p.inputs.agentPoolName);
      expect(name).toMatch(/^[a-z][a-z0-9]{0,11}$/);
      expect(name.slice(-5, -1)).toBe(poolInputsHash(p.inputs));
      expect(name.slice(-1)).toBe((p.inputs.availabilityZones as string[])[0]);
    }
  });

  it("on a VM-size or disk edit creates new pools beside the old ones and leaves the system pools alone", async () => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const base = configFor("prod");
    const config: PlatformConfig = {
      ...base,
      kubernetes: {
        ...base.kubernetes,
        nodePools: base.kubernetes.nodePools.map((p, i) =>
          i === 0
            ? { ...p, instanceTypes: ["Standard_E4ds_v5"] }
            : { ...p, diskSizeGb: p.diskSizeGb + 28 },
        ),
      },
    };
    new KubernetesCluster(config.name, {
      ...commonArgs(config),
      zones: config.zones,
      kubernetes: config.kubernetes,
      network: networkOutputs(config.zones),
    });
    await settle();
    const byName = (m: RecordingMocks) =>
      new Map(m.byType(AZ.pool).map((p) => [p.name, p] as [string, RecordedResource]));
    const before = byName(prod.mocks);
    const after = byName(mocks);
    // The same logical pools (no alias needed), each under a new AKS name, created before the
    // old one is deleted (Pulumi's default), so every zone keeps its capacity meanwhile.
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const user = [...after.values()].filter((p) => p.inputs.mode === "User");
    expect(user).toHaveLength(6);
    for (const p of user) {
      expect(p.inputs.agentPoolName).not.toBe(before.get(p.name)!.inputs.agentPoolName);
      expect(p.options.deleteBeforeReplace).toBeFalsy();
    }
    expect(one(mocks, AZ.pool, `${config.name}-general-1`).inputs.vmSize).toBe("Standard_E4ds_v5");
    // The system pools do not follow the user pools: same inputs, same names, nothing replaced.
    for (const p of [...after.values()].filter((r) => r.inputs.mode === "System"))
      expect(p.inputs).toEqual(before.get(p.name)!.inputs);
    expect(aks(mocks).agentPoolProfiles).toEqual(aks(prod.mocks).agentPoolProfiles);
  });

  it("makes spot pools evictable spot scale sets with their taints and labels", () => {
    const spot = one(prod.mocks, AZ.pool, `${prod.n}-spot-1`);
    expect(spot.inputs).toMatchObject({
      agentPoolName: `spot${poolInputsHash(userPoolFixed(prod.config.kubernetes.nodePools[1]))}2`,
      scaleSetPriority: "Spot",
      scaleSetEvictionPolicy: "Delete",
      spotMaxPrice: -1,
      minCount: 0,
      maxCount: 10,
      vmSize: "Standard_D8ds_v5",
      // AKS's own spot label and taint too: without them a refresh shows them and the next `up`
      // tries to remove them.
      nodeLabels: { capacity: "spot", "kubernetes.azure.com/scalesetpriority": "spot" },
      nodeTaints: [
        "capacity=spot:NoSchedule",
        "kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
      ],
    });
    expect(spot.inputs).not.toHaveProperty("upgradeSettings");
  });

  it("keeps control-plane logs in Log Analytics for the configured days", () => {
    const { mocks, n } = prod;
    expect(one(mocks, AZ.workspace).inputs).toMatchObject({
      retentionInDays: 90,
      sku: { name: "PerGB2018" },
    });
    expect(one(mocks, AZ.workspace).options.protect).toBe(true);
    const diagnostics = one(mocks, AZ.diagnostics);
    expect(diagnostics.inputs).toMatchObject({
      resourceUri: `${n}-cluster-id`,
      workspaceId: `${n}-logs-id`,
    });
    expect((diagnostics.inputs.logs as any[]).map((l) => l.category)).toEqual(
      CONTROL_PLANE_LOG_CATEGORIES,
    );
    expect(CONTROL_PLANE_LOG_CATEGORIES).toContain("kube-audit-admin");
  });

  it("makes only the listed identity cluster admin, never the deploying identity implicitly", () => {
    const { mocks, n } = prod;
    expect(grant(mocks, `${n}-admin-0`).inputs).toEqual({
      principalId: CI_ADMIN.principalId,
      principalType: "ServicePrincipal",
      scope: `${n}-cluster-id`,
      roleDefinitionId: roleDefinition(ROLES.aksRbacClusterAdmin),
    });
    const admins = mocks
      .byType(AZ.role)
      .filter((r) => r.inputs.roleDefinitionId === roleDefinition(ROLES.aksRbacClusterAdmin));
    expect(admins.map((r) => r.name)).toEqual([`${n}-admin-0`]);
    // getClientConfig cannot tell the deployer's principal type, so it gets no assignment.
    expect(
      mocks.byType(AZ.role).filter((r) => r.inputs.principalId === MOCK_AZURE_OBJECT_ID),
    ).toEqual([]);
    expect(mocks.byType(AZ.role, `${n}-deployer-cluster-admin`)).toEqual([]);
  });

  it("makes each listed Entra object id cluster admin on this cluster, with its kind", async () => {
    const admins = [
      {
        entry: "group:0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0",
        principalId: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        principalType: "Group",
      },
      {
        entry: "user:11111111-2222-4333-8444-555555555555",
        principalId: "11111111-2222-4333-8444-555555555555",
        principalType: "User",
      },
      {
        entry: "servicePrincipal:66666666-7777-4888-9999-aaaaaaaaaaaa",
        principalId: "66666666-7777-4888-9999-aaaaaaaaaaaa",
        principalType: "ServicePrincipal",
      },
    ];
    const { mocks, n } = await build("prod", { adminPrincipals: admins.map((a) => a.entry) });
    admins.forEach(({ principalId, principalType }, i) => {
      // The kind is passed on: ARM refuses an assignment whose principal type does not match.
      expect(grant(mocks, `${n}-admin-${i}`).inputs).toEqual({
        principalId,
        principalType,
        scope: `${n}-cluster-id`,
        roleDefinitionId: roleDefinition(ROLES.aksRbacClusterAdmin),
      });
    });
    expect(
      mocks
        .byType(AZ.role)
        .filter((r) => r.inputs.roleDefinitionId === roleDefinition(ROLES.aksRbacClusterAdmin)),
    ).toHaveLength(3);
    expect(mocks.byType(AZ.role, `${n}-deployer-cluster-admin`)).toEqual([]);
  });

  it("hands out the kubeconfig only after every agent pool and admin grant exists", async () => {
    const { mocks, cluster } = await build();
    const behind = await resourcesBehind(cluster.outputs.kubeconfig);
    const pools = mocks.byType(AZ.pool).map((r) => r.urn);
    const admins = mocks
      .byType(AZ.role)
      .filter((r) => /-admin-\d+$/.test(r.name))
      .map((r) => r.urn);
    expect(pools.length).toBeGreaterThan(2);
    expect(admins.length).toBeGreaterThan(0);
    for (const urn of [...pools, ...admins]) expect(behind).toContain(urn);
  });

  it("hands out a secret kubeconfig that gets Entra ID tokens through kubelogin", async () => {
    const { cluster } = prod;
    expect(await isSecret(cluster.outputs.kubeconfig)).toBe(true);
    const config = JSON.parse(await valueOf(cluster.outputs.kubeconfig));
    const endpoint = await valueOf(cluster.outputs.endpoint);
    // The public FQDN (resolves from the office to the private IP), not AKS's privatelink name
    // (resolves only inside the VNet), which the mocked credentials carry.
    expect(endpoint).toMatch(
      /^https:\/\/officeless-prod-[0-9a-f]+\.hcp\.westeurope\.azmk8s\.io:443$/,
    );
    expect(endpoint).not.toContain("privatelink");
    expect(config.clusters[0].cluster).toEqual({
      server: endpoint,
      "certificate-authority-data": await valueOf(cluster.outputs.certificateAuthority),
    });
    expect(config.users[0].user.exec).toMatchObject({
      command: "kubelogin",
      args: ["get-token", "--login", "azurecli", "--server-id", AKS_SERVER_APP_ID],
    });
    expect(AKS_SERVER_APP_ID).toBe("6dae42f8-4368-4678-94ff-3960e28e3630");
  });

  it("exports the cluster's ARM id, identities, OIDC issuer and key", async () => {
    const { cluster, mocks, n } = prod;
    const out = cluster.outputs;
    expect(await valueOf(out.clusterId)).toBe(
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/${n}-rg/providers/Microsoft.ContainerService/managedClusters/${n}`,
    );
    expect(await valueOf(out.clusterName)).toBe(n);
    expect(await valueOf(out.nodeSecurityGroupId)).toBe(`${n}-nodes-asg-id`);
    expect(await valueOf(out.clusterSecurityGroupId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await valueOf(out.nodeIdentity)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await valueOf(out.oidcIssuerUrl)).toMatch(
      /^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\//,
    );
    expect(await valueOf(out.encryptionKeyId)).toMatch(/\.vault\.azure\.net\/keys\/encryption$/);
    expect(await valueOf(out.nodePoolNames)).toEqual(["general", "spot"]);
    expect(grant(mocks, `${n}-cluster-kms`).inputs.principalId).toBe(
      await valueOf(out.clusterSecurityGroupId),
    );
  });

  it("refuses a public allow-list before creating anything: the endpoint is always private", async () => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const config = configFor("prod", {
      endpoint: { publicAccessCidrs: ["203.0.113.0/24"], privateAccessCidrs: [] },
    });
    expect(
      () =>
        new KubernetesCluster(config.name, {
          ...commonArgs(config),
          zones: config.zones,
          kubernetes: config.kubernetes,
          network: networkOutputs(config.zones),
        }),
    ).toThrow(
      /kubernetes\.endpoint\.publicAccessCidrs = \["203\.0\.113\.0\/24"\]: must be empty on Azure/,
    );
    await settle();
    expect(mocks.byType(AZ.cluster)).toEqual([]);
  });

  it("protects nothing outside prod and sizes the system pool down", async () => {
    const { mocks } = await build("dev");
    expect(mocks.resources.filter((r) => r.options.protect)).toEqual([]);
    // A destroyed dev vault (purge-protected) is gone after the minimum 7 days, not 90.
    expect((one(mocks, AZ.vault).inputs.properties as any).softDeleteRetentionInDays).toBe(7);
    expect((one(mocks, AZ.vault).inputs.properties as any).enablePurgeProtection).toBe(true);
    // Fixed at creation: a vault made with another retention keeps it rather than failing an update.
    expect(one(mocks, AZ.vault).options.ignoreChanges).toEqual([
      "properties.softDeleteRetentionInDays",
    ]);
    // One system pool over the zones outside prod, on the first zone's subnet.
    expect(aks(mocks).agentPoolProfiles).toEqual([
      expect.objectContaining({
        name: "system",
        availabilityZones: ["1", "2"],
        vnetSubnetID: SUBNET_ID("private-1"),
        minCount: 1,
        maxCount: 3,
      }),
    ]);
    expect(mocks.byType(AZ.pool)).toHaveLength(4);
    expect(mocks.byType(AZ.pool).every((p) => p.inputs.mode === "User")).toBe(true);
  });

  it("names AKS pools from the config and refuses names that collide", () => {
    expect(agentPoolName("general", "2", "ab12")).toBe("generalab122");
    // 12 characters at most: 7 of the name, 4 of the hash, the zone.
    expect(agentPoolName("memory-optimized-x", "1", "ab12")).toBe("memoryoab121");
    const pool = azureConfig().kubernetes.nodePools[0];
    // Pools are told apart by their leading part, whatever their inputs (the hash changes).
    const issues = poolNameIssues(
      [
        { ...pool, name: "memory-optimized-a" },
        { ...pool, name: "memory-o-b", instanceTypes: ["Standard_E4ds_v5"] },
      ],
      ["1"],
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: "kubernetes.nodePools[1].name",
        message: expect.stringMatching(/starts like kubernetes\.nodePools\[0\]'s/),
      }),
    ]);
    expect(poolNameIssues([{ ...pool, name: "general" }], ["1", "2", "3"])).toEqual([]);
    // The system pools' leading part is taken, in every environment.
    expect(poolNameIssues([{ ...pool, name: "system" }], ["1"])).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/system pools/) }),
    ]);
    expect(poolNameIssues([{ ...pool, name: "system" }], [""])).toHaveLength(1);
    // A hash is 4 lowercase letters or digits and follows every fixed input.
    const fixed = userPoolFixed(pool);
    expect(poolInputsHash(fixed)).toMatch(/^[a-z0-9]{4}$/);
    for (const change of [
      { vmSize: "Standard_E4ds_v5" },
      { osDiskSizeGB: 256 },
      { scaleSetPriority: "Spot" },
    ])
      expect(poolInputsHash({ ...fixed, ...change })).not.toBe(poolInputsHash(fixed));
    // Inputs AKS updates in place (counts, labels, version) are not in it.
    expect(poolInputsHash({ ...fixed, minCount: 3, orchestratorVersion: "1.35" } as never)).toBe(
      poolInputsHash(fixed),
    );
    expect(nodeTaint({ key: "dedicated", effect: "NoExecute" })).toBe("dedicated:NoExecute");
  });

  it("refuses admins that are not Entra object ids and a log retention Log Analytics cannot keep, before creating anything", async () => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const config = configFor("prod");
    const make = (k8s: Partial<KubernetesConfig>) => () =>
      new KubernetesCluster("k", {
        ...commonArgs(config),
        zones: config.zones,
        kubernetes: { ...config.kubernetes, ...k8s },
        network: networkOutputs(config.zones),
      });
    expect(make({ adminPrincipals: ["arn:aws:iam::123456789012:role/admin"] })).toThrow(
      /kubernetes\.adminPrincipals\[0\] = "arn:aws:iam::123456789012:role\/admin": must be an Entra ID object id with its kind, user:<object id>, group:<object id> or servicePrincipal:<object id>/,
    );
    // A bare object id lacks the kind the role assignment needs; an email is not an object id.
    expect(
      make({
        adminPrincipals: [
          "group:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
          "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        ],
      }),
    ).toThrow(/adminPrincipals\[1\] = "0f1e2d3c/);
    expect(make({ adminPrincipals: ["user:admins@example.com"] })).toThrow(
      /adminPrincipals\[0\] = "user:admins@example\.com"/,
    );
    expect(make({ logRetentionDays: 7 })).toThrow(
      /logRetentionDays = 7: Log Analytics keeps 30-730 days/,
    );
    // No admin at all: the key, why, and an example to copy.
    expect(make({ adminPrincipals: [] })).toThrow(
      /args\.kubernetes\.adminPrincipals = \[\]: needs at least one entry on Azure.*not added implicitly.*servicePrincipal:<object id of your CI identity>/,
    );
    expect(make({ endpoint: { ...config.kubernetes.endpoint, dnsAccess: true } })).toThrow(
      /args\.kubernetes\.endpoint\.dnsAccess = true: is GKE-only/,
    );
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });
});

describe("Azure kubernetes: the EncryptionAtHost subscription feature", () => {
  const FEATURE_TOKEN = "azure-native:features:getSubscriptionFeatureRegistration";

  it("is checked before any Azure resource: nothing is created until the check answers", async () => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const asked: Record<string, unknown>[] = [];
    let answer: (state: string) => void = () => undefined;
    const pending = new Promise<string>((resolve) => (answer = resolve));
    const call = mocks.call.bind(mocks);
    mocks.call = (args) => {
      if (args.token !== FEATURE_TOKEN) return call(args);
      asked.push(args.inputs);
      return pending.then((state) => ({ properties: { state } }));
    };
    const config = configFor("prod");
    const cluster = new KubernetesCluster(config.name, {
      ...commonArgs(config),
      zones: config.zones,
      kubernetes: config.kubernetes,
      network: networkOutputs(config.zones),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(asked).toEqual([
      { providerNamespace: "Microsoft.Compute", featureName: "EncryptionAtHost" },
    ]);
    const azure = () => mocks.resources.filter((r) => r.type.startsWith("azure-native:"));
    expect(azure()).toEqual([]);
    answer("Registered");
    await valueOf(cluster.outputs.kubeconfig);
    await settle();
    expect(azure().length).toBeGreaterThan(10);
    expect(one(mocks, AZ.rg).inputs.resourceGroupName).toBe(`${config.name}-rg`);
  });

  it.each([
    ["NotRegistered", { properties: { state: "NotRegistered" } }, /is NotRegistered/],
    ["Registering", { properties: { state: "Registering" } }, /is Registering/],
    [
      "never registered (404)",
      new Error("SubscriptionFeatureRegistrationNotFound"),
      /could not be read/,
    ],
  ])("fails with the commands that fix it when %s", async (_label, reply, why) => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const call = mocks.call.bind(mocks);
    mocks.call = (args) => {
      if (args.token !== FEATURE_TOKEN) return call(args);
      if (reply instanceof Error) throw reply;
      return reply;
    };
    const parent = new pulumi.ComponentResource("test:index:Parent", "feature-check");
    const scope: Scope = { name: "x", parent, tags: {}, protect: false };
    const { state, cause } = await readFeature(scope, ENCRYPTION_AT_HOST);
    const issue = featureIssue(ENCRYPTION_AT_HOST, state, cause);
    expect(issue).toMatch(why);
    expect(issue).toContain(
      "az feature register --namespace Microsoft.Compute --name EncryptionAtHost",
    );
    expect(issue).toContain("az provider register --namespace Microsoft.Compute");
  });

  it("says nothing once the feature is Registered", () => {
    expect(featureIssue(ENCRYPTION_AT_HOST, "Registered")).toBeUndefined();
    expect(featureIssue(ENCRYPTION_AT_HOST, "Pending")).toMatch(
      /Microsoft\.Compute\/EncryptionAtHost.*is Pending/,
    );
  });
});
