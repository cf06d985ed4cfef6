/**
 * The two sources of {@link ResourceView}s: CrossGuard's validation arguments in a real preview, and
 * the offline plan's recorded resources (inputs as the program passed them, `[secret]` where a
 * value is secret, references resolved through the mocks' ids).
 */
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { mockIdOf, RecordedResource, SECRET_PLACEHOLDER } from "../automation/offline/mocks";
import { ResourceView, StackView } from "./types";

/** The value at a dotted path (`a.b.0.c`), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  if (!path) return value;
  return path
    .split(".")
    .reduce<unknown>(
      (v, k) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k]),
      value,
    );
}

/** What CrossGuard tells of a resource, in both kinds of validation. */
interface CrossGuardResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, unknown>;
  readonly opts?: { readonly protect?: boolean };
}

/** A view of a real preview's resource: its secrets unknown (unwrapped by the SDK). */
function crossGuardView(
  r: CrossGuardResource,
  dependencies: (property: string) => readonly string[],
): ResourceView {
  const { type, name, urn, props } = r;
  return {
    type,
    name,
    urn,
    props,
    protect: Boolean(r.opts?.protect),
    isSecret: () => undefined,
    dependencies,
  };
}

/** A resource of a real preview (resource policies are given no property dependencies). */
export function fromCrossGuardResource(args: ResourceValidationArgs): ResourceView {
  return crossGuardView(args, () => []);
}

/** The resources of a real preview's stack validation. */
export function fromCrossGuardStack(resources: readonly PolicyResource[]): StackView {
  return {
    resources: resources.map((r) =>
      crossGuardView(r, (property) => (r.propertyDependencies?.[property] ?? []).map((d) => d.urn)),
    ),
  };
}

/** The offline plan's resources of one layer stack (components too, as CrossGuard sees them). */
export function fromPlan(resources: readonly RecordedResource[]): StackView {
  const byId = new Map(resources.filter((r) => r.custom).map((r) => [mockIdOf(r.name), r.urn]));
  return {
    resources: resources.map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: r.inputs,
      protect: r.options.protect,
      isSecret: (path) => {
        // A secret object or list shows as one placeholder at its top.
        const parts = path.split(".");
        for (let i = parts.length; i > 0; i--)
          if (valueAt(r.inputs, parts.slice(0, i).join(".")) === SECRET_PLACEHOLDER) return true;
        return false;
      },
      dependencies: (property) => {
        const v = r.inputs[property];
        const values = Array.isArray(v) ? v : [v];
        return values.flatMap((x) => (typeof x === "string" && byId.has(x) ? [byId.get(x)!] : []));
      },
    })),
  };
}

/**
 * Runs `check` on each resource, skipping those whose values a preview does not know yet
 * (CrossGuard throws UnknownValueError on reading one): a stack rule then still checks the rest.
 */
export function eachKnown<T>(items: readonly T[], check: (item: T) => void): void {
  for (const item of items) {
    try {
      check(item);
    } catch (e) {
      // The class is internal to @pulumi/policy (proxy.js) and keeps Error's `name`.
      if ((e as object | undefined)?.constructor?.name !== "UnknownValueError") throw e;
    }
  }
}
