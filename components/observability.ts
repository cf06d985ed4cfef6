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
  /** This platform's tenant id and cluster label (its `officeless:name`). @default the component's name */
  readonly tenant?: string;
}

export interface ObservabilityOutputs {
  readonly namespace: pulumi.Output<string>;
  /** In-cluster URLs: Prometheus remote-write/query (Mimir), Loki push/query, Tempo OTLP. */
  readonly metricsUrl: pulumi.Output<string>;
  readonly logsUrl: pulumi.Output<string>;
  readonly tracesUrl: pulumi.Output<string>;
  /** Helm releases installed, as `namespace/name@chartVersion`. */
  readonly releases: pulumi.Output<string[]>;
  /** The tenant (`X-Scope-OrgID`) this platform's data is kept under. */
  readonly tenant: pulumi.Output<string>;
  /** Where applications send OTLP in the cluster: `host:4317` (gRPC) and `http://host:4318`. */
  readonly otlpGrpcEndpoint: pulumi.Output<string>;
  readonly otlpHttpEndpoint: pulumi.Output<string>;
  /** Grafana's URL: rootUrl when exposed privately, else in-cluster (port-forward to it); empty when off. */
  readonly grafanaUrl: pulumi.Output<string>;
  /** Grafana's generated `admin` password (secret); empty when Grafana is off. */
  readonly grafanaAdminPassword: pulumi.Output<string>;
  /** PEM of the CA Grafana's HTTPS certificate chains to (exposure `private`), for browsers to trust; else empty. */
  readonly grafanaCaCertificate: pulumi.Output<string>;
  /** Mimir's Prometheus API for KEDA ScaledObjects (`serverAddress`). */
  readonly autoscalingQueryUrl: pulumi.Output<string>;
  /** Central mode: the write path's URL and each remote tenant's password (secret); null otherwise. */
  readonly central: pulumi.Output<unknown>;
}

export const OBSERVABILITY_OUTPUT_KEYS = outputKeys<ObservabilityOutputs>({
  namespace: true,
  metricsUrl: true,
  logsUrl: true,
  tracesUrl: true,
  releases: true,
  tenant: true,
  otlpGrpcEndpoint: true,
  otlpHttpEndpoint: true,
  grafanaUrl: true,
  grafanaAdminPassword: true,
  grafanaCaCertificate: true,
  autoscalingQueryUrl: true,
  central: true,
});

/**
 * Mimir, Loki and Tempo on object storage through their own cloud identities, the collectors,
 * rules, Alertmanager config, Grafana and KEDA (or, in remote mode, collectors only). Needs a
 * Kubernetes provider in `opts`.
 */
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
