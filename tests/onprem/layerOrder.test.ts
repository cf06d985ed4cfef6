/**
 * On-prem's cache runs in the cluster: its TLS certificate needs cert-manager (the add-ons layer)
 * and its volumes the block class (the storage layer). Its stack must come after both, in the
 * runner's graph and in the offline plan, and read what it needs from their outputs. Its
 * observability stack comes after the add-ons too: MetalLB addresses its private load balancers.
 */
import { layerDependencies, LAYER_DEPENDENCIES } from "../../components/layers";
import { plan, PlanResult } from "../../automation/offline/plan";
import { buildStackGraph } from "../../automation/runner/graph";

describe("on-prem layer order", () => {
  it("adds the add-ons and storage layers to the cache's upstream on-prem only", () => {
    expect(layerDependencies("onprem").cache).toEqual([
      "network",
      "kubernetes",
      "addons",
      "storage",
    ]);
    expect(layerDependencies("aws").cache).toEqual(LAYER_DEPENDENCIES.cache);
    const graph = buildStackGraph([
      {
        name: "site",
        layers: ["network", "kubernetes", "storage", "addons", "cache"],
        cloud: "onprem",
      },
      {
        name: "dev-aws",
        layers: ["network", "kubernetes", "storage", "addons", "cache"],
        cloud: "aws",
      },
    ]);
    expect(graph.nodes.get("site-cache")!.deps).toEqual([
      "site-network",
      "site-kubernetes",
      "site-addons",
      "site-storage",
    ]);
    expect(graph.nodes.get("dev-aws-cache")!.deps).toEqual([
      "dev-aws-network",
      "dev-aws-kubernetes",
    ]);
  });

  it("runs the observability stack after the add-ons (MetalLB gives its load balancers their addresses)", () => {
    expect(layerDependencies("onprem").observability).toEqual(["kubernetes", "storage", "addons"]);
    const graph = buildStackGraph([
      {
        name: "site",
        layers: ["network", "kubernetes", "storage", "addons", "observability"],
        cloud: "onprem",
      },
    ]);
    expect(graph.nodes.get("site-observability")!.deps).toEqual([
      "site-kubernetes",
      "site-storage",
      "site-addons",
    ]);
  });

  let planned: PlanResult;
  beforeAll(async () => {
    planned = await plan(["dev-onprem"]);
  }, 120_000);

  it("plans the cache after the add-ons and storage, reading both", () => {
    const cache = planned.stacks.find((s) => s.layer === "cache")!;
    expect(cache.dependsOn).toEqual(
      expect.arrayContaining(["dev-onprem-addons", "dev-onprem-storage"]),
    );
    const refs = cache.resources
      .filter((r) => r.type === "pulumi:pulumi:StackReference")
      .map((r) => String(r.inputs.name).split("/").pop());
    expect(refs).toEqual(expect.arrayContaining(["dev-onprem-addons", "dev-onprem-storage"]));
    // The volumes use the class the storage layer exported.
    const storage = planned.stacks.find((s) => s.layer === "storage")!;
    const release = cache.resources.find(
      (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "valkey",
    )!;
    const classes: unknown[] = [];
    const walk = (v: unknown): void => {
      if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          if (k === "storageClass") classes.push(x);
          else walk(x);
        }
    };
    walk(release.inputs.values);
    expect(classes).toEqual([storage.outputs.blockStorageClass]);
  });
});
