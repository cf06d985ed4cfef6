/**
 * On-prem cluster add-ons under mocks: cert-manager with the internal CA issuer, metrics-server
 * only where the distribution lacks one, and cluster-autoscaler only with a provider that can add
 * machines (Cluster API or Rancher), refused by config otherwise.
 */
import { ClusterAddons } from "../../components/clusterAddons";
import { PlatformConfig } from "../../components/types";
import { CA_ISSUER, RANCHER_CLOUD_CONFIG } from "../../providers/onprem/addons";
import { isSecret, mockPulumi, RecordingMocks, settle, valueOf } from "../harness";
import { Raw } from "./fixtures";
import { devConfig, onpremArgs, prodConfig, upstream, withKubernetes } from "./layerFixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CR = (kind: string) => `kubernetes:${kind}`;

async function build(config: PlatformConfig) {
  const mocks = await mockPulumi();
  const addons = new ClusterAddons(
    "addons",
    {
      ...onpremArgs(config),
      kubernetes: upstream.kubernetesOutputs(),
      kubernetesConfig: config.kubernetes,
      network: upstream.networkOutputs(config.zones),
    },
    withKubernetes(),
  );
  const outputs = {
    releases: await valueOf(addons.outputs.releases),
    nodeAutoscaler: await valueOf(addons.outputs.nodeAutoscaler),
  };
  await settle();
  return { mocks, outputs };
}

const elastic = (raw: Raw) => {
  raw.kubernetes.nodePools[0].maxSize = 6;
};

describe("cert-manager and the platform CA", () => {
  let mocks: RecordingMocks;
  beforeAll(async () => {
    ({ mocks } = await build(prodConfig("rke2")));
  });

  it("installs cert-manager v1.21.1 with its CRDs (kept on uninstall), replicated with budgets in prod", () => {
    const release = mocks.byType(RELEASE, "addons-cert-manager")[0];
    expect(release.inputs).toMatchObject({
      chart: "oci://quay.io/jetstack/charts/cert-manager",
      version: "v1.21.1",
      namespace: "cert-manager",
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: 2,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
        cainjector: { replicaCount: 2 },
      },
    });
  });

  it("chains a self-signed root to the CA ClusterIssuer, each waiting for Ready, the root protected in prod", () => {
    const release = mocks.byType(RELEASE, "addons-cert-manager")[0];
    const selfSigned = mocks.byType(
      CR("cert-manager.io/v1:ClusterIssuer"),
      "addons-selfsigned-issuer",
    )[0];
    const root = mocks.byType(CR("cert-manager.io/v1:Certificate"), "addons-ca")[0];
    const ca = mocks.byType(CR("cert-manager.io/v1:ClusterIssuer"), "addons-ca-issuer")[0];
    expect(selfSigned.options.dependsOn).toContain(release.urn);
    expect(root.inputs.spec).toMatchObject({
      isCA: true,
      secretName: "officeless-ca",
      issuerRef: { name: "officeless-selfsigned", kind: "ClusterIssuer" },
    });
    expect(root.options.dependsOn).toContain(selfSigned.urn);
    expect(root.options.protect).toBe(true);
    expect(ca.inputs).toMatchObject({
      metadata: { name: CA_ISSUER, annotations: { "pulumi.com/waitFor": "condition=Ready" } },
      spec: { ca: { secretName: "officeless-ca" } },
    });
    expect(ca.options.dependsOn).toContain(root.urn);
  });

  it("issues the Gateway's certificate from the CA when a host name is set", async () => {
    const { mocks: withHost } = await build(
      prodConfig("rke2", (raw) => {
        raw.onprem.loadBalancer.gatewayHostname = "apps.dc1.example.com";
      }),
    );
    const cert = withHost.byType(
      CR("cert-manager.io/v1:Certificate"),
      "addons-gateway-certificate",
    )[0];
    expect(cert.inputs).toMatchObject({
      metadata: { name: "officeless-gateway-tls", namespace: "envoy-gateway-system" },
      spec: { dnsNames: ["apps.dc1.example.com"], issuerRef: { name: CA_ISSUER } },
    });
    expect(
      mocks.byType(CR("cert-manager.io/v1:Certificate"), "addons-gateway-certificate"),
    ).toEqual([]);
  });
});

describe.each([
  ["k3s", false],
  ["rke2", false],
  ["k0s", false],
  ["vanilla", true],
] as const)("metrics-server on %s", (distribution, installed) => {
  it(`is ${installed ? "installed" : "left to the distribution"}`, async () => {
    const config = distribution === "k3s" ? devConfig() : prodConfig(distribution);
    const { mocks, outputs } = await build(config);
    const releases = mocks.byType(RELEASE, "addons-metrics-server");
    expect(releases).toHaveLength(installed ? 1 : 0);
    if (installed) {
      expect(releases[0].inputs).toMatchObject({
        chart: "metrics-server",
        namespace: "kube-system",
      });
      expect(outputs.releases).toContain("kube-system/metrics-server@3.13.1");
    }
    expect(outputs.nodeAutoscaler).toBe("none");
    expect(mocks.byType(RELEASE, "addons-cluster-autoscaler")).toEqual([]);
  });
});

describe("cluster-autoscaler", () => {
  it("discovers the Cluster API MachineDeployments, with the release of the cluster's minor", async () => {
    const { mocks, outputs } = await build(
      prodConfig("vanilla", (raw) => {
        elastic(raw);
        raw.onprem.autoscaling = {
          provider: "clusterapi",
          clusterapi: { clusterName: "dc1-workload", namespace: "capi-clusters" },
        };
      }),
    );
    expect(mocks.byType(RELEASE, "addons-cluster-autoscaler")[0].inputs).toMatchObject({
      chart: "cluster-autoscaler",
      version: "9.45.0",
      namespace: "kube-system",
      values: {
        cloudProvider: "clusterapi",
        clusterAPIMode: "incluster-incluster",
        autoDiscovery: { clusterName: "dc1-workload", namespace: "capi-clusters" },
        image: { tag: "v1.36.1" },
      },
    });
    expect(outputs.nodeAutoscaler).toBe("cluster-autoscaler");
  });

  it("reads Rancher's machine pools with the cloud-config Secret, kept secret", async () => {
    const { mocks } = await build(
      prodConfig("rke2", (raw) => {
        elastic(raw);
        raw.onprem.autoscaling = {
          provider: "rancher",
          rancher: {
            url: "https://rancher.dc1.example.com",
            clusterName: "dc1",
            token: "token-abc:secret",
          },
        };
      }),
    );
    const secret = mocks.byType(CR("core/v1:Secret"), "addons-autoscaler-cloud-config")[0];
    expect(secret.inputs.metadata).toMatchObject({
      name: RANCHER_CLOUD_CONFIG.secret,
      namespace: "kube-system",
    });
    expect(JSON.stringify(secret.inputs)).not.toContain("token-abc");
    const release = mocks.byType(RELEASE, "addons-cluster-autoscaler")[0];
    expect(release.inputs.values).toMatchObject({
      cloudProvider: "rancher",
      cloudConfigPath: "/config/cloud-config",
      extraVolumeSecrets: {
        "rancher-cloud-config": { name: RANCHER_CLOUD_CONFIG.secret, mountPath: "/config" },
      },
    });
    expect(release.options.dependsOn).toContain(secret.urn);
  });

  it("is refused by config where nothing can add nodes, naming the key and the reason", () => {
    expect(() =>
      prodConfig("openshift", (raw) => {
        raw.onprem.autoscaling = {
          provider: "clusterapi",
          clusterapi: { clusterName: "x", namespace: "y" },
        };
      }),
    ).toThrow(
      /officeless:onprem\.autoscaling\.provider = "clusterapi": cannot add nodes on openshift/,
    );
    expect(() => prodConfig("vanilla", elastic)).toThrow(
      /officeless:kubernetes\.nodePools\[0\]\.maxSize = 6: asks for autoscaling/,
    );
  });
});

describe("the Rancher cloud-config", () => {
  it("is a secret output", async () => {
    await mockPulumi();
    const { rancherCloudConfig } = await import("../../providers/onprem/addons");
    const { parsed, edit } = await import("./fixtures");
    const config = parsed(
      edit((raw) => {
        raw.onprem.autoscaling = {
          provider: "rancher",
          rancher: { url: "https://rancher.example.com", clusterName: "c", token: "t" },
        };
      }),
    );
    const text = rancherCloudConfig(config.onprem!.autoscaling.rancher!);
    expect(await isSecret(text)).toBe(true);
    expect(await valueOf(text)).toBe(
      "url: https://rancher.example.com\ntoken: t\nclusterName: c\nclusterNamespace: fleet-default\n",
    );
  });
});
