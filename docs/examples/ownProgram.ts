/**
 * The README's "Using the components in your own program" example, typechecked with the project
 * (tests/readme.test.ts keeps the README's copy identical to this file's body).
 */
import { Cache, KubernetesCluster, Network } from "@officeless/platform";

const common = {
  cloud: "aws" as const,
  region: "eu-west-1",
  environment: "prod" as const,
  tags: { team: "payments" },
};
const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

const network = new Network("payments-network", {
  ...common,
  zones,
  network: {
    cidr: "10.40.0.0/16",
    publicSubnetPrefix: 24,
    privateSubnetPrefix: 19,
    databaseSubnetPrefix: 24,
    natGateways: "perZone",
    flowLogRetentionDays: 90,
  },
});
const cluster = new KubernetesCluster("payments", {
  ...common,
  zones,
  network: network.outputs,
  kubernetes: {
    version: "1.36",
    nodePools: [
      {
        name: "general",
        instanceTypes: ["m6i.large"],
        minSize: 1,
        maxSize: 4,
        desiredSize: 2,
        spot: false,
        diskSizeGb: 100,
        labels: {},
        taints: [],
      },
    ],
    endpoint: { publicAccessCidrs: [], privateAccessCidrs: [] },
    logRetentionDays: 90,
    adminPrincipals: [],
  },
});
new Cache("payments-cache", {
  ...common,
  zones,
  network: network.outputs,
  kubernetes: cluster.outputs,
  cache: { enabled: true, engine: "valkey", size: "small", replicas: 2, highAvailability: true },
});
export const kubeconfig = cluster.outputs.kubeconfig; // secret
