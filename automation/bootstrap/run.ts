/**
 * `officeless bootstrap`: the state store's program run for real (Automation API, inline program,
 * its own tiny state in a file backend under ~/.officeless/bootstrap) or, with `--dry-run`, under
 * the offline plan's mocks (no CLI, no credentials). Library code: returns what to print and
 * throws errors; only the CLI prints and exits.
 */
import type { AzurePrincipalType } from "./names";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
  installMocks,
  MOCK_ACCOUNT_ID,
  MOCK_AZURE_SUBSCRIPTION_ID,
  MOCK_GCP_PROJECT,
  RecordedResource,
} from "../offline/mocks";
import { CommandRunner, execCommand, onPath } from "../runner/preDestroy";
import {
  bucketChecks,
  CommandLine,
  identityCommand,
  inspectBucket,
  resolveAccount,
  stacksCommand,
  stacksInBucket,
} from "./checks";
import {
  azureStateSku,
  BootstrapCloud,
  bootstrapNames,
  BootstrapNames,
  BootstrapTarget,
  bootstrapUrls,
  DEFAULT_RETENTION_DAYS,
  targetIssues,
} from "./names";
import { bootstrapProgram, BootstrapProgramOptions, providerConfig } from "./program";
import { forgetProjectConfig, PROJECT_CONFIG_FILE, writeProjectConfig } from "./projectConfig";

/** The bootstrap program's Pulumi project (its stacks live apart from the platform's). */
export const BOOTSTRAP_PROJECT = "officeless-bootstrap";

export interface BootstrapRequest {
  readonly cloud: string;
  readonly region?: string;
  /** @default "officeless" */
  readonly name?: string;
  /** GCP project id. @default `gcloud config get-value project` */
  readonly project?: string;
  readonly retentionDays?: number;
  readonly role?: string;
  readonly member?: string;
  readonly principalId?: string;
  /** Azure. @default what `az account show` says the logged-in identity is */
  readonly principalType?: AzurePrincipalType;
  /** Azure: what the identity running bootstrap is (`az account show`). */
  readonly callerType?: AzurePrincipalType;
  readonly destroy?: boolean;
  readonly yes?: boolean;
  /** Folder whose `.officeless/config.json` gets the URLs; undefined: none written. */
  readonly projectDir?: string;
}

/** What bootstrap needs from a stack (the Automation API's `Stack`; a fake in tests). */
export interface BootstrapStack {
  setAllConfig(config: Record<string, { value: string }>): Promise<void>;
  outputs(): Promise<Record<string, { value: unknown; secret?: boolean }>>;
  preview(): Promise<{ changeSummary: Record<string, number> }>;
  up(): Promise<{ outputs: Record<string, { value: unknown; secret?: boolean }> }>;
  destroy(): Promise<unknown>;
  /** The checkpoint: which resources bootstrap's own state holds. */
  exportStack(): Promise<{ deployment?: { resources?: StateResource[] } }>;
}

/** A resource of a checkpoint (the fields bootstrap reads). */
export interface StateResource {
  readonly type: string;
  readonly id?: string;
  readonly custom?: boolean;
  readonly outputs?: Record<string, unknown>;
}

/** The resource that holds the state, per cloud: its type in the checkpoint and its name. */
function storeResource(cloud: BootstrapCloud, names: BootstrapNames): [string, string] {
  return {
    aws: ["aws:s3/bucket:Bucket", names.bucket],
    gcp: ["gcp:storage/bucket:Bucket", names.bucket],
    azure: ["azure-native:storage:StorageAccount", names.storageAccount],
  }[cloud] as [string, string];
}

/**
 * What bootstrap's own checkpoint holds: the cloud resources (no providers, components or the
 * stack), and whether the store's bucket (Azure: storage account) is among them. Judged from the
 * resources, not the outputs, which a run that failed or was interrupted never writes.
 */
export function ownedResources(
  resources: readonly StateResource[],
  cloud: BootstrapCloud,
  names: BootstrapNames,
): { cloudResources: StateResource[]; ownsStore: boolean } {
  const cloudResources = resources.filter(
    (r) =>
      r.custom !== false &&
      r.type !== "pulumi:pulumi:Stack" &&
      !r.type.startsWith("pulumi:providers:"),
  );
  const [type, name] = storeResource(cloud, names);
  const ownsStore = cloudResources.some(
    (r) => r.type === type && [r.id, r.outputs?.bucket, r.outputs?.name].some((v) => v === name),
  );
  return { cloudResources, ownsStore };
}

/** Opens bootstrap's own stack with an inline program. */
export type OpenStack = (args: {
  stackName: string;
  program: () => Promise<Record<string, unknown>>;
  backendUrl: string;
  envVars: Record<string, string>;
  cloud: BootstrapCloud;
}) => Promise<BootstrapStack>;

export interface BootstrapIo {
  readonly env: NodeJS.ProcessEnv;
  /** Progress lines (stderr). */
  log(text: string): void;
  readonly interactive: boolean;
  confirm?(question: string): Promise<boolean>;
  /** Runs the cloud CLIs. @default execCommand */
  readonly exec?: CommandRunner;
  /** @default LocalWorkspace */
  readonly openStack?: OpenStack;
  /** @default os.homedir() */
  readonly home?: string;
  /** Waits between Azure RBAC retries. @default setTimeout */
  sleep?(ms: number): Promise<void>;
}

/** The result the CLI prints. */
export interface BootstrapResult {
  readonly target: BootstrapTarget;
  readonly backendUrl: string;
  readonly secretsProvider: string;
  /** Where the URLs were written, if anywhere. */
  readonly configFile?: string;
  /** The outputs (AWS: the access policy), secrets never included. */
  readonly outputs: Record<string, unknown>;
  readonly destroyed?: boolean;
  /** `--destroy`: the secrets key left in the cloud (stacks moved elsewhere may still use it). */
  readonly keptSecretsKey?: string;
}

function checkedTarget(req: BootstrapRequest, account: string): BootstrapTarget {
  return {
    cloud: req.cloud as BootstrapCloud,
    region: req.region ?? "",
    name: req.name ?? "officeless",
    account,
  };
}

/** Throws one error listing every bad flag. */
export function validateRequest(req: BootstrapRequest): void {
  const issues = targetIssues({
    cloud: req.cloud,
    region: req.region,
    name: req.name ?? "officeless",
    project: req.project,
    retentionDays: req.retentionDays,
  });
  if (req.role && req.cloud !== "aws")
    issues.push(`--role: AWS only (use --member on GCP, --principal-id on Azure)`);
  if (req.member && req.cloud !== "gcp") issues.push(`--member: GCP only`);
  if (req.principalId && req.cloud !== "azure") issues.push(`--principal-id: Azure only`);
  if (req.member && !/^(user|serviceAccount|group|principal|principalSet):\S+$/.test(req.member))
    issues.push(`--member ${req.member}: expected user:EMAIL, serviceAccount:EMAIL or group:EMAIL`);
  if (req.principalType && req.cloud !== "azure") issues.push(`--principal-type: Azure only`);
  if (req.principalId && !req.principalType)
    issues.push(`--principal-id: give --principal-type too (User, ServicePrincipal or Group)`);
  if (req.principalId && !/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(req.principalId))
    issues.push(`--principal-id ${req.principalId}: expected an object id (GUID)`);
  if (issues.length) throw new Error(`bootstrap: ${issues.join("; ")}`);
}

function programOptions(
  req: BootstrapRequest,
  target: BootstrapTarget,
  destroying = false,
): BootstrapProgramOptions {
  return {
    target,
    retentionDays: req.retentionDays ?? DEFAULT_RETENTION_DAYS,
    role: req.role,
    member: req.member,
    principalId: req.principalId,
    principalType: req.principalType,
    callerType: req.callerType,
    destroying,
  };
}

/**
 * The commands that name the deploying identity when no flag does (GCP member), and on Azure what
 * the running identity is (it is granted the vault's key role even when `--principal-id` names
 * another deployer).
 */
function deployerCommands(req: BootstrapRequest): CommandLine[] {
  if (req.cloud === "gcp" && !req.member) return [["gcloud", "config", "get-value", "account"]];
  if (req.cloud === "azure")
    return [["az", "account", "show", "--query", "user.type", "--output", "tsv"]];
  return [];
}

/**
 * The identity that deploys, granted the state roles: on GCP the gcloud account as a member, on
 * Azure the logged-in identity's type (its object id comes from the provider's client config).
 */
export async function resolveDeployer(
  req: BootstrapRequest,
  exec: CommandRunner,
): Promise<Pick<BootstrapRequest, "member" | "principalType" | "callerType">> {
  const [command] = deployerCommands(req);
  if (!command) return {};
  const [cmd, ...args] = command;
  const r = await exec(cmd, args);
  const value = r.stdout.trim();
  if (r.code !== 0 || !value || value === "(unset)")
    throw new Error(
      `${command.join(" ")} failed${r.stderr.trim() ? `: ${r.stderr.trim()}` : ""}; ` +
        (req.cloud === "gcp" ? "pass --member" : "log in with az login"),
    );
  if (req.cloud === "gcp")
    return {
      member: `${value.endsWith(".gserviceaccount.com") ? "serviceAccount" : "user"}:${value}`,
    };
  const callerType = value === "servicePrincipal" ? "ServicePrincipal" : "User";
  return { callerType, principalType: req.principalType ?? callerType };
}

// ---------------------------------------------------------------------------------------------
// --dry-run

export interface BootstrapPlan {
  readonly target: BootstrapTarget;
  readonly names: BootstrapNames;
  readonly resources: RecordedResource[];
  readonly outputs: Record<string, unknown>;
  readonly backendUrl: string;
  readonly secretsProvider: string;
  /** The read-only commands the real run issues first, and `--destroy`'s state check. */
  readonly checks: string[];
}

/** The mocks' account for a cloud: what `--dry-run` names things after. */
function mockAccount(req: BootstrapRequest): string {
  return {
    aws: MOCK_ACCOUNT_ID,
    gcp: req.project ?? MOCK_GCP_PROJECT,
    azure: MOCK_AZURE_SUBSCRIPTION_ID,
  }[req.cloud as BootstrapCloud];
}

async function plainOf(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    if (await pulumi.isSecret(value)) return "[secret]";
    return plainOf(await new Promise((resolve) => value.apply((v) => resolve(v))));
  }
  return value;
}

/** Runs the bootstrap program under the offline plan's mocks. */
export async function planBootstrap(request: BootstrapRequest): Promise<BootstrapPlan> {
  let req = request;
  validateRequest(req);
  const target = checkedTarget(req, mockAccount(req));
  const names = bootstrapNames(target);
  // The real run asks the CLI who is logged in; the dry run shows a placeholder deployer.
  if (target.cloud === "gcp" && !req.member) req = { ...req, member: "user:deployer@example.com" };
  if (target.cloud === "azure" && !req.callerType) req = { ...req, callerType: "User" };
  const mocks = await installMocks({
    project: BOOTSTRAP_PROJECT,
    stack: names.stack,
    region: target.region,
  });
  pulumi.runtime.setAllConfig(providerConfig(target));
  const exported = await bootstrapProgram(programOptions(req, target, req.destroy === true))();
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(exported)) outputs[k] = await plainOf(v);
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const checks = [
    identityCommand(target.cloud).join(" "),
    ...deployerCommands(req).map((c) => c.join(" ")),
    bucketChecks(target, names).exists.join(" "),
    ...(req.destroy ? [stacksCommand(target, names).join(" ")] : []),
  ];
  return {
    target,
    names,
    resources: mocks.resources,
    outputs,
    ...bootstrapUrls(target, names),
    secretsProvider: outputs.secretsProvider as string,
    checks,
  };
}

/** Inputs not worth a line: tags and labels. */
const QUIET = new Set(["tags", "labels", "description", "__defaults"]);

function shown(value: unknown): string {
  if (typeof value === "string" && value.startsWith("{")) {
    try {
      return JSON.stringify(JSON.parse(value));
    } catch {
      return value;
    }
  }
  return JSON.stringify(value);
}

/** The dry run as text: each resource with its inputs and protection, then the URLs and checks. */
export function renderBootstrapPlan(plan: BootstrapPlan, destroy = false): string {
  const lines = [
    `officeless bootstrap --dry-run: ${plan.target.cloud} ${plan.target.region}, name ${plan.target.name}, account ${plan.target.account} (mocked)`,
    "",
  ];
  for (const r of plan.resources) {
    if (!r.custom) continue;
    const flags = [
      r.options.protect && "protect",
      r.options.retainOnDelete && "retainOnDelete",
    ].filter(Boolean);
    lines.push(`${r.type}  ${r.name}${flags.length ? `  [${flags.join(", ")}]` : ""}`);
    for (const [k, v] of Object.entries(r.inputs))
      if (!QUIET.has(k)) lines.push(`    ${k}: ${shown(v)}`);
    if (r.options.dependsOn.length)
      lines.push(`    (after ${r.options.dependsOn.map((u) => u.split("::").pop()).join(", ")})`);
  }
  lines.push("", "Checks before any change (read-only):", ...plan.checks.map((c) => `  ${c}`));
  if (destroy)
    lines.push(
      "  --destroy refuses while the last command lists any stack state; it then turns protection off and destroys.",
    );
  lines.push(
    "",
    `backend:          ${plan.backendUrl}`,
    `secrets provider: ${plan.secretsProvider}`,
  );
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// The real run

/** Where bootstrap keeps its own state: ~/.officeless/bootstrap. */
export function bootstrapStateDir(home: string): string {
  return path.join(home, ".officeless", "bootstrap");
}

/**
 * The passphrase of bootstrap's own state (it holds no secret value, but Pulumi's file backend
 * needs a secrets provider): PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE, as the
 * Pulumi CLI reads them. Refused without either, before anything runs.
 */
export function passphraseEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined)
    return { PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE };
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE)
    return { PULUMI_CONFIG_PASSPHRASE_FILE: env.PULUMI_CONFIG_PASSPHRASE_FILE };
  throw new Error(
    "bootstrap keeps its own small state in ~/.officeless/bootstrap, encrypted with a passphrase: set PULUMI_CONFIG_PASSPHRASE " +
      "(or PULUMI_CONFIG_PASSPHRASE_FILE) and keep it; every later bootstrap run (and --destroy) needs the same one",
  );
}

const PLUGIN_PACKAGES: Record<BootstrapCloud, [string, string]> = {
  aws: ["aws", "@pulumi/aws/package.json"],
  gcp: ["gcp", "@pulumi/gcp/package.json"],
  azure: ["azure-native", "@pulumi/azure-native/package.json"],
};

/** LocalWorkspace with an inline program, the project's provider plugin installed at its pinned version. */
export const localStack: OpenStack = async ({ stackName, program, backendUrl, envVars, cloud }) => {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, projectName: BOOTSTRAP_PROJECT, program },
    {
      secretsProvider: "passphrase",
      envVars,
      projectSettings: { name: BOOTSTRAP_PROJECT, runtime: "nodejs", backend: { url: backendUrl } },
    },
  );
  const [plugin, pkg] = PLUGIN_PACKAGES[cloud];
  const version = (require(pkg) as { version: string }).version;
  await stack.workspace.installPlugin(plugin, `v${version}`);
  return {
    setAllConfig: (c) => stack.setAllConfig(c),
    outputs: () => stack.outputs(),
    preview: () => stack.preview({ color: "never" }),
    up: () => stack.up({ color: "never" }),
    destroy: () => stack.destroy({ color: "never" }),
    exportStack: () => stack.exportStack(),
  };
};

function plainOutputs(
  outputs: Record<string, { value: unknown; secret?: boolean }>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]),
  );
}

/**
 * Azure's data-plane errors while a new role assignment propagates (minutes, after ARM already
 * accepted it): the caller's Crypto Officer on the vault (the keys), and the storage identity's
 * grant on its key (the account's customer-key check, Azure/bicep#16601). `dependsOn` orders the
 * creates but cannot wait for propagation, and no sleep resource is among our dependencies.
 */
export const AZURE_RBAC_PROPAGATION = /ForbiddenByRbac|KeyVaultAuthenticationFailure/;
/** Waits before each rerun of `up` (seconds): 6 minutes in all, past Azure's usual propagation. */
export const AZURE_RBAC_RETRY_WAITS = [60, 120, 180] as const;

/**
 * `up`, rerun on Azure after each wait while it fails only because a new grant has not reached Key
 * Vault or Storage yet. Safe because the program is idempotent: a rerun creates only what is missing.
 */
async function upWaitingForRbac(
  stack: BootstrapStack,
  cloud: BootstrapCloud,
  io: BootstrapIo,
): ReturnType<BootstrapStack["up"]> {
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await stack.up();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (cloud !== "azure" || !AZURE_RBAC_PROPAGATION.test(message)) throw e;
      const wait = AZURE_RBAC_RETRY_WAITS[attempt];
      if (wait === undefined)
        throw new Error(
          `${message}\nAzure role assignments had not propagated after ${AZURE_RBAC_RETRY_WAITS.reduce((a, b) => a + b, 0)}s: ` +
            "run the same bootstrap command again in a few minutes (it creates only what is still missing)",
        );
      io.log(
        `bootstrap: Azure has not propagated a new role assignment yet (${message.match(AZURE_RBAC_PROPAGATION)?.[0]}); ` +
          `running again in ${wait}s (attempt ${attempt + 2} of ${AZURE_RBAC_RETRY_WAITS.length + 1})`,
      );
      await sleep(wait * 1000);
    }
  }
}

async function ask(io: BootstrapIo, req: BootstrapRequest, question: string): Promise<boolean> {
  if (req.yes) return true;
  if (!io.interactive || !io.confirm)
    throw new Error(
      "bootstrap changes real infrastructure: pass --yes to run it without a terminal to confirm on",
    );
  return io.confirm(question);
}

/** Creates (or, with `destroy`, removes) the state store for real. */
export async function runBootstrap(
  request: BootstrapRequest,
  io: BootstrapIo,
): Promise<BootstrapResult | undefined> {
  let req = request;
  validateRequest(req);
  const exec = io.exec ?? execCommand;
  const passphrase = passphraseEnv(io.env);
  if (!io.openStack && !onPath("pulumi", io.env))
    throw new Error(
      "the `pulumi` CLI is not on PATH; bootstrap drives it through the Automation API (https://www.pulumi.com/docs/iac/download-install/). " +
        "`officeless bootstrap --dry-run` shows the plan without it",
    );
  const cloud = req.cloud as BootstrapCloud;
  const account = req.project ?? (await resolveAccount(cloud, exec));
  req = { ...req, ...(await resolveDeployer(req, exec)) };
  const target = checkedTarget(req, account);
  const names = bootstrapNames(target);
  const urls = bootstrapUrls(target, names);
  const stateDir = bootstrapStateDir(io.home ?? os.homedir());
  fs.mkdirSync(stateDir, { recursive: true });
  const backendUrl = `file://${stateDir}`;
  const open = (destroying: boolean) =>
    (io.openStack ?? localStack)({
      stackName: names.stack,
      program: bootstrapProgram(programOptions(req, target, destroying)),
      backendUrl,
      envVars: { ...passphrase, PULUMI_BACKEND_URL: backendUrl, PULUMI_SKIP_UPDATE_CHECK: "true" },
      cloud,
    });
  const configure = async (stack: BootstrapStack) => {
    await stack.setAllConfig(
      Object.fromEntries(
        Object.entries(providerConfig(target)).map(([k, value]) => [k, { value }]),
      ),
    );
    return stack;
  };
  if (cloud === "azure" && !req.destroy && azureStateSku(target.region) === "Standard_LRS")
    io.log(
      `bootstrap: ${target.region} has no availability zones (no zone-redundant storage): the state account is Standard_LRS`,
    );
  const stack = await configure(await open(false));
  const { cloudResources, ownsStore } = ownedResources(
    (await stack.exportStack()).deployment?.resources ?? [],
    cloud,
    names,
  );

  if (req.destroy) {
    if (!cloudResources.length)
      throw new Error(
        `nothing to destroy: bootstrap's state (${backendUrl}, stack ${names.stack}) holds no resource of ${names.bucket}`,
      );
    // A first run that stopped before the bucket left only keys and grants: no state can be in it.
    // Azure's versioned URL is in the outputs of a complete run; the versionless one names the same key.
    const exported = (await stack.outputs()).secretsProvider?.value;
    const keptKey = typeof exported === "string" ? exported : urls.secretsProvider;
    const { stacks, backups } = ownsStore
      ? await stacksInBucket(target, names, exec)
      : { stacks: [], backups: [] };
    if (!ownsStore)
      io.log(
        `bootstrap's state holds ${cloudResources.length} resource(s) but no ${storeResource(cloud, names)[1]} (an earlier run stopped before it): no stack state to check`,
      );
    if (stacks.length)
      throw new Error(
        `refusing to destroy ${names.bucket}: it still holds the state of ${stacks.length} stack(s): ${stacks.join(", ")}. ` +
          "Destroy or move those stacks first (pulumi stack rm, or export/import to another backend). " +
          `--destroy keeps the secrets key (${keptKey}): moved stacks still decrypt with it until each runs pulumi stack change-secrets-provider`,
      );
    if (
      !(await ask(
        io,
        req,
        `destroy the empty state store ${names.bucket} and its keys (${cloud}, ${target.region})` +
          (backups.length
            ? `, with the ${backups.length} backup(s) removed stacks left (${backups.join(", ")})`
            : "") +
          `? The secrets key ${keptKey} and its grants are kept (delete them once no stack uses them) [y/N] `,
      ))
    ) {
      io.log("aborted: nothing was changed");
      return undefined;
    }
    // Protection off (and the bucket's leftover history and old versions deleted with it), then destroy.
    const unprotected = await configure(await open(true));
    await upWaitingForRbac(unprotected, cloud, io);
    await unprotected.destroy();
    const forgot = req.projectDir ? forgetProjectConfig(req.projectDir, urls.backendUrl) : false;
    return {
      target,
      ...urls,
      outputs: {},
      destroyed: true,
      keptSecretsKey: keptKey,
      configFile:
        forgot && req.projectDir ? path.join(req.projectDir, PROJECT_CONFIG_FILE) : undefined,
    };
  }

  if (!ownsStore) {
    const found = await inspectBucket(target, names, exec);
    if (found.exists)
      throw new Error(
        `${names.bucket} already exists and bootstrap did not create it (not in ${backendUrl}); it is not reused` +
          (found.weaknesses.length
            ? `. Weaker than bootstrap's: ${found.weaknesses.join("; ")}`
            : "") +
          `. Choose another --name, or bring it under bootstrap with pulumi import`,
      );
  }
  const preview = await stack.preview();
  const changes = Object.entries(preview.changeSummary).filter(([op, n]) => op !== "same" && n > 0);
  if (changes.length) {
    io.log(`bootstrap ${names.stack}: ${changes.map(([op, n]) => `${n} to ${op}`).join(", ")}`);
    if (
      !(await ask(
        io,
        req,
        `create/update the state store ${names.bucket} (${cloud}, ${target.region})? [y/N] `,
      ))
    ) {
      io.log("aborted: nothing was changed");
      return undefined;
    }
  } else io.log(`bootstrap ${names.stack}: up to date, nothing to change`);
  const result = changes.length
    ? (await upWaitingForRbac(stack, cloud, io)).outputs
    : await stack.outputs();
  // Azure's is pinned to the key version the program read; the others are known up front.
  const secretsProvider = result.secretsProvider?.value;
  if (typeof secretsProvider !== "string" || !secretsProvider)
    throw new Error(
      `bootstrap's stack ${names.stack} exported no secretsProvider; run bootstrap again`,
    );
  const final = { ...urls, secretsProvider };
  const configFile = req.projectDir
    ? writeProjectConfig(req.projectDir, {
        ...final,
        bootstrap: { cloud, region: target.region, name: target.name, account },
      })
    : undefined;
  return { target, ...final, outputs: plainOutputs(result), configFile };
}
