/**
 * The operator's release for a management cluster: the pinned OCI chart, atomic, in its own
 * namespace, with values every key of which the chart's 2.9.0 defaults have.
 */
import { CHARTS } from "../components/charts";
import { operatorValues, PulumiKubernetesOperator } from "../automation/pko/operator";
import { mockPulumi, one, settle } from "./harness";
import { loadChart, walkValues } from "./helmValuesWalker";

describe("PulumiKubernetesOperator", () => {
  it("installs the pinned OCI chart atomically into its own namespace", async () => {
    const mocks = await mockPulumi();
    new PulumiKubernetesOperator("pko", { maxConcurrentReconciles: 25 });
    await settle();
    const release = one(mocks, "kubernetes:helm.sh/v3:Release");
    expect(release.inputs).toMatchObject({
      chart: "oci://ghcr.io/pulumi/helm-charts/pulumi-kubernetes-operator",
      version: "2.9.0",
      name: "pulumi-kubernetes-operator",
      namespace: "pulumi-kubernetes-operator",
      createNamespace: true,
      atomic: true,
      cleanupOnFail: true,
    });
    // An OCI chart has no repository index to name.
    expect(release.inputs.repositoryOpts).toBeUndefined();
    expect((release.inputs.values as { extraEnv: unknown }).extraEnv).toEqual([
      { name: "MAX_CONCURRENT_RECONCILES", value: "25" },
    ]);
  });

  it("passes only keys the chart has, from the repository INDEX.json names", () => {
    const pin = CHARTS.pulumiKubernetesOperator;
    const ref = loadChart(pin.chart, pin.version);
    expect(ref.entry.repoURL).toBe(pin.repo);
    const problems = [
      ...walkValues({
        values: operatorValues(),
        defaults: ref.defaults,
        schema: ref.schema,
        rules: {},
      }),
    ];
    expect(problems).toEqual([]);
    // The walk can fail: a misspelled key is reported.
    expect([
      ...walkValues({
        values: { controler: { logLevel: "info" } },
        defaults: ref.defaults,
        rules: {},
      }),
    ]).not.toEqual([]);
  });

  it("refuses a concurrency the controller cannot use", () => {
    expect(() => operatorValues({ maxConcurrentReconciles: 0 })).toThrow(/1 to 100/);
    expect(() => operatorValues({ maxConcurrentReconciles: 2.5 })).toThrow(/1 to 100/);
  });
});
