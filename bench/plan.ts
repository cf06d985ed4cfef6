/**
 * `npm run bench:plan [-- --stack prod-aws ...] [--runs 3] [--json]`: each example stack's offline
 * plan (wall time, warm time, peak memory) side by side with its floor: the same plan's resources
 * replayed on the bare SDK classes (automation/offline/replay.ts), so the ratio is the project's own overhead over
 * what the SDKs cost anyway. Each run is a fresh process; medians are reported. Figures are printed,
 * never asserted: timing belongs here, not in tests.
 */
import { execFileSync } from "child_process";
import { Command } from "commander";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

interface Run {
  resources: number;
  /** Replay only: resources whose SDK class refused the recorded inputs (replayed bare instead). */
  refused?: string[];
  wallMs: number;
  warmMs: number;
  peakRssMb: number;
}

const root = path.resolve(__dirname, "..");

/** ts-node with the swc transpiler, as the npm scripts run it. */
const TS_NODE = [require.resolve("ts-node/dist/bin.js"), "--swc"];

function runWorker(args: string[]): Run {
  const out = execFileSync(process.execPath, [...TS_NODE, "bench/planWorker.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.json") },
  });
  return JSON.parse(out.trim().split("\n").pop()!) as Run;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Every example stack (`Pulumi.<env>-<cloud>.yaml` at the root). */
function exampleStacks(): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.((?:dev|staging|prod)-[a-z]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => Boolean(s))
    .sort();
}

interface StackResult {
  stack: string;
  resources: number;
  replayedResources: number;
  wallMs: number;
  warmMs: number;
  peakRssMb: number;
  floorWallMs: number;
  floorWarmMs: number;
  floorPeakRssMb: number;
  ratio: number;
  warmRatio: number;
  refused: string[];
}

const ratio = (a: number, b: number) => Number((a / b).toFixed(3));

function benchStack(stack: string, runs: number, dir: string): StackResult {
  // The plan's own resources, written once, are what the floor replays.
  const planFile = path.join(dir, `${stack}.json`);
  fs.writeFileSync(
    planFile,
    execFileSync(
      process.execPath,
      [...TS_NODE, "automation/cli/plan.ts", "--stack", stack, "--json"],
      {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        stdio: ["ignore", "pipe", "ignore"],
        env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.json") },
      },
    ),
  );
  const planRuns: Run[] = [];
  const floorRuns: Run[] = [];
  // Side by side, alternating, so a busy machine slows both alike.
  for (let i = 0; i < runs; i++) {
    planRuns.push(runWorker(["plan", stack]));
    floorRuns.push(runWorker(["replay", planFile]));
  }
  const m = (rs: Run[], k: "wallMs" | "warmMs" | "peakRssMb") =>
    Math.round(median(rs.map((r) => r[k])));
  const r: StackResult = {
    stack,
    resources: planRuns[0].resources,
    replayedResources: floorRuns[0].resources,
    wallMs: m(planRuns, "wallMs"),
    warmMs: m(planRuns, "warmMs"),
    peakRssMb: m(planRuns, "peakRssMb"),
    floorWallMs: m(floorRuns, "wallMs"),
    floorWarmMs: m(floorRuns, "warmMs"),
    floorPeakRssMb: m(floorRuns, "peakRssMb"),
    ratio: 0,
    warmRatio: 0,
    refused: floorRuns[0].refused ?? [],
  };
  r.ratio = ratio(r.wallMs, r.floorWallMs);
  r.warmRatio = ratio(r.warmMs, r.floorWarmMs);
  return r;
}

function main(): void {
  const opts = new Command("bench:plan")
    .option(
      "--stack <name>",
      "base stack to plan (repeatable) [default: every example stack]",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option("--runs <n>", "runs of each, median reported", "3")
    .option("--json", "print one JSON object")
    .parse(process.argv)
    .opts<{ stack?: string[]; runs: string; json?: boolean }>();
  const runs = Number(opts.runs);
  const stacks = opts.stack ?? exampleStacks();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-bench-"));
  const results = stacks.map((stack) => benchStack(stack, runs, dir));
  fs.rmSync(dir, { recursive: true, force: true });
  const sum = (k: keyof StackResult) => results.reduce((n, r) => n + (r[k] as number), 0);
  const total = {
    resources: sum("resources"),
    wallMs: sum("wallMs"),
    floorWallMs: sum("floorWallMs"),
    warmMs: sum("warmMs"),
    floorWarmMs: sum("floorWarmMs"),
    ratio: ratio(sum("wallMs"), sum("floorWallMs")),
    warmRatio: ratio(sum("warmMs"), sum("floorWarmMs")),
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ runs, stacks: results, total })}\n`);
    return;
  }
  const row = (cells: (string | number)[]) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(18) : String(c).padStart(10))).join(" ");
  const lines = [
    `offline plan vs its resources replayed on the bare SDK classes; median of ${runs} runs, fresh process each`,
    row([
      "stack",
      "resources",
      "plan ms",
      "floor ms",
      "ratio",
      "warm ms",
      "floor warm",
      "warm ratio",
      "plan MB",
      "floor MB",
    ]),
    ...results.map((r) =>
      row([
        r.stack,
        r.resources === r.replayedResources
          ? r.resources
          : `${r.resources}!=${r.replayedResources}`,
        r.wallMs,
        r.floorWallMs,
        r.ratio,
        r.warmMs,
        r.floorWarmMs,
        r.warmRatio,
        r.peakRssMb,
        r.floorPeakRssMb,
      ]),
    ),
    row([
      "all",
      total.resources,
      total.wallMs,
      total.floorWallMs,
      total.ratio,
      total.warmMs,
      total.floorWarmMs,
      total.warmRatio,
      "",
      "",
    ]),
    `target: ratio <= 1.10 (cold wall time, whole process)`,
    ...results
      .filter((r) => r.refused.length > 0)
      .map(
        (r) =>
          `${r.stack}: replayed bare, the SDK constructor refused the recorded inputs: ${r.refused.join("; ")}`,
      ),
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

main();
