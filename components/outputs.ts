/**
 * Helpers that keep a layer's exported outputs, its `registerOutputs` call and the StackReference
 * reader in step: each layer lists its output keys once, checked against its `XxxOutputs` type.
 */
import * as pulumi from "@pulumi/pulumi";

/** A complete, compile-time-checked list of an outputs interface's keys. */
export function outputKeys<T>(keys: {
  readonly [K in keyof Required<T>]: true;
}): readonly (keyof T & string)[] {
  return Object.keys(keys) as (keyof T & string)[];
}

/** Exactly the listed fields of `source`, in order: what a component registers and a stack exports. */
export function pickOutputs<T extends object>(
  source: T,
  keys: readonly (keyof T & string)[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = source[key];
  return out;
}

/** Reads a layer's outputs back from its stack, one `requireOutput` per key, typed as the layer's interface. */
export function readOutputs<T>(ref: pulumi.StackReference, keys: readonly (keyof T & string)[]): T {
  const out: Record<string, pulumi.Output<unknown>> = {};
  for (const key of keys) out[key] = ref.requireOutput(key);
  return out as unknown as T;
}
