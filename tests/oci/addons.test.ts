/**
 * OCI add-ons and load balancing under mocks: OKE's metrics-server and native ingress add-ons with
 * cert-manager first, the ingress controller's workload-identity policy, a private IngressClass;
 * the cluster-autoscaler chart on OKE node pools by OCID with workload identity, balancing
 * similar pools, bounds as pool totals; admin groups bound to cluster-admin.
 */
import { ClusterAddons } from "../../components/clusterAddons";
import { LoadBalancing } from "../../components/loadBalancing";
import { KubernetesConfig } from "../../components/types";
import { mockOcid } from "../../automation/offline/clouds/oci";
import { BALANCING_IGNORE_LABELS } from "../../providers/oci/addons";
import { INGRESS_PERMISSIONS } from "../../providers/oci/loadBalancing";
import { mockPulumi, one, releaseValues, settle, valueOf } from "../harness";
import {
  CLUSTER_ID,
  COMPARTMENT,
  ociCommonArgs,
  ociConfig,
  ociKubernetesOutputs,
  ociNetworkOutputs,
  REGION,
  withKubernetes,
} from "./fixtures";

const T = {
  addon: "oci:ContainerEngine/addon:Addon",
  policy: "oci:Identity/policy:Policy",
  params: "kubernetes:ingress.oraclecloud.com/v1beta1:IngressClassParameters",
  ingressClass: "kubernetes:networking.k8s.io/v1:IngressClass",
  release: "kubernetes:helm.sh/v3:Release",
  binding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
};

async function build(
  environment: "dev" | "prod" = "prod",
  kubernetes: Partial<KubernetesConfig> = {},
) {
  const mocks = await mockPulumi({ region: REGION });
  const base = ociConfig(environment);
  const config = { ...base, kubernetes: { ...base.kubernetes, ...kubernetes } };
  const args = {
    ...ociCommonArgs(config),
    network: ociNetworkOutputs(),
    kubernetes: ociKubernetesOutputs(),
  };
  const lb = new LoadBalancing("lb", args, withKubernetes());
  const addons = new ClusterAddons(
    "addons",
    { ...args, kubernetesConfig: config.kubernetes, servicesAfter: [lb] },
    withKubernetes(),
  );
  await valueOf(addons.outputs.releases);
  await valueOf(lb.outputs.ingressClassName);
  await settle();
  return { mocks, lb, addons };
}
const addon = (mocks: Awaited<ReturnType<typeof build>>["mocks"], name: string) =>
  one(mocks, T.addon, name);
const config = (a: { inputs: Record<string, unknown> }) =>
  Object.fromEntries(
    (a.inputs.configurations as { key: string; value: string }[]).map((c) => [c.key, c.value]),
  );

describe("OCI load balancing", () => {
  it("installs the native ingress controller add-on with workload identity, after cert-manager and its grant", async () => {
    const { mocks } = await build();
    const controller = addon(mocks, "lb-native-ingress");
    expect(controller.inputs).toMatchObject({
      clusterId: CLUSTER_ID,
      addonName: "NativeIngressController",
      removeAddonResourcesOnDelete: true,
    });
    expect(config(controller)).toEqual({
      compartmentId: COMPARTMENT,
      loadBalancerSubnetId: expect.stringMatching(/public$/),
      authType: "workloadIdentity",
      numOfReplicas: "2",
    });
    expect(addon(mocks, "lb-cert-manager").inputs.addonName).toBe("CertManager");
    expect(controller.options.dependsOn).toEqual(
      expect.arrayContaining([
        addon(mocks, "lb-cert-manager").urn,
        one(mocks, T.policy, "lb-ingress-policy").urn,
      ]),
    );
  });

  it("grants the controller's service account of this cluster exactly OKE's documented permissions", async () => {
    const { mocks } = await build();
    const statements = one(mocks, T.policy, "lb-ingress-policy").inputs.statements as string[];
    expect(statements).toHaveLength(INGRESS_PERMISSIONS.length);
    expect(statements[0]).toBe(
      `Allow any-user to manage load-balancers in compartment id ${COMPARTMENT} where ALL {request.principal.type = 'workload', request.principal.namespace = 'native-ingress-controller-system', request.principal.service_account = 'oci-native-ingress-controller', request.principal.cluster_id = '${CLUSTER_ID}'}`,
    );
    expect(INGRESS_PERMISSIONS).toEqual(
      expect.arrayContaining([
        "use virtual-network-family",
        "manage waf-family",
        "read cluster-family",
      ]),
    );
  });

  it("makes load balancers private by default, through the IngressClass's parameters", async () => {
    const { mocks, lb } = await build();
    expect(one(mocks, T.params).inputs).toMatchObject({
      metadata: { namespace: "native-ingress-controller-system" },
      spec: {
        compartmentId: COMPARTMENT,
        subnetId: expect.stringMatching(/public$/),
        isPrivate: true,
      },
    });
    expect(one(mocks, T.params).options.dependsOn).toContain(addon(mocks, "lb-native-ingress").urn);
    expect(one(mocks, T.ingressClass).inputs).toMatchObject({
      spec: {
        controller: "oci.oraclecloud.com/native-ingress-controller",
        parameters: { kind: "IngressClassParameters", scope: "Namespace" },
      },
    });
    expect(await valueOf(lb.outputs.ingressClassName)).toBe("officeless-oci");
    expect(await valueOf(lb.outputs.controllerNamespace)).toBe("native-ingress-controller-system");
  });
});

describe("OCI cluster add-ons", () => {
  it("runs OKE's metrics-server add-on after cert-manager", async () => {
    const { mocks } = await build("dev");
    const metrics = addon(mocks, "addons-metrics-server");
    expect(metrics.inputs.addonName).toBe("KubernetesMetricsServer");
    expect(config(metrics)).toEqual({ numOfReplicas: "1" });
    // Depending on the component waits for all its children, the cert-manager add-on included.
    expect(metrics.options.dependsOn).toContain(addon(mocks, "lb-cert-manager").urn);
  });

  it("configures cluster-autoscaler 9.45.0 for OKE node pools by OCID with pool totals as bounds", async () => {
    const { mocks, addons } = await build();
    const values = releaseValues(mocks, "addons-cluster-autoscaler");
    expect(one(mocks, T.release, "addons-cluster-autoscaler").inputs).toMatchObject({
      chart: "cluster-autoscaler",
      version: "9.45.0",
      namespace: "kube-system",
    });
    expect(values.cloudProvider).toBe("oci");
    // Config sizes are per AD; OKE pools span the three.
    expect(values.autoscalingGroups).toEqual([
      { name: mockOcid("nodepool", `${CLUSTER_ID}/general`, REGION), minSize: 3, maxSize: 15 },
      { name: mockOcid("nodepool", `${CLUSTER_ID}/spot`, REGION), minSize: 0, maxSize: 30 },
    ]);
    expect(values.image).toEqual({ tag: "v1.36.1" });
    expect(await valueOf(addons.outputs.nodeAutoscaler)).toBe("cluster-autoscaler");
    expect(await valueOf(addons.outputs.releases)).toEqual([
      "kube-system/cluster-autoscaler@9.45.0",
    ]);
  });

  it("authenticates with OKE workload identity, never instance principals", async () => {
    const { mocks } = await build();
    expect(releaseValues(mocks, "addons-cluster-autoscaler").extraEnv).toMatchObject({
      OKE_USE_INSTANCE_PRINCIPAL: "false",
      OCI_USE_WORKLOAD_IDENTITY: "true",
      OCI_RESOURCE_PRINCIPAL_VERSION: "2.2",
      OCI_RESOURCE_PRINCIPAL_REGION: REGION,
    });
    const grant = one(mocks, T.policy, "addons-cluster-autoscaler-policy");
    const statements = grant.inputs.statements as string[];
    expect(statements.map((s) => s.split(" in ")[0])).toEqual([
      "Allow any-user to manage cluster-node-pools",
      "Allow any-user to manage instance-family",
      "Allow any-user to use subnets",
      "Allow any-user to read virtual-network-family",
      "Allow any-user to use vnics",
      "Allow any-user to inspect compartments",
    ]);
    for (const s of statements)
      expect(s).toContain(
        `request.principal.namespace = 'kube-system', request.principal.service_account = 'cluster-autoscaler', request.principal.cluster_id = '${CLUSTER_ID}'`,
      );
    expect(one(mocks, T.release, "addons-cluster-autoscaler").options.dependsOn).toContain(
      grant.urn,
    );
  });

  it("balances similar pools, ignoring the labels that differ per node, and keeps the chart's service account name", async () => {
    const { mocks } = await build();
    const values = releaseValues(mocks, "addons-cluster-autoscaler");
    expect(values.extraArgs["balance-similar-node-groups"]).toBe(true);
    expect(
      Object.entries(values.extraArgs)
        .filter(([k]) => k.startsWith("balancing-ignore-label_"))
        .map(([, v]) => v),
    ).toEqual(BALANCING_IGNORE_LABELS);
    expect(values.rbac.serviceAccount.name).toBe("cluster-autoscaler");
  });

  it("binds admin groups to cluster-admin by OCID", async () => {
    const group = "ocid1.group.oc1..aaaaadmins";
    const { mocks } = await build("prod", { adminPrincipals: [group] });
    expect(one(mocks, T.binding).inputs).toMatchObject({
      roleRef: { kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ kind: "Group", name: group }],
    });
    expect((await build()).mocks.byType(T.binding)).toEqual([]);
  });
});
