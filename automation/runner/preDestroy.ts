/**
 * Pre-destroy hooks: what must happen before a layer's stack is destroyed so nothing is left behind.
 *
 * In-cluster controllers create cloud resources Pulumi does not know about: the AWS Load Balancer
 * Controller makes ELBs, target groups and security groups for LoadBalancer Services and Ingresses.
 * If the controller goes first they leak, and their security groups and ENIs block the VPC's
 * deletion (terraform-aws-eks #2048, #2643). So:
 *  - before the addons layer (which holds the controller) goes, every LoadBalancer Service and
 *    Ingress is deleted and we wait until they are gone. Their finalizers
 *    (`service.k8s.aws/resources`, `ingress.k8s.aws/resources`, or the in-tree
 *    `service.kubernetes.io/load-balancer-cleanup`) hold them until the controller has deleted
 *    the cloud resources, so "gone" means "cloud side cleaned up";
 *  - before the kubernetes layer goes on AWS, we wait until no resource tagged
 *    `elbv2.k8s.aws/cluster=<cluster>` remains, and refuse to continue while one does;
 *  - outside prod, before the storage layer (which holds the CSI drivers) goes, the observability
 *    namespace's PersistentVolumeClaims are deleted and we wait until their volumes are gone. The
 *    charts keep StatefulSet PVCs on uninstall (mimir-distributed `persistentVolume.whenDeleted:
 *    Retain`), so without this their disks outlive the cluster. Prod keeps them, as it keeps data.
 * Both talk to the real cluster and cloud (kubectl, aws CLI); tests inject the command runner.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OBSERVABILITY_NAMES } from "../../components/observabilityValues";
import { Clock } from "./clock";
import { StackNode } from "./types";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; resolves with its exit code (never rejects for a non-zero exit). */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options?: { signal?: AbortSignal },
) => Promise<CommandResult>;

export const execCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { maxBuffer: 64 * 1024 * 1024, signal: options.signal },
      (err, stdout, stderr) => {
        const code = (err as { code?: unknown } | null)?.code;
        // A string code (ENOENT, ABORT_ERR) means the command did not run; a number is its exit code.
        if (err && typeof code !== "number") return reject(err);
        resolve({
          code: typeof code === "number" ? code : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
  });

/** Whether `command` is an executable file on PATH. */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const exts = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD").split(";") : [""];
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      try {
        fs.accessSync(path.join(dir, command + ext), fs.constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

export interface PreDestroyContext {
  readonly node: StackNode;
  /** Plain (non-secret) config of the base stack, full keys (`officeless:region`). */
  readonly baseConfig: Readonly<Record<string, unknown>>;
  /** Current outputs of a stack with secrets revealed, or undefined when it has no state. */
  outputsOf(stack: string): Promise<Record<string, unknown> | undefined>;
  readonly exec: CommandRunner;
  /** Whether a tool is installed. @default onPath */
  readonly hasCommand?: (command: string) => boolean;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** How long to wait for controllers to clean up. @default 15 min */
  readonly timeoutMs?: number;
  /** Poll interval while waiting. @default 15 s */
  readonly pollMs?: number;
}

export type PreDestroyHook = (ctx: PreDestroyContext) => Promise<string[]>;

function need(ctx: PreDestroyContext, command: string, why: string): void {
  if (!(ctx.hasCommand ?? onPath)(command)) {
    throw new Error(
      `pre-destroy of ${ctx.node.id} needs \`${command}\` on PATH ${why}; install it, or pass --skip-pre-destroy if you have removed them yourself`,
    );
  }
}

async function run(ctx: PreDestroyContext, command: string, args: string[]): Promise<string> {
  const r = await ctx.exec(command, args, { signal: ctx.signal });
  if (r.code !== 0)
    throw new Error(
      `${command} ${args.filter((a) => !a.startsWith("--kubeconfig")).join(" ")} failed (${r.code}): ${r.stderr.trim()}`,
    );
  return r.stdout;
}

interface KubeItem {
  metadata: { namespace: string; name: string };
  spec?: { type?: string };
}

/** Groups `namespace/name` items by namespace. */
function byNamespace(items: readonly KubeItem[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const i of items)
    out.set(i.metadata.namespace, [...(out.get(i.metadata.namespace) ?? []), i.metadata.name]);
  return out;
}

/**
 * Runs `use` with the cluster's kubeconfig in a private temporary file (`--kubeconfig=<file>`), or
 * returns `[none]` when the kubernetes stack has no kubeconfig output (cluster already gone).
 */
async function withKubeconfig(
  ctx: PreDestroyContext,
  none: string,
  why: string,
  use: (kc: string) => Promise<string[]>,
): Promise<string[]> {
  const kubeStack = `${ctx.node.baseStack}-kubernetes`;
  const outputs = await ctx.outputsOf(kubeStack);
  const kubeconfig = outputs?.kubeconfig;
  if (typeof kubeconfig !== "string" || !kubeconfig) {
    return [`${none}: ${kubeStack} has no kubeconfig output (cluster already gone)`];
  }
  need(ctx, "kubectl", why);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "officeless-"));
  const file = path.join(dir, "kubeconfig");
  try {
    await fs.promises.writeFile(file, kubeconfig, { mode: 0o600 });
    return await use(`--kubeconfig=${file}`);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** Addons layer: delete LoadBalancer Services and Ingresses, wait for their finalizers (cloud cleanup). */
export const drainLoadBalancers: PreDestroyHook = (ctx) =>
  withKubeconfig(
    ctx,
    "no load balancers to drain",
    "to delete LoadBalancer Services and Ingresses before the load balancer controller goes",
    async (kc) => {
      const wait = `--timeout=${Math.round((ctx.timeoutMs ?? 15 * 60_000) / 1000)}s`;
      const services = (
        JSON.parse(
          await run(ctx, "kubectl", [kc, "get", "services", "--all-namespaces", "-o", "json"]),
        ) as { items: KubeItem[] }
      ).items.filter((s) => s.spec?.type === "LoadBalancer");
      const ingresses = (
        JSON.parse(
          await run(ctx, "kubectl", [kc, "get", "ingresses", "--all-namespaces", "-o", "json"]),
        ) as { items: KubeItem[] }
      ).items;
      // Ingresses first: their load balancers may front LoadBalancer-less Services.
      for (const [kind, items] of [
        ["ingress", ingresses],
        ["service", services],
      ] as const) {
        for (const [ns, names] of byNamespace(items)) {
          await run(ctx, "kubectl", [
            kc,
            "delete",
            kind,
            "-n",
            ns,
            ...names,
            "--wait=true",
            wait,
            "--ignore-not-found",
          ]);
        }
      }
      if (!services.length && !ingresses.length)
        return ["no LoadBalancer Services or Ingresses in the cluster"];
      return [
        `deleted ${services.length} LoadBalancer Service(s) and ${ingresses.length} Ingress(es) and waited for their cloud load balancers to be removed`,
      ];
    },
  );

/** The namespace the observability layer installs Mimir, Loki and Tempo into. */
export const OBSERVABILITY_NAMESPACE = OBSERVABILITY_NAMES.namespace;

interface PersistentVolume {
  metadata: { name: string };
  spec?: { claimRef?: { namespace?: string; name?: string }; csi?: { volumeHandle?: string } };
}

/**
 * Storage layer outside prod: delete the observability namespace's PVCs (the releases are gone by
 * now: that layer is destroyed first) and wait until the PersistentVolumes bound to them are
 * deleted, which with the dev StorageClass's `Delete` reclaim means the CSI driver, still running
 * in this layer, has deleted the disks.
 */
export const deleteObservabilityVolumes: PreDestroyHook = async (ctx) => {
  const ns = OBSERVABILITY_NAMESPACE;
  // Only where the environment is known and unprotected (prod protects its data, see types.ts).
  if (ctx.node.environment === undefined || ctx.node.environment === "prod")
    return [
      `${ctx.node.environment ?? "an unknown environment"} keeps the ${ns} namespace's volumes (their data outlives the stack)`,
    ];
  return withKubeconfig(
    ctx,
    `no ${ns} volumes to delete`,
    `to delete the ${ns} namespace's PersistentVolumeClaims before the CSI driver goes`,
    async (kc) => {
      const claims = (
        JSON.parse(await run(ctx, "kubectl", [kc, "get", "pvc", "-n", ns, "-o", "json"])) as {
          items: KubeItem[];
        }
      ).items.map((i) => i.metadata.name);
      if (claims.length > 0) {
        const wait = `--timeout=${Math.round((ctx.timeoutMs ?? 15 * 60_000) / 1000)}s`;
        await run(ctx, "kubectl", [
          kc,
          "delete",
          "pvc",
          "-n",
          ns,
          ...claims,
          "--wait=true",
          wait,
          "--ignore-not-found",
        ]);
      }
      const timeout = ctx.timeoutMs ?? 15 * 60_000;
      const poll = ctx.pollMs ?? 15_000;
      const deadline = ctx.clock.now() + timeout;
      for (;;) {
        const left = (
          JSON.parse(await run(ctx, "kubectl", [kc, "get", "pv", "-o", "json"])) as {
            items: PersistentVolume[];
          }
        ).items.filter((pv) => pv.spec?.claimRef?.namespace === ns);
        if (left.length === 0)
          return claims.length > 0
            ? [
                `deleted ${claims.length} PersistentVolumeClaim(s) in ${ns} and waited for their volumes to be deleted`,
              ]
            : [`no PersistentVolumeClaims or volumes left in ${ns}`];
        if (ctx.clock.now() + poll > deadline) {
          const names = left.map(
            (pv) =>
              `${pv.metadata.name}${pv.spec?.csi?.volumeHandle ? ` (${pv.spec.csi.volumeHandle})` : ""}`,
          );
          throw new Error(
            `${left.length} volume(s) of ${ns} still exist after ${Math.round(timeout / 60_000)} min: ${names.join(", ")}. ` +
              "A Retain reclaim policy or a stuck CSI driver keeps them; delete the PersistentVolumes and their disks, then rerun with --resume",
          );
        }
        await ctx.clock.sleep(poll, ctx.signal);
      }
    },
  );
};

/** Tag the AWS Load Balancer Controller puts on everything it creates. */
export const AWS_LBC_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/** Kubernetes layer on AWS: wait until nothing the load balancer controller made remains. */
export const awaitControllerResourcesGone: PreDestroyHook = async (ctx) => {
  const outputs = await ctx.outputsOf(ctx.node.id);
  const cluster = outputs?.clusterName;
  const region = ctx.baseConfig["officeless:region"] ?? ctx.baseConfig["aws:region"];
  if (typeof cluster !== "string" || typeof region !== "string")
    return [`no controller resources to check: ${ctx.node.id} has no cluster name`];
  need(
    ctx,
    "aws",
    `to check that no resource tagged ${AWS_LBC_CLUSTER_TAG}=${cluster} is left before the cluster and network go`,
  );
  const timeout = ctx.timeoutMs ?? 15 * 60_000;
  const poll = ctx.pollMs ?? 15_000;
  const deadline = ctx.clock.now() + timeout;
  for (;;) {
    const out = await run(ctx, "aws", [
      "resourcegroupstaggingapi",
      "get-resources",
      "--region",
      region,
      "--tag-filters",
      `Key=${AWS_LBC_CLUSTER_TAG},Values=${cluster}`,
      "--output",
      "json",
    ]);
    const arns = (
      (JSON.parse(out) as { ResourceTagMappingList?: { ResourceARN: string }[] })
        .ResourceTagMappingList ?? []
    ).map((r) => r.ResourceARN);
    if (!arns.length) return [`no ${AWS_LBC_CLUSTER_TAG}=${cluster} resources left`];
    if (ctx.clock.now() + poll > deadline) {
      throw new Error(
        `${arns.length} resource(s) created by the AWS Load Balancer Controller for ${cluster} still exist after ${Math.round(timeout / 60_000)} min: ` +
          `${arns.join(", ")}. They block deleting the network; delete them (or the Services/Ingresses that own them) and rerun with --resume`,
      );
    }
    await ctx.clock.sleep(poll, ctx.signal);
  }
};

/** Hooks per layer, and the clouds they apply to (unset: every cloud). */
export const PRE_DESTROY_HOOKS: Readonly<
  Record<string, { hook: PreDestroyHook; clouds?: readonly string[] }>
> = {
  addons: { hook: drainLoadBalancers },
  storage: { hook: deleteObservabilityVolumes },
  kubernetes: { hook: awaitControllerResourcesGone, clouds: ["aws"] },
};

/** Runs the hook of a node's layer, if any; returns notes for the summary. */
export async function runPreDestroy(ctx: PreDestroyContext): Promise<string[]> {
  const entry = PRE_DESTROY_HOOKS[ctx.node.layer];
  if (!entry || (entry.clouds && !entry.clouds.includes(ctx.node.cloud ?? ""))) return [];
  return entry.hook(ctx);
}
