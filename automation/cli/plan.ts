/**
 * `npm run plan -- --stack dev-aws [--stack prod-aws] [--json]`: the offline plan of every layer of
 * each stack, under Pulumi mocks. Prints resources by type per stack and a total, or one JSON document.
 */
import * as fs from "fs";
import { Command } from "commander";
import { evaluatePlan, PolicyPackConfig, renderViolations } from "../../policy/library";
import { countByType, plan, PlanResult } from "../offline/plan";
import { tuneForMocks } from "../offline/runtime";

export function renderPlanText(result: PlanResult): string {
  const lines: string[] = [];
  for (const stack of result.stacks) {
    const after = stack.dependsOn.length ? ` (after ${stack.dependsOn.join(", ")})` : "";
    lines.push(
      `${stack.name}  [${stack.cloud} ${stack.environment}, layer ${stack.layer}]${after}`,
    );
    for (const [type, count] of countByType(stack.resources))
      lines.push(`  ${String(count).padStart(4)}  ${type}`);
    lines.push(`  ${String(stack.resources.length).padStart(4)}  resources`);
    lines.push("");
  }
  lines.push(`Total: ${result.summary.resources} resources in ${result.summary.stacks} stacks`);
  return lines.join("\n");
}

/** The `plan` command line; throws a CommanderError on bad input or after printing help. */
export function planCommand(): Command {
  return new Command("plan")
    .description(
      "Offline plan: run the real layer programs under Pulumi mocks, no credentials or CLI needed",
    )
    .requiredOption(
      "-s, --stack <name>",
      "base stack (Pulumi.<name>.yaml); repeat for several",
      // No default value: commander counts a default as given, and `plan` alone would plan nothing.
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option("--json", "print one JSON document")
    .option(
      "--policy",
      "run the policy pack (policy/) on the planned resources; exit 1 on a mandatory violation",
    )
    .option(
      "--policy-config <file>",
      "policy pack config (JSON, the format of pulumi preview --policy-pack-config)",
    )
    .option("--project-dir <dir>", "folder holding Pulumi.yaml and the stack files")
    .exitOverride();
}

async function main(argv: string[]): Promise<number> {
  const program = planCommand();
  program.parse(argv, { from: "user" });
  const opts = program.opts<{
    stack: string[];
    json?: boolean;
    projectDir?: string;
    policy?: boolean;
    policyConfig?: string;
  }>();
  const result = await plan(opts.stack, { projectDir: opts.projectDir });
  const packConfig = opts.policyConfig
    ? (JSON.parse(fs.readFileSync(opts.policyConfig, "utf8")) as PolicyPackConfig)
    : undefined;
  const violations =
    opts.policy || packConfig ? evaluatePlan(result.stacks, packConfig) : undefined;
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(violations ? { ...result, violations } : result, null, 2)}\n`
      : `${renderPlanText(result)}\n${violations ? `\n${renderViolations(violations)}\n` : ""}`,
  );
  return violations?.some((v) => v.level === "mandatory") ? 1 : 0;
}

if (require.main === module) {
  tuneForMocks();
  // exitCode, not exit(): a large plan piped to another process must be flushed first.
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error & { code?: string }) => {
      if (err.code?.startsWith("commander.")) {
        process.exitCode = err.code === "commander.helpDisplayed" ? 0 : 2;
        return;
      }
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
