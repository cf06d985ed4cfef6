/**
 * Central mode's write path: one nginx in front of Mimir, Loki and Tempo, behind a private load
 * balancer, where each tenant signs in with its own generated password and the credential, not
 * the client, decides the `X-Scope-OrgID` (a tenant cannot write into or read another's data).
 * Remote mode reads the endpoints and its credential from the central stack.
 */
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CollectorEndpoints } from "./observabilityCollectors";
import { OBSERVABILITY_NAMES } from "./observabilityValues";
import { Scope } from "./types";

/** What a central platform exports for its remote tenants (the whole object is a secret). */
export interface CentralEndpoints {
  /** Base URL of the write path; the paths below are relative to it. */
  readonly url: string;
  /** Tenant id to its password. */
  readonly tenants: Readonly<Record<string, string>>;
}

/** Paths the write path serves, relative to its base URL. */
export const CENTRAL_PATHS = {
  metricsPush: "/api/v1/push",
  prometheus: "/prometheus",
  alerts: "/api/v1/alerts",
  logsPush: "/loki/api/v1/push",
  traces: "/v1/traces",
} as const;

export const GATEWAY_NAME = "tenant-gateway";
export const GATEWAY_IMAGE = "nginxinc/nginx-unprivileged:1.29-alpine";
const HTPASSWD_SECRET = `${GATEWAY_NAME}-htpasswd`;

/** nginx's `{SSHA}` scheme (RFC 2307): base64(sha1(password + salt) + salt), salt stable per tenant. */
export function sshaEntry(user: string, password: string): string {
  const salt = crypto.createHash("sha256").update(`${user}:${password}`).digest().subarray(0, 8);
  const digest = crypto.createHash("sha1").update(password).update(salt).digest();
  return `${user}:{SSHA}${Buffer.concat([digest, salt]).toString("base64")}`;
}

/** The gateway's nginx.conf: authenticated tenants only, their header set from the user name. */
export function gatewayConfig(namespace: string): string {
  const svc = (name: string, port: number) => `http://${name}.${namespace}.svc:${port}`;
  const mimir = svc(`${OBSERVABILITY_NAMES.mimir}-gateway`, 80);
  const loki = svc(`${OBSERVABILITY_NAMES.loki}-gateway`, 80);
  const tempo = svc(`${OBSERVABILITY_NAMES.tempo}-distributor`, 4318);
  return [
    "worker_processes 2;",
    "pid /tmp/nginx.pid;",
    "error_log /dev/stderr warn;",
    "events { worker_connections 2048; }",
    "http {",
    "  client_body_temp_path /tmp/client_temp;",
    "  proxy_temp_path /tmp/proxy_temp;",
    "  fastcgi_temp_path /tmp/fastcgi_temp;",
    "  uwsgi_temp_path /tmp/uwsgi_temp;",
    "  scgi_temp_path /tmp/scgi_temp;",
    "  access_log /dev/stdout;",
    "  client_max_body_size 20m;",
    "  proxy_http_version 1.1;",
    "  server_tokens off;",
    "  server {",
    "    listen 8080;",
    "    location = /healthz { access_log off; return 200; }",
    "    location / {",
    '      auth_basic "officeless observability";',
    "      auth_basic_user_file /etc/nginx/htpasswd/.htpasswd;",
    // The credential decides the tenant: whatever header the client sent is replaced.
    "      proxy_set_header X-Scope-OrgID $remote_user;",
    '      proxy_set_header Authorization "";',
    `      location = ${CENTRAL_PATHS.metricsPush} { proxy_pass ${mimir}; }`,
    `      location ${CENTRAL_PATHS.prometheus}/ { proxy_pass ${mimir}; }`,
    `      location = ${CENTRAL_PATHS.alerts} { proxy_pass ${mimir}; }`,
    `      location = ${CENTRAL_PATHS.logsPush} { proxy_pass ${loki}; }`,
    `      location = ${CENTRAL_PATHS.traces} { proxy_pass ${tempo}; }`,
    "      return 404;",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");
}

/**
 * The write path of a central platform: a password per remote tenant, the htpasswd Secret, nginx
 * and its private load balancer. Returns what the platform exports for its tenants.
 */
export function centralWritePath(
  scope: Scope,
  args: {
    readonly namespace: string;
    readonly tenants: readonly string[];
    /** The cloud's private load-balancer annotations. */
    readonly annotations: Readonly<Record<string, string>>;
    readonly hostname?: string;
    readonly allowedCidrs?: readonly string[];
    readonly highAvailability: boolean;
    readonly dependsOn: pulumi.Resource[];
  },
): pulumi.Output<CentralEndpoints> {
  const opts = { parent: scope.parent, dependsOn: args.dependsOn };
  const passwords = args.tenants.map(
    (tenant) =>
      new random.RandomPassword(
        `${scope.name}-tenant-${tenant}`,
        { length: 32, special: false },
        { parent: scope.parent },
      ).result,
  );
  const tenants = pulumi
    .all(passwords)
    .apply((list) => Object.fromEntries(args.tenants.map((t, i) => [t, list[i]])));
  const htpasswd = new k8s.core.v1.Secret(
    `${scope.name}-${HTPASSWD_SECRET}`,
    {
      metadata: { name: HTPASSWD_SECRET, namespace: args.namespace },
      stringData: {
        ".htpasswd": pulumi.secret(
          tenants.apply((t) =>
            Object.entries(t)
              .map(([user, password]) => sshaEntry(user, password))
              .join("\n"),
          ),
        ),
      },
    },
    opts,
  );
  const conf = gatewayConfig(args.namespace);
  const config = new k8s.core.v1.ConfigMap(
    `${scope.name}-${GATEWAY_NAME}`,
    { metadata: { name: GATEWAY_NAME, namespace: args.namespace }, data: { "nginx.conf": conf } },
    opts,
  );
  const labels = {
    "app.kubernetes.io/name": GATEWAY_NAME,
    "app.kubernetes.io/part-of": "officeless",
  };
  const checksum = crypto.createHash("sha256").update(conf).digest("hex").slice(0, 16);
  const deployment = new k8s.apps.v1.Deployment(
    `${scope.name}-${GATEWAY_NAME}`,
    {
      metadata: { name: GATEWAY_NAME, namespace: args.namespace, labels },
      spec: {
        replicas: args.highAvailability ? 2 : 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { "officeless.io/config-sha256": checksum } },
          spec: {
            // nginx-unprivileged runs as uid 101; named so the kubelet can check non-root.
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 101,
              runAsGroup: 101,
              seccompProfile: { type: "RuntimeDefault" },
            },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: labels },
              },
            ],
            containers: [
              {
                name: "nginx",
                image: GATEWAY_IMAGE,
                ports: [{ name: "http", containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/healthz", port: "http" } },
                resources: {
                  requests: { cpu: "100m", memory: "64Mi" },
                  limits: { memory: "256Mi" },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                },
                volumeMounts: [
                  { name: "config", mountPath: "/etc/nginx/nginx.conf", subPath: "nginx.conf" },
                  { name: "htpasswd", mountPath: "/etc/nginx/htpasswd", readOnly: true },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volumes: [
              { name: "config", configMap: { name: GATEWAY_NAME } },
              { name: "htpasswd", secret: { secretName: HTPASSWD_SECRET } },
              { name: "tmp", emptyDir: {} },
            ],
          },
        },
      },
    },
    { ...opts, dependsOn: [...args.dependsOn, config, htpasswd] },
  );
  const service = new k8s.core.v1.Service(
    `${scope.name}-${GATEWAY_NAME}-lb`,
    {
      metadata: {
        name: GATEWAY_NAME,
        namespace: args.namespace,
        labels,
        annotations: { ...args.annotations },
      },
      spec: {
        type: "LoadBalancer",
        ...(args.allowedCidrs ? { loadBalancerSourceRanges: [...args.allowedCidrs] } : {}),
        selector: labels,
        ports: [{ name: "http", port: 80, targetPort: "http" }],
      },
    },
    { ...opts, dependsOn: [deployment] },
  );
  const host = args.hostname
    ? pulumi.output(args.hostname)
    : service.status.apply((s) => {
        const ingress = s?.loadBalancer?.ingress?.[0];
        return ingress?.hostname || ingress?.ip || `${GATEWAY_NAME}.${args.namespace}.svc`;
      });
  return pulumi.secret(
    pulumi.all([host, tenants]).apply(([h, t]) => ({ url: `http://${h}`, tenants: t })),
  );
}

/** A remote cluster's endpoints: the central write path's, with its credential in a Secret. */
export function remoteEndpoints(
  central: { url: string },
  basicAuthSecret: string,
): CollectorEndpoints {
  return {
    metricsPushUrl: `${central.url}${CENTRAL_PATHS.metricsPush}`,
    rulesUrl: central.url,
    logsPushUrl: `${central.url}${CENTRAL_PATHS.logsPush}`,
    tracesUrl: central.url,
    tracesProtocol: "http",
    basicAuthSecret,
  };
}

/**
 * The remote cluster's credential Secret. With an existing Secret (`secret.create: false`),
 * k8s-monitoring reads the tenant and the TLS material from it (keys `tenantId`, `ca`, `cert`,
 * `key`) and ignores the destination's own `tenantId` (grafana/k8s-monitoring-helm#3055), so
 * every key it references exists here.
 */
export function remoteAuthData<T>(
  tenant: string,
  password: T,
): { username: string; password: T; tenantId: string; ca: string; cert: string; key: string } {
  return { username: tenant, password, tenantId: tenant, ca: "", cert: "", key: "" };
}

/** The central stack's `central` output, whether it is a whole-platform stack or an observability layer stack. */
export function readCentral(
  stack: string,
  parent: pulumi.Resource,
): pulumi.Output<CentralEndpoints> {
  const ref = new pulumi.StackReference(stack, { name: stack }, { parent });
  return pulumi.secret(
    pulumi
      .all([ref.getOutput("central"), ref.getOutput("observability")])
      .apply(([flat, nested]) => {
        const central = (flat ?? (nested as { central?: unknown } | undefined)?.central) as
          CentralEndpoints | null | undefined;
        if (!central?.url)
          throw new Error(
            `officeless:observability.remote.stack "${stack}" exports no central write path; is its observability.mode "central"?`,
          );
        return central;
      }),
  );
}
