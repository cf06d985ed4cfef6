/**
 * The offline plan: runs the real program of every layer of a base stack under Pulumi mocks, in
 * dependency order, feeding each layer its upstream layers' outputs through the same
 * StackReferences the real deployment uses. No cloud credentials, no Pulumi CLI.
 *
 * The Pulumi runtime is global per process (pulumi/pulumi #5449): layers run strictly one at a time.
 */
import * as pulumi from "@pulumi/pulumi";
import { activeLayers, layerDependencies, layerStackName } from "../../components/layers";
import { CloudId, Environment, LayerName, PlatformConfig } from "../../components/types";
import { parseConfig, readStackFile, stackFilePath } from "../../programs/config";
import { runProgram } from "../../programs/program";
import { installMocks, RecordedResource, SECRET_PLACEHOLDER } from "./mocks";
import { findProjectDir } from "../runner/stacks";
import { centralStackMock } from "./centralObservability";

export type PlannedResource = RecordedResource;

export interface PlannedStack {
  /** The layer's stack, e.g. `prod-aws-network`. */
  name: string;
  baseStack: string;
  layer: LayerName;
  cloud: CloudId;
  environment: Environment;
  /** Upstream layer stacks this one reads. */
  dependsOn: string[];
  resources: PlannedResource[];
  /** Stack outputs; secrets appear as "[secret]". */
  outputs: Record<string, unknown>;
}

export interface PlanResult {
  stacks: PlannedStack[];
  summary: { stacks: number; resources: number };
}

export interface PlanOptions {
  /** Folder holding Pulumi.yaml and the stack files. @default the repository root */
  projectDir?: string;
}

/** A base stack's file, read and validated once. */
export interface LoadedStackConfig {
  config: PlatformConfig;
  raw: Record<string, unknown>;
  secretKeys: Set<string>;
}

/** The project folder: the nearest folder holding Pulumi.yaml, from the working directory up. */
export function defaultProjectDir(): string {
  return findProjectDir(process.cwd());
}

/** Loads and validates a base stack's config file; throws the config error listing every problem. */
export function loadStackConfig(baseStack: string, options: PlanOptions = {}): LoadedStackConfig {
  const file = stackFilePath(options.projectDir ?? defaultProjectDir(), baseStack);
  const { raw, secretKeys } = readStackFile(file);
  return { config: parseConfig(raw, { secretKeys, stack: baseStack }), raw, secretKeys };
}

/** Resolves an output tree to plain JSON, secrets replaced by "[secret]". */
async function resolveValue(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    if (await pulumi.isSecret(value)) return SECRET_PLACEHOLDER;
    const inner = await new Promise<unknown>((resolve) => value.apply((v) => resolve(v)));
    return resolveValue(inner);
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolveValue));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolveValue(v);
    return out;
  }
  return value;
}

/**
 * Waits until the program has registered everything: outstanding RPCs, then a turn of the event
 * loop for applies that create resources once an RPC answers, until nothing new arrives. The
 * runtime is global: a registration left pending would land in the next layer's mock session.
 */
export async function settleProgram(recorded: () => number): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
  let before: number;
  do {
    before = recorded();
    await runtime.waitForRPCs();
    await new Promise((resolve) => setTimeout(resolve, 0));
  } while (recorded() !== before);
  await runtime.waitForRPCs();
}

/**
 * Plans one layer stack of a base stack. `upstream` maps upstream layer stack names to their
 * planned outputs; values equal to "[secret]" are handed on as secrets. `loaded` skips re-reading
 * the stack file when the caller has it already.
 */
export async function planLayer(
  baseStack: string,
  layer: LayerName,
  upstream: Record<string, Record<string, unknown>>,
  options: PlanOptions = {},
  loaded: LoadedStackConfig = loadStackConfig(baseStack, options),
): Promise<PlannedStack> {
  const { config, raw, secretKeys } = loaded;
  const name = layerStackName(baseStack, layer);
  const org = config.stackReference.organization ?? "organization";
  const project = config.stackReference.project ?? "officeless";
  const stackOutputs: Record<string, Record<string, unknown>> = {};
  const stackSecretOutputs: Record<string, string[]> = {};
  for (const [stack, outputs] of Object.entries(upstream)) {
    const full = `${org}/${project}/${stack}`;
    stackOutputs[full] = outputs;
    stackSecretOutputs[full] = Object.keys(outputs).filter(
      (k) => outputs[k] === SECRET_PLACEHOLDER,
    );
  }
  // A remote-mode observability layer reads its central platform's stack.
  const central = centralStackMock(config);
  Object.assign(stackOutputs, central.outputs);
  Object.assign(stackSecretOutputs, central.secretOutputs);
  const mocks = await installMocks({
    project,
    stack: name,
    stackOutputs,
    stackSecretOutputs,
    region: config.region,
  });
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...raw, layer })) {
    values[`officeless:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  pulumi.runtime.setAllConfig(
    values,
    [...secretKeys].map((k) => `officeless:${k}`),
  );
  const exported = await runProgram({ checkEndpoint: false });
  const outputs = (await resolveValue(exported)) as Record<string, unknown>;
  await settleProgram(() => mocks.resources.length);
  return {
    name,
    baseStack,
    layer,
    cloud: config.cloud,
    environment: config.environment,
    dependsOn: layerDependencies(config.cloud)[layer].map((dep) => layerStackName(baseStack, dep)),
    resources: mocks.resources,
    outputs,
  };
}

/** Plans every enabled layer of each base stack. Every stack file is validated before any layer runs. */
export async function plan(
  baseStacks: readonly string[],
  options: PlanOptions = {},
): Promise<PlanResult> {
  const loaded = baseStacks.map((base) => ({ base, stackConfig: loadStackConfig(base, options) }));
  const stacks: PlannedStack[] = [];
  for (const { base, stackConfig } of loaded) {
    const { config } = stackConfig;
    const outputsByStack: Record<string, Record<string, unknown>> = {};
    for (const layer of activeLayers(config)) {
      const upstream: Record<string, Record<string, unknown>> = {};
      for (const dep of layerDependencies(config.cloud)[layer]) {
        const depStack = layerStackName(base, dep);
        upstream[depStack] = outputsByStack[depStack];
      }
      const planned = await planLayer(base, layer, upstream, options, stackConfig);
      outputsByStack[planned.name] = planned.outputs;
      stacks.push(planned);
    }
  }
  return {
    stacks,
    summary: {
      stacks: stacks.length,
      resources: stacks.reduce((n, s) => n + s.resources.length, 0),
    },
  };
}

/** Resource counts by type, most frequent first. */
export function countByType(resources: readonly PlannedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
