/**
 * The DAG scheduler through runStacks with the scripted engine, in virtual time: order, parallelism,
 * critical-path priority, failures, fail-fast, retries, cancellation, resume, destroy order.
 */
import { VirtualClock } from "../automation/runner/clock";
import {
  fail,
  hang,
  ScriptedEngine,
  ScriptStep,
  succeed,
  transient,
} from "../automation/runner/engines/scripted";
import { graphFromEdges } from "../automation/runner/graph";
import { MemoryJournal } from "../automation/runner/journal";
import { RunOptions, runStacks } from "../automation/runner/runner";
import { noChanges, RunnerEvent, RunResult, StackResult } from "../automation/runner/types";

const FAST_RETRY = { baseDelayMs: 1000, maxDelayMs: 4000, random: () => 1 };

async function simulate(
  edges: Record<string, string[]>,
  script: Record<string, ScriptStep[]> = {},
  options: Partial<RunOptions> & { abortAt?: number } = {},
) {
  const clock = new VirtualClock();
  const engine = new ScriptedEngine({ clock, script });
  const events: RunnerEvent[] = [];
  const controller = new AbortController();
  if (options.abortAt !== undefined)
    void clock.sleep(options.abortAt).then(() => controller.abort());
  const result = await clock.run(
    runStacks({
      operation: "up",
      graph: graphFromEdges(edges),
      engine,
      clock,
      parallel: 4,
      retry: FAST_RETRY,
      signal: controller.signal,
      onEvent: (e) => events.push(e),
      ...options,
    }),
  );
  return { result, engine, events, clock };
}

/** A journal holding one successful `up` run with these per-stack durations (ms). */
function journalOf(durations: Record<string, number>): MemoryJournal {
  const stacks = Object.fromEntries(
    Object.entries(durations).map(([id, durationMs]) => [
      id,
      { status: "succeeded" as const, durationMs, attempts: 1, changes: noChanges() },
    ]),
  );
  return new MemoryJournal({
    version: 1,
    runs: [
      { id: "r0", operation: "up", startedAt: "", durationMs: 0, status: "succeeded", stacks },
    ],
  });
}

function stack(result: RunResult, id: string): StackResult {
  const found = result.stacks.find((s) => s.stack === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
}

/** A seeded random DAG: each node reads up to three earlier ones. */
function randomDag(
  n: number,
  seed: number,
): { edges: Record<string, string[]>; script: Record<string, ScriptStep[]> } {
  let s = seed;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const edges: Record<string, string[]> = {};
  const script: Record<string, ScriptStep[]> = {};
  for (let i = 0; i < n; i++) {
    const id = `n${String(i).padStart(2, "0")}`;
    const deps = new Set<string>();
    for (let k = 0; k < 3 && i > 0; k++)
      if (rnd() < 0.5) deps.add(`n${String(Math.floor(rnd() * i)).padStart(2, "0")}`);
    edges[id] = [...deps];
    script[id] = [succeed(1000 + Math.floor(rnd() * 9000))];
  }
  return { edges, script };
}

describe("scheduling", () => {
  it("never runs more than --parallel stacks, and each only after all its dependencies finished", async () => {
    const { edges, script } = randomDag(40, 7);
    const { result, engine } = await simulate(edges, script, { parallel: 3 });
    expect(result.stacks.every((s) => s.status === "succeeded")).toBe(true);
    expect(engine.maxRunning).toBe(3);
    expect(result.maxConcurrent).toBe(3);
    const finished = new Map(engine.calls.map((c) => [c.stack, c.finishedAt!]));
    for (const call of engine.calls) {
      for (const dep of edges[call.stack])
        expect(call.startedAt).toBeGreaterThanOrEqual(finished.get(dep)!);
    }
  });

  it("starts a stack as soon as its own dependencies are done, not level by level", async () => {
    // fast -> afterFast; slow is a sibling of fast. Level by level would hold afterFast until slow ends.
    const { engine } = await simulate(
      { fast: [], slow: [], afterFast: ["fast"] },
      { fast: [succeed(1000)], slow: [succeed(10_000)] },
    );
    const call = (id: string) => engine.calls.find((c) => c.stack === id)!;
    expect(call("afterFast").startedAt).toBe(1000);
    expect(call("afterFast").startedAt).toBeLessThan(call("slow").finishedAt!);
  });

  it("starts the ready stack with the longest remaining critical path first", async () => {
    // a: alone, 1 s. b (1 s) leads to c (10 s). With one slot: b, then c, then a.
    const { engine } = await simulate(
      { a: [], b: [], c: ["b"] },
      { a: [succeed(1000)], b: [succeed(1000)], c: [succeed(10_000)] },
      {
        parallel: 1,
        journal: journalOf({ a: 1000, b: 1000, c: 10_000 }),
      },
    );
    expect(engine.calls.map((c) => c.stack)).toEqual(["b", "c", "a"]);
  });

  it("learns durations from the journal: the stack that was slow last time goes first", async () => {
    const journal = journalOf({ a: 50_000, b: 1000 });
    const { engine } = await simulate({ a: [], b: [] }, {}, { parallel: 1, journal });
    expect(engine.calls.map((c) => c.stack)).toEqual(["a", "b"]);
    // Without the journal both look alike and the name breaks the tie.
    const fresh = await simulate({ b: [], a: [] }, {}, { parallel: 1 });
    expect(fresh.engine.calls.map((c) => c.stack)).toEqual(["a", "b"]);
    const reversed = journalOf({ a: 1, b: 1000 });
    const learned = await simulate({ a: [], b: [] }, {}, { parallel: 1, journal: reversed });
    expect(learned.engine.calls.map((c) => c.stack)).toEqual(["b", "a"]);
  });

  it("destroys in reverse dependency order, running the pre-destroy hook before each stack", async () => {
    const { engine, result } = await simulate(
      { network: [], kubernetes: ["network"], addons: ["kubernetes"], cache: ["network"] },
      {},
      { operation: "destroy", parallel: 1 },
    );
    const order = engine.calls.map((c) => c.stack);
    expect(order.indexOf("addons")).toBeLessThan(order.indexOf("kubernetes"));
    expect(order.indexOf("kubernetes")).toBeLessThan(order.indexOf("network"));
    expect(order.indexOf("cache")).toBeLessThan(order.indexOf("network"));
    expect(order[order.length - 1]).toBe("network");
    expect(engine.preDestroyed).toEqual(order);
    expect(engine.calls.every((c) => c.operation === "destroy")).toBe(true);
    expect(result.exitCode).toBe(0);
  });
});

describe("failures", () => {
  it("skips the dependents of a failed stack with the reason, and lets independent branches finish", async () => {
    const { result, engine } = await simulate(
      { a: [], b: ["a"], c: ["b"], d: [] },
      { a: [fail("error: creating VPC: InvalidParameterValue", 1000)], d: [succeed(5000)] },
      { parallel: 1 },
    );
    expect(stack(result, "a")).toMatchObject({ status: "failed", attempts: 1 });
    expect(stack(result, "a").error).toContain("InvalidParameterValue");
    expect(stack(result, "b")).toMatchObject({ status: "skipped", reason: "upstream a failed" });
    expect(stack(result, "c")).toMatchObject({ status: "skipped", reason: "upstream a failed" });
    // d started after a had failed (one slot) and still ran.
    expect(engine.calls.find((c) => c.stack === "d")!.startedAt).toBeGreaterThanOrEqual(1000);
    expect(stack(result, "d").status).toBe("succeeded");
    expect(engine.calls.map((c) => c.stack).sort()).toEqual(["a", "d"]);
    expect(result).toMatchObject({ status: "failed", exitCode: 1 });
  });

  it("with --fail-fast starts nothing new after a failure but lets running stacks finish", async () => {
    const { result, engine } = await simulate(
      { a: [], long: [], b: [], c: [] },
      { a: [fail("boom", 1000)], long: [succeed(60_000)], b: [succeed(500)], c: [succeed(500)] },
      {
        parallel: 2,
        failFast: true,
        journal: journalOf({ a: 90_000, long: 60_000, b: 500, c: 500 }),
      },
    );
    expect(stack(result, "a").status).toBe("failed");
    expect(stack(result, "long").status).toBe("succeeded");
    expect(engine.cancelled).toEqual([]);
    for (const id of ["b", "c"]) {
      expect(stack(result, id)).toMatchObject({
        status: "skipped",
        reason: "not started: fail-fast after a failed",
      });
    }
    expect(engine.calls.map((c) => c.stack).sort()).toEqual(["a", "long"]);
    expect(result.exitCode).toBe(1);
  });

  it("retries transient errors with growing, bounded delays and succeeds", async () => {
    const { result, engine, events } = await simulate(
      { a: [], b: ["a"] },
      { a: transient(2, 100) },
    );
    expect(stack(result, "a")).toMatchObject({ status: "succeeded", attempts: 3 });
    expect(engine.calls.filter((c) => c.stack === "a").map((c) => c.attempt)).toEqual([1, 2, 3]);
    const retries = events.filter((e) => e.type === "stackRetrying");
    expect(retries.map((e) => (e as { delayMs: number }).delayMs)).toEqual([1000, 2000]);
    expect(stack(result, "b").status).toBe("succeeded");
  });

  it("gives up on a transient error after maxAttempts, with the delay capped", async () => {
    const { result, engine, events } = await simulate(
      { a: [] },
      { a: transient(10, 10, "ThrottlingException: Rate exceeded") },
      { retry: { ...FAST_RETRY, maxAttempts: 5 } },
    );
    expect(stack(result, "a")).toMatchObject({ status: "failed", attempts: 5 });
    expect(engine.calls).toHaveLength(5);
    expect(
      events
        .filter((e) => e.type === "stackRetrying")
        .map((e) => (e as { delayMs: number }).delayMs),
    ).toEqual([1000, 2000, 4000, 4000]);
  });

  it("does not retry other errors", async () => {
    const { result, engine } = await simulate(
      { a: [] },
      { a: [fail("error: invalid value for officeless:network.cidr"), succeed()] },
    );
    expect(stack(result, "a")).toMatchObject({ status: "failed", attempts: 1 });
    expect(engine.calls).toHaveLength(1);
  });
});

describe("cancellation", () => {
  it("starts nothing new, cancels running stacks through the engine and reports what finished", async () => {
    const { result, engine, events } = await simulate(
      { quick: [], stuck: [], slow: [], after: ["slow"] },
      { quick: [succeed(1000)], stuck: [hang()], slow: [succeed(10_000)] },
      { parallel: 3, abortAt: 5000 },
    );
    expect(stack(result, "quick").status).toBe("succeeded");
    expect(stack(result, "stuck").status).toBe("cancelled");
    expect(stack(result, "slow").status).toBe("cancelled");
    expect(stack(result, "after")).toMatchObject({
      status: "cancelled",
      reason: "not started: run cancelled",
      attempts: 0,
    });
    expect(engine.cancelled.sort()).toEqual(["slow", "stuck"]);
    expect(engine.calls.map((c) => c.stack)).not.toContain("after");
    expect(result).toMatchObject({ status: "cancelled", exitCode: 1 });
    expect(events[events.length - 1]).toMatchObject({ type: "runFinished", status: "cancelled" });
  });

  it("a retry waiting on its backoff is cancelled too", async () => {
    const { result, engine } = await simulate(
      { a: [] },
      { a: transient(3, 100) },
      { abortAt: 500 },
    );
    expect(stack(result, "a").status).toBe("cancelled");
    expect(engine.calls).toHaveLength(1);
  });
});

describe("resume", () => {
  it("reruns only what failed, was skipped or cancelled in the last run", async () => {
    const journal = new MemoryJournal();
    const edges = { a: [], b: ["a"], c: ["b"], d: [], e: [] };
    const first = await simulate(
      edges,
      { b: [fail("boom")], e: [hang()] },
      { journal, abortAt: 5000, parallel: 2 },
    );
    expect(first.result.stacks.map((s) => [s.stack, s.status]).sort()).toEqual([
      ["a", "succeeded"],
      ["b", "failed"],
      ["c", "skipped"],
      ["d", "succeeded"],
      ["e", "cancelled"],
    ]);
    const second = await simulate(edges, {}, { journal, resume: true });
    expect(second.engine.calls.map((c) => c.stack).sort()).toEqual(["b", "c", "e"]);
    expect(second.result.exitCode).toBe(0);
    // b still runs before c; a (done last time) counts as done.
    expect(second.engine.finishOrder.indexOf("b")).toBeLessThan(
      second.engine.finishOrder.indexOf("c"),
    );
    const third = await simulate(edges, {}, { journal, resume: true });
    expect(third.engine.calls).toEqual([]);
    expect(third.result.stacks).toEqual([]);
  });

  it("refuses to resume when the journal has no earlier run of the operation", async () => {
    await expect(
      simulate({ a: [] }, {}, { journal: new MemoryJournal(), resume: true }),
    ).rejects.toThrow("no earlier up run");
  });
});
