/**
 * The runner's vocabulary: stack nodes, engines, per-stack results and the events a run emits.
 * Library code returns these and emits events; only the CLI prints or exits.
 */

/** What a run does to each stack. `plan` is `preview` on the offline engine. */
export type Operation = "preview" | "up" | "refresh" | "destroy";

export const OPERATIONS: readonly Operation[] = ["preview", "up", "refresh", "destroy"];

/**
 * Final state of one stack in a run. `waiting`: a preview could not run because an upstream stack
 * has no state yet and no offline fallback was available (`waitingOn` names it).
 */
export type StackStatus = "succeeded" | "failed" | "skipped" | "cancelled" | "waiting";

/** Resource change counts from the engine's summary. */
export interface ChangeCounts {
  create: number;
  update: number;
  delete: number;
  replace: number;
  same: number;
}

export function noChanges(): ChangeCounts {
  return { create: 0, update: 0, delete: 0, replace: 0, same: 0 };
}

/** Whether counts hold any change (a drift check fails on these). */
export function hasChanges(c: ChangeCounts): boolean {
  return c.create + c.update + c.delete + c.replace > 0;
}

/** One stack of the run: one layer of one base stack (`dev-aws` + `network` = `dev-aws-network`). */
export interface StackNode {
  /** The layer stack's name, unique in the graph. */
  readonly id: string;
  readonly baseStack: string;
  readonly layer: string;
  /** Stacks this one reads (they run before it on preview/up/refresh, after it on destroy). */
  readonly deps: readonly string[];
  readonly cloud?: string;
  readonly environment?: string;
}

/** The stack graph: every node with its upstream edges. Built and checked by graph.ts. */
export interface StackGraph {
  readonly nodes: ReadonlyMap<string, StackNode>;
}

/** Progress of one running stack, from engine events. */
export interface ResourceProgress {
  /** Resources whose step finished. */
  done: number;
  /** Resources seen so far (grows while the engine discovers them), or the expected count. */
  total: number;
  /** The resource that just moved, when known. */
  urn?: string;
  op?: string;
}

/** What the runner hands an engine for one attempt on one stack. */
export interface EngineTask {
  readonly node: StackNode;
  readonly operation: Operation;
  /** 1 for the first try, 2+ for retries of transient errors. */
  readonly attempt: number;
  /** Outputs of upstream stacks finished earlier in this run, keyed by stack name. */
  readonly upstreamOutputs: Readonly<Record<string, Record<string, unknown>>>;
  /** Resource count of the last run of this stack, when the journal knows it. */
  readonly expectedResources?: number;
  /** Aborted on cancellation: the engine must stop the operation and leave the stack unlocked. */
  readonly signal: AbortSignal;
  onProgress(progress: ResourceProgress): void;
}

/** What an engine reports for one finished stack operation. */
export interface EngineResult {
  changes: ChangeCounts;
  /** Stack outputs after the operation (offline plans and `up`); feeds downstream offline previews. */
  outputs?: Record<string, unknown>;
  /** Resource count (offline plans: every planned resource). */
  resources?: number;
  /** Things the user must know: protected resources kept, previewed offline, pre-destroy actions. */
  notes?: string[];
  /** How the stack was run. */
  mode?: string;
}

/**
 * A way to run one stack operation. Engines are interchangeable behind the scheduler: the
 * Automation API, the offline mocks engine, or the scripted engine of the tests.
 */
export interface Engine {
  readonly name: string;
  /** Operations this engine can run. */
  readonly operations: readonly Operation[];
  /** Most stacks this engine may run at once (the offline engine: 1). Unset: no limit of its own. */
  readonly maxConcurrency?: number;
  /**
   * The engine reads upstream outputs from this run (the offline engine): `--resume` then also
   * reruns the upstream stacks of what it reruns.
   */
  readonly needsUpstreamOutputs?: boolean;
  /** Checks before anything runs (binary on PATH, passphrase set) for these stacks; throws a clear error. */
  prepare?(operation: Operation, nodes?: readonly StackNode[]): Promise<void>;
  run(task: EngineTask): Promise<EngineResult>;
  /**
   * Runs before a stack is destroyed, e.g. removes what in-cluster controllers created in the
   * cloud so the cluster and network can go. Returns notes for the summary.
   */
  preDestroy?(task: EngineTask): Promise<string[]>;
  /**
   * Removes a stack's update lock after an interrupted run (`pulumi cancel`). Only ever called by
   * the explicit `officeless cancel` command: on a file backend it does not stop an update that
   * is still running, it only unlocks the stack. Returns what happened.
   */
  cancel?(node: StackNode): Promise<string>;
  /** A stack's current outputs, or undefined when it has no state yet (fresh environment). */
  stackOutputs?(node: StackNode): Promise<Record<string, unknown> | undefined>;
}

/** One stack's line in the summary. */
export interface StackResult {
  stack: string;
  baseStack: string;
  layer: string;
  status: StackStatus;
  /** Wall time of the stack's operation including retries (0 when it never started). */
  durationMs: number;
  attempts: number;
  changes: ChangeCounts;
  /** Failure message (failed, cancelled). */
  error?: string;
  /** Why it did not run (skipped, cancelled before start, waiting). */
  reason?: string;
  /** Upstream stacks without state that this preview waited on. */
  waitingOn?: string[];
  mode?: string;
  notes?: string[];
  resources?: number;
  outputs?: Record<string, unknown>;
}

export type RunStatus = "succeeded" | "failed" | "cancelled";

/** Exit codes of the CLI: 0 success, 1 any failure, 2 changes found by a drift check. */
export type ExitCode = 0 | 1 | 2;

export interface RunResult {
  operation: Operation;
  status: RunStatus;
  exitCode: ExitCode;
  /** Every stack of the run, in the order they finished (stacks that never ran last). */
  stacks: StackResult[];
  startedAt: string;
  durationMs: number;
  /** Largest number of stacks that ran at once. */
  maxConcurrent: number;
  /** Wall time the scheduler spent deciding, for the benchmark. */
  schedulingMs: number;
}

/** Events of a run, in order; `--json` prints them as JSON Lines. */
export type RunnerEvent =
  | { type: "runStarted"; operation: Operation; stacks: string[]; parallel: number; time: string }
  | { type: "stackStarted"; stack: string; operation: Operation; attempt: number; time: string }
  | ({ type: "resourceProgress"; stack: string; time: string } & ResourceProgress)
  | {
      type: "stackRetrying";
      stack: string;
      attempt: number;
      delayMs: number;
      error: string;
      time: string;
    }
  | ({ type: "stackFinished"; time: string } & Omit<StackResult, "outputs">)
  | {
      type: "runFinished";
      operation: Operation;
      status: RunStatus;
      exitCode: ExitCode;
      counts: Record<StackStatus, number>;
      durationMs: number;
      time: string;
    };

/** Errors raised before anything runs (cycle, prod guard, missing binary): the CLI exits 1. */
export class RunnerError extends Error {
  constructor(
    message: string,
    public readonly code: string,
  ) {
    super(message);
    this.name = "RunnerError";
  }
}

/**
 * The abort reason of a run stopped by a signal. `childrenSignalled`: the signal came from the
 * terminal (Ctrl-C reaches the whole foreground process group), so every `pulumi` child already
 * has it and is stopping gracefully; sending it another SIGINT would make Pulumi stop at once and
 * can leave resources it was creating out of the state (pulumi/pulumi#6334). Otherwise (SIGTERM
 * from a supervisor, `kill` of the runner only) the engine forwards one SIGINT to its children.
 */
export class Interrupt extends Error {
  constructor(
    readonly signal: string,
    readonly childrenSignalled: boolean,
  ) {
    super(`cancelled by ${signal}`);
    this.name = "Interrupt";
  }
}

/**
 * Thrown by a task that saw its signal abort before its operation began (still opening the stack,
 * or waiting its turn to): the scheduler reports it like a stack that was never started.
 */
export class NotStartedError extends Error {
  constructor(cause?: unknown) {
    super("not started: run cancelled", { cause });
    this.name = "NotStartedError";
  }
}
