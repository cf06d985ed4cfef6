/** Azure network: VNet, node subnets per zone, regional public/database subnets, NSGs, zonal NAT, flow logs. */
import { planSubnets } from "../components/cidr";
import { Network } from "../components/network";
import * as pulumi from "@pulumi/pulumi";
import { NetworkConfig, PlatformConfig, Scope } from "../components/types";
import { ROLES } from "../providers/azure/common";
import {
  DATA_TIER_PORTS,
  gatewaySubnetCidr,
  GATEWAY_SUBNET_NAME,
  readNetworkWatcher,
} from "../providers/azure/network";
import { AZ, azureConfig, commonArgs, roleDefinition, SUBSCRIPTION } from "./azureFixtures";
import { mockPulumi, one, RecordingMocks, settle, valueOf } from "./harness";

async function build(environment: "dev" | "prod", network: Partial<NetworkConfig> = {}) {
  const mocks = await mockPulumi({ region: "westeurope" });
  const base = azureConfig(environment);
  const config: PlatformConfig = { ...base, network: { ...base.network, ...network } };
  const n = `${config.name}-network`;
  const component = new Network(n, {
    ...commonArgs(config),
    zones: config.zones,
    network: config.network,
  });
  const outputs = {
    networkId: await valueOf(component.outputs.networkId),
    publicSubnetIds: await valueOf(component.outputs.publicSubnetIds),
    privateSubnetIds: await valueOf(component.outputs.privateSubnetIds),
    databaseSubnetIds: await valueOf(component.outputs.databaseSubnetIds),
    privateRouteTableIds: await valueOf(component.outputs.privateRouteTableIds),
    natPublicIps: await valueOf(component.outputs.natPublicIps),
  };
  await settle();
  return { mocks, config, n, outputs };
}

const rules = (mocks: RecordingMocks, name: string) =>
  one(mocks, AZ.nsg, name).inputs.securityRules as any[];

describe("Azure network", () => {
  it("puts everything in the layer's own resource group, tagged, in the stack's region", async () => {
    const { mocks, n } = await build("prod");
    const rg = one(mocks, AZ.rg);
    expect(rg.name).toBe(`${n}-rg`);
    expect(rg.inputs).toMatchObject({
      resourceGroupName: `${n}-rg`,
      location: "westeurope",
      tags: { team: "platform", environment: "prod", layer: "network", "managed-by": "officeless" },
    });
    expect(one(mocks, AZ.vnet).inputs).toMatchObject({
      resourceGroupName: `${n}-rg`,
      location: "westeurope",
      addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
    });
  });

  it("carves a node subnet per zone and one regional public and database subnet from planSubnets", async () => {
    const { mocks, config, n } = await build("prod");
    // The layout every cloud validates: one block per zone per tier.
    const plan = planSubnets(config.network.cidr, 3, {
      publicPrefix: 24,
      privatePrefix: 19,
      databasePrefix: 24,
    });
    const expected: [string, string, string][] = [
      ["public", "public", plan.public[0]],
      ["database", "database", plan.database[0]],
      ...config.zones.map((z, i): [string, string, string] => [
        "private",
        `private-${z}`,
        plan.private[i],
      ]),
    ];
    for (const [tier, name, cidr] of expected) {
      const subnet = one(mocks, AZ.subnet, `${n}-${name}`);
      expect(subnet.inputs).toMatchObject({
        subnetName: name,
        virtualNetworkName: `${n}-vnet`,
        addressPrefix: cidr,
        networkSecurityGroup: { id: `${n}-${tier}-nsg-id` },
        defaultOutboundAccess: false,
        privateEndpointNetworkPolicies: "Enabled",
      });
    }
    expect(mocks.byType(AZ.subnet)).toHaveLength(5);
  });

  it("perZone: each zone's node subnet leaves through its own zonal NAT gateway and zonal IP", async () => {
    const { mocks, n, outputs } = await build("prod");
    expect(mocks.byType(AZ.nat)).toHaveLength(3);
    expect(mocks.byType(AZ.pip)).toHaveLength(3);
    for (const zone of ["1", "2", "3"]) {
      expect(one(mocks, AZ.pip, `${n}-nat-ip-${zone}`).inputs).toMatchObject({
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        zones: [zone],
      });
      expect(one(mocks, AZ.nat, `${n}-nat-${zone}`).inputs).toMatchObject({
        sku: { name: "Standard" },
        zones: [zone],
        publicIpAddresses: [{ id: `${n}-nat-ip-${zone}-id` }],
      });
      expect(one(mocks, AZ.subnet, `${n}-private-${zone}`).inputs.natGateway).toEqual({
        id: `${n}-nat-${zone}-id`,
      });
    }
    // No gateway serves two zones: a zone's loss takes only its own egress.
    const used = mocks.byType(AZ.subnet).map((s) => (s.inputs.natGateway as any)?.id);
    expect(new Set(used.filter(Boolean)).size).toBe(3);
    expect(outputs.natPublicIps).toHaveLength(3);
    expect(outputs.natPublicIps.every((ip) => /^203\.0\.113\.\d+$/.test(ip))).toBe(true);
  });

  it("routes only node subnets through NAT, and writes subnets one at a time", async () => {
    const { mocks, n } = await build("prod");
    expect(one(mocks, AZ.subnet, `${n}-public`).inputs.natGateway).toBeUndefined();
    expect(one(mocks, AZ.subnet, `${n}-database`).inputs.natGateway).toBeUndefined();
    const order = ["public", "private-1", "private-2", "private-3", "database"];
    order.slice(1).forEach((name, i) => {
      expect(one(mocks, AZ.subnet, `${n}-${name}`).options.dependsOn).toContain(
        one(mocks, AZ.subnet, `${n}-${order[i]}`).urn,
      );
    });
  });

  it("single: one gateway with one zone-redundant IP for every node subnet, the same subnets", async () => {
    const { mocks, n, outputs } = await build("dev");
    expect(mocks.byType(AZ.pip)).toHaveLength(1);
    expect(one(mocks, AZ.pip, `${n}-nat-ip-0`).inputs.zones).toEqual(["1", "2", "3"]);
    expect(one(mocks, AZ.nat, `${n}-nat`).inputs.zones).toBeUndefined();
    for (const zone of ["1", "2"])
      expect(one(mocks, AZ.subnet, `${n}-private-${zone}`).inputs.natGateway).toEqual({
        id: `${n}-nat-id`,
      });
    expect(outputs.privateSubnetIds).toEqual([`${n}-private-1-id`, `${n}-private-2-id`]);
  });

  it("keeps the subnet layout when natGateways changes (only the NAT association moves)", async () => {
    const single = await build("dev");
    const perZone = await build("dev", { natGateways: "perZone" });
    expect(single.config.network.natGateways).toBe("single");
    const layout = (mocks: RecordingMocks) =>
      mocks
        .byType(AZ.subnet)
        .map((s) => [s.name, s.inputs.subnetName, s.inputs.addressPrefix])
        .sort();
    expect(layout(single.mocks)).toEqual(layout(perZone.mocks));
  });

  it("admits only the node subnet to the database tier, on the data ports, and lets nothing out", async () => {
    const { mocks, config, n } = await build("prod");
    const nodes = planSubnets(config.network.cidr, 3, {
      publicPrefix: 24,
      privatePrefix: 19,
      databasePrefix: 24,
    }).private;
    expect(rules(mocks, `${n}-database-nsg`)).toEqual([
      expect.objectContaining({
        name: "allow-nodes-data-in",
        direction: "Inbound",
        access: "Allow",
        priority: 100,
        sourceAddressPrefixes: nodes,
        destinationPortRanges: DATA_TIER_PORTS,
      }),
      expect.objectContaining({
        name: "deny-vnet-in",
        direction: "Inbound",
        access: "Deny",
        sourceAddressPrefix: "VirtualNetwork",
        protocol: "*",
      }),
      expect.objectContaining({
        name: "deny-internet-out",
        direction: "Outbound",
        access: "Deny",
        destinationAddressPrefix: "Internet",
      }),
    ]);
    expect(DATA_TIER_PORTS).toEqual(["443", "2049", "10000"]);
  });

  it("opens the public tier to web traffic only and leaves the node tier on Azure's deny-internet default", async () => {
    const { mocks, n } = await build("prod");
    expect(rules(mocks, `${n}-public-nsg`)).toEqual([
      expect.objectContaining({
        access: "Allow",
        direction: "Inbound",
        sourceAddressPrefix: "Internet",
        protocol: "Tcp",
        destinationPortRanges: ["80", "443"],
      }),
    ]);
    expect(rules(mocks, `${n}-private-nsg`)).toEqual([]);
  });

  it("writes VNet flow logs through their own identity to a keyless, firewalled account, protected in prod", async () => {
    const { mocks, config, n } = await build("prod");
    const account = one(mocks, AZ.account, `${n}-flow-logs`);
    expect(account.inputs).toMatchObject({
      kind: "StorageV2",
      sku: { name: "Standard_ZRS" },
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      minimumTlsVersion: "TLS1_2",
      networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
    });
    expect(account.inputs.accountName).toMatch(/^[a-z0-9]{3,24}$/);
    expect(account.options.protect).toBe(true);
    const grant = one(mocks, AZ.role, `${n}-flow-logs-writer`);
    expect(grant.inputs).toMatchObject({
      scope: `${n}-flow-logs-id`,
      principalType: "ServicePrincipal",
      roleDefinitionId: roleDefinition(ROLES.storageBlobDataContributor),
    });
    const flowLog = one(mocks, AZ.flowLog);
    expect(flowLog.inputs).toMatchObject({
      resourceGroupName: "NetworkWatcherRG",
      networkWatcherName: "NetworkWatcher_westeurope",
      targetResourceId: `${n}-vnet-id`,
      storageId: `${n}-flow-logs-id`,
      enabled: true,
      format: { type: "JSON", version: 2 },
      retentionPolicy: { enabled: true, days: config.network.flowLogRetentionDays },
      identity: { type: "UserAssigned", userAssignedIdentities: [`${n}-flow-logs-identity-id`] },
    });
    expect(flowLog.options.dependsOn).toContain(grant.urn);
  });

  it("leaves the flow-log account unprotected outside prod", async () => {
    const { mocks, n } = await build("dev");
    expect(one(mocks, AZ.account, `${n}-flow-logs`).options.protect).toBe(false);
    expect(one(mocks, AZ.account, `${n}-flow-logs`).inputs.sku).toEqual({ name: "Standard_LRS" });
  });

  it("exports the VNet's ARM id, node subnets in zone order, one subnet per other tier, no route tables", async () => {
    const { n, outputs } = await build("prod");
    expect(outputs.networkId).toBe(
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/${n}-rg/providers/Microsoft.Network/virtualNetworks/${n}-vnet`,
    );
    expect(outputs.publicSubnetIds).toEqual([`${n}-public-id`]);
    expect(outputs.privateSubnetIds).toEqual([1, 2, 3].map((z) => `${n}-private-${z}-id`));
    expect(outputs.databaseSubnetIds).toEqual([`${n}-database-id`]);
    expect(outputs.privateRouteTableIds).toEqual([]);
  });

  it("builds no database subnet or NSG when the tier is off", async () => {
    const { mocks, n, outputs } = await build("prod", { databaseSubnetPrefix: 0 });
    expect(
      mocks
        .byType(AZ.subnet)
        .map((s) => s.name)
        .sort(),
    ).toEqual([`${n}-private-1`, `${n}-private-2`, `${n}-private-3`, `${n}-public`]);
    expect(mocks.byType(AZ.nsg, `${n}-database-nsg`)).toHaveLength(0);
    expect(outputs.databaseSubnetIds).toEqual([]);
  });

  it("reserves the last /27 for the VPN GatewaySubnet", () => {
    expect(GATEWAY_SUBNET_NAME).toBe("GatewaySubnet");
    expect(gatewaySubnetCidr("10.30.0.0/16")).toBe("10.30.255.224/27");
    expect(gatewaySubnetCidr("10.1.2.0/24")).toBe("10.1.2.224/27");
  });

  it("refuses a network whose tiers leave no room for the GatewaySubnet", async () => {
    await mockPulumi({ region: "westeurope" });
    const config = azureConfig("dev");
    const network = {
      ...config.network,
      cidr: "10.30.0.0/24",
      privateSubnetPrefix: 25,
      publicSubnetPrefix: 26,
      databaseSubnetPrefix: 26,
    };
    expect(() => new Network("net", { ...commonArgs(config), zones: ["1"], network })).toThrow(
      /GatewaySubnet 10\.30\.0\.224\/27/,
    );
    await settle();
  });

  it("refuses a flow-log retention Azure cannot keep", async () => {
    await mockPulumi({ region: "westeurope" });
    const config = azureConfig("prod");
    const network = { ...config.network, flowLogRetentionDays: 400 };
    expect(
      () => new Network("net", { ...commonArgs(config), zones: config.zones, network }),
    ).toThrow(/flowLogRetentionDays = 400.*1-365/);
    await settle();
  });

  it("keeps logical names stable", async () => {
    const { mocks, n } = await build("prod");
    const names = mocks.resources
      .filter((r) => r.custom)
      .map((r) => r.name)
      .sort();
    expect(names).toEqual(
      [
        "rg",
        "vnet",
        "nat-1",
        "nat-2",
        "nat-3",
        "nat-ip-1",
        "nat-ip-2",
        "nat-ip-3",
        "public-nsg",
        "private-nsg",
        "database-nsg",
        "public",
        "private-1",
        "private-2",
        "private-3",
        "database",
        "suffix",
        "flow-logs",
        "flow-logs-identity",
        "flow-logs-writer",
        "flow-log",
      ]
        .map((r) => `${n}-${r}`)
        .sort(),
    );
  });

  it("stops with the commands that create the Network Watcher when the region has none", async () => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const call = mocks.call.bind(mocks);
    let reads = 0;
    mocks.call = (args) => {
      if (args.token !== "azure-native:network:getNetworkWatcher") return call(args);
      reads++;
      throw new Error(
        "ResourceGroupNotFound: Resource group 'NetworkWatcherRG' could not be found.",
      );
    };
    const parent = new pulumi.ComponentResource("test:index:Parent", "watcher-check");
    const scope: Scope = { name: "x", parent, tags: {}, protect: false };
    const read = readNetworkWatcher(scope, "westeurope", { attempts: 3, delayMs: 0 });
    await expect(read).rejects.toThrow(
      /the Network Watcher NetworkWatcherRG\/NetworkWatcher_westeurope, which could not be read/,
    );
    await expect(read).rejects.toThrow(
      "az network watcher configure --resource-group NetworkWatcherRG --locations westeurope --enabled true",
    );
    // Automatic enablement follows the VNet: the read is retried before giving up.
    expect(reads).toBe(3);
  });
});
