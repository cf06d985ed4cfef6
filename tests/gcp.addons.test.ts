import { ClusterAddons } from "../components/clusterAddons";
import { LoadBalancing } from "../components/loadBalancing";
import {
  gcpCommonArgs,
  gcpConfig,
  gcpKubernetesOutputs,
  gcpNetworkOutputs,
  REGION,
  withKubernetes,
} from "./gcpFixtures";
import { mockPulumi, settle, valueOf } from "./harness";

describe("GCP add-ons and load balancing", () => {
  it("installs nothing: GKE ships metrics-server and autoscales its node pools itself", async () => {
    const mocks = await mockPulumi({ region: REGION });
    const config = gcpConfig("prod");
    const addons = new ClusterAddons(
      "addons",
      {
        ...gcpCommonArgs(config),
        kubernetes: gcpKubernetesOutputs(),
        kubernetesConfig: config.kubernetes,
        network: gcpNetworkOutputs(),
      },
      withKubernetes(),
    );
    expect(await valueOf(addons.outputs.releases)).toEqual([]);
    expect(await valueOf(addons.outputs.nodeAutoscaler)).toBe("gke-node-autoscaler");
    await settle();
    expect(
      mocks.resources.filter((r) => r.custom && r.type !== "pulumi:providers:kubernetes"),
    ).toEqual([]);
  });

  it("uses the GKE Gateway API: the regional external managed GatewayClass, no in-cluster controller", async () => {
    const mocks = await mockPulumi({ region: REGION });
    const config = gcpConfig("prod");
    const lb = new LoadBalancing(
      "lb",
      {
        ...gcpCommonArgs(config),
        kubernetes: gcpKubernetesOutputs(),
        network: gcpNetworkOutputs(),
      },
      withKubernetes(),
    );
    expect(await valueOf(lb.outputs.ingressClassName)).toBe("gke-l7-regional-external-managed");
    expect(await valueOf(lb.outputs.controllerNamespace)).toBe("");
    await settle();
    expect(mocks.byType("kubernetes:helm.sh/v3:Release")).toEqual([]);
  });
});
