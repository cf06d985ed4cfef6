/**
 * The Automation API engine with a fake LocalWorkspace factory: one workspace per stack, the
 * options, config and AbortSignal it passes, cancellation, destroy of protected resources,
 * upstream state. A last block drives the real `pulumi` CLI and runs only when it is on PATH.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { LocalWorkspaceOptions } from "@pulumi/pulumi/automation";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { flushMicrotasks, VirtualClock } from "../automation/runner/clock";
import {
  AutomationEngine,
  AutomationStack,
  WorkspaceFactory,
} from "../automation/runner/engines/automation";
import { graphFromNodes } from "../automation/runner/graph";
import { Mutex } from "../automation/runner/lock";
import { onPath } from "../automation/runner/preDestroy";
import { interruptOf } from "../automation/runner/cli";
import { runStacks } from "../automation/runner/runner";
import { StackFile } from "../automation/runner/stacks";
import { EngineTask, NotStartedError, StackNode } from "../automation/runner/types";

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
  /** Stacks that exist in the backend for selectStack. */
  existing: readonly string[] = [],
) {
  const opened: FakeStack[] = [];
  const selected: FakeStack[] = [];
  const factory: WorkspaceFactory = {
    async createOrSelectStack(args, opts) {
      expect(args.workDir).toBe(PROJECT);
      const stack = new FakeStack(args.stackName, opts, behave);
      opened.push(stack);
      return stack;
    },
    async selectStack(args, opts) {
      if (!existing.includes(args.stackName)) {
        const e = new Error(`no stack named '${args.stackName}' found`);
        e.name = "StackNotFoundError";
        throw e;
      }
      const stack = new FakeStack(args.stackName, opts, behave);
      selected.push(stack);
      return stack;
    },
  };
  return { factory, opened, selected };
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
      // The whole config is in the workspace's stack settings (written before the stack is
      // selected); nothing is upserted key by key.
      expect(s.options.stackSettings?.[s.name]?.config?.["officeless:layer"]).toBe(
        s.name.replace("dev-aws-", ""),
      );
      expect(s.log.map((l) => l.method)).toEqual(["up"]);
    }
    expect(result.stacks.find((s) => s.stack === "dev-aws-network")).toMatchObject({
      changes: { create: 3, same: 1, update: 0 },
      outputs: { vpcId: "vpc-1", kubeconfig: "[secret]" },
    });
  });

  it("writes the layer stack's whole config, structured, with the base stack's key and its ciphertext as is", async () => {
    const { factory, opened } = fakeFactory(async () => summary({}));
    await runStacks({
      operation: "preview",
      graph,
      engine: engineWith(factory),
      layers: ["network"],
    });
    const [stack] = opened;
    expect(stack.options.secretsProvider).toBe("passphrase");
    expect(stack.options.stackSettings).toEqual({
      "dev-aws-network": {
        encryptionSalt: BASE.encryptionSalt,
        config: {
          "aws:region": "eu-west-1",
          "officeless:cloud": "aws",
          // Maps stay maps (not JSON text), secrets keep their ciphertext: same salt, same key.
          "officeless:network": { cidr: "10.10.0.0/16" },
          "officeless:vpn": BASE.config["officeless:vpn"],
          "officeless:grafanaPassword": { secure: "v1:ghi:jkl" },
          "officeless:layer": "network",
          "officeless:stackReference": { organization: "acme", baseStack: "dev-aws" },
        },
      },
    });
    // Nothing decrypted, nothing set key by key.
    expect(stack.log.map((l) => l.method)).toEqual(["preview"]);
  });

  it("rewrites the whole layer config each run: a key removed from the base stack disappears", async () => {
    let base: StackFile = BASE;
    const { factory, opened } = fakeFactory(async () => summary({}));
    const engine = engineWith(factory, {
      readStackFile: (f: string) => (f === BASE.file ? base : undefined),
    });
    await runStacks({ operation: "preview", graph, engine, layers: ["network"] });
    const { "officeless:grafanaPassword": _gone, ...rest } = BASE.config;
    void _gone;
    base = { ...BASE, config: { ...rest, "officeless:network": { cidr: "10.30.0.0/16" } } };
    await runStacks({ operation: "preview", graph, engine, layers: ["network"] });
    const [first, second] = opened.map((s) => s.options.stackSettings!["dev-aws-network"].config!);
    expect(first["officeless:grafanaPassword"]).toEqual({ secure: "v1:ghi:jkl" });
    expect(second["officeless:grafanaPassword"]).toBeUndefined();
    expect(second["officeless:network"]).toEqual({ cidr: "10.30.0.0/16" });
    expect(Object.keys(second).sort()).toEqual([...Object.keys(rest), "officeless:layer"].sort());
  });

  describe("secrets providers: the layer stack takes its base stack's", () => {
    const secretConfig = {
      "officeless:cloud": "aws",
      "officeless:vpn": {
        enabled: true,
        peers: [{ name: "office", preSharedKey: { secure: "v1:abc:def" } }],
      },
      "officeless:grafanaPassword": { secure: "v1:ghi:jkl" },
    };
    // `pulumi config cp` as the engine runs it: calls recorded; the base stack exists or not.
    const configCp = (baseExists = true) => {
      const calls: { args: readonly string[]; cwd: string; env: NodeJS.ProcessEnv }[] = [];
      const runPulumi = async (
        args: readonly string[],
        o: { cwd: string; env: NodeJS.ProcessEnv },
      ) => {
        calls.push({ args, ...o });
        return baseExists
          ? { code: 0, stdout: "", stderr: "" }
          : { code: 255, stdout: "", stderr: "error: no stack named 'dev-aws' found\n" };
      };
      return { calls, runPulumi };
    };
    const cp = (key: string) =>
      ["config", "cp", key, "--stack", "dev-aws", "--dest", "dev-aws-network"].concat(
        "--non-interactive",
      );
    const networkOnly = (engine: AutomationEngine) =>
      runStacks({ operation: "preview", graph, engine, layers: ["network"] });
    const withFiles = (base: Partial<StackFile>, layer?: Partial<StackFile>) => (f: string) =>
      f === BASE.file
        ? { file: BASE.file, config: secretConfig, ...base }
        : layer && f.endsWith("Pulumi.dev-aws-network.yaml")
          ? { file: f, config: {}, ...layer }
          : undefined;

    it.each([
      ["awskms", "awskms://alias/pulumi-state?region=eu-west-1"],
      ["gcpkms", "gcpkms://projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k"],
      ["azurekeyvault", "azurekeyvault://acme-vault.vault.azure.net/keys/pulumi"],
      ["hashivault", "hashivault://pulumi"],
    ])(
      "%s: the same provider URL and encrypted data key, ciphertext copied",
      async (_kind, url) => {
        const { factory, opened } = fakeFactory(async () => summary({}));
        const engine = engineWith(factory, {
          readStackFile: withFiles({ secretsProvider: url, encryptedKey: "ZGF0YWtleQ==" }),
          env: {},
        });
        // No passphrase needed for a key service.
        await expect(engine.prepare("preview", nodes)).resolves.toBeUndefined();
        expect((await networkOnly(engine)).exitCode).toBe(0);
        const [stack] = opened;
        expect(stack.options.secretsProvider).toBe(url);
        const settings = stack.options.stackSettings!["dev-aws-network"];
        expect(settings).toMatchObject({ secretsProvider: url, encryptedKey: "ZGF0YWtleQ==" });
        expect(settings.encryptionSalt).toBeUndefined();
        expect(settings.config!["officeless:grafanaPassword"]).toEqual({ secure: "v1:ghi:jkl" });
        expect(stack.log.map((l) => l.method)).toEqual(["preview"]);
      },
    );

    it("passphrase: the base stack's salt (a layer stack with the same salt is fine)", async () => {
      const { factory, opened } = fakeFactory(async () => summary({}));
      const salt = "v1:c2FsdA==:v1:bm9uY2U=:Y2lwaGVy";
      const engine = engineWith(factory, {
        readStackFile: withFiles({ encryptionSalt: salt }, { encryptionSalt: salt }),
      });
      await networkOnly(engine);
      expect(opened[0].options.stackSettings!["dev-aws-network"]).toMatchObject({
        encryptionSalt: salt,
        config: { "officeless:grafanaPassword": { secure: "v1:ghi:jkl" } },
      });
      await expect(
        engineWith(factory, {
          readStackFile: withFiles({ encryptionSalt: salt }),
          env: {},
        }).prepare("preview", nodes),
      ).rejects.toThrow("PULUMI_CONFIG_PASSPHRASE");
    });

    it("Pulumi Cloud (no key in the file): plain keys written, keys holding secrets copied with pulumi config cp", async () => {
      const { factory, opened } = fakeFactory(async () => summary({}));
      const { calls, runPulumi } = configCp();
      const engine = engineWith(factory, {
        readStackFile: withFiles({}),
        backendUrl: "https://api.pulumi.com",
        env: { PATH: "/bin" },
        runPulumi,
      });
      await expect(engine.prepare("preview", nodes)).resolves.toBeUndefined();
      expect((await networkOnly(engine)).exitCode).toBe(0);
      const [stack] = opened;
      expect(stack.options.secretsProvider).toBeUndefined();
      const settings = stack.options.stackSettings!["dev-aws-network"];
      expect(
        settings.encryptionSalt ?? settings.encryptedKey ?? settings.secretsProvider,
      ).toBeUndefined();
      // No ciphertext of another stack's key in the file, and no plaintext either.
      expect(Object.keys(settings.config!).sort()).toEqual([
        "officeless:cloud",
        "officeless:layer",
        "officeless:stackReference",
      ]);
      // The CLI decrypts with the base stack's key and encrypts with the layer's, after the
      // layer stack exists, in the project folder and against the run's backend.
      expect(calls.map((c) => c.args)).toEqual([
        cp("officeless:vpn"),
        cp("officeless:grafanaPassword"),
      ]);
      expect(calls[0]).toMatchObject({
        cwd: PROJECT,
        env: { PATH: "/bin", PULUMI_BACKEND_URL: "https://api.pulumi.com" },
      });
      expect(stack.log.map((l) => l.method)).toEqual(["preview"]);
    });

    it("a layer stack with its own key keeps it; the base stack's secrets are re-encrypted into it", async () => {
      const { factory, opened } = fakeFactory(async () => summary({}));
      const { calls, runPulumi } = configCp();
      const own = "v1:b3duc2FsdA==:v1:x:y";
      const engine = engineWith(factory, {
        readStackFile: withFiles({ encryptionSalt: "v1:YmFzZQ==:v1:a:b" }, { encryptionSalt: own }),
        runPulumi,
      });
      expect((await networkOnly(engine)).exitCode).toBe(0);
      const [stack] = opened;
      expect(stack.options.stackSettings!["dev-aws-network"].encryptionSalt).toBe(own);
      expect(calls.map((c) => c.args)).toEqual([
        cp("officeless:vpn"),
        cp("officeless:grafanaPassword"),
      ]);
    });

    it("keys are compared only when there are secrets to copy", async () => {
      const { factory, opened } = fakeFactory(async () => summary({}));
      const own = "v1:b3duc2FsdA==:v1:x:y";
      const engine = engineWith(factory, {
        readStackFile: (f: string) =>
          f === BASE.file
            ? {
                file: f,
                config: { "officeless:cloud": "aws" },
                encryptionSalt: "v1:YmFzZQ==:v1:a:b",
              }
            : f.endsWith("Pulumi.dev-aws-network.yaml")
              ? { file: f, config: {}, encryptionSalt: own }
              : undefined,
      });
      expect((await networkOnly(engine)).exitCode).toBe(0);
      expect(opened[0].options.stackSettings!["dev-aws-network"].encryptionSalt).toBe(own);
      expect(opened[0].log.map((l) => l.method)).toEqual(["preview"]);
    });

    it("says what to do when secrets must be re-encrypted but the base stack is not in the backend", async () => {
      const { factory } = fakeFactory(async () => summary({}));
      const engine = engineWith(factory, {
        readStackFile: withFiles({}),
        backendUrl: "https://api.pulumi.com",
        runPulumi: configCp(false).runPulumi,
      });
      const r = await networkOnly(engine);
      expect(r.stacks[0].status).toBe("failed");
      expect(r.stacks[0].error).toContain(
        "needs the stack dev-aws in the backend https://api.pulumi.com, where its secrets were set (pulumi stack init dev-aws)",
      );
    });

    it("refuses a --secrets-provider that conflicts with the base stack's, before anything runs", async () => {
      const { factory, opened } = fakeFactory(async () => summary({}));
      for (const base of [
        { encryptionSalt: "v1:YmFzZQ==:v1:a:b" },
        { secretsProvider: "awskms://alias/a", encryptedKey: "k" },
        {},
      ]) {
        const engine = engineWith(factory, {
          readStackFile: withFiles(base),
          secretsProvider: "gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k",
        });
        await expect(networkOnly(engine)).rejects.toThrow(
          /--secrets-provider gcpkms:\/\/\S+ conflicts with dev-aws's own secrets provider .*pulumi stack change-secrets-provider --stack dev-aws/,
        );
      }
      expect(opened).toEqual([]);
      // The same provider as the base stack's is fine.
      const same = engineWith(factory, {
        readStackFile: withFiles({ secretsProvider: "awskms://alias/a", encryptedKey: "k" }),
        secretsProvider: "awskms://alias/a",
      });
      expect((await networkOnly(same)).exitCode).toBe(0);
    });

    it("a layer stack that keeps its passphrase salt after its base moved to KMS needs the passphrase", async () => {
      const { factory } = fakeFactory(async () => summary({}));
      const kms = { secretsProvider: "awskms://alias/pulumi", encryptedKey: "ZGF0YWtleQ==" };
      const salted = engineWith(factory, {
        readStackFile: withFiles(kms, { encryptionSalt: "v1:c2FsdA==:v1:bm9uY2U=:Y2lwaGVy" }),
        env: {},
      });
      await expect(salted.prepare("up", [nodes[0]])).rejects.toMatchObject({
        code: "passphraseMissing",
        message: expect.stringContaining("layer stack(s) dev-aws-network still use it"),
      });
      // A layer on the base's key needs none.
      const shared = engineWith(factory, { readStackFile: withFiles(kms, kms), env: {} });
      await expect(shared.prepare("up", [nodes[0]])).resolves.toBeUndefined();
    });

    it("applies --secrets-provider to new layer stacks of a base stack that names none and holds no secret", async () => {
      const { factory, opened } = fakeFactory(async () => summary({}));
      const engine = engineWith(factory, {
        readStackFile: (f: string) =>
          f === BASE.file ? { file: f, config: { "officeless:cloud": "aws" } } : undefined,
        secretsProvider: "awskms://alias/state",
        env: {},
      });
      await expect(engine.prepare("preview", nodes)).resolves.toBeUndefined();
      await networkOnly(engine);
      expect(opened[0].options.secretsProvider).toBe("awskms://alias/state");
    });
  });

  it("with stackConfigDir the layer file is written where the CLI reads it, not where the SDK would", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-configdir-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: officeless\nstackConfigDir: stacks\n");
      fs.mkdirSync(path.join(dir, "stacks"));
      const { file: _f, encryptionSalt, config } = BASE;
      void _f;
      fs.writeFileSync(
        path.join(dir, "stacks", "Pulumi.dev-aws.yaml"),
        stringifyYaml({
          encryptionsalt: encryptionSalt,
          config: { ...config, "officeless:zones": ["eu-west-1a", "eu-west-1b"] },
        }),
      );
      const opened: LocalWorkspaceOptions[] = [];
      const factory: WorkspaceFactory = {
        async createOrSelectStack(args, o) {
          opened.push(o);
          return new FakeStack(args.stackName, o, async () => summary({}));
        },
        selectStack: async () => {
          throw new Error("unused");
        },
      };
      const engine = new AutomationEngine({
        projectDir: dir,
        factory,
        env: { PULUMI_CONFIG_PASSPHRASE: "x" },
      });
      const r = await runStacks({ operation: "preview", graph, engine, layers: ["network"] });
      expect(r.exitCode).toBe(0);
      // Nothing for the SDK to write to the project folder, which the CLI would not read.
      expect(opened[0].stackSettings).toBeUndefined();
      expect(fs.existsSync(path.join(dir, "Pulumi.dev-aws-network.yaml"))).toBe(false);
      const written = parseYaml(
        fs.readFileSync(path.join(dir, "stacks", "Pulumi.dev-aws-network.yaml"), "utf8"),
      );
      expect(written).toEqual({
        encryptionsalt: encryptionSalt,
        config: {
          ...config,
          "officeless:zones": ["eu-west-1a", "eu-west-1b"],
          "officeless:layer": "network",
          "officeless:stackReference": { organization: "acme", baseStack: "dev-aws" },
        },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("opens one stack at a time (the CLI's one workspace.json per project), while operations run in parallel", async () => {
    const clock = new VirtualClock();
    let opening = 0;
    let maxOpening = 0;
    let operating = 0;
    let maxOperating = 0;
    const f = fakeFactory(async () => {
      maxOperating = Math.max(maxOperating, ++operating);
      await clock.sleep(10_000);
      operating--;
      return summary({});
    });
    const recorded: WorkspaceFactory = {
      ...f.factory,
      createOrSelectStack: async (args, o) => {
        maxOpening = Math.max(maxOpening, ++opening);
        await clock.sleep(1000); // stack select / init
        opening--;
        return f.factory.createOrSelectStack(args, o);
      },
    };
    // Two base stacks: both networks are ready at once, then both pairs of vpn/kubernetes.
    const two = graphFromNodes([
      ...nodes,
      ...nodes.map((n) => ({
        ...n,
        id: n.id.replace("dev-aws", "stg-aws"),
        baseStack: "stg-aws",
        deps: n.deps.map((d) => d.replace("dev-aws", "stg-aws")),
      })),
    ]);
    const engine = engineWith(recorded, {
      clock,
      readStackFile: (file: string) =>
        file === BASE.file || file.endsWith("Pulumi.stg-aws.yaml") ? { ...BASE, file } : undefined,
    });
    const r = await clock.run(
      runStacks({ operation: "up", graph: two, engine, parallel: 4, clock }),
    );
    expect(r.exitCode).toBe(0);
    expect(f.opened).toHaveLength(6);
    expect(maxOpening).toBe(1);
    expect(maxOperating).toBeGreaterThanOrEqual(2);
  });

  it("the opening lock: a waiter whose signal aborts leaves the queue; the order of the rest holds", async () => {
    const lock = new Mutex();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = lock.run(
      () => new Promise<void>((resolve) => (releaseFirst = () => (order.push("a"), resolve()))),
    );
    const ctl = new AbortController();
    const second = lock.run(async () => void order.push("b"), ctl.signal);
    const third = lock.run(async () => void order.push("c"));
    await flushMicrotasks();
    ctl.abort(new Error("SIGTERM"));
    await expect(second).rejects.toBeInstanceOf(NotStartedError);
    expect(order).toEqual([]); // c still waits for a
    releaseFirst();
    await Promise.all([first, third]);
    expect(order).toEqual(["a", "c"]);
  });

  it("passes an AbortSignal that follows the task's, resource parallelism, refresh, policy packs and targets", async () => {
    const { factory, opened } = fakeFactory(async () => summary({ update: 1 }));
    const engine = engineWith(factory, {
      resourceParallel: 16,
      refresh: true,
      policyPacks: ["./policy"],
      target: ["urn:a"],
      exclude: ["urn:b"],
      backendUrl: "s3://state-bucket",
    });
    const task = (node: StackNode, operation: Op): EngineTask => {
      const c = new AbortController();
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
    const [up, refresh] = opened.map((s) => s.log[0].arg as Record<string, unknown>);
    expect(up).toMatchObject({
      parallel: 16,
      refresh: true,
      policyPacks: ["./policy"],
      target: ["urn:a"],
      exclude: ["urn:b"],
      color: "never",
    });
    expect(typeof up.onEvent).toBe("function");
    // The SDK gets its own signal, which follows the task's (see the signal tests below).
    expect(up.signal).toBeInstanceOf(AbortSignal);
    expect(refresh.signal).toBeInstanceOf(AbortSignal);
    expect(refresh.policyPacks).toBeUndefined();
    expect(opened[0].options).toMatchObject({
      secretsProvider: "passphrase",
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

  describe("Ctrl-C and other signals", () => {
    // A pulumi that stops gracefully once it gets SIGINT: from the terminal (`terminal`) or from
    // the SDK when its signal aborts (counted in `forwarded`).
    function pulumiLike(clock: VirtualClock, terminal: AbortSignal) {
      let forwarded = 0;
      const f = fakeFactory(
        (_s, _op, opts) =>
          new Promise((_, reject) => {
            const stop = () => {
              // The graceful stop takes a while: pending operations finish, the lock is released.
              void clock.sleep(20_000).then(() => reject(new Error("update canceled")));
            };
            opts.signal.addEventListener("abort", () => {
              forwarded++;
              stop();
            });
            terminal.addEventListener("abort", stop);
          }),
      );
      return { ...f, forwarded: () => forwarded };
    }

    it("on a terminal Ctrl-C sends pulumi nothing more, lets it finish its graceful stop and starts nothing new", async () => {
      const clock = new VirtualClock();
      const terminal = new AbortController();
      const run = new AbortController();
      const p = pulumiLike(clock, terminal.signal);
      void clock.sleep(1000).then(() => {
        // The terminal sends SIGINT to the whole process group: pulumi and the runner.
        terminal.abort();
        run.abort(interruptOf("SIGINT", true));
      });
      const r = await clock.run(
        runStacks({
          operation: "up",
          graph,
          engine: engineWith(p.factory, { clock, backendUrl: "s3://state" }),
          signal: run.signal,
          clock,
        }),
      );
      expect(p.forwarded()).toBe(0);
      expect(p.opened.map((s) => s.name)).toEqual(["dev-aws-network"]);
      expect(p.opened[0].cancelled).toBe(0);
      const network = r.stacks.find((s) => s.stack === "dev-aws-network")!;
      expect(network).toMatchObject({ status: "cancelled", error: "update canceled" });
      // It ran until pulumi had stopped by itself, not until the runner gave up on it.
      expect(network.durationMs).toBe(21_000);
      expect(r.stacks.filter((s) => s.reason === "not started: run cancelled")).toHaveLength(2);
    });

    it("forwards one SIGINT where pulumi did not get the signal (SIGTERM from a supervisor), and never cancels the stack", async () => {
      const clock = new VirtualClock();
      const run = new AbortController();
      const p = pulumiLike(clock, new AbortController().signal);
      void clock.sleep(1000).then(() => run.abort(interruptOf("SIGTERM", true)));
      const r = await clock.run(
        runStacks({
          operation: "up",
          graph,
          engine: engineWith(p.factory, { clock, backendUrl: "s3://state" }),
          layers: ["network"],
          signal: run.signal,
          clock,
        }),
      );
      await clock.run(clock.sleep(600_000));
      expect(p.forwarded()).toBe(1);
      expect(r.stacks[0].status).toBe("cancelled");
      expect(p.opened[0].cancelled).toBe(0);
      // A SIGINT that did not come from a terminal is forwarded too.
      expect(interruptOf("SIGINT", false).childrenSignalled).toBe(false);
    });

    // The stack is still being opened (stack select/init, config cp) when a signal arrives that
    // reached only the runner (SIGTERM): the opening step finishes, the operation must not start.
    const slowOpen = (clock: VirtualClock, f: ReturnType<typeof fakeFactory>, ms: number) => ({
      ...f.factory,
      createOrSelectStack: async (args: { stackName: string; workDir: string }, o: any) => {
        await clock.sleep(ms);
        return f.factory.createOrSelectStack(args, o);
      },
    });
    it.each(["up", "destroy"] as const)(
      "%s: a signal while the stack is opening starts no operation; it is reported as never started",
      async (operation) => {
        const clock = new VirtualClock();
        const run = new AbortController();
        const f = fakeFactory(async () => summary({}));
        void clock.sleep(1000).then(() => run.abort(interruptOf("SIGTERM", true)));
        const r = await clock.run(
          runStacks({
            operation,
            graph,
            engine: engineWith(slowOpen(clock, f, 5000), { clock, backendUrl: "s3://state" }),
            // A leaf: destroying it alone needs no dependent destroyed first.
            layers: ["vpn"],
            skipPreDestroy: true,
            signal: run.signal,
            clock,
          }),
        );
        // One stack opened (its select ran to the end), but neither up nor destroy was called.
        expect(f.opened).toHaveLength(1);
        expect(f.opened[0].log).toEqual([]);
        expect(r.status).toBe("cancelled");
        // Reported exactly like the stack the cancel kept from starting at all.
        for (const s of r.stacks) {
          expect(s).toMatchObject({
            status: "cancelled",
            attempts: 0,
            reason: "not started: run cancelled",
          });
          expect(s.error).toBeUndefined();
        }
        // up of vpn runs network first; destroy of vpn touches vpn only.
        expect(r.stacks).toHaveLength(operation === "up" ? 2 : 1);
      },
    );

    it("a signal during pulumi config cp reaches it, and no further key is copied or operation started", async () => {
      const clock = new VirtualClock();
      const run = new AbortController();
      const f = fakeFactory(async () => summary({}));
      const seen: (AbortSignal | undefined)[] = [];
      const engine = engineWith(f.factory, {
        clock,
        backendUrl: "https://api.pulumi.com",
        readStackFile: (file: string) =>
          file === BASE.file ? { ...BASE, encryptionSalt: undefined } : undefined,
        runPulumi: async (_args: readonly string[], o: { signal?: AbortSignal }) => {
          seen.push(o.signal);
          // Like execFile with a signal: the child is killed and the call rejects.
          await clock.sleep(3000, o.signal);
          return { code: 0, stdout: "", stderr: "" };
        },
      });
      void clock.sleep(1000).then(() => run.abort(interruptOf("SIGTERM", true)));
      const r = await clock.run(
        runStacks({
          operation: "up",
          graph,
          engine,
          layers: ["network"],
          signal: run.signal,
          clock,
        }),
      );
      expect(seen).toHaveLength(1);
      expect(seen[0]?.aborted).toBe(true);
      expect(f.opened[0].log).toEqual([]);
      expect(r.stacks[0]).toMatchObject({
        status: "cancelled",
        reason: "not started: run cancelled",
      });
    });

    it("cancel() is an explicit command: it unlocks existing stacks and skips missing ones", async () => {
      const { factory, selected } = fakeFactory(async () => summary({}), ["dev-aws-network"]);
      const engine = engineWith(factory);
      expect(await engine.cancel(nodes[0])).toBe("cancelled (lock removed)");
      expect(selected[0].cancelled).toBe(1);
      expect(await engine.cancel(nodes[1])).toBe("no such stack");
    });
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
    expect(opened[0].log[0].arg).toMatchObject({ excludeProtected: true });
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

  it("retries by the error's own message: a log line with 429 in the output is not throttling", async () => {
    // An Automation API CommandError: its message is the whole command output, stdout included.
    const commandError = (stdout: string, stderr: string) =>
      Object.assign(new Error(`code: 255\n stdout: ${stdout}\n stderr: ${stderr}\n err?: \n`), {
        name: "CommandError",
        commandResult: { stdout, stderr, code: 255 },
      });
    let calls = 0;
    const logged = fakeFactory(async () => {
      calls++;
      throw commandError(
        "Updating (dev-aws-network)\n    aws:ec2:Vpc main  created  HTTP 429 seen by the health check, retried\n",
        "error: update failed\n",
      );
    });
    const r = await runStacks({
      operation: "up",
      graph,
      engine: engineWith(logged.factory),
      layers: ["network"],
      retry: { baseDelayMs: 1, random: () => 0 },
    });
    expect(r.stacks[0]).toMatchObject({
      status: "failed",
      attempts: 1,
      error: "error: update failed",
    });
    expect(calls).toBe(1);
    // The engine's error diagnostic says throttled: retried.
    calls = 0;
    const throttled = fakeFactory(async (_s, _op, opts) => {
      calls++;
      if (calls === 1) {
        opts.onEvent({ diagnosticEvent: { severity: "info", message: "creating VPC" } });
        opts.onEvent({
          diagnosticEvent: {
            severity: "error",
            message: "creating EC2 VPC: api error RequestLimitExceeded: Request limit exceeded.\n",
          },
        });
        throw commandError("...", "error: update failed\n");
      }
      return summary({});
    });
    const r2 = await runStacks({
      operation: "up",
      graph,
      engine: engineWith(throttled.factory),
      layers: ["network"],
      retry: { baseDelayMs: 1, random: () => 0 },
    });
    expect(r2.stacks[0]).toMatchObject({ status: "succeeded", attempts: 2 });
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
