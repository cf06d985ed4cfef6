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
 *  - before the kubernetes layer goes on AWS, we wait until no load balancer, target group or
 *    security group tagged `elbv2.k8s.aws/cluster=<cluster>` remains, and refuse to continue while
 *    one does. The tagging API names the candidates; each one's own service confirms it exists.
 * On GCP the cluster itself makes cloud resources that outlive it (`gcloud container clusters
 * delete`: "External load balancers created by the cluster; Persistent disk volumes" are not
 * deleted, kubernetes/ingress-gce#1195), and they block deleting the subnets and the network
 * (terraform-provider-google#5948). So:
 *  - before the kubernetes layer goes on GCP, every Gateway and HTTPRoute (GKE's Gateway
 *    controller: forwarding rules in the proxy-only subnet, NEGs, health-check firewall rules) and
 *    every PersistentVolumeClaim is deleted, and we wait until the PersistentVolumes with reclaim
 *    policy Delete (PD disks, Filestore instances of the CSI drivers) are gone;
 *  - before the network layer goes on GCP, we delete what GKE left on the VPC (its Gateways'
 *    forwarding rules, its NEGs and firewall rules: no controller is left to remove them), wait
 *    until no other forwarding rule or Filestore instance uses it, then delete the private
 *    services access peering (`servicenetworking-googleapis-com`): the network layer's
 *    servicenetworking.Connection is abandoned on destroy, since its delete fails for a while
 *    after the producers are gone (pulumi/pulumi-gcp#3354).
 * And on every cloud, outside prod, before the storage layer (which holds the CSI drivers) goes,
 * the observability namespace's PersistentVolumeClaims are deleted and we wait until their volumes
 * are gone. The charts keep StatefulSet PVCs on uninstall (mimir-distributed
 * `persistentVolume.whenDeleted: Retain`), so without this their disks outlive the cluster. Prod
 * keeps them, as it keeps data.
 * They talk to the real cluster and cloud (kubectl, aws and gcloud CLIs); tests inject the command runner.
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
  spec?: { type?: string; persistentVolumeReclaimPolicy?: string; storageClassName?: string };
}

/** Groups `namespace/name` items by namespace. */
function byNamespace(items: readonly KubeItem[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const i of items)
    out.set(i.metadata.namespace, [...(out.get(i.metadata.namespace) ?? []), i.metadata.name]);
  return out;
}

/**
 * Runs `use` with the kubeconfig output of `kubeStack` (a secret) in a private temporary file,
 * removed afterwards, once `kubectl` is known to be on PATH. Without that output the cluster is
 * already gone: returns `<none>: <kubeStack> has no kubeconfig output (cluster already gone)`.
 */
async function withClusterKubeconfig(
  ctx: PreDestroyContext,
  kubeStack: string,
  none: string,
  why: string,
  use: (kc: string) => Promise<string[]>,
): Promise<string[]> {
  const kubeconfig = (await ctx.outputsOf(kubeStack))?.kubeconfig;
  if (typeof kubeconfig !== "string" || !kubeconfig)
    return [`${none}: ${kubeStack} has no kubeconfig output (cluster already gone)`];
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

/** `kubectl delete <kind> -n <ns> <names...> --wait`, one call per namespace. */
async function deleteAndWait(
  ctx: PreDestroyContext,
  kc: string,
  kind: string,
  items: readonly KubeItem[],
): Promise<void> {
  const wait = `--timeout=${Math.round((ctx.timeoutMs ?? 15 * 60_000) / 1000)}s`;
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

/** Addons layer: delete LoadBalancer Services and Ingresses, wait for their finalizers (cloud cleanup). */
export const drainLoadBalancers: PreDestroyHook = async (ctx) => {
  return withClusterKubeconfig(
    ctx,
    `${ctx.node.baseStack}-kubernetes`,
    "no load balancers to drain",
    "to delete LoadBalancer Services and Ingresses before the load balancer controller goes",
    async (kc) => {
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
      await deleteAndWait(ctx, kc, "ingress", ingresses);
      await deleteAndWait(ctx, kc, "service", services);
      if (!services.length && !ingresses.length)
        return ["no LoadBalancer Services or Ingresses in the cluster"];
      return [
        `deleted ${services.length} LoadBalancer Service(s) and ${ingresses.length} Ingress(es) and waited for their cloud load balancers to be removed`,
      ];
    },
  );
};

/** Tag the AWS Load Balancer Controller puts on everything it creates. */
export const AWS_LBC_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/**
 * The kinds the controller makes that outlive it and block the network, and how to ask each one's
 * own service whether it still exists. The tagging API alone is not enough: it goes on listing
 * deleted resources, sometimes for hours (aws/aws-cli#8197, aws/aws-sdk#302), so it only names
 * candidates. Listeners and rules go with their load balancer and need no check of their own.
 * A not-found error from the service means gone; exit 0 means it exists.
 */
const CONTROLLER_KINDS: Readonly<
  Record<string, { args: (arn: string) => string[]; notFound: RegExp }>
> = {
  "elasticloadbalancing:loadbalancer": {
    args: (arn) => ["elbv2", "describe-load-balancers", "--load-balancer-arns", arn],
    notFound: /\(LoadBalancerNotFound\)/,
  },
  "elasticloadbalancing:targetgroup": {
    args: (arn) => ["elbv2", "describe-target-groups", "--target-group-arns", arn],
    notFound: /\(TargetGroupNotFound\)/,
  },
  "ec2:security-group": {
    args: (arn) => ["ec2", "describe-security-groups", "--group-ids", arn.split("/").pop() ?? arn],
    notFound: /\(InvalidGroup\.NotFound\)/,
  },
};

/** `service:type` of an ARN (`arn:aws:ec2:eu-west-1:1:security-group/sg-1` -> `ec2:security-group`). */
function arnKind(arn: string): string {
  const [, , service = "", , , resource = ""] = arn.split(":");
  return `${service}:${resource.split("/")[0]}`;
}

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
  /** ARNs the tagging API lists that their own service reports deleted. */
  const stale = new Set<string>();
  const exists = async (arn: string): Promise<boolean> => {
    const kind = CONTROLLER_KINDS[arnKind(arn)];
    if (!kind) return false; // not a kind we asked for (a listener or rule goes with its load balancer)
    const args = [...kind.args(arn), "--region", region, "--output", "json"];
    const r = await ctx.exec("aws", args, { signal: ctx.signal });
    if (r.code === 0) return true;
    if (kind.notFound.test(r.stderr)) {
      stale.add(arn);
      return false;
    }
    throw new Error(`aws ${args.join(" ")} failed (${r.code}): ${r.stderr.trim()}`);
  };
  const left = async (): Promise<string[]> => {
    const out = await run(ctx, "aws", [
      "resourcegroupstaggingapi",
      "get-resources",
      "--region",
      region,
      "--tag-filters",
      `Key=${AWS_LBC_CLUSTER_TAG},Values=${cluster}`,
      "--resource-type-filters",
      ...Object.keys(CONTROLLER_KINDS),
      "--output",
      "json",
    ]);
    const candidates = (
      (JSON.parse(out) as { ResourceTagMappingList?: { ResourceARN: string }[] })
        .ResourceTagMappingList ?? []
    ).map((r) => r.ResourceARN);
    const live: string[] = [];
    for (const arn of candidates) if (await exists(arn)) live.push(arn);
    return live;
  };
  await waitUntilGone(
    ctx,
    left,
    (arns, minutes) =>
      `${arns.length} resource(s) created by the AWS Load Balancer Controller for ${cluster} still exist after ${minutes} min: ` +
      `${arns.join(", ")}. They block deleting the network; delete them (or the Services/Ingresses that own them) and rerun with --resume`,
  );
  const notes = [`no ${AWS_LBC_CLUSTER_TAG}=${cluster} resources left`];
  if (stale.size)
    notes.push(
      `ignored ${stale.size} deleted resource(s) the tagging API still lists: ${[...stale].join(", ")}`,
    );
  return notes;
};

/** The Gateway API kinds GKE's Gateway controller turns into regional load balancers. */
export const GATEWAY_KINDS = [
  "gateways.gateway.networking.k8s.io",
  "httproutes.gateway.networking.k8s.io",
];

/** Items of a kind in every namespace; none when the cluster does not serve the kind (no CRD). */
async function listAll(ctx: PreDestroyContext, kc: string, kind: string): Promise<KubeItem[]> {
  const r = await ctx.exec("kubectl", [kc, "get", kind, "--all-namespaces", "-o", "json"], {
    signal: ctx.signal,
  });
  if (r.code !== 0) {
    if (/the server doesn't have a resource type|no matches for kind/i.test(r.stderr)) return [];
    throw new Error(`kubectl get ${kind} --all-namespaces failed (${r.code}): ${r.stderr.trim()}`);
  }
  return (JSON.parse(r.stdout) as { items?: KubeItem[] }).items ?? [];
}

/** Polls `check` (what is left, as names) until it returns nothing or the timeout passes. */
async function waitUntilGone(
  ctx: PreDestroyContext,
  check: () => Promise<string[]>,
  onTimeout: (left: string[], minutes: number) => string,
): Promise<void> {
  const timeout = ctx.timeoutMs ?? 15 * 60_000;
  const poll = ctx.pollMs ?? 15_000;
  const deadline = ctx.clock.now() + timeout;
  for (;;) {
    const left = await check();
    if (!left.length) return;
    if (ctx.clock.now() + poll > deadline)
      throw new Error(onTimeout(left, Math.round(timeout / 60_000)));
    await ctx.clock.sleep(poll, ctx.signal);
  }
}

/**
 * Kubernetes layer on GCP: delete every Gateway and HTTPRoute (GKE's controller removes their load
 * balancers, NEGs and firewall rules behind its finalizer), then every PersistentVolumeClaim, and
 * wait until the PersistentVolumes the CSI drivers delete (reclaim policy Delete: PD disks,
 * Filestore instances) are gone. Retained volumes (prod's reclaim policy) stay, and are named.
 */
export const drainGkeCloudResources: PreDestroyHook = async (ctx) => {
  return withClusterKubeconfig(
    ctx,
    ctx.node.id,
    "no Gateways or volumes to drain",
    "to delete Gateways, HTTPRoutes and PersistentVolumeClaims before the cluster goes (their load balancers, disks and Filestore instances otherwise outlive it and block deleting the network)",
    async (kc) => {
      const notes: string[] = [];
      for (const kind of GATEWAY_KINDS) {
        const items = await listAll(ctx, kc, kind);
        await deleteAndWait(ctx, kc, kind, items);
        if (items.length)
          notes.push(
            `deleted ${items.length} ${kind.split(".")[0]} and waited for GKE to remove their load balancers`,
          );
      }
      const claims = await listAll(ctx, kc, "persistentvolumeclaims");
      await deleteAndWait(ctx, kc, "persistentvolumeclaims", claims);
      const volumes = async () => listAll(ctx, kc, "persistentvolumes");
      await waitUntilGone(
        ctx,
        async () =>
          (await volumes())
            .filter((v) => (v.spec?.persistentVolumeReclaimPolicy ?? "Delete") === "Delete")
            .map((v) => v.metadata.name),
        (left, minutes) =>
          `${left.length} PersistentVolume(s) with reclaim policy Delete still exist after ${minutes} min: ${left.join(", ")}. ` +
          "Their disks or Filestore instances would outlive the cluster; find what holds them (kubectl describe pv), then rerun with --resume",
      );
      const retained = (await volumes()).map((v) => v.metadata.name);
      if (claims.length)
        notes.push(
          `deleted ${claims.length} PersistentVolumeClaim(s) and waited for their volumes to be deleted`,
        );
      if (retained.length)
        notes.push(
          `kept ${retained.length} retained PersistentVolume(s) and their disks: ${retained.join(", ")}`,
        );
      return notes.length
        ? notes
        : ["no Gateways, HTTPRoutes or PersistentVolumeClaims in the cluster"];
    },
  );
};

/** Name prefixes of the firewall rules GKE and its controllers create on the cluster's network. */
export const GKE_FIREWALL_PREFIX = /^(gke|k8s|k8s2|gkegw|gkegw1)-/;

/** Name prefixes of the network endpoint groups GKE's NEG and Gateway controllers create. */
export const GKE_NEG_PREFIX = /^(k8s1|k8s2|gkegw|gkegw1)-/;

/** Name prefix of the forwarding rules GKE's Gateway controller creates. */
export const GKE_GATEWAY_PREFIX = /^(gkegw|gkegw1)-/;

/** The peering the private services access connection creates on the consumer network. */
export const SERVICE_NETWORKING_PEERING = "servicenetworking-googleapis-com";

/**
 * gcloud's error for a call to an API that is off in the project ("Cloud Filestore API has not
 * been used in project … before or it is disabled", kubeflow/kubeflow#1280; reason
 * SERVICE_DISABLED): nothing of that kind can exist there.
 */
export const GCP_API_DISABLED =
  /SERVICE_DISABLED|has not been used in project .* or it is disabled/i;

interface GcpItem {
  name: string;
  zone?: string;
  region?: string;
  networks?: { network?: string }[];
}

/** Something the cluster or its controllers made on the network, and how to delete it (if ours to). */
interface Leftover {
  readonly label: string;
  /** `gcloud` arguments that delete it; unset for what the hook never deletes (data, unknown owners). */
  readonly del?: string[];
}

/** `--zone z`, `--region r` or `--global`, from an item's scope URL. */
function gcpScope(item: GcpItem): string[] {
  const last = (url: string) => url.split("/").pop()!;
  if (item.zone) return ["--zone", last(item.zone)];
  if (item.region) return ["--region", last(item.region)];
  return ["--global"];
}

/**
 * Network layer on GCP: the cluster is gone by now, so whatever GKE left on the VPC has no
 * controller to remove it (terraform-provider-google#7637; the default-http-backend NEG in
 * terraform-google-enterprise-application#659). Delete what GKE made on this network (its
 * Gateways' forwarding rules, its NEGs and its firewall rules, by name prefix, never one of ours
 * named `<name>-…`), wait until nothing else uses the VPC (Filestore instances, which keep
 * private services access in use, and other forwarding rules are left to their owner), then
 * delete the private services access peering, which the network stack abandons on destroy.
 */
export const releaseGcpNetwork: PreDestroyHook = async (ctx) => {
  const outputs = await ctx.outputsOf(ctx.node.id);
  const networkId = outputs?.networkId;
  const m =
    typeof networkId === "string"
      ? /^projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(networkId)
      : null;
  if (!m)
    return [`nothing to release: ${ctx.node.id} has no networkId output (network already gone)`];
  const [, project, network] = m;
  need(
    ctx,
    "gcloud",
    `to delete what the cluster left on the network ${network} and its private services access peering`,
  );
  const name = ctx.baseConfig["officeless:name"] ?? `officeless-${ctx.node.environment ?? "dev"}`;
  // Every layer's own resources (`<name>-<layer>-…`): Pulumi deletes them, the hook never does.
  // The cluster is named `<name>` too.
  const ours = (item: GcpItem) => item.name.startsWith(`${String(name)}-`);
  const onNetwork = `network~'/networks/${network}$'`;
  const list = async (args: string[]): Promise<GcpItem[]> => {
    const r = await ctx.exec("gcloud", [...args, "--project", project, "--format", "json"], {
      signal: ctx.signal,
    });
    // An API that is off has nothing to list (Filestore when storage.file.enabled is false).
    if (r.code !== 0 && GCP_API_DISABLED.test(r.stderr)) return [];
    if (r.code !== 0)
      throw new Error(`gcloud ${args.join(" ")} failed (${r.code}): ${r.stderr.trim()}`);
    return JSON.parse(r.stdout || "[]") as GcpItem[];
  };
  const deleted = (kind: string, item: GcpItem) => [
    "compute",
    kind,
    "delete",
    item.name,
    ...(kind === "firewall-rules" ? [] : gcpScope(item)),
    "--project",
    project,
    "--quiet",
  ];
  const leftovers = async (): Promise<Leftover[]> => {
    const rules = await list(["compute", "forwarding-rules", "list", "--filter", onNetwork]);
    const negs = await list(["compute", "network-endpoint-groups", "list", "--filter", onNetwork]);
    const firewalls = await list(["compute", "firewall-rules", "list", "--filter", onNetwork]);
    const filestores = (await list(["filestore", "instances", "list"])).filter((i) =>
      (i.networks ?? []).some(
        (n) => n.network === network || n.network?.endsWith(`/networks/${network}`),
      ),
    );
    return [
      ...rules
        .filter((r) => !ours(r))
        .map((r) => ({
          label: `forwarding rule ${r.name}`,
          del: GKE_GATEWAY_PREFIX.test(r.name) ? deleted("forwarding-rules", r) : undefined,
        })),
      ...negs
        .filter((r) => !ours(r))
        .map((r) => ({
          label: `network endpoint group ${r.name}`,
          del: GKE_NEG_PREFIX.test(r.name) ? deleted("network-endpoint-groups", r) : undefined,
        })),
      ...firewalls
        .filter((f) => GKE_FIREWALL_PREFIX.test(f.name) && !ours(f))
        .map((f) => ({
          label: `firewall rule ${f.name}`,
          // GKE's cluster rules are `gke-<cluster>-<hash>-…`: another cluster's are not ours to delete.
          del:
            !f.name.startsWith("gke-") || f.name.startsWith(`gke-${String(name)}-`)
              ? deleted("firewall-rules", f)
              : undefined,
        })),
      ...filestores.map((i) => ({ label: `Filestore instance ${i.name}` })),
    ];
  };
  // Forwarding rules first (they hold the load balancers' other parts), then NEGs, then rules.
  const gkeMade = (await leftovers()).filter((l) => l.del);
  const failed: string[] = [];
  for (const l of gkeMade) {
    const r = await ctx.exec("gcloud", l.del!, { signal: ctx.signal });
    if (r.code !== 0 && !/not found|was not found|does not exist/i.test(r.stderr))
      failed.push(`${l.label} (${r.stderr.trim().split("\n")[0]})`);
  }
  if (failed.length) {
    const left = (await leftovers()).map((l) => l.label);
    throw new Error(
      `could not delete ${failed.length} resource(s) GKE left on the network ${network}: ${failed.join("; ")}. ` +
        `Still on the network: ${left.join(", ") || "nothing"}. They block deleting it; delete them ` +
        "(a NEG in use goes after the backend service that uses it) and rerun with --resume",
    );
  }
  await waitUntilGone(
    ctx,
    async () => (await leftovers()).map((l) => l.label),
    (left, minutes) =>
      `${left.length} resource(s) created outside Pulumi still use the network ${network} after ${minutes} min: ${left.join(", ")}. ` +
      "They block deleting it, and are not the cluster's to delete here; delete them (or the Services and PersistentVolumes that own them) and rerun with --resume",
  );
  const r = await ctx.exec(
    "gcloud",
    [
      "compute",
      "networks",
      "peerings",
      "delete",
      SERVICE_NETWORKING_PEERING,
      "--network",
      network,
      "--project",
      project,
      "--quiet",
    ],
    { signal: ctx.signal },
  );
  if (r.code !== 0 && !/not found|does not exist|no peering/i.test(r.stderr))
    throw new Error(
      `gcloud compute networks peerings delete ${SERVICE_NETWORKING_PEERING} failed (${r.code}): ${r.stderr.trim()}`,
    );
  return [
    ...(gkeMade.length
      ? [
          `deleted ${gkeMade.length} resource(s) GKE left on the network ${network}: ${gkeMade.map((l) => l.label).join(", ")}`,
        ]
      : []),
    `nothing the cluster made uses the network ${network}`,
    r.code === 0
      ? `deleted the private services access peering ${SERVICE_NETWORKING_PEERING}`
      : `no private services access peering ${SERVICE_NETWORKING_PEERING} to delete`,
  ];
};

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
  return withClusterKubeconfig(
    ctx,
    `${ctx.node.baseStack}-kubernetes`,
    `no ${ns} volumes to delete`,
    `to delete the ${ns} namespace's PersistentVolumeClaims before the CSI driver goes`,
    async (kc) => {
      const claims = (
        JSON.parse(await run(ctx, "kubectl", [kc, "get", "pvc", "-n", ns, "-o", "json"])) as {
          items: KubeItem[];
        }
      ).items;
      await deleteAndWait(ctx, kc, "pvc", claims);
      const volumes = async () =>
        (
          JSON.parse(await run(ctx, "kubectl", [kc, "get", "pv", "-o", "json"])) as {
            items: PersistentVolume[];
          }
        ).items.filter((pv) => pv.spec?.claimRef?.namespace === ns);
      await waitUntilGone(
        ctx,
        async () =>
          (await volumes()).map(
            (pv) =>
              `${pv.metadata.name}${pv.spec?.csi?.volumeHandle ? ` (${pv.spec.csi.volumeHandle})` : ""}`,
          ),
        (left, minutes) =>
          `${left.length} volume(s) of ${ns} still exist after ${minutes} min: ${left.join(", ")}. ` +
          "A Retain reclaim policy or a stuck CSI driver keeps them; delete the PersistentVolumes and their disks, then rerun with --resume",
      );
      return claims.length > 0
        ? [
            `deleted ${claims.length} PersistentVolumeClaim(s) in ${ns} and waited for their volumes to be deleted`,
          ]
        : [`no PersistentVolumeClaims or volumes left in ${ns}`];
    },
  );
};

/**
 * Storage layer on OCI, outside prod: OCI deletes only empty buckets and its provider has no
 * force-delete, so every object version of every bucket the stack exports is deleted first
 * (`oci os object bulk-delete-versions`; current versions are versions too). Prod keeps its data.
 */
export const emptyOciBuckets: PreDestroyHook = async (ctx) => {
  if (ctx.node.environment === undefined || ctx.node.environment === "prod")
    return [
      `${ctx.node.environment ?? "an unknown environment"} keeps its buckets' data (destroy refuses non-empty buckets)`,
    ];
  const outputs = await ctx.outputsOf(ctx.node.id);
  const buckets = Object.values((outputs?.buckets ?? {}) as Record<string, unknown>).filter(
    (b): b is string => typeof b === "string" && b.length > 0,
  );
  if (buckets.length === 0) return [`no buckets to empty: ${ctx.node.id} exports none`];
  need(ctx, "oci", "to empty the buckets (OCI deletes only empty buckets)");
  const region = String(ctx.baseConfig["officeless:region"] ?? "");
  for (const bucket of buckets)
    await run(ctx, "oci", [
      "os",
      "object",
      "bulk-delete-versions",
      "--bucket-name",
      bucket,
      "--force",
      ...(region ? ["--region", region] : []),
    ]);
  return [`deleted every object version in ${buckets.length} bucket(s): ${buckets.join(", ")}`];
};

/** A hook and the clouds it applies to (unset: every cloud). */
export interface PreDestroyEntry {
  readonly hook: PreDestroyHook;
  readonly clouds?: readonly string[];
}

/** Hooks per layer, run in order. */
export const PRE_DESTROY_HOOKS: Readonly<Record<string, readonly PreDestroyEntry[]>> = {
  addons: [{ hook: drainLoadBalancers }],
  storage: [{ hook: deleteObservabilityVolumes }, { hook: emptyOciBuckets, clouds: ["oci"] }],
  kubernetes: [
    { hook: awaitControllerResourcesGone, clouds: ["aws"] },
    { hook: drainGkeCloudResources, clouds: ["gcp"] },
  ],
  network: [{ hook: releaseGcpNetwork, clouds: ["gcp"] }],
};

/** Runs the hooks of a node's layer that apply to its cloud; returns notes for the summary. */
export async function runPreDestroy(ctx: PreDestroyContext): Promise<string[]> {
  const notes: string[] = [];
  for (const entry of PRE_DESTROY_HOOKS[ctx.node.layer] ?? []) {
    if (entry.clouds && !entry.clouds.includes(ctx.node.cloud ?? "")) continue;
    notes.push(...(await entry.hook(ctx)));
  }
  return notes;
}
