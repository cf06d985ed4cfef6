/** Valid configurations for component tests, independent of the config parser. */
import { PlatformConfig } from "../components/types";

export function awsConfig(environment: "dev" | "staging" | "prod" = "prod"): PlatformConfig {
  return {
    name: `officeless-${environment}`,
    cloud: "aws",
    environment,
    region: "eu-west-1",
    zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    network: {
      cidr: "10.20.0.0/16",
      publicSubnetPrefix: 24,
      privateSubnetPrefix: 19,
      databaseSubnetPrefix: 24,
      natGateways: environment === "prod" ? "perZone" : "single",
      flowLogRetentionDays: 90,
    },
    kubernetes: {
      version: "1.33",
      nodePools: [
        {
          name: "general",
          instanceTypes: ["m6i.large"],
          minSize: 1,
          maxSize: 5,
          desiredSize: 2,
          spot: false,
          diskSizeGb: 100,
          labels: { workload: "general" },
          taints: [],
        },
        {
          name: "spot",
          instanceTypes: ["m6i.xlarge", "m5.xlarge"],
          minSize: 0,
          maxSize: 10,
          desiredSize: 0,
          spot: true,
          diskSizeGb: 100,
          labels: { capacity: "spot" },
          taints: [{ key: "spot", value: "true", effect: "NoSchedule" }],
        },
      ],
      endpoint: { publicAccessCidrs: [], privateAccessCidrs: ["192.168.0.0/16"] },
      logRetentionDays: 90,
      adminPrincipals: ["arn:aws:iam::123456789012:role/platform-admin"],
    },
    storage: {
      block: { defaultClass: true },
      file: { enabled: true },
      object: {
        lifecycle: {
          transitionToInfrequentAccessDays: 30,
          noncurrentVersionExpirationDays: 90,
          abortIncompleteMultipartUploadDays: 7,
        },
      },
    },
    vpn: {
      enabled: true,
      peers: [{ name: "office", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"] }],
    },
    cache: { enabled: true, engine: "valkey", size: "medium", replicas: 2, highAvailability: environment === "prod" },
    observability: { enabled: true, retentionDays: 30 },
    backup: { enabled: true, retentionDays: 35, schedule: "cron(0 3 * * ? *)" },
    tags: { team: "platform", "cost-center": "1234" },
    stackReference: {},
  };
}

/** The common args every component takes, from a config. */
export function commonArgs(config: PlatformConfig) {
  return { cloud: config.cloud, region: config.region, environment: config.environment, tags: config.tags };
}
