/**
 * On-prem cache: Valkey from the Valkey project's own chart (valkey-io/valkey-helm 0.11.0, Valkey
 * 9.1), one primary and `cache.replicas` replicas spread over zones, ACL authentication (a
 * generated password for `default`, a separate replication user), TLS only (the port serves TLS;
 * the certificate comes from the platform CA through cert-manager), persistence on the block
 * StorageClass, and a PodDisruptionBudget.
 *
 * NO AUTOMATIC FAILOVER. The chart runs a primary (pod 0, behind the `valkey` Service) and
 * read replicas (behind `valkey-read`); it has no Sentinel, and the project says it will not do
 * cluster mode. When the primary's node fails, writes stop until Kubernetes reschedules pod 0 and
 * its volume reattaches (minutes; the replicas keep serving reads). That is accepted for a cache.
 * Bitnami's Sentinel chart (valkey 4.0.2 here) is not used: its free images moved to the
 * unmaintained `bitnamilegacy` registry in 2025. The Valkey operator (0.4, v1alpha1) is not mature
 * yet. Where hands-off failover is required, use an external managed Valkey.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import {
  CACHE_EXPORTER_ACL,
  CACHE_EXPORTER_IMAGE,
  cacheScrapeAnnotations,
} from "../../components/cacheExporter";
import { helmRelease } from "../../components/charts";
import { CacheConfig, Scope } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";
import { CA_ISSUER_REF } from "./addons";
import { onpremOf } from "./common";
import { blockClassName } from "./storage";
import { distributionOf, manifest, namespace, zoneSpread } from "./inCluster";

export const CACHE_NAMESPACE = "cache";
/** Release name; the chart names the primary Service after it and the replicas' `<name>-read`. */
export const VALKEY_RELEASE = "valkey";
export const VALKEY_PORT = 6379;
/** The Secret of ACL passwords (`usersExistingSecret`): one key per user. */
export const VALKEY_USERS_SECRET = "valkey-users";
/** cert-manager writes the server certificate here (tls.crt, tls.key, ca.crt). */
export const VALKEY_TLS_SECRET = "valkey-tls";
export const REPLICATION_USER = "replication";
/**
 * The ACL user of the metrics exporter and the health probes: read-only server stats, no keys.
 * The chart's exporter gets no password of its own and its default probes run `valkey-cli ping`
 * without one (valkey-io/valkey-helm `valkey.healthProbes`), which a passworded `default`
 * answers with NOAUTH: both authenticate as this user instead.
 */
export const METRICS_USER = "metrics";
/** Its credentials: `password` for the probes, `password-file.json` for redis_exporter. */
export const VALKEY_METRICS_SECRET = "valkey-metrics-auth";
const EXPORTER_ADDR = `rediss://localhost:${VALKEY_PORT}`;
/** The chart's name for its exporter sidecar. */
const EXPORTER_CONTAINER = "metrics";
const PROBE_AUTH_DIR = "/probe-auth";
const EXPORTER_AUTH_DIR = "/exporter-auth";

/**
 * A probe that PINGs over TLS as the metrics user and passes on the expected replies only
 * (`grep`, so an error reply fails whatever valkey-cli's exit status). The password comes from
 * a mounted file through REDISCLI_AUTH, never the command line.
 */
export function valkeyProbe(
  replies: string,
  timing: { periodSeconds: number; failureThreshold: number },
): Record<string, unknown> {
  return {
    exec: {
      command: [
        "sh",
        "-c",
        `REDISCLI_AUTH="$(cat ${PROBE_AUTH_DIR}/password)" valkey-cli --tls --cacert /tls/ca.crt --user ${METRICS_USER} ping | grep -qE '^(${replies})'`,
      ],
    },
    timeoutSeconds: 5,
    ...timing,
  };
}

/** CPU and memory per size (the chart's `resources`). */
export const VALKEY_SIZES: Record<CacheConfig["size"], { memory: string; cpu: string }> = {
  small: { memory: "1Gi", cpu: "250m" },
  medium: { memory: "4Gi", cpu: "1" },
  large: { memory: "16Gi", cpu: "2" },
};

/**
 * Each pod's volume for the RDB/AOF files, one size for every `cache.size`: a StatefulSet's
 * volumeClaimTemplates cannot change after creation (an upgrade that changed them would fail), so
 * resizing the cache must not touch them. Twice the largest memory size, for a rewrite beside the
 * old file; RBD and Longhorn volumes are thin, so the unused part costs nothing.
 */
export const VALKEY_VOLUME_SIZE = "32Gi";

/** The chart's selector labels (valkey.selectorLabels). */
const SELECTOR = {
  "app.kubernetes.io/name": "valkey",
  "app.kubernetes.io/instance": VALKEY_RELEASE,
};

/** The in-cluster names clients use. */
export function valkeyEndpoints(): { primary: string; reader: string } {
  const svc = (name: string) => `${name}.${CACHE_NAMESPACE}.svc`;
  return { primary: svc(VALKEY_RELEASE), reader: svc(`${VALKEY_RELEASE}-read`) };
}

/** What the on-prem cache refuses: a managed engine's knobs that mean nothing here. */
export function cacheIssues(cache: CacheConfig): Issue[] {
  const issues: Issue[] = [];
  if (cache.engine !== "valkey")
    issues.push({
      path: "cache.engine",
      value: cache.engine,
      message: 'on-prem runs Valkey (the official chart); use "valkey"',
    });
  if (cache.nodeType !== undefined)
    issues.push({
      path: "cache.nodeType",
      value: cache.nodeType,
      message: "is a cloud node type; on-prem sizes come from cache.size (small, medium, large)",
    });
  return issues;
}

/**
 * valkey 0.11.0 values. In HA every pod lands in a different zone (hard spread), a write needs one
 * replica in sync within 10 s (`minReplicasToWrite`, with two replicas or more), and the disruption
 * budget keeps all but one pod up during drains. Replication requires persistence: a restarted primary without its data
 * would make the replicas sync to an empty set (the chart's README).
 */
export function valkeyValues(args: {
  readonly cache: CacheConfig;
  readonly highAvailability: boolean;
  readonly storageClass: string;
  /** Run the exporter sidecar, scraped by the collectors (the observability layer is on). */
  readonly metrics: boolean;
}): Record<string, unknown> {
  const size = VALKEY_SIZES[args.cache.size];
  const replicas = args.cache.replicas;
  return {
    auth: {
      enabled: true,
      usersExistingSecret: VALKEY_USERS_SECRET,
      aclUsers: {
        default: { permissions: "~* &* +@all" },
        [REPLICATION_USER]: { permissions: "-@all +psync +replconf +ping" },
        // The exporter's commands, plus CONFIG GET: Valkey here is ours to read the config of.
        [METRICS_USER]: { permissions: `${CACHE_EXPORTER_ACL} +config|get` },
      },
    },
    // The probes authenticate (see METRICS_USER); startup allows a large RDB to load (10 min),
    // liveness accepts LOADING, readiness only PONG.
    extraValkeySecrets: [{ name: VALKEY_METRICS_SECRET, mountPath: PROBE_AUTH_DIR }],
    startupProbe: {
      enabled: true,
      customProbe: valkeyProbe("PONG", { periodSeconds: 10, failureThreshold: 60 }),
    },
    livenessProbe: {
      enabled: true,
      customProbe: valkeyProbe("PONG|LOADING", { periodSeconds: 10, failureThreshold: 3 }),
    },
    readinessProbe: {
      enabled: true,
      customProbe: valkeyProbe("PONG", { periodSeconds: 5, failureThreshold: 2 }),
    },
    // cert-manager renews the certificate in its Secret (mounted as a directory, so the files
    // follow); Valkey 9.1 reloads them on this interval (valkey-io/valkey#3020), else it would
    // serve the first certificate until it expires.
    valkeyConfig: "tls-auto-reload-interval 3600\n",
    tls: {
      enabled: true,
      existingSecret: VALKEY_TLS_SECRET,
      serverPublicKey: "tls.crt",
      serverKey: "tls.key",
      caPublicKey: "ca.crt",
    },
    replica: {
      enabled: true,
      replicas,
      replicationUser: REPLICATION_USER,
      // With two replicas or more, one may be drained (the budget allows one pod down) and
      // writes still reach a synced copy; with one, a drain would stop writes.
      minReplicasToWrite: args.highAvailability && replicas >= 2 ? 1 : 0,
      minReplicasMaxLag: 10,
      persistence: { size: VALKEY_VOLUME_SIZE, storageClass: args.storageClass },
    },
    resources: {
      requests: { cpu: size.cpu, memory: size.memory },
      limits: { memory: size.memory },
    },
    topologySpreadConstraints: zoneSpread(SELECTOR, args.highAvailability),
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    // The collectors discover the exporter by the pods' annotations (this layer runs before the
    // observability layer installs the ServiceMonitor CRD).
    ...(args.metrics ? { podAnnotations: cacheScrapeAnnotations(EXPORTER_CONTAINER) } : {}),
    metrics: {
      enabled: args.metrics,
      // The server listens only with TLS; the exporter scrapes it over the pod's loopback, where
      // the certificate's names (the Services) do not match, so it skips verification there only.
      exporter: {
        image: { ...CACHE_EXPORTER_IMAGE },
        // The namespace enforces the restricted Pod Security level; the chart leaves the exporter's
        // context empty (the image runs as a non-root user).
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
        },
        // The chart names the volume of each extra secret `<name>-exporter`.
        extraExporterSecrets: [{ name: VALKEY_METRICS_SECRET }],
        extraVolumeMounts: [
          {
            name: `${VALKEY_METRICS_SECRET}-exporter`,
            mountPath: EXPORTER_AUTH_DIR,
            readOnly: true,
          },
        ],
        extraEnvs: {
          REDIS_ADDR: EXPORTER_ADDR,
          REDIS_EXPORTER_SKIP_TLS_VERIFICATION: "true",
          REDIS_USER: METRICS_USER,
          // redis_exporter: a JSON map of address to password.
          REDIS_PASSWORD_FILE: `${EXPORTER_AUTH_DIR}/password-file.json`,
        },
      },
    },
    // Named, so OpenShift's SCC grant (onpremCache) binds to it.
    serviceAccount: { create: true, name: VALKEY_RELEASE },
  };
}

export function onpremCache(scope: Scope, args: CacheArgs): CacheOutputs {
  const onprem = onpremOf(args);
  const issues = cacheIssues(args.cache);
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Cache arguments");
  const fixedUids = distributionOf(onprem).allowsFixedUids;
  const ns = namespace(scope, "cache", CACHE_NAMESPACE, { level: "restricted" });
  const deps: pulumi.Resource[] = [ns];

  const passwords = ["default", REPLICATION_USER, METRICS_USER].map(
    (user) =>
      new random.RandomPassword(
        `${scope.name}-${user}-password`,
        { length: 48, special: false },
        { parent: scope.parent },
      ),
  );
  deps.push(
    new k8s.core.v1.Secret(
      `${scope.name}-users`,
      {
        metadata: { name: VALKEY_USERS_SECRET, namespace: CACHE_NAMESPACE },
        stringData: {
          default: passwords[0].result,
          [REPLICATION_USER]: passwords[1].result,
          [METRICS_USER]: passwords[2].result,
        },
      },
      { parent: scope.parent, dependsOn: [ns], additionalSecretOutputs: ["stringData", "data"] },
    ),
    new k8s.core.v1.Secret(
      `${scope.name}-metrics-auth`,
      {
        metadata: { name: VALKEY_METRICS_SECRET, namespace: CACHE_NAMESPACE },
        stringData: {
          password: passwords[2].result,
          "password-file.json": passwords[2].result.apply((p) =>
            JSON.stringify({ [EXPORTER_ADDR]: p }),
          ),
        },
      },
      { parent: scope.parent, dependsOn: [ns], additionalSecretOutputs: ["stringData", "data"] },
    ),
  );

  const { primary, reader } = valkeyEndpoints();
  deps.push(
    manifest(
      scope,
      "tls",
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        name: VALKEY_TLS_SECRET,
        namespace: CACHE_NAMESPACE,
        // Pods mount the Secret: it must be issued before the release's pods start.
        waitFor: "condition=Ready",
        spec: {
          secretName: VALKEY_TLS_SECRET,
          // Clients use the Services; replicas reach the primary by its headless pod name.
          dnsNames: [
            primary,
            reader,
            `${primary}.cluster.local`,
            `${reader}.cluster.local`,
            `*.${VALKEY_RELEASE}-headless.${CACHE_NAMESPACE}.svc`,
            `*.${VALKEY_RELEASE}-headless.${CACHE_NAMESPACE}.svc.cluster.local`,
          ],
          privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
          // Read from the add-ons layer's output, so the certificate waits for cert-manager.
          issuerRef: args.addons ? args.addons.releases.apply(() => CA_ISSUER_REF) : CA_ISSUER_REF,
        },
      },
      { dependsOn: [ns] },
    ),
  );

  if (!fixedUids) {
    // OpenShift: the chart runs as UID 1000, which restricted-v2 refuses; nonroot-v2 allows any non-root UID.
    deps.push(
      new k8s.rbac.v1.RoleBinding(
        `${scope.name}-scc`,
        {
          metadata: { name: "valkey-nonroot-v2", namespace: CACHE_NAMESPACE },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "system:openshift:scc:nonroot-v2",
          },
          subjects: [{ kind: "ServiceAccount", name: VALKEY_RELEASE, namespace: CACHE_NAMESPACE }],
        },
        { parent: scope.parent, dependsOn: [ns] },
      ),
    );
  }

  const release = helmRelease(
    scope,
    "valkey",
    {
      chart: "valkey",
      namespace: CACHE_NAMESPACE,
      releaseName: VALKEY_RELEASE,
      createNamespace: false,
      // The storage layer's class (its output, so the volumes wait for the class to exist).
      values: pulumi
        .output(args.storage?.blockStorageClass ?? blockClassName(onprem))
        .apply((storageClass) =>
          valkeyValues({
            cache: args.cache,
            highAvailability: args.cache.highAvailability,
            storageClass,
            metrics: args.metrics === true,
          }),
        ),
    },
    // The volumes keep the data across restarts: prod never deletes them with a destroy.
    { dependsOn: deps, protect: scope.protect },
  );
  const after = (value: string) => release.status.apply(() => value);
  return {
    engine: pulumi.output("valkey"),
    primaryEndpoint: after(primary),
    readerEndpoint: after(reader),
    port: release.status.apply(() => VALKEY_PORT),
    authToken: pulumi.secret(passwords[0].result),
    // No cloud firewall identity: the namespace is the boundary.
    securityGroupId: pulumi.output(CACHE_NAMESPACE),
  };
}
