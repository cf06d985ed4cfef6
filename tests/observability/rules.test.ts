/**
 * Every default alert rule parses with the Prometheus project's own PromQL parser, names its
 * severity, summary and description (or runbook), and selects only jobs and metrics the
 * collectors actually write (the kubernetes-mixin job-label catch).
 */
import { parser } from "@prometheus-io/lezer-promql";
import { cacheScrapeAnnotations } from "../../components/cacheExporter";
import { collectorValues } from "../../components/observabilityCollectors";
import {
  ANNOTATION_JOBS,
  AlertRule,
  DEFAULT_ALERT_GROUPS,
  MIXIN_JOBS,
  MixinSource,
  RULE_METRICS,
  prometheusRuleGroup,
} from "../../components/observabilityRules";
import { ALERT_SEVERITIES } from "../../components/types";
import { VELERO_METRICS_VALUES } from "../../components/velero";
import { collectorArgs } from "./collectorArgs";

interface Selector {
  readonly metric?: string;
  readonly matchers: { name: string; op: string; value: string }[];
}

/** Parses an expression; returns its syntax errors and its vector selectors. */
function parsePromQL(expr: string): { errors: string[]; selectors: Selector[] } {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  const text = (from: number, to: number) => expr.slice(from, to);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`at ${node.from}: "${text(node.from, node.to + 5)}"`);
      if (node.name !== "VectorSelector") return;
      const selector: Selector = { matchers: [] };
      const cursor = node.node.cursor();
      cursor.firstChild();
      do {
        if (cursor.name === "Identifier")
          (selector as { metric?: string }).metric = text(cursor.from, cursor.to);
        if (cursor.name === "LabelMatchers") {
          for (const m of cursor.node.getChildren("UnquotedLabelMatcher")) {
            const name = m.getChild("LabelName")!;
            const op = m.getChild("MatchOp")!;
            const value = m.getChild("StringLiteral")!;
            selector.matchers.push({
              name: text(name.from, name.to),
              op: text(op.from, op.to),
              value: JSON.parse(text(value.from, value.to)) as string,
            });
          }
        }
      } while (cursor.nextSibling());
      selectors.push(selector);
    },
  });
  return { errors, selectors };
}

const rules: [string, AlertRule][] = DEFAULT_ALERT_GROUPS.flatMap((g) =>
  g.rules.map((r) => [`${g.name}/${r.alert}/${r.severity}`, r] as [string, AlertRule]),
);

describe("the PromQL parser in use", () => {
  it("finds errors and selectors (so the checks below can fail)", () => {
    expect(parsePromQL("sum(rate(x[5m]) by").errors.length).toBeGreaterThan(0);
    expect(parsePromQL('rate(x{job="a"}[5m]) > 1 and y').selectors).toEqual([
      { metric: "x", matchers: [{ name: "job", op: "=", value: "a" }] },
      { metric: "y", matchers: [] },
    ]);
  });
});

describe("default alert rules", () => {
  it("cover workloads, resources, storage, nodes, the control plane, the platform, the cache and backups", () => {
    expect(DEFAULT_ALERT_GROUPS.map((g) => g.name)).toEqual([
      "kubernetes-apps",
      "kubernetes-resources",
      "kubernetes-storage",
      "kubernetes-system",
      "node-exporter",
      "general",
      "officeless-platform",
      "officeless-cache",
      "officeless-backup",
    ]);
    expect(rules.length).toBeGreaterThanOrEqual(30);
  });

  it.each(rules)("%s parses as PromQL", (_name, rule) => {
    expect(parsePromQL(rule.expr).errors).toEqual([]);
  });

  it.each(rules)("%s names its severity, summary and description or runbook", (_name, rule) => {
    expect(ALERT_SEVERITIES).toContain(rule.severity);
    expect(rule.summary.length).toBeGreaterThan(10);
    expect(rule.description.length).toBeGreaterThan(10);
    expect(rule.for).toMatch(/^\d+[smh]$/);
    if (rule.runbook)
      expect(rule.runbook).toMatch(/^https:\/\/runbooks\.prometheus-operator\.dev\//);
  });

  it("renders severity as a label and summary, description and runbook as annotations", () => {
    const rendered = prometheusRuleGroup(DEFAULT_ALERT_GROUPS[0]) as {
      rules: { labels: { severity: string }; annotations: Record<string, string> }[];
    };
    for (const r of rendered.rules) {
      expect(r.labels.severity).toBeDefined();
      expect(Object.keys(r.annotations).sort()).toEqual(["description", "runbook_url", "summary"]);
    }
  });

  // The catch: mixin rules select job="kube-state-metrics" etc.; k8s-monitoring's own job names
  // are integrations/...; the collector values rename each source's job to the mixin's.
  const values = collectorValues(collectorArgs({ environment: "prod" })) as Record<
    string,
    Record<string, unknown>
  >;
  type Source = { jobLabel: string; metricsTuning: { includeMetrics: string[] } };
  const configured: Record<MixinSource, Source> = {
    kubelet: values.clusterMetrics.kubelet as Source,
    cadvisor: values.clusterMetrics.cadvisor as Source,
    kubeStateMetrics: values.clusterMetrics["kube-state-metrics"] as Source,
    apiServer: values.clusterMetrics.apiServer as Source,
    nodeExporter: values.hostMetrics.linuxHosts as Source,
  };

  it("renames every scraped source's job to the one the mixin selects", () => {
    for (const [key, source] of Object.entries(configured))
      expect(source.jobLabel).toBe(MIXIN_JOBS[key as MixinSource]);
  });

  it.each(rules)(
    "%s selects only jobs the collectors write and keeps every metric it reads",
    (_name, rule) => {
      const byJob = new Map(Object.entries(configured).map(([, s]) => [s.jobLabel, s]));
      const annotationJobs: string[] = Object.values(ANNOTATION_JOBS);
      for (const selector of parsePromQL(rule.expr).selectors) {
        const job = selector.matchers.find((m) => m.name === "job");
        if (!job) continue;
        expect(job.op).toBe("=");
        // The annotation path keeps every series (asserted below): any metric of its jobs is there.
        if (annotationJobs.includes(job.value)) continue;
        const source = byJob.get(job.value);
        expect({ job: job.value, known: source !== undefined }).toEqual({
          job: job.value,
          known: true,
        });
        expect(source!.metricsTuning.includeMetrics).toContain(selector.metric);
      }
    },
  );

  it("keeps every series on the annotation path, whose jobs the rules select", () => {
    const discovery = values.annotationAutodiscovery as { metricsTuning?: unknown };
    expect(discovery.metricsTuning).toBeUndefined();
    const selected = new Set(
      rules.flatMap(([, r]) =>
        parsePromQL(r.expr).selectors.flatMap(
          (s) => s.matchers.find((m) => m.name === "job")?.value ?? [],
        ),
      ),
    );
    for (const job of Object.values(ANNOTATION_JOBS)) expect(selected).toContain(job);
    // The cache's exporter sets the job its rules select.
    expect(cacheScrapeAnnotations()["k8s.grafana.com/job"]).toBe(ANNOTATION_JOBS.cache);
    // So does Velero's server, where a backend runs it.
    expect(VELERO_METRICS_VALUES.metrics.podAnnotations["k8s.grafana.com/job"]).toBe(
      ANNOTATION_JOBS.velero,
    );
  });

  it("lists no metric for a source that no rule reads", () => {
    const read = new Set(
      rules.flatMap(([, r]) => parsePromQL(r.expr).selectors.map((s) => s.metric)),
    );
    for (const metric of Object.values(RULE_METRICS).flat()) expect(read).toContain(metric);
  });
});
