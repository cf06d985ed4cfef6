/**
 * The `officeless` CLI as a function: flags, engine choice, confirmation, prod guard, JSON Lines,
 * plain logs and summary, exit codes. Engines and stack files are injected.
 */
import { systemClock } from "../automation/runner/clock";
import {
  CliIo,
  defaultParallelism,
  interruptMessage,
  interruptOf,
  runCli,
  inTerminalForeground,
  signalHandler,
} from "../automation/runner/cli";
import { OfflineEngine } from "../automation/runner/engines/offline";
import { hang, ScriptedEngine, ScriptStep, succeed } from "../automation/runner/engines/scripted";
import { BaseStackInfo } from "../automation/runner/graph";
import { MemoryJournal } from "../automation/runner/journal";
import { liveReporter } from "../automation/runner/reporters";
import { LAYERS } from "../components/types";

const BASES: Record<string, BaseStackInfo> = {
  "dev-aws": {
    name: "dev-aws",
    layers: ["network", "kubernetes", "storage"],
    cloud: "aws",
    environment: "dev",
  },
  "prod-aws": { name: "prod-aws", layers: [...LAYERS], cloud: "aws", environment: "prod" },
};

class Capture {
  text = "";
  isTTY = false;
  write(s: string) {
    this.text += s;
    return true;
  }
}

function cli(
  options: {
    script?: Record<string, ScriptStep[]>;
    interactive?: boolean;
    answer?: boolean;
    signal?: AbortSignal;
  } = {},
) {
  const stdout = new Capture();
  const stderr = new Capture();
  const engine = new ScriptedEngine({
    clock: systemClock,
    script: options.script,
    defaultDurationMs: 1,
  });
  const questions: string[] = [];
  const planned: string[] = [];
  const journal = new MemoryJournal();
  const io: CliIo = {
    stdout: stdout as unknown as NodeJS.WritableStream,
    stderr: stderr as unknown as NodeJS.WritableStream,
    interactive: options.interactive ?? false,
    signal: options.signal,
    confirm: async (q) => (questions.push(q), options.answer ?? false),
    loadBaseStacks: (names) =>
      names.map((n) => {
        if (!BASES[n]) throw new Error(`cannot read stack file Pulumi.${n}.yaml`);
        return BASES[n];
      }),
    automationEngine: () => engine,
    offlineEngine: () =>
      new OfflineEngine({
        planLayer: async (base, layer) => {
          const name = `${base}-${layer as string}`;
          planned.push(name);
          const resource = (n: string, parent: string) => ({
            urn: `urn:${name}:${n}`,
            type: `t:${n}`,
            name: n,
            parent,
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
          });
          return {
            name,
            baseStack: base,
            layer: layer as never,
            cloud: "aws",
            environment: "dev",
            dependsOn: [],
            outputs: {},
            resources: [resource("root", ""), resource("child", `urn:${name}:root`)],
          };
        },
      }),
    journal: () => journal,
  };
  const run = (args: string) => runCli(args.split(" ").filter(Boolean), io);
  return { run, stdout, stderr, engine, questions, planned, journal };
}

describe("officeless CLI", () => {
  it("graph prints the stack graph as mermaid or dot", async () => {
    const c = cli();
    expect(await c.run("graph --stack dev-aws")).toBe(0);
    expect(c.stdout.text).toContain("dev_aws_network --> dev_aws_kubernetes");
    const d = cli();
    expect(await d.run("graph --stack dev-aws --format dot --layer kubernetes")).toBe(0);
    expect(d.stdout.text).toContain('"dev-aws-network" -> "dev-aws-kubernetes";');
    expect(d.stdout.text).not.toContain("dev-aws-storage");
  });

  it("graph --resources adds each stack's resource tree from the offline plan", async () => {
    const c = cli();
    expect(await c.run("graph --stack dev-aws --resources")).toBe(0);
    expect(c.planned).toEqual(["dev-aws-network", "dev-aws-kubernetes", "dev-aws-storage"]);
    expect(c.stdout.text).toContain('subgraph dev_aws_storage["dev-aws-storage (2 resources)"]');
    expect(c.stdout.text).toContain("dev_aws_storage_r0 --- dev_aws_storage_r1");
  });

  it("plan previews offline and prints the summary", async () => {
    const c = cli();
    expect(await c.run("plan --stack dev-aws")).toBe(0);
    expect(c.stdout.text).toMatch(/dev-aws-network\s+succeeded .* \+2 ~0 -0/);
    expect(c.stdout.text).toContain("preview: succeeded (3 succeeded)");
    expect(c.engine.calls).toEqual([]);
    expect(await cli().run("plan --stack dev-aws --resume")).toBe(1);
  });

  it("up refuses without --yes when nobody can confirm, and asks otherwise", async () => {
    const c = cli();
    expect(await c.run("up --stack dev-aws --engine automation")).toBe(1);
    expect(c.stderr.text).toContain("pass --yes");
    expect(c.engine.calls).toEqual([]);
    const no = cli({ interactive: true, answer: false });
    expect(await no.run("up --stack dev-aws --engine automation")).toBe(1);
    expect(no.questions).toEqual([
      "up 3 stack(s): dev-aws-network, dev-aws-kubernetes, dev-aws-storage. Continue? [y/N] ",
    ]);
    expect(no.engine.calls).toEqual([]);
    const yes = cli({ interactive: true, answer: true });
    expect(await yes.run("up --stack dev-aws --engine automation")).toBe(0);
    expect(yes.engine.calls).toHaveLength(3);
    const flag = cli();
    expect(await flag.run("up --stack dev-aws --engine automation --yes")).toBe(0);
  });

  it("refuses to destroy prod without --allow-destroy-prod, before asking anything", async () => {
    const c = cli({ interactive: true, answer: true });
    expect(await c.run("destroy --stack prod-aws --yes --engine automation")).toBe(1);
    expect(c.stderr.text).toContain(
      "refusing to destroy production stack(s) prod-aws: pass --allow-destroy-prod",
    );
    expect(c.engine.calls).toEqual([]);
    const ok = cli({ interactive: true, answer: true });
    expect(await ok.run("destroy --stack prod-aws --allow-destroy-prod --engine automation")).toBe(
      0,
    );
    expect(ok.questions[0]).toMatch(
      /^destroy 7 stack\(s\): .*prod-aws-addons, prod-aws-kubernetes, prod-aws-network\. Continue/,
    );
    const order = ok.engine.calls.map((x) => x.stack);
    expect(order.indexOf("prod-aws-addons")).toBeLessThan(order.indexOf("prod-aws-kubernetes"));
    expect(order[order.length - 1]).toBe("prod-aws-network");
  });

  it("--json prints JSON Lines events and exits 2 on drift with --expect-no-changes", async () => {
    const c = cli({ script: { "dev-aws-storage": [succeed(1, { update: 1 })] } });
    expect(
      await c.run("preview --stack dev-aws --engine automation --json --expect-no-changes"),
    ).toBe(2);
    const events = c.stdout.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const types = new Set(events.map((e) => e.type));
    for (const t of [
      "runStarted",
      "stackStarted",
      "resourceProgress",
      "stackFinished",
      "runFinished",
    ])
      expect(types.has(t)).toBe(true);
    expect(events[events.length - 1]).toMatchObject({ type: "runFinished", exitCode: 2 });
    expect(
      events.find((e) => e.type === "stackFinished" && e.stack === "dev-aws-storage"),
    ).toMatchObject({ changes: { update: 1 } });
  });

  it("off a TTY logs plain lines on stderr and the summary on stdout", async () => {
    const c = cli({ script: { "dev-aws-kubernetes": [{ kind: "fail", message: "error: boom" }] } });
    expect(await c.run("preview --stack dev-aws --engine automation --parallel 2")).toBe(1);
    expect(c.stderr.text).toMatch(/\d\d:\d\d:\d\d preview of 3 stack\(s\), 2 at a time/);
    expect(c.stderr.text).toMatch(/dev-aws-kubernetes: FAILED in .* - error: boom/);
    expect(c.stdout.text).toMatch(
      /dev-aws-storage\s+skipped .* upstream dev-aws-kubernetes failed/,
    );
    expect(c.stdout.text).toContain("preview: failed (1 succeeded, 1 failed, 1 skipped)");
  });

  it("--resume reruns what failed last time", async () => {
    const c = cli({
      script: { "dev-aws-kubernetes": [{ kind: "fail", message: "boom" }, succeed(1)] },
    });
    expect(await c.run("preview --stack dev-aws --engine automation")).toBe(1);
    const before = c.engine.calls.length;
    expect(await c.run("preview --stack dev-aws --engine automation --resume")).toBe(0);
    expect(c.engine.calls.slice(before).map((x) => x.stack)).toEqual([
      "dev-aws-kubernetes",
      "dev-aws-storage",
    ]);
  });

  it("rejects bad input with exit code 1 (2 means drift)", async () => {
    const c = cli();
    expect(await c.run("preview --stack dev-aws --parallel 0")).toBe(1);
    expect(c.stderr.text).toContain("expected a positive integer");
    expect(await c.run("deploy --stack dev-aws")).toBe(1);
    expect(await c.run("preview --stack nope")).toBe(1);
    expect(c.stderr.text).toContain("cannot read stack file Pulumi.nope.yaml");
    expect(await c.run("preview --stack dev-aws --layer dns")).toBe(1);
    expect(await c.run("preview --stack dev-aws --engine magic")).toBe(1);
  });

  it("accepts comma-separated and repeated list flags", async () => {
    const c = cli();
    expect(
      await c.run(
        "preview --stack dev-aws,prod-aws --engine automation --layer network --layer kubernetes",
      ),
    ).toBe(0);
    expect(c.engine.calls.map((x) => x.stack).sort()).toEqual([
      "dev-aws-kubernetes",
      "dev-aws-network",
      "prod-aws-kubernetes",
      "prod-aws-network",
    ]);
  });

  it("on a signal starts nothing new, cancels the running stack through the engine and prints what finished", async () => {
    const controller = new AbortController();
    const c = cli({ script: { "dev-aws-kubernetes": [hang()] }, signal: controller.signal });
    const running = c.run("preview --stack dev-aws --engine automation");
    while (!c.engine.calls.some((x) => x.stack === "dev-aws-kubernetes"))
      await new Promise((r) => setTimeout(r, 1));
    controller.abort(new Error("cancelled by SIGINT"));
    expect(await running).toBe(1);
    expect(c.engine.cancelled).toEqual(["dev-aws-kubernetes"]);
    expect(c.engine.calls.map((x) => x.stack)).toEqual(["dev-aws-network", "dev-aws-kubernetes"]);
    expect(c.stdout.text).toMatch(/dev-aws-network\s+succeeded/);
    expect(c.stdout.text).toMatch(/dev-aws-kubernetes\s+cancelled .* cancelled by SIGINT/);
    expect(c.stdout.text).toMatch(/dev-aws-storage\s+cancelled .* not started: run cancelled/);
    expect(c.stdout.text).toContain("preview: cancelled");
  });

  it("cancel is explicit: asks first (refuses without a terminal), then unlocks each selected stack", async () => {
    const refused = cli();
    expect(await refused.run("cancel --stack dev-aws")).toBe(1);
    expect(refused.stderr.text).toContain("pass --yes");
    expect(refused.engine.unlocked).toEqual([]);
    const declined = cli({ interactive: true, answer: false });
    expect(await declined.run("cancel --stack dev-aws --layer kubernetes")).toBe(1);
    expect(declined.questions[0]).toMatch(
      /^cancel 1 stack\(s\): dev-aws-kubernetes\. Run it only when no update of them is still running/,
    );
    expect(declined.engine.unlocked).toEqual([]);
    const c = cli();
    expect(await c.run("cancel --stack dev-aws --yes")).toBe(0);
    expect(c.engine.unlocked).toEqual(["dev-aws-network", "dev-aws-kubernetes", "dev-aws-storage"]);
    expect(c.stdout.text).toContain("dev-aws-kubernetes: cancelled (lock removed)");
    // No other command ever unlocks a stack, not even after a cancelled run.
    expect(c.engine.calls).toEqual([]);
  });

  it("says on a first signal whether running stacks already got it", () => {
    expect(interruptMessage(interruptOf("SIGINT", true))).toBe(
      "SIGINT: starting nothing new; running stacks got it too and are stopping gracefully (again to exit now)",
    );
    expect(interruptOf("SIGINT", true).childrenSignalled).toBe(true);
    expect(interruptOf("SIGTERM", true).childrenSignalled).toBe(false);
    expect(interruptMessage(interruptOf("SIGTERM", false))).toContain(
      "asking running stacks to stop gracefully",
    );
  });

  it("takes a SIGINT as the terminal's Ctrl-C only in the terminal's foreground process group", () => {
    // /proc/self/stat: pid (comm) state ppid pgrp session tty_nr tpgid ...; comm may hold ") ".
    const stat = (pgrp: number, tpgid: number) => () =>
      `4242 (node (x) y) S 4000 ${pgrp} 3000 34816 ${tpgid} 4194560 0 0`;
    expect(inTerminalForeground(stat(4100, 4100))).toBe(true);
    // `officeless up &`: the foreground group is the shell's; the SIGINT was sent to the runner.
    expect(inTerminalForeground(stat(4100, 3000))).toBe(false);
    // No controlling terminal.
    expect(inTerminalForeground(stat(4100, -1))).toBe(false);
    // No /proc (macOS): cannot tell.
    expect(
      inTerminalForeground(() => {
        throw new Error("ENOENT");
      }),
    ).toBeUndefined();
    // Asked when the signal arrives (a job moved to the background after it started).
    let foreground = true;
    const aborted: { childrenSignalled: boolean }[] = [];
    const onSignal = signalHandler({
      abort: (r) => aborted.push(r),
      exit: () => undefined,
      write: () => undefined,
      fromTerminal: () => foreground,
    });
    foreground = false;
    onSignal("SIGINT");
    expect(aborted[0].childrenSignalled).toBe(false);
  });

  it("treats the same Ctrl-C arriving twice (terminal and npm) as one, and exits on a later one", () => {
    let t = 0;
    const aborted: unknown[] = [];
    const exits: number[] = [];
    const onSignal = signalHandler({
      abort: (r) => aborted.push(r),
      exit: (c) => exits.push(c),
      write: () => undefined,
      fromTerminal: true,
      now: () => t,
    });
    onSignal("SIGINT");
    t = 50;
    onSignal("SIGINT");
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toMatchObject({ signal: "SIGINT", childrenSignalled: true });
    expect(exits).toEqual([]);
    t = 5000;
    onSignal("SIGINT");
    expect(exits).toEqual([130]);
  });

  it("on a TTY shows a bar per running stack and a line per finished one", () => {
    const terminal = () =>
      Object.assign(new Capture(), {
        isTTY: true,
        columns: 120,
        rows: 40,
        cursorTo: () => true,
        moveCursor: () => true,
        clearLine: () => true,
        clearScreenDown: () => true,
      });
    const time = "t";
    const started = (view: ReturnType<typeof liveReporter>) => {
      view.onEvent({
        type: "runStarted",
        operation: "up",
        stacks: ["dev-aws-network", "dev-aws-kubernetes"],
        parallel: 2,
        time,
      });
      view.onEvent({
        type: "stackStarted",
        stack: "dev-aws-network",
        operation: "up",
        attempt: 1,
        time,
      });
      view.onEvent({
        type: "resourceProgress",
        stack: "dev-aws-network",
        done: 7,
        total: 32,
        time,
      });
      view.onEvent({
        type: "stackStarted",
        stack: "dev-aws-kubernetes",
        operation: "up",
        attempt: 1,
        time,
      });
    };
    const plain = (tty: Capture) => tty.text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
    // While both run: one bar each, with resources done/total.
    const running = terminal();
    const view = liveReporter(running as unknown as NodeJS.WritableStream);
    started(view);
    view.close();
    expect(plain(running)).toContain("up of 2 stack(s), 2 at a time");
    expect(plain(running)).toMatch(/dev-aws-network\s+up\s+\[.*\] 7\/32 resources/);
    expect(plain(running)).toMatch(/dev-aws-kubernetes\s+up\s+\[.*\] 0\/1 resources/);
    // A finished stack leaves its bar for a line with status and time.
    const finished = terminal();
    const view2 = liveReporter(finished as unknown as NodeJS.WritableStream);
    started(view2);
    view2.onEvent({
      type: "stackFinished",
      stack: "dev-aws-network",
      baseStack: "dev-aws",
      layer: "network",
      status: "succeeded",
      durationMs: 65_000,
      attempts: 1,
      changes: { create: 32, update: 0, delete: 0, replace: 0, same: 0 },
      time,
    });
    view2.close();
    const after = plain(finished).split("dev-aws-network: ok in 1m 05s (+32 ~0 -0)");
    expect(after).toHaveLength(2);
    expect(after[1]).not.toContain("dev-aws-network");
    expect(after[1]).toMatch(/dev-aws-kubernetes\s+up/);
  });

  it("defaults parallelism to two per core, at most 4", () => {
    expect(defaultParallelism(1)).toBe(2);
    expect(defaultParallelism(2)).toBe(4);
    expect(defaultParallelism(64)).toBe(4);
  });
});
