/**
 * The observability section's cross-field rules, shared by the config parser (full `officeless:`
 * keys) and the component (before any child): which keys each mode takes, and what OIDC needs.
 */
import { parseCidr } from "./cidr";
import type { Issue } from "./validation";
import { ObservabilityConfig } from "./types";

export interface ObservabilityRuleContext {
  /** This platform's `officeless:name`: its own tenant id. */
  readonly name?: string;
  /**
   * Whether the cloud's catalog says how to make a private load balancer (central mode and
   * Grafana's private exposure need one).
   */
  readonly privateLoadBalancer: boolean;
  /** Why the cloud has none, for the message. */
  readonly noPrivateLoadBalancerReason?: string;
  readonly cloud?: string;
}

export function observabilityIssues(
  obs: ObservabilityConfig,
  context: ObservabilityRuleContext,
): Issue[] {
  if (!obs.enabled) return [];
  const issues: Issue[] = [];
  const mode = obs.mode ?? "local";
  const at = (key: string) => `observability.${key}`;
  const noLoadBalancer = `which the ${context.cloud ?? "cloud"} backend does not make${
    context.noPrivateLoadBalancerReason ? ` (${context.noPrivateLoadBalancerReason})` : " yet"
  }`;
  const notIn = (key: string, value: unknown, why: string) =>
    issues.push({ path: at(key), value, message: `is not used in mode "${mode}"; ${why}` });

  if (mode !== "central" && obs.central)
    notIn("central", obs.central, 'it lists the tenants of mode "central"; remove it');
  if (mode !== "remote" && obs.remote)
    notIn("remote", obs.remote, 'it names the central stack of mode "remote"; remove it');

  if (mode === "remote") {
    if (!obs.remote)
      issues.push({
        path: at("remote.stack"),
        message:
          'is required in mode "remote": the central platform\'s stack, "<organization>/<project>/<stack>"',
      });
    if (obs.retention)
      notIn("retention", obs.retention, "the central platform keeps the data; set it there");
    if (obs.grafana?.enabled === true)
      notIn("grafana.enabled", true, "the central platform's Grafana shows this tenant");
  }
  if (mode === "central") {
    if (!obs.central)
      issues.push({
        path: at("central.tenants"),
        message:
          'is required in mode "central": the tenant ids (officeless:name) of the platforms that send here',
      });
    obs.central?.tenants.forEach((tenant, i) => {
      if (tenant === context.name)
        issues.push({
          path: at(`central.tenants[${i}]`),
          value: tenant,
          message: "is this platform's own tenant, which writes in-cluster; list only the others",
        });
    });
    obs.central?.allowedCidrs?.forEach((cidr, i) => {
      if (!parseCidr(cidr))
        issues.push({
          path: at(`central.allowedCidrs[${i}]`),
          value: cidr,
          message: 'is not an IPv4 CIDR like "10.30.0.0/16"',
        });
    });
    if (obs.central && !obs.central.hostname)
      issues.push({
        path: at("central.hostname"),
        message:
          "is required in mode \"central\": the private DNS name remote platforms dial, which the write path's TLS certificate names; point it at the write path's load balancer (the layer's `central` output has its address)",
      });
    if (!context.privateLoadBalancer)
      issues.push({
        path: at("mode"),
        value: mode,
        message: `needs a private load balancer for the write path, ${noLoadBalancer}; use "local"`,
      });
  }
  const grafana = obs.grafana;
  const grafanaOn = grafana?.enabled ?? mode !== "remote";
  const exposure = grafana?.exposure ?? "none";
  if (exposure === "private") {
    if (!grafanaOn)
      issues.push({
        path: at("grafana.exposure"),
        value: exposure,
        message: "is set but Grafana is off; remove it or turn grafana.enabled on",
      });
    if (!grafana?.rootUrl?.startsWith("https://"))
      issues.push({
        path: at("grafana.rootUrl"),
        ...(grafana?.rootUrl ? { value: grafana.rootUrl } : {}),
        message:
          'is required with grafana.exposure "private", as https://<private DNS name>: Grafana serves HTTPS with a certificate for that name, which you point at its load balancer',
      });
    if (!context.privateLoadBalancer)
      issues.push({
        path: at("grafana.exposure"),
        value: exposure,
        message: `"private" needs a private load balancer, ${noLoadBalancer}; use "none" (port-forward)`,
      });
  } else {
    for (const key of ["allowedCidrs", "tls"] as const)
      if (grafana?.[key] !== undefined)
        issues.push({
          path: at(`grafana.${key}`),
          message: 'is used only with grafana.exposure "private"; remove it or set the exposure',
        });
  }
  grafana?.allowedCidrs?.forEach((cidr, i) => {
    if (!parseCidr(cidr))
      issues.push({
        path: at(`grafana.allowedCidrs[${i}]`),
        value: cidr,
        message: 'is not an IPv4 CIDR like "10.30.0.0/16"',
      });
  });
  if (grafana?.oidc && !grafanaOn)
    issues.push({
      path: at("grafana.oidc"),
      message: "is set but Grafana is off; remove it or turn grafana.enabled on",
    });
  if (grafana?.oidc && !grafana.rootUrl)
    issues.push({
      path: at("grafana.rootUrl"),
      message: "is required with grafana.oidc: the identity provider redirects back to it",
    });
  const seen = new Set<string>();
  (obs.alerting?.receivers ?? []).forEach((receiver, i) => {
    if (seen.has(receiver.name))
      issues.push({
        path: at(`alerting.receivers[${i}].name`),
        value: receiver.name,
        message: "is used by another receiver; receiver names must be unique",
      });
    seen.add(receiver.name);
  });
  return issues;
}
