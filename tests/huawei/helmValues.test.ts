/**
 * Helm values conformance for the Huawei Cloud backend: the releases of the prod and dev plans
 * (metrics-server, Mimir, Loki, Tempo) are pinned, from their pinned repositories, and pass only
 * keys the pinned charts know (tests/helmRules.ts exceptions), OBS's S3 settings and the
 * static-credential env included.
 */
import type { PlannedResource } from "../../automation/offline/plan";
import { CHARTS } from "../../components/charts";
import { expectReleasesConform, RecordedRelease } from "../helmRules";
import { planOnce } from "../plan/worstCase";

const asRelease = (r: PlannedResource): RecordedRelease => ({
  name: r.name,
  chart: String(r.inputs.chart),
  version: String(r.inputs.version),
  repo: String((r.inputs.repositoryOpts as { repo: string }).repo),
  values: r.inputs.values,
});

describe.each(["prod-huawei", "dev-huawei"])("values the Huawei backend passes (%s)", (stack) => {
  let releases: RecordedRelease[];
  beforeAll(async () => {
    releases = (await planOnce([stack]))
      .flatMap((s) => s.resources)
      .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
      .map(asRelease);
  }, 300_000);

  it("installs metrics-server, Mimir, Loki and Tempo at their pinned versions", () => {
    const pins = [CHARTS.metricsServer, CHARTS.mimir, CHARTS.loki, CHARTS.tempo];
    expect(releases.map((r) => `${r.chart}@${r.version}`).sort()).toEqual(
      pins.map((p) => `${p.chart}@${p.version}`).sort(),
    );
  });

  it("uses only keys the pinned charts know", () => {
    expectReleasesConform(releases);
  });

  it("would catch a misspelled key", () => {
    const mimir = releases.find((r) => r.chart === CHARTS.mimir.chart)!;
    const broken = { ...mimir, values: { ...(mimir.values as object), mimirr: { x: 1 } } };
    expect(() => expectReleasesConform([broken])).toThrow(/mimirr/);
  });
});
