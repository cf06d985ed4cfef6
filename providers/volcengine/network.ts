/**
 * Volcengine network layer: a VPC with one subnet per zone per tier (public: NAT and VPN gateways;
 * private: nodes, pods (VPC-CNI), NAS mount point, Redis, the private CLB; database: isolated, no
 * SNAT), public NAT gateways with an EIP each (one per zone with `perZone`, else one), a SNAT entry
 * per private subnet, and a route table per zone whose default route goes to that zone's NAT
 * gateway. Custom route tables are needed because only the VPC's first NAT gateway gets the system
 * table's 0.0.0.0/0 route, and a SNAT entry only works when its subnet's table routes 0.0.0.0/0 to
 * the gateway (Volcengine CreateSnatEntry). The private route tables are exported so the VPN layer
 * adds its routes to them.
 *
 * Not built: VPC flow logs (the pinned provider v0.0.47 has no flow-log resource), so
 * `network.flowLogRetentionDays` has no effect here. Security groups belong to the layers whose
 * resources they guard (the node group in the kubernetes layer).
 */
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "../../components/cidr";
import type { NetworkArgs, NetworkOutputs } from "../../components/network";
import { Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import * as eip from "../../sdks/volcengine/eip";
import * as iam from "../../sdks/volcengine/iam";
import * as nat from "../../sdks/volcengine/nat";
import * as vpc from "../../sdks/volcengine/vpc";
import { natGatewayIssues } from "./catalog";
import { nameOf, volcTags } from "./common";

/**
 * EIP billing: pay by traffic, with this peak bandwidth (Mbps). Egress of image pulls and API
 * calls is bursty; by-traffic costs nothing while idle.
 */
export const NAT_EIP = { billingType: "PostPaidByTraffic", bandwidth: 200 } as const;

/** NAT gateway size: Medium in prod (more concurrent connections), Small elsewhere. */
export function natSpec(environment: string): string {
  return environment === "prod" ? "Medium" : "Small";
}

/**
 * The service role VKE acts through on ECS, VPC and CLB (volcengine.com/docs/6460/148260,
 * ServiceRoleForVKE / ServiceRolePolicyForVKE). A fresh account has it only after VKE's console
 * "authorize" step (or IAM CreateServiceLinkedRole with ServiceName `vke`); without it the
 * cluster create fails after the whole network exists.
 */
export const VKE_SERVICE_ROLE = "ServiceRoleForVKE";

/**
 * Throws, naming the console step, unless IAM returned every role asked for (`found`: the roles
 * ListRoles returned for the names).
 */
export function requireServiceRoles(
  found: readonly { roleName?: string }[] | undefined,
  wanted: readonly string[] = [VKE_SERVICE_ROLE],
): void {
  const names = new Set((found ?? []).map((r) => r.roleName));
  const missing = wanted.filter((name) => !names.has(name));
  if (missing.length > 0)
    throw new Error(
      `The Volcengine account has no ${missing.join(", ")}: authorize VKE's service roles once ` +
        "(VKE console, first visit, or `ve iam CreateServiceLinkedRole --ServiceName vke`) and " +
        "activate VKE, TLS (Log Service), NAS, TOS, Redis, KMS, VPN and CLB; " +
        "see docs/clouds/volcengine.md (Account prerequisites). Nothing was created.",
    );
}

/**
 * Pre-flight, read only (IAM ListRoles): the VKE service role exists. Resolves to the VPC's
 * description, so nothing of the network is created when it fails.
 */
export function accountReady(scope: Scope): pulumi.Output<string> {
  return iam.roles({ roleName: VKE_SERVICE_ROLE }, { parent: scope.parent }).apply(({ roles }) => {
    requireServiceRoles(roles);
    return `${scope.name}: platform network`;
  });
}

export function volcengineNetwork(scope: Scope, args: NetworkArgs): NetworkOutputs {
  const issues = natGatewayIssues(args.network.natGateways, args.zones.length);
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Network arguments");
  const plan = planSubnets(args.network.cidr, args.zones.length, {
    publicPrefix: args.network.publicSubnetPrefix,
    privatePrefix: args.network.privateSubnetPrefix,
    databasePrefix: args.network.databaseSubnetPrefix,
  });
  const opts: pulumi.CustomResourceOptions = { parent: scope.parent };
  const tags = volcTags(scope.tags);

  const network = new vpc.Vpc(
    `${scope.name}-vpc`,
    {
      vpcName: nameOf(scope, "vpc"),
      cidrBlock: args.network.cidr,
      // Waits for the pre-flight check: every other resource of the layer hangs off the VPC.
      description: accountReady(scope),
      tags,
    },
    opts,
  );

  const subnets = (tier: "public" | "private" | "database", cidrs: string[]) =>
    cidrs.map(
      (cidr, i) =>
        new vpc.Subnet(
          `${scope.name}-${tier}-${i}`,
          {
            subnetName: nameOf(scope, `${tier}-${args.zones[i]}`),
            vpcId: network.id,
            zoneId: args.zones[i],
            cidrBlock: cidr,
            description: `${scope.name}: ${tier} tier in ${args.zones[i]}`,
            tags,
          },
          opts,
        ),
    );
  const publicSubnets = subnets("public", plan.public);
  const privateSubnets = subnets("private", plan.private);
  const databaseSubnets = subnets("database", plan.database);

  // One gateway per zone (a zone failure keeps the others' egress), or one shared.
  const gatewayCount = args.network.natGateways === "perZone" ? args.zones.length : 1;
  const gateways = Array.from({ length: gatewayCount }, (_, i) => {
    const address = new eip.Address(
      `${scope.name}-nat-eip-${i}`,
      {
        name: nameOf(scope, `nat-${i}`),
        billingType: NAT_EIP.billingType,
        bandwidth: NAT_EIP.bandwidth,
        description: `${scope.name}: NAT egress ${i}`,
        tags,
      },
      opts,
    );
    const gateway = new nat.Gateway(
      `${scope.name}-nat-${i}`,
      {
        natGatewayName: nameOf(scope, `nat-${i}`),
        vpcId: network.id,
        subnetId: publicSubnets[i].id,
        spec: natSpec(args.environment),
        billingType: "PostPaid",
        description: `${scope.name}: egress of the private tier`,
        tags,
      },
      opts,
    );
    const binding = new eip.Associate(
      `${scope.name}-nat-eip-${i}-associate`,
      { allocationId: address.id, instanceId: gateway.id, instanceType: "Nat" },
      opts,
    );
    return { address, gateway, binding };
  });

  // Each zone's private subnet: its own route table (default route to its zone's gateway, or the
  // shared one) and a SNAT entry translating it to that gateway's EIP.
  const routes = privateSubnets.map((subnet, i) => {
    const { address, gateway, binding } = gateways[Math.min(i, gateways.length - 1)];
    const table = new vpc.RouteTable(
      `${scope.name}-private-rt-${i}`,
      {
        vpcId: network.id,
        routeTableName: nameOf(scope, `private-${args.zones[i]}`),
        description: `${scope.name}: private tier in ${args.zones[i]}`,
      },
      opts,
    );
    const association = new vpc.RouteTableAssociate(
      `${scope.name}-private-rt-${i}-associate`,
      { routeTableId: table.id, subnetId: subnet.id },
      opts,
    );
    const defaultRoute = new vpc.RouteEntry(
      `${scope.name}-private-rt-${i}-default`,
      {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        nextHopType: "NatGW",
        nextHopId: gateway.id,
        routeEntryName: nameOf(scope, `default-${args.zones[i]}`),
        description: "Internet egress through the NAT gateway",
      },
      // next_hop_id is ForceNew (natGateways single <-> perZone moves it): the table refuses a
      // second 0.0.0.0/0, so the old entry goes first.
      { ...opts, deleteBeforeReplace: true },
    );
    const snat = new nat.SnatEntry(
      `${scope.name}-snat-${i}`,
      {
        natGatewayId: gateway.id,
        subnetId: subnet.id,
        eipId: address.id,
        snatEntryName: nameOf(scope, `snat-${args.zones[i]}`),
      },
      // The EIP must be bound to the gateway before a SNAT entry can use it.
      { ...opts, dependsOn: [binding] },
    );
    return { table, ready: [association, defaultRoute, snat] };
  });

  // Downstream layers start when egress works: routes in place and SNAT entries active.
  const ready = routes.flatMap((r) => r.ready);
  const networkId = pulumi.all([network.id, ...ready.map((r) => r.id)]).apply(([id]) => id);
  return {
    networkId,
    cidr: pulumi.output(args.network.cidr),
    zones: pulumi.output([...args.zones]),
    publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
    privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
    databaseSubnetIds: pulumi.all(databaseSubnets.map((s) => s.id)),
    privateRouteTableIds: pulumi.all(routes.map((r) => r.table.id)),
    natPublicIps: pulumi.all(gateways.map((g) => g.address.eipAddress)),
  };
}
