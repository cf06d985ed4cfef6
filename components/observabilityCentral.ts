/**
 * Central mode's write path: one nginx in front of Mimir, Loki and Tempo, behind a private load
 * balancer, where each tenant signs in with its own generated password and the credential, not
 * the client, decides the `X-Scope-OrgID` (a tenant cannot write into or read another's data).
 * nginx terminates TLS itself (the L4 load balancer passes TCP through), with a certificate for
 * the configured hostname from the platform's private CA (components/privateTls.ts), so passwords
 * and data cross the private network encrypted. Remote mode reads the endpoints, its credential and
 * the CA certificate from the central stack.
 */
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CollectorEndpoints } from "./observabilityCollectors";
import { contentDigest } from "./inputsHash";
import { EndpointTls } from "./privateTls";
import { OBSERVABILITY_NAMES } from "./observabilityValues";
import { Scope } from "./types";

/** What a central platform exports for its remote tenants (the whole object is a secret). */
export interface CentralEndpoints {
  /** Base URL of the write path (`https://<hostname>`); the paths below are relative to it. */
  readonly url: string;
  /** Tenant id to its password. */
  readonly tenants: Readonly<Record<string, string>>;
  /** PEM of the CA the write path's certificate chains to: what remote clients verify against. */
  readonly caCertificate?: string;
  /** The load balancer's address, which the hostname's DNS record must point at. */
  readonly address?: string;
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
const TLS_SECRET = `${GATEWAY_NAME}-tls`;
/** The container's TLS port (unprivileged nginx cannot bind 443); the Service listens on 443. */
export const GATEWAY_TLS_PORT = 8443;

/** The names the write path's certificate carries: the hostname remotes dial, and in-cluster ones. */
export function gatewayNames(hostname: string, namespace: string): string[] {
  return [
    hostname,
    `${GATEWAY_NAME}.${namespace}.svc`,
    `${GATEWAY_NAME}.${namespace}.svc.cluster.local`,
  ];
}

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
    // TLS only: no plain listener at all (the kubelet's HTTPS probe does not verify certificates).
    `    listen ${GATEWAY_TLS_PORT} ssl;`,
    "    ssl_certificate /etc/nginx/tls/tls.crt;",
    "    ssl_certificate_key /etc/nginx/tls/tls.key;",
    "    ssl_protocols TLSv1.2 TLSv1.3;",
    "    ssl_session_cache shared:TLS:10m;",
    "    ssl_session_timeout 1h;",
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
    readonly annotations: pulumi.Input<Record<string, string>>;
    /** The private DNS name remotes dial; the certificate names it. */
    readonly hostname: string;
    /** The certificate nginx serves (for `gatewayNames`). */
    readonly tls: EndpointTls;
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
  const tlsSecret = new k8s.core.v1.Secret(
    `${scope.name}-${TLS_SECRET}`,
    {
      metadata: { name: TLS_SECRET, namespace: args.namespace },
      type: "kubernetes.io/tls",
      stringData: {
        "tls.crt": args.tls.certificate,
        "tls.key": pulumi.secret(args.tls.privateKey),
        "ca.crt": args.tls.caCertificate,
      },
    },
    opts,
  );
  const labels = {
    "app.kubernetes.io/name": GATEWAY_NAME,
    "app.kubernetes.io/part-of": "officeless",
  };
  const checksum = contentDigest(conf);
  // A renewed certificate changes the pod template: the pods roll and serve it.
  const tlsDigest = args.tls.certificate.apply(contentDigest);
  const deployment = new k8s.apps.v1.Deployment(
    `${scope.name}-${GATEWAY_NAME}`,
    {
      metadata: { name: GATEWAY_NAME, namespace: args.namespace, labels },
      spec: {
        replicas: args.highAvailability ? 2 : 1,
        selector: { matchLabels: labels },
        template: {
          metadata: {
            labels,
            annotations: {
              "officeless.io/config-sha256": checksum,
              "officeless.io/tls-sha256": tlsDigest,
            },
          },
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
                ports: [{ name: "https", containerPort: GATEWAY_TLS_PORT }],
                readinessProbe: { httpGet: { path: "/healthz", port: "https", scheme: "HTTPS" } },
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
                  { name: "tls", mountPath: "/etc/nginx/tls", readOnly: true },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volumes: [
              { name: "config", configMap: { name: GATEWAY_NAME } },
              { name: "htpasswd", secret: { secretName: HTPASSWD_SECRET } },
              {
                name: "tls",
                secret: {
                  secretName: TLS_SECRET,
                  items: [
                    { key: "tls.crt", path: "tls.crt" },
                    { key: "tls.key", path: "tls.key" },
                  ],
                },
              },
              { name: "tmp", emptyDir: {} },
            ],
          },
        },
      },
    },
    { ...opts, dependsOn: [...args.dependsOn, config, htpasswd, tlsSecret] },
  );
  const service = new k8s.core.v1.Service(
    `${scope.name}-${GATEWAY_NAME}-lb`,
    {
      metadata: {
        name: GATEWAY_NAME,
        namespace: args.namespace,
        labels,
        annotations: args.annotations,
      },
      spec: {
        type: "LoadBalancer",
        ...(args.allowedCidrs ? { loadBalancerSourceRanges: [...args.allowedCidrs] } : {}),
        selector: labels,
        // TCP through to nginx, which terminates TLS.
        ports: [{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }],
      },
    },
    { ...opts, dependsOn: [deployment] },
  );
  const address = service.status.apply((s) => {
    const ingress = s?.loadBalancer?.ingress?.[0];
    return ingress?.hostname || ingress?.ip || "";
  });
  return pulumi.secret(
    pulumi.all([address, tenants, args.tls.caCertificate]).apply(([a, t, ca]) => ({
      url: `https://${args.hostname}`,
      tenants: t,
      caCertificate: ca,
      address: a,
    })),
  );
}

/** A remote cluster's endpoints: the central write path's, with its credential (and CA) in a Secret. */
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
  ca = "",
): { username: string; password: T; tenantId: string; ca: string; cert: string; key: string } {
  return { username: tenant, password, tenantId: tenant, ca, cert: "", key: "" };
}

/** The central stack's `central` output, whether it is a whole-platform stack or an observability layer stack. */
export function readCentral(
  stack: string,
  parent: pulumi.Resource,
): pulumi.Output<CentralEndpoints & { readonly caCertificate: string }> {
  const ref = new pulumi.StackReference(stack, { name: stack }, { parent });
  return pulumi.secret(
    pulumi
      .all([ref.getOutput("central"), ref.getOutput("observability")])
      .apply(([flat, nested]) => centralFromOutputs(stack, flat, nested)),
  );
}

/** The write path a central stack exports (flat, or nested in `observability`), with TLS, or why not. */
export function centralFromOutputs(
  stack: string,
  flat: unknown,
  nested: unknown,
): CentralEndpoints & { readonly caCertificate: string } {
  const central = (flat ?? (nested as { central?: unknown } | undefined)?.central) as
    CentralEndpoints | null | undefined;
  if (!central?.url)
    throw new Error(
      `officeless:observability.remote.stack "${stack}" exports no central write path; is its observability.mode "central"?`,
    );
  // A central stack of an earlier version exports a plain-HTTP write path: update it first.
  if (!central.url.startsWith("https://") || !central.caCertificate)
    throw new Error(
      `officeless:observability.remote.stack "${stack}" exports a write path without TLS (no https URL and CA certificate); update the central stack first`,
    );
  return central as CentralEndpoints & { caCertificate: string };
}
