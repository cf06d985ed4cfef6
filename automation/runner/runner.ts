/**
 * Runs one operation over a stack graph: selection, prod guard, resume, scheduling, fresh-preview
 * fallback, pre-destroy hooks, events, journal. Returns a structured result; never prints or exits.
 */
import { Clock, systemClock } from "./clock";
import { executionDeps, selectStacks, Selection } from "./graph";
import {
  appendRun,
  emptyJournal,
  JournalData,
  JournalStore,
  journalRunOf,
  knownDurations,
  knownResourceCounts,
  resumeSet,
} from "./journal";
import { RetryPolicy } from "./retry";
import { schedule, TaskOutcome } from "./scheduler";
import {
  Engine,
  EngineResult,
  EngineTask,
  ExitCode,
  hasChanges,
  noChanges,
  NotStartedError,
  Operation,
  RunnerError,
  RunnerEvent,
  RunResult,
  RunStatus,
  StackGraph,
  StackNode,
  StackResult,
  StackStatus,
} from "./types";

/** Rough first-run durations per layer (ms), used for priority until the journal knows better. */
export const DEFAULT_LAYER_ESTIMATE_MS: Readonly<Record<string, number>> = {
  network: 4 * 60_000,
  kubernetes: 15 * 60_000,
  storage: 4 * 60_000,
  vpn: 6 * 60_000,
  addons: 5 * 60_000,
  cache: 12 * 60_000,
  observability: 6 * 60_000,
};

export interface RunOptions extends Selection {
  readonly operation: Operation;
  /** Every stack of the base stacks involved; the selection picks from it. */
  readonly graph: StackGraph;
  readonly engine: Engine;
  /**
   * Previews stacks whose upstream stacks have no state yet (fresh environment). Unset: such
   * stacks are reported `waiting` with the upstream they wait on.
   */
  readonly offlineFallback?: Engine;
  /** Most stacks at once. @default 4 */
  readonly parallel?: number;
  readonly failFast?: boolean;
  /** Rerun only what failed, was skipped or cancelled in the journal's last run of this operation. */
  readonly resume?: boolean;
  /** Journal of runs; unset keeps no journal (no resume, no learned durations). */
  readonly journal?: JournalStore;
  /** Exit code 2 when a preview or refresh finds changes (drift check). */
  readonly expectNoChanges?: boolean;
  /** Destroy refuses base stacks whose environment is prod unless set. */
  readonly allowDestroyProd?: boolean;
  /** Skip the engine's pre-destroy hooks. @default false */
  readonly skipPreDestroy?: boolean;
  readonly retry?: Partial<RetryPolicy>;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  onEvent?(event: RunnerEvent): void;
}

/** What a stack's run produced before the scheduler records it. */
interface StackRun {
  status: "succeeded" | "waiting";
  result?: EngineResult;
  waitingOn?: string[];
  notes: string[];
  mode?: string;
}

/** Whether a base stack is production: its config's environment, else its name (`prod`, `prod-aws`). */
export function isProd(node: StackNode): boolean {
  if (node.environment) return node.environment === "prod";
  return /(^|-)prod(-|$)/.test(node.baseStack);
}

/** Throws unless the operation may run on these stacks: destroying prod needs the explicit flag. */
export function assertDestroyAllowed(
  selected: StackGraph,
  operation: Operation,
  allowDestroyProd = false,
): void {
  if (operation !== "destroy" || allowDestroyProd) return;
  const prod = [...new Set([...selected.nodes.values()].filter(isProd).map((n) => n.baseStack))];
  if (prod.length) {
    throw new RunnerError(
      `refusing to destroy production stack(s) ${prod.join(", ")}: pass --allow-destroy-prod to confirm`,
      "prodDestroy",
    );
  }
}

/** 0 success, 1 any stack failed, was skipped or cancelled, 2 a drift check found changes. */
export function exitCodeOf(
  operation: Operation,
  stacks: readonly StackResult[],
  expectNoChanges = false,
): ExitCode {
  if (
    stacks.some((s) => s.status === "failed" || s.status === "skipped" || s.status === "cancelled")
  )
    return 1;
  const drift = operation === "preview" || operation === "refresh";
  if (
    expectNoChanges &&
    drift &&
    stacks.some((s) => s.status === "waiting" || hasChanges(s.changes))
  )
    return 2;
  return 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function now(): string {
  return new Date().toISOString();
}

/** Runs `operation` over the selected stacks. Rejects only for problems found before anything runs. */
export async function runStacks(options: RunOptions): Promise<RunResult> {
  const { operation, engine } = options;
  const clock = options.clock ?? systemClock;
  const emit = (event: RunnerEvent) => options.onEvent?.(event);
  if (!engine.operations.includes(operation)) {
    throw new RunnerError(
      `the ${engine.name} engine cannot ${operation} (it can: ${engine.operations.join(", ")})`,
      "operation",
    );
  }
  const selected = selectStacks(options.graph, operation, options);
  assertDestroyAllowed(selected, operation, options.allowDestroyProd);
  const journal: JournalData = options.journal ? await options.journal.read() : emptyJournal();
  let ids = [...selected.nodes.keys()];
  if (options.resume) {
    const rerun = resumeSet(journal, operation, ids);
    // Engines that need upstream outputs (offline) replan what the rerun stacks read.
    if (engine.needsUpstreamOutputs && operation !== "destroy") {
      for (const id of [...rerun])
        for (const dep of selected.nodes.get(id)!.deps) if (selected.nodes.has(dep)) rerun.add(dep);
    }
    ids = ids.filter((id) => rerun.has(id));
  }
  await engine.prepare?.(
    operation,
    ids.map((id) => selected.nodes.get(id)!),
  );
  if (operation === "preview" && options.offlineFallback)
    await options.offlineFallback.prepare?.(operation);

  const durations = knownDurations(journal, operation);
  const resourceCounts = knownResourceCounts(journal);
  const estimate = (id: string) =>
    durations.get(id) ?? DEFAULT_LAYER_ESTIMATE_MS[options.graph.nodes.get(id)!.layer] ?? 60_000;
  const parallel = Math.max(1, Math.min(options.parallel ?? 4, engine.maxConcurrency ?? Infinity));
  const order = executionDeps(selected, operation);
  const idSet = new Set(ids);
  const tasks = ids.map((id) => ({ id, deps: order.get(id)!.filter((d) => idSet.has(d)) }));

  const outputs = new Map<string, Record<string, unknown>>();
  const graphNode = (id: string) => options.graph.nodes.get(id)!;
  const taskFor = (
    node: StackNode,
    attempt: number,
    signal: AbortSignal,
    upstream: Record<string, Record<string, unknown>>,
    quiet = false,
  ): EngineTask => ({
    node,
    operation,
    attempt,
    upstreamOutputs: upstream,
    expectedResources: resourceCounts.get(node.id),
    signal,
    onProgress: quiet
      ? () => undefined
      : (p) => emit({ type: "resourceProgress", stack: node.id, time: now(), ...p }),
  });

  // Preview of a fresh environment: real state where it exists, else offline plans of the upstream.
  const stateCache = new Map<string, Promise<Record<string, unknown> | undefined>>();
  const stateOf = (id: string) => {
    if (!stateCache.has(id)) stateCache.set(id, engine.stackOutputs!(graphNode(id)));
    return stateCache.get(id)!;
  };
  const offlineCache = new Map<string, Promise<Record<string, unknown>>>();
  const upstreamOf = async (node: StackNode, signal: AbortSignal) => {
    const upstream: Record<string, Record<string, unknown>> = {};
    for (const dep of node.deps)
      upstream[dep] = (await stateOf(dep)) ?? (await offlineOutputsOf(dep, signal));
    return upstream;
  };
  // Outputs of a stack without state as the offline plan sees them; planned on demand ("shadow plan").
  const offlineOutputsOf = (id: string, signal: AbortSignal): Promise<Record<string, unknown>> => {
    if (!offlineCache.has(id)) {
      offlineCache.set(
        id,
        upstreamOf(graphNode(id), signal).then(async (upstream) => {
          const r = await options.offlineFallback!.run(
            taskFor(graphNode(id), 1, signal, upstream, true),
          );
          return r.outputs ?? {};
        }),
      );
    }
    return offlineCache.get(id)!;
  };
  const previewFresh = async (
    node: StackNode,
    attempt: number,
    signal: AbortSignal,
  ): Promise<StackRun | undefined> => {
    const waitingOn: string[] = [];
    for (const dep of node.deps) if ((await stateOf(dep)) === undefined) waitingOn.push(dep);
    if (!waitingOn.length) return undefined;
    const why = `upstream ${waitingOn.join(", ")} ${waitingOn.length > 1 ? "have" : "has"} no state yet`;
    if (!options.offlineFallback)
      return { status: "waiting", waitingOn, notes: [`not previewed: ${why}`] };
    const result = await options.offlineFallback.run(
      taskFor(node, attempt, signal, await upstreamOf(node, signal)),
    );
    offlineCache.set(node.id, Promise.resolve(result.outputs ?? {}));
    return {
      status: "succeeded",
      result,
      waitingOn,
      mode: "offline",
      notes: [`previewed offline: ${why}`, ...(result.notes ?? [])],
    };
  };

  const runOne = async (id: string, signal: AbortSignal, attempt: number): Promise<StackRun> => {
    const node = graphNode(id);
    if (operation === "preview" && engine.stackOutputs) {
      const fresh = await previewFresh(node, attempt, signal);
      if (fresh) return fresh;
    }
    const upstream: Record<string, Record<string, unknown>> = {};
    for (const dep of node.deps) if (outputs.has(dep)) upstream[dep] = outputs.get(dep)!;
    const notes: string[] = [];
    if (signal.aborted) throw new NotStartedError(signal.reason);
    if (operation === "destroy" && engine.preDestroy && !options.skipPreDestroy) {
      notes.push(...(await engine.preDestroy(taskFor(node, attempt, signal, upstream))));
      // Aborted during the hooks: the destroy itself must not start.
      if (signal.aborted) throw new NotStartedError(signal.reason);
    }
    const result = await engine.run(taskFor(node, attempt, signal, upstream));
    if (result.outputs) outputs.set(id, result.outputs);
    return {
      status: "succeeded",
      result,
      notes: [...notes, ...(result.notes ?? [])],
      mode: result.mode,
    };
  };

  const stacks: StackResult[] = [];
  const toResult = (o: TaskOutcome<StackRun>): StackResult => {
    const node = options.graph.nodes.get(o.id)!;
    const run = o.value;
    const status: StackStatus = o.status === "succeeded" ? run!.status : o.status;
    return {
      stack: o.id,
      baseStack: node.baseStack,
      layer: node.layer,
      status,
      durationMs: o.durationMs,
      attempts: o.attempts,
      changes: run?.result?.changes ?? noChanges(),
      ...(o.error !== undefined ? { error: messageOf(o.error) } : {}),
      ...(o.reason !== undefined ? { reason: o.reason } : {}),
      ...(run?.waitingOn ? { waitingOn: run.waitingOn } : {}),
      ...((run?.mode ?? run?.result?.mode) ? { mode: run?.mode ?? run?.result?.mode } : {}),
      ...(run?.notes.length ? { notes: run.notes } : {}),
      ...(run?.result?.resources !== undefined ? { resources: run.result.resources } : {}),
      ...(run?.result?.outputs ? { outputs: run.result.outputs } : {}),
    };
  };

  const startedAt = now();
  const begin = clock.now();
  emit({ type: "runStarted", operation, stacks: ids, parallel, time: startedAt });
  const scheduled = await schedule<StackRun>({
    tasks,
    parallel,
    run: (id, ctx) => runOne(id, ctx.signal, ctx.attempt),
    estimateMs: estimate,
    failFast: options.failFast,
    signal: options.signal,
    retry: options.retry,
    clock,
    onStart: (id, attempt) =>
      emit({ type: "stackStarted", stack: id, operation, attempt, time: now() }),
    onRetry: (id, attempt, delayMs, error) =>
      emit({
        type: "stackRetrying",
        stack: id,
        attempt,
        delayMs,
        error: messageOf(error),
        time: now(),
      }),
    onFinish: (o) => {
      const result = toResult(o);
      stacks.push(result);
      const { outputs: _omit, ...event } = result;
      void _omit;
      emit({ type: "stackFinished", time: now(), ...event });
    },
  });

  const counts: Record<StackStatus, number> = {
    succeeded: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
    waiting: 0,
  };
  for (const s of stacks) counts[s.status]++;
  const status: RunStatus =
    options.signal?.aborted && counts.cancelled > 0
      ? "cancelled"
      : counts.failed + counts.skipped + counts.cancelled > 0
        ? "failed"
        : "succeeded";
  const result: RunResult = {
    operation,
    status,
    exitCode: exitCodeOf(operation, stacks, options.expectNoChanges),
    stacks,
    startedAt,
    durationMs: clock.now() - begin,
    maxConcurrent: scheduled.maxRunning,
    schedulingMs: scheduled.schedulingMs,
  };
  if (options.journal) {
    // Re-read before appending: another run may have finished while this one ran, and its
    // record must not be overwritten by the snapshot read at the start.
    const latest = await options.journal.read();
    await options.journal.write(
      appendRun(latest, journalRunOf(result, `${startedAt}-${operation}`)),
    );
  }
  emit({
    type: "runFinished",
    operation,
    status,
    exitCode: result.exitCode,
    counts,
    durationMs: result.durationMs,
    time: now(),
  });
  return result;
}
