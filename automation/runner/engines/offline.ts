/**
 * The offline engine: runs each layer's real program under Pulumi mocks (automation/offline/plan).
 * The Pulumi runtime is global per process (pulumi/pulumi #5449), so plans run strictly one at a
 * time: the engine says maxConcurrency 1 and also queues calls itself, because a fresh-preview
 * fallback may call it while the real engine runs other stacks.
 */
import type { PlannedStack, PlanOptions } from "../../offline/plan";
import { abortError } from "../clock";
import { Engine, EngineResult, EngineTask, noChanges, Operation } from "../types";

export type PlanLayerFn = (
  baseStack: string,
  layer: never,
  upstream: Record<string, Record<string, unknown>>,
  options?: PlanOptions,
) => Promise<PlannedStack>;

export interface OfflineEngineOptions {
  /** Folder holding Pulumi.yaml and the stack files. @default the repository root */
  readonly projectDir?: string;
  /** The planner; tests inject one. @default planLayer of automation/offline/plan */
  readonly planLayer?: PlanLayerFn;
}

export class OfflineEngine implements Engine {
  readonly name = "offline";
  readonly operations: readonly Operation[] = ["preview"];
  readonly maxConcurrency = 1;
  readonly needsUpstreamOutputs = true;
  /** Every stack planned by this engine, by stack name (for `graph --resources`). */
  readonly planned = new Map<string, PlannedStack>();
  private queue: Promise<unknown> = Promise.resolve();
  private active = 0;
  /** Most plans that ran at once; stays 1. */
  maxActive = 0;

  constructor(private readonly options: OfflineEngineOptions = {}) {}

  private async planner(): Promise<PlanLayerFn> {
    if (this.options.planLayer) return this.options.planLayer;
    // Loaded on first use: the mocks runtime is only needed when something is planned.
    const mod = await import("../../offline/plan");
    return mod.planLayer as unknown as PlanLayerFn;
  }

  async run(task: EngineTask): Promise<EngineResult> {
    if (task.operation !== "preview")
      throw new Error(`the offline engine only previews (asked to ${task.operation})`);
    const turn = this.queue.then(() => this.planOne(task));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async planOne(task: EngineTask): Promise<EngineResult> {
    if (task.signal.aborted) throw abortError(task.signal);
    const plan = await this.planner();
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      const upstream: Record<string, Record<string, unknown>> = {};
      for (const dep of task.node.deps) {
        if (!task.upstreamOutputs[dep])
          throw new Error(
            `offline plan of ${task.node.id} needs the outputs of ${dep}, which was not planned in this run`,
          );
        upstream[dep] = task.upstreamOutputs[dep];
      }
      task.onProgress({ done: 0, total: task.expectedResources ?? 0 });
      const planned = await plan(task.node.baseStack, task.node.layer as never, upstream, {
        projectDir: this.options.projectDir,
      });
      this.planned.set(planned.name, planned);
      const count = planned.resources.length;
      task.onProgress({ done: count, total: count });
      // A fresh stack creates everything it plans.
      return {
        changes: { ...noChanges(), create: count },
        outputs: planned.outputs,
        resources: count,
        mode: "offline",
      };
    } finally {
      this.active--;
    }
  }
}
