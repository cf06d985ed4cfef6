/**
 * The scripted engine: stacks succeed, fail, fail transiently N times or hang until cancelled, on
 * command, with simulated durations on an injected clock. It records what the runner asked of it
 * (start/finish order, attempts, cancellations, concurrency) so tests assert on behaviour.
 */
import { abortError, Clock } from "../clock";
import {
  ChangeCounts,
  Engine,
  EngineResult,
  EngineTask,
  noChanges,
  Operation,
  OPERATIONS,
  StackNode,
} from "../types";

export type ScriptStep =
  | {
      kind: "succeed";
      durationMs?: number;
      changes?: Partial<ChangeCounts>;
      outputs?: Record<string, unknown>;
      resources?: number;
    }
  | { kind: "fail"; message: string; durationMs?: number }
  | { kind: "hang" };

export const succeed = (durationMs?: number, changes?: Partial<ChangeCounts>): ScriptStep => ({
  kind: "succeed",
  durationMs,
  changes,
});
export const fail = (message: string, durationMs?: number): ScriptStep => ({
  kind: "fail",
  message,
  durationMs,
});
export const hang = (): ScriptStep => ({ kind: "hang" });
/** Fails `times` times with a transient message, then succeeds. */
export const transient = (
  times: number,
  durationMs?: number,
  message = "error: [409] Conflict: Another update is currently in progress.",
): ScriptStep[] => [
  ...Array.from({ length: times }, () => fail(message, durationMs)),
  succeed(durationMs),
];

/** What happened to one stack attempt. */
export interface ScriptedCall {
  stack: string;
  operation: Operation;
  attempt: number;
  startedAt: number;
  finishedAt?: number;
  outcome?: "succeeded" | "failed" | "cancelled";
}

export interface ScriptedEngineOptions {
  readonly clock: Clock;
  /** Steps per stack, one per call (attempts and later runs); the last repeats. Unlisted stacks succeed. */
  readonly script?: Readonly<Record<string, readonly ScriptStep[]>>;
  /** Duration of steps that give none. @default 1000 */
  readonly defaultDurationMs?: number;
  /** Outputs of stacks that already have state; when set the engine answers `stackOutputs`. */
  readonly state?: Readonly<Record<string, Record<string, unknown>>>;
  readonly maxConcurrency?: number;
  /** Runs before each destroy, like the real engine's pre-destroy hooks. */
  readonly preDestroy?: (task: EngineTask) => Promise<string[]>;
}

export class ScriptedEngine implements Engine {
  readonly name = "scripted";
  readonly operations = OPERATIONS;
  readonly maxConcurrency?: number;
  readonly calls: ScriptedCall[] = [];
  /** Stack ids in the order their operations finished (any outcome). */
  readonly finishOrder: string[] = [];
  /** Stacks whose running operation was cancelled through the signal. */
  readonly cancelled: string[] = [];
  /** Stacks unlocked by `officeless cancel`. */
  readonly unlocked: string[] = [];
  /** Stacks the pre-destroy hook ran for, in order. */
  readonly preDestroyed: string[] = [];
  readonly stackOutputs?: (node: StackNode) => Promise<Record<string, unknown> | undefined>;
  private running = 0;
  /** Most operations that ran at the same time. */
  maxRunning = 0;

  constructor(private readonly options: ScriptedEngineOptions) {
    this.maxConcurrency = options.maxConcurrency;
    if (options.state) {
      const state = options.state;
      this.stackOutputs = async (node) => state[node.id];
    }
  }

  async preDestroy(task: EngineTask): Promise<string[]> {
    this.preDestroyed.push(task.node.id);
    return this.options.preDestroy ? this.options.preDestroy(task) : [];
  }

  /** The step for the n-th call on a stack (counted across runs, so a rerun takes the next one). */
  private stepFor(stack: string): ScriptStep {
    const steps = this.options.script?.[stack];
    if (!steps?.length) return { kind: "succeed" };
    const n = this.calls.filter((c) => c.stack === stack).length;
    return steps[Math.min(n, steps.length) - 1];
  }

  async cancel(node: StackNode): Promise<string> {
    this.unlocked.push(node.id);
    return "cancelled (lock removed)";
  }

  async run(task: EngineTask): Promise<EngineResult> {
    const { clock } = this.options;
    const call: ScriptedCall = {
      stack: task.node.id,
      operation: task.operation,
      attempt: task.attempt,
      startedAt: clock.now(),
    };
    this.calls.push(call);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const step = this.stepFor(task.node.id);
    const finish = (outcome: ScriptedCall["outcome"]) => {
      this.running--;
      call.finishedAt = clock.now();
      call.outcome = outcome;
      this.finishOrder.push(task.node.id);
    };
    try {
      if (step.kind === "hang") {
        await new Promise<never>((_, reject) => {
          if (task.signal.aborted) reject(abortError(task.signal));
          task.signal.addEventListener("abort", () => reject(abortError(task.signal)), {
            once: true,
          });
        });
      }
      const duration =
        (step.kind === "hang" ? 0 : step.durationMs) ?? this.options.defaultDurationMs ?? 1000;
      const total = step.kind === "succeed" ? (step.resources ?? 2) : 2;
      task.onProgress({ done: 0, total });
      await clock.sleep(duration, task.signal);
      if (step.kind === "fail") throw new Error(step.message);
      task.onProgress({ done: total, total });
      finish("succeeded");
      const succeeded = step as Extract<ScriptStep, { kind: "succeed" }>;
      return {
        changes: { ...noChanges(), ...(succeeded.changes ?? {}) },
        outputs: succeeded.outputs ?? { stack: task.node.id },
        resources: total,
        mode: "scripted",
      };
    } catch (err) {
      if (task.signal.aborted) {
        this.cancelled.push(task.node.id);
        finish("cancelled");
      } else {
        finish("failed");
      }
      throw err;
    }
  }
}
