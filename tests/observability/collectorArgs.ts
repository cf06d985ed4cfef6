/** The collector values' arguments the observability tests share: one cluster, in-cluster endpoints. */
import { CollectorValuesArgs } from "../../components/observabilityCollectors";

export const collectorArgs = (over: Partial<CollectorValuesArgs> = {}): CollectorValuesArgs => ({
  cluster: "c",
  environment: "dev",
  tenant: "t",
  namespace: "observability",
  endpoints: {
    metricsPushUrl: "http://m/api/v1/push",
    rulesUrl: "http://m",
    logsPushUrl: "http://l/loki/api/v1/push",
    tracesUrl: "t:4317",
    tracesProtocol: "grpc",
  },
  preset: "small",
  highAvailability: false,
  ...over,
});
