/**
 * Helm values conformance for the Alibaba Cloud backend: every release it installs is pinned in
 * CHARTS and present in ../shared/helm-values, and every values key it passes exists in the pinned
 * chart. Only Mimir, Loki and Tempo are charts on ACK: the CSI plugins (`csi-plugin`,
 * `managed-csiprovisioner`) and the ALB Ingress Controller are ACK-managed add-ons, not the
 * alibaba-cloud-csi-driver chart, and ACK runs metrics-server and the node autoscaler itself.
 */
import { CHARTS } from "../../components/charts";
import { OBSERVABILITY_USE_CHARTS } from "../../components/observabilityCollection";
import { expectReleasesConform, recordChartReleases, RecordedRelease } from "../helmRules";
import {
  alibabaCommonArgs,
  alibabaConfig,
  alibabaKubernetesOutputs,
  alibabaNetworkOutputs,
  alibabaStorageOutputs,
  REGION,
  withKubernetes,
} from "./fixtures";

describe.each(["prod", "dev"] as const)(
  "values the Alibaba Cloud backend passes (%s)",
  (environment) => {
    let releases: RecordedRelease[];
    beforeAll(async () => {
      releases = await recordChartReleases(REGION, () => {
        const config = alibabaConfig(environment);
        return {
          config,
          common: alibabaCommonArgs(config),
          network: alibabaNetworkOutputs(),
          kubernetes: alibabaKubernetesOutputs(),
          storage: alibabaStorageOutputs(),
          opts: withKubernetes(),
        };
      });
    });

    it("installs exactly Mimir, Loki and Tempo and the observability collection at their pinned versions", () => {
      const pins = [
        CHARTS.mimir,
        CHARTS.loki,
        CHARTS.tempo,
        ...OBSERVABILITY_USE_CHARTS.map((key) => CHARTS[key]),
      ].map((p) => `${p.chart}@${p.version}`);
      expect(releases.map((r) => `${r.chart}@${r.version}`).sort()).toEqual(pins.sort());
    });

    it("uses only keys the pinned charts know, the static-key env sources included", () => {
      expectReleasesConform(releases);
    });
  },
);
