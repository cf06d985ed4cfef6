/**
 * The DAG scheduler. A task starts as soon as its own dependencies succeeded (never level by
 * level), at most `parallel` at once; among ready tasks the one with the longest remaining
 * critical path goes first. Failures skip the failed task's dependents and nothing else (unless
 * failFast); transient errors are retried with bounded backoff; an abort starts nothing new and
 * aborts what runs. Generic over the work: the runner, the tests and the benchmark all use it.
 */
import { findCycle, CycleError } from "./graph";
import { abortError, Clock, systemClock } from "./clock";
import { backoffDelay, DEFAULT_RETRY, RetryPolicy } from "./retry";
import { NotStartedError } from "./types";

export interface SchedulerTask {
  readonly id: string;
  /** Tasks that must succeed first; ids outside the task set count as already done. */
  readonly deps: readonly string[];
}

export type TaskStatus = "succeeded" | "failed" | "skipped" | "cancelled";

export interface TaskOutcome<R> {
  id: string;
  status: TaskStatus;
  attempts: number;
  startedAt?: number;
  finishedAt?: number;
  durationMs: number;
  value?: R;
  error?: unknown;
  /** Why a task was skipped or never started. */
  reason?: string;
}

export interface TaskContext {
  readonly signal: AbortSignal;
  readonly attempt: number;
}

export interface ScheduleOptions<R> {
  readonly tasks: readonly SchedulerTask[];
  /** Most tasks running at once (at least 1). */
  readonly parallel: number;
  /** Does one task; a rejection is a failure (retried when transient). */
  run(id: string, ctx: TaskContext): Promise<R>;
  /** Expected duration of a task, for critical-path priority. @default 1 for every task */
  estimateMs?(id: string): number;
  /** After the first failure start nothing new; running tasks finish. @default false */
  readonly failFast?: boolean;
  /** Aborting starts nothing new and aborts every running task's signal. */
  readonly signal?: AbortSignal;
  readonly retry?: Partial<RetryPolicy>;
  readonly clock?: Clock;
  onStart?(id: string, attempt: number): void;
  onRetry?(id: string, attempt: number, delayMs: number, error: unknown): void;
  onFinish?(outcome: TaskOutcome<R>): void;
}

export interface ScheduleResult<R> {
  /** Every task, in the order it reached its final status. */
  outcomes: TaskOutcome<R>[];
  /** Task ids in the order they started. */
  startOrder: string[];
  maxRunning: number;
  /** Wall time spent in scheduling decisions (not in the tasks). */
  schedulingMs: number;
  startedAt: number;
  finishedAt: number;
}

/** Remaining critical path of every task: its own estimate plus the longest chain after it. */
export function criticalPathRanks(
  tasks: readonly SchedulerTask[],
  estimate: (id: string) => number,
): Map<string, number> {
  const ids = new Set(tasks.map((t) => t.id));
  const dependents = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  const indegree = new Map<string, number>();
  for (const t of tasks) {
    const deps = t.deps.filter((d) => ids.has(d));
    indegree.set(t.id, deps.length);
    for (const d of deps) dependents.get(d)!.push(t.id);
  }
  const order: string[] = [];
  const queue = tasks.filter((t) => indegree.get(t.id) === 0).map((t) => t.id);
  while (queue.length) {
    const id = queue.pop()!;
    order.push(id);
    for (const m of dependents.get(id)!) {
      indegree.set(m, indegree.get(m)! - 1);
      if (indegree.get(m) === 0) queue.push(m);
    }
  }
  const rank = new Map<string, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i];
    let longest = 0;
    for (const m of dependents.get(id)!) longest = Math.max(longest, rank.get(m)!);
    rank.set(id, Math.max(0, estimate(id)) + longest);
  }
  return rank;
}

/** A binary max-heap on (rank, then id ascending) so equal ranks start in a stable order. */
class ReadyQueue {
  private items: string[] = [];
  constructor(private readonly rank: Map<string, number>) {}
  get size(): number {
    return this.items.length;
  }
  private before(a: string, b: string): boolean {
    const ra = this.rank.get(a)!;
    const rb = this.rank.get(b)!;
    return ra !== rb ? ra > rb : a < b;
  }
  push(id: string): void {
    const h = this.items;
    h.push(id);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): string {
    const h = this.items;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l], h[m])) m = l;
        if (r < h.length && this.before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Runs every task of a DAG; resolves when each has a final status. Never rejects for task failures. */
export function schedule<R>(options: ScheduleOptions<R>): Promise<ScheduleResult<R>> {
  const t0 = performance.now();
  const clock = options.clock ?? systemClock;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const parallel = Math.max(1, Math.floor(options.parallel));
  const tasks = options.tasks;
  const cycle = findCycle(tasks);
  if (cycle) return Promise.reject(new CycleError(cycle));
  const ids = new Set(tasks.map((t) => t.id));
  const dependents = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  const waiting = new Map<string, number>();
  for (const t of tasks) {
    const deps = [...new Set(t.deps)].filter((d) => ids.has(d));
    waiting.set(t.id, deps.length);
    for (const d of deps) dependents.get(d)!.push(t.id);
  }
  const rank = criticalPathRanks(tasks, options.estimateMs ?? (() => 1));
  const ready = new ReadyQueue(rank);
  for (const t of tasks) if (waiting.get(t.id) === 0) ready.push(t.id);

  const final = new Map<string, TaskOutcome<R>>();
  const outcomes: TaskOutcome<R>[] = [];
  const startOrder: string[] = [];
  const inflight = new Map<string, AbortController>();
  const startedAt = clock.now();
  let schedulingMs = performance.now() - t0;
  let maxRunning = 0;
  let stop: { kind: "cancel" } | { kind: "failFast"; by: string } | undefined;

  return new Promise((resolve) => {
    let resolved = false;
    const settle = (outcome: TaskOutcome<R>) => {
      final.set(outcome.id, outcome);
      outcomes.push(outcome);
      options.onFinish?.(outcome);
    };
    const skipDependents = (failed: string) => {
      const todo = [...dependents.get(failed)!];
      while (todo.length) {
        const id = todo.shift()!;
        if (final.has(id) || inflight.has(id)) continue;
        settle({
          id,
          status: "skipped",
          attempts: 0,
          durationMs: 0,
          reason: `upstream ${failed} failed`,
        });
        todo.push(...dependents.get(id)!);
      }
    };
    const finishIfDone = () => {
      if (resolved || inflight.size > 0 || (ready.size > 0 && !stop)) return;
      for (const t of tasks) {
        if (final.has(t.id)) continue;
        if (stop?.kind === "cancel") {
          settle({
            id: t.id,
            status: "cancelled",
            attempts: 0,
            durationMs: 0,
            reason: "not started: run cancelled",
          });
        } else if (stop?.kind === "failFast") {
          settle({
            id: t.id,
            status: "skipped",
            attempts: 0,
            durationMs: 0,
            reason: `not started: fail-fast after ${stop.by} failed`,
          });
        } else {
          settle({
            id: t.id,
            status: "skipped",
            attempts: 0,
            durationMs: 0,
            reason: "not reachable",
          });
        }
      }
      resolved = true;
      options.signal?.removeEventListener("abort", onAbort);
      resolve({
        outcomes,
        startOrder,
        maxRunning,
        schedulingMs,
        startedAt,
        finishedAt: clock.now(),
      });
    };
    const pump = () => {
      while (!stop && inflight.size < parallel && ready.size > 0) start(ready.pop());
      finishIfDone();
    };
    const complete = (
      id: string,
      begin: number,
      outcome: Omit<TaskOutcome<R>, "id" | "startedAt" | "finishedAt" | "durationMs">,
    ) => {
      const t = performance.now();
      inflight.delete(id);
      const end = clock.now();
      settle({ id, startedAt: begin, finishedAt: end, durationMs: end - begin, ...outcome });
      if (outcome.status === "succeeded") {
        for (const m of dependents.get(id)!) {
          const left = waiting.get(m)! - 1;
          waiting.set(m, left);
          if (left === 0 && !final.has(m)) ready.push(m);
        }
      } else if (outcome.status === "failed") {
        skipDependents(id);
        if (options.failFast && !stop) stop = { kind: "failFast", by: id };
      }
      pump();
      schedulingMs += performance.now() - t;
    };
    const attempt = async (
      id: string,
      ctl: AbortController,
      begin: number,
      n: number,
    ): Promise<void> => {
      options.onStart?.(id, n);
      try {
        const value = await Promise.resolve().then(() =>
          options.run(id, { signal: ctl.signal, attempt: n }),
        );
        complete(id, begin, { status: "succeeded", attempts: n, value });
      } catch (error) {
        // Stopped before its work began: reported like a task the cancel kept from starting.
        if (ctl.signal.aborted && error instanceof NotStartedError)
          return complete(id, begin, {
            status: "cancelled",
            attempts: n - 1,
            reason: error.message,
          });
        if (ctl.signal.aborted)
          return complete(id, begin, { status: "cancelled", attempts: n, error });
        if (n < retry.maxAttempts && retry.isTransient(error)) {
          const delay = backoffDelay(retry, n);
          options.onRetry?.(id, n + 1, delay, error);
          try {
            await clock.sleep(delay, ctl.signal);
          } catch (abort) {
            return complete(id, begin, { status: "cancelled", attempts: n, error: abort ?? error });
          }
          return attempt(id, ctl, begin, n + 1);
        }
        complete(id, begin, { status: "failed", attempts: n, error });
      }
    };
    const start = (id: string) => {
      const ctl = new AbortController();
      inflight.set(id, ctl);
      startOrder.push(id);
      maxRunning = Math.max(maxRunning, inflight.size);
      void attempt(id, ctl, clock.now(), 1);
    };
    const onAbort = () => {
      if (!stop || stop.kind !== "cancel") stop = { kind: "cancel" };
      for (const ctl of inflight.values()) ctl.abort(abortError(options.signal));
      finishIfDone();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    const t = performance.now();
    pump();
    schedulingMs += performance.now() - t;
  });
}
