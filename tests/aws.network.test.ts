import { cidrContains, planSubnets } from "../components/cidr";
import { Network } from "../components/network";
import { MANAGED_BY, NetworkConfig, PlatformConfig, Scope } from "../components/types";
import { awsZoneIdIssues, EKS_UNSUPPORTED_ZONE_IDS } from "../providers/aws/catalog";
import { eksZones, zoneCheckError } from "../providers/aws/network";
import { awsConfig, commonArgs } from "./fixtures";
import * as pulumi from "@pulumi/pulumi";
import { mockPulumi, one, RecordedResource, RecordingMocks, settle, valueOf } from "./harness";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  igw: "aws:ec2/internetGateway:InternetGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  key: "aws:kms/key:Key",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

/** AWS types in this layer that have no tags argument. */
const UNTAGGABLE = new Set([T.route, T.association, "aws:kms/alias:Alias", T.rolePolicy]);

interface Built {
  mocks: RecordingMocks;
  network: Network;
  config: PlatformConfig;
  /** Logical name prefix of the children. */
  n: string;
}

async function build(
  environment: "dev" | "prod",
  network: Partial<NetworkConfig> = {},
): Promise<Built> {
  const mocks = await mockPulumi({ region: "eu-west-1" });
  const base = awsConfig(environment);
  const config = { ...base, network: { ...base.network, ...network } };
  const name = `${config.name}-network`;
  const component = new Network(name, {
    ...commonArgs(config),
    zones: config.zones,
    network: config.network,
  });
  await valueOf(component.outputs.natPublicIps);
  await settle();
  return { mocks, network: component, config, n: name };
}

const idOf = (r: RecordedResource) => `${r.name}-id`;
const tier = (mocks: RecordingMocks, t: string) =>
  mocks.byType(T.subnet).filter((s) => (s.inputs.tags as Record<string, string>).tier === t);

describe("AWS network", () => {
  it("plans one subnet per zone per tier, inside the VPC, with no public IPs", async () => {
    const { mocks, config, n } = await build("prod");
    const plan = planSubnets(config.network.cidr, 3, {
      publicPrefix: config.network.publicSubnetPrefix,
      privatePrefix: config.network.privateSubnetPrefix,
      databasePrefix: config.network.databaseSubnetPrefix,
    });
    const vpc = one(mocks, T.vpc);
    expect(vpc.inputs).toMatchObject({
      cidrBlock: "10.20.0.0/16",
      enableDnsSupport: true,
      enableDnsHostnames: true,
    });
    for (const t of ["public", "private", "database"] as const) {
      const subnets = tier(mocks, t);
      expect(subnets).toHaveLength(config.zones.length);
      subnets.forEach((s, i) => {
        expect(s.name).toBe(`${n}-${t}-${i}`);
        expect(s.inputs.cidrBlock).toBe(plan[t][i]);
        expect(cidrContains(config.network.cidr, s.inputs.cidrBlock as string)).toBe(true);
        expect(s.inputs.availabilityZone).toBe(config.zones[i]);
        expect(s.inputs.vpcId).toBe(idOf(vpc));
        expect((s.inputs.tags as Record<string, string>).Name).toBe(`${n}-${t}-${config.zones[i]}`);
      });
    }
    expect(mocks.byType(T.subnet)).toHaveLength(9);
    for (const s of mocks.byType(T.subnet)) expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
    for (const s of tier(mocks, "public"))
      expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/elb": "1" });
    for (const s of tier(mocks, "private")) {
      expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1" });
      expect(s.inputs.tags).not.toHaveProperty("kubernetes.io/role/elb");
    }
  });

  it("builds one NAT gateway per zone in prod, each in its zone's public subnet, and routes each zone to its own", async () => {
    const { mocks, network, n } = await build("prod");
    const nats = mocks.byType(T.nat);
    expect(nats).toHaveLength(3);
    expect(mocks.byType(T.eip)).toHaveLength(3);
    nats.forEach((nat, i) => {
      expect(nat.inputs.subnetId).toBe(`${n}-public-${i}-id`);
      expect(nat.inputs.allocationId).toMatch(/^eipalloc-/);
    });
    expect(new Set(nats.map((nat) => nat.inputs.allocationId)).size).toBe(3);
    const privateTables = mocks
      .byType(T.routeTable)
      .filter((t) => t.name.startsWith(`${n}-private-rt-`));
    expect(privateTables).toHaveLength(3);
    privateTables.forEach((table, i) => {
      const routes = mocks.byType(T.route).filter((r) => r.inputs.routeTableId === idOf(table));
      expect(routes).toHaveLength(1);
      expect(routes[0].inputs).toMatchObject({
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: `${n}-nat-${i}-id`,
      });
      const assoc = mocks
        .byType(T.association)
        .filter((a) => a.inputs.routeTableId === idOf(table));
      expect(assoc.map((a) => a.inputs.subnetId)).toEqual([`${n}-private-${i}-id`]);
    });
    expect(await valueOf(network.outputs.natPublicIps)).toHaveLength(3);
    expect(await valueOf(network.outputs.privateRouteTableIds)).toEqual(privateTables.map(idOf));
  });

  it("shares one NAT gateway with `single` but keeps a private route table per zone", async () => {
    const { mocks, network, n } = await build("dev");
    expect(mocks.byType(T.nat)).toHaveLength(1);
    expect(mocks.byType(T.eip)).toHaveLength(1);
    const privateTables = mocks
      .byType(T.routeTable)
      .filter((t) => t.name.startsWith(`${n}-private-rt-`));
    expect(privateTables).toHaveLength(3);
    const natRoutes = mocks.byType(T.route).filter((r) => r.inputs.natGatewayId !== undefined);
    expect(natRoutes).toHaveLength(3);
    for (const r of natRoutes) expect(r.inputs.natGatewayId).toBe(`${n}-nat-0-id`);
    expect(await valueOf(network.outputs.privateRouteTableIds)).toHaveLength(3);
    expect(await valueOf(network.outputs.natPublicIps)).toHaveLength(1);
  });

  it("routes the public tier to the internet gateway and gives the database tier no internet route", async () => {
    const { mocks, n } = await build("prod");
    const igw = one(mocks, T.igw);
    const publicTable = one(mocks, T.routeTable, `${n}-public-rt`);
    const publicRoutes = mocks
      .byType(T.route)
      .filter((r) => r.inputs.routeTableId === idOf(publicTable));
    expect(publicRoutes.map((r) => r.inputs)).toEqual([
      expect.objectContaining({ destinationCidrBlock: "0.0.0.0/0", gatewayId: idOf(igw) }),
    ]);
    const dbTables = mocks
      .byType(T.routeTable)
      .filter((t) => (t.inputs.tags as Record<string, string>).tier === "database");
    expect(dbTables.length).toBeGreaterThan(0);
    for (const table of dbTables) {
      expect(table.inputs.routes ?? []).toEqual([]);
      expect(mocks.byType(T.route).filter((r) => r.inputs.routeTableId === idOf(table))).toEqual(
        [],
      );
    }
    const dbAssociated = mocks
      .byType(T.association)
      .filter((a) => dbTables.some((t) => idOf(t) === a.inputs.routeTableId))
      .map((a) => a.inputs.subnetId);
    expect(dbAssociated.sort()).toEqual([0, 1, 2].map((i) => `${n}-database-${i}-id`));
  });

  it("omits the database tier when its prefix is 0", async () => {
    const { mocks, network } = await build("dev", { databaseSubnetPrefix: 0 });
    expect(tier(mocks, "database")).toHaveLength(0);
    expect(
      mocks
        .byType(T.routeTable)
        .filter((t) => (t.inputs.tags as Record<string, string>).tier === "database"),
    ).toHaveLength(0);
    expect(await valueOf(network.outputs.databaseSubnetIds)).toEqual([]);
  });

  it("locks down the default security group", async () => {
    const { mocks } = await build("prod");
    const sg = one(mocks, T.defaultSg);
    expect(sg.inputs.vpcId).toBe(idOf(one(mocks, T.vpc)));
    expect(sg.inputs.ingress ?? []).toEqual([]);
    expect(sg.inputs.egress ?? []).toEqual([]);
  });

  it("keeps S3 traffic on a gateway endpoint in every private route table", async () => {
    const { mocks, n } = await build("prod");
    const endpoint = one(mocks, T.endpoint);
    expect(endpoint.inputs).toMatchObject({
      vpcEndpointType: "Gateway",
      serviceName: "com.amazonaws.eu-west-1.s3",
    });
    expect(endpoint.inputs.routeTableIds).toEqual([0, 1, 2].map((i) => `${n}-private-rt-${i}-id`));
  });

  it("logs all traffic to a log group encrypted with a key whose policy admits CloudWatch Logs", async () => {
    const { mocks, n } = await build("prod");
    const logGroup = one(mocks, T.logGroup);
    const key = one(mocks, T.key);
    const flowLog = one(mocks, T.flowLog);
    expect(flowLog.inputs).toMatchObject({
      vpcId: idOf(one(mocks, T.vpc)),
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: `arn:aws:cloudwatch:eu-west-1:123456789012:${logGroup.name}`,
      iamRoleArn: `arn:aws:iam:eu-west-1:123456789012:${n}-flow-logs-role`,
    });
    expect(logGroup.inputs).toMatchObject({
      retentionInDays: 90,
      kmsKeyId: `arn:aws:kms:eu-west-1:123456789012:${key.name}`,
    });
    expect(key.inputs.enableKeyRotation).toBe(true);

    const groupArn = `arn:aws:logs:eu-west-1:123456789012:log-group:${logGroup.inputs.name}`;
    const statements = JSON.parse(key.inputs.policy as string).Statement as any[];
    const logs = statements.find((s) => s.Principal?.Service === "logs.eu-west-1.amazonaws.com");
    expect(logs).toBeDefined();
    expect(logs.Action).toEqual(
      expect.arrayContaining(["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"]),
    );
    expect(logs.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]).toEqual([groupArn]);
    expect(statements.some((s) => s.Principal?.AWS === "arn:aws:iam::123456789012:root")).toBe(
      true,
    );

    // The delivery role writes to that group only.
    const role = one(mocks, T.role, `${n}-flow-logs-role`);
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal.Service).toBe(
      "vpc-flow-logs.amazonaws.com",
    );
    const policy = JSON.parse(one(mocks, T.rolePolicy).inputs.policy as string).Statement as any[];
    const write = policy.find((s) => (s.Action as string[]).includes("logs:PutLogEvents"));
    expect(write.Resource).toEqual([groupArn, `${groupArn}:*`]);
    expect(policy.every((s) => s.Resource !== "*")).toBe(true);
  });

  it("tags every taggable resource with environment, layer and managed-by", async () => {
    const { mocks } = await build("prod");
    const aws = mocks.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
    const taggable = aws.filter((r) => !UNTAGGABLE.has(r.type));
    expect(taggable.length).toBeGreaterThan(20);
    for (const r of taggable) {
      expect({ name: r.name, tags: r.inputs.tags }).toEqual({
        name: r.name,
        tags: expect.objectContaining({
          environment: "prod",
          layer: "network",
          "managed-by": MANAGED_BY,
          team: "platform",
        }),
      });
    }
  });

  it("protects the flow-log key and log group in prod only", async () => {
    const prod = await build("prod");
    expect(one(prod.mocks, T.key).options.protect).toBe(true);
    expect(one(prod.mocks, T.logGroup).options.protect).toBe(true);
    const dev = await build("dev");
    expect(one(dev.mocks, T.key).options.protect).toBe(false);
    expect(one(dev.mocks, T.logGroup).options.protect).toBe(false);
  });

  it("keeps its logical names (renames replace live resources)", async () => {
    const { mocks } = await build("prod");
    const names = new Set(mocks.resources.map((r) => r.name));
    for (const name of [
      "officeless-prod-network",
      "officeless-prod-network-vpc",
      "officeless-prod-network-default-sg",
      "officeless-prod-network-public-0",
      "officeless-prod-network-private-0",
      "officeless-prod-network-private-2",
      "officeless-prod-network-database-1",
      "officeless-prod-network-igw",
      "officeless-prod-network-nat-eip-2",
      "officeless-prod-network-nat-2",
      "officeless-prod-network-public-rt",
      "officeless-prod-network-private-rt-1",
      "officeless-prod-network-database-rt",
      "officeless-prod-network-s3-endpoint",
      "officeless-prod-network-flow-logs-key",
      "officeless-prod-network-flow-logs",
      "officeless-prod-network-flow-log",
    ]) {
      expect(names).toContain(name);
    }
    // Every child sits under the component.
    const component = one(mocks, "officeless:network:Network");
    for (const r of mocks.resources.filter((r) => r.custom)) expect(r.parent).toBe(component.urn);
  });

  it("exports ids in zone order", async () => {
    const { network, n, config } = await build("prod");
    expect(await valueOf(network.outputs.zones)).toEqual(config.zones);
    expect(await valueOf(network.outputs.cidr)).toBe(config.network.cidr);
    expect(await valueOf(network.outputs.networkId)).toBe(`${n}-vpc-id`);
    expect(await valueOf(network.outputs.publicSubnetIds)).toEqual(
      [0, 1, 2].map((i) => `${n}-public-${i}-id`),
    );
    expect(await valueOf(network.outputs.privateSubnetIds)).toEqual(
      [0, 1, 2].map((i) => `${n}-private-${i}-id`),
    );
    expect(await valueOf(network.outputs.databaseSubnetIds)).toEqual(
      [0, 1, 2].map((i) => `${n}-database-${i}-id`),
    );
  });
});

describe("AWS network: zones EKS refuses", () => {
  const ZONES_TOKEN = "aws:index/getAvailabilityZones:getAvailabilityZones";
  /** An account where us-east-1b is use1-az3, the zone ID EKS refuses for control planes. */
  const ACCOUNT = {
    names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"],
    zoneIds: ["use1-az1", "use1-az3", "use1-az2", "use1-az4"],
  };

  it("lists the zone IDs EKS refuses for control-plane subnets", () => {
    expect([...EKS_UNSUPPORTED_ZONE_IDS].sort()).toEqual(["cac1-az3", "use1-az3", "usw1-az2"]);
  });

  it("creates no subnet until the account's zone IDs are known", async () => {
    const mocks = await mockPulumi({ region: "eu-west-1" });
    let answer: () => void = () => undefined;
    const pending = new Promise<void>((resolve) => (answer = resolve));
    const call = mocks.call.bind(mocks);
    const asked: unknown[] = [];
    mocks.call = (args) => {
      if (args.token !== ZONES_TOKEN) return call(args);
      asked.push(args.inputs);
      return pending.then(() => call(args));
    };
    const config = awsConfig("prod");
    const network = new Network(`${config.name}-network`, {
      ...commonArgs(config),
      zones: config.zones,
      network: config.network,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(asked).toEqual([{ state: "available" }]);
    expect(mocks.byType(T.subnet)).toEqual([]);
    answer();
    await valueOf(network.outputs.privateSubnetIds);
    await settle();
    expect(mocks.byType(T.subnet)).toHaveLength(3 * config.zones.length);
  });

  it("fails naming officeless:zones, the zone ID and the account's usable zones", async () => {
    const zones = ["us-east-1a", "us-east-1b", "us-east-1e"];
    const failure = zoneCheckError("us-east-1", zones, ACCOUNT)!;
    expect(failure).toBeInstanceOf(pulumi.RunError);
    expect(failure.message).toContain(
      'officeless:zones[1] = "us-east-1b": is zone ID use1-az3 in this account, where EKS refuses control-plane subnets',
    );
    // The suggestion leaves out the refused zone and the zones already configured.
    expect(failure.message).toContain("use another zone of this account: us-east-1c, us-east-1d");
    expect(failure.message).toContain(
      'officeless:zones[2] = "us-east-1e": is not an available zone of this account in us-east-1',
    );
    expect(awsZoneIdIssues("us-east-1", zones, ACCOUNT).map((i) => i.path)).toEqual([
      "zones[1]",
      "zones[2]",
    ]);
  });

  it("passes the zones on when the account has them all and EKS accepts them", async () => {
    await mockPulumi({ region: "us-east-1", availabilityZones: ACCOUNT });
    const parent = new pulumi.ComponentResource("test:index:Parent", "zones-check");
    const scope: Scope = { name: "x", parent, tags: {}, protect: false };
    const fine = ["us-east-1a", "us-east-1c", "us-east-1d"];
    expect(zoneCheckError("us-east-1", fine, ACCOUNT)).toBeUndefined();
    expect(await valueOf(eksZones(scope, "us-east-1", fine))).toEqual(fine);
  });
});
