import * as pulumi from "@pulumi/pulumi";
import { backendFor } from "../providers/registry";
import type { ClusterAddonsOutputs } from "./clusterAddons";
import { KubernetesOutputs } from "./kubernetesCluster";
import { LayerComponent } from "./layerComponent";
import { NetworkOutputs } from "./network";
import { outputKeys } from "./outputs";
import type { StorageOutputs } from "./storage";
import { CacheConfig, CommonArgs } from "./types";
import { validateCacheArgs } from "./validation";

export interface CacheArgs extends CommonArgs {
  readonly zones: readonly string[];
  readonly cache: CacheConfig;
  readonly network: NetworkOutputs;
  /** Only the cluster's nodes may connect. */
  readonly kubernetes: KubernetesOutputs;
  /**
   * Where the cache runs in the cluster (on-prem): the add-ons it waits for (cert-manager issues
   * its certificate) and the storage layer whose block class its volumes use. Read only on clouds
   * whose catalog makes cache depend on those layers (CloudCatalog.layerDependencies).
   */
  readonly addons?: ClusterAddonsOutputs;
  readonly storage?: StorageOutputs;
  /**
   * The observability layer is on: deploy the cache's exporter in the cluster
   * (components/cacheExporter.ts), scraped by the collectors. @default false
   */
  readonly metrics?: boolean;
}

export interface CacheOutputs {
  readonly engine: pulumi.Output<string>;
  readonly primaryEndpoint: pulumi.Output<string>;
  readonly readerEndpoint: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** AUTH token clients present. Secret. */
  readonly authToken: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
}

export const CACHE_OUTPUT_KEYS = outputKeys<CacheOutputs>({
  engine: true,
  primaryEndpoint: true,
  readerEndpoint: true,
  port: true,
  authToken: true,
  securityGroupId: true,
});

/** Managed Valkey/Redis in private subnets, encrypted at rest and in transit, multi-zone in prod. */
export class Cache extends LayerComponent<CacheOutputs> {
  constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
    validateCacheArgs(args);
    super(
      "officeless:cache:Cache",
      name,
      "cache",
      args,
      CACHE_OUTPUT_KEYS,
      (scope) => {
        const out = backendFor(args.cloud).cache(scope, args);
        return { ...out, authToken: pulumi.secret(out.authToken) };
      },
      opts,
    );
  }
}
