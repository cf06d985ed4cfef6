import { KubernetesCluster } from "../../components/kubernetesCluster";
import { KubernetesConfig, PlatformConfig } from "../../components/types";
import { ACK_SERVICE_ROLES } from "../../providers/alibaba/catalog";
import { AUTOSCALER, newestRelease } from "../../providers/alibaba/kubernetes";
import { isSecret, mockPulumi, one, RecordingMocks, settle, valueOf } from "../harness";
import {
  alibabaCommonArgs,
  alibabaConfig,
  alibabaNetworkOutputs,
  REGION,
  vswitch,
  ZONES,
} from "./fixtures";

const T = {
  cluster: "alicloud:cs/managedKubernetes:ManagedKubernetes",
  pool: "alicloud:cs/nodePool:NodePool",
  key: "alicloud:kms/key:Key",
  project: "alicloud:log/project:Project",
  permission: "alicloud:cs/kubernetesPermission:KubernetesPermission",
  autoscaling: "alicloud:cs/autoscalingConfig:AutoscalingConfig",
};

async function build(
  environment: "dev" | "prod" = "prod",
  kubernetes: Partial<KubernetesConfig> = {},
) {
  const mocks = await mockPulumi({ region: REGION });
  const base = alibabaConfig(environment);
  const config: PlatformConfig = { ...base, kubernetes: { ...base.kubernetes, ...kubernetes } };
  const n = config.name;
  const cluster = new KubernetesCluster(n, {
    ...alibabaCommonArgs(config),
    zones: config.zones,
    kubernetes: config.kubernetes,
    network: alibabaNetworkOutputs(),
  });
  await valueOf(cluster.outputs.kubeconfig);
  await settle();
  return { mocks, cluster, config, n };
}

const clusterOf = (mocks: RecordingMocks) => one(mocks, T.cluster);

describe("Alibaba Cloud kubernetes (ACK Pro)", () => {
  it("is an ACK Pro managed cluster on the node vSwitches with Terway on the pod vSwitches, no NAT or internet API endpoint of its own", async () => {
    const { mocks } = await build();
    expect(clusterOf(mocks).inputs).toMatchObject({
      clusterSpec: "ack.pro.small",
      profile: "Default",
      vswitchIds: ZONES.map((z) => vswitch("private", z)),
      podVswitchIds: ZONES.map((z) => vswitch("pods", z)),
      slbInternetEnabled: false,
      newNatGateway: false,
      isEnterpriseSecurityGroup: true,
      serviceCidr: "172.21.0.0/20",
    });
    const addons = (clusterOf(mocks).inputs.addons as { name: string; config?: string }[]).map(
      (a) => a.name,
    );
    expect(addons).toEqual(["terway-eniip", "csi-plugin", "managed-csiprovisioner"]);
    expect(JSON.parse((clusterOf(mocks).inputs.addons as any)[0].config)).toEqual({
      NetworkPolicy: "true",
      IPVlan: "false",
    });
  });

  it("encrypts Secrets with its own KMS key, turns RRSA on and protects the cluster in prod", async () => {
    const { mocks, cluster } = await build();
    const key = one(mocks, T.key);
    expect(key.inputs).toMatchObject({
      keySpec: "Aliyun_AES_256",
      automaticRotation: "Enabled",
      deletionProtection: "Enabled",
    });
    expect(key.options.protect).toBe(true);
    const c = clusterOf(mocks);
    expect(c.inputs).toMatchObject({
      encryptionProviderKey: `${key.name}-id`,
      enableRrsa: true,
      deletionProtection: true,
    });
    expect(c.options.protect).toBe(true);
    expect(await valueOf(cluster.outputs.oidcIssuerUrl)).toMatch(/^https:\/\/oidc-ack-/);
    expect(await valueOf(cluster.outputs.encryptionKeyId)).toBe(`${key.name}-id`);
  });

  it("neither protects nor deletion-protects outside prod, and deletes the load balancers the controllers made on destroy", async () => {
    const { mocks } = await build("dev");
    const c = clusterOf(mocks);
    expect(c.inputs.deletionProtection).toBe(false);
    expect(c.options.protect).toBe(false);
    expect(c.inputs.deleteOptions).toEqual([
      { resourceType: "ALB", deleteMode: "delete" },
      { resourceType: "SLB", deleteMode: "delete" },
    ]);
  });

  it("ships every control-plane log and the audit log to the stack's SLS project for logRetentionDays", async () => {
    const { mocks, config } = await build();
    const project = one(mocks, T.project);
    expect(clusterOf(mocks).inputs).toMatchObject({
      controlPlaneLogProject: project.inputs.projectName,
      controlPlaneLogTtl: String(config.kubernetes.logRetentionDays),
      controlPlaneLogComponents: ["apiserver", "kcm", "scheduler", "ccm", "controlplane-events"],
      auditLogConfig: { enabled: true, slsProjectName: project.inputs.projectName },
    });
  });

  it("opens the maintenance window the config gives and runs the newest ACK release of the minor", async () => {
    const { mocks } = await build("prod", {
      maintenanceWindow: { startTime: "02:30", durationHours: 5, days: ["SA", "SU"] },
    });
    expect(clusterOf(mocks).inputs.maintenanceWindow).toEqual({
      enable: true,
      maintenanceTime: "2025-01-06T02:30:00.000Z",
      duration: "5h",
      weeklyPeriod: "Saturday,Sunday",
    });
    expect(clusterOf(mocks).inputs.version).toBe("1.36.2-aliyun.1");
    // Resolved at creation only: a patch ACK ships later must not upgrade the control plane.
    expect(clusterOf(mocks).options.ignoreChanges).toContain("version");
    expect(newestRelease(["1.36.10-aliyun.1", "1.36.9-aliyun.2", "1.35.1-aliyun.1"], "1.36")).toBe(
      "1.36.10-aliyun.1",
    );
    expect(() => newestRelease(["1.35.1-aliyun.1"], "1.36")).toThrow(/no Kubernetes 1.36 release/);
  });

  it("gives every pool all zones' node vSwitches, encrypted ESSD system disks, IMDSv2 only, auto repair and one-node rolling updates", async () => {
    const { mocks, n } = await build();
    const key = one(mocks, T.key);
    for (const name of ["general", "spot"]) {
      const pool = one(mocks, T.pool, `${n}-pool-${name}`);
      expect(pool.inputs).toMatchObject({
        clusterId: `${n}-cluster-id`,
        nodePoolName: name,
        vswitchIds: ZONES.map((z) => vswitch("private", z)),
        multiAzPolicy: "BALANCE",
        systemDiskCategory: "cloud_essd",
        systemDiskEncrypted: true,
        systemDiskKmsKey: `${key.name}-id`,
        systemDiskSize: 100,
        instanceMetadataOptions: { httpTokens: "required" },
        management: { enable: true, autoRepair: true, autoUpgrade: true, maxUnavailable: 1 },
        rollingPolicy: { maxParallelism: 1 },
      });
      expect((pool.inputs.tags as any)["officeless-backup"]).toBe("true");
    }
  });

  it("lets ACK's managed autoscaler size each pool between the per-zone bounds times the zones, and never sends a desired size", async () => {
    const { mocks, n } = await build();
    const general = one(mocks, T.pool, `${n}-pool-general`).inputs;
    const spot = one(mocks, T.pool, `${n}-pool-spot`).inputs;
    expect(general.scalingConfig).toEqual({ enable: true, minSize: 3, maxSize: 15 });
    expect(spot.scalingConfig).toEqual({ enable: true, minSize: 0, maxSize: 30 });
    expect(general.desiredSize).toBeUndefined();
    expect(general.spotStrategy).toBe("NoSpot");
    expect(spot).toMatchObject({ spotStrategy: "SpotAsPriceGo", spotInstanceRemedy: true });
    expect(spot.taints).toEqual([{ key: "spot", value: "true", effect: "NoSchedule" }]);
  });

  it("turns ACK's node autoscaling on for the cluster before any autoscaled pool, and keeps a fixed system pool for the pods ACK keeps off autoscaled nodes", async () => {
    const { mocks, n, cluster } = await build();
    const autoscaling = one(mocks, T.autoscaling);
    expect(autoscaling.inputs).toEqual({ clusterId: `${n}-cluster-id`, ...AUTOSCALER });
    expect(AUTOSCALER).toMatchObject({ scalerType: "cluster-autoscaler", expander: "least-waste" });
    for (const name of ["general", "spot"])
      expect(one(mocks, T.pool, `${n}-pool-${name}`).options.dependsOn).toContain(autoscaling.urn);
    const system = one(mocks, T.pool, `${n}-pool-system`);
    expect(system.inputs).toMatchObject({
      nodePoolName: "system",
      desiredSize: String(ZONES.length),
      spotStrategy: "NoSpot",
      instanceTypes: ["ecs.g7.xlarge"],
      vswitchIds: ZONES.map((z) => vswitch("private", z)),
      systemDiskEncrypted: true,
      taints: [],
    });
    expect(system.inputs.scalingConfig).toBeUndefined();
    expect(system.options.ignoreChanges).not.toContain("desiredSize");
    expect(await valueOf(cluster.outputs.nodePoolNames)).toEqual(["system", "general", "spot"]);
  });

  it("runs two system nodes with two zones", async () => {
    const mocks = await mockPulumi({ region: REGION });
    const config = alibabaConfig("dev");
    const zones = ZONES.slice(0, 2);
    const cluster = new KubernetesCluster(config.name, {
      ...alibabaCommonArgs(config),
      zones,
      kubernetes: config.kubernetes,
      network: alibabaNetworkOutputs(zones),
    });
    await valueOf(cluster.outputs.kubeconfig);
    await settle();
    expect(one(mocks, T.pool, `${config.name}-pool-system`).inputs.desiredSize).toBe("2");
  });

  it("turns Secret encryption on explicitly and checks the audit and CSI roles too", async () => {
    const { mocks } = await build();
    expect(clusterOf(mocks).inputs.disableEncryption).toBe(false);
    expect(ACK_SERVICE_ROLES).toEqual(
      expect.arrayContaining([
        "AliyunCSKubernetesAuditRole",
        "AliyunCSManagedCsiProvisionerRole",
        "AliyunCSManagedCsiPluginRole",
      ]),
    );
  });

  it("hands out a kubeconfig of the intranet endpoint whose credentials come from ack-ram-tool, as a secret", async () => {
    const { cluster, n } = await build();
    expect(await isSecret(cluster.outputs.kubeconfig)).toBe(true);
    const kubeconfig = JSON.parse(await valueOf(cluster.outputs.kubeconfig));
    expect(kubeconfig.clusters[0].cluster.server).toMatch(/^https:\/\/10\.\d+\.0\.10:6443$/);
    expect(kubeconfig.users[0].user.exec).toMatchObject({
      command: "ack-ram-tool",
      args: [
        "credential-plugin",
        "get-credential",
        "--cluster-id",
        `${n}-cluster-id`,
        "--api-version",
        "v1beta1",
      ],
    });
    expect(await valueOf(cluster.outputs.nodeSecurityGroupId)).toMatch(/^sg-/);
  });

  it("grants ACK's admin role on this cluster to each configured RAM user and role", async () => {
    const { mocks, n } = await build("prod", {
      adminPrincipals: ["user:203456789012345678", "role:312345678901234567"],
    });
    const grant = (uid: string, isRamRole: boolean) => ({
      uid,
      permissions: [
        {
          cluster: `${n}-cluster-id`,
          roleName: "admin",
          roleType: "cluster",
          isCustom: false,
          isRamRole,
        },
      ],
    });
    expect(mocks.byType(T.permission).map((p) => p.inputs)).toEqual([
      grant("203456789012345678", false),
      grant("312345678901234567", true),
    ]);
  });

  it("refuses a public endpoint allow-list, which ACK does not take through the provider", async () => {
    await expect(
      build("prod", {
        endpoint: { publicAccessCidrs: ["203.0.113.0/24"], privateAccessCidrs: [] },
      }),
    ).rejects.toThrow(/publicAccessCidrs.*ModifyClusterAcl/s);
  });
});
