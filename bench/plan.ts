/**
 * `npm run bench:plan [-- --stack prod-aws] [--runs 5] [--json]`: the offline plan's wall time and
 * peak memory against the SDK's floor (the same stacks and resource count as bare resources under
 * the same mocks). Each run is a fresh process; the median is reported. Figures are printed, never
 * asserted: timing belongs here, not in tests.
 */
import { execFileSync } from "child_process";
import { Command } from "commander";
import * as path from "path";

interface Run {
  resources: number;
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

function main(): void {
  const opts = new Command("bench:plan")
    .option("--stack <name>", "base stack to plan", "prod-aws")
    .option("--runs <n>", "runs of each, median reported", "5")
    .option("--json", "print one JSON object")
    .parse(process.argv)
    .opts<{ stack: string; runs: string; json?: boolean }>();
  const runs = Number(opts.runs);
  // Per-stack resource counts, so the floor makes as many mock sessions as the plan.
  const planJson = JSON.parse(
    execFileSync(
      process.execPath,
      [...TS_NODE, "automation/cli/plan.ts", "--stack", opts.stack, "--json"],
      {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.json") },
      },
    ),
  ) as { stacks: { resources: unknown[] }[] };
  const counts = planJson.stacks.map((s) => s.resources.length).join(",");
  const planRuns: Run[] = [];
  const floorRuns: Run[] = [];
  for (let i = 0; i < runs; i++) {
    planRuns.push(runWorker(["plan", opts.stack]));
    floorRuns.push(runWorker(["floor", counts]));
  }
  const result = {
    stack: opts.stack,
    runs,
    resources: planRuns[0].resources,
    wallMs: Math.round(median(planRuns.map((r) => r.wallMs))),
    warmMs: Math.round(median(planRuns.map((r) => r.warmMs))),
    peakRssMb: Math.round(median(planRuns.map((r) => r.peakRssMb))),
    floorResources: floorRuns[0].resources,
    floorWallMs: Math.round(median(floorRuns.map((r) => r.wallMs))),
    floorWarmMs: Math.round(median(floorRuns.map((r) => r.warmMs))),
    floorPeakRssMb: Math.round(median(floorRuns.map((r) => r.peakRssMb))),
    ratio: 0,
    warmRatio: 0,
    rssRatio: 0,
  };
  result.warmRatio = Number((result.warmMs / result.floorWarmMs).toFixed(3));
  result.ratio = Number((result.wallMs / result.floorWallMs).toFixed(3));
  result.rssRatio = Number((result.peakRssMb / result.floorPeakRssMb).toFixed(3));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(
    [
      `offline plan of ${result.stack}: ${result.resources} resources, median of ${runs} runs (fresh process each)`,
      `         cold wall ms   warm ms   peak RSS`,
      `  plan   ${String(result.wallMs).padStart(12)}  ${String(result.warmMs).padStart(8)}   ${result.peakRssMb} MB`,
      `  floor  ${String(result.floorWallMs).padStart(12)}  ${String(result.floorWarmMs).padStart(8)}   ${result.floorPeakRssMb} MB  (${result.floorResources} bare resources, same mocks)`,
      `  ratio  ${result.ratio} cold wall (target <= 1.25), ${result.warmRatio} warm, ${result.rssRatio} memory`,
    ].join("\n") + "\n",
  );
}

main();
