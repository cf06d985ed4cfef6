/**
 * The Volcengine layers after the cluster: load balancing, add-ons, VPN, cache and observability,
 * and the Helm values every Volcengine release passes.
 */
import * as pulumi from "@pulumi/pulumi";
import { Backup } from "../../components/backup";
import { Cache } from "../../components/cache";
import { ClusterAddons } from "../../components/clusterAddons";
import { LoadBalancing } from "../../components/loadBalancing";
import { CHARTS } from "../../components/charts";
import { Observability } from "../../components/observability";
import { OBSERVABILITY_USE_CHARTS } from "../../components/observabilityCollection";
import { KubernetesCluster } from "../../components/kubernetesCluster";
import { Network } from "../../components/network";
import { Storage } from "../../components/storage";
import { Vpn } from "../../components/vpn";
import { parseConfig } from "../../programs/config";
import { bindingSet } from "../../sdks/binding";
import { VOLCENGINE } from "../../sdks/volcengine";
import { CLB_ID_ANNOTATION } from "../../providers/volcengine/loadBalancing";
import { IPSEC_PROPOSAL } from "../../providers/volcengine/vpn";
import { helmReleases, expectReleasesConform, recordChartReleases } from "../helmRules";
import { expectVolumePolicyInstalled } from "../veleroPolicy";
import {
  isSecret,
  mockPulumi,
  one,
  policyStatements,
  releaseValues,
  settle,
  valueOf,
} from "../harness";
import {
  BUCKETS,
  commonArgs,
  kubernetesOutputs,
  networkOutputs,
  STORAGE_KEY,
  storageOutputs,
  T,
  volcengineConfig,
  withKubernetes,
  ZONES,
} from "./fixtures";
import {
  centralWithPrivateGrafana,
  expectPrivateLoadBalancers,
} from "../observability/privateEndpoints";

describe("Volcengine load balancing and add-ons", () => {
  it("puts Traefik's Service on a private CLB of ours in the private subnets", async () => {
    const mocks = await mockPulumi({ region: "cn-shanghai" });
    const config = volcengineConfig("prod");
    const lb = new LoadBalancing(
      "lb",
      { ...commonArgs(config), network: networkOutputs(), kubernetes: kubernetesOutputs() },
      withKubernetes(),
    );
    expect(await valueOf(lb.outputs.ingressClassName)).toBe("traefik");
    await settle();
    const clb = one(mocks, T.clb);
    expect(clb.inputs).toMatchObject({
      type: "private",
      subnetId: "subnet-private-0",
      vpcId: "vpc-officeless",
      masterZoneId: ZONES[0],
      slaveZoneId: ZONES[1],
    });
    const values = releaseValues(mocks, "lb-traefik");
    expect(values.service.annotations).toEqual({ [CLB_ID_ANNOTATION]: "lb-clb-id" });
    expect(values.ingressClass).toEqual({ enabled: true, isDefaultClass: true, name: "traefik" });
    expect(values.deployment.replicas).toBe(3);
  });

  it("installs VKE's metrics-server add-on and reports VKE's autoscaler", async () => {
    const mocks = await mockPulumi({ region: "cn-shanghai" });
    const config = volcengineConfig("prod");
    const addons = new ClusterAddons(
      "addons",
      {
        ...commonArgs(config),
        kubernetes: kubernetesOutputs(),
        kubernetesConfig: config.kubernetes,
        network: networkOutputs(),
      },
      withKubernetes(),
    );
    expect(await valueOf(addons.outputs.nodeAutoscaler)).toBe("vke-cluster-autoscaler");
    await settle();
    expect(one(mocks, T.addon).inputs).toMatchObject({
      clusterId: "cc-officeless",
      name: "metrics-server",
    });
    expect(mocks.byType(T.release)).toEqual([]);
  });
});

describe("Volcengine VPN", () => {
  async function build(preSharedKey?: string) {
    const mocks = await mockPulumi({ region: "cn-shanghai" });
    const config = volcengineConfig("prod");
    const peer = {
      ...config.vpn.peers[0],
      ...(preSharedKey ? { preSharedKey: pulumi.secret(preSharedKey) } : {}),
    };
    const vpn = new Vpn("vpn", {
      ...commonArgs(config),
      zones: ZONES,
      vpn: { enabled: true, peers: [peer] },
      network: networkOutputs(),
    });
    await valueOf(vpn.outputs.connections);
    await settle();
    return { mocks, vpn };
  }

  it("connects each peer with IKEv2, AES-256, SHA-256 and DH group 14 to the VPC's CIDR", async () => {
    const { mocks } = await build();
    const connection = one(mocks, T.vpnConnection);
    expect(connection.inputs).toMatchObject({
      ...IPSEC_PROPOSAL,
      localSubnets: ["10.50.0.0/16"],
      remoteSubnets: ["192.168.0.0/16"],
      vpnGatewayId: "vpn-gateway-id",
      customerGatewayId: "vpn-office-customer-gateway-id",
      ikeConfigPsk: "[secret]",
    });
    expect(IPSEC_PROPOSAL).toMatchObject({
      ikeConfigVersion: "ikev2",
      ikeConfigEncAlg: "aes256",
      ikeConfigAuthAlg: "sha256",
      ikeConfigDhGroup: "group14",
      ipsecConfigDhGroup: "group14",
    });
    expect(one(mocks, T.customerGateway).inputs.ipAddress).toBe("198.51.100.7");
    expect(one(mocks, T.vpnGateway).inputs.subnetId).toBe("subnet-public-0");
  });

  it("routes the peer's networks to the connection and, in every private route table, to the gateway", async () => {
    const { mocks } = await build();
    expect(one(mocks, T.vpnRoute).inputs).toEqual({
      vpnGatewayId: "vpn-gateway-id",
      destinationCidrBlock: "192.168.0.0/16",
      nextHopId: "vpn-office-connection-id",
    });
    const routes = mocks.byType(T.routeEntry);
    expect(routes.map((r) => r.inputs.routeTableId).sort()).toEqual([
      "vtb-private-0",
      "vtb-private-1",
      "vtb-private-2",
    ]);
    for (const r of routes)
      expect(r.inputs).toMatchObject({
        destinationCidrBlock: "192.168.0.0/16",
        nextHopType: "VpnGW",
        nextHopId: "vpn-gateway-id",
      });
  });

  it("names each route by its CIDR and replaces it delete-first (ForceNew; one route per destination)", async () => {
    const mocks = await mockPulumi({ region: "cn-shanghai" });
    const config = volcengineConfig("prod");
    const cidrs = ["10.20.0.0/16", "192.168.0.0/16"];
    new Vpn("vpn", {
      ...commonArgs(config),
      zones: ZONES,
      vpn: { enabled: true, peers: [{ ...config.vpn.peers[0], cidrs }] },
      network: networkOutputs(),
    });
    await settle();
    const gatewayRoutes = mocks.byType(T.vpnRoute);
    expect(
      Object.fromEntries(gatewayRoutes.map((r) => [r.name, r.inputs.destinationCidrBlock])),
    ).toEqual({
      "vpn-office-route-10-20-0-0-16": "10.20.0.0/16",
      "vpn-office-route-192-168-0-0-16": "192.168.0.0/16",
    });
    const tableRoutes = mocks.byType(T.routeEntry);
    expect(tableRoutes).toHaveLength(6);
    expect(tableRoutes.map((r) => r.name).sort()).toEqual(
      ["10-20-0-0-16", "192-168-0-0-16"].flatMap((c) =>
        [0, 1, 2].map((z) => `vpn-office-route-${c}-${z}`),
      ),
    );
    for (const r of [...gatewayRoutes, ...tableRoutes])
      expect(r.options.deleteBeforeReplace).toBe(true);
  });

  it("refuses more than 5 remote subnets per peer (vpn_connection remote_subnet)", () => {
    const raw = {
      cloud: "volcengine",
      environment: "dev",
      region: "cn-shanghai",
      zones: ["cn-shanghai-a", "cn-shanghai-b"],
      network: { cidr: "10.60.0.0/16" },
      kubernetes: {
        nodePools: [
          { name: "general", instanceTypes: ["ecs.g3il.xlarge"], minSize: 1, maxSize: 2 },
        ],
      },
      vpn: {
        enabled: true,
        peers: [
          {
            name: "office",
            publicIp: "198.51.100.7",
            cidrs: Array.from({ length: 6 }, (_, i) => `192.168.${i}.0/24`),
          },
        ],
      },
      cache: { engine: "redis" },
    };
    expect(() => parseConfig(raw)).toThrow(
      /officeless:vpn.peers\[0\].cidrs = .*at most 5 remote subnets/,
    );
    raw.vpn.peers[0].cidrs.pop();
    expect(parseConfig(raw).vpn.peers[0].cidrs).toHaveLength(5);
  });

  it("exports the generated or configured key as a secret, one per peer", async () => {
    const generated = await build();
    expect(await isSecret(generated.vpn.outputs.tunnelPreSharedKeys)).toBe(true);
    expect(Object.keys(await valueOf(generated.vpn.outputs.tunnelPreSharedKeys))).toEqual([
      "office",
    ]);
    const configured = await build("configured-key-123");
    expect(await valueOf(configured.vpn.outputs.tunnelPreSharedKeys)).toEqual({
      office: ["configured-key-123"],
    });
  });
});

describe("Volcengine cache (Redis)", () => {
  async function build(environment: "dev" | "prod") {
    const mocks = await mockPulumi({ region: "cn-shanghai" });
    const base = volcengineConfig(environment);
    const cache = new Cache("cache", {
      ...commonArgs(base),
      zones: ZONES,
      cache: environment === "prod" ? base.cache : { ...base.cache, replicas: 0 },
      network: networkOutputs(),
      kubernetes: kubernetesOutputs(),
    });
    await valueOf(cache.outputs.primaryEndpoint);
    await settle();
    return { mocks, cache };
  }

  it("spreads primary and replicas over the zones in prod, password auth only, protected", async () => {
    const { mocks, cache } = await build("prod");
    const redis = one(mocks, T.redis);
    expect(redis.inputs).toMatchObject({
      engineVersion: "7.0",
      shardedCluster: 0,
      shardCapacity: 4096,
      nodeNumber: 3,
      multiAz: "enabled",
      configureNodes: ZONES.map((az) => ({ az })),
      subnetId: "subnet-private-0",
      vpcAuthMode: "close",
      password: "[secret]",
      deletionProtection: "enabled",
      createBackup: true,
      backupActive: true,
    });
    expect(redis.options.protect).toBe(true);
    expect(await isSecret(cache.outputs.authToken)).toBe(true);
    expect(await valueOf(cache.outputs.primaryEndpoint)).toBe("cache-redis-id.redis.ivolces.com");
  });

  it("admits only the private subnets through an allow-list bound to the instance", async () => {
    const { mocks } = await build("prod");
    expect(one(mocks, T.allowList).inputs.allowLists).toEqual([
      "10.0.0.0/19",
      "10.0.32.0/19",
      "10.0.64.0/19",
    ]);
    expect(one(mocks, T.allowListAssociate).inputs).toEqual({
      allowListId: expect.stringMatching(/^acl-/),
      instanceId: "cache-redis-id",
    });
  });

  it("never replaces the instance for a cache.version change (engine_version is ForceNew)", async () => {
    const { mocks } = await build("prod");
    expect(one(mocks, T.redis).options.ignoreChanges).toEqual(["engineVersion"]);
  });

  it("is one node in one zone outside prod, deletable", async () => {
    const { mocks } = await build("dev");
    expect(one(mocks, T.redis).inputs).toMatchObject({
      nodeNumber: 1,
      multiAz: "disabled",
      configureNodes: [{ az: ZONES[0] }],
      deletionProtection: "disabled",
    });
  });
});

describe("Volcengine observability", () => {
  it("stores each signal in its bucket on TOS's virtual-hosted S3 endpoint as a user scoped to that bucket", async () => {
    const mocks = await mockPulumi({ region: "cn-shanghai" });
    const config = volcengineConfig("prod");
    const obs = new Observability(
      "obs",
      {
        ...commonArgs(config),
        observability: config.observability,
        zones: ZONES,
        kubernetes: kubernetesOutputs(),
        storage: storageOutputs(),
      },
      withKubernetes(),
    );
    await valueOf(obs.outputs.releases);
    await settle();
    const mimir = releaseValues(mocks, "obs-mimir");
    expect(JSON.stringify(mimir)).toContain("tos-s3-cn-shanghai.ivolces.com");
    expect(JSON.stringify(mimir)).not.toMatch(/secret_access_key|SecretAccessKey/i);
    // TOS serves virtual-hosted buckets only; minio-go's auto lookup would pick path style.
    expect(mimir.mimir.structuredConfig.common.storage.s3.bucket_lookup_type).toBe(
      "virtual-hosted",
    );
    expect(releaseValues(mocks, "obs-tempo").storage.trace.s3.bucket_lookup_type).toBe(1);
    expect(releaseValues(mocks, "obs-loki").loki.storage.s3.s3ForcePathStyle).toBe(false);
    const buckets = { mimir: BUCKETS.metrics, loki: BUCKETS.logs, tempo: BUCKETS.traces };
    for (const [signal, bucket] of Object.entries(buckets)) {
      const [objects, kms] = policyStatements(
        one(mocks, T.iamPolicy, `obs-${signal}-policy`).inputs.policyDocument,
      );
      expect(objects.Resource).toEqual([`trn:tos:::${bucket}`, `trn:tos:::${bucket}/*`]);
      expect(kms.Resource).toEqual([STORAGE_KEY]);
      expect(one(mocks, T.iamAttachment, `obs-${signal}-policy-attachment`).inputs.policyType).toBe(
        "Custom",
      );
      const secret = one(mocks, T.secret, `obs-${signal}-object-store`);
      expect(secret.inputs.stringData).toBe("[secret]");
      const release = one(mocks, T.release, `obs-${signal}`);
      expect(release.options.dependsOn).toContain(
        one(mocks, T.iamAttachment, `obs-${signal}-policy-attachment`).urn,
      );
    }
  });
});

describe("Volcengine central mode and private Grafana", () => {
  it("put the write path and Grafana on private CLBs in the cluster's subnet, read from the cluster", async () => {
    const mocks = await mockPulumi({ region: "cn-shanghai" });
    const config = volcengineConfig("prod");
    new Observability(
      "obs",
      {
        ...commonArgs(config),
        observability: centralWithPrivateGrafana(config.observability),
        zones: ZONES,
        kubernetes: kubernetesOutputs(),
        storage: storageOutputs(),
      },
      withKubernetes(),
    );
    await settle();
    // One read of the cluster (its subnets), shared by both load balancers.
    expect(mocks.byType("volcengine:vke/cluster:Cluster", "obs-lb-subnet-read")).toHaveLength(1);
    expectPrivateLoadBalancers(mocks, {
      "service.beta.kubernetes.io/volcengine-loadbalancer-address-type": "PRIVATE",
      "service.beta.kubernetes.io/volcengine-loadbalancer-subnet-id":
        expect.stringMatching(/^subnet-/),
    });
  });
});

describe("Helm values of the Volcengine releases", () => {
  it.each(["prod", "dev"] as const)(
    "use only keys the pinned charts know (%s)",
    async (environment) => {
      const releases = await recordChartReleases("cn-shanghai", () => {
        const config = volcengineConfig(environment);
        return {
          config,
          common: commonArgs(config),
          network: networkOutputs(config.zones),
          kubernetes: kubernetesOutputs(),
          storage: storageOutputs(),
          opts: withKubernetes(),
        };
      });
      expect(releases.map((r) => `${r.chart}@${r.version}`).sort()).toEqual(
        [
          "loki@18.11.0",
          "mimir-distributed@6.1.0",
          "tempo-distributed@2.26.2",
          "traefik@41.3.0",
          ...OBSERVABILITY_USE_CHARTS.map((key) => `${CHARTS[key].chart}@${CHARTS[key].version}`),
        ].sort(),
      );
      expectReleasesConform(releases);
    },
  );

  it("Velero's values use only keys the pinned chart knows", async () => {
    const mocks = await mockPulumi({ region: "cn-shanghai" });
    const config = volcengineConfig("prod");
    new Backup(
      "b",
      {
        ...commonArgs(config),
        backup: config.backup,
        storage: storageOutputs(),
        kubernetes: kubernetesOutputs(),
      },
      withKubernetes(),
    );
    await settle();
    const releases = helmReleases(mocks);
    expect(releases.map((r) => r.chart)).toEqual(["velero"]);
    expectReleasesConform(releases);
    // The shared volume policy, before the release whose schedule references it.
    const doc = expectVolumePolicyInstalled(mocks, "b-velero-volume-policy", "b-velero");
    expect(doc.volumePolicies).toHaveLength(4);
  });
});

describe("Volcengine tags", () => {
  it("tag every resource whose binding takes tags with the platform's tags", async () => {
    const mocks = await mockPulumi({ region: "cn-shanghai" });
    const config = volcengineConfig("prod");
    const common = commonArgs(config);
    new Network("net", { ...common, zones: ZONES, network: config.network });
    new KubernetesCluster("k8s", {
      ...common,
      zones: ZONES,
      kubernetes: config.kubernetes,
      network: networkOutputs(),
    });
    new Storage(
      "st",
      {
        ...common,
        zones: ZONES,
        storage: config.storage,
        network: networkOutputs(),
        kubernetes: kubernetesOutputs(),
      },
      withKubernetes(),
    );
    new Vpn("vpn", { ...common, zones: ZONES, vpn: config.vpn, network: networkOutputs() });
    new Cache("cache", {
      ...common,
      zones: ZONES,
      cache: config.cache,
      network: networkOutputs(),
      kubernetes: kubernetesOutputs(),
    });
    new LoadBalancing(
      "lb",
      { ...common, network: networkOutputs(), kubernetes: kubernetesOutputs() },
      withKubernetes(),
    );
    await settle();
    const descriptors = bindingSet(VOLCENGINE).resources;
    const tagged = mocks.resources.filter(
      (r) =>
        r.type.startsWith("volcengine:") &&
        descriptors.get(r.type)?.inputs.tags &&
        // Reads of existing subnets take no inputs.
        !r.name.endsWith("-read"),
    );
    expect(new Set(tagged.map((r) => r.type)).size).toBeGreaterThan(10);
    const untagged = tagged
      .filter(
        (r) =>
          !(r.inputs.tags as { key: string }[] | undefined)?.some((t) => t.key === "managed-by"),
      )
      .map((r) => `${r.type} ${r.name}`);
    expect(untagged).toEqual([]);
  });
});
