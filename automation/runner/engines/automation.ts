/**
 * The real engine: the Pulumi Automation API, one LocalWorkspace per stack over the project folder.
 * Every workspace over one folder still shares the CLI's one `~/.pulumi/workspaces/<project>-
 * <hash>-workspace.json`, which `stack select`/`stack init`/`config cp` rewrite (not atomically),
 * so parallel opens can corrupt it or select the wrong stack (pulumi/pulumi #8186, #6287): opening
 * a stack is serialized by an in-process lock. Operations stay parallel: the SDK passes `--stack`,
 * and `up` with it never writes that file (pkg/cmd/pulumi/operations/up.go RequireStack, OfferNew
 * without SetCurrent). Another process over the same project is not covered by the lock.
 *
 * Config of a layer stack = its base stack file + `officeless:layer` + `officeless:stackReference`
 * with `baseStack`, written whole and structured into the layer's stack settings file on every
 * run: lists stay lists and maps stay maps (the CLI checks `officeless:zones` against Pulumi.yaml's
 * `type: array`, pulumi/pulumi sdk/go/common/workspace/project.go ValidateConfigValue), and a key
 * removed from the base stack disappears. Secrets: the layer takes the base stack's secrets
 * provider and key, so `secure:` ciphertext is copied as is; where the layer already has another
 * key (or the base uses Pulumi Cloud's per-stack keys) they are re-encrypted by
 * `pulumi config cp`, which decrypts with the base's key and encrypts with the layer's
 * (pulumi/pulumi pkg/cmd/pulumi/config copySingleConfigKey: `v.Copy(decrypter, encrypter)`).
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type {
  DestroyOptions,
  LocalWorkspaceOptions,
  OpMap,
  OutputMap,
  PreviewOptions,
  RefreshOptions,
  UpOptions,
} from "@pulumi/pulumi/automation";
import { stringify as stringifyYaml } from "yaml";
import { stackFilePath } from "../../../programs/config";
import { PROJECT_CONFIG_FILE, readProjectConfig } from "../../bootstrap/projectConfig";
import { SECRET_PLACEHOLDER } from "../../offline/mocks";
import { Clock, systemClock } from "../clock";
import { Mutex } from "../lock";
import { errorMessage } from "../retry";
import { CommandResult, CommandRunner, execCommand, onPath, runPreDestroy } from "../preDestroy";
import { containsSecure, defaultProjectDir, readRawStackFile, StackFile } from "../stacks";
import {
  ChangeCounts,
  Engine,
  EngineResult,
  EngineTask,
  Interrupt,
  noChanges,
  NotStartedError,
  OPERATIONS,
  Operation,
  RunnerError,
  StackNode,
} from "../types";

/** The part of an Automation API `Stack` the engine uses (a fake implements it in tests). */
export interface AutomationStack {
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
  /** Folder holding Pulumi.yaml and the base stack files. @default the nearest Pulumi.yaml upward */
  readonly projectDir?: string;
  /**
   * State backend.
   * @default the project's `.officeless/config.json` `backendUrl` (written by `officeless
   * bootstrap`), else `file://<projectDir>/.officeless/state` (not the user's home)
   */
  readonly backendUrl?: string;
  /**
   * Secrets provider of layer stacks whose base stack names none (`passphrase`, `awskms://...`).
   * A base stack's own provider always wins; a different value here is refused.
   * @default the project's `.officeless/config.json` `secretsProvider`, else passphrase (the
   * Pulumi Cloud's own provider on a Pulumi Cloud backend)
   */
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
  /** @default LocalWorkspace */
  readonly factory?: WorkspaceFactory;
  /** Fail in `prepare` when `pulumi` is not on PATH. @default true unless a factory is injected */
  readonly requirePulumi?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
  /** Runs kubectl/aws for the pre-destroy hooks. */
  readonly exec?: CommandRunner;
  readonly hasCommand?: (command: string) => boolean;
  /** Runs `pulumi config cp`. @default the `pulumi` on PATH */
  readonly runPulumi?: PulumiRunner;
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

/** A stack file's secrets settings, as Pulumi writes them. */
export interface SecretsSettings {
  readonly secretsProvider?: string;
  readonly encryptedKey?: string;
  readonly encryptionSalt?: string;
}

/**
 * The secrets provider a stack file's keys belong to: `passphrase` (an `encryptionsalt`), a key
 * service URL (`secretsprovider` + `encryptedkey`: awskms, gcpkms, azurekeyvault, hashivault), or
 * undefined when the file names none (Pulumi Cloud's provider, or no secret set yet).
 */
export function secretsProviderOf(f: SecretsSettings): string | undefined {
  if (f.encryptionSalt) return "passphrase";
  if (f.secretsProvider && f.secretsProvider !== "default") return f.secretsProvider;
  return undefined;
}

/** The key ciphertext is bound to: two stacks with the same one decrypt each other's values. */
function keyOf(f: SecretsSettings | undefined): string | undefined {
  if (!f) return undefined;
  if (f.encryptionSalt) return `passphrase ${f.encryptionSalt}`;
  if (f.encryptedKey) return `${f.secretsProvider} ${f.encryptedKey}`;
  return undefined;
}

function secretsSettingsOf(f: SecretsSettings | undefined): SecretsSettings {
  const out: { -readonly [K in keyof SecretsSettings]: SecretsSettings[K] } = {};
  if (f?.secretsProvider) out.secretsProvider = f.secretsProvider;
  if (f?.encryptedKey) out.encryptedKey = f.encryptedKey;
  if (f?.encryptionSalt) out.encryptionSalt = f.encryptionSalt;
  return out;
}

/** Whether a backend URL is the Pulumi Cloud (whose stacks default to its own secrets provider). */
export function isPulumiCloud(url: string): boolean {
  return /^https?:\/\//.test(url);
}

/** Runs the `pulumi` CLI for what the Automation API lacks (`config cp`); killed when `signal` aborts. */
export type PulumiRunner = (
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal },
) => Promise<CommandResult>;

const runPulumi: PulumiRunner = (args, options) =>
  new Promise((resolve, reject) => {
    // `config cp` changes nothing in the cloud, so stopping it at once is safe.
    execFile("pulumi", [...args], { ...options, killSignal: "SIGINT" }, (err, stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      if (err && typeof code !== "number") return reject(err);
      resolve({ code: typeof code === "number" ? code : 0, stdout, stderr });
    });
  });

/** What `open` writes and does for one layer stack. */
export interface LayerStackPlan {
  /** The layer stack's settings file, whole: secrets settings and every config value, structured. */
  readonly settings: SecretsSettings & { config: Record<string, unknown> };
  /** Provider for `pulumi stack init` when the stack is new (undefined: the backend's default). */
  readonly secretsProvider?: string;
  /** Config keys holding secrets, copied with `pulumi config cp` (re-encrypted with the layer's key). */
  readonly reencrypt: readonly string[];
}

export class AutomationEngine implements Engine {
  readonly name = "automation";
  readonly operations = OPERATIONS;
  readonly projectDir: string;
  readonly backendUrl: string;
  /** The secrets provider for base stacks that name none, and where it came from (for errors). */
  readonly secretsProvider?: string;
  private readonly secretsProviderSource: string;
  private readonly factory: WorkspaceFactory;
  private readonly clock: Clock;
  private readonly env: NodeJS.ProcessEnv;
  /** Held while a stack is selected/created and its secrets copied (the shared workspace file). */
  private readonly selecting = new Mutex();

  constructor(private readonly options: AutomationEngineOptions = {}) {
    this.projectDir = path.resolve(options.projectDir ?? defaultProjectDir());
    // Explicit options (the CLI's flags) win over what `officeless bootstrap` wrote.
    const project = readProjectConfig(this.projectDir);
    this.backendUrl =
      options.backendUrl ??
      project.backendUrl ??
      `file://${path.join(this.projectDir, ".officeless", "state")}`;
    this.secretsProvider = options.secretsProvider ?? project.secretsProvider;
    this.secretsProviderSource =
      options.secretsProvider !== undefined
        ? `--secrets-provider ${options.secretsProvider}`
        : `${PROJECT_CONFIG_FILE}'s secretsProvider ${project.secretsProvider}`;
    this.factory = options.factory ?? localWorkspaceFactory;
    this.clock = options.clock ?? systemClock;
    this.env = options.env ?? process.env;
  }

  async prepare(_operation?: Operation, nodes?: readonly StackNode[]): Promise<void> {
    if (this.options.requirePulumi ?? !this.options.factory) {
      if (!onPath("pulumi", this.env)) {
        throw new RunnerError(
          "the `pulumi` CLI is not on PATH; the automation engine drives it. Install it (https://www.pulumi.com/docs/iac/download-install/), " +
            "or use `officeless plan` / `--engine offline` for an offline preview that needs no CLI or credentials",
          "pulumiMissing",
        );
      }
    }
    // Every base stack's provider is checked (and a conflicting flag refused) before anything runs.
    const providers = nodes
      ? [...new Set(nodes.map((n) => n.baseStack))].map((b) => this.baseSecrets(b).provider)
      : [this.secretsProvider ?? this.defaultProvider()];
    // A layer stack that keeps its own passphrase salt (its base moved to a key service since)
    // needs the passphrase too, for `config cp` and its operation.
    const saltedLayers = (nodes ?? [])
      .filter((n) => this.planLayerStack(n).settings.encryptionSalt !== undefined)
      .map((n) => n.id);
    if (
      (providers.includes("passphrase") || saltedLayers.length) &&
      this.env.PULUMI_CONFIG_PASSPHRASE === undefined &&
      !this.env.PULUMI_CONFIG_PASSPHRASE_FILE
    ) {
      const which = providers.includes("passphrase")
        ? ""
        : ` (layer stack(s) ${saltedLayers.join(", ")} still use it; or move them: pulumi stack change-secrets-provider --stack <layer stack> '<provider>')`;
      throw new RunnerError(
        `the passphrase secrets provider needs PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE in the environment${which}`,
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

  private defaultProvider(): string | undefined {
    return isPulumiCloud(this.backendUrl) ? undefined : "passphrase";
  }

  private readFile(file: string): StackFile | undefined {
    return (this.options.readStackFile ?? readRawStackFile)(file);
  }

  private baseFile(base: string): StackFile {
    const file = stackFilePath(this.projectDir, base);
    const found = this.readFile(file);
    if (!found) throw new RunnerError(`base stack file ${file} not found`, "stackFile");
    return found;
  }

  /**
   * A base stack's secrets: its provider (which its layer stacks take) and whether it holds
   * encrypted values. Refuses a `--secrets-provider` (or the project config's) that differs from
   * the base stack's own.
   */
  private baseSecrets(baseStack: string): {
    base: StackFile;
    provider?: string;
    hasSecrets: boolean;
  } {
    const base = this.baseFile(baseStack);
    const hasSecrets = Object.values(base.config).some(containsSecure);
    const own = secretsProviderOf(base);
    const flag = this.secretsProvider;
    // Encrypted values and no key in the file: Pulumi Cloud's per-stack provider.
    const provider = own ?? (hasSecrets ? "default" : (flag ?? this.defaultProvider()));
    if (flag !== undefined && (own !== undefined || hasSecrets) && flag !== provider) {
      throw new RunnerError(
        `${this.secretsProviderSource} conflicts with ${baseStack}'s own secrets provider ` +
          `(${provider === "default" ? "the Pulumi Cloud's" : provider}, in ${base.file}): layer stacks take their base stack's provider so its secrets can be copied. ` +
          `Drop the flag, or move the base stack first: pulumi stack change-secrets-provider --stack ${baseStack} '${flag}'`,
        "secretsProvider",
      );
    }
    return { base, provider: provider === "default" ? undefined : provider, hasSecrets };
  }

  /** The settings file, init provider and re-encryptions of one layer stack. */
  planLayerStack(node: StackNode): LayerStackPlan {
    const { base, provider, hasSecrets } = this.baseSecrets(node.baseStack);
    const existing = this.readFile(stackFilePath(this.projectDir, node.id));
    const ref = base.config["officeless:stackReference"];
    const layerKeys = {
      "officeless:layer": node.layer,
      "officeless:stackReference": {
        ...(ref && typeof ref === "object" ? (ref as Record<string, unknown>) : {}),
        baseStack: node.baseStack,
      },
    };
    const copied = Object.entries(base.config).filter(
      ([key]) => key !== "officeless:layer" && key !== "officeless:stackReference",
    );
    // The base stack's key can be shared: same salt / data key, so its ciphertext decrypts as is.
    const shareKey =
      keyOf(base) !== undefined &&
      (keyOf(existing) === undefined || keyOf(existing) === keyOf(base));
    if (!hasSecrets || shareKey) {
      return {
        settings: {
          ...secretsSettingsOf(keyOf(existing) && !shareKey ? existing : base),
          config: { ...Object.fromEntries(copied), ...layerKeys },
        },
        secretsProvider: provider,
        reencrypt: [],
      };
    }
    // Another key (or Pulumi Cloud's per-stack keys): plain keys now, those with secrets re-encrypted.
    const plain = copied.filter(([, value]) => !containsSecure(value));
    const reencrypt = copied.filter(([, value]) => containsSecure(value)).map(([key]) => key);
    return {
      settings: {
        ...secretsSettingsOf(existing),
        config: { ...Object.fromEntries(plain), ...layerKeys },
      },
      secretsProvider: provider,
      reencrypt,
    };
  }

  private envVars(): Record<string, string> {
    return { PULUMI_BACKEND_URL: this.backendUrl, PULUMI_SKIP_UPDATE_CHECK: "true" };
  }

  /**
   * The layer stack's settings file when Pulumi.yaml's `stackConfigDir` moves it: the SDK writes
   * `stackSettings` to `<workDir>/Pulumi.<stack>.yaml` regardless (pulumi/pulumi#10305) while the
   * CLI reads the one in `stackConfigDir`, so the engine writes that one itself. Undefined when
   * the stack files are in the project folder.
   */
  private movedSettingsFile(node: StackNode): string | undefined {
    const file = stackFilePath(this.projectDir, node.id);
    return file === path.join(this.projectDir, `Pulumi.${node.id}.yaml`) ? undefined : file;
  }

  /** Workspace options for one layer stack: its own workspace, the backend, its whole settings file. */
  workspaceOptions(node: StackNode, plan: LayerStackPlan): LocalWorkspaceOptions {
    return {
      workDir: this.projectDir,
      ...(plan.secretsProvider ? { secretsProvider: plan.secretsProvider } : {}),
      envVars: this.envVars(),
      ...(this.movedSettingsFile(node) ? {} : { stackSettings: { [node.id]: plan.settings } }),
    };
  }

  /** Writes the settings file the way the SDK's saveStackSettings does (lowercase secrets keys). */
  private async writeSettingsFile(file: string, settings: LayerStackPlan["settings"]) {
    const { secretsProvider, encryptedKey, encryptionSalt, config } = settings;
    const out = {
      ...(secretsProvider ? { secretsprovider: secretsProvider } : {}),
      ...(encryptedKey ? { encryptedkey: encryptedKey } : {}),
      ...(encryptionSalt ? { encryptionsalt: encryptionSalt } : {}),
      config,
    };
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await fs.promises.writeFile(file, stringifyYaml(out, { lineWidth: 0 }));
  }

  /**
   * Opens the stack in its own workspace with its config written whole; re-encrypts secrets if
   * needed. One stack at a time (see the header); the operation that follows runs unlocked. Throws {@link NotStartedError} once `signal` has aborted: a signal that is not a
   * terminal Ctrl-C reaches only this process, so `stack select`/`config cp` run to the end
   * and the operation must not start after them.
   */
  open(node: StackNode, signal?: AbortSignal): Promise<AutomationStack> {
    return this.selecting.run(() => this.openNow(node, signal), signal);
  }

  private async openNow(node: StackNode, signal?: AbortSignal): Promise<AutomationStack> {
    const stopIfAborted = () => {
      if (signal?.aborted) throw new NotStartedError(signal.reason);
    };
    stopIfAborted();
    const plan = this.planLayerStack(node);
    const moved = this.movedSettingsFile(node);
    if (moved) await this.writeSettingsFile(moved, plan.settings);
    const stack = await this.factory.createOrSelectStack(
      { stackName: node.id, workDir: this.projectDir },
      this.workspaceOptions(node, plan),
    );
    stopIfAborted();
    if (plan.reencrypt.length) await this.reencrypt(node, plan.reencrypt, signal);
    stopIfAborted();
    return stack;
  }

  /**
   * `pulumi config cp <key> --stack <base> --dest <layer>` for each key holding secrets: the CLI
   * decrypts with the base stack's key and encrypts with the layer's, and the plaintext never
   * leaves it (no secret on a command line or in this process).
   */
  private async reencrypt(
    node: StackNode,
    keys: readonly string[],
    signal?: AbortSignal,
  ): Promise<void> {
    const run = this.options.runPulumi ?? runPulumi;
    for (const key of keys) {
      if (signal?.aborted) throw new NotStartedError(signal.reason);
      const args = ["config", "cp", key, "--stack", node.baseStack, "--dest", node.id];
      let r: CommandResult;
      try {
        r = await run([...args, "--non-interactive"], {
          cwd: this.projectDir,
          env: { ...this.env, ...this.envVars() },
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        if (signal?.aborted) throw new NotStartedError(signal.reason);
        throw err;
      }
      if (signal?.aborted) throw new NotStartedError(signal.reason);
      if (r.code === 0) continue;
      if (/no stack named .*found/.test(r.stderr))
        throw new RunnerError(
          `${node.id} uses another secrets key than ${node.baseStack}, so ${node.baseStack}'s secrets are re-encrypted into it (pulumi config cp), ` +
            `which needs the stack ${node.baseStack} in the backend ${this.backendUrl}, where its secrets were set (pulumi stack init ${node.baseStack})`,
          "baseStackMissing",
        );
      throw new Error(
        `pulumi ${args.join(" ")} failed: ${errorMessage({ commandResult: r }) || `exit code ${r.code}`}`,
      );
    }
  }

  /** `officeless cancel`: removes a stack's lock. Never called automatically. */
  async cancel(node: StackNode): Promise<string> {
    let stack: AutomationStack;
    try {
      stack = await this.selecting.run(() =>
        this.factory.selectStack(
          { stackName: node.id, workDir: this.projectDir },
          { workDir: this.projectDir, envVars: this.envVars() },
        ),
      );
    } catch (err) {
      if ((err as Error).name === "StackNotFoundError") return "no such stack";
      throw err;
    }
    await stack.cancel();
    return "cancelled (lock removed)";
  }

  /** Outputs of a stack, secrets revealed or replaced by the placeholder; undefined without state. */
  private async readOutputs(
    stackName: string,
    reveal: boolean,
  ): Promise<Record<string, unknown> | undefined> {
    let stack: AutomationStack;
    try {
      stack = await this.selecting.run(() =>
        this.factory.selectStack(
          { stackName, workDir: this.projectDir },
          { workDir: this.projectDir, envVars: this.envVars() },
        ),
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
    const stack = await this.open(task.node, task.signal);
    let done = 0;
    let total = task.expectedResources ?? 0;
    let seen = 0;
    const errors: string[] = [];
    const onEvent = (e: {
      resourcePreEvent?: { metadata: { urn: string; op: string } };
      resOutputsEvent?: { metadata: { urn: string; op: string } };
      resOpFailedEvent?: { metadata: { urn: string; op: string } };
      diagnosticEvent?: { message: string; severity: string };
    }) => {
      // The engine's own error lines: what a failure is reported and classified by.
      if (e.diagnosticEvent?.severity === "error") {
        const line = e.diagnosticEvent.message.trim();
        if (line && !errors.includes(line)) errors.push(line);
      }
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
    // The SDK sends pulumi SIGINT when the signal it is given aborts. A terminal Ctrl-C already
    // reached pulumi (same process group) and a second SIGINT would stop it at once
    // (pulumi/pulumi#6334), so the abort is forwarded only when pulumi did not get the signal.
    // Never `stack.cancel()` here: on a file backend it unlocks a stack whose update still runs.
    const forward = new AbortController();
    const onAbort = () => {
      const reason: unknown = task.signal.reason;
      if (reason instanceof Interrupt && reason.childrenSignalled) return;
      forward.abort(reason);
    };
    // `open` returned with the signal not aborted, and nothing awaits between here and the call.
    task.signal.addEventListener("abort", onAbort, { once: true });
    const common = {
      signal: forward.signal,
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
    } catch (err) {
      throw new StackOperationError(err, errors);
    } finally {
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

/**
 * A failed stack operation, with the error's own message: the engine's error diagnostics and the
 * `error:` lines of pulumi's stderr, not the command's whole output (whose resource logs would
 * otherwise be matched by the retry patterns). The original error is the `cause`.
 */
export class StackOperationError extends Error {
  constructor(cause: unknown, diagnostics: readonly string[]) {
    const own = errorMessage(cause);
    super(
      [...diagnostics, ...(diagnostics.some((d) => own.includes(d)) ? [] : [own])]
        .filter(Boolean)
        .join("\n") || String(cause),
      { cause },
    );
    // Keeps the SDK's error class name (ConcurrentUpdateError is retried by name).
    this.name = cause instanceof Error ? cause.name : "StackOperationError";
  }
}
