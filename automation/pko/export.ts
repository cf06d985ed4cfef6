/**
 * `officeless export pko`: the stack graph as Pulumi Kubernetes Operator (v2) manifests, one
 * `pulumi.com/v1` Stack per layer stack. Names, graph and per-layer config come from the runner
 * itself (buildStackGraph/selectStacks, AutomationEngine.planLayerStack), so a Stack reconciled by
 * the operator runs with exactly the config `officeless up` writes into the layer's settings file.
 *
 * What the operator cannot take from the runner's settings file: the base stack's `secure:`
 * ciphertext (it is bound to the base stack's key, and the operator sets config with `pulumi config
 * set`), so every key holding a secret is read from a Kubernetes Secret (`spec.secretsRef`, a file
 * the operator mounts: the plaintext never appears in a manifest). Cloud credentials, the
 * passphrase and the Pulumi access token are environment variables from Secrets (`spec.envRefs`).
 * The output is deterministic: same inputs, same bytes (no timestamps, stable order).
 */
import { stringify as stringifyYaml } from "yaml";
import { AutomationEngine, isPulumiCloud } from "../runner/engines/automation";
import { buildStackGraph, selectStacks, topologicalOrder } from "../runner/graph";
import { isProd } from "../runner/runner";
import { BaseStackInfo } from "../runner/graph";
import { containsSecure, loadBaseStacks } from "../runner/stacks";
import { RunnerError, StackGraph, StackNode } from "../runner/types";
import { CLOUD_CREDENTIALS, cloudOfUrl, CredentialEnv } from "./credentials";

export const PKO_API_VERSION = "pulumi.com/v1";

/** The CRD's `x-kubernetes-validations` rule on Stack names (pulumi.com_stacks.yaml v2.9.0). */
export const MAX_STACK_OBJECT_NAME = 42;

/** A Kubernetes object name: an RFC 1123 subdomain (lowercase alphanumerics, '-' and '.'). */
const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A namespace name: an RFC 1123 label, at most 63 characters, no dots. */
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** The operator treats a resync period under 60 s as 60 s (CRD: resyncFrequencySeconds). */
export const MIN_RESYNC_SECONDS = 60;

/** Fixed names of the Secrets the Stacks read (documented in the README). */
export const PASSPHRASE_SECRET = "officeless-passphrase";
export const ACCESS_TOKEN_SECRET = "officeless-pulumi-token";
export const credentialsSecretOf = (cloud: string) => `officeless-${cloud}-credentials`;
/** One Secret per base stack holds its secret config values, one data key per config key. */
export const configSecretOf = (baseStack: string) => `${baseStack}-config`;
/** `officeless:vpn` -> `officeless.vpn`: Secret data keys allow only `[-._a-zA-Z0-9]`. */
export const secretKeyOf = (configKey: string) => configKey.replace(/[^-._a-zA-Z0-9]/g, ".");

export interface PkoExportOptions {
  readonly stacks: readonly string[];
  readonly layers?: readonly string[];
  readonly exclude?: readonly string[];
  /** Git URL of the project (the operator clones it). */
  readonly repo: string;
  readonly branch: string;
  /** Folder of Pulumi.yaml inside the repository. */
  readonly path?: string;
  /** @default "officeless" */
  readonly namespace?: string;
  /** Service account of the workspace pods. @default "pulumi" */
  readonly serviceAccount?: string;
  readonly projectDir?: string;
  /** As the runner's flags; unset: `.officeless/config.json`, as the runner resolves them. */
  readonly backendUrl?: string;
  readonly secretsProvider?: string;
  /** Cloud credentials from Secrets; false: the service account's workload identity only. @default true */
  readonly credentials?: boolean;
  /** Secret with `accessToken` for a private repository (spec.gitAuth.accessToken). */
  readonly gitAuthSecret?: string;
  /** @default true */
  readonly refresh?: boolean;
  /** Polling (and, with driftDetection, re-run) period. @default 600 */
  readonly resyncFrequencySeconds?: number;
  /** Re-run each stack every resync even when the commit did not change. @default false */
  readonly driftDetection?: boolean;
  /** @default true: a 409 (another update running) is retried, as the runner retries it */
  readonly retryOnUpdateConflict?: boolean;
  /** Workspace pod resources. @default requests cpu 1, memory 2Gi; limits memory 4Gi */
  readonly workspaceCpu?: string;
  readonly workspaceMemory?: string;
  readonly workspaceMemoryLimit?: string;
  /** @default "Delete": idle workspace pods are removed between runs */
  readonly workspaceReclaimPolicy?: "Retain" | "Delete";
  /** Injection point for tests. */
  readonly loadBaseStacks?: (names: readonly string[], projectDir: string) => BaseStackInfo[];
}

/** A Kubernetes Secret key the Stacks read: who must create it, and what goes in it. */
export interface RequiredSecret {
  readonly name: string;
  readonly key: string;
  readonly holds: string;
}

export interface PkoExport {
  /** Namespace, ServiceAccount, ClusterRoleBinding, then one Stack per layer stack in dependency order. */
  readonly objects: Record<string, unknown>[];
  readonly stackObjects: Record<string, unknown>[];
  readonly graph: StackGraph;
  readonly secrets: RequiredSecret[];
}

type Ref = { type: "Secret"; secret: { name: string; key: string } };
const secretRef = (name: string, key: string): Ref => ({ type: "Secret", secret: { name, key } });

function checkName(name: string, what: string): void {
  if (name.length > MAX_STACK_OBJECT_NAME || !RFC1123_SUBDOMAIN.test(name))
    throw new RunnerError(
      `${what} "${name}" cannot be a Stack object's name: the operator's CRD allows at most ${MAX_STACK_OBJECT_NAME} characters, lowercase letters, digits, '-' and '.'`,
      "pkoName",
    );
}

/** Sorted copy of a record (stable output whatever order the stack file had). */
function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Builds the manifests. Throws a RunnerError for what the operator could not run. */
export function exportPko(options: PkoExportOptions): PkoExport {
  const engine = new AutomationEngine({
    projectDir: options.projectDir,
    backendUrl: options.backendUrl,
    secretsProvider: options.secretsProvider,
    requirePulumi: false,
  });
  const backend = engine.backendUrl;
  if (backend.startsWith("file://"))
    throw new RunnerError(
      `the operator's workspace pods cannot share the file backend ${backend}: pass --backend (s3://, gs://, azblob://, https://api.pulumi.com) or run officeless bootstrap, which writes one into .officeless/config.json`,
      "pkoBackend",
    );
  const bases = (options.loadBaseStacks ?? loadBaseStacks)(options.stacks, engine.projectDir);
  const graph = selectStacks(buildStackGraph(bases), "up", {
    layers: options.layers,
    exclude: options.exclude,
  });
  const namespace = options.namespace ?? "officeless";
  const serviceAccount = options.serviceAccount ?? "pulumi";
  if (!RFC1123_LABEL.test(namespace))
    throw new RunnerError(
      `--namespace "${namespace}" is not a Kubernetes namespace name: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
      "pkoName",
    );
  if (!RFC1123_SUBDOMAIN.test(serviceAccount) || serviceAccount.length > 253)
    throw new RunnerError(
      `--service-account "${serviceAccount}" is not a Kubernetes object name`,
      "pkoName",
    );
  const resync = options.resyncFrequencySeconds ?? 600;
  if (!Number.isInteger(resync) || resync < MIN_RESYNC_SECONDS)
    throw new RunnerError(
      `--resync-seconds ${resync}: at least ${MIN_RESYNC_SECONDS} (the operator raises anything lower to ${MIN_RESYNC_SECONDS})`,
      "pkoResync",
    );
  const secrets = new Map<string, RequiredSecret>();
  const need = (s: RequiredSecret) => secrets.set(`${s.name}/${s.key}`, s);

  const stackObjects = topologicalOrder(graph).map((id) => {
    const node = graph.nodes.get(id)!;
    checkName(id, "layer stack");
    return stackObject(node, { engine, backend, namespace, serviceAccount, resync, options, need });
  });
  const objects = [...supportObjects(namespace, serviceAccount), ...stackObjects];
  const list = [...secrets.values()].sort((a, b) =>
    `${a.name}/${a.key}` < `${b.name}/${b.key}` ? -1 : 1,
  );
  return { objects, stackObjects, graph, secrets: list };
}

/** The namespace and the workspace pods' service account (PKO v2 needs it bound to system:auth-delegator). */
function supportObjects(namespace: string, serviceAccount: string): Record<string, unknown>[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: serviceAccount, namespace } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: `${namespace}:${serviceAccount}:system:auth-delegator` },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "system:auth-delegator",
      },
      subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace }],
    },
  ];
}

function stackObject(
  node: StackNode,
  ctx: {
    engine: AutomationEngine;
    backend: string;
    namespace: string;
    serviceAccount: string;
    resync: number;
    options: PkoExportOptions;
    need: (s: RequiredSecret) => void;
  },
): Record<string, unknown> {
  const { engine, backend, options, need } = ctx;
  const plan = engine.planLayerStack(node);
  const config: Record<string, unknown> = {};
  const secretsRef: Record<string, Ref> = {};
  const configSecret = configSecretOf(node.baseStack);
  const secretKeys = new Set(plan.reencrypt);
  for (const [key, value] of Object.entries(plan.settings.config)) {
    if (containsSecure(value)) secretKeys.add(key);
    else config[key] = value;
  }
  for (const key of secretKeys) {
    secretsRef[key] = secretRef(configSecret, secretKeyOf(key));
    need({
      name: configSecret,
      key: secretKeyOf(key),
      holds: `${key} of ${node.baseStack}, decrypted (pulumi config get ${key} --stack ${node.baseStack}; a map or list as its JSON)`,
    });
  }

  const envRefs: Record<string, Ref> = {};
  const addEnv = (secret: string, entries: readonly CredentialEnv[], holds: string) => {
    for (const e of entries) {
      envRefs[e.env] = secretRef(secret, e.key);
      need({ name: secret, key: e.key, holds });
    }
  };
  if (plan.secretsProvider === "passphrase" || plan.settings.encryptionSalt)
    addEnv(
      PASSPHRASE_SECRET,
      [{ env: "PULUMI_CONFIG_PASSPHRASE", key: "PULUMI_CONFIG_PASSPHRASE" }],
      "the passphrase of the passphrase secrets provider",
    );
  if (isPulumiCloud(backend))
    addEnv(
      ACCESS_TOKEN_SECRET,
      [{ env: "PULUMI_ACCESS_TOKEN", key: "PULUMI_ACCESS_TOKEN" }],
      "a Pulumi Cloud access token",
    );
  if (options.credentials !== false) {
    const clouds = new Set(
      [node.cloud, cloudOfUrl(backend), cloudOfUrl(plan.secretsProvider)].filter((c): c is string =>
        Boolean(c),
      ),
    );
    for (const cloud of [...clouds].sort()) {
      const entries = CLOUD_CREDENTIALS[cloud];
      if (!entries)
        throw new RunnerError(
          `no credential variables are known for cloud ${cloud} (stack ${node.id}): pass --no-credentials and give the workspace's service account the cloud identity (workload identity)`,
          "pkoCredentials",
        );
      addEnv(credentialsSecretOf(cloud), entries, `${cloud} credentials of the deploying identity`);
    }
  }

  const prod = isProd(node);
  const spec: Record<string, unknown> = {
    stack: node.id,
    projectRepo: options.repo,
    branch: options.branch,
    ...(options.path ? { repoDir: options.path } : {}),
    ...(options.gitAuthSecret
      ? { gitAuth: { accessToken: secretRef(options.gitAuthSecret, "accessToken") } }
      : {}),
    backend,
    ...(plan.secretsProvider ? { secretsProvider: plan.secretsProvider } : {}),
    config: sorted(config),
    ...(Object.keys(secretsRef).length ? { secretsRef: sorted(secretsRef) } : {}),
    ...(Object.keys(envRefs).length ? { envRefs: sorted(envRefs) } : {}),
    ...(node.deps.length ? { prerequisites: [...node.deps].sort().map((name) => ({ name })) } : {}),
    serviceAccountName: ctx.serviceAccount,
    // Deleting a Stack object must never destroy the cloud resources; prod keeps its `protect`.
    destroyOnFinalize: false,
    refresh: options.refresh ?? true,
    resyncFrequencySeconds: ctx.resync,
    ...(options.driftDetection ? { continueResyncOnCommitMatch: true } : {}),
    retryOnUpdateConflict: options.retryOnUpdateConflict ?? true,
    workspaceReclaimPolicy: options.workspaceReclaimPolicy ?? "Delete",
    workspaceTemplate: {
      spec: {
        resources: {
          requests: {
            cpu: options.workspaceCpu ?? "1",
            memory: options.workspaceMemory ?? "2Gi",
          },
          limits: { memory: options.workspaceMemoryLimit ?? "4Gi" },
        },
      },
    },
  };
  return {
    apiVersion: PKO_API_VERSION,
    kind: "Stack",
    metadata: {
      name: node.id,
      namespace: ctx.namespace,
      labels: {
        "app.kubernetes.io/managed-by": "officeless",
        "app.kubernetes.io/part-of": "officeless",
        "officeless.dev/base-stack": node.baseStack,
        "officeless.dev/layer": node.layer,
        ...(node.environment ? { "officeless.dev/environment": node.environment } : {}),
      },
      // Prod: a GitOps tool never prunes or deletes the Stack object on its own.
      ...(prod
        ? {
            annotations: {
              "argocd.argoproj.io/sync-options": "Delete=false,Prune=false",
              "kustomize.toolkit.fluxcd.io/prune": "disabled",
            },
          }
        : {}),
    },
    spec,
  };
}

/** The manifests as one multi-document YAML stream. */
export function renderPko(objects: readonly Record<string, unknown>[]): string {
  return objects.map((o) => stringifyYaml(o, { lineWidth: 0 })).join("---\n");
}

/** What the user creates before applying, as text for stderr. */
export function renderRequiredSecrets(
  secrets: readonly RequiredSecret[],
  namespace: string,
): string {
  if (!secrets.length) return "";
  const lines = [
    `Kubernetes Secrets the Stacks read (namespace ${namespace}), never in these manifests:`,
  ];
  for (const s of secrets) lines.push(`  ${s.name} / ${s.key}: ${s.holds}`);
  return lines.join("\n");
}
