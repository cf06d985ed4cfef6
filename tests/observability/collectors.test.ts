/**
 * The collector values on their own: sizing presets, DaemonSets that land on every node pool
 * (the spot pools' taints included), and every collector's keys against the chart's
 * alloy-collector schema and the Alloy chart's values (the parent schema leaves `collectors` open).
 */
import { collectorValues, TOLERATE_EVERY_TAINT } from "../../components/observabilityCollectors";
import { NodeTaint } from "../../components/types";
import { JsonSchema, loadChart, loadValuesFile, walkValues } from "../helmValuesWalker";
import { awsConfig } from "../fixtures";

import { collectorArgs as args } from "./collectorArgs";

type Toleration = { key?: string; operator?: string; value?: string; effect?: string };
/** Kubernetes' rule: does one of the tolerations tolerate the taint? */
function tolerates(tolerations: readonly Toleration[], taint: NodeTaint): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === taint.effect) &&
      (t.key === undefined
        ? t.operator === "Exists"
        : t.key === taint.key &&
          (t.operator === "Exists" || (t.value ?? "") === (taint.value ?? ""))),
  );
}

describe("collector DaemonSets", () => {
  // Every configured pool's taints, and the taints each managed service puts on spot nodes itself.
  const taints: NodeTaint[] = [
    ...awsConfig("prod").kubernetes.nodePools.flatMap((p) => p.taints),
    { key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" },
    { key: "cloud.google.com/gke-spot", value: "true", effect: "NoSchedule" },
    { key: "dedicated", value: "gpu", effect: "NoExecute" },
  ];
  const values = collectorValues(args()) as any;

  it("the tolerance check itself tells a tolerated taint from one that is not", () => {
    expect(tolerates([{ key: "a", operator: "Exists" }], { key: "b", effect: "NoSchedule" })).toBe(
      false,
    );
    expect(tolerates([{ operator: "Exists" }], { key: "b", effect: "NoExecute" })).toBe(true);
  });

  it.each([
    ["pod logs (alloy-logs)", () => values.collectors["alloy-logs"].controller.tolerations],
    ["node-exporter", () => values.telemetryServices["node-exporter"].tolerations],
  ])("%s tolerates every node pool's taints, spot included", (_name, get) => {
    expect(taints.length).toBeGreaterThan(3);
    for (const taint of taints)
      expect({ taint, ok: tolerates(get(), taint) }).toEqual({ taint, ok: true });
    expect(get()).toEqual(TOLERATE_EVERY_TAINT);
  });

  it("runs pod logs as a DaemonSet reading the node's log files", () => {
    expect(values.collectors["alloy-logs"].presets).toEqual(
      expect.arrayContaining(["daemonset", "filesystem-log-reader"]),
    );
  });
});

describe("presets", () => {
  it("sizes small clusters small and large ones larger, per node a size below the clustered", () => {
    const small = collectorValues(args()) as any;
    const large = collectorValues(args({ preset: "large", highAvailability: true })) as any;
    expect(small.collectors["alloy-metrics"].presets).toContain("small");
    expect(small.collectors["alloy-logs"].presets).toContain("small");
    expect(large.collectors["alloy-metrics"].presets).toContain("large");
    expect(large.collectors["alloy-logs"].presets).toContain("medium");
    expect(large.collectors["alloy-receiver"].controller.replicas).toBe(2);
    expect(small.collectors["alloy-receiver"].controller.replicas).toBe(1);
  });
});

describe("collector keys", () => {
  const chart = loadChart("k8s-monitoring", "4.4.0");
  const definition = (chart.schema as { definitions: Record<string, JsonSchema> }).definitions[
    "alloy-collector"
  ];
  // A collector takes the chart's collector keys plus the Alloy chart's values (alloy, controller, ...).
  const alloyDefaults = loadValuesFile("alloy-1.11.1.values.yaml");
  const walk = (collector: unknown) =>
    walkValues({
      values: collector,
      defaults: { ...(alloyDefaults as object), presets: [] },
      schema: { ...definition, definitions: (chart.schema as any).definitions } as JsonSchema,
    });

  it.each(["small", "large"] as const)("every %s collector uses only keys that exist", (preset) => {
    const values = collectorValues(args({ preset })) as { collectors: Record<string, unknown> };
    for (const [name, collector] of Object.entries(values.collectors))
      expect({ name, problems: walk(collector) }).toEqual({ name, problems: [] });
  });

  it("would catch a misspelled collector key", () => {
    expect(walk({ controller: { tolerashuns: [] } }).map((v) => v.path)).toEqual([
      "controller.tolerashuns",
    ]);
  });
});
