/** Azure add-ons and load balancing: AKS's own autoscaler and metrics-server, the app routing add-on. */
import { ClusterAddons } from "../components/clusterAddons";
import { LoadBalancing } from "../components/loadBalancing";
import { AKS_NODE_AUTOSCALER } from "../providers/azure/addons";
import { APP_ROUTING_INGRESS_CLASS, APP_ROUTING_NAMESPACE } from "../providers/azure/loadBalancing";
import {
  AZ,
  azureConfig,
  commonArgs,
  kubernetesOutputs,
  networkOutputs,
  withKubernetes,
} from "./azureFixtures";
import { mockPulumi, settle, valueOf } from "./harness";

describe("Azure add-ons and load balancing", () => {
  it("installs nothing: AKS ships metrics-server and autoscales pools itself", async () => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const config = azureConfig("prod");
    const addons = new ClusterAddons(
      "addons",
      {
        ...commonArgs(config),
        kubernetes: kubernetesOutputs(),
        kubernetesConfig: config.kubernetes,
        network: networkOutputs(config.zones),
      },
      withKubernetes(),
    );
    expect(await valueOf(addons.outputs.releases)).toEqual([]);
    expect(await valueOf(addons.outputs.nodeAutoscaler)).toBe(AKS_NODE_AUTOSCALER);
    expect(AKS_NODE_AUTOSCALER).toBe("aks-cluster-autoscaler");
    await settle();
    expect(mocks.byType(AZ.release)).toHaveLength(0);
    expect(
      mocks.resources.filter((r) => r.custom && r.type !== "pulumi:providers:kubernetes"),
    ).toEqual([]);
  });

  it("hands out the application routing add-on's IngressClass and namespace", async () => {
    const mocks = await mockPulumi({ region: "westeurope" });
    const config = azureConfig("prod");
    const lb = new LoadBalancing(
      "lb",
      {
        ...commonArgs(config),
        network: networkOutputs(config.zones),
        kubernetes: kubernetesOutputs(),
      },
      withKubernetes(),
    );
    expect(await valueOf(lb.outputs.ingressClassName)).toBe("webapprouting.kubernetes.azure.com");
    expect(await valueOf(lb.outputs.controllerNamespace)).toBe("app-routing-system");
    expect([APP_ROUTING_INGRESS_CLASS, APP_ROUTING_NAMESPACE]).toEqual([
      "webapprouting.kubernetes.azure.com",
      "app-routing-system",
    ]);
    await settle();
    expect(mocks.byType(AZ.release)).toHaveLength(0);
  });
});
