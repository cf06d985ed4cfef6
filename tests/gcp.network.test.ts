import fc from "fast-check";
import { cidrContains, cidrsOverlap, parseCidr } from "../components/cidr";
import { Network } from "../components/network";
import { NetworkConfig, PlatformConfig } from "../components/types";
import { ValidationError } from "../components/validation";
import { parseConfig } from "../programs/config";
import { fixedRanges, planGcpNetwork, podNodeCapacity } from "../providers/gcp/ranges";
import { expectLabelled, gcpCommonArgs, gcpConfig, idOf, PROJECT, REGION } from "./gcpFixtures";
import { isSecret, mockPulumi, one, RecordingMocks, settle, valueOf } from "./harness";

const T = {
  network: "gcp:compute/network:Network",
  subnet: "gcp:compute/subnetwork:Subnetwork",
  router: "gcp:compute/router:Router",
  nat: "gcp:compute/routerNat:RouterNat",
  address: "gcp:compute/address:Address",
  firewall: "gcp:compute/firewall:Firewall",
  globalAddress: "gcp:compute/globalAddress:GlobalAddress",
  connection: "gcp:servicenetworking/connection:Connection",
  logBucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  sink: "gcp:logging/projectSink:ProjectSink",
};

async function build(environment: "dev" | "prod", network: Partial<NetworkConfig> = {}) {
  const mocks = await mockPulumi({ region: REGION });
  const base = gcpConfig(environment);
  const config: PlatformConfig = { ...base, network: { ...base.network, ...network } };
  const n = `${config.name}-network`;
  const component = new Network(n, {
    ...gcpCommonArgs(config),
    zones: config.zones,
    network: config.network,
  });
  await valueOf(component.outputs.networkId);
  await settle();
  return { mocks, component, config, n };
}

const subnet = (mocks: RecordingMocks, n: string, tier: string) =>
  one(mocks, T.subnet, `${n}-${tier}`);
const rule = (mocks: RecordingMocks, n: string, role: string) =>
  one(mocks, T.firewall, `${n}-${role}`);

describe("GCP address plan (fixed scheme)", () => {
  it("places pods, subnets, services, private services access and the control plane as documented", () => {
    expect(
      planGcpNetwork({
        cidr: "10.30.0.0/16",
        publicSubnetPrefix: 24,
        privateSubnetPrefix: 19,
        databaseSubnetPrefix: 24,
      }),
    ).toEqual({
      pods: "10.30.0.0/17",
      subnetBlock: "10.30.128.0/18",
      nodes: "10.30.128.0/19",
      proxyOnly: "10.30.160.0/24",
      database: "10.30.161.0/24",
      services: "10.30.192.0/19",
      privateServiceAccess: "10.30.224.0/20",
      controlPlane: "10.30.240.0/28",
    });
    expect(podNodeCapacity("10.30.0.0/16")).toBe(128);
  });

  it("leaves the database tier out when its prefix is 0", () => {
    const plan = planGcpNetwork({
      cidr: "10.30.0.0/16",
      publicSubnetPrefix: 24,
      privateSubnetPrefix: 20,
      databaseSubnetPrefix: 0,
    });
    expect(plan.database).toBeUndefined();
    expect(plan.nodes).toBe("10.30.128.0/20");
  });

  it("names the prefix that does not fit, and refuses networks too small for the pod ranges", () => {
    expect(() =>
      planGcpNetwork({
        cidr: "10.30.0.0/16",
        publicSubnetPrefix: 24,
        privateSubnetPrefix: 18,
        databaseSubnetPrefix: 24,
      }),
    ).toThrow(/network\.privateSubnetPrefix = 18: must be between \/19 and \/28/);
    expect(() => fixedRanges("10.30.0.0/20")).toThrow(ValidationError);
    expect(() => fixedRanges("10.30.0.0/20")).toThrow(
      /network\.cidr = "10\.30\.0\.0\/20": on GCP must be a \/8 to \/18/,
    );
  });

  it("refuses a proxy-only subnet under 64 addresses (/27, /28), in the plan and at config validation", () => {
    const network = {
      cidr: "10.30.0.0/16",
      publicSubnetPrefix: 26,
      privateSubnetPrefix: 19,
      databaseSubnetPrefix: 24,
    };
    expect(planGcpNetwork(network).proxyOnly).toMatch(/\/26$/);
    for (const prefix of [27, 28]) {
      expect(() => planGcpNetwork({ ...network, publicSubnetPrefix: prefix })).toThrow(
        new RegExp(
          `network\\.publicSubnetPrefix = ${prefix}: must be between /19 and /26: .*proxy-only subnet, which must hold at least 64 addresses`,
        ),
      );
    }
    const raw = {
      cloud: "gcp",
      environment: "dev",
      region: "europe-west1",
      zones: ["europe-west1-b", "europe-west1-c"],
      network: { cidr: "10.40.0.0/16", publicSubnetPrefix: 27 },
      kubernetes: {
        nodePools: [{ name: "general", instanceTypes: ["e2-standard-4"], minSize: 1, maxSize: 2 }],
      },
    };
    expect(() => parseConfig(raw)).toThrow(
      /officeless:network\.publicSubnetPrefix = 27: must be between \/19 and \/26/,
    );
    expect(
      parseConfig({ ...raw, network: { cidr: "10.40.0.0/16" } }).network.publicSubnetPrefix,
    ).toBe(24);
  });

  it("never overlaps and stays inside the network, for any valid CIDR and prefixes (property)", () => {
    const arb = fc.record({
      a: fc.integer({ min: 0, max: 255 }),
      b: fc.integer({ min: 0, max: 255 }),
      p: fc.integer({ min: 8, max: 18 }),
      priv: fc.integer({ min: 0, max: 6 }),
      pub: fc.integer({ min: 2, max: 8 }),
      db: fc.integer({ min: 0, max: 8 }),
    });
    fc.assert(
      fc.property(arb, ({ a, b, p, priv, pub, db }) => {
        const start = ((10 << 24) | (a << 16) | (b << 8)) >>> 0;
        const aligned = start - (start % 2 ** (32 - p));
        const cidr = `${aligned >>> 24}.${(aligned >>> 16) & 255}.${(aligned >>> 8) & 255}.${aligned & 255}/${p}`;
        const block = p + 2;
        const sizes = {
          privateSubnetPrefix: Math.min(28, block + 1 + priv),
          publicSubnetPrefix: Math.min(26, block + 2 + pub),
          databaseSubnetPrefix: db === 0 ? 0 : Math.min(28, block + 2 + db),
        };
        const plan = planGcpNetwork({ cidr, ...sizes });
        const ranges = [
          plan.pods,
          plan.nodes,
          plan.proxyOnly,
          plan.services,
          plan.privateServiceAccess,
          plan.controlPlane,
        ];
        if (plan.database) ranges.push(plan.database);
        for (const r of ranges) {
          expect(parseCidr(r)).toBeDefined();
          expect(cidrContains(cidr, r)).toBe(true);
        }
        for (let i = 0; i < ranges.length; i++) {
          for (let j = i + 1; j < ranges.length; j++)
            expect(cidrsOverlap(ranges[i], ranges[j])).toBe(false);
        }
        expect(fixedRanges(cidr).controlPlane).toBe(plan.controlPlane);
      }),
      { numRuns: 200 },
    );
  });
});

describe("GCP network", () => {
  it("is a custom-mode VPC with a regional node subnet carrying pods and services ranges and private Google access", async () => {
    const { mocks, n } = await build("prod");
    expect(one(mocks, T.network).inputs).toMatchObject({
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
    });
    expect(subnet(mocks, n, "private").inputs).toMatchObject({
      network: `${n}-vpc-id`,
      region: REGION,
      ipCidrRange: "10.30.128.0/19",
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: "pods", ipCidrRange: "10.30.0.0/17" },
        { rangeName: "services", ipCidrRange: "10.30.192.0/19" },
      ],
    });
  });

  it("adds the proxy-only subnet (public tier) and the isolated database subnet", async () => {
    const { mocks, n } = await build("prod");
    expect(subnet(mocks, n, "public").inputs).toMatchObject({
      ipCidrRange: "10.30.160.0/24",
      purpose: "REGIONAL_MANAGED_PROXY",
      role: "ACTIVE",
    });
    expect(subnet(mocks, n, "database").inputs).toMatchObject({
      ipCidrRange: "10.30.161.0/24",
      privateIpGoogleAccess: true,
    });
  });

  it("logs flows on the node and database subnets (every flow in prod) and keeps them for the configured days", async () => {
    const { mocks, n } = await build("prod");
    for (const tier of ["private", "database"]) {
      expect(subnet(mocks, n, tier).inputs.logConfig).toEqual({
        aggregationInterval: "INTERVAL_5_SEC",
        flowSampling: 1,
        metadata: "INCLUDE_ALL_METADATA",
      });
    }
    const bucket = one(mocks, T.logBucket);
    expect(bucket.inputs).toMatchObject({
      project: PROJECT,
      bucketId: `${n}-flow-logs`,
      retentionDays: 90,
      location: "global",
    });
    expect(bucket.options.protect).toBe(true);
    const sink = one(mocks, T.sink);
    expect(sink.inputs.destination).toBe(
      `logging.googleapis.com/projects/${PROJECT}/locations/global/buckets/${n}-flow-logs`,
    );
    expect(sink.inputs.filter).toContain('log_id("compute.googleapis.com/vpc_flows")');
    expect(sink.inputs.filter).toContain(`resource.labels.subnetwork_name="${n}-private"`);
    expect(sink.inputs.filter).toContain(`resource.labels.subnetwork_name="${n}-database"`);
  });

  it("samples half the flows and leaves the log bucket unprotected in dev", async () => {
    const { mocks, n } = await build("dev");
    expect(
      (subnet(mocks, n, "private").inputs.logConfig as { flowSampling: number }).flowSampling,
    ).toBe(0.5);
    expect(one(mocks, T.logBucket).options.protect).toBe(false);
  });

  it("gives the dev log bucket a random suffix, so a recreated stack never adopts the bucket pending deletion", async () => {
    const { mocks, n } = await build("dev");
    const bucketId = one(mocks, T.logBucket).inputs.bucketId as string;
    expect(bucketId).toMatch(new RegExp(`^${n}-flow-logs-[a-z0-9]{6}$`));
    expect(one(mocks, T.sink).inputs.destination).toBe(
      `logging.googleapis.com/projects/${PROJECT}/locations/global/buckets/${bucketId}`,
    );
    expect(one(mocks, "random:index/randomString:RandomString").inputs).toMatchObject({
      length: 6,
      special: false,
      upper: false,
    });
  });

  it("NATs the node subnet only, through one static address per zone, logging errors", async () => {
    const { mocks, n, component } = await build("prod");
    const addresses = mocks.byType(T.address);
    expect(addresses.map((a) => a.name)).toEqual([0, 1, 2].map((i) => `${n}-nat-ip-${i}`));
    for (const a of addresses)
      expect(a.inputs).toMatchObject({ addressType: "EXTERNAL", region: REGION });
    expect(one(mocks, T.router).inputs).toMatchObject({ network: `${n}-vpc-id`, region: REGION });
    const nat = one(mocks, T.nat);
    expect(nat.inputs).toMatchObject({
      router: `${n}-router`,
      natIpAllocateOption: "MANUAL_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetworks: [{ name: `${n}-private-id`, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
      enableDynamicPortAllocation: true,
      enableEndpointIndependentMapping: false,
    });
    expect(nat.inputs.natIps).toHaveLength(3);
    expect(await valueOf(component.outputs.natPublicIps)).toHaveLength(3);
  });

  it("uses one NAT address with natGateways: single", async () => {
    const { mocks } = await build("dev");
    expect(mocks.byType(T.address)).toHaveLength(1);
  });

  it("denies all ingress at priority 65534 and allows only what nodes need, to the node tag", async () => {
    const { mocks, n } = await build("prod");
    expect(mocks.byType(T.firewall)).toHaveLength(6);
    expect(rule(mocks, n, "deny-all-ingress").inputs).toMatchObject({
      direction: "INGRESS",
      priority: 65534,
      denies: [{ protocol: "all" }],
      sourceRanges: ["0.0.0.0/0"],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    });
    expect(rule(mocks, n, "allow-intra-cluster").inputs).toMatchObject({
      sourceRanges: ["10.30.128.0/19", "10.30.0.0/17"],
      targetTags: ["officeless-gke-node"],
    });
    expect(rule(mocks, n, "allow-control-plane").inputs).toMatchObject({
      allows: [{ protocol: "tcp", ports: ["443", "10250", "8443", "9443", "15017"] }],
      sourceRanges: ["10.30.240.0/28"],
      targetTags: ["officeless-gke-node"],
    });
    expect(rule(mocks, n, "allow-health-checks").inputs).toMatchObject({
      sourceRanges: ["35.191.0.0/16", "130.211.0.0/22"],
      targetTags: ["officeless-gke-node"],
    });
    expect(rule(mocks, n, "allow-lb-proxies").inputs).toMatchObject({
      sourceRanges: ["10.30.160.0/24"],
      targetTags: ["officeless-gke-node"],
    });
    // NFSv3 lock/status callbacks from Filestore, which lives in the private services access range.
    expect(rule(mocks, n, "allow-nfs-callbacks").inputs).toMatchObject({
      direction: "INGRESS",
      priority: 1000,
      allows: [{ protocol: "tcp" }, { protocol: "udp" }],
      sourceRanges: ["10.30.224.0/20"],
      targetTags: ["officeless-gke-node"],
    });
    for (const r of mocks.byType(T.firewall).filter((f) => f.name !== `${n}-deny-all-ingress`)) {
      expect(r.inputs.sourceRanges).not.toContain("0.0.0.0/0");
      expect(r.inputs.allows).not.toContainEqual({ protocol: "all" });
    }
  });

  it("opens the configured webhook ports from the control plane, and only 443 and 10250 with none", async () => {
    const ports = async (webhookPorts: number[]) => {
      const { mocks, n } = await build("dev", { webhookPorts });
      return rule(mocks, n, "allow-control-plane").inputs.allows;
    };
    expect(await ports([8443, 443])).toEqual([
      { protocol: "tcp", ports: ["443", "10250", "8443"] },
    ]);
    expect(await ports([])).toEqual([{ protocol: "tcp", ports: ["443", "10250"] }]);
  });

  it("validates officeless:network.webhookPorts: whole ports in range, no repeats, defaulting to safer-cluster's", () => {
    const raw = (webhookPorts?: unknown) => {
      const c = gcpConfig("dev");
      return {
        cloud: "gcp",
        environment: "dev",
        region: c.region,
        zones: [...c.zones],
        network: { cidr: c.network.cidr, ...(webhookPorts === undefined ? {} : { webhookPorts }) },
        kubernetes: {
          nodePools: [
            { name: "general", instanceTypes: ["n2-standard-4"], minSize: 1, maxSize: 3 },
          ],
        },
      };
    };
    expect(parseConfig(raw()).network.webhookPorts).toEqual([8443, 9443, 15017]);
    expect(parseConfig(raw(["8443"])).network.webhookPorts).toEqual([8443]);
    for (const bad of [[0], [70000], [8443, 8443], ["https"]]) {
      expect(() => parseConfig(raw(bad))).toThrow(/officeless:network\.webhookPorts/);
    }
  });

  it("reserves the private services access range inside the network and peers it with service networking", async () => {
    const { mocks, n } = await build("prod");
    expect(one(mocks, T.globalAddress).inputs).toMatchObject({
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address: "10.30.224.0",
      prefixLength: 20,
      network: `${n}-vpc-id`,
    });
    expect(one(mocks, T.connection).inputs).toMatchObject({
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [`${n}-psa-range`],
      // Its delete fails while producers linger; the runner's pre-destroy removes the peering.
      deletionPolicy: "ABANDON",
    });
  });

  it("exports one regional subnet per tier, no route tables, and the CIDR", async () => {
    const { component, n } = await build("prod");
    expect(await valueOf(component.outputs.privateSubnetIds)).toEqual([`${n}-private-id`]);
    expect(await valueOf(component.outputs.publicSubnetIds)).toEqual([`${n}-public-id`]);
    expect(await valueOf(component.outputs.databaseSubnetIds)).toEqual([`${n}-database-id`]);
    expect(await valueOf(component.outputs.privateRouteTableIds)).toEqual([]);
    expect(await valueOf(component.outputs.cidr)).toBe("10.30.0.0/16");
    expect(await valueOf(component.outputs.networkId)).toBe(`${n}-vpc-id`);
    expect(await isSecret(component.outputs.networkId)).toBe(false);
  });

  it("has no database subnet when the tier is off", async () => {
    const { mocks, component, n } = await build("prod", { databaseSubnetPrefix: 0 });
    expect(
      mocks
        .byType(T.subnet)
        .map((s) => s.name)
        .sort(),
    ).toEqual([`${n}-private`, `${n}-public`]);
    expect(await valueOf(component.outputs.databaseSubnetIds)).toEqual([]);
  });

  it("labels every labelable resource with lower-case platform labels", async () => {
    const { mocks } = await build("prod");
    expectLabelled(mocks.resources, "prod", "network");
  });

  it("fails before creating anything when the prefixes do not fit the scheme", async () => {
    const mocks = await mockPulumi({ region: REGION });
    const config = gcpConfig("prod");
    expect(
      () =>
        new Network("bad", {
          ...gcpCommonArgs(config),
          zones: config.zones,
          network: { ...config.network, privateSubnetPrefix: 18 },
        }),
    ).toThrow(/privateSubnetPrefix/);
    await settle();
    expect(mocks.resources.filter((r) => r.type.startsWith("gcp:"))).toEqual([]);
  });

  it("enables the compute, service networking and logging APIs, and every resource waits for them", async () => {
    const { mocks } = await build("prod");
    const apis = mocks.byType("gcp:projects/service:Service");
    expect(apis.map((a) => a.inputs)).toEqual(
      ["compute", "logging", "servicenetworking"].map((api) => ({
        project: PROJECT,
        service: `${api}.googleapis.com`,
        disableOnDestroy: false,
        disableDependentServices: false,
      })),
    );
    const others = mocks.resources.filter(
      (r) => r.custom && r.type !== "gcp:projects/service:Service",
    );
    expect(others.length).toBeGreaterThan(10);
    for (const r of others) {
      for (const api of apis)
        expect({ r: r.name, deps: r.options.dependsOn }).toEqual({
          r: r.name,
          deps: expect.arrayContaining([api.urn]),
        });
    }
  });

  it("keeps logical names stable", async () => {
    const { mocks, n } = await build("prod");
    const names = mocks.resources
      .filter((r) => r.custom)
      .map((r) => r.name)
      .sort();
    expect(names).toEqual(
      [
        "vpc",
        "private",
        "public",
        "database",
        "router",
        "nat",
        "nat-ip-0",
        "nat-ip-1",
        "nat-ip-2",
        "deny-all-ingress",
        "allow-intra-cluster",
        "allow-control-plane",
        "allow-health-checks",
        "allow-lb-proxies",
        "allow-nfs-callbacks",
        "psa-range",
        "psa",
        "flow-logs-bucket",
        "flow-logs-sink",
        "api-compute",
        "api-logging",
        "api-servicenetworking",
      ]
        .map((r) => `${n}-${r}`)
        .sort(),
    );
    expect(idOf(one(mocks, T.network))).toBe(`${n}-vpc-id`);
  });
});
