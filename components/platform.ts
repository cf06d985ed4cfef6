import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { backendFor } from "../providers/registry";
import { activeLayers } from "./layers";
import { Backup, BackupOutputs, BACKUP_OUTPUT_KEYS } from "./backup";
import { Cache, CacheOutputs, CACHE_OUTPUT_KEYS } from "./cache";
import { ClusterAddons, ClusterAddonsOutputs, CLUSTER_ADDONS_OUTPUT_KEYS } from "./clusterAddons";
import { clusterProvider } from "./clusterProvider";
import { KubernetesCluster, KubernetesOutputs, KUBERNETES_OUTPUT_KEYS } from "./kubernetesCluster";
import { LoadBalancing, LoadBalancingOutputs, LOAD_BALANCING_OUTPUT_KEYS } from "./loadBalancing";
import { Network, NetworkOutputs, NETWORK_OUTPUT_KEYS } from "./network";
import { Observability, ObservabilityOutputs, OBSERVABILITY_OUTPUT_KEYS } from "./observability";
import { Storage, StorageOutputs, STORAGE_OUTPUT_KEYS } from "./storage";
import { CommonArgs, LayerName, PlatformConfig } from "./types";
import { Vpn, VpnOutputs, VPN_OUTPUT_KEYS } from "./vpn";

/** Every layer's typed outputs; a layer that is off is absent. */
export interface PlatformOutputs {
  network?: NetworkOutputs;
  kubernetes?: KubernetesOutputs;
  storage?: StorageOutputs;
  backup?: BackupOutputs;
  vpn?: VpnOutputs;
  addons?: ClusterAddonsOutputs;
  loadBalancing?: LoadBalancingOutputs;
  cache?: CacheOutputs;
  observability?: ObservabilityOutputs;
}

/**
 * What each layer's stack exports: its components' output keys, flat. The storage layer carries
 * Backup beside Storage and the addons layer LoadBalancing beside ClusterAddons, as the Terraform
 * layout's 03-storage and 05-helm do.
 */
export const LAYER_OUTPUTS: Readonly<
  Record<LayerName, readonly { part: keyof PlatformOutputs; keys: readonly string[] }[]>
> = {
  network: [{ part: "network", keys: NETWORK_OUTPUT_KEYS }],
  kubernetes: [{ part: "kubernetes", keys: KUBERNETES_OUTPUT_KEYS }],
  storage: [
    { part: "storage", keys: STORAGE_OUTPUT_KEYS },
    { part: "backup", keys: BACKUP_OUTPUT_KEYS },
  ],
  vpn: [{ part: "vpn", keys: VPN_OUTPUT_KEYS }],
  addons: [
    { part: "addons", keys: CLUSTER_ADDONS_OUTPUT_KEYS },
    { part: "loadBalancing", keys: LOAD_BALANCING_OUTPUT_KEYS },
  ],
  cache: [{ part: "cache", keys: CACHE_OUTPUT_KEYS }],
  observability: [{ part: "observability", keys: OBSERVABILITY_OUTPUT_KEYS }],
};

/** Everything a layer builder needs. */
export interface LayerContext {
  /** Root name; component names derive from it (`${name}-network`, ...). */
  readonly name: string;
  readonly config: PlatformConfig;
  /** Upstream layers' outputs (from this stack's components or from StackReferences). */
  readonly upstream: PlatformOutputs;
  /** Options for the layer's components (parent, providers). */
  readonly opts: pulumi.ComponentResourceOptions;
  /** Kubernetes provider for layers that talk to the cluster API. */
  readonly kubernetesProvider?: k8s.Provider;
  /** Probe clusters and endpoints before using them (off under mocks). @default true */
  readonly checkEndpoint?: boolean;
}

function common(config: PlatformConfig): CommonArgs {
  return {
    cloud: config.cloud,
    region: config.region,
    environment: config.environment,
    tags: config.tags,
    ...(config.oci ? { oci: config.oci } : {}),
    ...(config.onprem ? { onprem: config.onprem } : {}),
  };
}

function need<K extends keyof PlatformOutputs>(
  ctx: LayerContext,
  part: K,
): NonNullable<PlatformOutputs[K]> {
  const value = ctx.upstream[part];
  if (!value)
    throw new Error(`layer wiring: ${String(part)} outputs are needed but were not provided`);
  return value as NonNullable<PlatformOutputs[K]>;
}

/** The layer's options with the cluster's Kubernetes provider, where the backend needs one. */
function withProvider(ctx: LayerContext): pulumi.ComponentResourceOptions {
  if (!ctx.kubernetesProvider) return ctx.opts;
  return {
    ...ctx.opts,
    providers: { ...(ctx.opts.providers as object), kubernetes: ctx.kubernetesProvider },
  };
}

/** Builds one layer's components from the config and upstream outputs. Used by Platform and by per-layer programs. */
export const LAYER_BUILDERS: Readonly<Record<LayerName, (ctx: LayerContext) => PlatformOutputs>> = {
  network: ({ name, config, opts }) => ({
    network: new Network(
      `${name}-network`,
      { ...common(config), zones: config.zones, network: config.network },
      opts,
    ).outputs,
  }),
  kubernetes: (ctx) => ({
    // The cluster takes the root name: it is the platform's physical cluster name.
    kubernetes: new KubernetesCluster(
      ctx.name,
      {
        ...common(ctx.config),
        zones: ctx.config.zones,
        kubernetes: ctx.config.kubernetes,
        network: need(ctx, "network"),
        ...(ctx.checkEndpoint === undefined ? {} : { checkEndpoint: ctx.checkEndpoint }),
      },
      ctx.opts,
    ).outputs,
  }),
  storage: (ctx) => {
    const storage = new Storage(
      `${ctx.name}-storage`,
      {
        ...common(ctx.config),
        zones: ctx.config.zones,
        storage: ctx.config.storage,
        network: need(ctx, "network"),
        kubernetes: need(ctx, "kubernetes"),
        ...(ctx.config.backup.enabled ? { backup: ctx.config.backup } : {}),
      },
      withProvider(ctx),
    ).outputs;
    const backup = ctx.config.backup.enabled
      ? new Backup(
          `${ctx.name}-backup`,
          {
            ...common(ctx.config),
            backup: ctx.config.backup,
            storage,
            kubernetes: need(ctx, "kubernetes"),
          },
          // In-cluster backups (Velero, on-prem) need the cluster's provider.
          withProvider(ctx),
        ).outputs
      : undefined;
    return { storage, backup };
  },
  vpn: (ctx) => ({
    vpn: new Vpn(
      `${ctx.name}-vpn`,
      {
        ...common(ctx.config),
        zones: ctx.config.zones,
        vpn: ctx.config.vpn,
        network: need(ctx, "network"),
      },
      ctx.opts,
    ).outputs,
  }),
  addons: (ctx) => {
    const args = {
      ...common(ctx.config),
      network: need(ctx, "network"),
      kubernetes: need(ctx, "kubernetes"),
    };
    // The load-balancer controller first: its Service webhook must be serving before other
    // releases create Services.
    const loadBalancing = new LoadBalancing(`${ctx.name}-lb`, args, withProvider(ctx));
    return {
      addons: new ClusterAddons(
        `${ctx.name}-addons`,
        { ...args, kubernetesConfig: ctx.config.kubernetes, servicesAfter: [loadBalancing] },
        withProvider(ctx),
      ).outputs,
      loadBalancing: loadBalancing.outputs,
    };
  },
  cache: (ctx) => ({
    cache: new Cache(
      `${ctx.name}-cache`,
      {
        ...common(ctx.config),
        zones: ctx.config.zones,
        cache: ctx.config.cache,
        network: need(ctx, "network"),
        kubernetes: need(ctx, "kubernetes"),
        // Present when this cloud's cache reads them (CloudCatalog.layerDependencies).
        addons: ctx.upstream.addons,
        storage: ctx.upstream.storage,
        // The collectors scrape the cache's exporter only where they run.
        metrics: ctx.config.observability.enabled,
      },
      // An in-cluster cache (Valkey, on-prem) needs the cluster's provider.
      withProvider(ctx),
    ).outputs,
  }),
  observability: (ctx) => ({
    observability: new Observability(
      `${ctx.name}-obs`,
      {
        ...common(ctx.config),
        observability: ctx.config.observability,
        tenant: ctx.name,
        zones: ctx.config.zones,
        kubernetes: need(ctx, "kubernetes"),
        storage: need(ctx, "storage"),
      },
      withProvider(ctx),
    ).outputs,
  }),
};

/** Whether a layer's components talk to the cluster API on this cloud (and need a Kubernetes provider). */
export function needsClusterApi(config: PlatformConfig, layer: LayerName): boolean {
  const backend = backendFor(config.cloud);
  if (backend.clusterApiLayers.includes(layer)) return true;
  // The cache's exporter runs in the cluster when the collectors do (components/cacheExporter.ts).
  return (
    layer === "cache" &&
    config.observability.enabled &&
    backend.cacheExporterSkipped?.(config.cache) === undefined
  );
}

export interface PlatformArgs {
  /** The validated configuration (programs/config.ts `parseConfig`). */
  readonly config: PlatformConfig;
  /** Probe the private API endpoint before using it. @default true */
  readonly checkEndpoint?: boolean;
}

/**
 * The whole platform in one stack: every enabled layer, wired in dependency order.
 * For one stack per layer, see programs/ (each layer reads its upstream through StackReferences).
 */
export class Platform extends pulumi.ComponentResource {
  public readonly outputs: PlatformOutputs;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("officeless:platform:Platform", name, {}, opts);
    const outputs: PlatformOutputs = {};
    let kubernetesProvider: k8s.Provider | undefined;
    for (const layer of activeLayers(args.config)) {
      if (needsClusterApi(args.config, layer) && !kubernetesProvider) {
        kubernetesProvider = clusterProvider(
          `${name}-k8s`,
          {
            kubernetes: outputs.kubernetes!,
            checkEndpoint: args.checkEndpoint,
          },
          { parent: this },
        );
      }
      Object.assign(
        outputs,
        LAYER_BUILDERS[layer]({
          name,
          config: args.config,
          upstream: outputs,
          opts: { parent: this },
          kubernetesProvider,
          checkEndpoint: args.checkEndpoint,
        }),
      );
    }
    this.outputs = outputs;
    this.registerOutputs(outputs as Record<string, unknown>);
  }
}
