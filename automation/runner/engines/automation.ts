/**
 * The real engine: the Pulumi Automation API, one LocalWorkspace per stack over the project folder
 * (never one workspace shared by concurrent stacks: pulumi/pulumi #8186).
 *
 * Config of a layer stack = its base stack file + `officeless:layer` + `officeless:stackReference`
 * with `baseStack`. Plain values go through one awaited `setAllConfig`. Encrypted (`secure:`)
 * values cannot be re-encrypted without their plaintext, so they are carried verbatim in the
 * layer's stack settings together with the base stack's secrets settings (same salt/key, so they
 * decrypt): the program sees them as secrets.
 */
import * as fs from "fs";
import * as path from "path";
import type {
  ConfigMap,
  DestroyOptions,
  LocalWorkspaceOptions,
  OpMap,
  OutputMap,
  PreviewOptions,
  RefreshOptions,
  UpOptions,
} from "@pulumi/pulumi/automation";
import { stackFilePath } from "../../../programs/config";
import { SECRET_PLACEHOLDER } from "../../offline/mocks";
import { Clock, systemClock } from "../clock";
import { CommandRunner, execCommand, onPath, runPreDestroy } from "../preDestroy";
import { containsSecure, defaultProjectDir, readRawStackFile, StackFile } from "../stacks";
import {
  ChangeCounts,
  Engine,
  EngineResult,
  EngineTask,
  noChanges,
  OPERATIONS,
  Operation,
  RunnerError,
  StackNode,
} from "../types";

/** The part of an Automation API `Stack` the engine uses (a fake implements it in tests). */
export interface AutomationStack {
  setAllConfig(config: ConfigMap, path?: boolean): Promise<void>;
  up(opts?: UpOptions): Promise<{ summary: { resourceChanges?: OpMap }; outputs: OutputMap }>;
  preview(opts?: PreviewOptions): Promise<{ changeSummary: OpMap }>;
  refresh(opts?: RefreshOptions): Promise<{ summary: { resourceChanges?: OpMap } }>;
  destroy(opts?: DestroyOptions): Promise<{ summary: { resourceChanges?: OpMap } }>;
  cancel(): Promise<void>;
  outputs(): Promise<OutputMap>;
  exportStack(): Promise<{
    deployment?: { resources?: { urn: string; type: string; protect?: boolean }[] };
  }>;
}

/** How stacks are opened: `LocalWorkspace` for real, a fake in tests. */
export interface WorkspaceFactory {
  createOrSelectStack(
    args: { stackName: string; workDir: string },
    opts: LocalWorkspaceOptions,
  ): Promise<AutomationStack>;
  selectStack(
    args: { stackName: string; workDir: string },
    opts: LocalWorkspaceOptions,
  ): Promise<AutomationStack>;
}

export const localWorkspaceFactory: WorkspaceFactory = {
  async createOrSelectStack(args, opts) {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    return (await LocalWorkspace.createOrSelectStack(args, opts)) as unknown as AutomationStack;
  },
  async selectStack(args, opts) {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    return (await LocalWorkspace.selectStack(args, opts)) as unknown as AutomationStack;
  },
};

export interface AutomationEngineOptions {
  /** Folder holding Pulumi.yaml and the base stack files. @default the repository root */
  readonly projectDir?: string;
  /** State backend. @default `file://<projectDir>/.officeless/state` (not the user's home) */
  readonly backendUrl?: string;
  /** Secrets provider for new stacks (`passphrase`, `awskms://...`). @default passphrase */
  readonly secretsProvider?: string;
  /** Resource operations Pulumi runs at once inside one stack (`pulumi -p`). @default Pulumi's */
  readonly resourceParallel?: number;
  /** Refresh state before up/preview/destroy. @default false */
  readonly refresh?: boolean;
  readonly policyPacks?: readonly string[];
  /** Only these resource URNs (and, with `targetDependents`, what depends on them). */
  readonly target?: readonly string[];
  /** Leave these resource URNs alone. */
  readonly exclude?: readonly string[];
  /** After an abort, how long to let pulumi stop gracefully before `stack.cancel()`. @default 30 s */
  readonly cancelGraceMs?: number;
  /** @default LocalWorkspace */
  readonly factory?: WorkspaceFactory;
  /** Fail in `prepare` when `pulumi` is not on PATH. @default true unless a factory is injected */
  readonly requirePulumi?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
  /** Runs kubectl/aws for the pre-destroy hooks. */
  readonly exec?: CommandRunner;
  readonly hasCommand?: (command: string) => boolean;
  /** Reads a stack file. @default readRawStackFile */
  readonly readStackFile?: (file: string) => StackFile | undefined;
}

/** Engine summary -> change counts (replacements counted apart). */
export function changesOf(map: OpMap | undefined): ChangeCounts {
  const m = map ?? {};
  return {
    ...noChanges(),
    create: m.create ?? 0,
    update: m.update ?? 0,
    delete: m.delete ?? 0,
    replace: m.replace ?? 0,
    same: m.same ?? 0,
  };
}

export class AutomationEngine implements Engine {
  readonly name = "automation";
  readonly operations = OPERATIONS;
  readonly projectDir: string;
  readonly backendUrl: string;
  readonly secretsProvider: string;
  private readonly factory: WorkspaceFactory;
  private readonly clock: Clock;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: AutomationEngineOptions = {}) {
    this.projectDir = path.resolve(options.projectDir ?? defaultProjectDir());
    this.backendUrl =
      options.backendUrl ?? `file://${path.join(this.projectDir, ".officeless", "state")}`;
    this.secretsProvider = options.secretsProvider ?? "passphrase";
    this.factory = options.factory ?? localWorkspaceFactory;
    this.clock = options.clock ?? systemClock;
    this.env = options.env ?? process.env;
  }

  async prepare(): Promise<void> {
    if (this.options.requirePulumi ?? !this.options.factory) {
      if (!onPath("pulumi", this.env)) {
        throw new RunnerError(
          "the `pulumi` CLI is not on PATH; the automation engine drives it. Install it (https://www.pulumi.com/docs/iac/download-install/), " +
            "or use `officeless plan` / `--engine offline` for an offline preview that needs no CLI or credentials",
          "pulumiMissing",
        );
      }
    }
    if (
      this.secretsProvider === "passphrase" &&
      this.env.PULUMI_CONFIG_PASSPHRASE === undefined &&
      !this.env.PULUMI_CONFIG_PASSPHRASE_FILE
    ) {
      throw new RunnerError(
        "the passphrase secrets provider needs PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE in the environment",
        "passphraseMissing",
      );
    }
    if (this.backendUrl.startsWith("file://")) {
      // `pulumi login file://...` wants the folder to exist.
      await fs.promises.mkdir(
        this.backendUrl.slice("file://".length).replace(/^~(?=\/)/, this.env.HOME ?? "~"),
        { recursive: true },
      );
    }
  }

  private baseFile(base: string): StackFile {
    const file = stackFilePath(this.projectDir, base);
    const read = this.options.readStackFile ?? readRawStackFile;
    const found = read(file);
    if (!found) throw new RunnerError(`base stack file ${file} not found`, "stackFile");
    return found;
  }

  /** The plain config (for setAllConfig) and the encrypted entries (for the stack settings) of a layer stack. */
  configFor(node: StackNode): {
    plain: ConfigMap;
    secure: Record<string, unknown>;
    base: StackFile;
  } {
    const base = this.baseFile(node.baseStack);
    const plain: ConfigMap = {};
    const secure: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(base.config)) {
      if (key === "officeless:layer" || key === "officeless:stackReference") continue;
      if (containsSecure(value)) secure[key] = value;
      else
        plain[key] = {
          value: typeof value === "string" ? value : JSON.stringify(value),
          secret: false,
        };
    }
    const ref = base.config["officeless:stackReference"];
    const stackReference = {
      ...(ref && typeof ref === "object" ? (ref as Record<string, unknown>) : {}),
      baseStack: node.baseStack,
    };
    plain["officeless:layer"] = { value: node.layer, secret: false };
    plain["officeless:stackReference"] = { value: JSON.stringify(stackReference), secret: false };
    return { plain, secure, base };
  }

  /** Workspace options for one stack: its own workspace, the backend, and (if needed) copied secrets settings. */
  workspaceOptions(
    node: StackNode,
    secure?: Record<string, unknown>,
    base?: StackFile,
  ): LocalWorkspaceOptions {
    const opts: LocalWorkspaceOptions = {
      workDir: this.projectDir,
      secretsProvider: this.secretsProvider,
      envVars: { PULUMI_BACKEND_URL: this.backendUrl, PULUMI_SKIP_UPDATE_CHECK: "true" },
    };
    if (
      base &&
      secure &&
      (Object.keys(secure).length > 0 || base.encryptionSalt || base.encryptedKey)
    ) {
      const existing = (this.options.readStackFile ?? readRawStackFile)(
        stackFilePath(this.projectDir, node.id),
      );
      const key = (f?: StackFile) => f?.encryptionSalt ?? f?.encryptedKey;
      if (existing && key(existing) && key(existing) !== key(base)) {
        throw new Error(
          `${node.id} has its own secrets key, not ${node.baseStack}'s, so ${node.baseStack}'s encrypted config cannot be copied into it; ` +
            `align them (pulumi stack change-secrets-provider) or remove the secrets from ${node.baseStack}'s file`,
        );
      }
      opts.stackSettings = {
        [node.id]: {
          secretsProvider: base.secretsProvider,
          encryptedKey: base.encryptedKey,
          encryptionSalt: base.encryptionSalt,
          config: secure,
        },
      };
    }
    return opts;
  }

  /** Opens the stack in its own workspace and sets its config, every call awaited. */
  async open(node: StackNode): Promise<AutomationStack> {
    const { plain, secure, base } = this.configFor(node);
    const stack = await this.factory.createOrSelectStack(
      { stackName: node.id, workDir: this.projectDir },
      this.workspaceOptions(node, secure, base),
    );
    await stack.setAllConfig(plain);
    return stack;
  }

  /** Outputs of a stack, secrets revealed or replaced by the placeholder; undefined without state. */
  private async readOutputs(
    stackName: string,
    reveal: boolean,
  ): Promise<Record<string, unknown> | undefined> {
    let stack: AutomationStack;
    try {
      stack = await this.factory.selectStack(
        { stackName, workDir: this.projectDir },
        {
          workDir: this.projectDir,
          envVars: { PULUMI_BACKEND_URL: this.backendUrl, PULUMI_SKIP_UPDATE_CHECK: "true" },
        },
      );
    } catch (err) {
      if (
        (err as Error).name === "StackNotFoundError" ||
        /no stack named|not found/i.test((err as Error).message)
      )
        return undefined;
      throw err;
    }
    const outputs = await stack.outputs();
    if (!Object.keys(outputs).length) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(outputs))
      out[k] = v.secret && !reveal ? SECRET_PLACEHOLDER : v.value;
    return out;
  }

  stackOutputs(node: StackNode): Promise<Record<string, unknown> | undefined> {
    return this.readOutputs(node.id, false);
  }

  async preDestroy(task: EngineTask): Promise<string[]> {
    const base = this.baseFile(task.node.baseStack);
    const baseConfig = Object.fromEntries(
      Object.entries(base.config).filter(([, v]) => !containsSecure(v)),
    );
    return runPreDestroy({
      node: task.node,
      baseConfig,
      outputsOf: (stack) => this.readOutputs(stack, true),
      exec: this.options.exec ?? execCommand,
      hasCommand: this.options.hasCommand ?? ((c) => onPath(c, this.env)),
      signal: task.signal,
      clock: this.clock,
    });
  }

  async run(task: EngineTask): Promise<EngineResult> {
    const stack = await this.open(task.node);
    let done = 0;
    let total = task.expectedResources ?? 0;
    let seen = 0;
    const onEvent = (e: {
      resourcePreEvent?: { metadata: { urn: string; op: string } };
      resOutputsEvent?: { metadata: { urn: string; op: string } };
      resOpFailedEvent?: { metadata: { urn: string; op: string } };
    }) => {
      const step = e.resourcePreEvent ?? e.resOutputsEvent ?? e.resOpFailedEvent;
      if (!step) return;
      if (e.resourcePreEvent) total = Math.max(total, ++seen);
      else done++;
      task.onProgress({
        done: Math.min(done, total),
        total,
        urn: step.metadata.urn,
        op: step.metadata.op,
      });
    };
    const settled = new AbortController();
    const onAbort = () => {
      // The signal already sent pulumi SIGINT (graceful stop, lock released); force only if it hangs.
      this.clock
        .sleep(this.options.cancelGraceMs ?? 30_000, settled.signal)
        .then(
          () => stack.cancel(),
          () => undefined,
        )
        .catch(() => undefined);
    };
    task.signal.addEventListener("abort", onAbort, { once: true });
    const common = {
      signal: task.signal,
      onEvent: onEvent as never,
      color: "never" as const,
      ...(this.options.resourceParallel ? { parallel: this.options.resourceParallel } : {}),
      ...(this.options.target?.length ? { target: [...this.options.target] } : {}),
      ...(this.options.exclude?.length ? { exclude: [...this.options.exclude] } : {}),
    };
    const withPolicy = this.options.policyPacks?.length
      ? { policyPacks: [...this.options.policyPacks] }
      : {};
    const refresh = this.options.refresh ? { refresh: true } : {};
    try {
      return await this.operate(stack, task.operation, { common, withPolicy, refresh });
    } finally {
      settled.abort();
      task.signal.removeEventListener("abort", onAbort);
    }
  }

  private async operate(
    stack: AutomationStack,
    operation: Operation,
    o: {
      common: Record<string, unknown>;
      withPolicy: Record<string, unknown>;
      refresh: Record<string, unknown>;
    },
  ): Promise<EngineResult> {
    switch (operation) {
      case "preview": {
        const r = await stack.preview({ ...o.common, ...o.withPolicy, ...o.refresh });
        return { changes: changesOf(r.changeSummary), mode: "automation" };
      }
      case "up": {
        const r = await stack.up({ ...o.common, ...o.withPolicy, ...o.refresh });
        const outputs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r.outputs))
          outputs[k] = v.secret ? SECRET_PLACEHOLDER : v.value;
        return { changes: changesOf(r.summary.resourceChanges), outputs, mode: "automation" };
      }
      case "refresh": {
        const r = await stack.refresh(o.common);
        return { changes: changesOf(r.summary.resourceChanges), mode: "automation" };
      }
      case "destroy": {
        // Protected resources stay: Pulumi refuses to delete them; destroy everything else and say so.
        const r = await stack.destroy({ ...o.common, ...o.refresh, excludeProtected: true });
        const kept = ((await stack.exportStack()).deployment?.resources ?? []).filter(
          (res) => res.protect,
        );
        const notes = kept.length
          ? [
              `kept ${kept.length} protected resource(s): ${kept.map((k) => k.urn.split("::").slice(-2).join(" ")).join(", ")}; unprotect them (pulumi state unprotect) and destroy again to delete them`,
            ]
          : [];
        return { changes: changesOf(r.summary.resourceChanges), notes, mode: "automation" };
      }
    }
  }
}
