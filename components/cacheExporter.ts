/**
 * The cache's metrics on every cloud: one in-cluster redis_exporter per managed cache, in its own
 * namespace, connecting with the cache's credentials (from a Secret, never in the pod spec) over
 * the TLS the cache serves, and scraped by the collectors through the annotation path (the cache
 * layer runs before the observability layer installs the ServiceMonitor CRD). Deployed only when
 * the observability layer is on (CacheArgs.metrics). On-prem's Valkey runs the same exporter as
 * its chart's sidecar (providers/onprem/cache.ts), with the same image and annotations.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CacheArgs } from "./cache";
import { scrapeAnnotations } from "./observabilityCollectors";
import { ANNOTATION_JOBS } from "./observabilityRules";
import { Scope } from "./types";

/**
 * oliver006/redis_exporter v1.91.1 (released 2026-08; github.com/oliver006/redis_exporter
 * releases). The project publishes every tag to Docker Hub, quay.io and ghcr.io; ghcr.io avoids
 * Docker Hub's pull limits.
 */
export const CACHE_EXPORTER_IMAGE = {
  registry: "ghcr.io",
  repository: "oliver006/redis_exporter",
  tag: "v1.91.1",
} as const;
export const CACHE_EXPORTER_PORT = 9121;
/** The image's own non-root user (its Dockerfile: `USER 59000:59000`). */
export const CACHE_EXPORTER_UID = 59000;
export const CACHE_EXPORTER_NAMESPACE = "cache-metrics";
export const CACHE_EXPORTER_NAME = "cache-exporter";
const AUTH_SECRET = `${CACHE_EXPORTER_NAME}-auth`;
const EXPORTER_CONTAINER = "exporter";

/**
 * What the exporter's own cache user may run, where the cache has ACL users (OCI Cache, on-prem
 * Valkey): server stats, no keys (redis_exporter's README lists the commands it sends).
 */
export const CACHE_EXPORTER_ACL =
  "-@all +ping +info +dbsize +client|list +client|setname +slowlog|get +slowlog|len +latency|latest +latency|histogram +memory|stats";

/**
 * The pod annotations the collectors discover the exporter by (in `container`, the exporter's
 * container); its series carry `job="cache"`.
 */
export function cacheScrapeAnnotations(container = EXPORTER_CONTAINER): Record<string, string> {
  return scrapeAnnotations(CACHE_EXPORTER_PORT, { job: ANNOTATION_JOBS.cache, container });
}

/**
 * How the exporter checks the cache's certificate:
 * - `none`: the cache serves no TLS (plain `redis://`, inside the VPC);
 * - `system`: the certificate chains to a public CA in the image's trust store;
 * - `skip-verify`: the cloud documents a private CA whose certificates the exporter cannot check
 *   (handed out only in a console, or naming the server in a way Go's TLS refuses): the link is
 *   encrypted, the server not authenticated. `why` says which, for the code's reader.
 */
export type CacheExporterTls =
  { readonly mode: "none" | "system" } | { readonly mode: "skip-verify"; readonly why: string };

export interface CacheExporterTarget {
  readonly host: pulumi.Input<string>;
  readonly port: pulumi.Input<number>;
  /** The password or token the cache takes (secret). */
  readonly password: pulumi.Input<string>;
  /** An ACL user name, where the cache has users; else the default user. */
  readonly user?: pulumi.Input<string>;
  readonly tls: CacheExporterTls;
}

/** The exporter's environment (without the password, which comes from the Secret). */
export function exporterEnv(target: CacheExporterTarget): k8s.types.input.core.v1.EnvVar[] {
  const scheme = target.tls.mode === "none" ? "redis" : "rediss";
  const tls = target.tls;
  return [
    {
      name: "REDIS_ADDR",
      value: pulumi.interpolate`${scheme}://${target.host}:${target.port}`,
    },
    ...(target.user ? [{ name: "REDIS_USER", value: target.user }] : []),
    { name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: AUTH_SECRET, key: "password" } } },
    ...(tls.mode === "skip-verify"
      ? [{ name: "REDIS_EXPORTER_SKIP_TLS_VERIFICATION", value: "true" }]
      : []),
    // Managed caches refuse CONFIG; memory limits and evictions come from INFO.
    { name: "REDIS_EXPORTER_CONFIG_COMMAND", value: "-" },
    { name: "REDIS_EXPORTER_LOG_FORMAT", value: "json" },
  ];
}

/**
 * The exporter of a managed cache, when the observability layer is on (`args.metrics`): its
 * namespace (restricted Pod Security), the credential Secret and a one-replica Deployment (no
 * disruption budget: a scrape gap, not an outage).
 */
export function cacheExporter(
  scope: Scope,
  args: Pick<CacheArgs, "metrics">,
  target: CacheExporterTarget,
): k8s.apps.v1.Deployment | undefined {
  if (!args.metrics) return undefined;
  const opts = { parent: scope.parent };
  const level = "restricted";
  const ns = new k8s.core.v1.Namespace(
    `${scope.name}-exporter-ns`,
    {
      metadata: {
        name: CACHE_EXPORTER_NAMESPACE,
        labels: {
          "app.kubernetes.io/managed-by": "officeless",
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/audit": level,
          "pod-security.kubernetes.io/warn": level,
        },
      },
    },
    opts,
  );
  const inNamespace = { ...opts, dependsOn: [ns] };
  const auth = new k8s.core.v1.Secret(
    `${scope.name}-exporter-auth`,
    {
      metadata: { name: AUTH_SECRET, namespace: CACHE_EXPORTER_NAMESPACE },
      stringData: { password: pulumi.secret(target.password) },
    },
    { ...inNamespace, additionalSecretOutputs: ["stringData", "data"] },
  );
  const labels = {
    "app.kubernetes.io/name": CACHE_EXPORTER_NAME,
    "app.kubernetes.io/part-of": "officeless",
  };
  const image = CACHE_EXPORTER_IMAGE;
  return new k8s.apps.v1.Deployment(
    `${scope.name}-exporter`,
    {
      metadata: { name: CACHE_EXPORTER_NAME, namespace: CACHE_EXPORTER_NAMESPACE, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: cacheScrapeAnnotations() },
          spec: {
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: CACHE_EXPORTER_UID,
              runAsGroup: CACHE_EXPORTER_UID,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
              {
                name: EXPORTER_CONTAINER,
                image: `${image.registry}/${image.repository}:${image.tag}`,
                ports: [{ name: "metrics", containerPort: CACHE_EXPORTER_PORT }],
                env: exporterEnv(target),
                // /health answers while the exporter runs; a cache it cannot reach is
                // redis_up 0 (the CacheDown alert), not a restart loop.
                readinessProbe: { httpGet: { path: "/health", port: "metrics" } },
                livenessProbe: {
                  httpGet: { path: "/health", port: "metrics" },
                  periodSeconds: 30,
                },
                resources: {
                  requests: { cpu: "20m", memory: "32Mi" },
                  limits: { memory: "128Mi" },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                },
              },
            ],
          },
        },
      },
    },
    { ...opts, dependsOn: [auth] },
  );
}
