/**
 * On-prem cache under mocks: the official Valkey chart with replicas over zones, ACL auth from a
 * generated Secret, TLS from the platform CA, persistence on the block class, a disruption budget;
 * OpenShift's SCC grant for the chart's fixed UID.
 */
import { Cache } from "../../components/cache";
import {
  CACHE_EXPORTER_ACL,
  CACHE_EXPORTER_IMAGE,
  cacheScrapeAnnotations,
} from "../../components/cacheExporter";
import { PlatformConfig } from "../../components/types";
import { CA_ISSUER } from "../../providers/onprem/addons";
import { cacheIssues, valkeyValues } from "../../providers/onprem/cache";
import { isSecret, mockPulumi, RecordingMocks, settle, valueOf } from "../harness";
import {
  devConfig,
  onpremArgs,
  openshiftStorage,
  prodConfig,
  upstream,
  withKubernetes,
} from "./layerFixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";

async function build(config: PlatformConfig, metrics = true) {
  const mocks = await mockPulumi();
  const cache = new Cache(
    "cache",
    {
      ...onpremArgs(config),
      zones: config.zones,
      cache: config.cache,
      network: upstream.networkOutputs(config.zones),
      kubernetes: upstream.kubernetesOutputs(),
      metrics,
    },
    withKubernetes(),
  );
  const o = cache.outputs;
  const outputs = {
    engine: await valueOf(o.engine),
    primaryEndpoint: await valueOf(o.primaryEndpoint),
    readerEndpoint: await valueOf(o.readerEndpoint),
    port: await valueOf(o.port),
    authTokenSecret: await isSecret(o.authToken),
    authToken: await valueOf(o.authToken),
  };
  await settle();
  return { mocks, outputs };
}

describe("Valkey on RKE2 (prod)", () => {
  let mocks: RecordingMocks;
  let outputs: Awaited<ReturnType<typeof build>>["outputs"];
  let values: any;
  beforeAll(async () => {
    ({ mocks, outputs } = await build(prodConfig("rke2")));
    values = mocks.byType(RELEASE, "cache-valkey")[0].inputs.values;
  });

  it("installs the Valkey project's chart 0.11.0, protected in prod", () => {
    const release = mocks.byType(RELEASE, "cache-valkey")[0];
    expect(release.inputs).toMatchObject({
      chart: "valkey",
      version: "0.11.0",
      repositoryOpts: { repo: "https://valkey.io/valkey-helm/" },
      namespace: "cache",
      name: "valkey",
    });
    expect(release.options.protect).toBe(true);
  });

  it("runs a primary and replicas, one per zone, with persistence on the block class and a budget", () => {
    expect(values.replica).toMatchObject({
      enabled: true,
      replicas: prodConfig("rke2").cache.replicas,
      minReplicasToWrite: 1,
      persistence: { storageClass: "officeless-block", size: "32Gi" },
    });
    expect(values.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector: { matchLabels: { "app.kubernetes.io/instance": "valkey" } },
    });
    expect(values.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
  });

  it("authenticates with ACL users whose generated passwords are in a Secret", () => {
    expect(values.auth).toEqual({
      enabled: true,
      usersExistingSecret: "valkey-users",
      aclUsers: {
        default: { permissions: "~* &* +@all" },
        replication: { permissions: "-@all +psync +replconf +ping" },
        metrics: { permissions: `${CACHE_EXPORTER_ACL} +config|get` },
      },
    });
    expect(values.replica.replicationUser).toBe("replication");
    const secret = mocks.byType("kubernetes:core/v1:Secret", "cache-users")[0];
    expect(secret.inputs.metadata).toMatchObject({ name: "valkey-users", namespace: "cache" });
    expect(JSON.stringify(secret.inputs)).not.toContain(outputs.authToken);
    expect(outputs.authTokenSecret).toBe(true);
  });

  it("serves TLS only, with a certificate of the platform CA issued before the pods start", () => {
    expect(values.tls).toEqual({
      enabled: true,
      existingSecret: "valkey-tls",
      serverPublicKey: "tls.crt",
      serverKey: "tls.key",
      caPublicKey: "ca.crt",
    });
    // Renewed certificates are picked up without a restart.
    expect(values.valkeyConfig).toBe("tls-auto-reload-interval 3600\n");
    const cert = mocks.byType("kubernetes:cert-manager.io/v1:Certificate", "cache-tls")[0];
    expect(cert.inputs).toMatchObject({
      metadata: { namespace: "cache", annotations: { "pulumi.com/waitFor": "condition=Ready" } },
      spec: { secretName: "valkey-tls", issuerRef: { name: CA_ISSUER, kind: "ClusterIssuer" } },
    });
    expect((cert.inputs.spec as any).dnsNames).toEqual(
      expect.arrayContaining([
        "valkey.cache.svc",
        "valkey-read.cache.svc",
        "*.valkey-headless.cache.svc",
      ]),
    );
    expect(mocks.byType(RELEASE, "cache-valkey")[0].options.dependsOn).toContain(cert.urn);
  });

  it("runs in a restricted namespace, the chart's metrics exporter locked down to fit it", () => {
    const ns = mocks.byType("kubernetes:core/v1:Namespace", "cache-cache-ns")[0];
    expect((ns.inputs.metadata as any).labels["pod-security.kubernetes.io/enforce"]).toBe(
      "restricted",
    );
    expect(values.metrics.exporter.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
  });

  it("runs the platform's pinned exporter, which the collectors discover by the pods' annotations", () => {
    expect(values.metrics.enabled).toBe(true);
    expect(values.metrics.exporter.image).toEqual(CACHE_EXPORTER_IMAGE);
    expect(values.podAnnotations).toEqual(cacheScrapeAnnotations("metrics"));
    expect(values.podAnnotations).toMatchObject({
      "k8s.grafana.com/scrape": "true",
      "k8s.grafana.com/metrics.portNumber": String(values.metrics.exporter.port ?? 9121),
      "k8s.grafana.com/job": "cache",
    });
    // Not through a ServiceMonitor: this layer runs before the observability layer's CRDs.
    expect(values.metrics.serviceMonitor).toBeUndefined();
    expect(values.metrics.podMonitor).toBeUndefined();
  });

  it("runs no exporter and announces none when the observability layer is off", async () => {
    const { mocks } = await build(prodConfig("rke2"), false);
    const off = mocks.byType(RELEASE, "cache-valkey")[0].inputs.values as any;
    expect(off.metrics.enabled).toBe(false);
    expect(off.podAnnotations).toBeUndefined();
  });

  it("authenticates the exporter and the health probes as a read-only metrics user", () => {
    // The chart's own probes PING without a password: NOAUTH under ACL auth.
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      const p = values[probe];
      expect(p.enabled).toBe(true);
      const command = p.customProbe.exec.command;
      expect(command.slice(0, 2)).toEqual(["sh", "-c"]);
      expect(command[2]).toContain(
        'REDISCLI_AUTH="$(cat /probe-auth/password)" valkey-cli --tls --cacert /tls/ca.crt --user metrics ping | grep -qE',
      );
    }
    expect(values.livenessProbe.customProbe.exec.command[2]).toContain("'^(PONG|LOADING)'");
    expect(
      values.startupProbe.customProbe.failureThreshold *
        values.startupProbe.customProbe.periodSeconds,
    ).toBe(600);
    expect(values.extraValkeySecrets).toEqual([
      { name: "valkey-metrics-auth", mountPath: "/probe-auth" },
    ]);
    expect(values.auth.aclUsers.metrics.permissions).toMatch(/^-@all /);
    expect(values.auth.aclUsers.metrics.permissions).not.toMatch(/@read|@write|~/);
    const exporter = values.metrics.exporter;
    expect(exporter.extraExporterSecrets).toEqual([{ name: "valkey-metrics-auth" }]);
    expect(exporter.extraVolumeMounts).toEqual([
      { name: "valkey-metrics-auth-exporter", mountPath: "/exporter-auth", readOnly: true },
    ]);
    expect(exporter.extraEnvs).toMatchObject({
      REDIS_USER: "metrics",
      REDIS_PASSWORD_FILE: "/exporter-auth/password-file.json",
    });
    const users = mocks.byType("kubernetes:core/v1:Secret", "cache-users")[0];
    const auth = mocks.byType("kubernetes:core/v1:Secret", "cache-metrics-auth")[0];
    expect(auth.inputs.metadata).toMatchObject({ name: "valkey-metrics-auth", namespace: "cache" });
    for (const s of [users, auth]) expect(s.inputs.stringData).toBe("[secret]");
    expect(mocks.byType(RELEASE, "cache-valkey")[0].options.dependsOn).toContain(auth.urn);
  });

  it("exports the primary and read Services on 6379", () => {
    expect(outputs).toMatchObject({
      engine: "valkey",
      primaryEndpoint: "valkey.cache.svc",
      readerEndpoint: "valkey-read.cache.svc",
      port: 6379,
    });
    expect(mocks.byType("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")).toEqual([]);
  });
});

describe("Valkey elsewhere", () => {
  it("grants OpenShift's nonroot-v2 SCC to the chart's service account (it runs as UID 1000)", async () => {
    const { mocks } = await build(prodConfig("openshift", openshiftStorage));
    const binding = mocks.byType("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")[0];
    expect(binding.inputs).toMatchObject({
      roleRef: { kind: "ClusterRole", name: "system:openshift:scc:nonroot-v2" },
      subjects: [{ kind: "ServiceAccount", name: "valkey", namespace: "cache" }],
    });
    const release = mocks.byType(RELEASE, "cache-valkey")[0];
    expect(release.options.dependsOn).toContain(binding.urn);
    expect((release.inputs.values as any).replica.persistence.storageClass).toBe(
      "ocs-storagecluster-ceph-rbd",
    );
  });

  it("dev: no replica in sync required, best-effort spread, not protected", async () => {
    const { mocks } = await build(devConfig());
    const release = mocks.byType(RELEASE, "cache-valkey")[0];
    expect((release.inputs.values as any).replica.minReplicasToWrite).toBe(0);
    expect((release.inputs.values as any).topologySpreadConstraints[0].whenUnsatisfiable).toBe(
      "ScheduleAnyway",
    );
    expect(release.options.protect).toBe(false);
  });

  it("refuses a cloud node type and the redis engine", () => {
    const cache = prodConfig("rke2").cache;
    expect(
      cacheIssues({ ...cache, engine: "redis", nodeType: "cache.r7g.large" }).map((i) => i.path),
    ).toEqual(["cache.engine", "cache.nodeType"]);
    expect(
      valkeyValues({
        cache: { ...cache, size: "large" },
        highAvailability: true,
        storageClass: "x",
        metrics: true,
      }),
    ).toMatchObject({
      resources: { limits: { memory: "16Gi" } },
      // The volume claim template never follows the size: a StatefulSet refuses to change it.
      replica: { persistence: { size: "32Gi" } },
    });
  });

  it("requires a synced replica for writes only with two replicas or more (a drain takes one)", () => {
    const cache = prodConfig("rke2").cache;
    const synced = (replicas: number) =>
      (
        valkeyValues({
          cache: { ...cache, replicas },
          highAvailability: true,
          storageClass: "x",
          metrics: true,
        }) as any
      ).replica.minReplicasToWrite;
    expect([synced(1), synced(2), synced(3)]).toEqual([0, 1, 1]);
  });
});
