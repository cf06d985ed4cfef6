/**
 * OKE under mocks: an enhanced cluster with a private endpoint only, secrets under a Vault key OKE
 * may use, VCN-native pods, OIDC discovery, image verification by config; node pools placed in
 * every AD (fault domains in single-AD regions), cycled one surge node at a time, in-transit
 * encryption and Vault boot volumes, size owned by the autoscaler; NSGs, kubeconfig, outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { UNRESOLVED } from "../../components/createOnly";
import { KubernetesCluster } from "../../components/kubernetesCluster";
import { KubernetesConfig, PlatformConfig } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { MOCK_OCI_AD_PREFIX, mockOcid } from "../../automation/offline/clouds/oci";
import {
  nodeCloudInit,
  okeImage,
  okeVersion,
  shapeImageKind,
} from "../../providers/oci/kubernetes";
import {
  isSecret,
  mockPulumi,
  one,
  RecordingMocks,
  resourcesBehind,
  settle,
  valueOf,
} from "../harness";
import {
  COMPARTMENT,
  expectTagged,
  ociCommonArgs,
  ociConfig,
  ociNetworkOutputs,
  REGION,
  ZONES,
} from "./fixtures";

const T = {
  cluster: "oci:ContainerEngine/cluster:Cluster",
  nodePool: "oci:ContainerEngine/nodePool:NodePool",
  vault: "oci:Kms/vault:Vault",
  key: "oci:Kms/key:Key",
  policy: "oci:Identity/policy:Policy",
  nsg: "oci:Core/networkSecurityGroup:NetworkSecurityGroup",
  rule: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
};
const NET = "officeless-test-net";

async function build(
  environment: "dev" | "prod" = "prod",
  kubernetes: Partial<KubernetesConfig> = {},
  configure: (c: PlatformConfig) => PlatformConfig = (c) => c,
  /** The release the cluster reports (a running cluster created on an older patch). */
  running?: string,
  /** The releases OKE offers, when not the mocks' own. */
  offered?: string[],
) {
  const mocks = await mockPulumi({ region: configure(ociConfig(environment)).region });
  if (offered) {
    const call = mocks.call.bind(mocks);
    mocks.call = (a) =>
      a.token === "oci:ContainerEngine/getClusterOption:getClusterOption"
        ? { ...call(a), kubernetesVersions: offered }
        : call(a);
  }
  if (running) {
    const create = mocks.newResource.bind(mocks);
    mocks.newResource = (a) => {
      const r = create(a);
      return a.type === T.cluster ? { ...r, state: { ...r.state, kubernetesVersion: running } } : r;
    };
  }
  const base = configure(ociConfig(environment));
  const config: PlatformConfig = { ...base, kubernetes: { ...base.kubernetes, ...kubernetes } };
  const n = config.name;
  const network = {
    ...ociNetworkOutputs(),
    privateSubnetIds: pulumi.output(["w", "p", "a"].map((r) => `${NET}-${r}`)),
  };
  const cluster = new KubernetesCluster(n, {
    ...ociCommonArgs(config),
    zones: config.zones,
    kubernetes: config.kubernetes,
    network,
  });
  await valueOf(cluster.outputs.kubeconfig);
  await settle();
  return { mocks, cluster, config, n };
}
const clusterInputs = (mocks: RecordingMocks) =>
  one(mocks, T.cluster).inputs as Record<string, any>;
const pool = (mocks: RecordingMocks, n: string, name: string) =>
  one(mocks, T.nodePool, `${n}-${name}`);

describe("OKE cluster", () => {
  it("is an enhanced cluster with a private API endpoint in the API subnet behind its NSG", async () => {
    const { mocks, n } = await build();
    expect(clusterInputs(mocks)).toMatchObject({
      compartmentId: COMPARTMENT,
      type: "ENHANCED_CLUSTER",
      vcnId: expect.stringMatching(/^ocid1\.vcn\./),
      endpointConfig: {
        isPublicIpEnabled: false,
        subnetId: `${NET}-a`,
        nsgIds: [`${n}-api-nsg-id`],
      },
    });
  });

  it("runs the newest OKE patch of the configured minor", async () => {
    const { mocks } = await build();
    expect(clusterInputs(mocks).kubernetesVersion).toBe("v1.36.1");
    expect(okeVersion("1.35", ["v1.34.2", "v1.35.1", "v1.35.10", "v1.35.2"])).toBe("v1.35.10");
    expect(() => okeVersion("1.37", ["v1.35.1"])).toThrow(/OKE offers no Kubernetes 1.37/);
  });

  it("encrypts secrets with a Vault key that OKE is granted, in the compartment, before the cluster exists", async () => {
    const { mocks, n } = await build();
    expect(one(mocks, T.vault).inputs).toMatchObject({
      vaultType: "DEFAULT",
      compartmentId: COMPARTMENT,
    });
    expect(one(mocks, T.key).inputs).toMatchObject({
      keyShape: { algorithm: "AES", length: 32 },
      protectionMode: "HSM",
      managementEndpoint: expect.stringMatching(/management\.kms\./),
    });
    expect(clusterInputs(mocks).kmsKeyId).toBe(`${n}-k8s-key-id`);
    const policy = one(mocks, T.policy, `${n}-k8s-key-policy`);
    const statements = policy.inputs.statements as string[];
    expect(statements).toEqual([
      `Allow service oke to use keys in compartment id ${COMPARTMENT} where target.key.id = '${n}-k8s-key-id'`,
      `Allow service blockstorage to use keys in compartment id ${COMPARTMENT} where target.key.id = '${n}-k8s-key-id'`,
      expect.stringMatching(
        /^Allow any-user to use key-delegates .*request\.principal\.type = 'nodepool', target\.key\.id = '.*-k8s-key-id'/,
      ),
    ]);
    expect(policy.inputs.compartmentId).toBe(COMPARTMENT);
    expect(one(mocks, T.cluster).options.dependsOn).toContain(policy.urn);
    for (const p of mocks.byType(T.nodePool)) expect(p.options.dependsOn).toContain(policy.urn);
  });

  it("uses VCN-native pod networking, OIDC discovery, and load balancers in the public subnet", async () => {
    const { mocks } = await build();
    expect(clusterInputs(mocks)).toMatchObject({
      clusterPodNetworkOptions: [{ cniType: "OCI_VCN_IP_NATIVE" }],
      options: {
        serviceLbSubnetIds: [expect.stringMatching(/public/)],
        openIdConnectDiscovery: { isOpenIdConnectDiscoveryEnabled: true },
        kubernetesNetworkConfig: { servicesCidr: "10.96.0.0/16" },
      },
    });
  });

  it("keeps image verification off, and refuses signing keys (the charts' images are unsigned)", async () => {
    const off = await build();
    expect(clusterInputs(off.mocks).imagePolicyConfig).toEqual({ isPolicyEnabled: false });
    const keyId = "ocid1.key.oc1.eu-frankfurt-1.aaaasigning";
    await expect(
      build("prod", {}, (c) => ({ ...c, oci: { ...c.oci!, imageSigningKeyIds: [keyId] } })),
    ).rejects.toThrow(/oci\.imageSigningKeyIds.*unsigned upstream images/s);
  });

  it("fixes the release at creation: a newer OKE patch or a minor bump never upgrades a running cluster", async () => {
    const { mocks } = await build();
    expect(one(mocks, T.cluster).options.ignoreChanges).toEqual(["kubernetesVersion"]);
  });

  it("is protected in prod only", async () => {
    expect(one((await build("prod")).mocks, T.cluster).options.protect).toBe(true);
    const dev = await build("dev");
    expect(one(dev.mocks, T.cluster).options.protect).toBe(false);
    expect(one(dev.mocks, T.key).options.protect).toBe(false);
  });

  it("refuses a public endpoint before any resource exists", async () => {
    const mocks = await mockPulumi({ region: REGION });
    const config = ociConfig("prod");
    expect(
      () =>
        new KubernetesCluster("x", {
          ...ociCommonArgs(config),
          zones: config.zones,
          kubernetes: {
            ...config.kubernetes,
            endpoint: { publicAccessCidrs: ["0.0.0.0/0"], privateAccessCidrs: [] },
          },
          network: ociNetworkOutputs(),
        }),
    ).toThrow(ValidationError);
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });
});

describe("OKE node pools", () => {
  it("place nodes in every AD of the zones, in the workers subnet, with pods in the pods subnet", async () => {
    const { mocks, n } = await build();
    const details = pool(mocks, n, "general").inputs.nodeConfigDetails as Record<string, any>;
    expect(details.placementConfigs).toEqual(
      ZONES.map((zone) => ({
        availabilityDomain: `${MOCK_OCI_AD_PREFIX}:${zone}`,
        subnetId: `${NET}-w`,
      })),
    );
    expect(details.nodePoolPodNetworkOptionDetails).toEqual({
      cniType: "OCI_VCN_IP_NATIVE",
      podSubnetIds: [`${NET}-p`],
      podNsgIds: [`${n}-nodes-nsg-id`],
      maxPodsPerNode: 31,
    });
    expect(details.nsgIds).toEqual([`${n}-nodes-nsg-id`]);
  });

  it("spread over the fault domains of the one AD in a single-AD region", async () => {
    const { mocks, n } = await build("dev", {}, (c) => ({
      ...c,
      region: "eu-amsterdam-1",
      zones: ["FAULT-DOMAIN-1", "FAULT-DOMAIN-2"],
    }));
    const details = pool(mocks, n, "general").inputs.nodeConfigDetails as Record<string, any>;
    // One placement for the one AD (OKE takes an AD once per pool), over the configured fault domains.
    expect(details.placementConfigs).toEqual([
      expect.objectContaining({
        availabilityDomain: `${MOCK_OCI_AD_PREFIX}:EU-AMSTERDAM-1-AD-1`,
        faultDomains: ["FAULT-DOMAIN-1", "FAULT-DOMAIN-2"],
      }),
    ]);
  });

  it("cycle with max surge 25% and max unavailable 0%, valid at size 0, drain for 5 minutes, and leave the size to the autoscaler", async () => {
    const { mocks, n } = await build();
    const p = pool(mocks, n, "general");
    expect(p.inputs.nodePoolCyclingDetails).toEqual({
      isNodeCyclingEnabled: true,
      maximumSurge: "25%",
      maximumUnavailable: "0%",
    });
    // A pool created empty (spot, minSize 0): a node count would be out of OKE's 0..size range.
    const empty = pool(mocks, n, "spot");
    expect((empty.inputs.nodeConfigDetails as { size: number }).size).toBe(0);
    for (const v of Object.values(empty.inputs.nodePoolCyclingDetails as Record<string, unknown>))
      if (typeof v === "string") expect(v).toMatch(/^\d{1,3}%$/);
    expect(p.inputs.nodeEvictionNodePoolSettings).toMatchObject({ evictionGraceDuration: "PT5M" });
    // desiredSize is per zone; OKE's size is the pool's total.
    expect((p.inputs.nodeConfigDetails as { size: number }).size).toBe(2 * ZONES.length);
    expect(p.options.ignoreChanges).toEqual([
      "nodeConfigDetails.size",
      "kubernetesVersion",
      "nodeSourceDetails.imageId",
    ]);
  });

  it("run the control plane's running release (never ahead of it), fixed with the image at creation", async () => {
    // The cluster was created on 1.35.2; the config now asks for 1.36 (ignored on the cluster).
    const { mocks, n } = await build("prod", {}, undefined, "v1.35.2");
    expect(clusterInputs(mocks).kubernetesVersion).toBe("v1.36.1");
    expect(pool(mocks, n, "general").inputs.nodeSourceDetails).toMatchObject({
      imageId: mockOcid("image", "Oracle-Linux-8.10-2026.10.28-0-OKE-1.35.2-1300", REGION),
    });
    for (const name of ["general", "spot"]) {
      const p = pool(mocks, n, name);
      expect(p.inputs.kubernetesVersion).toBe("v1.35.2");
      expect(p.options.ignoreChanges).toEqual(
        expect.arrayContaining(["kubernetesVersion", "nodeSourceDetails.imageId"]),
      );
    }
  });

  it("keep planning a running cluster whose release OKE no longer lists (warning, no stop)", async () => {
    // Created on v1.36.0, which OKE no longer offers images for; OKE now lists only 1.37 releases.
    const warn = jest.spyOn(pulumi.log, "warn").mockResolvedValue();
    try {
      const { mocks, n } = await build("prod", {}, undefined, "v1.36.0", ["v1.37.1"]);
      expect(clusterInputs(mocks).kubernetesVersion).toBe(UNRESOLVED);
      const general = pool(mocks, n, "general");
      expect(general.inputs.kubernetesVersion).toBe("v1.36.0");
      // Ignored on the running pool, so the placeholder never reaches OKE.
      expect(general.inputs.nodeSourceDetails).toMatchObject({ imageId: UNRESOLVED });
      expect(general.options.ignoreChanges).toEqual(
        expect.arrayContaining(["nodeSourceDetails.imageId"]),
      );
      const messages = warn.mock.calls.map((c) => String(c[0]));
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /OKE release of officeless:kubernetes\.version: OKE offers no Kubernetes 1\.36/,
          ),
          expect.stringMatching(/node image of pool general: no OKE 1\.36\.0 Oracle Linux image/),
        ]),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it("turn node cycling off on request (for a placement change, which OKE refuses with it on)", async () => {
    const { mocks, n } = await build("prod", {}, (c) => ({
      ...c,
      oci: { ...c.oci!, nodeCycling: false },
    }));
    for (const name of ["general", "spot"])
      expect(pool(mocks, n, name).inputs.nodePoolCyclingDetails).toMatchObject({
        isNodeCyclingEnabled: false,
      });
  });

  it("wait for the NSG rules their nodes register through", async () => {
    const { mocks } = await build();
    const rules = mocks.byType(T.rule).map((r) => r.urn);
    expect(rules.length).toBeGreaterThan(5);
    for (const p of mocks.byType(T.nodePool))
      expect(p.options.dependsOn).toEqual(expect.arrayContaining(rules));
  });

  it("encrypt attached volumes in transit and boot volumes with the Vault key", async () => {
    const { mocks, n } = await build();
    for (const name of ["general", "spot"])
      expect(pool(mocks, n, name).inputs.nodeConfigDetails).toMatchObject({
        isPvEncryptionInTransitEnabled: true,
        kmsKeyId: `${n}-k8s-key-id`,
      });
  });

  it("size flexible shapes from config by shape (default 2 OCPUs, 16 GB) and boot from the newest OKE image of the release", async () => {
    const { mocks, n } = await build();
    expect(pool(mocks, n, "general").inputs).toMatchObject({
      nodeShape: "VM.Standard.E5.Flex",
      nodeShapeConfig: { ocpus: 4, memoryInGbs: 32 },
      kubernetesVersion: "v1.36.1",
      nodeSourceDetails: {
        sourceType: "IMAGE",
        bootVolumeSizeInGbs: "100",
        imageId: expect.stringMatching(/^ocid1\.image\./),
      },
    });
    expect(pool(mocks, n, "spot").inputs.nodeShapeConfig).toEqual({ ocpus: 2, memoryInGbs: 16 });
    const sources = [
      { imageId: "old", sourceName: "Oracle-Linux-8.10-2026.01.01-0-OKE-1.36.1-1" },
      { imageId: "new", sourceName: "Oracle-Linux-8.10-2026.10.28-0-OKE-1.36.1-1" },
      { imageId: "arm", sourceName: "Oracle-Linux-8.10-aarch64-2026.10.28-0-OKE-1.36.1-1" },
      { imageId: "gpu", sourceName: "Oracle-Linux-8.10-Gen2-GPU-2026.10.28-0-OKE-1.36.1-1" },
      { imageId: "other", sourceName: "Oracle-Linux-8.10-2026.10.28-0-OKE-1.35.2-1" },
    ];
    expect(okeImage(sources, "v1.36.1", "VM.Standard.E5.Flex")).toBe("new");
    expect(okeImage(sources, "v1.36.1", "VM.Standard.A1.Flex")).toBe("arm");
    expect(okeImage(sources, "v1.36.1", "VM.GPU.A10.1")).toBe("gpu");
    expect(shapeImageKind("BM.Standard.E5.192")).toBe("x86");
    expect(() => okeImage(sources, "v1.34.1", "VM.Standard.E5.Flex")).toThrow(/no OKE 1.34.1/);
  });

  it("make spot pools preemptible, with labels and taints registered by kubelet", async () => {
    const { mocks, n } = await build();
    const spot = pool(mocks, n, "spot").inputs;
    expect((spot.nodeConfigDetails as any).placementConfigs[0].preemptibleNodeConfig).toEqual({
      preemptionAction: { type: "TERMINATE", isPreserveBootVolume: false },
    });
    expect(
      (pool(mocks, n, "general").inputs.nodeConfigDetails as any).placementConfigs[0]
        .preemptibleNodeConfig,
    ).toBeUndefined();
    expect(spot.initialNodeLabels).toEqual([{ key: "capacity", value: "spot" }]);
    const userData = Buffer.from(
      (spot.nodeMetadata as { user_data: string }).user_data,
      "base64",
    ).toString();
    expect(userData).toBe(nodeCloudInit([{ key: "spot", value: "true", effect: "NoSchedule" }]));
    expect(userData).toContain(
      '--kubelet-extra-args "--register-with-taints=spot=true:NoSchedule"',
    );
    expect(userData).toContain("oci_init_script".replace("oci_", "oke_"));
    expect(userData).toContain("oci-fss-utils");
  });
});

describe("OKE network security groups", () => {
  const rulesOf = (mocks: RecordingMocks, nsgId: string, direction: string) =>
    mocks
      .byType(T.rule)
      .filter((r) => r.inputs.networkSecurityGroupId === nsgId && r.inputs.direction === direction)
      .map((r) => r.inputs as Record<string, any>);

  it("admit to the API endpoint only the nodes and the VCN and private networks on 6443 (and the nodes on 12250)", async () => {
    const { mocks, n } = await build();
    const ingress = rulesOf(mocks, `${n}-api-nsg-id`, "INGRESS");
    const sources = ingress.map((r) => [
      r.source,
      r.tcpOptions?.destinationPortRange?.min ?? r.protocol,
    ]);
    expect(sources).toEqual(
      expect.arrayContaining([
        [`${n}-nodes-nsg-id`, 6443],
        [`${n}-nodes-nsg-id`, 12250],
        ["10.50.0.0/16", 6443],
        ["192.168.0.0/16", 6443],
      ]),
    );
    expect(ingress.some((r) => r.source === "0.0.0.0/0" && r.protocol !== "1")).toBe(false);
  });

  it("let the control plane reach kubelets and webhooks in pods, and nodes and pods each other", async () => {
    const { mocks, n } = await build();
    const nodesIn = rulesOf(mocks, `${n}-nodes-nsg-id`, "INGRESS");
    expect(nodesIn).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          source: `${n}-api-nsg-id`,
          sourceType: "NETWORK_SECURITY_GROUP",
          protocol: "6",
        }),
        expect.objectContaining({ source: `${n}-nodes-nsg-id`, protocol: "all" }),
      ]),
    );
    const apiControlPlane = nodesIn.find(
      (r) => r.source === `${n}-api-nsg-id` && r.protocol === "6",
    )!;
    expect(apiControlPlane.tcpOptions).toBeUndefined();
    expect(rulesOf(mocks, `${n}-api-nsg-id`, "EGRESS")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ destination: `${n}-nodes-nsg-id`, protocol: "6" }),
      ]),
    );
  });
});

describe("OKE outputs", () => {
  it("hand out a kubeconfig for the private endpoint that gets tokens from the OCI CLI, as a secret", async () => {
    const { cluster } = await build();
    expect(await isSecret(cluster.outputs.kubeconfig)).toBe(true);
    const kc = JSON.parse(await valueOf(cluster.outputs.kubeconfig));
    expect(kc.clusters[0].cluster.server).toMatch(/^https:\/\/10\.\d+\.0\.2:6443$/);
    expect(kc.clusters[0].cluster["certificate-authority-data"]).toBe(
      Buffer.from(`mock-ca-officeless-prod-cluster-id`).toString("base64"),
    );
    expect(kc.users[0].user.exec).toMatchObject({
      command: "oci",
      args: [
        "ce",
        "cluster",
        "generate-token",
        "--cluster-id",
        "officeless-prod-cluster-id",
        "--region",
        REGION,
      ],
    });
  });

  it("report the NSGs, the key, the issuer and the pools, and wait for the pools", async () => {
    const { cluster, mocks, n } = await build();
    expect(await valueOf(cluster.outputs.nodeSecurityGroupId)).toBe(`${n}-nodes-nsg-id`);
    expect(await valueOf(cluster.outputs.clusterSecurityGroupId)).toBe(`${n}-api-nsg-id`);
    expect(await valueOf(cluster.outputs.encryptionKeyId)).toBe(`${n}-k8s-key-id`);
    expect(await valueOf(cluster.outputs.oidcIssuerUrl)).toMatch(
      /^https:\/\/.*oke\.oraclecloud\.com\/oidc\//,
    );
    expect(await valueOf(cluster.outputs.nodePoolNames)).toEqual(["general", "spot"]);
    const behind = await resourcesBehind(cluster.outputs.endpoint);
    for (const p of mocks.byType(T.nodePool)) expect(behind).toContain(p.urn);
  });

  it("grant admin groups the use of the cluster through IAM", async () => {
    const group = "ocid1.group.oc1..aaaaadmins";
    const { mocks, n } = await build("prod", { adminPrincipals: [group] });
    expect(one(mocks, T.policy, `${n}-k8s-admins-policy`).inputs.statements).toEqual([
      `Allow group id ${group} to use clusters in compartment id ${COMPARTMENT}`,
    ]);
    expect((await build()).mocks.byType(T.policy).map((p) => p.name)).not.toContain(
      `${n}-k8s-admins-policy`,
    );
  });

  it("tag every taggable resource", async () => {
    const { mocks } = await build();
    expectTagged(mocks.resources, "prod", "kubernetes");
  });
});
