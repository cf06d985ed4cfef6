/**
 * The Automation API engine with a fake LocalWorkspace factory: one workspace per stack, the
 * options, config and AbortSignal it passes, cancellation, destroy of protected resources,
 * upstream state. A last block drives the real `pulumi` CLI and runs only when it is on PATH.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { LocalWorkspaceOptions } from "@pulumi/pulumi/automation";
import { VirtualClock } from "../automation/runner/clock";
import {
  AutomationEngine,
  AutomationStack,
  WorkspaceFactory,
} from "../automation/runner/engines/automation";
import { graphFromNodes } from "../automation/runner/graph";
import { onPath } from "../automation/runner/preDestroy";
import { runStacks } from "../automation/runner/runner";
import { StackFile } from "../automation/runner/stacks";
import { EngineTask, StackNode } from "../automation/runner/types";

const PROJECT = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-project-"));
afterAll(() => fs.rmSync(PROJECT, { recursive: true, force: true }));
const BASE: StackFile = {
  file: `${PROJECT}/Pulumi.dev-aws.yaml`,
  encryptionSalt: "v1:c2FsdA==:v1:bm9uY2U=:Y2lwaGVy",
  config: {
    "aws:region": "eu-west-1",
    "officeless:cloud": "aws",
    "officeless:network": { cidr: "10.10.0.0/16" },
    "officeless:stackReference": { organization: "acme" },
    "officeless:vpn": {
      enabled: true,
      peers: [{ name: "office", preSharedKey: { secure: "v1:abc:def" } }],
    },
    "officeless:grafanaPassword": { secure: "v1:ghi:jkl" },
  },
};

type Op = "preview" | "up" | "refresh" | "destroy";

class FakeStack implements AutomationStack {
  readonly log: { method: string; arg?: unknown }[] = [];
  cancelled = 0;
  constructor(
    readonly name: string,
    readonly options: LocalWorkspaceOptions,
    private readonly behave: (
      stack: FakeStack,
      op: Op,
      opts: Record<string, any>,
    ) => Promise<unknown>,
  ) {}
  async setAllConfig(config: unknown) {
    this.log.push({ method: "setAllConfig", arg: config });
  }
  private op(op: Op, opts: unknown): Promise<any> {
    this.log.push({ method: op, arg: opts });
    return this.behave(this, op, opts as Record<string, any>);
  }
  preview(opts?: unknown) {
    return this.op("preview", opts);
  }
  up(opts?: unknown) {
    return this.op("up", opts);
  }
  refresh(opts?: unknown) {
    return this.op("refresh", opts);
  }
  destroy(opts?: unknown) {
    return this.op("destroy", opts);
  }
  async cancel() {
    this.cancelled++;
  }
  async outputs() {
    return {};
  }
  async exportStack() {
    return {
      deployment: {
        resources: [
          {
            urn: "urn:pulumi:dev-aws-storage::officeless::aws:s3/bucketV2:BucketV2::officeless-dev-objects",
            type: "aws:s3/bucketV2:BucketV2",
            protect: true,
          },
          {
            urn: "urn:pulumi:dev-aws-storage::officeless::pulumi:pulumi:Stack::x",
            type: "pulumi:pulumi:Stack",
          },
        ],
      },
    };
  }
}

function fakeFactory(
  behave: (stack: FakeStack, op: Op, opts: Record<string, any>) => Promise<unknown>,
) {
  const opened: FakeStack[] = [];
  const factory: WorkspaceFactory = {
    async createOrSelectStack(args, opts) {
      expect(args.workDir).toBe(PROJECT);
      const stack = new FakeStack(args.stackName, opts, behave);
      opened.push(stack);
      return stack;
    },
    async selectStack(args) {
      const e = new Error(`no stack named '${args.stackName}' found`);
      e.name = "StackNotFoundError";
      throw e;
    },
  };
  return { factory, opened };
}

const summary = (changes: Record<string, number>) => ({
  summary: { resourceChanges: changes },
  outputs: { vpcId: { value: "vpc-1", secret: false }, kubeconfig: { value: "{}", secret: true } },
  changeSummary: changes,
});

function engineWith(factory: WorkspaceFactory, extra: Record<string, unknown> = {}) {
  return new AutomationEngine({
    projectDir: PROJECT,
    factory,
    readStackFile: (f) => (f === BASE.file ? BASE : undefined),
    env: { PULUMI_CONFIG_PASSPHRASE: "x" },
    ...extra,
  });
}

const nodes: StackNode[] = [
  {
    id: "dev-aws-network",
    baseStack: "dev-aws",
    layer: "network",
    deps: [],
    cloud: "aws",
    environment: "dev",
  },
  {
    id: "dev-aws-vpn",
    baseStack: "dev-aws",
    layer: "vpn",
    deps: ["dev-aws-network"],
    cloud: "aws",
    environment: "dev",
  },
  {
    id: "dev-aws-kubernetes",
    baseStack: "dev-aws",
    layer: "kubernetes",
    deps: ["dev-aws-network"],
    cloud: "aws",
    environment: "dev",
  },
];
const graph = graphFromNodes(nodes);

describe("automation engine", () => {
  it("opens every stack in its own workspace over the project, with the backend and secrets provider", async () => {
    const { factory, opened } = fakeFactory(async () => summary({ create: 3, same: 1 }));
    const result = await runStacks({
      operation: "up",
      graph,
      engine: engineWith(factory),
      parallel: 2,
    });
    expect(result.exitCode).toBe(0);
    expect(opened.map((s) => s.name).sort()).toEqual([
      "dev-aws-kubernetes",
      "dev-aws-network",
      "dev-aws-vpn",
    ]);
    expect(new Set(opened).size).toBe(3);
    for (const s of opened) {
      expect(s.options).toMatchObject({
        workDir: PROJECT,
        secretsProvider: "passphrase",
        envVars: {
          PULUMI_BACKEND_URL: `file://${PROJECT}/.officeless/state`,
          PULUMI_SKIP_UPDATE_CHECK: "true",
        },
      });
      // Config is set before the operation, and awaited (one call).
      expect(s.log.map((l) => l.method)).toEqual(["setAllConfig", "up"]);
    }
    expect(result.stacks.find((s) => s.stack === "dev-aws-network")).toMatchObject({
      changes: { create: 3, same: 1, update: 0 },
      outputs: { vpcId: "vpc-1", kubeconfig: "[secret]" },
    });
  });

  it("sets the layer, the stack reference with the base stack, plain values, and carries secrets encrypted with their key", async () => {
    const { factory, opened } = fakeFactory(async () => summary({}));
    await runStacks({
      operation: "preview",
      graph,
      engine: engineWith(factory),
      layers: ["network"],
    });
    const [stack] = opened;
    const config = stack.log[0].arg as Record<string, { value: string; secret: boolean }>;
    expect(config["officeless:layer"]).toEqual({ value: "network", secret: false });
    expect(JSON.parse(config["officeless:stackReference"].value)).toEqual({
      organization: "acme",
      baseStack: "dev-aws",
    });
    expect(config["officeless:network"]).toEqual({
      value: JSON.stringify({ cidr: "10.10.0.0/16" }),
      secret: false,
    });
    expect(config["aws:region"]).toEqual({ value: "eu-west-1", secret: false });
    // Secrets never pass in plain text: they keep their ciphertext and the base stack's key.
    expect(config["officeless:grafanaPassword"]).toBeUndefined();
    expect(config["officeless:vpn"]).toBeUndefined();
    expect(stack.options.stackSettings).toEqual({
      "dev-aws-network": {
        secretsProvider: undefined,
        encryptedKey: undefined,
        encryptionSalt: BASE.encryptionSalt,
        config: {
          "officeless:vpn": BASE.config["officeless:vpn"],
          "officeless:grafanaPassword": { secure: "v1:ghi:jkl" },
        },
      },
    });
  });

  it("refuses to copy secrets into a layer stack that has its own key", async () => {
    const { factory } = fakeFactory(async () => summary({}));
    const own: StackFile = { file: "x", config: {}, encryptionSalt: "v1:b3RoZXI=:v1:x:y" };
    const engine = engineWith(factory, {
      readStackFile: (f: string) =>
        f === BASE.file ? BASE : f.endsWith("dev-aws-network.yaml") ? own : undefined,
    });
    const result = await runStacks({ operation: "preview", graph, engine, layers: ["network"] });
    expect(result.stacks[0].status).toBe("failed");
    expect(result.stacks[0].error).toContain("has its own secrets key");
  });

  it("passes the task's AbortSignal, resource parallelism, refresh, policy packs and targets", async () => {
    const { factory, opened } = fakeFactory(async () => summary({ update: 1 }));
    const engine = engineWith(factory, {
      resourceParallel: 16,
      refresh: true,
      policyPacks: ["./policy"],
      target: ["urn:a"],
      exclude: ["urn:b"],
      backendUrl: "s3://state-bucket",
      secretsProvider: "awskms://alias/state",
    });
    const signals: AbortSignal[] = [];
    const task = (node: StackNode, operation: Op): EngineTask => {
      const c = new AbortController();
      signals.push(c.signal);
      return {
        node,
        operation,
        attempt: 1,
        upstreamOutputs: {},
        signal: c.signal,
        onProgress: () => undefined,
      };
    };
    await engine.run(task(nodes[0], "up"));
    await engine.run(task(nodes[0], "refresh"));
    const [up, refresh] = opened.map((s) => s.log[1].arg as Record<string, unknown>);
    expect(up).toMatchObject({
      signal: signals[0],
      parallel: 16,
      refresh: true,
      policyPacks: ["./policy"],
      target: ["urn:a"],
      exclude: ["urn:b"],
      color: "never",
    });
    expect(typeof up.onEvent).toBe("function");
    expect(refresh.signal).toBe(signals[1]);
    expect(refresh.policyPacks).toBeUndefined();
    expect(opened[0].options).toMatchObject({
      secretsProvider: "awskms://alias/state",
      envVars: { PULUMI_BACKEND_URL: "s3://state-bucket" },
    });
  });

  it("reports resource progress from engine events", async () => {
    const { factory } = fakeFactory(async (_s, _op, opts) => {
      for (const urn of ["u1", "u2"])
        opts.onEvent({ resourcePreEvent: { metadata: { urn, op: "create" } } });
      opts.onEvent({ resOutputsEvent: { metadata: { urn: "u1", op: "create" } } });
      return summary({ create: 2 });
    });
    const progress: unknown[] = [];
    await engineWith(factory).run({
      node: nodes[0],
      operation: "up",
      attempt: 1,
      upstreamOutputs: {},
      signal: new AbortController().signal,
      onProgress: (p) => progress.push(p),
    });
    expect(progress).toEqual([
      { done: 0, total: 1, urn: "u1", op: "create" },
      { done: 0, total: 2, urn: "u2", op: "create" },
      { done: 1, total: 2, urn: "u1", op: "create" },
    ]);
  });

  it("on cancellation the signal stops pulumi; stack.cancel() only if it does not stop within the grace period", async () => {
    const clock = new VirtualClock();
    // Honours the signal (as LocalWorkspace does, by sending pulumi SIGINT).
    const polite = fakeFactory(
      (_s, _op, opts) =>
        new Promise((_, reject) =>
          opts.signal.addEventListener("abort", () => reject(new Error("update canceled"))),
        ),
    );
    const c1 = new AbortController();
    void clock.sleep(1000).then(() => c1.abort());
    const r1 = await clock.run(
      runStacks({
        operation: "up",
        graph,
        engine: engineWith(polite.factory, {
          clock,
          cancelGraceMs: 5000,
          backendUrl: "s3://state",
        }),
        layers: ["network"],
        signal: c1.signal,
        clock,
      }),
    );
    expect(r1.stacks[0].status).toBe("cancelled");
    await clock.run(clock.sleep(10_000));
    expect(polite.opened[0].cancelled).toBe(0);
    // Ignores the signal: forced cancel after the grace period.
    const stubborn = fakeFactory(() =>
      clock.sleep(60_000).then(() => Promise.reject(new Error("update canceled"))),
    );
    const c2 = new AbortController();
    void clock.sleep(1000).then(() => c2.abort());
    const r2 = await clock.run(
      runStacks({
        operation: "up",
        graph,
        engine: engineWith(stubborn.factory, {
          clock,
          cancelGraceMs: 5000,
          backendUrl: "s3://state",
        }),
        layers: ["network"],
        signal: c2.signal,
        clock,
      }),
    );
    expect(r2.stacks[0].status).toBe("cancelled");
    expect(stubborn.opened[0].cancelled).toBe(1);
  });

  it("destroys everything but protected resources and says which stayed", async () => {
    const { factory, opened } = fakeFactory(async () => summary({ delete: 12 }));
    const node: StackNode = {
      id: "dev-aws-storage",
      baseStack: "dev-aws",
      layer: "storage",
      deps: [],
    };
    const r = await engineWith(factory).run({
      node,
      operation: "destroy",
      attempt: 1,
      upstreamOutputs: {},
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    expect(opened[0].log[1].arg).toMatchObject({ excludeProtected: true });
    expect(r.changes.delete).toBe(12);
    expect(r.notes).toEqual([
      expect.stringContaining(
        "kept 1 protected resource(s): aws:s3/bucketV2:BucketV2 officeless-dev-objects",
      ),
    ]);
  });

  it("retries a concurrent-update conflict and fails other errors at once", async () => {
    let calls = 0;
    const { factory } = fakeFactory(async () => {
      calls++;
      if (calls === 1)
        throw Object.assign(
          new Error(
            "code: -2\n stderr: error: [409] Conflict: Another update is currently in progress.",
          ),
          { name: "ConcurrentUpdateError" },
        );
      return summary({});
    });
    const r = await runStacks({
      operation: "up",
      graph,
      engine: engineWith(factory),
      layers: ["network"],
      retry: { baseDelayMs: 1, random: () => 0 },
    });
    expect(r.stacks[0]).toMatchObject({ status: "succeeded", attempts: 2 });
    calls = 0;
    const denied = fakeFactory(async () => {
      calls++;
      throw new Error("error: creating EC2 VPC: UnauthorizedOperation: You are not authorized");
    });
    const r2 = await runStacks({
      operation: "up",
      graph,
      engine: engineWith(denied.factory),
      layers: ["network"],
      retry: { baseDelayMs: 1, random: () => 0 },
    });
    expect(r2.stacks[0]).toMatchObject({ status: "failed", attempts: 1 });
    expect(calls).toBe(1);
  });

  it("reads upstream state: a missing stack is no state, secret outputs are masked", async () => {
    const { factory } = fakeFactory(async () => summary({}));
    expect(await engineWith(factory).stackOutputs(nodes[0])).toBeUndefined();
    const withState: WorkspaceFactory = {
      ...factory,
      selectStack: async () =>
        ({
          outputs: async () => ({
            vpcId: { value: "vpc-1", secret: false },
            key: { value: "k", secret: true },
          }),
        }) as unknown as AutomationStack,
    };
    expect(await engineWith(withState).stackOutputs(nodes[0])).toEqual({
      vpcId: "vpc-1",
      key: "[secret]",
    });
  });

  it("pre-destroy of addons drains the cluster with the kubernetes stack's revealed kubeconfig", async () => {
    const { factory } = fakeFactory(async () => summary({}));
    const calls: string[][] = [];
    const withState: WorkspaceFactory = {
      ...factory,
      selectStack: async (args) =>
        ({
          outputs: async () =>
            args.stackName === "dev-aws-kubernetes"
              ? { kubeconfig: { value: "KUBECONFIG", secret: true } }
              : {},
        }) as unknown as AutomationStack,
    };
    const engine = engineWith(withState, {
      hasCommand: () => true,
      exec: async (command: string, args: readonly string[]) => {
        const kc = args[0].slice("--kubeconfig=".length);
        calls.push([command, fs.readFileSync(kc, "utf8"), ...args.slice(1)]);
        return { code: 0, stdout: JSON.stringify({ items: [] }), stderr: "" };
      },
    });
    const node: StackNode = {
      id: "dev-aws-addons",
      baseStack: "dev-aws",
      layer: "addons",
      deps: [],
      cloud: "aws",
    };
    const notes = await engine.preDestroy({
      node,
      operation: "destroy",
      attempt: 1,
      upstreamOutputs: {},
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    expect(calls).toEqual([
      ["kubectl", "KUBECONFIG", "get", "services", "--all-namespaces", "-o", "json"],
      ["kubectl", "KUBECONFIG", "get", "ingresses", "--all-namespaces", "-o", "json"],
    ]);
    expect(notes).toEqual(["no LoadBalancer Services or Ingresses in the cluster"]);
  });

  it("fails fast with a clear message when pulumi is not on PATH or the passphrase is missing", async () => {
    const noPulumi = new AutomationEngine({
      projectDir: PROJECT,
      env: { PATH: "/nonexistent", PULUMI_CONFIG_PASSPHRASE: "x" },
    });
    await expect(noPulumi.prepare()).rejects.toMatchObject({
      code: "pulumiMissing",
      message: expect.stringContaining("`pulumi` CLI is not on PATH"),
    });
    const { factory } = fakeFactory(async () => summary({}));
    await expect(engineWith(factory, { env: {} }).prepare()).rejects.toThrow(
      "PULUMI_CONFIG_PASSPHRASE",
    );
  });
});

const hasPulumi = onPath("pulumi");
(hasPulumi ? describe : describe.skip)(
  "automation engine with the real pulumi CLI (runs only when pulumi is on PATH)",
  () => {
    it("creates the layer stack in a file backend with the layer config and the base stack's secrets readable", async () => {
      const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-real-"));
      const env = {
        PULUMI_CONFIG_PASSPHRASE: "test-passphrase",
        PULUMI_BACKEND_URL: `file://${dir}/state`,
      };
      fs.mkdirSync(path.join(dir, "state"));
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: officeless\nruntime: nodejs\n");
      const previous = process.env.PULUMI_CONFIG_PASSPHRASE;
      process.env.PULUMI_CONFIG_PASSPHRASE = env.PULUMI_CONFIG_PASSPHRASE;
      const base = await LocalWorkspace.createOrSelectStack(
        { stackName: "dev-aws", workDir: dir },
        { envVars: env, secretsProvider: "passphrase" },
      );
      await base.setAllConfig({
        "officeless:cloud": { value: "aws" },
        "officeless:token": { value: "s3cret", secret: true },
      });
      const engine = new AutomationEngine({
        projectDir: dir,
        backendUrl: env.PULUMI_BACKEND_URL,
        env: { ...process.env, ...env },
      });
      await engine.prepare();
      const stack = await engine.open({
        id: "dev-aws-network",
        baseStack: "dev-aws",
        layer: "network",
        deps: [],
      });
      const config = await (
        stack as unknown as {
          getAllConfig(): Promise<Record<string, { value: string; secret: boolean }>>;
        }
      ).getAllConfig();
      expect(config["officeless:layer"].value).toBe("network");
      expect(JSON.parse(config["officeless:stackReference"].value)).toEqual({
        baseStack: "dev-aws",
      });
      expect(config["officeless:token"]).toEqual({ value: "s3cret", secret: true });
      if (previous === undefined) delete process.env.PULUMI_CONFIG_PASSPHRASE;
      else process.env.PULUMI_CONFIG_PASSPHRASE = previous;
      fs.rmSync(dir, { recursive: true, force: true });
    }, 120_000);
  },
);
