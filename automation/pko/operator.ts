/**
 * The Pulumi Kubernetes Operator itself, for a management cluster: its pinned chart (CRDs
 * included, from the chart's crds/ folder) as one Helm release. Use it in the program that
 * manages that cluster, with the cluster's Kubernetes provider:
 * `new PulumiKubernetesOperator("pko", {}, { provider })`; then apply `officeless export pko`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../../components/charts";

export interface PulumiKubernetesOperatorArgs {
  /** @default "pulumi-kubernetes-operator" (created) */
  readonly namespace?: string;
  /**
   * Stacks the controller reconciles at once (its MAX_CONCURRENT_RECONCILES, 10 by default);
   * each running stack is one workspace pod. @default 10
   */
  readonly maxConcurrentReconciles?: number;
  /** @default "info" */
  readonly logLevel?: "debug" | "info" | "error";
}

/** The chart values (every key exists in the chart's 2.9.0 defaults: tests/pko.operator.test.ts). */
export function operatorValues(args: PulumiKubernetesOperatorArgs = {}): Record<string, unknown> {
  const n = args.maxConcurrentReconciles ?? 10;
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new Error(`maxConcurrentReconciles ${n}: a whole number from 1 to 100`);
  return {
    controller: { logLevel: args.logLevel ?? "info" },
    // Read by the Stack controller (operator/internal/controller/pulumi/stack_controller.go).
    extraEnv: [{ name: "MAX_CONCURRENT_RECONCILES", value: String(n) }],
  };
}

export class PulumiKubernetesOperator extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(
    name: string,
    args: PulumiKubernetesOperatorArgs = {},
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("officeless:pko:Operator", name, {}, opts);
    const values = operatorValues(args);
    this.release = helmRelease({ name, parent: this, tags: {}, protect: false }, "operator", {
      chart: "pulumiKubernetesOperator",
      namespace: args.namespace ?? "pulumi-kubernetes-operator",
      releaseName: "pulumi-kubernetes-operator",
      values,
    });
    this.registerOutputs({ release: this.release.status });
  }
}
