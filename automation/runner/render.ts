/**
 * Text renderings of a graph and a run: Mermaid and Graphviz dot for the stack graph (optionally
 * with each stack's resource tree from the offline plan), and the summary table.
 */
import { topologicalOrder } from "./graph";
import { RunResult, StackGraph, StackResult } from "./types";

/** The resource fields the tree needs (a PlannedResource has them). */
export interface TreeResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
}

export type GraphFormat = "mermaid" | "dot";

function mermaidId(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, "_");
}

function dotQuote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Resources of a stack with a parent inside the same stack, by parent URN ("" for top level). */
function children(resources: readonly TreeResource[]): Map<string, TreeResource[]> {
  const urns = new Set(resources.map((r) => r.urn));
  const out = new Map<string, TreeResource[]>();
  for (const r of resources) {
    const parent = r.parent && urns.has(r.parent) ? r.parent : "";
    out.set(parent, [...(out.get(parent) ?? []), r]);
  }
  return out;
}

/**
 * Mermaid flowchart: one node per stack (a subgraph with its resources when given), an edge from
 * each upstream stack to the stack that reads it.
 */
export function graphToMermaid(
  graph: StackGraph,
  resources?: ReadonlyMap<string, readonly TreeResource[]>,
): string {
  const lines = ["flowchart LR"];
  const order = topologicalOrder(graph);
  const bases = [...new Set(order.map((id) => graph.nodes.get(id)!.baseStack))];
  for (const base of bases) {
    lines.push(`  subgraph ${mermaidId(`base_${base}`)}["${base}"]`);
    for (const id of order.filter((i) => graph.nodes.get(i)!.baseStack === base)) {
      const res = resources?.get(id);
      if (!res) {
        lines.push(`    ${mermaidId(id)}["${id}"]`);
        continue;
      }
      lines.push(`    subgraph ${mermaidId(id)}["${id} (${res.length} resources)"]`);
      const kids = children(res);
      const ids = new Map(res.map((r, i) => [r.urn, `${mermaidId(id)}_r${i}`]));
      for (const r of res)
        lines.push(`      ${ids.get(r.urn)}["${r.name}<br/><small>${r.type}</small>"]`);
      for (const [parent, list] of kids) {
        if (parent)
          for (const c of list) lines.push(`      ${ids.get(parent)} --- ${ids.get(c.urn)}`);
      }
      lines.push("    end");
    }
    lines.push("  end");
  }
  for (const id of order)
    for (const dep of graph.nodes.get(id)!.deps)
      if (graph.nodes.has(dep)) lines.push(`  ${mermaidId(dep)} --> ${mermaidId(id)}`);
  return lines.join("\n");
}

/** Graphviz dot: a cluster per base stack (and per stack with resources), edges upstream -> reader. */
export function graphToDot(
  graph: StackGraph,
  resources?: ReadonlyMap<string, readonly TreeResource[]>,
): string {
  const lines = ["digraph stacks {", "  rankdir=LR;", "  node [shape=box];"];
  const order = topologicalOrder(graph);
  const bases = [...new Set(order.map((id) => graph.nodes.get(id)!.baseStack))];
  for (const base of bases) {
    lines.push(`  subgraph ${dotQuote(`cluster_${base}`)} {`, `    label=${dotQuote(base)};`);
    for (const id of order.filter((i) => graph.nodes.get(i)!.baseStack === base)) {
      const res = resources?.get(id);
      lines.push(`    ${dotQuote(id)};`);
      if (!res) continue;
      lines.push(
        `    subgraph ${dotQuote(`cluster_${id}`)} {`,
        `      label=${dotQuote(`${id} (${res.length} resources)`)};`,
      );
      for (const r of res)
        lines.push(`      ${dotQuote(r.urn)} [label=${dotQuote(`${r.name}\n${r.type}`)}];`);
      for (const [parent, list] of children(res)) {
        if (parent)
          for (const c of list)
            lines.push(`      ${dotQuote(parent)} -> ${dotQuote(c.urn)} [arrowhead=none];`);
      }
      lines.push("    }");
    }
    lines.push("  }");
  }
  for (const id of order)
    for (const dep of graph.nodes.get(id)!.deps)
      if (graph.nodes.has(dep)) lines.push(`  ${dotQuote(dep)} -> ${dotQuote(id)};`);
  lines.push("}");
  return lines.join("\n");
}

export function renderGraph(
  format: GraphFormat,
  graph: StackGraph,
  resources?: ReadonlyMap<string, readonly TreeResource[]>,
): string {
  return format === "dot" ? graphToDot(graph, resources) : graphToMermaid(graph, resources);
}

/** `1m 05s`, `12.3s`, `0.2s`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

/** `+3 ~1 -0 ±2` (create, update, delete, replace). */
export function formatChanges(s: Pick<StackResult, "changes">): string {
  const c = s.changes;
  return `+${c.create} ~${c.update} -${c.delete}${c.replace ? ` ±${c.replace}` : ""}`;
}

/** Why a stack ended as it did, on one line. */
export function stackDetail(s: StackResult): string {
  const parts: string[] = [];
  if (s.error) parts.push(s.error.split("\n").filter(Boolean).slice(-3).join(" | "));
  if (s.reason) parts.push(s.reason);
  if (s.attempts > 1) parts.push(`${s.attempts} attempts`);
  for (const n of s.notes ?? []) parts.push(n);
  return parts.join("; ");
}

/** The summary table: every stack with status, duration and changes, then the totals. */
export function renderSummary(result: RunResult): string {
  const width = Math.max(5, ...result.stacks.map((s) => s.stack.length));
  const lines = [`${"STACK".padEnd(width)}  STATUS     DURATION  CHANGES          DETAIL`];
  for (const s of result.stacks) {
    lines.push(
      `${s.stack.padEnd(width)}  ${s.status.padEnd(9)}  ${formatDuration(s.durationMs).padStart(8)}  ${formatChanges(s).padEnd(15)}  ${stackDetail(s)}`.trimEnd(),
    );
  }
  const counts = new Map<string, number>();
  for (const s of result.stacks) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const tally = [...counts].map(([k, v]) => `${v} ${k}`).join(", ") || "nothing to do";
  lines.push(
    "",
    `${result.operation}: ${result.status} (${tally}) in ${formatDuration(result.durationMs)}, exit code ${result.exitCode}`,
  );
  return lines.join("\n");
}
