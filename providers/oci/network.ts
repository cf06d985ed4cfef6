/**
 * OCI network layer: a VCN with regional subnets (load balancers, workers, the Kubernetes API
 * endpoint, VCN-native pods, and an isolated database tier), an internet gateway for the load
 * balancer subnet only, one NAT gateway (OCI's NAT gateway is a regional, highly available
 * service: `natGateways: perZone` has nothing more to add), a service gateway to the Oracle
 * Services Network (Object Storage, OKE, Vault, Logging without the internet), a DRG attached to
 * the VCN that the private route tables send the RFC 1918 ranges outside the VCN to (the VPN layer
 * connects peers to it; OCI has no route-rule resource another layer could add), the VCN's default
 * security list emptied (NSGs admit what each layer needs: deny by default), a load-balancer
 * security list, and flow logs of every subnet kept for the configured days.
 */
import * as core from "@pulumi/oci/core";
import * as logging from "@pulumi/oci/logging";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkArgs, NetworkOutputs } from "../../components/network";
import { Scope } from "../../components/types";
import { logRetentionDuration, PRIVATE_RANGES } from "./catalog";
import { displayName, dnsLabel, ociSettings, ociTags } from "./common";
import { OciAddressPlan, planOciNetwork, privateRangesOutside } from "./ranges";

/** The subnets in the order `privateSubnetIds` lists them (kubernetes reads them by position). */
export const PRIVATE_SUBNETS = ["workers", "pods", "api"] as const;
export type PrivateSubnet = (typeof PRIVATE_SUBNETS)[number];

/** Which Oracle Services Network services the service gateway reaches: all of them in the region. */
export const ALL_SERVICES = /^All .* Services In Oracle Services Network$/;

/** Ports load balancers listen on. */
export const LISTENER_PORTS = [80, 443];

/** The `services` answer's entry for every service of the region, or why it is missing. */
export function allServices(services: readonly { id: string; name: string; cidrBlock: string }[]): {
  id: string;
  cidrBlock: string;
} {
  const found = services.find((s) => ALL_SERVICES.test(s.name));
  if (!found)
    throw new Error(
      `the region lists no "All <region> Services In Oracle Services Network" service (got ${services.map((s) => s.name).join(", ")})`,
    );
  return found;
}

export function ociNetwork(scope: Scope, args: NetworkArgs): NetworkOutputs {
  const settings = ociSettings(args);
  const plan: OciAddressPlan = planOciNetwork(args.network);
  const compartmentId = settings.compartmentId;
  const freeformTags = ociTags(scope.tags);
  const opts = { parent: scope.parent };
  const base = { compartmentId, freeformTags };

  const vcn = new core.Vcn(
    `${scope.name}-vcn`,
    {
      ...base,
      cidrBlocks: [args.network.cidr],
      displayName: displayName(scope, "vcn"),
      // Hostnames for nodes and the private API endpoint resolve in the VCN.
      dnsLabel: dnsLabel(scope.name),
    },
    opts,
  );
  const vcnOpts = { parent: scope.parent, dependsOn: [vcn] };

  // The default list admits SSH from anywhere and ICMP: emptied, so nothing is open unless an NSG says so.
  new core.DefaultSecurityList(
    `${scope.name}-default-security-list`,
    {
      manageDefaultResourceId: vcn.defaultSecurityListId,
      compartmentId,
      displayName: displayName(scope, "default-deny"),
      ingressSecurityRules: [],
      egressSecurityRules: [],
      freeformTags,
    },
    opts,
  );

  const internet = new core.InternetGateway(
    `${scope.name}-igw`,
    { ...base, vcnId: vcn.id, enabled: true, displayName: displayName(scope, "igw") },
    opts,
  );
  const nat = new core.NatGateway(
    `${scope.name}-nat`,
    { ...base, vcnId: vcn.id, displayName: displayName(scope, "nat") },
    opts,
  );
  const services = core.getServicesOutput({}, opts).services.apply(allServices);
  const serviceGateway = new core.ServiceGateway(
    `${scope.name}-sgw`,
    {
      ...base,
      vcnId: vcn.id,
      displayName: displayName(scope, "sgw"),
      services: [{ serviceId: services.id }],
    },
    opts,
  );
  const drg = new core.Drg(
    `${scope.name}-drg`,
    { ...base, displayName: displayName(scope, "drg") },
    opts,
  );
  const drgAttachment = new core.DrgAttachment(
    `${scope.name}-drg-attachment`,
    {
      drgId: drg.id,
      displayName: displayName(scope, "drg-vcn"),
      networkDetails: { id: vcn.id, type: "VCN" },
      freeformTags,
    },
    opts,
  );

  const toDrg = privateRangesOutside(args.network.cidr).map((destination) => ({
    destination,
    destinationType: "CIDR_BLOCK",
    networkEntityId: drg.id,
    description: "private networks beyond the VCN (VPN peers)",
  }));
  const toServices = {
    destination: services.cidrBlock,
    destinationType: "SERVICE_CIDR_BLOCK",
    networkEntityId: serviceGateway.id,
    description: "Oracle Services Network",
  };
  const routeTable = (role: string, routeRules: core.RouteTableArgs["routeRules"]) =>
    new core.RouteTable(
      `${scope.name}-${role}-rt`,
      { ...base, vcnId: vcn.id, displayName: displayName(scope, `${role}-rt`), routeRules },
      // Rules to the DRG are valid once it is attached to the VCN.
      { parent: scope.parent, dependsOn: [drgAttachment] },
    );
  const publicRt = routeTable("public", [
    {
      destination: "0.0.0.0/0",
      destinationType: "CIDR_BLOCK",
      networkEntityId: internet.id,
      description: "internet (load balancers only)",
    },
  ]);
  const privateRt = routeTable("private", [
    {
      destination: "0.0.0.0/0",
      destinationType: "CIDR_BLOCK",
      networkEntityId: nat.id,
      description: "internet egress through NAT",
    },
    toServices,
    ...toDrg,
  ]);
  const databaseRt = plan.database ? routeTable("database", [toServices, ...toDrg]) : undefined;

  // Load balancers: listeners from private networks only (private by default), to any VCN address.
  const lbSecurityList = new core.SecurityList(
    `${scope.name}-lb-security-list`,
    {
      ...base,
      vcnId: vcn.id,
      displayName: displayName(scope, "lb"),
      ingressSecurityRules: PRIVATE_RANGES.flatMap((source) =>
        LISTENER_PORTS.map((port) => ({
          protocol: "6",
          source,
          sourceType: "CIDR_BLOCK",
          tcpOptions: { min: port, max: port },
          description: `listener ${port} from private networks`,
        })),
      ),
      egressSecurityRules: [
        {
          protocol: "6",
          destination: args.network.cidr,
          destinationType: "CIDR_BLOCK",
          description: "backends (node ports, pods) in the VCN",
        },
      ],
    },
    vcnOpts,
  );

  const subnet = (
    role: keyof OciAddressPlan,
    cidrBlock: string,
    routeTableId: pulumi.Input<string>,
    isPublic = false,
  ) =>
    new core.Subnet(
      `${scope.name}-${role}`,
      {
        ...base,
        vcnId: vcn.id,
        cidrBlock,
        displayName: displayName(scope, role),
        dnsLabel: dnsLabel(role),
        routeTableId,
        prohibitPublicIpOnVnic: !isPublic,
        prohibitInternetIngress: !isPublic,
        ...(isPublic ? { securityListIds: [lbSecurityList.id] } : {}),
      },
      opts,
    );
  const publicSubnet = subnet("public", plan.public, publicRt.id, true);
  const privateSubnets = PRIVATE_SUBNETS.map((role) => subnet(role, plan[role], privateRt.id));
  const databaseSubnet =
    plan.database && databaseRt ? subnet("database", plan.database, databaseRt.id) : undefined;

  const logGroup = new logging.LogGroup(
    `${scope.name}-flow-logs`,
    {
      compartmentId,
      displayName: displayName(scope, "flow-logs"),
      description: `VCN flow logs of ${scope.name}`,
      freeformTags,
    },
    // The logs it holds are the audit trail of the network: kept in prod.
    { parent: scope.parent, protect: scope.protect },
  );
  const retentionDuration = logRetentionDuration(args.network.flowLogRetentionDays);
  const all = [publicSubnet, ...privateSubnets, ...(databaseSubnet ? [databaseSubnet] : [])];
  const roles = ["public", ...PRIVATE_SUBNETS, ...(databaseSubnet ? ["database"] : [])];
  const flowLogs = all.map(
    (s, i) =>
      new logging.Log(
        `${scope.name}-${roles[i]}-flow-log`,
        {
          displayName: displayName(scope, `${roles[i]}-flow-log`),
          logGroupId: logGroup.id,
          logType: "SERVICE",
          isEnabled: true,
          retentionDuration,
          configuration: {
            compartmentId,
            source: {
              sourceType: "OCISERVICE",
              service: "flowlogs",
              resource: s.id,
              category: "all",
            },
          },
          freeformTags,
        },
        opts,
      ),
  );

  // Downstream layers wait for the gateways, routes and flow logs, not only the VCN.
  const ready = pulumi
    .all([nat.id, serviceGateway.id, drgAttachment.id, ...flowLogs.map((l) => l.id)])
    .apply(() => true);
  const after = <T>(value: pulumi.Input<T>) => ready.apply(() => pulumi.output(value));
  return {
    networkId: after(vcn.id),
    cidr: pulumi.output(args.network.cidr),
    zones: pulumi.output([...args.zones]),
    publicSubnetIds: after(pulumi.all([publicSubnet.id])),
    privateSubnetIds: after(pulumi.all(privateSubnets.map((s) => s.id))),
    databaseSubnetIds: after(pulumi.all(databaseSubnet ? [databaseSubnet.id] : [])),
    privateRouteTableIds: pulumi.all([privateRt.id, ...(databaseRt ? [databaseRt.id] : [])]),
    natPublicIps: pulumi.all([nat.natIp]),
  };
}
