import * as pulumi from "@pulumi/pulumi";
import { pickOutputs } from "./outputs";
import { CommonArgs, Scope, scopeOf } from "./types";

/**
 * The shape every layer component shares: validate args before any child exists, let the cloud
 * backend build children under `this`, then register exactly the layer's typed outputs.
 */
export abstract class LayerComponent<TOutputs extends object> extends pulumi.ComponentResource {
  /** The layer's typed outputs, for wiring into downstream components. */
  public readonly outputs: TOutputs;

  protected constructor(
    type: string,
    name: string,
    layer: string,
    args: CommonArgs,
    keys: readonly (keyof TOutputs & string)[],
    build: (scope: Scope) => TOutputs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    const outputs = build(scopeOf(this, name, layer, args));
    this.outputs = pickOutputs(outputs, keys) as TOutputs;
    this.registerOutputs(this.outputs as Record<string, unknown>);
  }
}
