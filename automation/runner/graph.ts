/**
 * The stack graph: one node per (base stack, layer), edges from the layers' declared dependencies,
 * across several base stacks. Cycles are rejected before anything runs, naming the cycle.
 */
import { layerDependencies, layerStackName } from "../../components/layers";
import { LAYERS } from "../../components/types";
import { Operation, RunnerError, StackGraph, StackNode } from "./types";

/** What the graph needs to know about one base stack (see stacks.ts for reading it from its file). */
export interface BaseStackInfo {
  readonly name: string;
  /** Enabled layers of this base stack. */
  readonly layers: readonly string[];
  readonly cloud?: string;
  readonly environment?: string;
}

/** A dependency cycle, e.g. `a -> b -> a`. */
export class CycleError extends RunnerError {
  constructor(public readonly cycle: string[]) {
    super(`dependency cycle: ${cycle.join(" -> ")}`, "cycle");
    this.name = "CycleError";
  }
}

/** The first cycle found, as a closed path (`[a, b, a]`), or undefined. Deps outside the set are ignored. */
export function findCycle(
  nodes: Iterable<{ readonly id: string; readonly deps: readonly string[] }>,
): string[] | undefined {
  const deps = new Map<string, readonly string[]>();
  for (const n of nodes) deps.set(n.id, n.deps);
  const state = new Map<string, 1 | 2>(); // 1 on the path, 2 done
  const path: string[] = [];
  // Iterative DFS: deep graphs must not overflow the stack.
  for (const root of deps.keys()) {
    if (state.has(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 1);
    path.push(root);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const edges = deps.get(top.id)!.filter((d) => deps.has(d));
      if (top.next < edges.length) {
        const dep = edges[top.next++];
        const s = state.get(dep);
        if (s === 1) return [...path.slice(path.indexOf(dep)), dep];
        if (s === undefined) {
          state.set(dep, 1);
          path.push(dep);
          stack.push({ id: dep, next: 0 });
        }
      } else {
        state.set(top.id, 2);
        path.pop();
        stack.pop();
      }
    }
  }
  return undefined;
}

/** A graph from explicit nodes; throws on unknown dependencies, duplicates and cycles. */
export function graphFromNodes(nodes: readonly StackNode[]): StackGraph {
  const map = new Map<string, StackNode>();
  for (const n of nodes) {
    if (map.has(n.id))
      throw new RunnerError(`stack ${n.id} appears twice in the graph`, "duplicate");
    map.set(n.id, n);
  }
  for (const n of nodes) {
    for (const d of n.deps) {
      if (!map.has(d))
        throw new RunnerError(
          `stack ${n.id} depends on ${d}, which is not in the graph`,
          "unknownDependency",
        );
    }
  }
  const cycle = findCycle(nodes);
  if (cycle) throw new CycleError(cycle);
  return { nodes: map };
}

/**
 * The stack graph of several base stacks: each enabled layer becomes `<base>-<layer>` depending on
 * the same base stack's upstream layers. `dependencies` defaults to the layer graph of each base
 * stack's cloud (components/layers.ts `layerDependencies`).
 */
export function buildStackGraph(
  bases: readonly BaseStackInfo[],
  dependenciesOf: (base: BaseStackInfo) => Readonly<Record<string, readonly string[]>> = (base) =>
    layerDependencies(base.cloud),
): StackGraph {
  const nodes: StackNode[] = [];
  for (const base of bases) {
    const dependencies = dependenciesOf(base);
    for (const layer of base.layers) {
      const needed = dependencies[layer];
      if (!needed)
        throw new RunnerError(`base stack ${base.name}: unknown layer "${layer}"`, "unknownLayer");
      const off = needed.filter((d) => !base.layers.includes(d));
      if (off.length) {
        throw new RunnerError(
          `base stack ${base.name}: layer ${layer} needs ${off.join(", ")}, which is turned off`,
          "missingLayer",
        );
      }
      nodes.push({
        id: layerStackName(base.name, layer as never),
        baseStack: base.name,
        layer,
        deps: needed.map((d) => layerStackName(base.name, d as never)),
        cloud: base.cloud,
        environment: base.environment,
      });
    }
  }
  return graphFromNodes(nodes);
}

/** Stacks that read each stack (the reverse edges). */
export function dependentsOf(graph: StackGraph): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of graph.nodes.keys()) out.set(id, []);
  for (const n of graph.nodes.values()) for (const d of n.deps) out.get(d)?.push(n.id);
  return out;
}

/** Every stack reachable from `start` through `edges` (start included). */
function closure(start: Iterable<string>, edges: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...edges(id));
  }
  return seen;
}

/**
 * Execution edges for an operation: what must finish before each stack starts. Destroy runs in
 * reverse dependency order (a stack goes after every stack that reads it).
 */
export function executionDeps(graph: StackGraph, operation: Operation): Map<string, string[]> {
  if (operation !== "destroy")
    return new Map([...graph.nodes.values()].map((n) => [n.id, [...n.deps]]));
  return dependentsOf(graph);
}

export interface Selection {
  /** Only these layers (plus what they need: dependencies on preview/up, dependents on destroy). */
  readonly layers?: readonly string[];
  /** Remove these layers and every stack that must run after them. */
  readonly exclude?: readonly string[];
}

function checkLayerNames(names: readonly string[], graph: StackGraph, flag: string): void {
  const known = new Set<string>([...LAYERS, ...[...graph.nodes.values()].map((n) => n.layer)]);
  const bad = names.filter((n) => !known.has(n));
  if (bad.length)
    throw new RunnerError(
      `${flag} ${bad.join(", ")}: unknown layer; known: ${[...known].join(", ")}`,
      "unknownLayer",
    );
}

/**
 * The stacks an operation runs. `--layer` pulls in dependencies for preview/up (they must exist
 * first) and dependents for destroy (they must go first); refresh runs exactly the selection.
 * `--exclude` removes a layer and every stack that runs after it in this operation's order.
 */
export function selectStacks(
  graph: StackGraph,
  operation: Operation,
  selection: Selection = {},
): StackGraph {
  const deps = (id: string) => graph.nodes.get(id)!.deps;
  const dependents = dependentsOf(graph);
  const runsAfter = operation === "destroy" ? deps : (id: string) => dependents.get(id) ?? [];
  let chosen = new Set(graph.nodes.keys());
  if (selection.layers?.length) {
    checkLayerNames(selection.layers, graph, "--layer");
    const picked = [...graph.nodes.values()]
      .filter((n) => selection.layers!.includes(n.layer))
      .map((n) => n.id);
    if (operation === "preview" || operation === "up") chosen = closure(picked, deps);
    else if (operation === "destroy") chosen = closure(picked, (id) => dependents.get(id) ?? []);
    else chosen = new Set(picked);
  }
  if (selection.exclude?.length) {
    checkLayerNames(selection.exclude, graph, "--exclude");
    const excluded = [...graph.nodes.values()]
      .filter((n) => selection.exclude!.includes(n.layer))
      .map((n) => n.id);
    for (const id of closure(excluded, runsAfter)) chosen.delete(id);
  }
  const nodes = new Map<string, StackNode>();
  for (const [id, node] of graph.nodes) if (chosen.has(id)) nodes.set(id, node);
  return { nodes };
}

/** Stacks in an order where each comes after what it depends on (ties by name). */
export function topologicalOrder(graph: StackGraph): string[] {
  const indegree = new Map<string, number>();
  const dependents = dependentsOf(graph);
  for (const n of graph.nodes.values())
    indegree.set(n.id, n.deps.filter((d) => graph.nodes.has(d)).length);
  const ready = [...indegree]
    .filter(([, d]) => d === 0)
    .map(([id]) => id)
    .sort();
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const m of dependents.get(id) ?? []) {
      const left = indegree.get(m)! - 1;
      indegree.set(m, left);
      if (left === 0) {
        ready.push(m);
        ready.sort();
      }
    }
  }
  return order;
}

/**
 * A graph from a plain edge list (`{ b: ["a"] }`: b reads a), one base stack: for synthetic graphs
 * in tests and the benchmark. Each node's layer is its id.
 */
export function graphFromEdges(
  edges: Readonly<Record<string, readonly string[]>>,
  baseStack = "synthetic",
  environment?: string,
): StackGraph {
  return graphFromNodes(
    Object.entries(edges).map(([id, deps]) => ({
      id,
      baseStack,
      layer: id,
      deps: [...deps],
      environment,
    })),
  );
}
