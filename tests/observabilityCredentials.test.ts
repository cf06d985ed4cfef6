import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityArgs } from "../components/observability";
import {
  credentialsSecretName,
  credentialsValues,
  observabilityStack,
} from "../components/observabilityRelease";
import { SECRET_PLACEHOLDER } from "../automation/offline/mocks";
import { CHARTS } from "../components/charts";
import { RULES } from "./helmRules";
import { loadChart, walkValues } from "./helmValuesWalker";
import { mockPulumi, one, RecordingMocks, releaseValues, settle } from "./harness";

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Holder", name);
  }
}

const SIGNALS = ["mimir", "loki", "tempo"];

/** The shared observability stack with a fake backend that hands static S3 keys to `keyed` signals. */
async function build(keyed: readonly string[]): Promise<RecordingMocks> {
  const mocks = await mockPulumi();
  const parent = new Holder("obs");
  const args = {
    cloud: "aws",
    region: "eu-west-1",
    environment: "dev",
    observability: { enabled: true, retentionDays: 7 },
    zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    storage: {
      buckets: pulumi.output({ metrics: "m-bucket", logs: "l-bucket", traces: "t-bucket" }),
      blockStorageClass: pulumi.output("block"),
    },
  } as unknown as ObservabilityArgs;
  observabilityStack(
    { name: "obs", parent, tags: {}, protect: false },
    args,
    () =>
      ({ signal, bucket }) => ({
        storage: bucket.apply((b) => ({
          kind: "s3" as const,
          bucket: b,
          region: "eu-west-1",
          endpoint: "objects.example.net",
          forcePathStyle: true,
        })),
        dependsOn: [],
        ...(keyed.includes(signal.name)
          ? {
              credentials: pulumi.secret({
                accessKeyId: `AK-${signal.name}`,
                secretAccessKey: `SK-${signal.name}`,
              }),
            }
          : {}),
      }),
  );
  await settle();
  return mocks;
}

describe("S3-compatible stores with static keys", () => {
  it("keeps each signal's keys in its own secret Secret in the namespace, created before it", async () => {
    const mocks = await build(SIGNALS);
    const ns = one(mocks, "kubernetes:core/v1:Namespace");
    expect(ns.inputs.metadata).toEqual({ name: "observability" });
    for (const signal of SIGNALS) {
      const secret = one(mocks, "kubernetes:core/v1:Secret", `obs-${signal}-object-store`);
      expect(secret.inputs.metadata).toEqual({
        name: credentialsSecretName(signal),
        namespace: "observability",
      });
      expect(secret.inputs.stringData).toBe(SECRET_PLACEHOLDER);
      expect(secret.options.dependsOn).toContain(ns.urn);
    }
  });

  it("points every pod of each chart at its Secret and makes the release wait for it", async () => {
    const mocks = await build(SIGNALS);
    for (const signal of SIGNALS) {
      const release = one(mocks, "kubernetes:helm.sh/v3:Release", `obs-${signal}`);
      const secret = one(mocks, "kubernetes:core/v1:Secret", `obs-${signal}-object-store`);
      expect(release.options.dependsOn).toContain(secret.urn);
      const values = releaseValues(mocks, `obs-${signal}`);
      const scope = signal === "loki" ? values.defaults : values.global;
      expect(scope.extraEnvFrom).toEqual([{ secretRef: { name: `${signal}-object-store` } }]);
      // No key in the rendered config: the S3 clients take them from the environment.
      expect(JSON.stringify(values)).not.toMatch(/AK-|SK-|access_key|secret_key/);
    }
  });

  it("sets only keys the pinned charts define", () => {
    for (const signal of SIGNALS) {
      const pin = CHARTS[signal as "mimir" | "loki" | "tempo"];
      const chart = loadChart(pin.chart, pin.version);
      const values = credentialsValues(signal);
      expect(
        walkValues({
          values,
          defaults: chart.defaults,
          schema: chart.schema,
          rules: RULES[pin.chart],
        }),
      ).toEqual([]);
    }
  });

  it("adds nothing for signals on a keyless cloud identity", async () => {
    const mocks = await build([]);
    // Other Secrets (Grafana's admin, the Alertmanager config) live in the namespace too.
    const objectStore = mocks
      .byType("kubernetes:core/v1:Secret")
      .filter((s) => /-object-store$/.test(String((s.inputs.metadata as { name: string }).name)));
    expect(objectStore).toHaveLength(0);
    for (const signal of SIGNALS) {
      const values = releaseValues(mocks, `obs-${signal}`);
      expect(values.global?.extraEnvFrom ?? values.defaults?.extraEnvFrom).toBeUndefined();
    }
  });
});
