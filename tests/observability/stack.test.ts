/**
 * The observability layer's collection and use under mocks, on the AWS fixtures (the wiring is
 * cloud-agnostic): local, central and remote modes, what each installs, where the collectors
 * write with which tenant, Grafana's data sources, the rules, the Alertmanager loader and KEDA.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { Observability } from "../../components/observability";
import {
  centralFromOutputs,
  gatewayConfig,
  remoteAuthData,
  sshaEntry,
} from "../../components/observabilityCentral";
import { CHARTS } from "../../components/charts";
import { DEFAULT_ALERT_GROUPS } from "../../components/observabilityRules";
import { RULES } from "../helmRules";
import { loadChart, walkValues } from "../helmValuesWalker";
import { ObservabilityConfig, PlatformConfig } from "../../components/types";
import { kubernetesOutputs, storageOutputs, withKubernetes } from "../awsUpstream";
import { awsConfig, commonArgs } from "../fixtures";
import {
  isSecret,
  mockPulumi,
  one,
  RecordingMocks,
  releaseValues,
  settle,
  valueOf,
} from "../harness";

const T = {
  release: "kubernetes:helm.sh/v3:Release",
  secret: "kubernetes:core/v1:Secret",
  job: "kubernetes:batch/v1:Job",
  rule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
  triggerAuth: "kubernetes:keda.sh/v1alpha1:ClusterTriggerAuthentication",
  deployment: "kubernetes:apps/v1:Deployment",
  service: "kubernetes:core/v1:Service",
  role: "aws:iam/role:Role",
  key: "tls:index/privateKey:PrivateKey",
  ca: "tls:index/selfSignedCert:SelfSignedCert",
  csr: "tls:index/certRequest:CertRequest",
  leaf: "tls:index/locallySignedCert:LocallySignedCert",
};
const TENANT = "officeless-prod";
const CENTRAL_STACK = "acme/officeless/prod-aws";
const CENTRAL_CA = "-----BEGIN CERTIFICATE-----\nY2VudHJhbCBDQQ==\n-----END CERTIFICATE-----\n";
const CENTRAL = {
  url: "https://obs.internal.example.com",
  tenants: { [TENANT]: "s3cr3t-password" },
  caCertificate: CENTRAL_CA,
};

async function build(
  observability: Partial<ObservabilityConfig>,
  options: { environment?: "prod" | "dev"; centralOutputs?: Record<string, unknown> } = {},
) {
  const base: PlatformConfig = awsConfig(options.environment ?? "prod");
  const mocks = await mockPulumi({
    region: base.region,
    stackOutputs: { [CENTRAL_STACK]: options.centralOutputs ?? { central: CENTRAL } },
    stackSecretOutputs: { [CENTRAL_STACK]: ["central"] },
  });
  const obs = new Observability(
    "obs",
    {
      ...commonArgs(base),
      observability: { ...base.observability, ...observability },
      zones: base.zones,
      kubernetes: kubernetesOutputs(),
      storage: storageOutputs(),
      tenant: TENANT,
    },
    withKubernetes(),
  );
  await settle();
  return { mocks, obs };
}

/** Every key of a release's values is one the pinned chart defines (its values or schema). */
function conformance(mocks: RecordingMocks, release: string, chart: "grafana" | "k8sMonitoring") {
  const pin = CHARTS[chart];
  const ref = loadChart(pin.chart, pin.version);
  return walkValues({
    values: releaseValues(mocks, release),
    defaults: ref.defaults,
    schema: ref.schema,
    rules: RULES[pin.chart],
  });
}

const releaseNames = (mocks: RecordingMocks) => mocks.byType(T.release).map((r) => r.name);
const named = (mocks: RecordingMocks, type: string, name: string) =>
  mocks.byType(type).find((r) => (r.inputs.metadata as { name: string }).name === name)!;

describe("local mode (the default)", () => {
  let mocks: RecordingMocks;
  let obs: Observability;
  beforeAll(async () => {
    ({ mocks, obs } = await build({
      retention: { logs: 7 },
      alerting: {
        receivers: [
          {
            name: "oncall",
            type: "pagerduty",
            routingKey: pulumi.secret("pd-key"),
            severities: ["critical"],
          },
          {
            name: "team",
            type: "slack",
            channel: "#alerts",
            apiUrl: pulumi.secret("https://hooks.slack.com/x"),
          },
        ],
      },
    }));
  });

  it("installs the CRDs, the stores, the collectors, Grafana and KEDA, the CRDs first", () => {
    expect(releaseNames(mocks).sort()).toEqual(
      [
        "obs-collectors",
        "obs-grafana",
        "obs-keda",
        "obs-loki",
        "obs-mimir",
        "obs-monitoring-crds",
        "obs-tempo",
      ].sort(),
    );
    const crds = one(mocks, T.release, "obs-monitoring-crds").urn;
    for (const name of [
      "obs-mimir",
      "obs-loki",
      "obs-tempo",
      "obs-collectors",
      "obs-grafana",
      "obs-keda",
    ])
      expect(one(mocks, T.release, name).options.dependsOn).toContain(crds);
  });

  it("writes every signal in-cluster with the tenant header and the cluster and environment labels", () => {
    const values = releaseValues(mocks, "obs-collectors");
    expect(values.cluster.name).toBe(TENANT);
    const d = values.destinations;
    expect(d.mimir).toMatchObject({
      type: "prometheus",
      url: "http://mimir-gateway.observability.svc/api/v1/push",
      tenantId: TENANT,
      extraLabels: { environment: "prod" },
      rules: { enabled: true, address: "http://mimir-gateway.observability.svc" },
    });
    expect(d.loki).toMatchObject({
      type: "loki",
      url: "http://loki-gateway.observability.svc/loki/api/v1/push",
      tenantId: TENANT,
      extraLabels: { environment: "prod" },
    });
    expect(d.tempo).toMatchObject({
      type: "otlp",
      protocol: "grpc",
      url: "tempo-distributor.observability.svc:4317",
      tenantId: TENANT,
      traces: { enabled: true },
      metrics: { enabled: false },
      logs: { enabled: false },
    });
    for (const dest of Object.values(d)) expect((dest as { auth?: unknown }).auth).toBeUndefined();
  });

  it("collects nodes, kubelet, cAdvisor, kube-state-metrics, components, pod logs, events and OTLP", () => {
    const v = releaseValues(mocks, "obs-collectors");
    for (const feature of [
      "clusterMetrics",
      "hostMetrics",
      "prometheusOperatorObjects",
      "annotationAutodiscovery",
      "podLogsViaLoki",
      "clusterEvents",
      "applicationObservability",
    ])
      expect(v[feature].enabled).toBe(true);
    expect(v.applicationObservability.receivers.otlp).toEqual({
      grpc: { enabled: true },
      http: { enabled: true },
    });
    expect(v.telemetryServices["kube-state-metrics"].deploy).toBe(true);
    expect(v.telemetryServices["node-exporter"].deploy).toBe(true);
  });

  it("turns on tenancy in Tempo and self-monitoring in all three stores, with per-signal retention", () => {
    const mimir = releaseValues(mocks, "obs-mimir");
    const loki = releaseValues(mocks, "obs-loki");
    const tempo = releaseValues(mocks, "obs-tempo");
    expect(tempo.multitenancyEnabled).toBe(true);
    expect(tempo.metricsGenerator.config.storage.remote_write).toEqual([
      { url: "http://mimir-gateway.observability.svc/api/v1/push", send_exemplars: true },
    ]);
    expect(tempo.overrides.defaults.metrics_generator.processors).toEqual([
      "service-graphs",
      "span-metrics",
    ]);
    expect(mimir.metaMonitoring.serviceMonitor).toEqual({ enabled: true, clusterLabel: TENANT });
    expect(loki.monitoring.serviceMonitor.enabled).toBe(true);
    expect(tempo.metaMonitoring.serviceMonitor.enabled).toBe(true);
    expect(loki.loki.limits_config.retention_period).toBe("168h");
    expect(mimir.mimir.structuredConfig.limits.compactor_blocks_retention_period).toBe("720h");
    // A production cluster's series pass Mimir's trial defaults (150k series, 10k samples/s).
    expect(mimir.mimir.structuredConfig.limits.max_global_series_per_user).toBeGreaterThan(150_000);
    expect(mimir.mimir.structuredConfig.limits.ingestion_rate).toBeGreaterThan(10_000);
    expect(tempo.compactor.config.compaction.block_retention).toBe("720h");
  });

  it("loads every default rule group as a PrometheusRule after the CRDs", () => {
    const rules = mocks.byType(T.rule);
    expect(rules.map((r) => (r.inputs.metadata as { name: string }).name).sort()).toEqual(
      DEFAULT_ALERT_GROUPS.map((g) => `officeless-${g.name}`).sort(),
    );
    const crds = one(mocks, T.release, "obs-monitoring-crds").urn;
    for (const r of rules) expect(r.options.dependsOn).toContain(crds);
  });

  it("keeps the Alertmanager config in a secret Secret and loads it for the tenant once Mimir runs", () => {
    const secret = named(mocks, T.secret, "alertmanager-config");
    expect(secret.inputs.stringData).toBe("[secret]");
    const job = one(mocks, T.job);
    expect(job.options.dependsOn).toContain(one(mocks, T.release, "obs-mimir").urn);
    expect(job.options.dependsOn).toContain(secret.urn);
    const container = (job.inputs.spec as any).template.spec.containers[0];
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: "TENANT", value: TENANT },
        { name: "ALERTMANAGER_URL", value: "http://mimir-gateway.observability.svc" },
      ]),
    );
    expect(container.args[0]).toContain("/api/v1/alerts");
    expect(container.args[0]).not.toContain("--user");
    expect(JSON.stringify(job.inputs)).not.toContain("pd-key");
  });

  it("gives Grafana the tenant's linked data sources, a generated admin Secret and no exposure", async () => {
    const g = releaseValues(mocks, "obs-grafana");
    const sources = g.datasources["datasources.yaml"].datasources;
    expect(sources.map((s: { type: string }) => s.type)).toEqual(["prometheus", "loki", "tempo"]);
    for (const s of sources) {
      expect(s.jsonData.httpHeaderName1).toBe("X-Scope-OrgID");
      expect(s.secureJsonData.httpHeaderValue1).toBe(TENANT);
    }
    const [mimir, loki, tempo] = sources;
    expect(mimir.url).toBe("http://mimir-gateway.observability.svc/prometheus");
    expect(mimir.jsonData.exemplarTraceIdDestinations[0].datasourceUid).toBe(tempo.uid);
    expect(loki.jsonData.derivedFields[0].datasourceUid).toBe(tempo.uid);
    expect(tempo.jsonData.tracesToLogsV2.datasourceUid).toBe(loki.uid);
    expect(tempo.jsonData.tracesToMetrics.datasourceUid).toBe(mimir.uid);
    expect(g.admin.existingSecret).toBe("grafana-admin");
    expect(named(mocks, T.secret, "grafana-admin").inputs.stringData).toBe("[secret]");
    expect(g.service.type).toBe("ClusterIP");
    expect(g.ingress).toBeUndefined();
    expect(g.sidecar.dashboards.enabled).toBe(true);
    // Community dashboards reach the sidecar as pinned `.url` entries of a labelled ConfigMap,
    // never through the chart's init container, whose failed download would stop Grafana.
    expect(g.dashboards).toBeUndefined();
    const board = named(mocks, "kubernetes:core/v1:ConfigMap", "grafana-community-dashboards");
    const meta = board.inputs.metadata as { labels?: unknown; annotations?: unknown };
    expect(meta.labels).toEqual({ [g.sidecar.dashboards.label]: "1" });
    expect(meta.annotations).toEqual({
      [g.sidecar.dashboards.folderAnnotation]: "Kubernetes",
    });
    const urls = Object.entries(board.inputs.data as Record<string, string>);
    expect(urls.length).toBe(5);
    for (const [key, url] of urls) {
      expect(key).toMatch(/\.json\.url$/);
      // Pinned: a 40-hex commit in every raw URL.
      expect(url).toMatch(
        /^https:\/\/raw\.githubusercontent\.com\/[\w-]+\/[\w-]+\/[0-9a-f]{40}\/.+\.json$/,
      );
    }
    // Its database is on a volume of the default StorageClass, which it waits for.
    expect(g.persistence).toEqual({ enabled: true, size: "10Gi" });
    expect(g.deploymentStrategy).toEqual({ type: "Recreate" });
    expect(await isSecret(obs.outputs.grafanaAdminPassword)).toBe(true);
  });

  it("installs KEDA in its namespace, queried at Mimir's Prometheus API", async () => {
    expect(one(mocks, T.release, "obs-keda").inputs.namespace).toBe("keda");
    expect(mocks.byType(T.triggerAuth)).toHaveLength(0);
    expect(await valueOf(obs.outputs.autoscalingQueryUrl)).toBe(
      "http://mimir-gateway.observability.svc/prometheus",
    );
  });

  it("exports the OTLP endpoints applications send to and no central write path", async () => {
    expect(await valueOf(obs.outputs.otlpGrpcEndpoint)).toBe(
      "collectors-alloy-receiver.observability.svc:4317",
    );
    expect(await valueOf(obs.outputs.otlpHttpEndpoint)).toBe(
      "http://collectors-alloy-receiver.observability.svc:4318",
    );
    expect(await valueOf(obs.outputs.central)).toBeNull();
    expect(await valueOf(obs.outputs.tenant)).toBe(TENANT);
  });
});

describe("Grafana sign-in by OIDC", () => {
  it("configures generic OAuth with the client secret only in a Secret", async () => {
    const { mocks } = await build({
      grafana: {
        rootUrl: "https://grafana.internal.example.com",
        oidc: {
          clientId: "grafana",
          clientSecret: pulumi.secret("oidc-client-secret"),
          authUrl: "https://idp.example.com/authorize",
          tokenUrl: "https://idp.example.com/token",
          apiUrl: "https://idp.example.com/userinfo",
        },
      },
    });
    const g = releaseValues(mocks, "obs-grafana");
    expect(g["grafana.ini"]["auth.generic_oauth"]).toMatchObject({
      enabled: true,
      client_id: "grafana",
      auth_url: "https://idp.example.com/authorize",
    });
    expect(g["grafana.ini"].server.root_url).toBe("https://grafana.internal.example.com");
    expect(g.envFromSecrets).toEqual([{ name: "grafana-oidc" }]);
    expect(JSON.stringify(g)).not.toContain("oidc-client-secret");
    expect(named(mocks, T.secret, "grafana-oidc").inputs.stringData).toBe("[secret]");
  });
});

describe("central mode", () => {
  let mocks: RecordingMocks;
  let obs: Observability;
  beforeAll(async () => {
    ({ mocks, obs } = await build({
      mode: "central",
      central: {
        tenants: ["officeless-dev-onprem", "officeless-prod-oci"],
        hostname: "obs.internal.example.com",
        allowedCidrs: ["10.30.0.0/16"],
      },
    }));
  });

  it("runs the authenticated write path behind a private load balancer, after the stores", () => {
    const service = one(mocks, T.service);
    expect(service.inputs.spec).toMatchObject({
      type: "LoadBalancer",
      loadBalancerSourceRanges: ["10.30.0.0/16"],
      // TLS only, passed through to nginx.
      ports: [{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }],
    });
    expect(
      (service.inputs.metadata as { annotations: Record<string, string> }).annotations,
    ).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    });
    const deployment = one(mocks, T.deployment);
    for (const store of ["obs-mimir", "obs-loki", "obs-tempo"])
      expect(deployment.options.dependsOn).toContain(one(mocks, T.release, store).urn);
    expect(named(mocks, T.secret, "tenant-gateway-htpasswd").inputs.stringData).toBe("[secret]");
    expect(mocks.byType("random:index/randomPassword:RandomPassword").map((r) => r.name)).toEqual(
      expect.arrayContaining([
        "obs-tenant-officeless-dev-onprem",
        "obs-tenant-officeless-prod-oci",
      ]),
    );
  });

  it("lets the credential, never the client, choose the tenant", () => {
    const conf = gatewayConfig("observability");
    expect(conf).toContain("proxy_set_header X-Scope-OrgID $remote_user;");
    expect(conf).toContain("auth_basic_user_file");
    // Only the health check answers without a password.
    const open = conf.split("\n").filter((l) => /location/.test(l) && !/auth_basic/.test(l));
    expect(open.filter((l) => /return 200/.test(l))).toHaveLength(1);
    const entry = sshaEntry("t1", "pw");
    const raw = Buffer.from(entry.split("{SSHA}")[1], "base64");
    const digest = crypto.createHash("sha1").update("pw").update(raw.subarray(20)).digest();
    expect(raw.subarray(0, 20).equals(digest)).toBe(true);
  });

  it("shows every tenant in Grafana and exports the write path as a secret", async () => {
    const sources = releaseValues(mocks, "obs-grafana").datasources["datasources.yaml"].datasources;
    expect(new Set(sources.map((s: any) => s.secureJsonData.httpHeaderValue1))).toEqual(
      new Set([TENANT, "officeless-dev-onprem", "officeless-prod-oci"]),
    );
    expect(await isSecret(obs.outputs.central)).toBe(true);
    const central = (await valueOf(obs.outputs.central)) as { url: string; tenants: object };
    expect(Object.keys(central.tenants).sort()).toEqual([
      "officeless-dev-onprem",
      "officeless-prod-oci",
    ]);
    expect(central.url).toBe("https://obs.internal.example.com");
    expect(central).toHaveProperty("caCertificate");
  });

  it("serves TLS from nginx with a leaf of the platform's CA for the hostname", async () => {
    // One CA (a self-signed CA certificate on its own key), one leaf for the gateway.
    const ca = one(mocks, T.ca);
    expect(ca.inputs).toMatchObject({
      isCaCertificate: true,
      validityPeriodHours: 87600,
      earlyRenewalHours: 8760,
      allowedUses: expect.arrayContaining(["cert_signing"]),
    });
    expect(
      mocks
        .byType(T.key)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["obs-tenant-gateway-tls-key", "obs-tls-ca-key"]);
    for (const key of mocks.byType(T.key))
      expect(key.inputs).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    expect(one(mocks, T.csr).inputs.dnsNames).toEqual([
      "obs.internal.example.com",
      "tenant-gateway.observability.svc",
      "tenant-gateway.observability.svc.cluster.local",
    ]);
    const leaf = one(mocks, T.leaf);
    expect(leaf.inputs).toMatchObject({
      validityPeriodHours: 17520,
      earlyRenewalHours: 2160,
      allowedUses: expect.arrayContaining(["server_auth"]),
    });
    // The leaf outlives its renewal window by far: a routine `up` renews it before it expires.
    expect(Number(leaf.inputs.earlyRenewalHours)).toBeLessThan(
      Number(leaf.inputs.validityPeriodHours) / 4,
    );

    const secret = named(mocks, T.secret, "tenant-gateway-tls");
    expect(secret.inputs.type).toBe("kubernetes.io/tls");
    expect(secret.inputs.stringData).toBe("[secret]");
    const conf = gatewayConfig("observability");
    expect(conf).toContain("listen 8443 ssl;");
    expect(conf).toContain("ssl_certificate /etc/nginx/tls/tls.crt;");
    expect(conf).not.toMatch(/listen \d+;/);
    const deployment = one(mocks, T.deployment);
    const pod = (deployment.inputs.spec as any).template;
    expect(pod.metadata.annotations["officeless.io/tls-sha256"]).toMatch(/^[0-9a-f]{16}$/);
    const container = pod.spec.containers[0];
    expect(container.readinessProbe.httpGet).toEqual({
      path: "/healthz",
      port: "https",
      scheme: "HTTPS",
    });
    expect(container.volumeMounts).toContainEqual({
      name: "tls",
      mountPath: "/etc/nginx/tls",
      readOnly: true,
    });
    expect(deployment.options.dependsOn).toContain(secret.urn);
  });
});

describe("central mode on an address instead of a DNS name", () => {
  it("puts the address in the certificate's IP SANs, where clients check it", async () => {
    const { mocks } = await build({
      mode: "central",
      central: { tenants: ["officeless-dev-onprem"], hostname: "10.40.0.10" },
    });
    const csr = one(mocks, T.csr).inputs;
    expect(csr.ipAddresses).toEqual(["10.40.0.10"]);
    expect(csr.dnsNames).toEqual([
      "tenant-gateway.observability.svc",
      "tenant-gateway.observability.svc.cluster.local",
    ]);
  });
});

describe("central mode with the user's own certificate", () => {
  it("serves it and exports its CA, making no CA of its own", async () => {
    const { mocks, obs } = await build({
      mode: "central",
      central: {
        tenants: ["officeless-dev-onprem"],
        hostname: "obs.internal.example.com",
        tls: {
          certificate: "-----BEGIN CERTIFICATE-----\nb3du\n-----END CERTIFICATE-----\n",
          privateKey: pulumi.secret("own-private-key"),
          caCertificate: CENTRAL_CA,
        },
      },
    });
    expect(mocks.byType(T.ca)).toHaveLength(0);
    expect(mocks.byType(T.leaf)).toHaveLength(0);
    expect(named(mocks, T.secret, "tenant-gateway-tls").inputs.stringData).toBe("[secret]");
    const central = (await valueOf(obs.outputs.central)) as { caCertificate: string };
    expect(central.caCertificate).toBe(CENTRAL_CA);
  });
});

describe("Grafana's private exposure", () => {
  let mocks: RecordingMocks;
  let obs: Observability;
  beforeAll(async () => {
    ({ mocks, obs } = await build({
      grafana: {
        exposure: "private",
        rootUrl: "https://grafana.internal.example.com",
        allowedCidrs: ["192.168.0.0/16"],
      },
    }));
  });

  it("puts Grafana on the cloud's private load balancer, serving HTTPS itself", async () => {
    const g = releaseValues(mocks, "obs-grafana");
    expect(g.service).toMatchObject({
      type: "LoadBalancer",
      port: 443,
      loadBalancerSourceRanges: ["192.168.0.0/16"],
      annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" },
    });
    expect(g["grafana.ini"].server).toEqual({
      protocol: "https",
      cert_file: "/etc/grafana/tls/tls.crt",
      cert_key: "/etc/grafana/tls/tls.key",
      domain: "grafana.internal.example.com",
      root_url: "https://grafana.internal.example.com",
    });
    for (const probe of [g.readinessProbe, g.livenessProbe])
      expect(probe.httpGet).toEqual({ path: "/api/health", port: "grafana", scheme: "HTTPS" });
    expect(g.extraSecretMounts).toEqual([
      {
        name: "tls",
        mountPath: "/etc/grafana/tls",
        secretName: "grafana-tls",
        readOnly: true,
        defaultMode: 0o440,
        items: [
          { key: "tls.crt", path: "tls.crt" },
          { key: "tls.key", path: "tls.key" },
        ],
      },
    ]);
    // The scrape verifies the host browsers dial, which a user's own certificate names too.
    expect(g.serviceMonitor).toMatchObject({
      enabled: true,
      scheme: "https",
      tlsConfig: { serverName: "grafana.internal.example.com" },
    });
    // No reload call, so no admin credential in the sidecar (it would travel with its downloads).
    expect(g.sidecar.dashboards.skipReload).toBe(true);
    expect(g.sidecar.dashboards.reloadURL).toBeUndefined();
    expect(g.sidecar.dashboards.env).toBeUndefined();
    expect(g.sidecar.dashboards.enabled).toBe(true);
    expect(g.podAnnotations["officeless.io/tls-sha256"]).toMatch(/^[0-9a-f]{16}$/);
    const secret = named(mocks, T.secret, "grafana-tls");
    expect(secret.inputs.type).toBe("kubernetes.io/tls");
    expect(one(mocks, T.release, "obs-grafana").options.dependsOn).toContain(secret.urn);
    expect(one(mocks, T.csr).inputs.dnsNames).toEqual([
      "grafana.internal.example.com",
      "grafana.observability.svc",
      "grafana.observability.svc.cluster.local",
      "localhost",
    ]);
    expect(await valueOf(obs.outputs.grafanaUrl)).toBe("https://grafana.internal.example.com");
    expect(await valueOf(obs.outputs.grafanaCaCertificate)).toContain("BEGIN CERTIFICATE");
  });

  it("sets only keys the pinned Grafana chart defines", () => {
    expect(conformance(mocks, "obs-grafana", "grafana")).toEqual([]);
  });

  it("makes no certificate and no load balancer by default", async () => {
    const { mocks: m, obs: o } = await build({});
    expect(m.byType(T.ca)).toHaveLength(0);
    expect(releaseValues(m, "obs-grafana").service).toEqual({ type: "ClusterIP" });
    expect(await valueOf(o.outputs.grafanaCaCertificate)).toBe("");
  });
});

describe("remote mode", () => {
  let mocks: RecordingMocks;
  let obs: Observability;
  beforeAll(async () => {
    ({ mocks, obs } = await build({ mode: "remote", remote: { stack: CENTRAL_STACK } }));
  });

  it("runs collectors only: no stores, no Grafana, no cloud identity for them", () => {
    expect(releaseNames(mocks).sort()).toEqual([
      "obs-collectors",
      "obs-keda",
      "obs-monitoring-crds",
    ]);
    expect(mocks.byType(T.role)).toHaveLength(0);
  });

  it("sends to the central write path with its own credential from the central stack", () => {
    const d = releaseValues(mocks, "obs-collectors").destinations;
    expect(d.mimir.url).toBe(`${CENTRAL.url}/api/v1/push`);
    expect(d.mimir.rules.address).toBe(CENTRAL.url);
    expect(d.loki.url).toBe(`${CENTRAL.url}/loki/api/v1/push`);
    expect(d.tempo).toMatchObject({ url: CENTRAL.url, protocol: "http" });
    for (const dest of [d.mimir, d.loki, d.tempo]) {
      // TLS verified against the CA the Secret carries (key `ca`).
      expect(dest.tls).toEqual({ insecureSkipVerify: false });
      expect(dest.auth).toEqual({
        type: "basic",
        usernameKey: "username",
        passwordKey: "password",
      });
      expect(dest.secret).toEqual({
        create: false,
        name: "central-write-auth",
        namespace: "observability",
      });
      expect(dest.tenantId).toBe(TENANT);
    }
    expect(JSON.stringify(d)).not.toContain(CENTRAL.tenants[TENANT]);
    expect(named(mocks, T.secret, "central-write-auth").inputs.stringData).toBe("[secret]");
    // An existing Secret is where the chart reads every key of the destination from: the auth
    // keys above, the tenant (`tenantIdKey`, default `tenantId`) and the TLS `ca`/`cert`/`key`.
    expect(Object.keys(remoteAuthData(TENANT, "p")).sort()).toEqual(
      ["ca", "cert", "key", "password", "tenantId", "username"].sort(),
    );
    expect(remoteAuthData(TENANT, "p")).toMatchObject({ username: TENANT, tenantId: TENANT });
    expect(one(mocks, "pulumi:pulumi:StackReference").inputs.name).toBe(CENTRAL_STACK);
  });

  it("loads its alerts config and KEDA's credential through the same write path", async () => {
    const pod = (one(mocks, T.job).inputs.spec as any).template.spec;
    const container = pod.containers[0];
    expect(container.args[0]).toContain('--user "${USERNAME}:${PASSWORD}"');
    // curl verifies the central's certificate against its CA, projected alone from the Secret.
    expect(container.args[0]).toContain("--cacert /tls/ca.crt");
    expect(pod.volumes).toContainEqual({
      name: "ca",
      secret: { secretName: "central-write-auth", items: [{ key: "ca", path: "ca.crt" }] },
    });
    expect((one(mocks, T.triggerAuth).inputs.spec as any).secretTargetRef).toContainEqual({
      parameter: "ca",
      name: "officeless-mimir",
      key: "ca",
    });
    expect(container.env).toEqual(
      expect.arrayContaining([{ name: "ALERTMANAGER_URL", value: CENTRAL.url }]),
    );
    expect(one(mocks, T.triggerAuth).inputs.metadata).toEqual({ name: "officeless-mimir" });
    expect(await valueOf(obs.outputs.autoscalingQueryUrl)).toBe(`${CENTRAL.url}/prometheus`);
    expect(await valueOf(obs.outputs.metricsUrl)).toBe(`${CENTRAL.url}/prometheus`);
  });

  it("sets only keys the pinned k8s-monitoring chart defines, TLS included", () => {
    expect(conformance(mocks, "obs-collectors", "k8sMonitoring")).toEqual([]);
  });

  it("refuses a central stack whose write path has no TLS", () => {
    const old = { url: "http://obs.internal.example.com", tenants: CENTRAL.tenants };
    expect(() => centralFromOutputs(CENTRAL_STACK, old, undefined)).toThrow(
      /exports a write path without TLS/,
    );
    expect(() => centralFromOutputs(CENTRAL_STACK, undefined, {})).toThrow(
      /exports no central write path/,
    );
    expect(centralFromOutputs(CENTRAL_STACK, undefined, { central: CENTRAL })).toEqual(CENTRAL);
  });

  it("reads a whole-platform central stack's nested output too", async () => {
    const { mocks: m } = await build(
      { mode: "remote", remote: { stack: CENTRAL_STACK } },
      { centralOutputs: { observability: { central: CENTRAL } } },
    );
    expect(releaseValues(m, "obs-collectors").destinations.loki.url).toBe(
      `${CENTRAL.url}/loki/api/v1/push`,
    );
  });
});

describe("component-level checks", () => {
  it("refuses a mode's keys in another mode before any child exists", async () => {
    await expect(build({ mode: "local", remote: { stack: CENTRAL_STACK } })).rejects.toThrow(
      /args\.observability\.remote.*not used in mode "local"/s,
    );
  });
});
