/**
 * OCI network layer under mocks: the VCN and its regional subnets from the address plan, gateways,
 * route tables (NAT and the service gateway for private tiers, the DRG for the private ranges
 * beyond the VCN, internet only for load balancers), the default security list emptied, flow logs
 * of every subnet with OCI Logging's retention, tags, and what downstream layers wait for.
 */
import { Network } from "../../components/network";
import { NetworkConfig } from "../../components/types";
import { PRIVATE_SUBNETS } from "../../providers/oci/network";
import { mockPulumi, one, RecordingMocks, resourcesBehind, settle, valueOf } from "../harness";
import { COMPARTMENT, expectTagged, ociCommonArgs, ociConfig, REGION } from "./fixtures";

const T = {
  vcn: "oci:Core/vcn:Vcn",
  subnet: "oci:Core/subnet:Subnet",
  routeTable: "oci:Core/routeTable:RouteTable",
  nat: "oci:Core/natGateway:NatGateway",
  igw: "oci:Core/internetGateway:InternetGateway",
  sgw: "oci:Core/serviceGateway:ServiceGateway",
  drg: "oci:Core/drg:Drg",
  drgAttachment: "oci:Core/drgAttachment:DrgAttachment",
  defaultList: "oci:Core/defaultSecurityList:DefaultSecurityList",
  securityList: "oci:Core/securityList:SecurityList",
  logGroup: "oci:Logging/logGroup:LogGroup",
  log: "oci:Logging/log:Log",
};

async function build(environment: "dev" | "prod" = "prod", network: Partial<NetworkConfig> = {}) {
  const mocks = await mockPulumi({ region: REGION });
  const base = ociConfig(environment);
  const config = { ...base, network: { ...base.network, ...network } };
  const n = `${config.name}-network`;
  const component = new Network(n, {
    ...ociCommonArgs(config),
    zones: config.zones,
    network: config.network,
  });
  await valueOf(component.outputs.networkId);
  await settle();
  return { mocks, component, n };
}
const subnet = (mocks: RecordingMocks, n: string, role: string) =>
  one(mocks, T.subnet, `${n}-${role}`);
const routes = (mocks: RecordingMocks, n: string, role: string) =>
  one(mocks, T.routeTable, `${n}-${role}-rt`).inputs.routeRules as {
    destination: string;
    destinationType: string;
    networkEntityId: string;
  }[];

describe("OCI network", () => {
  it("creates one VCN in the compartment with a DNS label, and regional subnets from the plan", async () => {
    const { mocks, n } = await build();
    const vcn = one(mocks, T.vcn).inputs;
    expect(vcn).toMatchObject({
      compartmentId: COMPARTMENT,
      cidrBlocks: ["10.50.0.0/16"],
      dnsLabel: "officelessprodn",
    });
    expect((vcn.dnsLabel as string).length).toBeLessThanOrEqual(15);
    const cidrs = Object.fromEntries(
      ["public", ...PRIVATE_SUBNETS, "database"].map((role) => [
        role,
        subnet(mocks, n, role).inputs.cidrBlock,
      ]),
    );
    expect(cidrs).toEqual({
      public: "10.50.96.0/24",
      workers: "10.50.64.0/19",
      pods: "10.50.0.0/18",
      api: "10.50.98.0/28",
      database: "10.50.97.0/24",
    });
    // Regional: no subnet is pinned to an availability domain.
    for (const s of mocks.byType(T.subnet)) expect(s.inputs.availabilityDomain).toBeUndefined();
  });

  it("keeps every tier but the load balancers' off the internet", async () => {
    const { mocks, n } = await build();
    for (const role of [...PRIVATE_SUBNETS, "database"])
      expect(subnet(mocks, n, role).inputs).toMatchObject({
        prohibitPublicIpOnVnic: true,
        prohibitInternetIngress: true,
      });
    expect(subnet(mocks, n, "public").inputs).toMatchObject({ prohibitPublicIpOnVnic: false });
    expect(routes(mocks, n, "public")).toEqual([
      expect.objectContaining({ destination: "0.0.0.0/0", networkEntityId: `${n}-igw-id` }),
    ]);
    const privateRt = routes(mocks, n, "private");
    expect(privateRt).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ destination: "0.0.0.0/0", networkEntityId: `${n}-nat-id` }),
        expect.objectContaining({
          destinationType: "SERVICE_CIDR_BLOCK",
          networkEntityId: `${n}-sgw-id`,
        }),
        expect.objectContaining({ destination: "192.168.0.0/16", networkEntityId: `${n}-drg-id` }),
      ]),
    );
    for (const role of PRIVATE_SUBNETS)
      expect(subnet(mocks, n, role).inputs.routeTableId).toBe(`${n}-private-rt-id`);
    // The database tier reaches Oracle services and the VPN, never the internet.
    const db = routes(mocks, n, "database");
    expect(db.some((r) => r.destination === "0.0.0.0/0")).toBe(false);
    expect(db).toEqual(
      expect.arrayContaining([expect.objectContaining({ networkEntityId: `${n}-sgw-id` })]),
    );
    expect(subnet(mocks, n, "database").inputs.routeTableId).toBe(`${n}-database-rt-id`);
  });

  it("routes the private ranges beyond the VCN to the DRG, which is attached to the VCN first", async () => {
    const { mocks, n } = await build();
    const toDrg = routes(mocks, n, "private")
      .filter((r) => r.networkEntityId === `${n}-drg-id`)
      .map((r) => r.destination);
    expect(toDrg).toContain("172.16.0.0/12");
    expect(toDrg).not.toContain("10.0.0.0/8");
    expect(toDrg.some((c) => c.startsWith("10.50."))).toBe(false);
    expect(one(mocks, T.drgAttachment).inputs).toMatchObject({
      drgId: `${n}-drg-id`,
      networkDetails: { type: "VCN", id: `${n}-vcn-id` },
    });
    const rt = one(mocks, T.routeTable, `${n}-private-rt`);
    expect(rt.options.dependsOn).toContain(one(mocks, T.drgAttachment).urn);
  });

  it("reaches all of the region's Oracle services through the service gateway", async () => {
    const { mocks } = await build();
    expect(one(mocks, T.sgw).inputs.services).toEqual([
      { serviceId: expect.stringMatching(/^ocid1\.service\..*/) },
    ]);
    const rule = (
      one(mocks, T.routeTable, "officeless-prod-network-private-rt").inputs.routeRules as {
        destinationType: string;
        destination: string;
      }[]
    ).find((r) => r.destinationType === "SERVICE_CIDR_BLOCK");
    expect(rule?.destination).toMatch(/^all-.*-services-in-oracle-services-network$/);
  });

  it("denies by default: the VCN's default security list is emptied; load balancers listen to private networks only", async () => {
    const { mocks, n } = await build();
    expect(one(mocks, T.defaultList).inputs).toMatchObject({
      manageDefaultResourceId: expect.stringMatching(/^ocid1\.securitylist\./),
      ingressSecurityRules: [],
      egressSecurityRules: [],
    });
    const lb = one(mocks, T.securityList).inputs as {
      ingressSecurityRules: { source: string; tcpOptions: { min: number } }[];
    };
    expect(new Set(lb.ingressSecurityRules.map((r) => r.source))).toEqual(
      new Set(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
    );
    expect(new Set(lb.ingressSecurityRules.map((r) => r.tcpOptions.min))).toEqual(
      new Set([80, 443]),
    );
    expect(subnet(mocks, n, "public").inputs.securityListIds).toEqual([`${n}-lb-security-list-id`]);
    for (const role of PRIVATE_SUBNETS)
      expect(subnet(mocks, n, role).inputs.securityListIds).toBeUndefined();
  });

  it("keeps flow logs of every subnet, rounded up to OCI Logging's 30-day steps", async () => {
    const { mocks, n } = await build("prod", { flowLogRetentionDays: 45 });
    const logs = mocks.byType(T.log);
    expect(logs.map((l) => l.name).sort()).toEqual(
      ["api", "database", "pods", "public", "workers"].map((r) => `${n}-${r}-flow-log`),
    );
    for (const log of logs)
      expect(log.inputs).toMatchObject({
        logType: "SERVICE",
        retentionDuration: 60,
        logGroupId: `${n}-flow-logs-id`,
        configuration: {
          source: { service: "flowlogs", category: "all", sourceType: "OCISERVICE" },
        },
      });
    expect(one(mocks, T.logGroup).options.protect).toBe(true);
  });

  it("has one regional NAT gateway whatever natGateways says, and exports its address", async () => {
    const { mocks, component } = await build("prod", { natGateways: "perZone" });
    expect(mocks.byType(T.nat)).toHaveLength(1);
    expect(await valueOf(component.outputs.natPublicIps)).toEqual([
      expect.stringMatching(/^203\.0\.113\./),
    ]);
  });

  it("exports the subnets in the documented order, and an empty database tier when it is off", async () => {
    const { component, n } = await build();
    expect(await valueOf(component.outputs.privateSubnetIds)).toEqual(
      PRIVATE_SUBNETS.map((r) => `${n}-${r}-id`),
    );
    expect(await valueOf(component.outputs.publicSubnetIds)).toEqual([`${n}-public-id`]);
    const off = await build("dev", { databaseSubnetPrefix: 0 });
    expect(await valueOf(off.component.outputs.databaseSubnetIds)).toEqual([]);
    expect(off.mocks.byType(T.subnet).map((s) => s.name)).not.toContain(`${off.n}-database`);
  });

  it("makes downstream layers wait for the gateways, the DRG attachment and the flow logs", async () => {
    const { mocks, component } = await build();
    const behind = await resourcesBehind(component.outputs.networkId);
    for (const type of [T.nat, T.sgw, T.drgAttachment])
      expect(behind).toContain(one(mocks, type).urn);
    for (const log of mocks.byType(T.log)) expect(behind).toContain(log.urn);
  });

  it("tags every taggable resource", async () => {
    const { mocks } = await build();
    expectTagged(mocks.resources, "prod", "network");
  });
});
