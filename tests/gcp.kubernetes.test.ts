import { KubernetesCluster } from "../components/kubernetesCluster";
import { KubernetesConfig, PlatformConfig } from "../components/types";
import { parseConfig } from "../programs/config";
import * as pulumi from "@pulumi/pulumi";
import {
  ADMIN_ROLE,
  clusterCondition,
  gkeKubeconfig,
  gkePoolName,
  MAX_POOL_NAME,
  maintenancePolicy,
  nodeDiskNeedGb,
  POOL_REPLACE_INPUTS,
  poolFixed,
  ssdQuotaHint,
} from "../providers/gcp/kubernetes";
import {
  agent,
  expectLabelled,
  expectProjectPrerequisites,
  gcpCommonArgs,
  gcpConfig,
  gcpNetworkOutputs,
  NETWORK_ID,
  NODE_SUBNET,
  PROJECT,
  PROJECT_NUMBER,
  REGION,
  ZONES,
} from "./gcpFixtures";
import {
  isSecret,
  mockPulumi,
  one,
  RecordedResource,
  RecordingMocks,
  resourcesBehind,
  settle,
  valueOf,
} from "./harness";

const T = {
  cluster: "gcp:container/cluster:Cluster",
  nodePool: "gcp:container/nodePool:NodePool",
  account: "gcp:serviceaccount/account:Account",
  projectIam: "gcp:projects/iAMMember:IAMMember",
  keyRing: "gcp:kms/keyRing:KeyRing",
  key: "gcp:kms/cryptoKey:CryptoKey",
  keyIam: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
  logBucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  sink: "gcp:logging/projectSink:ProjectSink",
  peeringRoutes: "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
};

async function build(
  environment: "dev" | "prod" = "prod",
  kubernetes: Partial<KubernetesConfig> = {},
  /** Changes the mocks before any resource exists (e.g. what the cloud reports back). */
  prepare: (mocks: RecordingMocks) => void = () => {},
) {
  const mocks = await mockPulumi({ region: REGION });
  prepare(mocks);
  const base = gcpConfig(environment);
  const config: PlatformConfig = { ...base, kubernetes: { ...base.kubernetes, ...kubernetes } };
  const n = config.name;
  const cluster = new KubernetesCluster(n, {
    ...gcpCommonArgs(config),
    zones: config.zones,
    kubernetes: config.kubernetes,
    network: gcpNetworkOutputs(),
  });
  await valueOf(cluster.outputs.kubeconfig);
  await settle();
  return { mocks, cluster, config, n };
}

const clusterInputs = (mocks: RecordingMocks) =>
  one(mocks, T.cluster).inputs as Record<string, any>;
const pool = (mocks: RecordingMocks, n: string, name: string) =>
  one(mocks, T.nodePool, `${n}-${name}`);
const nodeConfig = (r: RecordedResource) => r.inputs.nodeConfig as Record<string, any>;

describe("GCP kubernetes (GKE)", () => {
  it("is a regional cluster on the node subnet with the pods and services ranges, Dataplane V2 and the REGULAR channel", async () => {
    const { mocks, n } = await build();
    expect(clusterInputs(mocks)).toMatchObject({
      name: n,
      location: REGION,
      nodeLocations: ZONES,
      network: NETWORK_ID,
      subnetwork: NODE_SUBNET,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: {
        clusterSecondaryRangeName: "pods",
        servicesSecondaryRangeName: "services",
      },
      datapathProvider: "ADVANCED_DATAPATH",
      releaseChannel: { channel: "REGULAR" },
      minMasterVersion: "1.36",
      enableShieldedNodes: true,
    });
  });

  it("keeps nodes and the IP endpoint private, with authorized networks from config enforced on it", async () => {
    const { mocks } = await build();
    const inputs = clusterInputs(mocks);
    expect(inputs.privateClusterConfig).toEqual({
      enablePrivateNodes: true,
      enablePrivateEndpoint: true,
      masterIpv4CidrBlock: "10.30.240.0/28",
      masterGlobalAccessConfig: { enabled: true },
    });
    expect(inputs.masterAuthorizedNetworksConfig).toEqual({
      cidrBlocks: [
        { cidrBlock: "10.30.0.0/16", displayName: "platform-network" },
        { cidrBlock: "192.168.0.0/16", displayName: "private-0" },
      ],
      gcpPublicCidrsAccessEnabled: false,
      privateEndpointEnforcementEnabled: true,
    });
    expect(inputs.masterAuth).toEqual({
      clientCertificateConfig: { issueClientCertificate: false },
    });
  });

  it("exports the VPN's learned routes over the control plane's peering, so the office reaches the private endpoint", async () => {
    const warn = jest.spyOn(pulumi.log, "warn");
    const { mocks, n } = await build();
    expect(warn.mock.calls.filter(([m]) => /control-plane peering/.test(m))).toEqual([]);
    warn.mockRestore();
    const routes = one(mocks, T.peeringRoutes, `${n}-control-plane-routes`);
    // The cluster sets masterIpv4CidrBlock, so GKE peers its control-plane VPC (no PSC).
    expect(clusterInputs(mocks).privateClusterConfig.masterIpv4CidrBlock).toBe("10.30.240.0/28");
    expect(routes.inputs).toEqual({
      project: PROJECT,
      network: "officeless-vpc",
      peering: expect.stringMatching(/^gke-n[0-9a-f]+-[0-9a-f]+-peer$/),
      exportCustomRoutes: true,
      importCustomRoutes: false,
    });
  });

  it("skips the route export with a warning when the cluster reports no peering (Private Service Connect)", async () => {
    const warn = jest.spyOn(pulumi.log, "warn");
    try {
      const { mocks, n } = await build("prod", {}, (m) => {
        // GKE puts the control plane on PSC: privateClusterConfig comes back without peeringName.
        const created = m.newResource.bind(m);
        jest.spyOn(m, "newResource").mockImplementation((a) => {
          const r = created(a);
          if (a.type !== T.cluster) return r;
          const { peeringName, ...rest } = r.state.privateClusterConfig;
          expect(peeringName).toBeTruthy();
          return { ...r, state: { ...r.state, privateClusterConfig: rest } };
        });
      });
      expect(mocks.byType(T.peeringRoutes)).toEqual([]);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(
          new RegExp(
            `^GKE cluster ${n} reports no control-plane peering \\(Private Service Connect\\)`,
          ),
        ),
        expect.anything(),
      );
      // The rest of the cluster is there: a missing peering is not an error.
      expect(mocks.byType(T.cluster)).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  it("enforces Binary Authorization with the project policy, and leaves network policy to Dataplane V2", async () => {
    const { mocks } = await build();
    const inputs = clusterInputs(mocks);
    expect(inputs.binaryAuthorization).toEqual({
      evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE",
    });
    expect(inputs.datapathProvider).toBe("ADVANCED_DATAPATH");
    // The API refuses the Calico add-on or networkPolicy.enabled beside Dataplane V2.
    expect(inputs.networkPolicy).toBeUndefined();
    expect(inputs.addonsConfig.networkPolicyConfig).toBeUndefined();
  });

  it("lets GKE upgrade only in the recurring maintenance window, daily 03:00-07:00 UTC by default", async () => {
    const { mocks } = await build();
    expect(clusterInputs(mocks).maintenancePolicy).toEqual({
      recurringWindow: {
        startTime: "2025-01-01T03:00:00Z",
        endTime: "2025-01-01T07:00:00Z",
        recurrence: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
      },
    });
    const weekend = await build("prod", {
      maintenanceWindow: { startTime: "22:30", durationHours: 6, days: ["SA", "SU"] },
    });
    expect(clusterInputs(weekend.mocks).maintenancePolicy.recurringWindow).toEqual({
      startTime: "2025-01-01T22:30:00Z",
      endTime: "2025-01-02T04:30:00Z",
      recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
    });
    // The same config gives the same window: the plan does not move with the clock.
    expect(maintenancePolicy()).toEqual(maintenancePolicy());
  });

  it("validates officeless:kubernetes.maintenanceWindow against GKE's rules", () => {
    const raw = (maintenanceWindow?: unknown) => ({
      cloud: "gcp",
      environment: "dev",
      region: REGION,
      zones: ZONES,
      network: { cidr: "10.30.0.0/16" },
      kubernetes: {
        nodePools: [{ name: "general", instanceTypes: ["n2-standard-4"], minSize: 1, maxSize: 3 }],
        ...(maintenanceWindow === undefined ? {} : { maintenanceWindow }),
      },
    });
    expect(parseConfig(raw()).kubernetes.maintenanceWindow).toEqual({
      startTime: "03:00",
      durationHours: 4,
      days: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
    });
    expect(
      parseConfig(raw({ days: ["SA", "SU"], durationHours: 6 })).kubernetes.maintenanceWindow,
    ).toEqual({ startTime: "03:00", durationHours: 6, days: ["SA", "SU"] });
    for (const bad of [
      { startTime: "3am" },
      { startTime: "24:00" },
      { durationHours: 3 },
      { days: ["SAT"] },
      { days: [] },
      { days: ["SA", "SA"], durationHours: 12 },
      // 2 days x 4 h x 4 occurrences = 32 h < 48 h in 32 days.
      { days: ["SA", "SU"] },
    ]) {
      expect(() => parseConfig(raw(bad))).toThrow(/officeless:kubernetes\.maintenanceWindow/);
    }
  });

  it("works in a fresh project: APIs on first, the GKE agent created (Compute Engine's comes with its API) before their key grants", async () => {
    const { mocks } = await build();
    expectProjectPrerequisites(
      mocks,
      [
        "container.googleapis.com",
        "compute.googleapis.com",
        "cloudkms.googleapis.com",
        "iam.googleapis.com",
        "cloudresourcemanager.googleapis.com",
        "logging.googleapis.com",
        "monitoring.googleapis.com",
        "binaryauthorization.googleapis.com",
        "gkebackup.googleapis.com",
      ],
      {
        "container.googleapis.com": ["encryption-key-gke"],
        "compute.googleapis.com": ["encryption-key-compute"],
      },
      [
        T.cluster,
        T.nodePool,
        T.keyRing,
        T.key,
        T.keyIam,
        T.account,
        T.projectIam,
        T.logBucket,
        T.peeringRoutes,
      ],
    );
  });

  it("opens the public IP endpoint only to the allow-list", async () => {
    const { mocks } = await build("prod", {
      endpoint: { publicAccessCidrs: ["203.0.113.0/24"], privateAccessCidrs: [] },
    });
    const inputs = clusterInputs(mocks);
    expect(inputs.privateClusterConfig.enablePrivateEndpoint).toBe(false);
    expect(inputs.privateClusterConfig.enablePrivateNodes).toBe(true);
    expect(inputs.masterAuthorizedNetworksConfig.cidrBlocks).toEqual([
      { cidrBlock: "10.30.0.0/16", displayName: "platform-network" },
      { cidrBlock: "203.0.113.0/24", displayName: "public-0" },
    ]);
  });

  it("hands out the kubeconfig only after every node pool exists (one-stack Helm releases need nodes)", async () => {
    const { mocks, cluster } = await build();
    const behind = await resourcesBehind(cluster.outputs.kubeconfig);
    const pools = mocks.byType(T.nodePool).map((r) => r.urn);
    expect(pools.length).toBeGreaterThan(1);
    for (const urn of pools) expect(behind).toContain(urn);
  });

  it("keeps the DNS endpoint closed to external traffic by default; the kubeconfig uses the private IP endpoint with the CA", async () => {
    const { mocks, cluster } = await build();
    expect(clusterInputs(mocks).controlPlaneEndpointsConfig).toEqual({
      dnsEndpointConfig: { allowExternalTraffic: false },
    });
    // The second address of the control-plane range, as GKE gives it.
    const endpoint = await valueOf(cluster.outputs.endpoint);
    expect(endpoint).toBe("https://10.30.240.2");
    const kubeconfig = JSON.parse(await valueOf(cluster.outputs.kubeconfig));
    const ca = await valueOf(cluster.outputs.certificateAuthority);
    expect(ca).not.toBe("");
    expect(kubeconfig.clusters[0].cluster).toEqual({
      server: endpoint,
      "certificate-authority-data": ca,
    });
    expect(kubeconfig.users[0].user.exec).toMatchObject({
      command: "gke-gcloud-auth-plugin",
      apiVersion: "client.authentication.k8s.io/v1beta1",
    });
    expect(await isSecret(cluster.outputs.kubeconfig)).toBe(true);
  });

  it("points the kubeconfig at the public IP endpoint when a public allow-list opens it", async () => {
    const { cluster } = await build("prod", {
      endpoint: { publicAccessCidrs: ["203.0.113.0/24"], privateAccessCidrs: [] },
    });
    const endpoint = await valueOf(cluster.outputs.endpoint);
    expect(endpoint).toMatch(/^https:\/\/203\.0\.113\.\d+$/);
    expect(JSON.parse(await valueOf(cluster.outputs.kubeconfig)).clusters[0].cluster.server).toBe(
      endpoint,
    );
  });

  it("with endpoint.dnsAccess, lets external traffic in on the IAM-gated DNS endpoint, which the kubeconfig and the endpoint output use", async () => {
    const { mocks, cluster } = await build("prod", {
      endpoint: { publicAccessCidrs: [], privateAccessCidrs: [], dnsAccess: true },
    });
    expect(clusterInputs(mocks).controlPlaneEndpointsConfig).toEqual({
      dnsEndpointConfig: { allowExternalTraffic: true },
    });
    // The IP endpoints stay private.
    expect(clusterInputs(mocks).privateClusterConfig.enablePrivateEndpoint).toBe(true);
    const endpoint = await valueOf(cluster.outputs.endpoint);
    expect(endpoint).toMatch(/^https:\/\/gke-[0-9a-f]+\.europe-west1\.gke\.goog$/);
    const kubeconfig = JSON.parse(await valueOf(cluster.outputs.kubeconfig));
    // A publicly trusted certificate: no CA data.
    expect(kubeconfig.clusters[0].cluster).toEqual({ server: endpoint });
    expect(kubeconfig.users[0].user.exec).toMatchObject({ command: "gke-gcloud-auth-plugin" });
    expect(await isSecret(cluster.outputs.kubeconfig)).toBe(true);
  });

  it("turns on Workload Identity, and encrypts secrets with its own rotating key the GKE agent may use", async () => {
    const { mocks, n } = await build();
    const inputs = clusterInputs(mocks);
    expect(inputs.workloadIdentityConfig).toEqual({ workloadPool: `${PROJECT}.svc.id.goog` });
    const key = one(mocks, T.key);
    expect(inputs.databaseEncryption).toEqual({ state: "ENCRYPTED", keyName: `${key.name}-id` });
    expect(key.inputs).toMatchObject({
      keyRing: `${n}-encryption-keyring-id`,
      rotationPeriod: "7776000s",
      purpose: "ENCRYPT_DECRYPT",
    });
    expect(one(mocks, T.keyRing).inputs.location).toBe(REGION);
    const grants = mocks.byType(T.keyIam);
    expect(grants.map((g) => g.inputs)).toEqual(
      expect.arrayContaining([
        {
          cryptoKeyId: `${key.name}-id`,
          role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
          member: agent("container-engine-robot.iam.gserviceaccount.com"),
        },
        {
          cryptoKeyId: `${key.name}-id`,
          role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
          member: agent("compute-system.iam.gserviceaccount.com"),
        },
      ]),
    );
    expect(grants).toHaveLength(2);
    expect(one(mocks, T.cluster).options.dependsOn).toEqual(
      expect.arrayContaining(grants.map((g) => g.urn)),
    );
  });

  it("removes the default pool, enables the Gateway API, Filestore CSI and Backup for GKE, and logs the control plane", async () => {
    const { mocks, n } = await build();
    const inputs = clusterInputs(mocks);
    expect(inputs).toMatchObject({
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      gatewayApiConfig: { channel: "CHANNEL_STANDARD" },
      addonsConfig: {
        gcpFilestoreCsiDriverConfig: { enabled: true },
        gkeBackupAgentConfig: { enabled: true },
        gcePersistentDiskCsiDriverConfig: { enabled: true },
      },
    });
    expect([...inputs.loggingConfig.enableComponents].sort()).toEqual([
      "APISERVER",
      "CONTROLLER_MANAGER",
      "SCHEDULER",
      "SYSTEM_COMPONENTS",
    ]);
    expect(one(mocks, T.cluster).options.ignoreChanges).toEqual(
      expect.arrayContaining(["nodeConfig", "initialNodeCount"]),
    );
    const bucket = one(mocks, T.logBucket);
    expect(bucket.inputs).toMatchObject({ bucketId: `${n}-control-plane-logs`, retentionDays: 90 });
    expect(one(mocks, T.sink).inputs.filter).toBe(
      `resource.type="k8s_control_plane_component" AND resource.labels.cluster_name="${n}"`,
    );
  });

  it("creates the throw-away default pool on small standard disks, outside the SSD quota", async () => {
    const { mocks } = await build();
    // GKE's default is 100 GB pd-balanced per node: 300 GB of SSD_TOTAL_GB in a regional cluster.
    expect(clusterInputs(mocks).nodeConfig).toMatchObject({
      diskType: "pd-standard",
      diskSizeGb: 30,
    });
    expect(one(mocks, T.cluster).options.ignoreChanges).toContain("nodeConfig");
  });

  it("warns with the SSD quota the node pools need when a new project's quota may not hold it", async () => {
    const warn = jest.spyOn(pulumi.log, "warn");
    try {
      const { config } = await build("prod");
      const need = nodeDiskNeedGb(config.kubernetes.nodePools, config.zones.length);
      const expected = config.kubernetes.nodePools.reduce(
        (sum, p) => sum + (p.maxSize + 1) * config.zones.length * p.diskSizeGb,
        0,
      );
      expect(need).toBe(expected);
      expect(need).toBeGreaterThan(250);
      expect(warn).toHaveBeenCalledWith(ssdQuotaHint(need, REGION), expect.anything());
      expect(ssdQuotaHint(need, REGION)).toContain(
        `gcloud compute regions describe ${REGION} --flatten=quotas --filter=quotas.metric=SSD_TOTAL_GB`,
      );
      warn.mockClear();
      const small = config.kubernetes.nodePools.map((p) => ({
        ...p,
        minSize: 1,
        desiredSize: 1,
        maxSize: 1,
        diskSizeGb: 20,
      }));
      await build("dev", { nodePools: small.slice(0, 1) });
      expect(warn).not.toHaveBeenCalledWith(
        expect.stringContaining("SSD_TOTAL_GB"),
        expect.anything(),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it("protects the cluster from deletion in prod only", async () => {
    const prod = await build("prod");
    expect(clusterInputs(prod.mocks).deletionProtection).toBe(true);
    expect(one(prod.mocks, T.key).options.protect).toBe(true);
    const dev = await build("dev");
    expect(clusterInputs(dev.mocks).deletionProtection).toBe(false);
    expect(one(dev.mocks, T.key).options.protect).toBe(false);
  });

  it("runs nodes as a dedicated service account with GKE's documented minimum node role only", async () => {
    const { mocks, n, cluster } = await build();
    const account = one(mocks, T.account);
    expect(account.inputs.accountId).toBe(`${n}-nodes`);
    const roles = mocks.byType(T.projectIam).map((r) => r.inputs);
    // roles/container.defaultNodeServiceAccount: logging, monitoring (write and view) and the
    // autoscaler's metrics; the three writer roles alone leave GKE flagging the account.
    expect(roles.map((r) => r.role).sort()).toEqual(["roles/container.defaultNodeServiceAccount"]);
    const email = `${n}-nodes@${PROJECT}.iam.gserviceaccount.com`;
    for (const r of roles)
      expect(r).toMatchObject({ project: PROJECT, member: `serviceAccount:${email}` });
    expect(await valueOf(cluster.outputs.nodeIdentity)).toBe(email);
  });

  it("creates one node pool per configured pool over every zone, autoscaled per zone and balanced", async () => {
    const { mocks, n, config } = await build();
    expect(mocks.byType(T.nodePool)).toHaveLength(2);
    const general = pool(mocks, n, "general");
    const email = `${n}-nodes@${PROJECT}.iam.gserviceaccount.com`;
    const keyId = `${one(mocks, T.key).name}-id`;
    expect(general.inputs.name).toMatch(/^general-[a-z0-9]{6}$/);
    expect(general.inputs).toMatchObject({
      name: gkePoolName("general", poolFixed(config.kubernetes.nodePools[0], email, keyId)),
      cluster: `${n}-cluster-id`,
      location: REGION,
      nodeLocations: ZONES,
      initialNodeCount: 2,
      autoscaling: { minNodeCount: 1, maxNodeCount: 5, locationPolicy: "BALANCED" },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 },
    });
    expect(general.options.ignoreChanges).toEqual(
      expect.arrayContaining(["initialNodeCount", "nodeCount"]),
    );
    expect(config.kubernetes.nodePools[0].maxSize).toBe(5);
  });

  it("renames a pool when an input GKE cannot update changes (spot), so the new pool is created before the old is deleted", async () => {
    const before = await build();
    const pools = before.config.kubernetes.nodePools;
    // The spot pool goes on-demand (prod refuses an all-spot platform, so not the other way).
    const after = await build("prod", {
      nodePools: [pools[0], { ...pools[1], spot: false }],
    });
    const name = (mocks: RecordingMocks, p: string) => pool(mocks, before.n, p).inputs.name;
    // Same logical resource (same URN), new GKE name: Pulumi replaces it create-first.
    expect(pools[1].spot).toBe(true);
    expect(nodeConfig(pool(after.mocks, before.n, "spot")).spot).toBe(false);
    expect(name(after.mocks, "spot")).not.toBe(name(before.mocks, "spot"));
    expect(name(after.mocks, "spot")).toMatch(/^spot-[a-z0-9]{6}$/);
    expect(name(after.mocks, "general")).toBe(name(before.mocks, "general"));
    for (const p of [...before.mocks.byType(T.nodePool), ...after.mocks.byType(T.nodePool)])
      expect(p.options.deleteBeforeReplace).toBeFalsy();
  });

  it("keeps a pool's name on edits GKE makes in place (machine type, disk size: a surge upgrade)", async () => {
    const before = await build();
    const pools = before.config.kubernetes.nodePools;
    const after = await build("prod", {
      nodePools: [
        { ...pools[0], instanceTypes: ["n2-standard-16"], diskSizeGb: pools[0].diskSizeGb + 50 },
        pools[1],
      ],
    });
    const general = (mocks: RecordingMocks) => pool(mocks, before.n, "general");
    expect(nodeConfig(general(after.mocks)).machineType).toBe("n2-standard-16");
    expect(general(after.mocks).inputs.name).toBe(general(before.mocks).inputs.name);
  });

  it("hashes every replace-on-change input into the pool name, and nothing GKE updates in place", () => {
    const base = poolFixed(gcpConfig("prod").kubernetes.nodePools[0], "sa@p.iam", "projects/p/k");
    const name = gkePoolName("general", base);
    // Pinned: a change of the hash (or of what it covers) would replace every pool of every stack.
    expect(name).toBe("general-p0922l");
    const changed: Record<(typeof POOL_REPLACE_INPUTS)[number], unknown> = {
      spot: !base.spot,
      serviceAccount: "other@p.iam",
      oauthScopes: ["https://www.googleapis.com/auth/devstorage.read_only"],
      bootDiskKmsKey: "projects/p/k2",
      metadata: {},
      shieldedInstanceConfig: { enableSecureBoot: false, enableIntegrityMonitoring: true },
    };
    for (const [k, v] of Object.entries(changed))
      expect(gkePoolName("general", { ...base, [k]: v })).not.toBe(name);
    expect(
      gkePoolName("general", {
        ...base,
        machineType: "n2-standard-16",
        diskType: "pd-ssd",
        diskSizeGb: 500,
      }),
    ).toBe(name);
    // The longest config name (20) fits GKE's 40 and its pattern.
    const longest = gkePoolName("a".repeat(20), base);
    expect(longest.length).toBeLessThanOrEqual(MAX_POOL_NAME);
    expect(longest).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  });

  it("names every ForceNew nodeConfig input the pools set in the hash (a missed one would collide: 'already exists')", async () => {
    // terraform-provider-google google/services/container/node_config.go: ForceNew node_config
    // fields (camelCase), at the schema @pulumi/gcp 9.37 bridges.
    const FORCE_NEW = [
      "advancedMachineFeatures",
      "bootDiskKmsKey",
      "confidentialNodes",
      "enableConfidentialStorage",
      "ephemeralStorageLocalSsdConfig",
      "gcfsConfig",
      "guestAccelerators",
      "gvnic",
      "hostMaintenancePolicy",
      "localNvmeSsdBlockConfig",
      "localSsdCount",
      "metadata",
      "minCpuPlatform",
      "nodeGroup",
      "oauthScopes",
      "preemptible",
      "reservationAffinity",
      "secondaryBootDisks",
      "serviceAccount",
      "shieldedInstanceConfig",
      "soleTenantConfig",
      "spot",
    ];
    const { mocks } = await build();
    for (const p of mocks.byType(T.nodePool)) {
      const set = Object.keys(nodeConfig(p)).filter((k) => FORCE_NEW.includes(k));
      expect(set.sort()).toEqual([...POOL_REPLACE_INPUTS].sort());
    }
  });

  it("hardens every node: Workload Identity metadata, secure boot, CMEK boot disk, the node tag and service account", async () => {
    const { mocks, n } = await build();
    const key = one(mocks, T.key);
    for (const p of mocks.byType(T.nodePool)) {
      expect(nodeConfig(p)).toMatchObject({
        serviceAccount: `${n}-nodes@${PROJECT}.iam.gserviceaccount.com`,
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        bootDiskKmsKey: `${key.name}-id`,
        diskType: "pd-balanced",
        imageType: "COS_CONTAINERD",
        tags: ["officeless-gke-node"],
        metadata: { "disable-legacy-endpoints": "true" },
      });
    }
  });

  it("maps spot, labels and taints, and uses the first instance type", async () => {
    const { mocks, n } = await build();
    const spot = nodeConfig(pool(mocks, n, "spot"));
    expect(spot).toMatchObject({
      spot: true,
      machineType: "n2-standard-8",
      labels: { capacity: "spot" },
      taints: [{ key: "spot", value: "true", effect: "NO_SCHEDULE" }],
    });
    expect(nodeConfig(pool(mocks, n, "general"))).toMatchObject({
      spot: false,
      machineType: "n2-standard-4",
      taints: [],
    });
  });

  it("exports the GKE identities: tag, control-plane range, issuer, key and pool names", async () => {
    const { mocks, cluster, n } = await build();
    expect(await valueOf(cluster.outputs.nodeSecurityGroupId)).toBe("officeless-gke-node");
    expect(await valueOf(cluster.outputs.clusterSecurityGroupId)).toBe("10.30.240.0/28");
    expect(await valueOf(cluster.outputs.oidcIssuerUrl)).toBe(
      `https://container.googleapis.com/v1/projects/${PROJECT}/locations/${REGION}/clusters/${n}`,
    );
    expect(await valueOf(cluster.outputs.encryptionKeyId)).toBe(`${one(mocks, T.key).name}-id`);
    expect(await valueOf(cluster.outputs.nodePoolNames)).toEqual(["general", "spot"]);
    expect(await valueOf(cluster.outputs.clusterName)).toBe(n);
  });

  it("labels the cluster, key and node resources", async () => {
    const { mocks } = await build();
    expectLabelled(mocks.resources, "prod", "kubernetes");
    for (const p of mocks.byType(T.nodePool))
      expect(nodeConfig(p).resourceLabels).toMatchObject({ team: "platform", layer: "kubernetes" });
  });

  it("grants each listed member roles/container.admin on the project, conditioned to this cluster", async () => {
    const members = [
      "group:platform-admins@example.com",
      "user:ops@example.com",
      "serviceAccount:ci@ci-project.iam.gserviceaccount.com",
    ];
    const { mocks, n } = await build("prod", { adminPrincipals: members });
    const cluster = (project: string) => `projects/${project}/locations/${REGION}/clusters/${n}`;
    members.forEach((member, i) => {
      const grant = one(mocks, T.projectIam, `${n}-admin-${i}`).inputs as Record<string, any>;
      expect(grant).toMatchObject({ project: PROJECT, role: ADMIN_ROLE, member });
      expect(grant.condition.title).toBe(`only-${n}`);
      // The cluster itself and every Kubernetes object below it, by project id and by number.
      expect(grant.condition.expression).toBe(
        [PROJECT, PROJECT_NUMBER]
          .map(
            (p) => `resource.name == "${cluster(p)}" || resource.name.startsWith("${cluster(p)}/")`,
          )
          .join(" || "),
      );
    });
    expect(ADMIN_ROLE).toBe("roles/container.admin");
  });

  it("grants no admin role when no members are listed (the deploying identity keeps its own roles)", async () => {
    const { mocks } = await build("prod", { adminPrincipals: [] });
    expect(mocks.byType(T.projectIam).filter((r) => r.inputs.role === ADMIN_ROLE)).toEqual([]);
  });

  it("does not let the condition of one cluster match a cluster whose name extends it", () => {
    const { expression } = clusterCondition(["p"], "europe-west1", "prod");
    // Only the exact name, or a path below it (a trailing slash), matches.
    expect(expression).toContain(
      'resource.name == "projects/p/locations/europe-west1/clusters/prod"',
    );
    expect(expression).toContain(
      'resource.name.startsWith("projects/p/locations/europe-west1/clusters/prod/")',
    );
    expect(expression).not.toMatch(/startsWith\("[^"]*prod"\)/);
  });

  it("rejects admins that are not user:, group: or serviceAccount: members, before creating anything", async () => {
    const mocks = await mockPulumi({ region: REGION });
    const config = gcpConfig("prod");
    const make = (adminPrincipals: string[]) => () =>
      new KubernetesCluster("x", {
        ...gcpCommonArgs(config),
        zones: config.zones,
        kubernetes: { ...config.kubernetes, adminPrincipals },
        network: gcpNetworkOutputs(),
      });
    expect(make(["arn:aws:iam::123456789012:role/admin"])).toThrow(
      /kubernetes\.adminPrincipals\[0\] = "arn:aws:iam::123456789012:role\/admin": must be a Google Cloud IAM member, user:<email>, group:<email> or serviceAccount:<email>/,
    );
    expect(make(["user:ops@example.com", "ops@example.com"])).toThrow(
      /adminPrincipals\[1\] = "ops@example\.com"/,
    );
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });

  it("writes a kubeconfig without certificates, using the auth plugin", () => {
    const config = JSON.parse(gkeKubeconfig("c", "https://gke-x.europe-west1.gke.goog"));
    expect(config.clusters).toEqual([
      { name: "c", cluster: { server: "https://gke-x.europe-west1.gke.goog" } },
    ]);
    expect(config["current-context"]).toBe("c");
    expect(config.users[0].user.exec.interactiveMode).toBe("Never");
  });
});
