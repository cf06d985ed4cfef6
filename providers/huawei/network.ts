/**
 * Huawei Cloud network layer: a VPC with one subnet per zone per tier (public: NAT gateway, ELB and
 * VPN gateway; private: nodes, pods' routes, SFS Turbo; database: DCS), one public NAT gateway (a
 * service Huawei Cloud runs active/standby itself) with an EIP and an SNAT rule per private subnet,
 * and VPC flow logs into an LTS log group kept for the configured days.
 *
 * Egress per zone: with `natGateways: perZone` each zone's nodes leave through their own EIP. One
 * gateway serves them all because a NAT gateway puts its default route into the VPC's default route
 * table and pulumi-huaweicloud 0.0.11 cannot attach a second gateway to another table; the gateway
 * itself survives a zone loss. `single` shares one EIP.
 *
 * Security groups deny by default where the platform creates them (cache, file storage, VPN
 * gateway: providers/huawei/common.ts denyByDefaultGroup). CCE creates and owns the node and
 * control-plane groups with the rules its components need.
 */
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "../../components/cidr";
import type { NetworkArgs, NetworkOutputs } from "../../components/network";
import { Scope } from "../../components/types";
import * as lts from "../../sdks/huaweicloud/lts";
import * as nat from "../../sdks/huaweicloud/nat";
import * as vpc from "../../sdks/huaweicloud/vpc";
import { cutName, hwTags } from "./common";

const TIERS = ["public", "private", "database"] as const;
type Tier = (typeof TIERS)[number];

/** The first host of a subnet: Huawei subnets need their gateway address. */
export function gatewayIp(cidr: string): string {
  const [a, b, c, d] = cidr.split("/")[0].split(".").map(Number);
  return `${a}.${b}.${c}.${d + 1}`;
}

/** NAT gateway size: `1` small (10,000 connections) outside prod, `2` medium (50,000) in prod. */
export function natSpec(environment: string): string {
  return environment === "prod" ? "2" : "1";
}

/** A public IP with its own bandwidth, billed by traffic (what NAT and the VPN gateway use). */
export function elasticIp(scope: Scope, role: string): vpc.Eip {
  return new vpc.Eip(
    `${scope.name}-${role}-eip`,
    {
      name: cutName(`${scope.name}-${role}`, 64),
      publicip: { type: "5_bgp" },
      bandwidth: {
        shareType: "PER",
        name: cutName(`${scope.name}-${role}`, 64),
        size: 100,
        chargeMode: "traffic",
      },
      tags: hwTags(scope.tags),
    },
    { parent: scope.parent },
  );
}

export function huaweiNetwork(scope: Scope, args: NetworkArgs): NetworkOutputs {
  const plan = planSubnets(args.network.cidr, args.zones.length, {
    publicPrefix: args.network.publicSubnetPrefix,
    privatePrefix: args.network.privateSubnetPrefix,
    databasePrefix: args.network.databaseSubnetPrefix,
  });
  const opts = { parent: scope.parent };
  const tags = hwTags(scope.tags);
  const network = new vpc.Vpc(
    `${scope.name}-vpc`,
    { name: cutName(scope.name, 64), cidr: args.network.cidr, tags },
    opts,
  );

  const subnets = {} as Record<Tier, vpc.Subnet[]>;
  for (const tier of TIERS) {
    subnets[tier] = plan[tier].map(
      (cidr, i) =>
        new vpc.Subnet(
          `${scope.name}-${tier}-${i}`,
          {
            name: cutName(`${scope.name}-${tier}-${args.zones[i]}`, 64),
            vpcId: network.id,
            cidr,
            gatewayIp: gatewayIp(cidr),
            availabilityZone: args.zones[i],
            dhcpEnable: true,
            tags: hwTags(scope.tags, { tier }),
          },
          opts,
        ),
    );
  }

  const gateway = new nat.Gateway(
    `${scope.name}-nat`,
    {
      name: cutName(scope.name, 64),
      description: `${scope.name}: egress of the private subnets`,
      spec: natSpec(args.environment),
      vpcId: network.id,
      subnetId: subnets.public[0].id,
      tags,
    },
    opts,
  );
  const perZone = args.network.natGateways === "perZone";
  const eips = (perZone ? args.zones : [args.zones[0]]).map((_, i) =>
    elasticIp(scope, perZone ? `nat-${i}` : "nat"),
  );
  const snat = subnets.private.map(
    (subnet, i) =>
      new nat.SnatRule(
        `${scope.name}-snat-${i}`,
        {
          natGatewayId: gateway.id,
          subnetId: subnet.id,
          floatingIpId: eips[perZone ? i : 0].id,
          description: `egress of ${args.zones[i]}`,
        },
        opts,
      ),
  );

  // Flow logs of every port in the VPC, accepted and rejected.
  const logGroup = new lts.Group(
    `${scope.name}-flow-logs`,
    {
      groupName: cutName(`${scope.name}-flow-logs`, 64),
      ttlInDays: args.network.flowLogRetentionDays,
    },
    { ...opts, protect: scope.protect },
  );
  const logStream = new lts.Stream(
    `${scope.name}-flow-logs-stream`,
    { groupId: logGroup.id, streamName: cutName(`${scope.name}-vpc`, 64), tags },
    opts,
  );
  const flowLog = new vpc.FlowLog(
    `${scope.name}-flow-log`,
    {
      name: cutName(scope.name, 64),
      resourceType: "vpc",
      resourceId: network.id,
      trafficType: "all",
      logGroupId: logGroup.id,
      logStreamId: logStream.id,
      enabled: true,
    },
    opts,
  );

  const ids = (list: vpc.Subnet[]) => pulumi.all(list.map((s) => s.id));
  // Downstream layers see the VPC once egress and flow logs exist.
  const networkId = pulumi
    .all([network.id, ...snat.map((r) => r.id), flowLog.id])
    .apply(([id]) => id);
  return {
    networkId,
    cidr: pulumi.output(args.network.cidr),
    zones: pulumi.output([...args.zones]),
    publicSubnetIds: ids(subnets.public),
    privateSubnetIds: ids(subnets.private),
    databaseSubnetIds: ids(subnets.database),
    // Routes (the VPN gateway's) go into the VPC's default route table; subnets have no own table.
    privateRouteTableIds: pulumi.output([]),
    natPublicIps: pulumi.all(eips.map((e) => e.address)),
  };
}
