import { ClusterAddons } from "../../components/clusterAddons";
import { LoadBalancing } from "../../components/loadBalancing";
import { ACK_NODE_AUTOSCALER } from "../../providers/alibaba/addons";
import { mockPulumi, one, settle, valueOf } from "../harness";
import {
  alibabaCommonArgs,
  alibabaConfig,
  alibabaKubernetesOutputs,
  alibabaNetworkOutputs,
  CLUSTER_ID,
  REGION,
  vswitch,
  withKubernetes,
  ZONES,
} from "./fixtures";

async function build(environment: "dev" | "prod") {
  const mocks = await mockPulumi({ region: REGION });
  const config = alibabaConfig(environment);
  const common = alibabaCommonArgs(config);
  const lb = new LoadBalancing(
    `${config.name}-lb`,
    { ...common, network: alibabaNetworkOutputs(), kubernetes: alibabaKubernetesOutputs() },
    withKubernetes(),
  );
  const addons = new ClusterAddons(
    `${config.name}-addons`,
    {
      ...common,
      kubernetes: alibabaKubernetesOutputs(),
      kubernetesConfig: config.kubernetes,
      network: alibabaNetworkOutputs(),
    },
    withKubernetes(),
  );
  await valueOf(lb.outputs.ingressClassName);
  await settle();
  return { mocks, lb, addons };
}

describe("Alibaba Cloud load balancing and add-ons", () => {
  it("installs ACK's managed ALB Ingress Controller add-on, an internal ALB over every zone's node vSwitch and its IngressClass", async () => {
    const { mocks, lb } = await build("prod");
    const addon = one(mocks, "alicloud:cs/kubernetesAddon:KubernetesAddon");
    expect(addon.inputs).toMatchObject({
      clusterId: CLUSTER_ID,
      name: "alb-ingress-controller",
      cleanupCloudResources: false,
    });
    const albConfig = one(mocks, "kubernetes:alibabacloud.com/v1:AlbConfig");
    expect(albConfig.inputs.spec).toMatchObject({
      config: {
        addressType: "Intranet",
        deletionProtectionEnabled: true,
        zoneMappings: ZONES.map((z) => ({ vSwitchId: vswitch("private", z) })),
      },
    });
    expect(albConfig.options.dependsOn).toContain(addon.urn);
    const ingressClass = one(mocks, "kubernetes:networking.k8s.io/v1:IngressClass");
    expect(ingressClass.inputs.spec).toEqual({
      controller: "ingress.k8s.alibabacloud/alb",
      parameters: { apiGroup: "alibabacloud.com", kind: "AlbConfig", name: "alb" },
    });
    expect(await valueOf(lb.outputs.ingressClassName)).toBe("alb");
  });

  it("removes the ALBs the controller made when a dev stack is destroyed", async () => {
    const { mocks } = await build("dev");
    expect(
      one(mocks, "alicloud:cs/kubernetesAddon:KubernetesAddon").inputs.cleanupCloudResources,
    ).toBe(true);
  });

  it("installs no chart: ACK ships metrics-server and its managed autoscaler scales the pools", async () => {
    const { mocks, addons } = await build("prod");
    expect(mocks.byType("kubernetes:helm.sh/v3:Release")).toEqual([]);
    expect(await valueOf(addons.outputs.releases)).toEqual([]);
    expect(await valueOf(addons.outputs.nodeAutoscaler)).toBe(ACK_NODE_AUTOSCALER);
  });
});
