import {
  lokiValues,
  mimirValues,
  ObjectStorage,
  pinnedZones,
  SignalValuesArgs,
  tempoValues,
  ZONE_LABEL,
} from "../components/observabilityValues";
import { nodeZoneLabels } from "../providers/backend";

const storage: ObjectStorage = { kind: "gcs", bucket: "b" };
const zones = ["europe-west1-b", "europe-west1-c", "europe-west1-d", "europe-west1-e"];
const ha: SignalValuesArgs = {
  storage,
  retentionDays: 30,
  serviceAccountName: "sa",
  highAvailability: true,
  zones,
};

/** The real zone each logical zone of a Mimir component selects. */
const mimirPins = (component: Record<string, any>) =>
  component.zoneAwareReplication.zones.map((z: any) => [z.name, z.nodeSelector[ZONE_LABEL]]);

describe("zone-aware observability replicas sit in real zones", () => {
  it("pins Mimir's ingester and store-gateway zones a, b, c to the first three real zones", () => {
    const values = mimirValues(ha) as Record<string, any>;
    const expected = [
      ["zone-a", "europe-west1-b"],
      ["zone-b", "europe-west1-c"],
      ["zone-c", "europe-west1-d"],
    ];
    expect(mimirPins(values.ingester)).toEqual(expected);
    expect(mimirPins(values.store_gateway)).toEqual(expected);
    // The list replaces the chart's default items whole: their defaults are restated.
    for (const zone of values.ingester.zoneAwareReplication.zones)
      expect(zone).toMatchObject({ extraAffinity: {}, noDownscale: false, prepareDownscale: true });
  });

  it("pins Loki's ingester zones and rolls them zone by zone through Mimir's rollout operator", () => {
    const values = lokiValues(ha) as Record<string, any>;
    const zar = values.ingester.zoneAwareReplication;
    expect(zar.enabled).toBe(true);
    expect([zar.zoneA, zar.zoneB, zar.zoneC].map((z: any) => z.nodeSelector[ZONE_LABEL])).toEqual(
      zones.slice(0, 3),
    );
    expect(values.ingester.updateStrategy).toEqual({ type: "OnDelete" });
    // A group of its own: Mimir's ingesters are `rollout-group: ingester` in the same namespace.
    expect(values.ingester.rolloutGroupPrefix).toBe("loki");
    expect(values.ingester.addIngesterNamePrefix).toBe(true);
    expect((mimirValues(ha) as any).rollout_operator.enabled).toBe(true);
  });

  it("spreads Tempo's three ingesters over three real zones as a hard constraint", () => {
    const spread = (tempoValues(ha) as any).ingester.topologySpreadConstraints as string;
    expect(spread).toContain(`topologyKey: ${ZONE_LABEL}`);
    expect(spread).toContain("whenUnsatisfiable: DoNotSchedule");
    expect(spread).not.toContain("ScheduleAnyway");
  });

  it("leaves dev single-replica and unpinned", () => {
    const dev = { ...ha, highAvailability: false, zones: ["eu-west-1a"] };
    expect((mimirValues(dev) as any).ingester.zoneAwareReplication).toEqual({
      enabled: false,
      autoIngestStorageClientRack: false,
    });
    expect((lokiValues(dev) as any).ingester.zoneAwareReplication).toEqual({ enabled: false });
    expect((tempoValues(dev) as any).ingester.topologySpreadConstraints).toBeUndefined();
  });

  it("refuses HA with fewer than three zones", () => {
    expect(() => pinnedZones(["a", "b"])).toThrow(/at least 3 zones; got \["a","b"\]/);
    expect(() => mimirValues({ ...ha, zones: ["a", "b"] })).toThrow(/at least 3 zones/);
    expect(() => lokiValues({ ...ha, zones: ["a", "b"] })).toThrow(/at least 3 zones/);
    expect(() => tempoValues({ ...ha, zones: ["a", "b"] })).toThrow(/at least 3 zones/);
  });
});

describe("node zone labels per cloud", () => {
  it("pins AKS replicas to <region>-<zone>, the label AKS nodes carry, and others to the zone name", () => {
    const { AZURE_CATALOG } = jest.requireActual("../providers/azure/catalog");
    const { AWS_CATALOG } = jest.requireActual("../providers/aws/catalog");
    expect(nodeZoneLabels(AZURE_CATALOG, "westeurope", ["1", "2", "3"])).toEqual([
      "westeurope-1",
      "westeurope-2",
      "westeurope-3",
    ]);
    expect(nodeZoneLabels(AWS_CATALOG, "eu-west-1", ["eu-west-1a"])).toEqual(["eu-west-1a"]);
  });
});
