/**
 * One measured run, in its own process so module loading and peak memory are counted cleanly:
 *   plan <stack>            the offline plan of every layer of <stack>
 *   floor <n1,n2,...>       the SDK's floor: the same number of stacks and bare resources under the same mocks
 * Prints one JSON line: { resources, wallMs (since process start), peakRssMb }.
 * Each mode loads only what it needs, so the floor does not pay for our modules.
 */
import { performance } from "perf_hooks";

async function floor(counts: number[]): Promise<number> {
  const pulumi = await import("@pulumi/pulumi");
  const { installMocks } = await import("../automation/offline/mocks");
  let total = 0;
  for (const [i, count] of counts.entries()) {
    const mocks = await installMocks({ stack: `floor-${i}` });
    for (let r = 0; r < count; r++) new pulumi.CustomResource("bench:index:Bare", `bare-${r}`, {});
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
  // The same runtime setting `npm run plan` uses (automation/cli/plan.ts limitStackTraces).
  Error.stackTraceLimit = Number(process.env.OFFICELESS_STACK_TRACE_LIMIT ?? 1);
  const [mode, arg] = process.argv.slice(2);
  const resources = mode === "plan" ? await planned(arg) : await floor(arg.split(",").map(Number));
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ resources, wallMs: performance.now(), peakRssMb })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
