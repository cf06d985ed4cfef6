/**
 * One measured run, in its own process so module loading and peak memory are counted cleanly:
 *   plan <stack>            the offline plan of every layer of <stack>
 *   floor <n1,n2,...>       the SDK's floor: the same number of stacks and bare resources under the same mocks
 * Prints one JSON line: { resources, wallMs (whole process, cold), warmMs (the same work run again in
 * the same process: modules, lazily loaded SDK submodules and JIT warm), peakRssMb }.
 * Each mode loads only what it needs, so the floor does not pay for our modules.
 */
import { performance } from "perf_hooks";
import { tuneForMocks } from "../automation/offline/runtime";

async function floor(counts: number[]): Promise<number> {
  const pulumi = await import("@pulumi/pulumi");
  const { installMocks } = await import("../automation/offline/mocks");
  class Bare extends pulumi.CustomResource {
    constructor(name: string) {
      super("bench:index:Bare", name, {});
    }
  }
  let total = 0;
  for (const [i, count] of counts.entries()) {
    const mocks = await installMocks({ stack: `floor-${i}` });
    for (let r = 0; r < count; r++) new Bare(`bare-${r}`);
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    total += mocks.resources.length;
  }
  return total;
}

async function planned(stack: string): Promise<number> {
  const { plan } = await import("../automation/offline/plan");
  return (await plan([stack])).summary.resources;
}

async function main(): Promise<void> {
  // The same process settings `npm run plan` uses, for both modes.
  tuneForMocks();
  const [mode, arg] = process.argv.slice(2);
  const run = () => (mode === "plan" ? planned(arg) : floor(arg.split(",").map(Number)));
  const resources = await run();
  const wallMs = performance.now();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  await run();
  const warmMs = performance.now() - wallMs;
  process.stdout.write(`${JSON.stringify({ resources, wallMs, warmMs, peakRssMb })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
