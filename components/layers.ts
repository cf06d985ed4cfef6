/**
 * The layer graph: which layers a stack config turns on and which upstream layers each reads.
 * The program, the offline plan and the automation runner all derive their order from here.
 */
import { catalogFor, isCloudId } from "../providers/registry";
import { LAYERS, LayerName, PlatformConfig } from "./types";

/** Upstream layers each layer reads through StackReferences (its edges in the stack graph). */
export const LAYER_DEPENDENCIES: Readonly<Record<LayerName, readonly LayerName[]>> = {
  network: [],
  kubernetes: ["network"],
  storage: ["network", "kubernetes"],
  vpn: ["network"],
  addons: ["network", "kubernetes"],
  cache: ["network", "kubernetes"],
  observability: ["kubernetes", "storage"],
};

/**
 * A cloud's layer graph: the platform's, plus the upstream layers its catalog adds
 * (CloudCatalog.layerDependencies). LAYERS stays a topological order of every cloud's graph.
 */
export function layerDependencies(
  cloud: string | undefined,
): Readonly<Record<LayerName, readonly LayerName[]>> {
  const extra = cloud && isCloudId(cloud) ? catalogFor(cloud)?.layerDependencies : undefined;
  if (!extra) return LAYER_DEPENDENCIES;
  const out = { ...LAYER_DEPENDENCIES };
  for (const [layer, deps] of Object.entries(extra) as [LayerName, readonly LayerName[]][]) {
    out[layer] = [...new Set([...out[layer], ...deps])];
  }
  return out;
}

/** The layers a config turns on, in dependency order (LAYERS is already topologically sorted). */
export function activeLayers(
  config: Pick<PlatformConfig, "vpn" | "cache" | "observability">,
): LayerName[] {
  return LAYERS.filter((layer) => {
    if (layer === "vpn") return config.vpn.enabled;
    if (layer === "cache") return config.cache.enabled;
    if (layer === "observability") return config.observability.enabled;
    return true;
  });
}

/** The stack that holds one layer of a base stack: `dev-aws` + `network` = `dev-aws-network`. */
export function layerStackName(baseStack: string, layer: LayerName): string {
  return `${baseStack}-${layer}`;
}

/** The base stack of a layer stack (`dev-aws-network` -> `dev-aws`), or the name itself. */
export function baseStackOf(stack: string, layer?: LayerName): string {
  return layer && stack.endsWith(`-${layer}`) ? stack.slice(0, -(layer.length + 1)) : stack;
}
