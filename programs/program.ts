/**
 * The Pulumi program: every enabled layer in one stack by default, or exactly one layer when
 * `officeless:layer` is set, reading upstream layers through typed StackReferences.
 */
import * as pulumi from "@pulumi/pulumi";
import { clusterProvider } from "../components/clusterProvider";
import { activeLayers, layerDependencies, baseStackOf, layerStackName } from "../components/layers";
import { readOutputs } from "../components/outputs";
import {
  LAYER_BUILDERS,
  LAYER_OUTPUTS,
  Platform,
  PlatformOutputs,
  needsClusterApi,
} from "../components/platform";
import { LayerName, PlatformConfig } from "../components/types";
import { loadConfig } from "./config";

export interface ProgramOptions {
  /** Validated config; read from the stack's `officeless:` keys when unset. */
  readonly config?: PlatformConfig;
  /** Probe the private cluster endpoint before using it (off under mocks). @default true */
  readonly checkEndpoint?: boolean;
}

/** The fully qualified stack holding `layer` for this stack's base stack. */
export function upstreamStackName(
  config: PlatformConfig,
  layer: LayerName,
  current = pulumi.getStack(),
): string {
  const ref = config.stackReference;
  const org = ref.organization ?? (pulumi.getOrganization() || "organization");
  const project = ref.project ?? pulumi.getProject();
  const base = ref.baseStack ?? baseStackOf(current, config.layer);
  return `${org}/${project}/${layerStackName(base, layer)}`;
}

/** A layer's exports: its components' output keys, flat, exactly as LAYER_OUTPUTS lists them. */
export function layerExports(layer: LayerName, outputs: PlatformOutputs): Record<string, unknown> {
  const exported: Record<string, unknown> = {};
  for (const { part, keys } of LAYER_OUTPUTS[layer]) {
    const values = outputs[part] as Record<string, unknown> | undefined;
    if (!values) continue;
    for (const key of keys) exported[key] = values[key];
  }
  return exported;
}

/** Reads each upstream layer's primary outputs through one StackReference per upstream stack. */
function readUpstream(config: PlatformConfig, layer: LayerName): PlatformOutputs {
  const upstream: PlatformOutputs = {};
  for (const dep of layerDependencies(config.cloud)[layer]) {
    const ref = new pulumi.StackReference(upstreamStackName(config, dep));
    const { part, keys } = LAYER_OUTPUTS[dep][0];
    (upstream as Record<string, unknown>)[part] = readOutputs(ref, keys as never);
  }
  return upstream;
}

function runLayer(
  config: PlatformConfig,
  layer: LayerName,
  options: ProgramOptions,
): Record<string, unknown> {
  if (!activeLayers(config).includes(layer)) {
    throw new Error(
      `officeless:layer = "${layer}" but that layer is turned off (officeless:${layer}.enabled is false)`,
    );
  }
  const upstream = readUpstream(config, layer);
  const kubernetesProvider = needsClusterApi(config, layer)
    ? clusterProvider(`${config.name}-k8s`, {
        kubernetes: upstream.kubernetes!,
        checkEndpoint: options.checkEndpoint,
      })
    : undefined;
  const built = LAYER_BUILDERS[layer]({
    name: config.name,
    config,
    upstream,
    opts: {},
    kubernetesProvider,
    checkEndpoint: options.checkEndpoint,
  });
  return layerExports(layer, built);
}

/** Runs the program; returns the stack outputs. */
export async function runProgram(options: ProgramOptions = {}): Promise<Record<string, unknown>> {
  const config = options.config ?? loadConfig();
  if (config.layer) return runLayer(config, config.layer, options);
  const platform = new Platform(config.name, { config, checkEndpoint: options.checkEndpoint });
  const exported: Record<string, unknown> = {};
  for (const layer of activeLayers(config)) exported[layer] = layerExports(layer, platform.outputs);
  return exported;
}
