/**
 * The one interface every cloud implements. Components call it with a `Scope` whose parent is the
 * component, so every child a backend creates sits under the component and inherits its providers.
 * Backends return plain typed outputs; they never read config or the environment.
 */
import type { BackupArgs, BackupOutputs } from "../components/backup";
import type { CacheArgs, CacheOutputs } from "../components/cache";
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../components/clusterAddons";
import type { KubernetesClusterArgs, KubernetesOutputs } from "../components/kubernetesCluster";
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../components/loadBalancing";
import type { NetworkArgs, NetworkOutputs } from "../components/network";
import type { ObservabilityArgs, ObservabilityOutputs } from "../components/observability";
import type { StorageArgs, StorageOutputs } from "../components/storage";
import type { CacheConfig, CloudId, LayerName, PlatformConfig, Scope } from "../components/types";
import type { Issue } from "../components/validation";
import type { VpnArgs, VpnOutputs } from "../components/vpn";

export interface CloudBackend {
  readonly cloud: CloudId;
  /**
   * Layers whose components create in-cluster resources (Helm releases, StorageClasses) on this
   * cloud: only these get a Kubernetes provider, and so only these must reach the private endpoint.
   */
  readonly clusterApiLayers: readonly LayerName[];
  /**
   * Why this cloud's cache gets no in-cluster exporter for this config (its metrics live in the
   * cloud's monitoring instead), or undefined when it gets one with the observability layer on.
   * @default always deployed
   */
  readonly cacheExporterSkipped?: (cache: CacheConfig) => string | undefined;
  network(scope: Scope, args: NetworkArgs): NetworkOutputs;
  kubernetes(scope: Scope, args: KubernetesClusterArgs): KubernetesOutputs;
  storage(scope: Scope, args: StorageArgs): StorageOutputs;
  backup(scope: Scope, args: BackupArgs): BackupOutputs;
  loadBalancing(scope: Scope, args: LoadBalancingArgs): LoadBalancingOutputs;
  vpn(scope: Scope, args: VpnArgs): VpnOutputs;
  addons(scope: Scope, args: ClusterAddonsArgs): ClusterAddonsOutputs;
  cache(scope: Scope, args: CacheArgs): CacheOutputs;
  observability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs;
}

/** The config sections a cloud's own rules look at (only those that parsed are present). */
export type CloudConfigSections = Partial<
  Pick<
    PlatformConfig,
    | "name"
    | "environment"
    | "region"
    | "zones"
    | "network"
    | "kubernetes"
    | "storage"
    | "backup"
    | "cache"
    | "vpn"
    | "observability"
    | "onprem"
    | "oci"
  >
>;

/** Facts about a cloud that config validation needs without loading its SDK. */
export interface CloudCatalog {
  /** Region name to its zone names. */
  readonly regions: Readonly<Record<string, readonly string[]>>;
  /**
   * Region and zone names are the user's own (a data centre and its failure domains, on-prem):
   * `regions` is not consulted and `configIssues` checks the names' shape. @default false
   */
  readonly userDefinedRegions?: boolean;
  /** What the cloud itself would refuse at deploy time (log retentions, schedules, node types). */
  readonly configIssues?: (config: CloudConfigSections) => Issue[];
  /**
   * The `topology.kubernetes.io/zone` value this cloud's nodes carry in a configured zone, for
   * node selectors that pin replicas to zones. @default the zone name itself (AWS, GCP)
   */
  readonly nodeZoneLabel?: (region: string, zone: string) => string;
  /**
   * Which out-of-region copies the backend builds: `objects` for `storage.object.replication`,
   * `backups` for `backup.crossRegionCopy`. Where absent they default off and may not be turned on.
   * @default none
   */
  readonly crossRegionCopies?: { readonly objects: boolean; readonly backups: boolean };
  /**
   * Annotations that make a `LoadBalancer` Service private to the network (observability's
   * central write path and Grafana's private exposure; `{}` where every load balancer address is
   * private, as MetalLB's pools on-prem). @default none: `observability.mode: central` and
   * `grafana.exposure: private` are refused on the cloud
   */
  readonly privateLoadBalancerAnnotations?: Readonly<Record<string, string>>;
  /** Why the cloud has no `privateLoadBalancerAnnotations`, for the validation message. */
  readonly noPrivateLoadBalancerReason?: string;
  /**
   * Upstream layers a layer reads on this cloud beyond the platform's graph (LAYER_DEPENDENCIES),
   * e.g. on-prem's in-cluster cache reads the add-ons (cert-manager issues its certificate) and
   * the storage layer (its volumes' class). They become edges of the runner's graph too.
   * @default none
   */
  readonly layerDependencies?: Readonly<Partial<Record<LayerName, readonly LayerName[]>>>;
}

/** The node label values of a stack's zones (see CloudCatalog.nodeZoneLabel). */
export function nodeZoneLabels(
  catalog: CloudCatalog | undefined,
  region: string,
  zones: readonly string[],
): string[] {
  return zones.map((zone) => catalog?.nodeZoneLabel?.(region, zone) ?? zone);
}
