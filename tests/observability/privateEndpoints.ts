/**
 * What the per-target tests of central mode and private Grafana share: the config that turns both
 * on, and the check that the write path's Service and Grafana's are private load balancers with
 * the target's annotations, Grafana serving HTTPS on 443.
 */
import { ObservabilityConfig } from "../../components/types";
import { RecordingMocks } from "../harness";

/** Central mode with one remote tenant and private Grafana, over a base config. */
export const centralWithPrivateGrafana = (base: ObservabilityConfig): ObservabilityConfig => ({
  ...base,
  mode: "central" as const,
  central: { tenants: ["officeless-remote"], hostname: "obs.internal.example.com" },
  grafana: { exposure: "private" as const, rootUrl: "https://grafana.internal.example.com" },
});

/** Both Services are load balancers with exactly `annotations`; Grafana answers HTTPS on 443. */
export function expectPrivateLoadBalancers(
  mocks: RecordingMocks,
  annotations: Record<string, unknown>,
): void {
  const services = mocks.byType("kubernetes:core/v1:Service");
  const gateway = services.find((s) => (s.inputs.metadata as any).name === "tenant-gateway")!;
  expect(gateway.inputs.spec).toMatchObject({ type: "LoadBalancer" });
  expect((gateway.inputs.metadata as any).annotations).toEqual(annotations);
  const grafana = mocks
    .byType("kubernetes:helm.sh/v3:Release")
    .find((r) => r.name.endsWith("-grafana"))!.inputs.values as any;
  expect(grafana.service).toMatchObject({ type: "LoadBalancer", port: 443, annotations });
  expect(grafana["grafana.ini"].server.protocol).toBe("https");
}
