/**
 * `npm run bench:runner [-- --json]`: the real runner (runStacks + scheduler) driven as an event
 * simulation on a virtual clock, over the real layer graph of 8 clouds x 3 environments and over
 * random DAGs of 50-500 stacks with skewed durations, at parallelism 2, 4, 8 and 16.
 *
 * Per graph and parallelism: makespan, the lower bound max(critical path, total work / parallelism),
 * a level-by-level scheduler (each level waits for the previous one; longest first inside a level)
 * and a serial run, all in simulated ms, plus the real wall time the scheduler spent deciding, per
 * stack. Durations are known to the scheduler through the journal, as on a second run.
 */
import { VirtualClock } from "../automation/runner/clock";
import { ScriptedEngine, ScriptStep } from "../automation/runner/engines/scripted";
import { buildStackGraph, graphFromEdges } from "../automation/runner/graph";
import { JournalStack, MemoryJournal } from "../automation/runner/journal";
import { runStacks } from "../automation/runner/runner";
import { noChanges, StackGraph } from "../automation/runner/types";
import { CLOUDS, ENVIRONMENTS, LAYERS } from "../components/types";

interface Case {
  name: string;
  graph: StackGraph;
  durations: Map<string, number>;
}

export interface BenchRow {
  name: string;
  nodes: number;
  parallelism: number;
  makespan: number;
  lowerBound: number;
  levelByLevel: number;
  serial: number;
  overheadMsPerStack: number;
}

const MIN = 60_000;

/** A small seeded PRNG (mulberry32) so every run measures the same graphs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Typical minutes per layer (min, max): clusters and caches are the long poles. */
const LAYER_MINUTES: Record<string, [number, number]> = {
  network: [3, 5],
  kubernetes: [10, 20],
  storage: [2, 4],
  vpn: [4, 8],
  addons: [3, 6],
  cache: [8, 15],
  observability: [4, 7],
};

function platformCase(): Case {
  const rnd = prng(42);
  const bases = CLOUDS.flatMap((cloud) =>
    ENVIRONMENTS.map((env) => ({
      name: `${env}-${cloud}`,
      layers: [...LAYERS],
      cloud,
      environment: env,
    })),
  );
  const graph = buildStackGraph(bases);
  const durations = new Map<string, number>();
  for (const node of graph.nodes.values()) {
    const [lo, hi] = LAYER_MINUTES[node.layer];
    durations.set(node.id, Math.round((lo + (hi - lo) * rnd()) * MIN));
  }
  return { name: `platform-${CLOUDS.length}x${ENVIRONMENTS.length}`, graph, durations };
}

/**
 * A random DAG with skewed durations (10% take 20-60 min, the rest 1-5 min). `deep`: each stack
 * reads 0-3 of the 20 before it (long chains); `wide`: 0-2 of any earlier stack (short, broad).
 */
function randomCase(n: number, seed: number, shape: "deep" | "wide"): Case {
  const rnd = prng(seed);
  const edges: Record<string, string[]> = {};
  const durations = new Map<string, number>();
  const id = (i: number) => `s${String(i).padStart(3, "0")}`;
  for (let i = 0; i < n; i++) {
    const deps = new Set<string>();
    const k =
      shape === "deep" ? (rnd() < 0.2 ? 0 : 1 + Math.floor(rnd() * 3)) : Math.floor(rnd() * 3);
    const window = shape === "deep" ? 20 : i;
    for (let j = 0; j < k && i > 0; j++)
      deps.add(id(Math.max(0, i - 1 - Math.floor(rnd() * window))));
    edges[id(i)] = [...deps];
    durations.set(id(i), Math.round((rnd() < 0.1 ? 20 + 40 * rnd() : 1 + 4 * rnd()) * MIN));
  }
  return { name: `random-${shape}-${n}`, graph: graphFromEdges(edges, `random-${n}`), durations };
}

function criticalPath(c: Case): number {
  const finish = new Map<string, number>();
  const visit = (id: string): number => {
    if (!finish.has(id))
      finish.set(id, c.durations.get(id)! + Math.max(0, ...c.graph.nodes.get(id)!.deps.map(visit)));
    return finish.get(id)!;
  };
  return Math.max(...[...c.graph.nodes.keys()].map(visit));
}

/** Level by level (as multistack PR #21852): a level starts when the previous one has finished. */
function levelByLevel(c: Case, parallelism: number): number {
  const level = new Map<string, number>();
  const depth = (id: string): number => {
    if (!level.has(id)) level.set(id, 1 + Math.max(-1, ...c.graph.nodes.get(id)!.deps.map(depth)));
    return level.get(id)!;
  };
  const levels: number[][] = [];
  for (const id of c.graph.nodes.keys()) (levels[depth(id)] ??= []).push(c.durations.get(id)!);
  let total = 0;
  for (const durations of levels) {
    const slots = new Array(parallelism).fill(0);
    for (const d of [...durations].sort((a, b) => b - a)) {
      slots.sort((a, b) => a - b);
      slots[0] += d;
    }
    total += Math.max(...slots);
  }
  return total;
}

/** The real runner on a virtual clock; durations known from a journal run. */
async function simulate(
  c: Case,
  parallelism: number,
): Promise<{ makespan: number; schedulingMs: number }> {
  const clock = new VirtualClock();
  const script: Record<string, ScriptStep[]> = {};
  const stacks: Record<string, JournalStack> = {};
  for (const [id, ms] of c.durations) {
    script[id] = [{ kind: "succeed", durationMs: ms }];
    stacks[id] = { status: "succeeded", durationMs: ms, attempts: 1, changes: noChanges() };
  }
  const journal = new MemoryJournal({
    version: 1,
    runs: [
      { id: "past", operation: "up", startedAt: "", durationMs: 0, status: "succeeded", stacks },
    ],
  });
  const engine = new ScriptedEngine({ clock, script });
  const result = await clock.run(
    runStacks({ operation: "up", graph: c.graph, engine, clock, parallel: parallelism, journal }),
  );
  if (result.stacks.some((s) => s.status !== "succeeded"))
    throw new Error(`${c.name}: not every stack succeeded`);
  if (engine.maxRunning > parallelism)
    throw new Error(`${c.name}: ${engine.maxRunning} stacks ran at once, limit ${parallelism}`);
  return { makespan: result.durationMs, schedulingMs: result.schedulingMs };
}

export async function runBench(): Promise<BenchRow[]> {
  const cases = [
    platformCase(),
    ...[50, 100, 200, 500].flatMap((n) => [randomCase(n, n, "deep"), randomCase(n, n + 1, "wide")]),
  ];
  await simulate(cases[0], 4); // warm up the JIT before measuring decision time
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const total = [...c.durations.values()].reduce((a, b) => a + b, 0);
    const cp = criticalPath(c);
    for (const parallelism of [2, 4, 8, 16]) {
      const { makespan, schedulingMs } = await simulate(c, parallelism);
      rows.push({
        name: c.name,
        nodes: c.graph.nodes.size,
        parallelism,
        makespan,
        lowerBound: Math.max(cp, Math.ceil(total / parallelism)),
        levelByLevel: levelByLevel(c, parallelism),
        serial: total,
        overheadMsPerStack: Number((schedulingMs / c.graph.nodes.size).toFixed(4)),
      });
    }
  }
  return rows;
}

function table(rows: BenchRow[]): string {
  const head = [
    "graph",
    "nodes",
    "P",
    "makespan/LB",
    "level/LB",
    "serial/LB",
    "DAG gain vs level",
    "overhead ms/stack",
  ];
  const lines = [head.join("  ")];
  for (const r of rows) {
    const ratio = (x: number) => (x / r.lowerBound).toFixed(3);
    lines.push(
      [
        r.name.padEnd(22),
        String(r.nodes).padStart(5),
        String(r.parallelism).padStart(2),
        ratio(r.makespan).padStart(11),
        ratio(r.levelByLevel).padStart(8),
        ratio(r.serial).padStart(9),
        `${((1 - r.makespan / r.levelByLevel) * 100).toFixed(1)}%`.padStart(17),
        r.overheadMsPerStack.toFixed(4).padStart(17),
      ].join("  "),
    );
  }
  const worst = Math.max(...rows.map((r) => r.makespan / r.lowerBound));
  const over = Math.max(...rows.map((r) => r.overheadMsPerStack));
  const beats = rows.filter((r) => r.makespan < r.levelByLevel).length;
  lines.push(
    "",
    `worst makespan/lower bound: ${worst.toFixed(3)} (target <= 1.05); faster than level-by-level in ${beats}/${rows.length}; max overhead ${over.toFixed(4)} ms/stack (target < 5)`,
  );
  return lines.join("\n");
}

if (require.main === module) {
  runBench().then(
    (rows) =>
      process.stdout.write(
        process.argv.includes("--json")
          ? `${JSON.stringify({ graphs: rows })}\n`
          : `${table(rows)}\n`,
      ),
    (err: Error) => {
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
