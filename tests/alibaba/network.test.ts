import { Network } from "../../components/network";
import { NetworkConfig } from "../../components/types";
import { planAlibabaNetwork } from "../../providers/alibaba/ranges";
import { mockPulumi, one, RecordingMocks, resourcesBehind, settle, valueOf } from "../harness";
import { alibabaCommonArgs, alibabaConfig, REGION, ZONES } from "./fixtures";

const T = {
  vpc: "alicloud:vpc/network:Network",
  vsw: "alicloud:vpc/switch:Switch",
  nat: "alicloud:vpc/natGateway:NatGateway",
  eip: "alicloud:ecs/eipAddress:EipAddress",
  eipAssoc: "alicloud:ecs/eipAssociation:EipAssociation",
  snat: "alicloud:vpc/snatEntry:SnatEntry",
  table: "alicloud:vpc/routeTable:RouteTable",
  attach: "alicloud:vpc/routeTableAttachment:RouteTableAttachment",
  route: "alicloud:vpc/routeEntry:RouteEntry",
  flowLog: "alicloud:vpc/flowLog:FlowLog",
  project: "alicloud:log/project:Project",
  store: "alicloud:log/store:Store",
};

async function build(environment: "dev" | "prod" = "prod", network: Partial<NetworkConfig> = {}) {
  const mocks = await mockPulumi({ region: REGION });
  const config = alibabaConfig(environment);
  const zones = environment === "prod" ? ZONES : ZONES.slice(0, 2);
  const n = `${config.name}-network`;
  const component = new Network(n, {
    ...alibabaCommonArgs(config),
    zones,
    network: { ...config.network, ...network },
  });
  const out = component.outputs;
  await valueOf(out.networkId);
  await settle();
  return { mocks, n, zones, out, config };
}

const switches = (mocks: RecordingMocks, tier: string) =>
  mocks.byType(T.vsw).filter((s) => (s.inputs.tags as any)["officeless-tier"] === tier);

describe("Alibaba Cloud network", () => {
  it("plans public, node and database vSwitches from the bottom and Terway pod vSwitches from the top", () => {
    const plan = planAlibabaNetwork(alibabaConfig().network, 3);
    expect(plan.private).toEqual(["10.50.0.0/19", "10.50.32.0/19", "10.50.64.0/19"]);
    expect(plan.pods).toEqual(["10.50.160.0/19", "10.50.192.0/19", "10.50.224.0/19"]);
    expect(plan.public).toEqual(["10.50.96.0/24", "10.50.97.0/24", "10.50.98.0/24"]);
  });

  it("refuses a range that cannot hold the pod vSwitches too, naming network.cidr", () => {
    expect(() =>
      planAlibabaNetwork({ ...alibabaConfig().network, cidr: "10.50.0.0/17" }, 3),
    ).toThrow(/network\.cidr.*Terway's pod vSwitches/s);
  });

  it("creates a VPC with one vSwitch per zone per tier, each tagged with its tier and in its zone", async () => {
    const { mocks, n } = await build();
    expect(one(mocks, T.vpc).inputs).toMatchObject({ vpcName: n, cidrBlock: "10.50.0.0/16" });
    for (const tier of ["public", "private", "database", "pods"]) {
      const list = switches(mocks, tier);
      expect(list.map((s) => s.inputs.zoneId)).toEqual(ZONES);
      for (const s of list) expect(s.inputs.vpcId).toBe(`${n}-vpc-id`);
    }
    expect(switches(mocks, "pods").map((s) => s.inputs.cidrBlock)).toEqual([
      "10.50.160.0/19",
      "10.50.192.0/19",
      "10.50.224.0/19",
    ]);
  });

  it("puts an Enhanced NAT gateway with its own EIP in each zone's public vSwitch in prod, with SNAT for every node and pod vSwitch through its zone's EIP", async () => {
    const { mocks, n, out } = await build();
    const nats = mocks.byType(T.nat);
    expect(nats).toHaveLength(3);
    nats.forEach((nat, i) =>
      expect(nat.inputs).toMatchObject({
        natType: "Enhanced",
        networkType: "internet",
        vswitchId: `${n}-public-${i}-id`,
        deletionProtection: true,
      }),
    );
    expect(mocks.byType(T.eipAssoc).map((a) => a.inputs)).toEqual(
      [0, 1, 2].map((i) =>
        expect.objectContaining({
          allocationId: `${n}-nat-eip-${i}-id`,
          instanceId: `${n}-nat-${i}-id`,
          instanceType: "Nat",
        }),
      ),
    );
    const snats = mocks.byType(T.snat);
    expect(snats).toHaveLength(6);
    const eips = mocks.byType(T.eip).map((e) => e.name);
    for (const [i] of ZONES.entries())
      for (const tier of ["private", "pods"]) {
        const snat = one(mocks, T.snat, `${n}-snat-${tier}-${i}`);
        expect(snat.inputs.sourceVswitchId).toBe(`${n}-${tier}-${i}-id`);
        expect(snat.inputs.snatTableId).toMatch(/^stb-/);
        expect(snat.options.dependsOn.some((u) => u.endsWith(`${n}-nat-eip-${i}`))).toBe(true);
      }
    expect(eips).toHaveLength(3);
    expect(await valueOf(out.natPublicIps)).toHaveLength(3);
  });

  it("shares one NAT gateway with natGateways: single", async () => {
    const { mocks, n } = await build("dev");
    expect(mocks.byType(T.nat)).toHaveLength(1);
    const routes = mocks.byType(T.route);
    expect(routes.map((r) => r.inputs.nexthopId)).toEqual([`${n}-nat-0-id`, `${n}-nat-0-id`]);
    expect(one(mocks, T.nat).inputs.deletionProtection).toBe(false);
  });

  it("routes each zone's node and pod vSwitches through its own NAT, and gives the database tier a table with no route out", async () => {
    const { mocks, n, out } = await build();
    ZONES.forEach((_, i) => {
      expect(one(mocks, T.route, `${n}-private-${i}-default`).inputs).toMatchObject({
        routeTableId: `${n}-private-${i}-id`,
        destinationCidrblock: "0.0.0.0/0",
        nexthopType: "NatGateway",
        nexthopId: `${n}-nat-${i}-id`,
      });
      expect(one(mocks, T.attach, `${n}-private-${i}-nodes`).inputs.vswitchId).toBe(
        `${n}-private-${i}-id`,
      );
      expect(one(mocks, T.attach, `${n}-private-${i}-pods`).inputs.vswitchId).toBe(
        `${n}-pods-${i}-id`,
      );
    });
    const db = one(mocks, T.table, `${n}-database`);
    expect(mocks.byType(T.route).filter((r) => r.inputs.routeTableId === `${db.name}-id`)).toEqual(
      [],
    );
    expect(
      mocks.byType(T.attach).filter((a) => a.inputs.routeTableId === `${db.name}-id`),
    ).toHaveLength(3);
    expect(await valueOf(out.privateRouteTableIds)).toEqual(
      ZONES.map((_, i) => `${n}-private-${i}-id`),
    );
  });

  it("writes all VPC traffic to an SLS logstore kept flowLogRetentionDays, the project protected in prod", async () => {
    const { mocks, config } = await build();
    expect(one(mocks, T.flowLog).inputs).toMatchObject({
      resourceType: "VPC",
      trafficType: "All",
      logStoreName: "vpc-flow-logs",
    });
    expect(one(mocks, T.store).inputs.retentionPeriod).toBe(config.network.flowLogRetentionDays);
    const project = one(mocks, T.project);
    expect(project.options.protect).toBe(true);
    expect(project.inputs.projectName).toMatch(/^officeless-prod-network-flowlogs-[a-z0-9]{6}$/);
  });

  it("exports the VPC id only once egress, routes, pod vSwitches and flow logs exist", async () => {
    const { out, n } = await build();
    const behind = await resourcesBehind(out.networkId);
    for (const name of [
      `${n}-snat-pods-2`,
      `${n}-private-2-default`,
      `${n}-pods-2`,
      `${n}-flowlog`,
    ])
      expect(behind.some((u) => u.endsWith(`::${name}`))).toBe(true);
  });
});
