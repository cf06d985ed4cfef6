/**
 * Alibaba Cloud network layer: a VPC with one vSwitch per zone per tier (public, private for the
 * nodes, database, and pod vSwitches for Terway, each tagged with its tier), an Enhanced NAT
 * gateway with its own EIP in each zone (`perZone`) or one shared (`single`), SNAT for every node
 * and pod vSwitch, a custom route table per zone whose default route leaves through that zone's
 * NAT, a database route table with no route out, and VPC flow logs into an SLS logstore.
 *
 * Security groups: ACK creates the nodes' enterprise security group at cluster creation
 * (`isEnterpriseSecurityGroup`, kubernetes layer) with the rules it needs; the cache and the file
 * system admit the node and pod vSwitches by CIDR (Tair whitelists, NAS permission groups), so the
 * network layer creates no group of its own.
 */
import * as ecs from "@pulumi/alicloud/ecs";
import * as vpc from "@pulumi/alicloud/vpc";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkArgs, NetworkOutputs } from "../../components/network";
import { Scope } from "../../components/types";
import { alibabaConfigIssues } from "./catalog";
import { alibabaTags, logProject, logStore, throwIfIssues, Tier, TIER_TAG } from "./common";
import { planAlibabaNetwork } from "./ranges";

/** Bandwidth cap of each NAT EIP (Mbit/s); billed by traffic, so the cap only bounds a runaway. */
export const NAT_EIP_BANDWIDTH = "200";

export function alibabaNetwork(scope: Scope, args: NetworkArgs): NetworkOutputs {
  throwIfIssues(
    alibabaConfigIssues({ network: args.network, zones: args.zones }),
    "Invalid Alibaba Cloud network arguments",
  );
  const plan = planAlibabaNetwork(args.network, args.zones.length);
  const opts = { parent: scope.parent };
  const tags = alibabaTags(scope.tags);

  const network = new vpc.Network(
    `${scope.name}-vpc`,
    {
      vpcName: scope.name,
      cidrBlock: args.network.cidr,
      description: `${scope.name} platform VPC`,
      tags,
    },
    opts,
  );

  const switches = (tier: Tier, cidrs: readonly string[]) =>
    cidrs.map(
      (cidr, i) =>
        new vpc.Switch(
          `${scope.name}-${tier}-${i}`,
          {
            vpcId: network.id,
            cidrBlock: cidr,
            zoneId: args.zones[i],
            vswitchName: `${scope.name}-${tier}-${args.zones[i]}`,
            tags: { ...tags, [TIER_TAG]: tier },
          },
          opts,
        ),
    );
  const publicSwitches = switches("public", plan.public);
  const privateSwitches = switches("private", plan.private);
  const databaseSwitches = switches("database", plan.database);
  const podSwitches = switches("pods", plan.pods);

  // NAT: Enhanced NAT gateways are zonal; each sits in its zone's public vSwitch, in a zone that
  // offers them (checked first: not every zone does, and the create would fail late otherwise).
  const natZones = vpc
    .getEnhancedNatAvailableZonesOutput({}, opts)
    .zones.apply((zones) => zones.map((z) => z.zoneId));
  const natCount = args.network.natGateways === "perZone" ? args.zones.length : 1;
  const nats = Array.from({ length: natCount }, (_, i) => {
    const nat = new vpc.NatGateway(
      `${scope.name}-nat-${i}`,
      {
        vpcId: network.id,
        vswitchId: pulumi.all([natZones, publicSwitches[i].id]).apply(([offered, id]) => {
          if (!offered.includes(args.zones[i]))
            throw new Error(
              `Enhanced NAT gateways are not offered in zone ${args.zones[i]} of ${args.region} (offered: ${offered.join(", ")}); choose officeless:zones among those`,
            );
          return id;
        }),
        natType: "Enhanced",
        networkType: "internet",
        paymentType: "PayAsYouGo",
        internetChargeType: "PayByLcu",
        natGatewayName: `${scope.name}-nat-${args.zones[i]}`,
        deletionProtection: scope.protect,
        tags,
      },
      opts,
    );
    const eip = new ecs.EipAddress(
      `${scope.name}-nat-eip-${i}`,
      {
        addressName: `${scope.name}-nat-${args.zones[i]}`,
        isp: "BGP",
        internetChargeType: "PayByTraffic",
        paymentType: "PayAsYouGo",
        bandwidth: NAT_EIP_BANDWIDTH,
        deletionProtection: scope.protect,
        tags,
      },
      opts,
    );
    const association = new ecs.EipAssociation(
      `${scope.name}-nat-eip-${i}`,
      { allocationId: eip.id, instanceId: nat.id, instanceType: "Nat" },
      opts,
    );
    return { nat, eip, association };
  });
  const natOf = (zone: number) => nats[args.network.natGateways === "perZone" ? zone : 0];

  // SNAT for every node and pod vSwitch (Terway pods egress from their own addresses).
  const snats = args.zones.flatMap((zone, i) =>
    (
      [
        ["private", privateSwitches[i]],
        ["pods", podSwitches[i]],
      ] as const
    ).map(([tier, sw]) => {
      const { nat, eip, association } = natOf(i);
      return new vpc.SnatEntry(
        `${scope.name}-snat-${tier}-${i}`,
        {
          snatTableId: nat.snatTableIds,
          sourceVswitchId: sw.id,
          snatIp: eip.ipAddress,
          snatEntryName: `${scope.name}-${tier}-${zone}`,
        },
        { ...opts, dependsOn: [association] },
      );
    }),
  );

  // One route table per zone for its node and pod vSwitches, the default route through its NAT.
  const privateTables = args.zones.map((zone, i) => {
    const table = new vpc.RouteTable(
      `${scope.name}-private-${i}`,
      {
        vpcId: network.id,
        routeTableName: `${scope.name}-private-${zone}`,
        associateType: "VSwitch",
        description: `Node and pod vSwitches of ${zone}: egress through the NAT gateway`,
        tags,
      },
      opts,
    );
    const attachments = [privateSwitches[i], podSwitches[i]].map(
      (sw, j) =>
        new vpc.RouteTableAttachment(
          `${scope.name}-private-${i}-${j === 0 ? "nodes" : "pods"}`,
          { routeTableId: table.id, vswitchId: sw.id },
          opts,
        ),
    );
    const route = new vpc.RouteEntry(
      `${scope.name}-private-${i}-default`,
      {
        routeTableId: table.id,
        destinationCidrblock: "0.0.0.0/0",
        nexthopType: "NatGateway",
        nexthopId: natOf(i).nat.id,
      },
      opts,
    );
    return { table, attachments, route };
  });

  // The database tier: its own table, with no route out of the VPC.
  const databaseTable =
    databaseSwitches.length > 0
      ? new vpc.RouteTable(
          `${scope.name}-database`,
          {
            vpcId: network.id,
            routeTableName: `${scope.name}-database`,
            associateType: "VSwitch",
            description: "Database vSwitches: no route to the internet",
            tags,
          },
          opts,
        )
      : undefined;
  const databaseAttachments = databaseTable
    ? databaseSwitches.map(
        (sw, i) =>
          new vpc.RouteTableAttachment(
            `${scope.name}-database-${i}`,
            { routeTableId: databaseTable.id, vswitchId: sw.id },
            opts,
          ),
      )
    : [];

  // VPC flow logs into an SLS logstore with the configured retention.
  const logs = logProject(scope, "flowlogs", `${scope.name} VPC flow logs`);
  const store = logStore(
    scope,
    "flowlogs",
    logs,
    "vpc-flow-logs",
    args.network.flowLogRetentionDays,
  );
  const flowLog = new vpc.FlowLog(
    `${scope.name}-flowlog`,
    {
      flowLogName: `${scope.name}-vpc`,
      description: `All traffic of ${scope.name}'s VPC`,
      resourceType: "VPC",
      resourceId: network.id,
      trafficType: "All",
      projectName: logs.projectName,
      logStoreName: store.logstoreName,
      status: "Active",
      tags,
    },
    { ...opts, dependsOn: [store] },
  );

  const ids = (list: { id: pulumi.Output<string> }[]) => pulumi.all(list.map((r) => r.id));
  // Downstream layers read the VPC id only once egress, routes and every vSwitch exist.
  const ready = [
    ...snats,
    ...privateTables.flatMap((t) => [t.route, ...t.attachments]),
    ...databaseAttachments,
    ...podSwitches,
    flowLog,
  ];
  return {
    networkId: pulumi.all([network.id, ...ready.map((r) => r.id)]).apply(([id]) => id),
    cidr: network.cidrBlock,
    zones: pulumi.output([...args.zones]),
    publicSubnetIds: ids(publicSwitches),
    privateSubnetIds: ids(privateSwitches),
    databaseSubnetIds: ids(databaseSwitches),
    privateRouteTableIds: ids(privateTables.map((t) => t.table)),
    natPublicIps: pulumi.all(nats.map((n) => n.eip.ipAddress)),
  };
}
