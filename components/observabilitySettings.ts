/**
 * The observability layer's defaults (configSchema.ts DEFAULTS.observability spreads them) and the
 * settings every observability builder reads: the config with each default resolved, so a
 * component built from an older fixture (only `enabled` and `retentionDays`) gets the same layer.
 */
import {
  AlertReceiverConfig,
  AlertSeverity,
  CollectorPreset,
  Environment,
  ObservabilityConfig,
  ObservabilityMode,
  ObservabilitySignalKind,
  PrivateTlsConfig,
} from "./types";

export const OBSERVABILITY_DEFAULTS = {
  enabled: true,
  retentionDays: 30,
  mode: "local" as ObservabilityMode,
  collectorPreset: (environment: Environment): CollectorPreset =>
    environment === "prod" ? "large" : "small",
  receiverSeverities: ["critical", "warning"] as readonly AlertSeverity[],
  autoscaling: true,
  oidcScopes: "openid profile email",
} as const;

export interface ObservabilitySettings {
  readonly mode: ObservabilityMode;
  readonly retentionDays: Readonly<Record<ObservabilitySignalKind, number>>;
  readonly preset: CollectorPreset;
  readonly receivers: readonly AlertReceiverConfig[];
  readonly grafana: NonNullable<ObservabilityConfig["grafana"]> & { readonly enabled: boolean };
  readonly autoscaling: boolean;
  /** Tenants that send here besides this platform (central mode). */
  readonly remoteTenants: readonly string[];
  readonly centralHostname?: string;
  /** The user's certificate for the write path. @default one from the platform's private CA */
  readonly centralTls?: PrivateTlsConfig;
  readonly centralAllowedCidrs?: readonly string[];
  readonly remoteStack?: string;
}

/** Every default of an observability config, resolved. */
export function observabilitySettings(
  config: ObservabilityConfig,
  environment: Environment,
): ObservabilitySettings {
  const mode = config.mode ?? OBSERVABILITY_DEFAULTS.mode;
  const days = (kind: ObservabilitySignalKind) => config.retention?.[kind] ?? config.retentionDays;
  return {
    mode,
    retentionDays: { metrics: days("metrics"), logs: days("logs"), traces: days("traces") },
    preset: config.collectorPreset ?? OBSERVABILITY_DEFAULTS.collectorPreset(environment),
    receivers: config.alerting?.receivers ?? [],
    // The central platform's Grafana shows a remote tenant; a remote cluster runs none.
    grafana: { ...config.grafana, enabled: config.grafana?.enabled ?? mode !== "remote" },
    autoscaling: config.autoscaling?.enabled ?? OBSERVABILITY_DEFAULTS.autoscaling,
    remoteTenants: mode === "central" ? (config.central?.tenants ?? []) : [],
    ...(config.central?.hostname ? { centralHostname: config.central.hostname } : {}),
    ...(config.central?.tls ? { centralTls: config.central.tls } : {}),
    ...(config.central?.allowedCidrs ? { centralAllowedCidrs: config.central.allowedCidrs } : {}),
    ...(config.remote ? { remoteStack: config.remote.stack } : {}),
  };
}

/** The severities a receiver gets. */
export function receiverSeverities(receiver: {
  readonly severities?: readonly AlertSeverity[];
}): readonly AlertSeverity[] {
  return receiver.severities ?? OBSERVABILITY_DEFAULTS.receiverSeverities;
}
