/**
 * Velero's volume policy (components/velero.ts), shared by the on-prem, Volcengine and OCI
 * backends: the document Velero parses (version v1, known keys only), emptyDir and the
 * observability stack's claims skipped, Grafana's database and application claims kept.
 */
import { parse } from "yaml";
import { GRAFANA_RELEASE } from "../components/observabilityGrafana";
import { OBSERVABILITY_NAMES } from "../components/observabilityValues";
import { veleroValues, veleroVolumePolicy, VELERO_VOLUME_POLICY } from "../components/velero";
import { policyAction, VolumePolicyDocument } from "./veleroPolicy";

const doc = parse(veleroVolumePolicy()) as VolumePolicyDocument;

/** A StatefulSet claim's labels: its selector's (these charts' selector labels). */
function claimOf(chartName: string, release: string, component: string) {
  return {
    type: "csi",
    pvcLabels: {
      "app.kubernetes.io/name": chartName,
      "app.kubernetes.io/instance": release,
      "app.kubernetes.io/component": component,
    },
  };
}

describe("Velero volume policy", () => {
  it("is a v1 resource policy of skip actions on emptyDir and the three signal releases' claims", () => {
    expect(doc).toEqual({
      version: "v1",
      volumePolicies: [
        { conditions: { volumeTypes: ["emptyDir"] }, action: { type: "skip" } },
        ...["mimir", "loki", "tempo"].map((r) => ({
          conditions: {
            pvcLabels: { "app.kubernetes.io/name": r, "app.kubernetes.io/instance": r },
          },
          action: { type: "skip" },
        })),
      ],
    });
    // Velero decodes strictly: only these keys at each level.
    for (const p of doc.volumePolicies) {
      expect(Object.keys(p).sort()).toEqual(["action", "conditions"]);
      expect(Object.keys(p.action)).toEqual(["type"]);
    }
  });

  it("skips scratch and the ingesters', store gateways' and compactors' claims", () => {
    expect(policyAction(doc, { type: "emptyDir" })).toBe("skip");
    // The charts' names are the releases' (no nameOverride): mimir-distributed's is `mimir`.
    expect(OBSERVABILITY_NAMES).toMatchObject({ mimir: "mimir", loki: "loki", tempo: "tempo" });
    for (const c of [
      claimOf("mimir", "mimir", "ingester"),
      claimOf("mimir", "mimir", "store-gateway"),
      claimOf("mimir", "mimir", "compactor"),
      claimOf("loki", "loki", "write"),
      claimOf("loki", "loki", "single-binary"),
      claimOf("tempo", "tempo", "ingester"),
    ])
      expect(policyAction(doc, c)).toBe("skip");
  });

  it("keeps Grafana's database, other releases' claims and every other volume type", () => {
    const grafana = {
      type: "csi",
      pvcLabels: {
        "app.kubernetes.io/name": "grafana",
        "app.kubernetes.io/instance": GRAFANA_RELEASE,
      },
    };
    expect(policyAction(doc, grafana)).toBeUndefined();
    // Another release of one of these charts (an application's own Loki) is kept.
    expect(policyAction(doc, claimOf("loki", "app-logs", "write"))).toBeUndefined();
    expect(policyAction(doc, { type: "csi" })).toBeUndefined();
    expect(policyAction(doc, { type: "nfs" })).toBeUndefined();
    expect(
      policyAction(doc, { type: "persistentVolumeClaim", pvcLabels: { app: "db" } }),
    ).toBeUndefined();
  });

  it("every schedule's template references the policy, for file-system and CSI backups alike", () => {
    const base = {
      target: {
        bucket: "b",
        prefix: "p",
        s3Url: "https://s3",
        region: "r",
        forcePathStyle: true,
        credentialsSecret: "s",
      },
      schedule: { name: "daily", cron: "0 3 * * *" },
      retentionDays: 7,
    };
    for (const volumes of [
      { kind: "fs" as const },
      { kind: "csi" as const, snapshotMoveData: true },
    ]) {
      const values = veleroValues({ ...base, volumes }) as any;
      expect(values.schedules.daily.template.resourcePolicy).toEqual({
        kind: "configmap",
        name: VELERO_VOLUME_POLICY,
      });
    }
  });
});
