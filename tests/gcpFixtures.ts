/**
 * GCP test fixtures: a valid platform config for GCP, upstream layer outputs in the form the GCP
 * backend produces them (plain `pulumi.output` values, as a downstream stack reads them), and
 * helpers shared by the tests/gcp.*.test.ts files.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MOCK_GCP_PROJECT, MOCK_GCP_PROJECT_NUMBER } from "../automation/offline/mocks";
import { KubernetesOutputs } from "../components/kubernetesCluster";
import { NetworkOutputs } from "../components/network";
import { BucketPurpose, StorageOutputs } from "../components/storage";
import { PlatformConfig } from "../components/types";
import { RecordedResource } from "./harness";

export const PROJECT = MOCK_GCP_PROJECT;
export const PROJECT_NUMBER = MOCK_GCP_PROJECT_NUMBER;
export const REGION = "europe-west1";
export const ZONES = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];

export const NETWORK_ID = `projects/${PROJECT}/global/networks/officeless-vpc`;
export const NODE_SUBNET = `projects/${PROJECT}/regions/${REGION}/subnetworks/officeless-private`;
export const DATABASE_SUBNET = `projects/${PROJECT}/regions/${REGION}/subnetworks/officeless-database`;
export const CLUSTER_NAME = "officeless-test";
export const CLUSTER_ID = `projects/${PROJECT}/locations/${REGION}/clusters/${CLUSTER_NAME}`;
export const STORAGE_KEY = `projects/${PROJECT}/locations/${REGION}/keyRings/storage/cryptoKeys/storage`;

/** Bucket names per purpose, distinct so a grant naming the wrong one is caught. */
export const BUCKETS: Record<BucketPurpose, string> = {
  data: "officeless-test-data",
  backups: "officeless-test-backups",
  metrics: "officeless-test-metrics",
  logs: "officeless-test-logs",
  traces: "officeless-test-traces",
};

export function gcpConfig(environment: "dev" | "staging" | "prod" = "prod"): PlatformConfig {
  const prod = environment === "prod";
  return {
    name: `officeless-${environment}`,
    cloud: "gcp",
    environment,
    region: REGION,
    zones: ZONES,
    network: {
      cidr: "10.30.0.0/16",
      publicSubnetPrefix: 24,
      privateSubnetPrefix: 19,
      databaseSubnetPrefix: 24,
      natGateways: prod ? "perZone" : "single",
      flowLogRetentionDays: 90,
    },
    kubernetes: {
      version: "1.33",
      nodePools: [
        {
          name: "general",
          instanceTypes: ["n2-standard-4"],
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
          instanceTypes: ["n2-standard-8", "n2d-standard-8"],
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
      adminPrincipals: [],
    },
    storage: {
      block: { defaultClass: true },
      file: { enabled: true },
      object: {
        lifecycle: { transitionToInfrequentAccessDays: 30, noncurrentVersionExpirationDays: 90, abortIncompleteMultipartUploadDays: 7 },
      },
    },
    vpn: { enabled: true, peers: [{ name: "office", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"], bgpAsn: 65010 }] },
    cache: { enabled: true, engine: "valkey", size: "medium", replicas: 2, highAvailability: prod },
    observability: { enabled: true, retentionDays: 30 },
    backup: { enabled: true, retentionDays: 35, schedule: "cron(0 3 * * ? *)" },
    tags: { team: "Platform", "cost-center": "1234" },
    stackReference: {},
  };
}

/** The common args every component takes, from a config. */
export function gcpCommonArgs(config: PlatformConfig) {
  return { cloud: config.cloud, region: config.region, environment: config.environment, tags: config.tags };
}

/** The labels every GCP resource of a layer carries for `gcpConfig()` tags. */
export function expectedLabels(environment: string, layer: string): Record<string, string> {
  return { team: "platform", "cost-center": "1234", environment, layer, "managed-by": "officeless" };
}

export function gcpNetworkOutputs(databaseTier = true): NetworkOutputs {
  return {
    networkId: pulumi.output(NETWORK_ID),
    cidr: pulumi.output("10.30.0.0/16"),
    zones: pulumi.output([...ZONES]),
    publicSubnetIds: pulumi.output([`projects/${PROJECT}/regions/${REGION}/subnetworks/officeless-public`]),
    privateSubnetIds: pulumi.output([NODE_SUBNET]),
    databaseSubnetIds: pulumi.output(databaseTier ? [DATABASE_SUBNET] : []),
    privateRouteTableIds: pulumi.output([]),
    natPublicIps: pulumi.output(["203.0.113.10"]),
  };
}

export function gcpKubernetesOutputs(): KubernetesOutputs {
  return {
    clusterName: pulumi.output(CLUSTER_NAME),
    clusterId: pulumi.output(CLUSTER_ID),
    endpoint: pulumi.output("https://gke-abc.europe-west1.gke.goog"),
    certificateAuthority: pulumi.output("Y2E="),
    kubeconfig: pulumi.secret("{}"),
    version: pulumi.output("1.33.5-gke.1000000"),
    nodeSecurityGroupId: pulumi.output("officeless-gke-node"),
    clusterSecurityGroupId: pulumi.output("10.30.240.0/28"),
    nodeIdentity: pulumi.output(`officeless-test-nodes@${PROJECT}.iam.gserviceaccount.com`),
    oidcIssuerUrl: pulumi.output(`https://container.googleapis.com/v1/${CLUSTER_ID}`),
    encryptionKeyId: pulumi.output(`projects/${PROJECT}/locations/${REGION}/keyRings/k8s/cryptoKeys/k8s`),
    nodePoolNames: pulumi.output(["general", "spot"]),
  };
}

export function gcpStorageOutputs(): StorageOutputs {
  return {
    blockStorageClass: pulumi.output("officeless-block"),
    fileSystemId: pulumi.output(`projects/${PROJECT}/locations/${REGION}/instances/files`),
    fileStorageClass: pulumi.output("officeless-file"),
    buckets: pulumi.output({ ...BUCKETS }),
    encryptionKeyId: pulumi.output(STORAGE_KEY),
  };
}

/** Component options with a Kubernetes provider, as the program passes them. */
export function withKubernetes(): pulumi.ComponentResourceOptions {
  return { providers: { kubernetes: new k8s.Provider("k8s", { kubeconfig: "{}" }) } };
}

/** `serviceAccount:service-<number>@<domain>` of the mocked project. */
export function agent(domain: string): string {
  return `serviceAccount:service-${PROJECT_NUMBER}@${domain}`;
}

/** The id the mocks give a resource. */
export const idOf = (r: RecordedResource) => `${r.name}-id`;

/** GCP types that take no labels argument. */
export const UNLABELLED = new Set([
  "gcp:compute/network:Network",
  "gcp:compute/subnetwork:Subnetwork",
  "gcp:compute/router:Router",
  "gcp:compute/routerNat:RouterNat",
  "gcp:compute/firewall:Firewall",
  "gcp:compute/routerInterface:RouterInterface",
  "gcp:compute/routerPeer:RouterPeer",
  "gcp:servicenetworking/connection:Connection",
  "gcp:kms/keyRing:KeyRing",
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
  "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  "gcp:logging/projectSink:ProjectSink",
  "gcp:serviceaccount/account:Account",
  "gcp:serviceaccount/iAMMember:IAMMember",
  "gcp:projects/iAMMember:IAMMember",
  "gcp:storage/bucketIAMMember:BucketIAMMember",
  "gcp:container/nodePool:NodePool",
]);

/** Asserts every labelable GCP resource carries the layer's labels (and nothing upper-case). */
export function expectLabelled(resources: RecordedResource[], environment: string, layer: string, field = "labels"): void {
  const labelled = resources.filter((r) => r.custom && r.type.startsWith("gcp:") && !UNLABELLED.has(r.type));
  expect(labelled.length).toBeGreaterThan(0);
  for (const r of labelled) {
    const key = r.type === "gcp:container/cluster:Cluster" ? "resourceLabels" : field;
    expect({ name: r.name, labels: r.inputs[key] }).toEqual({
      name: r.name,
      labels: expect.objectContaining(expectedLabels(environment, layer)),
    });
  }
}
