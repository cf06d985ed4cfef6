/**
 * The pack's policies and the two ways to run them: as CrossGuard policies (policy/index.ts, for
 * `pulumi preview --policy-pack`) and over the offline plan's recorded resources (`npm run plan --
 * --policy`, and the tests). A cloud's rules are the file policy/clouds/<cloud>.ts exporting
 * `cloudPolicies`: the folder is read at load, so a new cloud adds its file and nothing else.
 */
import * as fs from "fs";
import * as path from "path";
import type {
  Policies,
  PolicyPackConfig,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { RecordedResource } from "../automation/offline/mocks";
import { commonPolicies } from "./common";
import {
  CloudPolicies,
  EnforcementLevel,
  OfficelessPolicy,
  PolicyContext,
  ResourceView,
  StackView,
} from "./types";
import { fromCrossGuardResource, fromCrossGuardStack, fromPlan } from "./views";

export type { PolicyPackConfig };

/** Every cloud file of policy/clouds/, in name order. */
function loadClouds(): CloudPolicies[] {
  const dir = path.join(__dirname, "clouds");
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => {
      const mod = require(path.join(dir, f)) as { cloudPolicies?: CloudPolicies };
      if (!mod.cloudPolicies) throw new Error(`policy/clouds/${f} exports no cloudPolicies`);
      return mod.cloudPolicies;
    });
}

export const CLOUDS: readonly CloudPolicies[] = loadClouds();

/** Every policy of the pack: the shared ones, then each cloud's. */
export const POLICIES: readonly OfficelessPolicy[] = [
  ...commonPolicies(CLOUDS),
  ...CLOUDS.flatMap((c) => c.policies),
];

{
  const names = POLICIES.map((p) => p.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length) throw new Error(`policy names used twice: ${twice.join(", ")}`);
}

/** A tag's value from a map (`{environment: "prod"}`) or a list of pairs (`[{key, value}]`, Volcengine, Huawei). */
function tagValue(tags: unknown, key: string): string | undefined {
  const value = Array.isArray(tags)
    ? (tags as Record<string, unknown>[]).find((t) => t?.key === key)?.value
    : (tags as Record<string, unknown> | undefined)?.[key];
  return typeof value === "string" && value ? value : undefined;
}

/** The `environment` tag or label the platform puts on its resources. */
export function environmentOf(resources: readonly ResourceView[]): string | undefined {
  for (const r of resources) {
    try {
      for (const key of ["tags", "labels", "resourceLabels"]) {
        const value = tagValue(r.props[key], "environment");
        if (value) return value;
      }
    } catch {
      // Unknown during a preview: the next resource may know it.
    }
  }
  return undefined;
}

/** A policy's level and config from a pack config (`{name: level}` or `{name: {enforcementLevel, ...}}`). */
export function configFor(
  policy: OfficelessPolicy,
  packConfig: PolicyPackConfig = {},
): { level: EnforcementLevel; config: Record<string, unknown> } {
  const entry = packConfig[policy.name];
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {})
      .filter(([, s]) => s.default !== undefined)
      .map(([k, s]) => [k, s.default]),
  );
  if (typeof entry === "string") return { level: entry, config: defaults };
  const { enforcementLevel, ...rest } = (entry ?? {}) as Record<string, unknown>;
  return {
    level: (enforcementLevel as EnforcementLevel | undefined) ?? policy.enforcementLevel,
    config: { ...defaults, ...rest },
  };
}

function contextOf(
  config: Record<string, unknown>,
  resources: readonly ResourceView[],
): PolicyContext {
  const environment =
    typeof config.environment === "string" ? config.environment : environmentOf(resources);
  return { config, environment };
}

/** The pack as CrossGuard policies. */
export function crossGuardPolicies(policies: readonly OfficelessPolicy[] = POLICIES): Policies {
  return policies.map((p) => {
    const base = {
      name: p.name,
      description: p.description,
      enforcementLevel: p.enforcementLevel,
      ...(p.configSchema ? { configSchema: p.configSchema } : {}),
    };
    if (p.kind === "resource") {
      const policy: ResourceValidationPolicy = {
        ...base,
        validateResource: (args, report) => {
          if (p.types && !p.types.includes(args.type)) return;
          const r = fromCrossGuardResource(args);
          const config = { ...configFor(p).config, ...args.getConfig<Record<string, unknown>>() };
          p.validate(r, contextOf(config, [r]), (message) => report(message));
        },
      };
      return policy;
    }
    const policy: StackValidationPolicy = {
      ...base,
      validateStack: (args, report) => {
        const stack = fromCrossGuardStack(args.resources);
        const config = { ...configFor(p).config, ...args.getConfig<Record<string, unknown>>() };
        p.validate(stack, contextOf(config, stack.resources), (message, urn) =>
          report(message, urn),
        );
      },
    };
    return policy;
  });
}

export interface Violation {
  readonly policy: string;
  readonly level: EnforcementLevel;
  /** The layer stack, when given. */
  readonly stack?: string;
  readonly urn?: string;
  readonly message: string;
}

/** Runs the pack over one stack's resources (the offline plan's, or any views). */
export function evaluate(
  stack: StackView,
  options: {
    packConfig?: PolicyPackConfig;
    stack?: string;
    environment?: string;
    policies?: readonly OfficelessPolicy[];
  } = {},
): Violation[] {
  const out: Violation[] = [];
  for (const p of options.policies ?? POLICIES) {
    const { level, config } = configFor(p, options.packConfig);
    if (level === "disabled") continue;
    const context = contextOf(
      options.environment && config.environment === undefined
        ? { ...config, environment: options.environment }
        : config,
      stack.resources,
    );
    const add = (message: string, urn?: string) =>
      out.push({
        policy: p.name,
        level,
        ...(options.stack ? { stack: options.stack } : {}),
        ...(urn ? { urn } : {}),
        message,
      });
    if (p.kind === "stack") p.validate(stack, context, add);
    else
      for (const r of stack.resources)
        if (!p.types || p.types.includes(r.type)) p.validate(r, context, (m) => add(m, r.urn));
  }
  return out;
}

/** The pack over an offline plan's layer stacks. */
export function evaluatePlan(
  stacks: readonly { name: string; environment?: string; resources: readonly RecordedResource[] }[],
  packConfig?: PolicyPackConfig,
): Violation[] {
  return stacks.flatMap((s) =>
    evaluate(fromPlan(s.resources), { packConfig, stack: s.name, environment: s.environment }),
  );
}

/** Violations as text lines, mandatory first. */
export function renderViolations(violations: readonly Violation[]): string {
  if (!violations.length) return "Policies: no violations";
  const order = (v: Violation) => (v.level === "mandatory" ? 0 : 1);
  const lines = [...violations]
    .sort((a, b) => order(a) - order(b))
    .map(
      (v) =>
        `  [${v.level}] ${v.policy}: ${v.stack ? `${v.stack} ` : ""}${v.urn ? `${v.urn.split("::").pop()}: ` : ""}${v.message}`,
    );
  const mandatory = violations.filter((v) => v.level === "mandatory").length;
  return [`Policies: ${violations.length} violation(s), ${mandatory} mandatory`, ...lines].join(
    "\n",
  );
}
