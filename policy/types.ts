/**
 * The policy pack's own vocabulary. Every rule is written once against a {@link ResourceView}, which
 * two adapters fill: CrossGuard's arguments in a real `pulumi preview --policy-pack` (views.ts
 * fromCrossGuard) and the offline plan's recorded resources (views.ts fromPlan), so the offline plan
 * and the tests run the same validate functions users run on their stacks.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

export type { EnforcementLevel };

/** One resource as a rule sees it. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Inputs (preview) or state; values unknown in a preview throw when read under CrossGuard. */
  readonly props: Readonly<Record<string, unknown>>;
  readonly protect: boolean;
  /**
   * Whether the value at a dotted path is a secret: known offline (the plan records `[secret]`),
   * undefined under CrossGuard, whose SDK unwraps secrets before policies see them
   * (@pulumi/policy deserialize.js), so rules that need it only run offline.
   */
  isSecret(path: string): boolean | undefined;
  /** URNs of the resources a top-level property's value comes from. */
  dependencies(property: string): readonly string[];
}

export interface StackView {
  readonly resources: readonly ResourceView[];
}

/** What a rule reads besides the resource: its config and the stack's environment. */
export interface PolicyContext {
  /** The policy's config with its schema's defaults applied. */
  readonly config: Readonly<Record<string, unknown>>;
  /** dev, staging or prod: the policy config's `environment`, else the resources' `environment` tag. */
  readonly environment?: string;
}

/** Reports one violation; `urn` names the resource (stack policies). */
export type Report = (message: string, urn?: string) => void;

interface PolicyBase {
  /** Unique in the pack, `<cloud>-...` for a cloud's rules. */
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  /** Config users may set (`pulumi preview --policy-pack-config`), with defaults. */
  readonly configSchema?: { readonly properties: Record<string, PolicyConfigJSONSchema> };
}

export interface ResourcePolicy extends PolicyBase {
  readonly kind: "resource";
  /** Resource types it applies to (undefined: every type). */
  readonly types?: readonly string[];
  validate(resource: ResourceView, context: PolicyContext, report: Report): void;
}

export interface StackPolicy extends PolicyBase {
  readonly kind: "stack";
  validate(stack: StackView, context: PolicyContext, report: Report): void;
}

export type OfficelessPolicy = ResourcePolicy | StackPolicy;

/** A cloud's part of the pack: one file in policy/clouds/ exporting `cloudPolicies`. */
export interface CloudPolicies {
  readonly cloud: string;
  /** Types that hold data or keys: protected in prod (the common protection rule reads these). */
  readonly stateful: readonly RegExp[];
  readonly policies: readonly OfficelessPolicy[];
}
