/**
 * Helm values conformance: the chart pins match the reference data, and every values key the AWS
 * backend passes exists in the pinned chart's defaults (../shared/helm-values), walked with the
 * reviewed exceptions of tests/helmRules.ts. Helm ignores unknown keys, so without this a typo
 * ships silently.
 */
import { CHARTS } from "../components/charts";
import { OBSERVABILITY_USE_CHARTS } from "../components/observabilityCollection";
import {
  lokiValues,
  mimirValues,
  ObjectStorage,
  SignalValuesArgs,
  tempoValues,
} from "../components/observabilityValues";
import { awsConfig, commonArgs } from "./fixtures";
import { kubernetesOutputs, networkOutputs, storageOutputs, withKubernetes } from "./awsUpstream";
import { expectReleasesConform, recordChartReleases, RecordedRelease, RULES } from "./helmRules";
import {
  ChartRules,
  JsonSchema,
  loadChart,
  loadIndex,
  loadValuesFile,
  walkValues,
} from "./helmValuesWalker";

describe("chart pins", () => {
  it.each(Object.entries(CHARTS))(
    "%s is pinned to a chart version present in INDEX.json",
    (_key, pin) => {
      const entry = loadIndex().find((e) => e.chart === pin.chart && e.version === pin.version);
      expect(entry).toBeDefined();
      expect(entry!.repoURL).toBe(pin.repo);
      expect(entry!.files.some((f) => f.endsWith(".values.yaml"))).toBe(true);
    },
  );

  it("fails loudly on drift", () => {
    expect(() => loadChart("cluster-autoscaler", "9.44.0")).toThrow(
      /9\.44\.0 is not in .*INDEX\.json.*9\.45\.0/,
    );
  });
});

describe("values walker", () => {
  const ca = loadChart("cluster-autoscaler", "9.45.0");
  const walkCa = (values: unknown, rules: ChartRules = RULES["cluster-autoscaler"]) =>
    walkValues({ values, defaults: ca.defaults, rules });

  it("catches a misspelled key", () => {
    expect(walkCa({ autoDiscovery: { clustrName: "x" } })).toEqual([
      { path: "autoDiscovery.clustrName", message: expect.stringMatching(/does not exist/) },
    ]);
    expect(walkCa({ autoDiscovery: { clusterName: "x" } })).toEqual([]);
  });

  it("accepts anything under a free-form map, and under a reviewed free-form path only with its rule", () => {
    expect(
      walkCa({ podAnnotations: { "example.com/anything": "x" }, nodeSelector: { zone: "a" } }),
    ).toEqual([]);
    const flag = { extraArgs: { "scale-down-delay-after-add": "5m" } };
    expect(walkCa(flag)).toEqual([]);
    expect(walkCa(flag, {}).map((v) => v.path)).toEqual(["extraArgs.scale-down-delay-after-add"]);
  });

  it("accepts a list where the default is a list, and anything below a null default", () => {
    expect(
      walkCa({
        tolerations: [{ key: "spot", operator: "Exists", effect: "NoSchedule" }],
        autoDiscovery: { tags: ["a"] },
      }),
    ).toEqual([]);
    expect(
      walkValues({
        values: { resources: { limits: { cpu: "1" } } },
        defaults: { resources: null },
      }),
    ).toEqual([]);
  });

  it("flags a scalar where the chart expects a map, and a map where it expects a scalar", () => {
    expect(
      walkCa({ image: "registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6" }).map(
        (v) => v.path,
      ),
    ).toEqual(["image"]);
    expect(walkCa({ replicaCount: { min: 1 } }).map((v) => v.path)).toEqual(["replicaCount"]);
  });

  it("rejects a key a strict schema object does not list, even when the defaults have it", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: {
        a: { type: "object", additionalProperties: false, properties: { b: { type: "integer" } } },
      },
    };
    const defaults = { a: { b: 1, legacy: true } };
    expect(walkValues({ values: { a: { b: 2 } }, defaults, schema })).toEqual([]);
    expect(walkValues({ values: { a: { legacy: false } }, defaults, schema })).toEqual([
      { path: "a.legacy", message: expect.stringMatching(/additionalProperties: false/) },
    ]);
    const ebs = loadChart("aws-ebs-csi-driver", "2.64.0");
    const ebsIssues = walkValues({
      values: { controller: { region: "eu-west-1", regoin: "eu-west-1" } },
      defaults: ebs.defaults,
      schema: ebs.schema,
    });
    expect(ebsIssues.map((v) => v.path)).toEqual(["controller.regoin"]);
  });

  it("follows the schema: free-form where it says so, typed where it says so", () => {
    const loki = loadChart("loki", "18.11.0");
    const walkLoki = (values: unknown) =>
      walkValues({ values, defaults: loki.defaults, schema: loki.schema, rules: RULES.loki });
    // bucketNames is only a comment in values.yaml; the schema makes loki.storage free-form.
    expect(walkLoki({ loki: { storage: { bucketNames: { chunks: "c" } } } })).toEqual([]);
    expect(walkLoki({ loki: { storag: { type: "s3" } } }).map((v) => v.path)).toEqual([
      "loki.storag",
    ]);
    expect(walkLoki({ singleBinary: { replicas: "1" } }).map((v) => v.path)).toEqual([
      "singleBinary.replicas",
    ]);
  });

  it("checks subchart keys against the subchart's own values", () => {
    const mimir = loadChart("mimir-distributed", "6.1.0");
    const walkMimir = (values: unknown) =>
      walkValues({ values, defaults: mimir.defaults, rules: RULES["mimir-distributed"] });
    // consoleIngress exists only in minio-5.4.0's values; enabled only in the parent's.
    expect(walkMimir({ minio: { enabled: false, consoleIngress: { enabled: false } } })).toEqual(
      [],
    );
    expect(walkMimir({ minio: { enabeld: false } }).map((v) => v.path)).toEqual(["minio.enabeld"]);
    expect(Object.keys(loadValuesFile("minio-5.4.0.values.yaml") as object)).toContain(
      "consoleIngress",
    );
  });

  it("accepts a template-read key only through its reviewed rule", () => {
    const tempo = loadChart("tempo-distributed", "2.26.2");
    const values = { storage: { trace: { backend: "s3", s3: { bucket: "b" } } } };
    expect(
      walkValues({ values, defaults: tempo.defaults, rules: RULES["tempo-distributed"] }),
    ).toEqual([]);
    expect(walkValues({ values, defaults: tempo.defaults }).map((v) => v.path)).toEqual([
      "storage.trace.s3",
    ]);
  });
});

/** The releases of every AWS component that installs a chart. */
const recordedReleases = (environment: "dev" | "prod") =>
  recordChartReleases("eu-west-1", () => {
    const config = awsConfig(environment);
    return {
      config,
      common: commonArgs(config),
      network: networkOutputs(config.zones),
      kubernetes: kubernetesOutputs(config.kubernetes.version),
      storage: storageOutputs(),
      opts: withKubernetes(),
    };
  });

describe.each(["prod", "dev"] as const)("values the AWS backend passes (%s)", (environment) => {
  let releases: RecordedRelease[];
  beforeAll(async () => {
    releases = await recordedReleases(environment);
  });

  it("installs every pinned chart", () => {
    const seen = new Set(releases.map((r) => `${r.chart}@${r.version}`));
    // Other backends pin charts of their own (on-prem: MetalLB, Rook-Ceph, ...), and the operator
    // goes into a management cluster, not a layer (tests/pko.operator.test.ts).
    const aws = [
      CHARTS.awsEbsCsiDriver,
      CHARTS.awsEfsCsiDriver,
      CHARTS.awsLoadBalancerController,
      CHARTS.clusterAutoscaler,
      CHARTS.metricsServer,
      CHARTS.mimir,
      CHARTS.loki,
      CHARTS.tempo,
      ...OBSERVABILITY_USE_CHARTS.map((key) => CHARTS[key]),
    ];
    expect([...seen].sort()).toEqual(aws.map((p) => `${p.chart}@${p.version}`).sort());
  });

  it("uses only keys the pinned charts know", () => {
    expectReleasesConform(releases);
  });
});

describe("observability values for the object stores other clouds will use", () => {
  const stores: ObjectStorage[] = [
    { kind: "gcs", bucket: "g" },
    {
      kind: "azure",
      storageAccount: "acct",
      container: "c",
      endpointSuffix: "blob.core.chinacloudapi.cn",
    },
    { kind: "s3", bucket: "b", region: "r", endpoint: "minio.local:9000", forcePathStyle: true },
  ];
  const builders: [string, string, (args: SignalValuesArgs) => Record<string, unknown>][] = [
    ["mimir-distributed", "6.1.0", mimirValues],
    ["loki", "18.11.0", lokiValues],
    ["tempo-distributed", "2.26.2", tempoValues],
  ];

  it.each(stores.map((s) => [s.kind, s] as const))(
    "uses only known keys with %s storage",
    (_kind, storage) => {
      const problems: string[] = [];
      for (const [chart, version, build] of builders) {
        const ref = loadChart(chart, version);
        for (const highAvailability of [true, false]) {
          const values = build({
            storage,
            retentionDays: 14,
            serviceAccountName: "sa",
            highAvailability,
            zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"],
          });
          for (const v of walkValues({
            values,
            defaults: ref.defaults,
            schema: ref.schema,
            rules: RULES[chart],
          })) {
            problems.push(`${chart} (ha=${highAvailability}): ${v.path} ${v.message}`);
          }
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
