/**
 * One measured run, in its own process so module loading and peak memory are counted cleanly:
 *   plan <stack>            the offline plan of every layer of <stack>
 *   replay <plan.json>      the SDK's floor: that plan's resources replayed on the bare SDK classes
 *                           (automation/offline/replay.ts)
 * Prints one JSON line: { resources, wallMs (whole process, cold), warmMs (the same work run again in
 * the same process: modules, lazily loaded SDK submodules and JIT warm), peakRssMb }.
 * Each mode loads only what it needs, so the floor does not pay for our modules.
 */
import { performance } from "perf_hooks";
import { tuneForMocks } from "../automation/offline/runtime";

let refusedTypes: string[] = [];

async function replayed(file: string): Promise<number> {
  const fs = await import("fs");
  const { replay } = await import("../automation/offline/replay");
  const result = await replay(JSON.parse(fs.readFileSync(file, "utf8")).stacks);
  refusedTypes = result.refused;
  return result.resources;
}

async function planned(stack: string): Promise<number> {
  const { plan } = await import("../automation/offline/plan");
  return (await plan([stack])).summary.resources;
}

async function main(): Promise<void> {
  // The same process settings `npm run plan` uses, for both modes.
  tuneForMocks();
  const [mode, arg] = process.argv.slice(2);
  const run = () => (mode === "plan" ? planned(arg) : replayed(arg));
  const resources = await run();
  const wallMs = performance.now();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  await run();
  const warmMs = performance.now() - wallMs;
  process.stdout.write(
    `${JSON.stringify({ resources, wallMs, warmMs, peakRssMb, refused: refusedTypes })}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
