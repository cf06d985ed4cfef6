/**
 * runStacks around the scheduler: exit codes (drift = 2), the prod destroy guard, previews of a
 * fresh environment, the event stream, the offline engine's one-at-a-time rule, the journal file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { VirtualClock } from "../automation/runner/clock";
import { OfflineEngine } from "../automation/runner/engines/offline";
import { fail, ScriptedEngine, ScriptStep, succeed } from "../automation/runner/engines/scripted";
import { graphFromEdges } from "../automation/runner/graph";
import { appendRun, FileJournal, MemoryJournal } from "../automation/runner/journal";
import { exitCodeOf, RunOptions, runStacks } from "../automation/runner/runner";
import { isTransientError } from "../automation/runner/retry";
import {
  Engine,
  noChanges,
  RunnerError,
  RunnerEvent,
  StackResult,
} from "../automation/runner/types";

const CHAIN = {
  "t-network": [],
  "t-kubernetes": ["t-network"],
  "t-storage": ["t-network", "t-kubernetes"],
};

async function simulate(
  options: Partial<RunOptions> & {
    script?: Record<string, ScriptStep[]>;
    state?: Record<string, Record<string, unknown>>;
    edges?: Record<string, string[]>;
    environment?: string;
  },
) {
  const clock = (options.clock as VirtualClock | undefined) ?? new VirtualClock();
  const engine =
    options.engine ?? new ScriptedEngine({ clock, script: options.script, state: options.state });
  const events: RunnerEvent[] = [];
  const result = await clock.run(
    runStacks({
      operation: "preview",
      graph: graphFromEdges(options.edges ?? CHAIN, "t", options.environment),
      clock,
      parallel: 4,
      onEvent: (e) => events.push(e),
      ...options,
      engine,
    }),
  );
  return { result, engine, events, clock };
}

const byId = (stacks: StackResult[]) => Object.fromEntries(stacks.map((s) => [s.stack, s]));

describe("exit codes", () => {
  const ok = (changes = noChanges()): StackResult => ({
    stack: "a",
    baseStack: "t",
    layer: "a",
    status: "succeeded",
    durationMs: 1,
    attempts: 1,
    changes,
  });
  it("0 on success, 1 on any failure, skip or cancellation, 2 for changes on a drift check", () => {
    const changed = ok({ ...noChanges(), update: 1 });
    expect(exitCodeOf("preview", [ok(), changed])).toBe(0);
    expect(exitCodeOf("preview", [ok(), changed], true)).toBe(2);
    expect(exitCodeOf("refresh", [changed], true)).toBe(2);
    expect(exitCodeOf("up", [changed], true)).toBe(0);
    expect(exitCodeOf("preview", [ok()], true)).toBe(0);
    for (const status of ["failed", "skipped", "cancelled"] as const)
      expect(exitCodeOf("preview", [changed, { ...ok(), status }], true)).toBe(1);
    expect(exitCodeOf("preview", [{ ...ok(), status: "waiting" }], true)).toBe(2);
  });

  it("a preview that finds changes exits 2 with --expect-no-changes, 0 without", async () => {
    const script = { "t-kubernetes": [succeed(10, { update: 2 })] };
    expect((await simulate({ script, expectNoChanges: true })).result.exitCode).toBe(2);
    expect((await simulate({ script })).result.exitCode).toBe(0);
    expect((await simulate({ expectNoChanges: true })).result.exitCode).toBe(0);
    expect(
      (await simulate({ script: { "t-network": [fail("boom")] }, expectNoChanges: true })).result
        .exitCode,
    ).toBe(1);
  });
});

describe("destroying production", () => {
  it("refuses without --allow-destroy-prod before any stack runs", async () => {
    const clock = new VirtualClock();
    const engine = new ScriptedEngine({ clock });
    await expect(
      simulate({ operation: "destroy", environment: "prod", engine }),
    ).rejects.toMatchObject({
      code: "prodDestroy",
      message: expect.stringContaining("--allow-destroy-prod"),
    });
    expect(engine.calls).toEqual([]);
    const allowed = await simulate({
      operation: "destroy",
      environment: "prod",
      allowDestroyProd: true,
    });
    expect(allowed.result.stacks.every((s) => s.status === "succeeded")).toBe(true);
  });

  it("recognises prod by name when the environment is unknown, and leaves other environments alone", async () => {
    const graph = graphFromEdges({ "prod-aws-network": [] }, "prod-aws");
    const engine = new ScriptedEngine({ clock: new VirtualClock() });
    await expect(runStacks({ operation: "destroy", graph, engine })).rejects.toBeInstanceOf(
      RunnerError,
    );
    expect((await simulate({ operation: "destroy", environment: "staging" })).result.exitCode).toBe(
      0,
    );
    // Only destroy is guarded.
    expect((await simulate({ operation: "up", environment: "prod" })).result.exitCode).toBe(0);
  });
});

describe("a signal before a stack's operation starts", () => {
  it("aborted during the pre-destroy hooks: the destroy is not started and is reported so", async () => {
    const run = new AbortController();
    const ran: string[] = [];
    const engine: Engine = {
      name: "hooks",
      operations: ["destroy"],
      preDestroy: async () => {
        // SIGTERM while the hooks run: they finish, the destroy must not follow.
        run.abort(new Error("SIGTERM"));
        return ["drained"];
      },
      run: async (task) => {
        ran.push(task.node.id);
        return { changes: noChanges() };
      },
    };
    const { result } = await simulate({
      operation: "destroy",
      edges: { "t-network": [] },
      engine,
      signal: run.signal,
    });
    expect(ran).toEqual([]);
    expect(result.stacks).toMatchObject([
      {
        stack: "t-network",
        status: "cancelled",
        attempts: 0,
        reason: "not started: run cancelled",
      },
    ]);
    expect(result.status).toBe("cancelled");
  });
});

describe("preview of a fresh environment", () => {
  it("previews stacks whose upstream has no state offline and says which upstream they wait on", async () => {
    const clock = new VirtualClock();
    const engine = new ScriptedEngine({ clock, state: {} });
    const offline = new ScriptedEngine({
      clock,
      script: {
        "t-kubernetes": [
          { kind: "succeed", changes: { create: 30 }, outputs: { clusterName: "c" } },
        ],
      },
    });
    const { result } = await simulate({ engine, offlineFallback: offline, clock });
    const s = byId(result.stacks);
    expect(s["t-network"]).toMatchObject({ status: "succeeded", mode: "scripted" });
    expect(s["t-network"].waitingOn).toBeUndefined();
    expect(s["t-kubernetes"]).toMatchObject({
      status: "succeeded",
      mode: "offline",
      waitingOn: ["t-network"],
      changes: { create: 30 },
    });
    expect(s["t-kubernetes"].notes).toContain(
      "previewed offline: upstream t-network has no state yet",
    );
    expect(s["t-storage"]).toMatchObject({
      mode: "offline",
      waitingOn: ["t-network", "t-kubernetes"],
    });
    expect(engine.calls.map((c) => c.stack)).toEqual(["t-network"]);
    // t-network has no state: it is planned offline once, only for its outputs.
    expect(offline.calls.map((c) => c.stack)).toEqual(["t-network", "t-kubernetes", "t-storage"]);
    expect(result.exitCode).toBe(0);
  });

  it("feeds real outputs of upstream stacks that have state to the offline preview", async () => {
    const clock = new VirtualClock();
    const engine = new ScriptedEngine({ clock, state: { "t-network": { vpcId: "vpc-1" } } });
    const seen: Record<string, unknown>[] = [];
    const offline = new ScriptedEngine({ clock });
    const run = offline.run.bind(offline);
    offline.run = async (task) => (seen.push({ ...task.upstreamOutputs }), run(task));
    const { result } = await simulate({ engine, offlineFallback: offline, clock });
    const s = byId(result.stacks);
    expect(s["t-kubernetes"]).toMatchObject({ mode: "scripted" });
    expect(s["t-storage"]).toMatchObject({ mode: "offline", waitingOn: ["t-kubernetes"] });
    // t-kubernetes has no state: planned offline for its outputs, from t-network's real ones.
    expect(seen).toEqual([
      { "t-network": { vpcId: "vpc-1" } },
      { "t-network": { vpcId: "vpc-1" }, "t-kubernetes": { stack: "t-kubernetes" } },
    ]);
  });

  it("without an offline fallback reports the stacks as waiting, with the upstream they wait on", async () => {
    const clock = new VirtualClock();
    const engine = new ScriptedEngine({ clock, state: {} });
    const { result } = await simulate({ engine, clock });
    const s = byId(result.stacks);
    expect(s["t-kubernetes"]).toMatchObject({ status: "waiting", waitingOn: ["t-network"] });
    expect(s["t-storage"]).toMatchObject({
      status: "waiting",
      waitingOn: ["t-network", "t-kubernetes"],
    });
    expect(engine.calls.map((c) => c.stack)).toEqual(["t-network"]);
    expect(result.exitCode).toBe(0);
  });
});

describe("events", () => {
  it("runStarted first, runFinished last, each stack started before progress and finish", async () => {
    const { events } = await simulate({
      script: {
        "t-network": [
          fail("error: [409] Conflict: Another update is currently in progress."),
          succeed(),
        ],
      },
      retry: { baseDelayMs: 10, random: () => 0 },
    });
    expect(events[0]).toMatchObject({
      type: "runStarted",
      operation: "preview",
      stacks: ["t-network", "t-kubernetes", "t-storage"],
    });
    expect(events[events.length - 1]).toMatchObject({
      type: "runFinished",
      status: "succeeded",
      exitCode: 0,
      counts: { succeeded: 3 },
    });
    for (const stack of Object.keys(CHAIN)) {
      const mine = events.filter((e) => "stack" in e && e.stack === stack).map((e) => e.type);
      expect(mine[0]).toBe("stackStarted");
      expect(mine).toContain("resourceProgress");
      expect(mine[mine.length - 1]).toBe("stackFinished");
    }
    expect(events.filter((e) => e.type === "stackRetrying")).toHaveLength(1);
    expect(
      events
        .filter((e) => e.type === "stackStarted" && e.stack === "t-network")
        .map((e) => (e as { attempt: number }).attempt),
    ).toEqual([1, 2]);
  });

  it("classifies transient errors by message", () => {
    for (const m of [
      "error: [409] Conflict: Another update is currently in progress.",
      "the stack is currently locked by 1 lock(s)",
      "ThrottlingException: Rate exceeded",
      "429 Too Many Requests",
      "RequestLimitExceeded",
    ]) {
      expect(isTransientError(new Error(m))).toBe(true);
    }
    for (const m of [
      "AccessDenied",
      "invalid value",
      "VpcLimitExceeded: The maximum number of VPCs has been reached",
    ])
      expect(isTransientError(new Error(m))).toBe(false);
  });
});

describe("offline engine", () => {
  it("plans one stack at a time in dependency order, handing each its upstream outputs", async () => {
    const order: string[] = [];
    let active = 0;
    const engine = new OfflineEngine({
      planLayer: async (base, layer, upstream) => {
        active++;
        expect(active).toBe(1);
        order.push(`${base}-${layer}:${Object.keys(upstream).join(",")}`);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        const name = `${base}-${layer as string}`;
        return {
          name,
          baseStack: base,
          layer: layer as never,
          cloud: "aws",
          environment: "dev",
          dependsOn: [],
          outputs: { from: name },
          resources: [
            {
              urn: `urn:${name}`,
              type: "t",
              name,
              parent: "",
              custom: true,
              inputs: {},
              options: {
                protect: false,
                retainOnDelete: false,
                ignoreChanges: [],
                dependsOn: [],
                deleteBeforeReplace: false,
                provider: "",
              },
            },
          ],
        };
      },
    });
    const graph = graphFromEdges(
      {
        "a-network": [],
        "a-kubernetes": ["a-network"],
        "b-network": [],
        "b-kubernetes": ["b-network"],
      },
      "x",
    );
    // graphFromEdges names the layer after the id; rebuild nodes with real base/layer.
    const nodes = [...graph.nodes.values()].map((n) => ({
      ...n,
      baseStack: n.id.split("-")[0],
      layer: n.id.split("-")[1],
    }));
    const result = await runStacks({
      operation: "preview",
      graph: { nodes: new Map(nodes.map((n) => [n.id, n])) },
      engine,
      parallel: 8,
    });
    expect(result.maxConcurrent).toBe(1);
    expect(engine.maxActive).toBe(1);
    expect(order).toContain("a-kubernetes:a-network");
    expect(order.indexOf("a-network:")).toBeLessThan(order.indexOf("a-kubernetes:a-network"));
    expect(
      result.stacks.every(
        (s) => s.status === "succeeded" && s.mode === "offline" && s.changes.create === 1,
      ),
    ).toBe(true);
    expect(engine.planned.get("b-kubernetes")!.resources).toHaveLength(1);
    await expect(
      runStacks({
        operation: "up",
        graph: { nodes: new Map(nodes.map((n) => [n.id, n])) },
        engine,
      }),
    ).rejects.toThrow("the offline engine cannot up");
  });
});

describe("journal file", () => {
  it("records every run with per-stack status, duration and changes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-journal-"));
    const file = path.join(dir, "sub", "journal.json");
    const journal = new FileJournal(file);
    await simulate({ journal, script: { "t-storage": [fail("nope")] } });
    await simulate({ journal, resume: true });
    const data = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(data.runs).toHaveLength(2);
    expect(data.runs[0].stacks["t-storage"]).toMatchObject({
      status: "failed",
      error: "nope",
      attempts: 1,
    });
    expect(data.runs[0].stacks["t-network"]).toMatchObject({
      status: "succeeded",
      durationMs: 1000,
      changes: { create: 0 },
    });
    expect(Object.keys(data.runs[1].stacks)).toEqual(["t-storage"]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["journal.json"]);
    fs.writeFileSync(file, '{"hello":1}');
    await expect(journal.read()).rejects.toThrow("is not a runner journal");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a run that another process recorded while this one was running", async () => {
    const journal = new MemoryJournal();
    const clock = new VirtualClock();
    const engine = new ScriptedEngine({ clock });
    const running = clock.run(
      runStacks({
        operation: "preview",
        graph: graphFromEdges(CHAIN, "t"),
        clock,
        parallel: 4,
        journal,
        engine,
        // Another run finishes and records itself after this run has read the journal.
        onEvent: (e) => {
          if (e.type === "stackStarted" && e.stack === "t-network") {
            journal.data = appendRun(journal.data, {
              id: "other",
              operation: "up",
              startedAt: "2026-01-01T00:00:00Z",
              durationMs: 1,
              status: "succeeded",
              stacks: {},
            });
          }
        },
      }),
    );
    await running;
    expect(journal.data.runs.map((r) => r.operation)).toEqual(["up", "preview"]);
  });
});
