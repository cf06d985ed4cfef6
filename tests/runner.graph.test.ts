/** The stack graph: nodes per (base stack, layer), cycles, --layer/--exclude selection, renderings. */
import {
  buildStackGraph,
  CycleError,
  executionDeps,
  findCycle,
  graphFromEdges,
  graphFromNodes,
  selectStacks,
  topologicalOrder,
} from "../automation/runner/graph";
import { graphToDot, graphToMermaid } from "../automation/runner/render";
import { LAYERS } from "../components/types";

const ALL = [...LAYERS];
const bases = [
  { name: "dev-aws", layers: ALL, cloud: "aws", environment: "dev" },
  {
    name: "prod-gcp",
    layers: ["network", "kubernetes", "storage", "addons"],
    cloud: "gcp",
    environment: "prod",
  },
];

function ids(graph: { nodes: ReadonlyMap<string, unknown> }): string[] {
  return [...graph.nodes.keys()].sort();
}

describe("stack graph", () => {
  it("has one node per enabled layer of each base stack, reading the same base stack's upstream layers", () => {
    const graph = buildStackGraph(bases);
    expect(graph.nodes.size).toBe(7 + 4);
    // AWS adds addons (its load balancer controller makes the layer's private NLBs).
    expect(graph.nodes.get("dev-aws-observability")!.deps).toEqual([
      "dev-aws-kubernetes",
      "dev-aws-storage",
      "dev-aws-addons",
    ]);
    expect(graph.nodes.get("prod-gcp-addons")).toMatchObject({
      baseStack: "prod-gcp",
      layer: "addons",
      deps: ["prod-gcp-network", "prod-gcp-kubernetes"],
      environment: "prod",
    });
    expect(ids(graph).filter((id) => id.startsWith("prod-gcp"))).toEqual([
      "prod-gcp-addons",
      "prod-gcp-kubernetes",
      "prod-gcp-network",
      "prod-gcp-storage",
    ]);
  });

  it("refuses a layer whose dependency is turned off", () => {
    expect(() => buildStackGraph([{ name: "x", layers: ["network", "observability"] }])).toThrow(
      "layer observability needs kubernetes, storage, which is turned off",
    );
  });

  it("rejects cycles before anything runs, naming the cycle", () => {
    expect(() => graphFromEdges({ a: ["c"], b: ["a"], c: ["b"], d: [] })).toThrow(CycleError);
    expect(() => graphFromEdges({ a: ["c"], b: ["a"], c: ["b"] })).toThrow(
      /dependency cycle: (a -> c -> b -> a|b -> a -> c -> b|c -> b -> a -> c)/,
    );
    const cyclicLayers = { network: ["addons"], kubernetes: ["network"], addons: ["kubernetes"] };
    expect(() =>
      buildStackGraph(
        [{ name: "dev", layers: ["network", "kubernetes", "addons"] }],
        () => cyclicLayers,
      ),
    ).toThrow("dependency cycle: dev-network -> dev-addons -> dev-kubernetes -> dev-network");
    expect(findCycle([{ id: "a", deps: ["a"] }])).toEqual(["a", "a"]);
    expect(
      findCycle([
        { id: "a", deps: [] },
        { id: "b", deps: ["a"] },
      ]),
    ).toBeUndefined();
  });

  it("rejects unknown dependencies and duplicates", () => {
    expect(() => graphFromEdges({ a: ["zzz"] })).toThrow(
      "stack a depends on zzz, which is not in the graph",
    );
    expect(() =>
      graphFromNodes([
        { id: "a", baseStack: "b", layer: "a", deps: [] },
        { id: "a", baseStack: "b", layer: "a", deps: [] },
      ]),
    ).toThrow("appears twice");
  });

  it("finds cycles in deep graphs without overflowing the stack", () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 20_000; i++) edges[`n${i}`] = i ? [`n${i - 1}`] : [];
    expect(findCycle(Object.entries(edges).map(([id, deps]) => ({ id, deps })))).toBeUndefined();
    edges.n0 = ["n19999"];
    expect(findCycle(Object.entries(edges).map(([id, deps]) => ({ id, deps })))!.length).toBe(
      20_001,
    );
  });

  it("orders destroy the other way round", () => {
    const graph = buildStackGraph([bases[1]]);
    const destroy = executionDeps(graph, "destroy");
    expect(destroy.get("prod-gcp-network")!.sort()).toEqual([
      "prod-gcp-addons",
      "prod-gcp-kubernetes",
      "prod-gcp-storage",
    ]);
    expect(destroy.get("prod-gcp-addons")).toEqual([]);
    expect(topologicalOrder(graph)).toEqual([
      "prod-gcp-network",
      "prod-gcp-kubernetes",
      "prod-gcp-addons",
      "prod-gcp-storage",
    ]);
  });
});

describe("selection", () => {
  const graph = buildStackGraph(bases);

  it("--layer pulls in what the layer needs on preview and up", () => {
    for (const op of ["preview", "up"] as const) {
      expect(ids(selectStacks(graph, op, { layers: ["storage"] }))).toEqual([
        "dev-aws-kubernetes",
        "dev-aws-network",
        "dev-aws-storage",
        "prod-gcp-kubernetes",
        "prod-gcp-network",
        "prod-gcp-storage",
      ]);
    }
  });

  it("--layer on destroy pulls in what reads the layer (it must go first)", () => {
    expect(
      ids(selectStacks(buildStackGraph([bases[0]]), "destroy", { layers: ["storage"] })),
    ).toEqual(["dev-aws-observability", "dev-aws-storage"]);
  });

  it("--layer on refresh runs exactly the selection", () => {
    expect(ids(selectStacks(graph, "refresh", { layers: ["cache", "addons"] }))).toEqual([
      "dev-aws-addons",
      "dev-aws-cache",
      "prod-gcp-addons",
    ]);
  });

  it("--exclude removes the layer and everything that runs after it", () => {
    expect(ids(selectStacks(buildStackGraph([bases[0]]), "up", { exclude: ["storage"] }))).toEqual([
      "dev-aws-addons",
      "dev-aws-cache",
      "dev-aws-kubernetes",
      "dev-aws-network",
      "dev-aws-vpn",
    ]);
    // On destroy what runs after kubernetes is network: both stay.
    expect(
      ids(selectStacks(buildStackGraph([bases[1]]), "destroy", { exclude: ["kubernetes"] })),
    ).toEqual(["prod-gcp-addons", "prod-gcp-storage"]);
  });

  it("combines --layer and --exclude", () => {
    expect(
      ids(
        selectStacks(buildStackGraph([bases[0]]), "up", {
          layers: ["observability", "vpn"],
          exclude: ["observability"],
        }),
      ),
    ).toEqual([
      "dev-aws-addons",
      "dev-aws-kubernetes",
      "dev-aws-network",
      "dev-aws-storage",
      "dev-aws-vpn",
    ]);
  });

  it("names unknown layers and lists the known ones", () => {
    expect(() => selectStacks(graph, "up", { layers: ["netwrok"] })).toThrow(
      /--layer netwrok: unknown layer; known: network, kubernetes/,
    );
    expect(() => selectStacks(graph, "up", { exclude: ["dns"] })).toThrow(
      "--exclude dns: unknown layer",
    );
  });
});

describe("graph renderings", () => {
  const graph = buildStackGraph([bases[1]]);
  const resources = new Map([
    [
      "prod-gcp-network",
      [
        { urn: "urn:net", type: "officeless:network:Network", name: "officeless-prod", parent: "" },
        {
          urn: "urn:vpc",
          type: "gcp:compute/network:Network",
          name: "officeless-prod-vpc",
          parent: "urn:net",
        },
      ],
    ],
  ]);

  it("mermaid: a subgraph per base stack and an edge from each upstream stack", () => {
    const text = graphToMermaid(graph);
    expect(text.split("\n")[0]).toBe("flowchart LR");
    expect(text).toContain('subgraph base_prod_gcp["prod-gcp"]');
    expect(text).toContain("prod_gcp_network --> prod_gcp_kubernetes");
    expect(text).toContain("prod_gcp_kubernetes --> prod_gcp_storage");
    expect(text).not.toContain("prod_gcp_storage --> prod_gcp_kubernetes");
  });

  it("mermaid with resources: the stack's resource tree inside its node", () => {
    const text = graphToMermaid(graph, resources);
    expect(text).toContain('subgraph prod_gcp_network["prod-gcp-network (2 resources)"]');
    expect(text).toContain(
      'prod_gcp_network_r1["officeless-prod-vpc<br/><small>gcp:compute/network:Network</small>"]',
    );
    expect(text).toContain("prod_gcp_network_r0 --- prod_gcp_network_r1");
  });

  it("dot: clusters and quoted edges", () => {
    const text = graphToDot(graph, resources);
    expect(text.startsWith("digraph stacks {")).toBe(true);
    expect(text).toContain('"prod-gcp-network" -> "prod-gcp-kubernetes";');
    expect(text).toContain('subgraph "cluster_prod-gcp-network" {');
    expect(text).toContain('"urn:net" -> "urn:vpc" [arrowhead=none];');
    expect(text.trim().endsWith("}")).toBe(true);
  });
});
