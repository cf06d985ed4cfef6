import * as pulumi from "@pulumi/pulumi";
import { backendFor } from "../providers/registry";
import { KubernetesOutputs } from "./kubernetesCluster";
import { LayerComponent } from "./layerComponent";
import { outputKeys } from "./outputs";
import { StorageOutputs } from "./storage";
import { CommonArgs, ObservabilityConfig } from "./types";

export interface ObservabilityArgs extends CommonArgs {
  readonly observability: ObservabilityConfig;
  /** The stack's zones: zone-aware replicas are pinned to the first three. */
  readonly zones: readonly string[];
  readonly kubernetes: KubernetesOutputs;
  /** Mimir, Loki and Tempo keep their data in the storage layer's buckets. */
  readonly storage: StorageOutputs;
}

export interface ObservabilityOutputs {
  readonly namespace: pulumi.Output<string>;
  /** In-cluster URLs: Prometheus remote-write/query (Mimir), Loki push/query, Tempo OTLP. */
  readonly metricsUrl: pulumi.Output<string>;
  readonly logsUrl: pulumi.Output<string>;
  readonly tracesUrl: pulumi.Output<string>;
  /** Helm releases installed, as `namespace/name@chartVersion`. */
  readonly releases: pulumi.Output<string[]>;
}

export const OBSERVABILITY_OUTPUT_KEYS = outputKeys<ObservabilityOutputs>({
  namespace: true,
  metricsUrl: true,
  logsUrl: true,
  tracesUrl: true,
  releases: true,
});

/** Mimir, Loki and Tempo on object storage through their own cloud identities. Needs a Kubernetes provider in `opts`. */
export class Observability extends LayerComponent<ObservabilityOutputs> {
  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "officeless:observability:Observability",
      name,
      "observability",
      args,
      OBSERVABILITY_OUTPUT_KEYS,
      (scope) => backendFor(args.cloud).observability(scope, args),
      opts,
    );
  }
}
