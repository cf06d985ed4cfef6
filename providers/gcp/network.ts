/**
 * GCP network layer: a custom-mode VPC with regional subnets (nodes with pods and services
 * secondary ranges and private Google access, the proxy-only subnet for regional load balancers,
 * an isolated database subnet for Private Service Connect), Cloud Router + Cloud NAT with static
 * egress addresses, firewall rules that deny ingress by default and admit only what GKE nodes
 * need (the control plane on 443, 10250 and the configured webhook ports, Filestore's NFSv3
 * callbacks), subnet flow logs kept for the configured days, and the private services access range
 * Filestore and Memorystore for Redis connect through. Addresses follow ranges.ts.
 */
import * as compute from "@pulumi/gcp/compute";
import * as servicenetworking from "@pulumi/gcp/servicenetworking";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkArgs, NetworkOutputs } from "../../components/network";
import { DEFAULT_WEBHOOK_PORTS, Scope } from "../../components/types";
import { gcpLabels, gcpProject, NODE_TAG, projectServices, retainedLogs } from "./common";
import { GcpAddressPlan, planGcpNetwork, PODS_RANGE_NAME, SERVICES_RANGE_NAME } from "./ranges";

/** Google's load balancer and health check source ranges (Application and proxy Network LBs). */
export const HEALTH_CHECK_RANGES = ["35.191.0.0/16", "130.211.0.0/22"];

/** Ports the GKE control plane always reaches on nodes: webhooks / aggregated APIs on 443, kubelet. */
export const CONTROL_PLANE_PORTS = ["443", "10250"];

/**
 * Every TCP port the control-plane range may reach on nodes: 443 and 10250, then the configured
 * webhook ports (terraform-google-modules' safer-cluster opens 8443, 9443 and 15017 the same way,
 * `firewall_inbound_ports`). A webhook with `failurePolicy: Fail` on a closed port blocks every
 * write it intercepts, as Mimir's rollout-operator on 8443 would.
 */
export function controlPlanePorts(
  webhookPorts: readonly number[] = DEFAULT_WEBHOOK_PORTS,
): string[] {
  const ports = webhookPorts.map(String).filter((p) => !CONTROL_PLANE_PORTS.includes(p));
  return [...CONTROL_PLANE_PORTS, ...ports];
}

/** Priority of the explicit deny-all: below every allow (1000), above GCP's implied rules (65535). */
export const DENY_ALL_PRIORITY = 65534;

/** The APIs the network layer calls. */
export const NETWORK_APIS = [
  "compute.googleapis.com",
  "servicenetworking.googleapis.com",
  "logging.googleapis.com",
];

/** Flow log sampling: every flow in prod (forensics), half elsewhere (cost). */
export function flowSampling(environment: string): number {
  return environment === "prod" ? 1 : 0.5;
}

/** Cloud Logging filter of the VPC flow logs of the named subnets. */
export function flowLogFilter(subnetNames: readonly string[]): string {
  const subnets = subnetNames.map((n) => `resource.labels.subnetwork_name="${n}"`).join(" OR ");
  return `resource.type="gce_subnetwork" AND log_id("compute.googleapis.com/vpc_flows") AND (${subnets})`;
}

export function gcpNetwork(scope: Scope, args: NetworkArgs): NetworkOutputs {
  // Throws before any child exists when the prefixes do not fit the scheme.
  const plan = planGcpNetwork(args.network);
  const project = gcpProject(scope);
  // A fresh project has none of these on: every child waits for them.
  const { apis } = projectServices(scope, project, NETWORK_APIS);
  const opts: pulumi.CustomResourceOptions = { parent: scope.parent, dependsOn: apis };
  const labels = gcpLabels(scope.tags);

  const network = new compute.Network(
    `${scope.name}-vpc`,
    {
      // Custom mode: no auto-created subnets in every region, only the ones below.
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      description: `${scope.name}: platform network ${args.network.cidr}`,
    },
    opts,
  );

  const flowLogConfig = {
    aggregationInterval: "INTERVAL_5_SEC",
    flowSampling: flowSampling(args.environment),
    metadata: "INCLUDE_ALL_METADATA",
  };

  const nodes = new compute.Subnetwork(
    `${scope.name}-private`,
    {
      network: network.id,
      region: args.region,
      ipCidrRange: plan.nodes,
      secondaryIpRanges: [
        { rangeName: PODS_RANGE_NAME, ipCidrRange: plan.pods },
        { rangeName: SERVICES_RANGE_NAME, ipCidrRange: plan.services },
      ],
      // Nodes have no external IPs: Google APIs (images, logging, GCS) through private access.
      privateIpGoogleAccess: true,
      logConfig: flowLogConfig,
      description: `${scope.name}: GKE nodes, pods and services`,
    },
    opts,
  );

  // The "public" tier on GCP: Envoy proxies of regional external/internal Application Load
  // Balancers (GKE Gateway API) run here. Nothing else can use a proxy-only subnet.
  const proxyOnly = new compute.Subnetwork(
    `${scope.name}-public`,
    {
      network: network.id,
      region: args.region,
      ipCidrRange: plan.proxyOnly,
      purpose: "REGIONAL_MANAGED_PROXY",
      role: "ACTIVE",
      description: `${scope.name}: proxy-only subnet for regional load balancers`,
    },
    opts,
  );

  // Private Service Connect endpoints of managed databases (Memorystore for Valkey). Cloud NAT
  // does not serve it: no route to the internet.
  const database = plan.database
    ? new compute.Subnetwork(
        `${scope.name}-database`,
        {
          network: network.id,
          region: args.region,
          ipCidrRange: plan.database,
          privateIpGoogleAccess: true,
          logConfig: flowLogConfig,
          description: `${scope.name}: isolated tier for managed database endpoints`,
        },
        opts,
      )
    : undefined;

  const nat = cloudNat(scope, opts, args, network, nodes, labels);
  const firewall = firewallRules(
    scope,
    opts,
    network,
    plan,
    controlPlanePorts(args.network.webhookPorts),
  );
  const psa = privateServiceAccess(scope, opts, network, plan, labels);

  const logged = database ? [nodes, database] : [nodes];
  retainedLogs(scope, "flow-logs", {
    project,
    filter: pulumi.all(logged.map((s) => s.name)).apply((names) => flowLogFilter(names)),
    retentionDays: args.network.flowLogRetentionDays,
    description: `VPC flow logs of ${scope.name}`,
    after: apis,
  });

  // Downstream layers start when the network is usable: firewall rules in force (nodes never run
  // unprotected) and private services access connected (Filestore and Redis need it).
  const ready = [...firewall, psa, nat.nat];
  const networkId = pulumi.all([network.id, ...ready.map((r) => r.id)]).apply(([id]) => id);

  return {
    networkId,
    cidr: pulumi.output(args.network.cidr),
    zones: pulumi.output([...args.zones]),
    // Subnets are regional: one per tier, serving every zone.
    publicSubnetIds: pulumi.all([proxyOnly.id]),
    privateSubnetIds: pulumi.all([nodes.id]),
    databaseSubnetIds: pulumi.all(database ? [database.id] : []),
    // GCP routes are per network, not per subnet: there are no route tables to hand on.
    privateRouteTableIds: pulumi.output([]),
    natPublicIps: pulumi.all(nat.addresses.map((a) => a.address)),
  };
}

/**
 * Cloud NAT on its own Cloud Router for the node subnet only (pods included), with static egress
 * addresses so peers can allow-list the platform: one per zone for `perZone` (Cloud NAT is a
 * regional, distributed service; the addresses spread the port capacity), one for `single`.
 */
function cloudNat(
  scope: Scope,
  opts: pulumi.CustomResourceOptions,
  args: NetworkArgs,
  network: compute.Network,
  nodes: compute.Subnetwork,
  labels: Record<string, string>,
): { nat: compute.RouterNat; addresses: compute.Address[] } {
  const count = args.network.natGateways === "perZone" ? args.zones.length : 1;
  const addresses = Array.from(
    { length: count },
    (_, i) =>
      new compute.Address(
        `${scope.name}-nat-ip-${i}`,
        {
          region: args.region,
          addressType: "EXTERNAL",
          networkTier: "PREMIUM",
          description: `${scope.name}: Cloud NAT egress ${i}`,
          labels,
        },
        opts,
      ),
  );
  const router = new compute.Router(
    `${scope.name}-router`,
    { network: network.id, region: args.region, description: `${scope.name}: Cloud NAT` },
    opts,
  );
  const nat = new compute.RouterNat(
    `${scope.name}-nat`,
    {
      router: router.name,
      region: args.region,
      natIpAllocateOption: "MANUAL_ONLY",
      natIps: addresses.map((a) => a.selfLink),
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetworks: [{ name: nodes.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
      // Ports follow demand per node instead of a fixed 64: fewer dropped connections under load.
      enableDynamicPortAllocation: true,
      // Mutually exclusive with dynamic port allocation (routerNat.d.ts): explicit, not the API's default.
      enableEndpointIndependentMapping: false,
      minPortsPerVm: 64,
      maxPortsPerVm: 4096,
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    },
    opts,
  );
  return { nat, addresses };
}

/**
 * Deny all ingress at the lowest custom priority (logged), then allow only what GKE nodes need:
 * node-to-node and pod-to-pod traffic, the control plane on kubelet and webhook ports, Google's
 * health checkers, the regional load balancers' proxies, and Filestore's NFSv3 callbacks. Every allow targets the node tag.
 */
function firewallRules(
  scope: Scope,
  opts: pulumi.CustomResourceOptions,
  network: compute.Network,
  plan: GcpAddressPlan,
  controlPlaneTcpPorts: string[],
): compute.Firewall[] {
  const rule = (role: string, args: Omit<compute.FirewallArgs, "network">) =>
    new compute.Firewall(`${scope.name}-${role}`, { network: network.id, ...args }, opts);
  return [
    rule("deny-all-ingress", {
      description: "Default deny: anything not allowed below is dropped (and logged)",
      direction: "INGRESS",
      priority: DENY_ALL_PRIORITY,
      denies: [{ protocol: "all" }],
      sourceRanges: ["0.0.0.0/0"],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    }),
    rule("allow-intra-cluster", {
      description: "Nodes and pods to nodes and pods (Dataplane V2 routes pod traffic natively)",
      direction: "INGRESS",
      priority: 1000,
      allows: [
        { protocol: "tcp" },
        { protocol: "udp" },
        { protocol: "icmp" },
        { protocol: "sctp" },
      ],
      sourceRanges: [plan.nodes, plan.pods],
      targetTags: [NODE_TAG],
    }),
    rule("allow-control-plane", {
      description: "GKE control plane to kubelet and admission webhooks",
      direction: "INGRESS",
      priority: 1000,
      allows: [{ protocol: "tcp", ports: controlPlaneTcpPorts }],
      sourceRanges: [plan.controlPlane],
      targetTags: [NODE_TAG],
    }),
    rule("allow-health-checks", {
      description: "Google Cloud load balancer health checks to node ports and pods (NEGs)",
      direction: "INGRESS",
      priority: 1000,
      allows: [{ protocol: "tcp" }],
      sourceRanges: [...HEALTH_CHECK_RANGES],
      targetTags: [NODE_TAG],
    }),
    rule("allow-lb-proxies", {
      description: "Regional Application Load Balancer proxies (proxy-only subnet) to pods",
      direction: "INGRESS",
      priority: 1000,
      allows: [{ protocol: "tcp" }],
      sourceRanges: [plan.proxyOnly],
      targetTags: [NODE_TAG],
    }),
    // NFSv3 is bidirectional (Filestore "About supported file system protocols"): the server calls
    // back the client's lock manager and status monitor (NLM, NSM) for flock/fcntl locks. Their
    // ports on the node are dynamic (rpc.statd, the kernel's lockd on COS), so every TCP/UDP port is
    // admitted, from the private services access range only, where Google's producers live.
    rule("allow-nfs-callbacks", {
      description:
        "Filestore (private services access range) to the NFSv3 lock and status callbacks on nodes",
      direction: "INGRESS",
      priority: 1000,
      allows: [{ protocol: "tcp" }, { protocol: "udp" }],
      sourceRanges: [plan.privateServiceAccess],
      targetTags: [NODE_TAG],
    }),
  ];
}

/**
 * Private services access: the reserved range Google-managed producers (Filestore, Memorystore
 * for Redis) take addresses from, and the peering to them. The range is fixed by ranges.ts, so it
 * never collides with a subnet and stays inside the network CIDR that VPN peers route.
 */
function privateServiceAccess(
  scope: Scope,
  opts: pulumi.CustomResourceOptions,
  network: compute.Network,
  plan: GcpAddressPlan,
  labels: Record<string, string>,
): servicenetworking.Connection {
  const [address, prefix] = plan.privateServiceAccess.split("/");
  const range = new compute.GlobalAddress(
    `${scope.name}-psa-range`,
    {
      network: network.id,
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address,
      prefixLength: Number(prefix),
      description: `${scope.name}: private services access`,
      labels,
    },
    opts,
  );
  return new servicenetworking.Connection(
    `${scope.name}-psa`,
    {
      network: network.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [range.name],
      // Deleting the connection fails for a while after Filestore or Redis are gone ("Producer
      // services ... are still using this connection", pulumi/pulumi-gcp#3354), so destroy only
      // drops it from state; the runner's network pre-destroy deletes its peering (the provider's
      // REMOVE_PEERING policy, GoogleCloudPlatform/magic-modules#18476, is not in @pulumi/gcp 9.37).
      deletionPolicy: "ABANDON",
    },
    opts,
  );
}
