/** Small helpers the cloud files share for reading inputs and CIDRs. */
import { valueAt } from "./views";
import { OfficelessPolicy, PolicyContext, Report, ResourceView } from "./types";

/** Reports `message` unless the value at `path` passes `ok`. */
export function expectAt(
  r: ResourceView,
  path: string,
  ok: (value: unknown) => boolean,
  message: string,
  report: Report,
): void {
  const value = valueAt(r.props, path);
  if (!ok(value)) report(`${path} ${message} (is ${JSON.stringify(value) ?? "unset"})`);
}

export const isTrue = (v: unknown) => v === true || v === "true";
export const isSet = (v: unknown) => typeof v === "string" && v.length > 0;
export const notTrue = (v: unknown) => v !== true && v !== "true";

/** CIDRs that open to the whole internet. */
export const ANYWHERE = new Set(["0.0.0.0/0", "::/0", "*", "Internet", "Any"]);

/** Resources in `stack` of `type`, by URN. */
export function byUrn<T extends { urn: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [i.urn, i]));
}

/** A boolean config value with its default. */
export function flag(context: PolicyContext, key: string): boolean {
  return context.config[key] === true;
}

/** Exempt by logical name: the `exempt` config's regular expressions. */
export function exempt(context: PolicyContext, r: ResourceView): boolean {
  const patterns = (context.config.exempt as string[] | undefined) ?? [];
  return patterns.some((p) => new RegExp(p).test(r.name));
}

export const EXEMPT_CONFIG = (defaults: string[], why: string) => ({
  exempt: {
    type: "array" as const,
    items: { type: "string" as const },
    default: defaults,
    description: `Logical names (regular expressions) this rule skips. ${why}`,
  },
});

/** The config of rules that allow a public API endpoint only when the team says so. */
export const ALLOW_PUBLIC_ENDPOINT = (what: string) => ({
  allowPublicEndpoint: {
    type: "boolean" as const,
    default: false,
    description: `Allow a public endpoint ${what}`,
  },
});

/**
 * Reports a public endpoint that the config does not allow, or that it allows but is open to the
 * internet (no CIDRs at `cidrsPath`, or 0.0.0.0/0 among them).
 */
export function checkPublicEndpoint(
  r: ResourceView,
  context: PolicyContext,
  report: Report,
  how: { readonly cidrsPath: string; readonly disable: string },
): void {
  if (!flag(context, "allowPublicEndpoint"))
    return report(`${how.disable} (or allowPublicEndpoint set)`);
  const cidrs = valueAt(r.props, how.cidrsPath) as string[] | undefined;
  if (!cidrs?.length || cidrs.some((c) => ANYWHERE.has(c)))
    report(`the public endpoint is open to 0.0.0.0/0: list ${how.cidrsPath}`);
}

/**
 * The resources of `type` that configure `target` through `property`: by reference (a preview's
 * property dependency) or by naming it (the offline plan records the resolved name, which the
 * target holds at `targetProperty`). For clouds whose bucket settings are resources of their own.
 */
export function configuring(
  resources: readonly ResourceView[],
  type: string,
  property: string,
  target: ResourceView,
  targetProperty: string,
): ResourceView[] {
  const name = target.props[targetProperty];
  return resources.filter(
    (r) =>
      r.type === type &&
      (r.dependencies(property).includes(target.urn) ||
        (typeof name === "string" && r.props[property] === name)),
  );
}

/** A cloud's rule that its customer keys rotate automatically: `path` on `type` must be `on`. */
export function keyRotation(
  cloud: string,
  type: string,
  path: string,
  on: unknown,
): OfficelessPolicy {
  return {
    kind: "resource",
    name: `${cloud}-kms-key-rotation`,
    description: `Customer KMS keys rotate automatically (${path} ${String(on)}), as the platform's keys do`,
    enforcementLevel: "mandatory",
    types: [type],
    validate(r, _context, report) {
      expectAt(r, path, (v) => v === on, `must be ${String(on)}`, report);
    },
  };
}

/** One ingress source of a firewall rule: what the message calls it, and its CIDR. */
export interface IngressSource {
  readonly label: string;
  readonly cidr: unknown;
}

/**
 * A cloud's rule that no firewall rule admits the internet: `sources` reads the ingress sources
 * of a resource of `types` (none for egress or deny rules), each checked against {@link ANYWHERE}.
 */
export function noIngressFromAnywhere(
  cloud: string,
  description: string,
  types: readonly string[],
  sources: (r: ResourceView) => readonly IngressSource[],
): OfficelessPolicy {
  return {
    kind: "resource",
    name: `${cloud}-no-ingress-from-anywhere`,
    description,
    enforcementLevel: "mandatory",
    types,
    validate(r, _context, report) {
      for (const { label, cidr } of sources(r))
        if (ANYWHERE.has(String(cidr)) || cidr === "0.0.0.0")
          report(`an ingress rule (${label}) admits ${String(cidr)}`);
    },
  };
}
