import { planSubnets } from "../../components/cidr";
import { Network } from "../../components/network";
import { Environment } from "../../components/types";
import { mockPulumi, one, RecordingMocks, resourcesBehind, settle, valueOf } from "../harness";
import { volcengineInvokes } from "../../automation/offline/clouds/volcengine";
import { requireServiceRoles, VKE_SERVICE_ROLE } from "../../providers/volcengine/network";
import { commonArgs, T, volcengineConfig, ZONES } from "./fixtures";

const ROLES = "volcengine:iam/roles:Roles";

async function build(environment: Environment, zones: readonly string[] = ZONES) {
  const mocks = await mockPulumi({ region: "cn-shanghai" });
  const config = volcengineConfig(environment);
  const n = `${config.name}-network`;
  const component = new Network(n, { ...commonArgs(config), zones, network: config.network });
  await valueOf(component.outputs.networkId);
  await settle();
  return { mocks, component, config, n };
}

const urnOf = (mocks: RecordingMocks, type: string, name: string) => one(mocks, type, name).urn;

describe("Volcengine network", () => {
  it("carves one subnet per zone per tier, in its zone, as the shared plan does", async () => {
    const { mocks, config, n } = await build("prod");
    const plan = planSubnets(config.network.cidr, 3, {
      publicPrefix: 24,
      privatePrefix: 19,
      databasePrefix: 24,
    });
    for (const tier of ["public", "private", "database"] as const) {
      ZONES.forEach((zone, i) => {
        const subnet = one(mocks, T.subnet, `${n}-${tier}-${i}`);
        expect(subnet.inputs).toMatchObject({
          zoneId: zone,
          cidrBlock: plan[tier][i],
          vpcId: `${n}-vpc-id`,
        });
      });
    }
    expect(one(mocks, T.vpc).inputs).toMatchObject({ cidrBlock: config.network.cidr });
    expect(one(mocks, T.vpc).inputs.tags).toEqual(
      expect.arrayContaining([
        { key: "managed-by", value: "officeless" },
        { key: "layer", value: "network" },
        { key: "team", value: "platform" },
      ]),
    );
  });

  it("gives each zone its own NAT gateway and EIP in prod, and routes each private subnet to its zone's", async () => {
    const { mocks, component, n } = await build("prod");
    expect(mocks.byType(T.nat)).toHaveLength(3);
    ZONES.forEach((_, i) => {
      expect(one(mocks, T.nat, `${n}-nat-${i}`).inputs).toMatchObject({
        subnetId: `${n}-public-${i}-id`,
        vpcId: `${n}-vpc-id`,
        spec: "Medium",
      });
      expect(one(mocks, T.eipAssociate, `${n}-nat-eip-${i}-associate`).inputs).toEqual({
        allocationId: `${n}-nat-eip-${i}-id`,
        instanceId: `${n}-nat-${i}-id`,
        instanceType: "Nat",
      });
      expect(one(mocks, T.routeTableAssociate, `${n}-private-rt-${i}-associate`).inputs).toEqual({
        routeTableId: `${n}-private-rt-${i}-id`,
        subnetId: `${n}-private-${i}-id`,
      });
      expect(one(mocks, T.routeEntry, `${n}-private-rt-${i}-default`).inputs).toMatchObject({
        routeTableId: `${n}-private-rt-${i}-id`,
        destinationCidrBlock: "0.0.0.0/0",
        nextHopType: "NatGW",
        nextHopId: `${n}-nat-${i}-id`,
      });
      const snat = one(mocks, T.snat, `${n}-snat-${i}`);
      expect(snat.inputs).toMatchObject({
        natGatewayId: `${n}-nat-${i}-id`,
        subnetId: `${n}-private-${i}-id`,
        eipId: `${n}-nat-eip-${i}-id`,
      });
      // A SNAT entry can use the EIP only once it is bound to the gateway.
      expect(snat.options.dependsOn).toContain(
        urnOf(mocks, T.eipAssociate, `${n}-nat-eip-${i}-associate`),
      );
    });
    expect(await valueOf(component.outputs.privateRouteTableIds)).toEqual(
      ZONES.map((_, i) => `${n}-private-rt-${i}-id`),
    );
    expect(await valueOf(component.outputs.natPublicIps)).toHaveLength(3);
  });

  it("shares one NAT gateway outside prod (single) and keeps a route table per zone", async () => {
    const { mocks, n } = await build("dev", ZONES.slice(0, 2));
    expect(mocks.byType(T.nat)).toHaveLength(1);
    expect(one(mocks, T.nat).inputs.spec).toBe("Small");
    for (const i of [0, 1]) {
      expect(one(mocks, T.routeEntry, `${n}-private-rt-${i}-default`).inputs.nextHopId).toBe(
        `${n}-nat-0-id`,
      );
      expect(one(mocks, T.snat, `${n}-snat-${i}`).inputs.eipId).toBe(`${n}-nat-eip-0-id`);
    }
  });

  it("leaves the database tier without SNAT or a route table of its own", async () => {
    const { mocks, n } = await build("prod");
    const snatSubnets = mocks.byType(T.snat).map((r) => r.inputs.subnetId);
    const associated = mocks.byType(T.routeTableAssociate).map((r) => r.inputs.subnetId);
    for (const i of [0, 1, 2]) {
      expect(snatSubnets).not.toContain(`${n}-database-${i}-id`);
      expect(associated).not.toContain(`${n}-database-${i}-id`);
    }
  });

  it("resolves networkId only after the routes and SNAT entries exist", async () => {
    const { mocks, component } = await build("prod");
    const behind = await resourcesBehind(component.outputs.networkId);
    for (const type of [T.snat, T.routeEntry, T.routeTableAssociate])
      for (const r of mocks.byType(type)) expect(behind).toContain(r.urn);
  });

  it("replaces a default route delete-first (next_hop_id is ForceNew; one 0.0.0.0/0 per table)", async () => {
    const { mocks } = await build("prod");
    const defaults = mocks.byType(T.routeEntry);
    expect(defaults).toHaveLength(3);
    for (const r of defaults) expect(r.options.deleteBeforeReplace).toBe(true);
  });

  it("checks the account's VKE service role (read only) before the VPC, and fails with the console step", async () => {
    const asked: unknown[] = [];
    const original = volcengineInvokes[ROLES];
    volcengineInvokes[ROLES] = (inputs, region, settings) => {
      asked.push(inputs);
      return original(inputs, region, settings);
    };
    try {
      const { mocks, n } = await build("prod");
      expect(asked).toEqual([{ roleName: "ServiceRoleForVKE" }]);
      // The VPC's description is the check's result: the VPC, and every resource on it, waits.
      expect(one(mocks, T.vpc).inputs.description).toBe(`${n}: platform network`);
    } finally {
      volcengineInvokes[ROLES] = original;
    }
    expect(() => requireServiceRoles([{ roleName: VKE_SERVICE_ROLE }])).not.toThrow();
    for (const found of [[], undefined, [{ roleName: "ServiceRoleForTLS" }]])
      expect(() => requireServiceRoles(found)).toThrow(
        /no ServiceRoleForVKE: authorize VKE's service roles .*CreateServiceLinkedRole --ServiceName vke.*TLS/,
      );
  });

  it("refuses more zones than a VPC has NAT gateways for with perZone", async () => {
    await mockPulumi();
    const config = volcengineConfig("prod");
    expect(
      () =>
        new Network("n", {
          ...commonArgs(config),
          zones: [...ZONES, "cn-shanghai-d"],
          network: config.network,
        }),
    ).toThrow(/at most 3 NAT gateways/);
  });
});
