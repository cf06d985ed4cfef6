/**
 * The `officeless` command line, as a function of argv and injected I/O: parses flags (commander),
 * picks the engine, asks for confirmation, reports progress and prints the summary, and returns the
 * exit code. automation/cli/officeless.ts wires it to the process (signals, exit).
 */
import type { AzurePrincipalType } from "../bootstrap/names";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Command, CommanderError, Option } from "commander";
import { BOOTSTRAP_CLOUDS, MAX_NAME_LENGTH } from "../bootstrap/names";
import {
  BootstrapIo,
  BootstrapRequest,
  planBootstrap,
  renderBootstrapPlan,
  runBootstrap,
} from "../bootstrap/run";
import { PROJECT_CONFIG_FILE } from "../bootstrap/projectConfig";
import { exportCommand, exportPkoCommand, PkoFlags } from "../pko/cli";
import { AutomationEngine, AutomationEngineOptions } from "./engines/automation";
import { OfflineEngine } from "./engines/offline";
import { BaseStackInfo, buildStackGraph, selectStacks, topologicalOrder } from "./graph";
import { FileJournal, JournalStore } from "./journal";
import { onPath } from "./preDestroy";
import { GraphFormat, renderGraph, renderSummary } from "./render";
import { collect, positiveInt } from "./parsers";
import { reporterFor } from "./reporters";
import { assertDestroyAllowed, runStacks } from "./runner";
import { defaultProjectDir, loadBaseStacks } from "./stacks";
import { Engine, Interrupt, Operation } from "./types";

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  /** Progress (live view or log lines) and errors. */
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Whether a person can answer a confirmation. */
  readonly interactive: boolean;
  /** Asks a yes/no question. */
  confirm?(question: string): Promise<boolean>;
  /** Aborted by the first SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
  readonly cpus?: number;
  /** Injection points for tests. */
  loadBaseStacks?(names: readonly string[], projectDir: string): BaseStackInfo[];
  automationEngine?(options: AutomationEngineOptions): Engine;
  offlineEngine?(projectDir: string): OfflineEngine;
  journal?(file: string): JournalStore;
  /** Bootstrap's cloud CLI runner and stack opener (tests inject fakes). */
  bootstrap?: Pick<BootstrapIo, "exec" | "openStack" | "home" | "sleep">;
}

interface Flags {
  stack: string[];
  layer: string[];
  exclude: string[];
  parallel?: number;
  failFast?: boolean;
  resume?: boolean;
  json?: boolean;
  yes?: boolean;
  expectNoChanges?: boolean;
  allowDestroyProd?: boolean;
  engine: "auto" | "automation" | "offline";
  backend?: string;
  secretsProvider?: string;
  format: GraphFormat;
  resources?: boolean;
  journal?: string;
  projectDir?: string;
  resourceParallel?: number;
  refresh?: boolean;
  policyPack: string[];
  target: string[];
  targetExclude: string[];
  skipPreDestroy?: boolean;
}

/**
 * The abort reason of a signal the runner got. Ctrl-C at a terminal (the runner attached to one
 * as its foreground job) went to the whole process group, so the pulumi children have it
 * already; anything else (SIGTERM from a supervisor or CI, SIGINT to a runner in the background)
 * reached only the runner and is forwarded to them, once. A `kill -INT <pid>` of a foreground
 * runner cannot be told from a Ctrl-C (Node does not say who sent a signal): SIGTERM is the way.
 */
export function interruptOf(signal: NodeJS.Signals, fromTerminal: boolean): Interrupt {
  return new Interrupt(signal, signal === "SIGINT" && fromTerminal);
}

/** What the runner says on a first signal. */
export function interruptMessage(interrupt: Interrupt): string {
  return interrupt.childrenSignalled
    ? `${interrupt.signal}: starting nothing new; running stacks got it too and are stopping gracefully (again to exit now)`
    : `${interrupt.signal}: starting nothing new; asking running stacks to stop gracefully (again to exit now)`;
}

/**
 * Whether this process is in its terminal's foreground process group, from Linux's
 * `/proc/self/stat` (fields after the command name: state ppid pgrp session tty_nr tpgid). A
 * terminal sends Ctrl-C's SIGINT to that group only, so a SIGINT to a runner in the background
 * (`officeless up &`, a pty whose foreground is another job) was sent to the runner alone.
 * Undefined where it cannot be told (no /proc, e.g. macOS).
 */
export function inTerminalForeground(
  stat: () => string = () => fs.readFileSync("/proc/self/stat", "utf8"),
): boolean | undefined {
  let fields: string[];
  try {
    const text = stat();
    fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
  const pgrp = Number(fields[2]);
  const tpgid = Number(fields[5]);
  if (!Number.isInteger(pgrp) || !Number.isInteger(tpgid)) return undefined;
  return tpgid > 0 && tpgid === pgrp;
}

/**
 * The runner's signal handling. First signal: abort the run with its {@link Interrupt}. A signal
 * within `sameWithinMs` of the first is the same Ctrl-C arriving twice (under `npm run`, the
 * runner gets the terminal's SIGINT and npm forwards it too), so it is ignored; a later one
 * exits at once.
 */
export function signalHandler(options: {
  abort(reason: Interrupt): void;
  exit(code: number): void;
  write(text: string): void;
  /** Whether a SIGINT now came from the terminal's Ctrl-C; asked when the signal arrives. */
  fromTerminal: boolean | (() => boolean);
  now?: () => number;
  sameWithinMs?: number;
}): (signal: NodeJS.Signals) => void {
  const now = options.now ?? Date.now;
  let first: number | undefined;
  return (signal) => {
    if (first === undefined) {
      first = now();
      const fromTerminal =
        typeof options.fromTerminal === "function" ? options.fromTerminal() : options.fromTerminal;
      const interrupt = interruptOf(signal, fromTerminal);
      options.write(`\n${interruptMessage(interrupt)}\n`);
      options.abort(interrupt);
    } else if (now() - first >= (options.sameWithinMs ?? 1000)) {
      options.write(
        `\n${signal} again: exiting now; a stack still running may stay locked: once no update of it runs, officeless cancel --stack <base> [--layer <layer>]\n`,
      );
      options.exit(130);
    }
  };
}

/** Stacks at once when `--parallel` is unset: two per core, at most 4 (cloud APIs throttle beyond). */
export function defaultParallelism(cpus = os.availableParallelism?.() ?? os.cpus().length): number {
  return Math.max(1, Math.min(4, cpus * 2));
}

const COMMANDS: Record<string, string> = {
  preview:
    "preview every selected stack in dependency order (fresh upstream stacks: previewed offline)",
  up: "deploy every selected stack in dependency order",
  refresh: "refresh every selected stack's state from the cloud",
  destroy: "destroy every selected stack in reverse dependency order",
  plan: "offline preview: the real programs under Pulumi mocks, no CLI or credentials",
  graph: "print the stack graph (mermaid or dot); --resources adds each stack's planned resources",
  cancel:
    "remove the update lock of stacks an interrupted run left locked (pulumi cancel); asks first",
};

interface BootstrapFlags {
  cloud: string;
  region: string;
  name: string;
  project?: string;
  retentionDays?: number;
  role?: string;
  member?: string;
  principalId?: string;
  principalType?: AzurePrincipalType;
  dryRun?: boolean;
  destroy?: boolean;
  yes?: boolean;
  writeConfig: boolean;
  projectDir?: string;
}

function bootstrapCommand(program: Command, onChosen: (flags: BootstrapFlags) => void): void {
  program
    .command("bootstrap")
    .description(
      "create the encrypted, versioned state bucket and secrets key for a cloud, and print (and write) the --backend and --secrets-provider URLs",
    )
    .exitOverride()
    .addOption(
      new Option("--cloud <cloud>", "cloud of the state store")
        .choices([...BOOTSTRAP_CLOUDS])
        .makeOptionMandatory(),
    )
    .requiredOption(
      "--region <region>",
      "region (AWS, GCP) or location (Azure) of the bucket and keys",
    )
    .option(
      "--name <prefix>",
      `prefix of every name, 3-${MAX_NAME_LENGTH} characters`,
      "officeless",
    )
    .option("--project <id>", "GCP project (default: gcloud config get-value project)")
    .option("--retention-days <n>", "days old state versions are kept (default: 90)", positiveInt)
    .option("--role <name>", "AWS: attach the state access policy to this existing IAM role")
    .option("--member <member>", "GCP: grant the state roles to this member (serviceAccount:...)")
    .option("--principal-id <id>", "Azure: grant the state roles to this object id (default: you)")
    .addOption(
      new Option("--principal-type <type>", "Azure: what --principal-id is").choices([
        "User",
        "ServicePrincipal",
        "Group",
      ]),
    )
    .option("--dry-run", "offline, under mocks: show the resources, the checks and the URLs")
    .option("--destroy", "remove the store; refused while the bucket holds any stack's state")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--no-write-config", `do not write the URLs into ${PROJECT_CONFIG_FILE}`)
    .option(
      "--project-dir <dir>",
      "project whose config gets the URLs (default: nearest Pulumi.yaml)",
    )
    .action((flags: BootstrapFlags) => onChosen(flags));
}

function addOptions(cmd: Command): Command {
  return cmd
    .requiredOption(
      "-s, --stack <base>",
      "base stack (Pulumi.<base>.yaml); repeat for several",
      // No default value: commander counts a default as given, and the command would run nothing.
      collect,
    )
    .option(
      "-l, --layer <layer>",
      "only these layers (plus what they need); repeatable",
      collect,
      [],
    )
    .option(
      "-x, --exclude <layer>",
      "leave out these layers and what runs after them; repeatable",
      collect,
      [],
    )
    .option("-p, --parallel <n>", "stacks at once (default: min(4, 2 x cores))", positiveInt)
    .option("--fail-fast", "start nothing new after the first failure")
    .option("--resume", "rerun only what failed, was skipped or cancelled last time")
    .option("--json", "JSON Lines events on stdout")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--expect-no-changes", "exit 2 when a preview or refresh finds changes (drift check)")
    .option("--allow-destroy-prod", "allow destroying production base stacks")
    .addOption(
      new Option("--engine <engine>", "how stacks run")
        .choices(["auto", "automation", "offline"])
        .default("auto"),
    )
    .option(
      "--backend <url>",
      `state backend URL (default: ${PROJECT_CONFIG_FILE}'s backendUrl, else file://<project>/.officeless/state)`,
    )
    .option(
      "--secrets-provider <provider>",
      `secrets provider of new layer stacks whose base stack names none (default: ${PROJECT_CONFIG_FILE}'s, else passphrase; a base stack's own provider always wins)`,
    )
    .addOption(
      new Option("--format <format>", "graph format")
        .choices(["mermaid", "dot"])
        .default("mermaid"),
    )
    .option("--resources", "graph: add each stack's resource tree from the offline plan")
    .option("--journal <file>", "run journal (default: <project>/.officeless/journal.json)")
    .option("--project-dir <dir>", "folder holding Pulumi.yaml and the stack files")
    .option(
      "--resource-parallel <n>",
      "resource operations at once inside a stack (pulumi -p)",
      positiveInt,
    )
    .option("--refresh", "refresh state before preview/up/destroy")
    .option("--policy-pack <dir>", "policy pack to enforce; repeatable", collect, [])
    .option("--target <urn>", "only this resource URN; repeatable", collect, [])
    .option("--target-exclude <urn>", "leave this resource URN alone; repeatable", collect, [])
    .option(
      "--skip-pre-destroy",
      "skip the load balancer clean-up before destroying addons/kubernetes",
    );
}

/** Parses argv: the command and its flags; throws CommanderError on bad input. */
export function parseArgs(
  argv: readonly string[],
  io: Pick<CliIo, "stdout" | "stderr">,
): { command: string; flags: Flags } | undefined {
  let chosen: { command: string; flags: Flags } | undefined;
  const program = new Command("officeless")
    .description(
      "Run preview/up/refresh/destroy across layer stacks in dependency order, in parallel",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    });
  bootstrapCommand(program, (flags) => {
    chosen = { command: "bootstrap", flags: flags as unknown as Flags };
  });
  exportCommand(program, (flags) => {
    chosen = { command: "export pko", flags: flags as unknown as Flags };
  });
  for (const [name, description] of Object.entries(COMMANDS)) {
    addOptions(program.command(name).description(description).exitOverride()).action(
      (flags: Flags) => {
        chosen = { command: name, flags };
      },
    );
  }
  program.parse([...argv], { from: "user" });
  return chosen;
}

/** Runs the CLI; resolves with the exit code (0 ok, 1 failure, 2 drift). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const err = (text: string) => void io.stderr.write(`${text}\n`);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv, io);
  } catch (e) {
    // Commander has already printed the help or the error; usage errors exit 1 (2 means drift).
    if (e instanceof CommanderError)
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? 0 : 1;
    throw e;
  }
  if (!parsed) {
    err(`usage: officeless <${Object.keys(COMMANDS).join("|")}> --stack <base> [options]`);
    err("       officeless bootstrap --cloud <aws|gcp|azure> --region <region> [--dry-run]");
    err(
      "       officeless export pko --stack <base> --repo <git url> --branch <branch> [--out <dir>|-]",
    );
    return 1;
  }
  try {
    if (parsed.command === "bootstrap")
      return await bootstrap(parsed.flags as unknown as BootstrapFlags, io);
    if (parsed.command === "export pko")
      return exportPkoCommand(parsed.flags as unknown as PkoFlags, io);
    return await execute(parsed.command, parsed.flags, io);
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return 1;
  }
}

async function execute(command: string, flags: Flags, io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  const projectDir = path.resolve(flags.projectDir ?? defaultProjectDir());
  const bases = (io.loadBaseStacks ?? loadBaseStacks)(flags.stack, projectDir);
  const graph = buildStackGraph(bases);
  const selection = { layers: flags.layer, exclude: flags.exclude };
  const offline = () =>
    io.offlineEngine ? io.offlineEngine(projectDir) : new OfflineEngine({ projectDir });
  const out = (text: string) => void io.stdout.write(`${text}\n`);

  if (command === "graph") {
    const selected = selectStacks(graph, "up", selection);
    if (!flags.resources) return (out(renderGraph(flags.format, selected)), 0);
    const engine = offline();
    const result = await runStacks({
      operation: "preview",
      graph: selected,
      engine,
      parallel: 1,
      signal: io.signal,
    });
    if (result.exitCode !== 0) {
      io.stderr.write(`${renderSummary(result)}\n`);
      return result.exitCode;
    }
    const resources = new Map([...engine.planned].map(([id, p]) => [id, p.resources]));
    return (out(renderGraph(flags.format, selected, resources)), 0);
  }

  if (command === "cancel") return cancelStacks(flags, io, graph, projectDir, env);

  const operation: Operation = command === "plan" ? "preview" : (command as Operation);
  let engine: Engine;
  let offlineFallback: Engine | undefined;
  const useOffline =
    command === "plan" ||
    flags.engine === "offline" ||
    (flags.engine === "auto" && operation === "preview" && !onPath("pulumi", env));
  if (useOffline) {
    if (command !== "plan" && flags.engine === "auto")
      io.stderr.write("pulumi CLI not found on PATH: previewing offline under mocks\n");
    engine = offline();
  } else {
    const options: AutomationEngineOptions = {
      projectDir,
      backendUrl: flags.backend,
      secretsProvider: flags.secretsProvider,
      resourceParallel: flags.resourceParallel,
      refresh: flags.refresh,
      policyPacks: flags.policyPack,
      target: flags.target,
      exclude: flags.targetExclude,
      env,
    };
    engine = io.automationEngine ? io.automationEngine(options) : new AutomationEngine(options);
    if (operation === "preview" && flags.engine === "auto") offlineFallback = offline();
  }

  const selected = selectStacks(graph, operation, selection);
  assertDestroyAllowed(selected, operation, flags.allowDestroyProd);
  if ((operation === "up" || operation === "destroy") && !flags.yes) {
    if (!io.interactive || !io.confirm) {
      throw new Error(
        `${operation} changes real infrastructure: pass --yes to run it without a terminal to confirm on`,
      );
    }
    const order = topologicalOrder(selected);
    const list = (operation === "destroy" ? order.reverse() : order).join(", ");
    if (
      !(await io.confirm(`${operation} ${selected.nodes.size} stack(s): ${list}. Continue? [y/N] `))
    ) {
      io.stderr.write("aborted: nothing was changed\n");
      return 1;
    }
  }
  // Offline runs keep no journal: their durations would mislead the real runs' priorities.
  const journal = useOffline
    ? undefined
    : (io.journal ?? ((f: string) => new FileJournal(f)))(
        flags.journal ?? path.join(projectDir, ".officeless", "journal.json"),
      );
  if (flags.resume && !journal)
    throw new Error(
      "--resume needs the journal of real runs; offline previews keep none (they are quick to rerun)",
    );

  const reporter = reporterFor({ json: flags.json, stream: flags.json ? io.stdout : io.stderr });
  try {
    const result = await runStacks({
      operation,
      graph,
      engine,
      offlineFallback,
      ...selection,
      parallel: flags.parallel ?? defaultParallelism(io.cpus),
      failFast: flags.failFast,
      resume: flags.resume,
      journal,
      expectNoChanges: flags.expectNoChanges,
      allowDestroyProd: flags.allowDestroyProd,
      skipPreDestroy: flags.skipPreDestroy,
      signal: io.signal,
      onEvent: (e) => reporter.onEvent(e),
    });
    reporter.close();
    if (!flags.json)
      out(
        result.stacks.length
          ? renderSummary(result)
          : flags.resume
            ? "nothing to resume: the last run finished every stack"
            : "nothing to do",
      );
    return result.exitCode;
  } finally {
    reporter.close();
  }
}

/**
 * `officeless cancel`: `pulumi cancel` on each selected layer stack. Explicit only: after a
 * Ctrl-C the runner lets pulumi finish its graceful stop and never cancels by itself, because on a
 * file backend cancelling only removes the lock while an update may still be running.
 */
async function cancelStacks(
  flags: Flags,
  io: CliIo,
  graph: ReturnType<typeof buildStackGraph>,
  projectDir: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const selected = selectStacks(graph, "refresh", { layers: flags.layer, exclude: flags.exclude });
  const ids = topologicalOrder(selected);
  if (!flags.yes) {
    if (!io.interactive || !io.confirm)
      throw new Error(
        "cancel removes stack locks: pass --yes to run it without a terminal to confirm on",
      );
    const question =
      `cancel ${ids.length} stack(s): ${ids.join(", ")}. Run it only when no update of them is still running ` +
      `(on a file backend it removes the lock but does not stop a running update). Continue? [y/N] `;
    if (!(await io.confirm(question))) {
      io.stderr.write("aborted: nothing was changed\n");
      return 1;
    }
  }
  const options: AutomationEngineOptions = { projectDir, backendUrl: flags.backend, env };
  const engine = io.automationEngine ? io.automationEngine(options) : new AutomationEngine(options);
  if (!engine.cancel) throw new Error(`the ${engine.name} engine cannot cancel stacks`);
  await engine.prepare?.("refresh", []);
  let failed = 0;
  for (const id of ids) {
    try {
      io.stdout.write(`${id}: ${await engine.cancel(selected.nodes.get(id)!)}\n`);
    } catch (e) {
      failed++;
      io.stdout.write(`${id}: failed: ${(e as Error).message}\n`);
    }
  }
  return failed ? 1 : 0;
}

/** `officeless bootstrap`: the dry run under mocks, or the real run; prints the URLs. */
async function bootstrap(flags: BootstrapFlags, io: CliIo): Promise<number> {
  const out = (text: string) => void io.stdout.write(`${text}\n`);
  const env = io.env ?? process.env;
  let projectDir: string | undefined;
  if (flags.writeConfig) {
    try {
      projectDir = path.resolve(flags.projectDir ?? defaultProjectDir());
    } catch {
      projectDir = undefined;
    }
  }
  const req: BootstrapRequest = {
    cloud: flags.cloud,
    region: flags.region,
    name: flags.name,
    project: flags.project,
    retentionDays: flags.retentionDays,
    role: flags.role,
    member: flags.member,
    principalId: flags.principalId,
    principalType: flags.principalType,
    destroy: flags.destroy,
    yes: flags.yes,
    projectDir,
  };
  if (flags.dryRun) {
    const planned = await planBootstrap(req);
    out(renderBootstrapPlan(planned, flags.destroy));
    if (projectDir && !flags.destroy)
      out(`(a real run writes both into ${path.join(projectDir, PROJECT_CONFIG_FILE)})`);
    return 0;
  }
  const result = await runBootstrap(req, {
    env,
    log: (text) => void io.stderr.write(`${text}\n`),
    interactive: io.interactive,
    confirm: io.confirm,
    ...io.bootstrap,
  });
  if (!result) return 1;
  if (result.destroyed) {
    out(
      `destroyed the state store of ${result.target.cloud} ${result.target.region} (${result.backendUrl})`,
    );
    if (result.keptSecretsKey)
      out(
        `kept the secrets key ${result.keptSecretsKey} and its grants: stacks moved to another backend still decrypt with it; delete it once none does (pulumi stack change-secrets-provider moves a stack off it)`,
      );
    return 0;
  }
  out(`backend:          ${result.backendUrl}`);
  out(`secrets provider: ${result.secretsProvider}`);
  if (typeof result.outputs.accessPolicyArn === "string")
    out(
      `access policy:    ${result.outputs.accessPolicyArn} (attach it to the deploying role, or pass --role)`,
    );
  out(
    result.configFile
      ? `written to ${result.configFile}: officeless preview/up use them without flags`
      : `use them: officeless up --stack <base> --backend '${result.backendUrl}' --secrets-provider '${result.secretsProvider}'`,
  );
  return 0;
}
