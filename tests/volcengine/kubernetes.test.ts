import { KubernetesCluster } from "../../components/kubernetesCluster";
import { Environment, KubernetesConfig } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { parseConfig } from "../../programs/config";
import { serviceCidr } from "../../providers/volcengine/catalog";
import { KUBECONFIG_VALID_HOURS, kubeconfigCluster } from "../../providers/volcengine/kubernetes";
import { isSecret, mockPulumi, one, settle, valueOf } from "../harness";
import { commonArgs, networkOutputs, T, volcengineConfig, ZONES } from "./fixtures";

async function build(environment: Environment, kubernetes: Partial<KubernetesConfig> = {}) {
  const mocks = await mockPulumi({ region: "cn-shanghai" });
  const config = volcengineConfig(environment);
  const n = config.name;
  const component = new KubernetesCluster(n, {
    ...commonArgs(config),
    zones: config.zones,
    kubernetes: { ...config.kubernetes, ...kubernetes },
    network: networkOutputs(),
  });
  await valueOf(component.outputs.kubeconfig);
  await settle();
  return { mocks, component, config, n };
}

describe("Volcengine kubernetes (VKE)", () => {
  it("keeps the API private, turns on IRSA and every control-plane log with the configured retention", async () => {
    const { mocks, config, n } = await build("prod");
    const cluster = one(mocks, T.cluster, `${n}-cluster`);
    expect(cluster.inputs.clusterConfig).toMatchObject({
      subnetIds: ["subnet-private-0", "subnet-private-1", "subnet-private-2"],
      apiServerPublicAccessEnabled: false,
      resourcePublicAccessDefaultEnabled: false,
    });
    expect(cluster.inputs.irsaEnabled).toBe(true);
    expect((cluster.inputs.loggingConfig as any).logSetups).toEqual(
      ["Audit", "KubeApiServer", "KubeScheduler", "KubeControllerManager"].map((logType) => ({
        logType,
        enabled: true,
        logTtl: config.kubernetes.logRetentionDays,
      })),
    );
    expect(cluster.inputs.podsConfig).toEqual({
      podNetworkMode: "VpcCniShared",
      vpcCniConfig: { subnetIds: ["subnet-private-0", "subnet-private-1", "subnet-private-2"] },
    });
    expect(cluster.inputs.servicesConfig).toEqual({ serviceCidrsv4s: ["172.30.0.0/18"] });
  });

  it("protects the cluster from deletion in prod only", async () => {
    const prod = await build("prod");
    expect(one(prod.mocks, T.cluster, `${prod.n}-cluster`).inputs.deleteProtectionEnabled).toBe(
      true,
    );
    const dev = await build("dev");
    expect(one(dev.mocks, T.cluster, `${dev.n}-cluster`).inputs.deleteProtectionEnabled).toBe(
      false,
    );
  });

  it("never replaces the cluster for a version change (kubernetes_version is ForceNew)", async () => {
    const { mocks, n } = await build("prod");
    expect(one(mocks, T.cluster, `${n}-cluster`).options.ignoreChanges).toContain(
      "kubernetesVersion",
    );
  });

  it("spreads each pool over every zone with ZoneBalance, bounds per zone times zones, size left to the autoscaler", async () => {
    const { mocks, n, config } = await build("prod");
    const pool = one(mocks, T.nodePool, `${n}-general`);
    const general = config.kubernetes.nodePools[0];
    expect(pool.inputs.autoScaling).toEqual({
      enabled: true,
      minReplicas: general.minSize * 3,
      maxReplicas: general.maxSize * 3,
      desiredReplicas: general.desiredSize * 3,
      subnetPolicy: "ZoneBalance",
    });
    expect(pool.inputs.nodeConfig).toMatchObject({
      instanceTypeIds: ["ecs.g3il.xlarge"],
      subnetIds: ["subnet-private-0", "subnet-private-1", "subnet-private-2"],
      systemVolume: { type: "ESSD_PL0", size: 100 },
      security: { securityGroupIds: [`${n}-nodes-sg-id`] },
    });
    expect(pool.inputs.kubernetesConfig).toMatchObject({
      cordon: false,
      labels: [{ key: "workload", value: "general" }],
    });
    expect(pool.options.ignoreChanges).toEqual(["autoScaling.desiredReplicas"]);
    // Pools wait for VKE's autoscaler add-on.
    const autoscaler = one(mocks, T.addon, `${n}-cluster-autoscaler`);
    expect(autoscaler.inputs).toMatchObject({ name: "cluster-autoscaler", deployMode: "Managed" });
    expect(pool.options.dependsOn).toContain(autoscaler.urn);
  });

  it("creates a private kubeconfig after the pools and reads it back from the cluster (a new cluster lists none)", async () => {
    const { mocks, n, component } = await build("prod");
    const pools = mocks.byType(T.nodePool);
    expect(pools.length).toBe(2);
    const access = one(mocks, T.kubeconfig, `${n}-kubeconfig`);
    expect(access.inputs).toEqual({
      clusterId: `${n}-cluster-id`,
      type: "Private",
      validDuration: KUBECONFIG_VALID_HOURS,
    });
    expect(KUBECONFIG_VALID_HOURS).toBe(43800);
    for (const pool of pools) expect(access.options.dependsOn).toContain(pool.urn);
    // Replaced (rotation) delete-first, so the cluster's listing holds the new one only.
    expect(access.options.deleteBeforeReplace).toBe(true);
    // The created cluster lists no kubeconfig (the mock, like VKE, returns ""): the output comes
    // from a read of the cluster that waits for the kubeconfig and for core-dns.
    const read = one(mocks, T.cluster, `${n}-cluster-read`);
    expect(read.inputs).toEqual({});
    expect(read.options.dependsOn).toEqual(
      expect.arrayContaining([access.urn, one(mocks, T.addon, `${n}-core-dns`).urn]),
    );
    expect(await valueOf(component.outputs.kubeconfig)).toContain("client-certificate-data");
  });

  it("installs core-dns on the nodes once the pools exist", async () => {
    const { mocks, n } = await build("dev");
    const dns = one(mocks, T.addon, `${n}-core-dns`);
    expect(dns.inputs).toEqual({
      clusterId: `${n}-cluster-id`,
      name: "core-dns",
      deployMode: "Unmanaged",
      deployNodeType: "Node",
    });
    for (const pool of mocks.byType(T.nodePool)) expect(dns.options.dependsOn).toContain(pool.urn);
  });

  it("names the office rules by CIDR, so removing one moves no other", async () => {
    const { mocks, n } = await build("prod", {
      endpoint: { publicAccessCidrs: [], privateAccessCidrs: ["172.16.0.0/16", "192.168.0.0/16"] },
    });
    const office = mocks
      .byType(T.securityGroupRule)
      .filter((r) => r.name.startsWith(`${n}-nodes-sg-private-`));
    expect(Object.fromEntries(office.map((r) => [r.name, r.inputs.cidrIp]))).toEqual({
      [`${n}-nodes-sg-private-172-16-0-0-16`]: "172.16.0.0/16",
      [`${n}-nodes-sg-private-192-168-0-0-16`]: "192.168.0.0/16",
    });
  });

  it("admits only the VPC and the office networks to the nodes, and lets them out", async () => {
    const { mocks, n } = await build("prod");
    const rules = mocks.byType(T.securityGroupRule);
    const ingress = rules.filter((r) => r.inputs.direction === "ingress");
    expect(ingress.map((r) => r.inputs.cidrIp).sort()).toEqual(["10.50.0.0/16", "192.168.0.0/16"]);
    const egress = rules.filter((r) => r.inputs.direction === "egress");
    expect(egress.map((r) => r.inputs.cidrIp)).toEqual(["0.0.0.0/0"]);
    for (const rule of rules)
      expect(rule.inputs).toMatchObject({
        securityGroupId: `${n}-nodes-sg-id`,
        protocol: "all",
        portStart: -1,
        portEnd: -1,
        policy: "accept",
      });
  });

  it("exports the private kubeconfig as a secret and its server and CA", async () => {
    const { component } = await build("prod");
    expect(await isSecret(component.outputs.kubeconfig)).toBe(true);
    const kubeconfig = await valueOf(component.outputs.kubeconfig);
    expect(kubeconfig).toContain("client-certificate-data");
    expect(await valueOf(component.outputs.endpoint)).toMatch(/^https:\/\/10\.\d+\.0\.10:6443$/);
    expect(await valueOf(component.outputs.certificateAuthority)).toBe(
      kubeconfigCluster(kubeconfig).ca,
    );
    expect(await valueOf(component.outputs.oidcIssuerUrl)).toMatch(/^https:\/\/oidc-vke/);
    expect(await valueOf(component.outputs.nodePoolNames)).toEqual(["general", "spot"]);
  });

  it("picks a service range outside the VPC from the VPC CIDR alone", () => {
    expect(serviceCidr("10.50.0.0/16")).toBe("172.30.0.0/18");
    expect(serviceCidr("172.30.0.0/16")).toBe("192.168.192.0/18");
    expect(serviceCidr("192.168.0.0/16")).toBe("172.30.0.0/18");
  });

  it("refuses a public endpoint, spot pools, admin principals and non-ECS instance types", async () => {
    await mockPulumi();
    const config = volcengineConfig("prod");
    const kubernetes: KubernetesConfig = {
      ...config.kubernetes,
      endpoint: { publicAccessCidrs: ["203.0.113.0/24"], privateAccessCidrs: [] },
      adminPrincipals: ["someone"],
      nodePools: [
        config.kubernetes.nodePools[0],
        { ...config.kubernetes.nodePools[1], spot: true, instanceTypes: ["n2-standard-4"] },
      ],
    };
    let error: ValidationError | undefined;
    try {
      new KubernetesCluster("k", {
        ...commonArgs(config),
        zones: ZONES,
        kubernetes,
        network: networkOutputs(),
      });
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error?.issues.map((i) => i.path).sort()).toEqual([
      "kubernetes.adminPrincipals",
      "kubernetes.endpoint.publicAccessCidrs",
      "kubernetes.nodePools[1].instanceTypes[0]",
      "kubernetes.nodePools[1].spot",
    ]);
  });
});

describe("Volcengine stack config", () => {
  const raw = (extra: Record<string, unknown> = {}) => ({
    cloud: "volcengine",
    environment: "dev",
    region: "cn-shanghai",
    zones: ["cn-shanghai-a", "cn-shanghai-b"],
    network: { cidr: "10.60.0.0/16" },
    kubernetes: {
      nodePools: [{ name: "general", instanceTypes: ["ecs.g3il.xlarge"], minSize: 1, maxSize: 2 }],
    },
    cache: { engine: "redis" },
    ...extra,
  });

  it("accepts a minimal dev stack", () => {
    expect(parseConfig(raw()).cloud).toBe("volcengine");
  });

  it("names the officeless: key, the value and what is valid for cloud-specific refusals", () => {
    expect(() => parseConfig(raw({ zones: ["cn-shanghai-z"] }))).toThrow(
      /officeless:zones\[0\] = "cn-shanghai-z": is not a zone of cn-shanghai/,
    );
    expect(() => parseConfig(raw({ cache: { engine: "valkey" } }))).toThrow(
      /officeless:cache.engine = "valkey": must be "redis" on Volcengine/,
    );
    expect(() => parseConfig(raw({ cache: { engine: "redis", version: "8.0" } }))).toThrow(
      /officeless:cache.version = "8.0": must be a Volcengine Redis engine version: 5.0, 6.0, 7.0/,
    );
    expect(() =>
      parseConfig(
        raw({
          kubernetes: {
            nodePools: [
              { name: "general", instanceTypes: ["ecs.g3il.xlarge"], minSize: 1, maxSize: 2 },
            ],
            endpoint: { privateAccessCidrs: ["172.30.8.0/24"] },
          },
        }),
      ),
    ).toThrow(
      /kubernetes.endpoint.privateAccessCidrs\[0\] = "172.30.8.0\/24": overlaps the VKE service range 172.30.0.0\/18/,
    );
    expect(() => parseConfig(raw({ backup: { schedule: "cron(0 3 L * ? *)" } }))).toThrow(
      /officeless:backup.schedule/,
    );
  });
});
