/**
 * Azure network layer: a resource group, a VNet with a node subnet per zone and one regional
 * subnet for each other tier (Azure subnets span every zone), NAT egress for the node subnets (a
 * zonal NAT gateway per zone with `perZone`, one shared with `single`), an NSG on every subnet,
 * and VNet flow logs written by their own identity to a locked-down storage account.
 */
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import {
  cidrsOverlap,
  formatCidr,
  parseCidr,
  planSubnets,
  SubnetPlan,
} from "../../components/cidr";
import type { NetworkArgs, NetworkOutputs } from "../../components/network";
import { Scope } from "../../components/types";
import { Issue } from "../../components/validation";
import { azureConfigIssues } from "./catalog";
import {
  azureClient,
  formatArmId,
  nameSuffix,
  resourceGroup,
  roleAssignment,
  throwIfIssues,
  uniqueName,
} from "./common";

type Tier = "public" | "private" | "database";

/** Azure's own name for the subnet a virtual network gateway lives in; no other name works. */
export const GATEWAY_SUBNET_NAME = "GatewaySubnet";
/** The GatewaySubnet's size: /27 is the smallest Azure recommends for VPN gateways. */
export const GATEWAY_SUBNET_PREFIX = 27;

/** Zones of a zone-redundant public IP: it survives the loss of any one zone. */
export const ZONE_REDUNDANT = ["1", "2", "3"];

/** Ports the database tier (private endpoints) answers on: HTTPS (blob, file REST), NFS, Azure Managed Redis. */
export const DATA_TIER_PORTS = ["443", "2049", "10000"];

/**
 * The GatewaySubnet's CIDR: the last /27 of the network. The tiers are packed from the bottom of
 * the range (components/cidr.ts), so the top stays free; the network layer checks and reserves it
 * and the VPN layer carves it, both from the network CIDR alone.
 */
export function gatewaySubnetCidr(networkCidr: string): string {
  const range = parseCidr(networkCidr);
  if (!range) throw new Error(`"${networkCidr}" is not an IPv4 CIDR`);
  const size = 2 ** (32 - GATEWAY_SUBNET_PREFIX);
  return formatCidr(range.start + range.size - size, GATEWAY_SUBNET_PREFIX);
}

/**
 * The subnets, from the same `planSubnets` layout every cloud validates (one block per zone per
 * tier). The node tier takes one subnet per zone: a NAT gateway is zonal and a subnet takes only
 * one, so zone-resilient egress needs each zone's nodes on their own subnet behind their own
 * gateway. Public and database tiers need no NAT and stay regional: the first zone's block each
 * (the others stay free). The layout does not depend on `natGateways`, so changing it only
 * re-associates subnets.
 */
export function azureSubnetPlan(args: Pick<NetworkArgs, "network" | "zones">): SubnetPlan {
  const plan = planSubnets(args.network.cidr, args.zones.length, {
    publicPrefix: args.network.publicSubnetPrefix,
    privatePrefix: args.network.privateSubnetPrefix,
    databasePrefix: args.network.databaseSubnetPrefix,
  });
  return {
    public: plan.public.slice(0, 1),
    private: plan.private,
    database: plan.database.slice(0, 1),
  };
}

/** The Azure name of a subnet: the tier, and for the per-zone node tier the zone too (`private-2`). */
export function subnetName(tier: Tier, zone?: string): string {
  return zone === undefined ? tier : `${tier}-${zone}`;
}

function planIssues(args: NetworkArgs, plan: SubnetPlan): Issue[] {
  const gateway = gatewaySubnetCidr(args.network.cidr);
  const clash = [...plan.public, ...plan.private, ...plan.database].find((cidr) =>
    cidrsOverlap(cidr, gateway),
  );
  return clash
    ? [
        {
          path: "network.cidr",
          value: args.network.cidr,
          message: `leaves no room for the VPN GatewaySubnet ${gateway} (the tier ${clash} overlaps it); use a larger network or longer subnet prefixes`,
        },
      ]
    : [];
}

interface Rule {
  readonly name: string;
  readonly priority: number;
  readonly direction: "Inbound" | "Outbound";
  readonly access: "Allow" | "Deny";
  readonly protocol: "Tcp" | "*";
  /** One address prefix or service tag, or a list of prefixes. */
  readonly source: string | string[];
  readonly destination: string;
  readonly ports: string[];
}

/**
 * NSG rules per tier on top of Azure's defaults (allow VNet and load-balancer probes in, deny the
 * internet in; allow outbound). Public: web traffic from the internet for load balancers placed
 * there. Private (nodes): Azure's defaults already deny the internet. Database (private
 * endpoints): only the node subnet, only on the data ports; nothing else from the VNet, and no
 * way out to the internet.
 */
export function tierRules(tier: Tier, plan: SubnetPlan): Rule[] {
  switch (tier) {
    case "public":
      return [
        {
          name: "allow-web-in",
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          source: "Internet",
          destination: "*",
          ports: ["80", "443"],
        },
      ];
    case "private":
      return [];
    case "database":
      return [
        {
          name: "allow-nodes-data-in",
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          // Every zone's node subnet.
          source: plan.private,
          destination: "*",
          ports: DATA_TIER_PORTS,
        },
        {
          name: "deny-vnet-in",
          priority: 4000,
          direction: "Inbound",
          access: "Deny",
          protocol: "*",
          source: "VirtualNetwork",
          destination: "*",
          ports: ["*"],
        },
        {
          name: "deny-internet-out",
          priority: 4000,
          direction: "Outbound",
          access: "Deny",
          protocol: "*",
          source: "*",
          destination: "Internet",
          ports: ["*"],
        },
      ];
  }
}

export function azureNetwork(scope: Scope, args: NetworkArgs): NetworkOutputs {
  const plan = azureSubnetPlan(args);
  const zones = [...args.zones];
  throwIfIssues(
    [...planIssues(args, plan), ...azureConfigIssues({ network: args.network })],
    "Invalid Network arguments",
  );
  const opts = { parent: scope.parent };
  const client = azureClient(scope);
  const rg = resourceGroup(scope, args.region);
  const location = args.region;

  const vnetName = `${scope.name}-vnet`;
  const vnet = new network.VirtualNetwork(
    `${scope.name}-vnet`,
    {
      resourceGroupName: rg.name,
      location,
      virtualNetworkName: vnetName,
      addressSpace: { addressPrefixes: [args.network.cidr] },
      // Subnets are their own resources (the VPN layer adds the GatewaySubnet); azure-native keeps
      // subnets it does not manage when this property is left unset.
      tags: scope.tags,
    },
    opts,
  );

  const nat = natGateways(scope, args, rg.name);

  const tiers: Tier[] =
    plan.database.length > 0 ? ["public", "private", "database"] : ["public", "private"];
  const subnets = {} as Record<Tier, network.Subnet[]>;
  // Subnet writes to one VNet conflict when concurrent (AnotherOperationInProgress): chain them.
  let previous: pulumi.Resource = vnet;
  for (const tier of tiers) {
    const nsg = new network.NetworkSecurityGroup(
      `${scope.name}-${tier}-nsg`,
      {
        resourceGroupName: rg.name,
        location,
        networkSecurityGroupName: `${scope.name}-${tier}-nsg`,
        securityRules: tierRules(tier, plan).map((rule) => ({
          name: rule.name,
          priority: rule.priority,
          direction: rule.direction,
          access: rule.access,
          protocol: rule.protocol,
          ...(Array.isArray(rule.source)
            ? { sourceAddressPrefixes: rule.source }
            : { sourceAddressPrefix: rule.source }),
          sourcePortRange: "*",
          destinationAddressPrefix: rule.destination,
          destinationPortRanges: rule.ports,
        })),
        tags: { ...scope.tags, tier },
      },
      opts,
    );
    // The node tier: one subnet per zone, in zone order (privateSubnetIds[i] is zones[i]'s).
    const perZone = tier === "private";
    subnets[tier] = plan[tier].map((cidr, i) => {
      const zone = perZone ? zones[i] : undefined;
      const subnet = new network.Subnet(
        `${scope.name}-${subnetName(tier, zone)}`,
        {
          resourceGroupName: rg.name,
          virtualNetworkName: vnet.name,
          subnetName: subnetName(tier, zone),
          addressPrefix: cidr,
          networkSecurityGroup: { id: nsg.id },
          // Only the node tier reaches the internet, and only through its zone's NAT gateway.
          natGateway: zone === undefined ? undefined : { id: nat.gatewayFor(zone).id },
          defaultOutboundAccess: false,
          // NSG rules apply to private endpoints too (off by default).
          privateEndpointNetworkPolicies: "Enabled",
        },
        { ...opts, dependsOn: [previous] },
      );
      previous = subnet;
      return subnet;
    });
  }

  flowLogs(scope, args, vnet, rg.name);

  const ids = (tier: Tier) =>
    subnets[tier] ? pulumi.all(subnets[tier].map((s) => s.id)) : pulumi.output([] as string[]);
  return {
    // Built from its parts (the same string as vnet.id) so downstream layers read the group and
    // VNet names back from it; it waits for the VNet like vnet.id would.
    networkId: pulumi
      .all([client.subscriptionId, rg.name, vnet.id])
      .apply(([sub, group]) =>
        formatArmId(sub, group, "Microsoft.Network", "virtualNetworks", vnetName),
      ),
    cidr: pulumi.output(args.network.cidr),
    zones: pulumi.output([...args.zones]),
    publicSubnetIds: ids("public"),
    privateSubnetIds: ids("private"),
    databaseSubnetIds: ids("database"),
    // Azure routes by system routes: the VPN gateway's routes reach every subnet without tables.
    privateRouteTableIds: pulumi.output([] as string[]),
    natPublicIps: pulumi.all(nat.ips.map((ip) => ip.ipAddress.apply((a) => a ?? ""))),
  };
}

/**
 * NAT egress for the node subnets. `perZone`: in each zone a zonal NAT gateway with its own zonal
 * public IP, so losing a zone takes only that zone's egress (a Standard NAT gateway lives in one
 * zone; azure-native 3.28 has no zone-redundant StandardV2 SKU). `single`: one gateway (Azure
 * picks its zone) with one zone-redundant IP for every node subnet, the cheap dev setting.
 */
function natGateways(
  scope: Scope,
  args: NetworkArgs,
  resourceGroupName: pulumi.Output<string>,
): { gatewayFor: (zone: string) => network.NatGateway; ips: network.PublicIPAddress[] } {
  const opts = { parent: scope.parent };
  const location = args.region;
  const build = (suffix: string, ipSuffix: string, zones: string[] | undefined) => {
    const ip = new network.PublicIPAddress(
      `${scope.name}-nat-ip${ipSuffix}`,
      {
        resourceGroupName,
        location,
        publicIpAddressName: `${scope.name}-nat-ip${ipSuffix}`,
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        // A zonal gateway takes IPs of its own zone; the shared one a zone-redundant IP.
        zones: zones ?? ZONE_REDUNDANT,
        tags: scope.tags,
      },
      opts,
    );
    const gateway = new network.NatGateway(
      `${scope.name}-nat${suffix}`,
      {
        resourceGroupName,
        location,
        natGatewayName: `${scope.name}-nat${suffix}`,
        sku: { name: "Standard" },
        zones,
        publicIpAddresses: [{ id: ip.id }],
        idleTimeoutInMinutes: 4,
        tags: scope.tags,
      },
      opts,
    );
    return { ip, gateway };
  };
  if (args.network.natGateways === "perZone") {
    const byZone = new Map(args.zones.map((zone) => [zone, build(`-${zone}`, `-${zone}`, [zone])]));
    return {
      gatewayFor: (zone) => byZone.get(zone)!.gateway,
      ips: [...byZone.values()].map((z) => z.ip),
    };
  }
  // The names the shared gateway has always had: existing networks keep their egress address.
  const shared = build("", "-0", undefined);
  return { gatewayFor: () => shared.gateway, ips: [shared.ip] };
}

/** Where Azure keeps a region's Network Watcher when it enables one by itself (one per region). */
export const NETWORK_WATCHER_GROUP = "NetworkWatcherRG";
export const networkWatcherName = (region: string): string => `NetworkWatcher_${region}`;

/** Why the flow log cannot be created without the region's Network Watcher, with the fix. */
export function networkWatcherIssue(region: string, cause: string): string {
  const name = networkWatcherName(region);
  return (
    `The VNet flow log needs the Network Watcher ${NETWORK_WATCHER_GROUP}/${name}, which could not be read${cause ? ` (${cause})` : ""}. ` +
    "Azure creates it with the region's first VNet unless the subscription opted out of automatic enablement. Create it once:\n" +
    `  az group create --name ${NETWORK_WATCHER_GROUP} --location ${region}\n` +
    `  az network watcher configure --resource-group ${NETWORK_WATCHER_GROUP} --locations ${region} --enabled true\n` +
    `If \`az network watcher list --query "[?location=='${region}']"\` shows one under another name, delete it ` +
    "first: Azure allows one watcher per region, and the flow log uses the name Azure gives it."
  );
}

/**
 * The region's Network Watcher, read after the VNet exists (automatic enablement follows the VNet's
 * creation, so a few reads are allowed before giving up), or `networkWatcherIssue`.
 */
export async function readNetworkWatcher(
  scope: Scope,
  region: string,
  { attempts = 6, delayMs = 10_000 }: { attempts?: number; delayMs?: number } = {},
): Promise<string> {
  let cause = "";
  for (let i = 0; i < attempts; i++) {
    try {
      const found = await network.getNetworkWatcher(
        {
          resourceGroupName: NETWORK_WATCHER_GROUP,
          networkWatcherName: networkWatcherName(region),
        },
        { parent: scope.parent },
      );
      return found.name;
    } catch (err) {
      cause = err instanceof Error ? err.message : String(err);
      if (i < attempts - 1) await new Promise((r) => setTimeout(r, delayMs));
    }
  }
  throw new pulumi.RunError(networkWatcherIssue(region, cause));
}

/**
 * VNet flow logs (NSG flow logs are retired) into a storage account that takes no shared keys and
 * no public traffic but Azure's trusted services. Network Watcher writes as a user-assigned
 * identity with blob write access to that account only. The flow log itself lives where Azure
 * keeps the region's Network Watcher (`NetworkWatcherRG`, created with the first VNet), which is
 * read first: a subscription that opted out of automatic enablement gets the commands that fix it.
 */
function flowLogs(
  scope: Scope,
  args: NetworkArgs,
  vnet: network.VirtualNetwork,
  resourceGroupName: pulumi.Output<string>,
): void {
  const opts = { parent: scope.parent };
  const location = args.region;
  const account = new storage.StorageAccount(
    `${scope.name}-flow-logs`,
    {
      resourceGroupName,
      location,
      accountName: uniqueName(scope.name, nameSuffix(scope), 24, {
        hyphens: false,
        role: "flowlogs",
      }),
      kind: "StorageV2",
      sku: { name: args.environment === "prod" ? "Standard_ZRS" : "Standard_LRS" },
      accessTier: "Hot",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      allowCrossTenantReplication: false,
      defaultToOAuthAuthentication: true,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
      encryption: { keySource: "Microsoft.Storage", requireInfrastructureEncryption: true },
      tags: scope.tags,
    },
    { ...opts, protect: scope.protect },
  );
  const identity = new managedidentity.UserAssignedIdentity(
    `${scope.name}-flow-logs-identity`,
    { resourceGroupName, location, resourceName: `${scope.name}-flow-logs`, tags: scope.tags },
    opts,
  );
  const grant = roleAssignment(scope, "flow-logs-writer", {
    principalId: identity.principalId,
    role: "storageBlobDataContributor",
    scope: account.id,
    principalType: "ServicePrincipal",
  });
  const watcher = vnet.id.apply(() => readNetworkWatcher(scope, location));
  new network.FlowLog(
    `${scope.name}-flow-log`,
    {
      resourceGroupName: NETWORK_WATCHER_GROUP,
      networkWatcherName: watcher,
      flowLogName: `${scope.name}-vnet`,
      location,
      targetResourceId: vnet.id,
      storageId: account.id,
      enabled: true,
      format: { type: "JSON", version: 2 },
      retentionPolicy: { enabled: true, days: args.network.flowLogRetentionDays },
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
      tags: scope.tags,
    },
    { ...opts, dependsOn: [grant] },
  );
}
