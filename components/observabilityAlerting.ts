/**
 * Alertmanager for the tenant: receivers from config (email, Slack, PagerDuty, webhook), routing
 * by severity and inhibition of the lesser alerts of a firing critical one. Mimir's Alertmanager
 * takes a tenant's config only through its API (`POST /api/v1/alerts`); the chart's
 * `fallbackConfig` would put the receivers' keys in a ConfigMap. So the config lives in a Secret
 * and a Job loads it, re-run whenever the config changes.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { contentDigest } from "./inputsHash";
import { receiverSeverities } from "./observabilitySettings";
import { AlertReceiverConfig, Scope } from "./types";

/** The receiver that drops what no configured receiver takes. */
export const NULL_RECEIVER = "null";

/** A receiver with its secret fields resolved (inside an apply, so the result stays secret). */
export type ResolvedReceiver =
  | (Omit<Extract<AlertReceiverConfig, { type: "email" }>, "authPassword"> & {
      authPassword?: string;
    })
  | (Omit<Extract<AlertReceiverConfig, { type: "slack" }>, "apiUrl"> & { apiUrl: string })
  | (Omit<Extract<AlertReceiverConfig, { type: "pagerduty" }>, "routingKey"> & {
      routingKey: string;
    })
  | (Omit<Extract<AlertReceiverConfig, { type: "webhook" }>, "url"> & { url: string });

function receiverEntry(r: ResolvedReceiver): Record<string, unknown> {
  switch (r.type) {
    case "email":
      return {
        name: r.name,
        email_configs: [
          {
            to: r.to,
            from: r.from,
            smarthost: r.smarthost,
            require_tls: true,
            send_resolved: true,
            ...(r.authUsername ? { auth_username: r.authUsername } : {}),
            ...(r.authPassword ? { auth_password: r.authPassword } : {}),
          },
        ],
      };
    case "slack":
      return {
        name: r.name,
        slack_configs: [
          {
            api_url: r.apiUrl,
            channel: r.channel,
            send_resolved: true,
            title:
              "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.cluster }})",
            text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}",
          },
        ],
      };
    case "pagerduty":
      return {
        name: r.name,
        pagerduty_configs: [
          {
            routing_key: r.routingKey,
            send_resolved: true,
            severity: "{{ .CommonLabels.severity }}",
          },
        ],
      };
    case "webhook":
      return { name: r.name, webhook_configs: [{ url: r.url, send_resolved: true }] };
  }
}

/**
 * The tenant's Alertmanager config: every receiver gets the severities it lists (each route
 * continues, so one alert reaches every receiver of its severity); a critical alert silences the
 * warning and info alerts of the same name and namespace.
 */
export function alertmanagerConfig(
  receivers: readonly ResolvedReceiver[],
): Record<string, unknown> {
  return {
    route: {
      receiver: NULL_RECEIVER,
      group_by: ["alertname", "cluster", "namespace"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: receivers.map((r) => ({
        receiver: r.name,
        matchers: [`severity=~"${receiverSeverities(r).join("|")}"`],
        continue: true,
      })),
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity=~"warning|info"'],
        equal: ["cluster", "namespace", "alertname"],
      },
      {
        source_matchers: ['severity="warning"'],
        target_matchers: ['severity="info"'],
        equal: ["cluster", "namespace", "alertname"],
      },
      // An unreachable node explains its pods and targets going away.
      {
        source_matchers: ['alertname="KubeNodeUnreachable"'],
        target_matchers: ['alertname=~"KubeNodeNotReady|TargetDown|KubePodNotReady"'],
        equal: ["cluster"],
      },
    ],
    receivers: [{ name: NULL_RECEIVER }, ...receivers.map(receiverEntry)],
  };
}

/** Resolves the receivers' secret fields into one secret output. */
export function resolveReceivers(
  receivers: readonly AlertReceiverConfig[],
): pulumi.Output<ResolvedReceiver[]> {
  return pulumi.all(
    receivers.map((r): pulumi.Output<ResolvedReceiver> => {
      switch (r.type) {
        case "email":
          return pulumi
            .output(r.authPassword)
            .apply((authPassword) => ({ ...r, authPassword }) as ResolvedReceiver);
        case "slack":
          return r.apiUrl.apply((apiUrl) => ({ ...r, apiUrl }));
        case "pagerduty":
          return r.routingKey.apply((routingKey) => ({ ...r, routingKey }));
        case "webhook":
          return r.url.apply((url) => ({ ...r, url }));
      }
    }),
  );
}

/** Where the loader posts and how it authenticates. */
export interface AlertmanagerTarget {
  /** Base URL whose `/api/v1/alerts` takes the config (Mimir's gateway, or the central write path). */
  readonly baseUrl: pulumi.Input<string>;
  readonly tenant: string;
  /** Secret (keys `username`, `password`) for a central write path. */
  readonly basicAuthSecret?: string;
  /** Secret key holding the PEM CA certificate an HTTPS target is verified against. */
  readonly caSecret?: { readonly name: string; readonly key: string };
}

/** Pinned loader image: curl only, run as its non-root user. */
export const CURL_IMAGE = "curlimages/curl:8.11.1";
/**
 * The curl image's pod context. Its USER is a name (curl_user): the kubelet refuses runAsNonRoot
 * without a numeric uid ("cannot verify user is non-root"); 100:101 are curl_user's Alpine ids.
 */
export const CURL_POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 100,
  runAsGroup: 101,
  seccompProfile: { type: "RuntimeDefault" },
};

/** The Secret and the Job that loads the tenant's Alertmanager config into Mimir. */
export function alertmanagerLoader(
  scope: Scope,
  args: {
    readonly namespace: string;
    readonly receivers: readonly AlertReceiverConfig[];
    readonly target: AlertmanagerTarget;
    readonly dependsOn: pulumi.Resource[];
  },
): { secret: k8s.core.v1.Secret; job: k8s.batch.v1.Job } {
  const name = `${scope.name}-alertmanager`;
  const body = resolveReceivers(args.receivers).apply((receivers) =>
    stringify({
      template_files: {},
      alertmanager_config: stringify(alertmanagerConfig(receivers)),
    }),
  );
  const secret = new k8s.core.v1.Secret(
    name,
    {
      metadata: { name: "alertmanager-config", namespace: args.namespace },
      stringData: { "config.yaml": pulumi.secret(body) },
    },
    { parent: scope.parent, dependsOn: args.dependsOn },
  );
  // A change of config changes the pod template, which replaces the (immutable) Job: it runs again.
  const checksum = pulumi.secret(body.apply(contentDigest));
  const auth = args.target.basicAuthSecret;
  const ca = args.target.caSecret;
  const job = new k8s.batch.v1.Job(
    `${name}-load`,
    {
      metadata: { name: "alertmanager-config-load", namespace: args.namespace },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { annotations: { "officeless.io/config-sha256": checksum } },
          spec: {
            restartPolicy: "OnFailure",
            securityContext: CURL_POD_SECURITY,
            containers: [
              {
                name: "load",
                image: CURL_IMAGE,
                command: ["sh", "-c"],
                args: [
                  [
                    "curl --fail-with-body --silent --show-error --retry 10 --retry-all-errors --retry-delay 15",
                    '-H "X-Scope-OrgID: ${TENANT}" -H "Content-Type: application/yaml"',
                    ...(auth ? ['--user "${USERNAME}:${PASSWORD}"'] : []),
                    ...(ca ? ["--cacert /tls/ca.crt"] : []),
                    '--data-binary @/config/config.yaml "${ALERTMANAGER_URL}/api/v1/alerts"',
                  ].join(" "),
                ],
                env: [
                  { name: "TENANT", value: args.target.tenant },
                  { name: "ALERTMANAGER_URL", value: args.target.baseUrl },
                  ...(auth
                    ? ["username", "password"].map((key) => ({
                        name: key.toUpperCase(),
                        valueFrom: { secretKeyRef: { name: auth, key } },
                      }))
                    : []),
                ],
                volumeMounts: [
                  { name: "config", mountPath: "/config", readOnly: true },
                  ...(ca ? [{ name: "ca", mountPath: "/tls", readOnly: true }] : []),
                ],
                resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                },
              },
            ],
            volumes: [
              { name: "config", secret: { secretName: "alertmanager-config" } },
              // Only the CA certificate of the (credential-holding) Secret is projected.
              ...(ca
                ? [
                    {
                      name: "ca",
                      secret: { secretName: ca.name, items: [{ key: ca.key, path: "ca.crt" }] },
                    },
                  ]
                : []),
            ],
          },
        },
      },
    },
    { parent: scope.parent, dependsOn: [secret, ...args.dependsOn], deleteBeforeReplace: true },
  );
  return { secret, job };
}
