/**
 * GCP test fixtures: a valid platform config for GCP and upstream layer outputs in the form the GCP
 * backend produces them (both built by tests/fixtures.ts from GCP's values), and helpers shared by
 * the tests/gcp.*.test.ts files.
 */
import { MOCK_GCP_PROJECT, MOCK_GCP_PROJECT_NUMBER } from "../automation/offline/mocks";
import { KubernetesOutputs } from "../components/kubernetesCluster";
import { NetworkOutputs } from "../components/network";
import { Environment, PlatformConfig } from "../components/types";
import { bucketsBy, platformConfig, upstreamOutputs } from "./fixtures";
import { RecordedResource, RecordingMocks } from "./harness";

export { commonArgs as gcpCommonArgs, withKubernetes } from "./fixtures";

export const PROJECT = MOCK_GCP_PROJECT;
export const PROJECT_NUMBER = MOCK_GCP_PROJECT_NUMBER;
export const REGION = "europe-west1";
export const ZONES = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
const CIDR = "10.30.0.0/16";

/** One regional subnet per tier. */
const subnet = (tier: string) =>
  `projects/${PROJECT}/regions/${REGION}/subnetworks/officeless-${tier}`;
export const NETWORK_ID = `projects/${PROJECT}/global/networks/officeless-vpc`;
export const NODE_SUBNET = subnet("private");
export const DATABASE_SUBNET = subnet("database");
export const CLUSTER_NAME = "officeless-test";
export const CLUSTER_ID = `projects/${PROJECT}/locations/${REGION}/clusters/${CLUSTER_NAME}`;
export const STORAGE_KEY = `projects/${PROJECT}/locations/${REGION}/keyRings/storage/cryptoKeys/storage`;

/** Bucket names per purpose, distinct so a grant naming the wrong one is caught. */
export const BUCKETS = bucketsBy((purpose) => `officeless-test-${purpose}`);

export function gcpConfig(environment: Environment = "prod"): PlatformConfig {
  return platformConfig(environment, {
    cloud: "gcp",
    region: REGION,
    zones: ZONES,
    cidr: CIDR,
    instanceTypes: { general: ["n2-standard-4"], spot: ["n2-standard-8", "n2d-standard-8"] },
    vpnPeer: { bgpAsn: 65010 },
    // Upper case on purpose: GCP labels must come out lower-case (see `expectedLabels`).
    tags: { team: "Platform", "cost-center": "1234" },
  });
}

/** The labels every GCP resource of a layer carries for `gcpConfig()` tags. */
export function expectedLabels(environment: string, layer: string): Record<string, string> {
  return {
    team: "platform",
    "cost-center": "1234",
    environment,
    layer,
    "managed-by": "officeless",
  };
}

const upstream = upstreamOutputs({
  network: { networkId: NETWORK_ID, cidr: CIDR, subnetIds: (tier) => [subnet(tier)] },
  kubernetes: {
    clusterName: CLUSTER_NAME,
    clusterId: CLUSTER_ID,
    endpoint: "https://gke-abc.europe-west1.gke.goog",
    // GKE's node identity is a firewall target tag, the control plane's its /28 range.
    nodeSecurityGroupId: "officeless-gke-node",
    clusterSecurityGroupId: "10.30.240.0/28",
    nodeIdentity: `officeless-test-nodes@${PROJECT}.iam.gserviceaccount.com`,
    oidcIssuerUrl: `https://container.googleapis.com/v1/${CLUSTER_ID}`,
    encryptionKeyId: `projects/${PROJECT}/locations/${REGION}/keyRings/k8s/cryptoKeys/k8s`,
    version: "1.36.5-gke.1000000",
  },
  storage: {
    fileSystemId: `projects/${PROJECT}/locations/${REGION}/instances/files`,
    buckets: BUCKETS,
    encryptionKeyId: STORAGE_KEY,
  },
});

/** The network of `ZONES`. */
export function gcpNetworkOutputs(databaseTier = true): NetworkOutputs {
  return upstream.networkOutputs(ZONES, databaseTier);
}

export function gcpKubernetesOutputs(): KubernetesOutputs {
  return upstream.kubernetesOutputs();
}

export const gcpStorageOutputs = upstream.storageOutputs;

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
  "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
  "gcp:projects/service:Service",
  "gcp:projects/serviceIdentity:ServiceIdentity",
]);

/** Asserts every labelable GCP resource carries the layer's labels (and nothing upper-case). */
export function expectLabelled(
  resources: RecordedResource[],
  environment: string,
  layer: string,
  field = "labels",
): void {
  const labelled = resources.filter(
    (r) => r.custom && r.type.startsWith("gcp:") && !UNLABELLED.has(r.type),
  );
  expect(labelled.length).toBeGreaterThan(0);
  for (const r of labelled) {
    const key = r.type === "gcp:container/cluster:Cluster" ? "resourceLabels" : field;
    expect({ name: r.name, labels: r.inputs[key] }).toEqual({
      name: r.name,
      labels: expect.objectContaining(expectedLabels(environment, layer)),
    });
  }
}

/**
 * The fresh-project checks of a layer: exactly `apis` are enabled (never disabled on destroy),
 * each service agent in `agents` (its API -> the key grants naming it) is created before those
 * grants, and every resource of `waiting` types depends on every enabled API.
 */
export function expectProjectPrerequisites(
  mocks: RecordingMocks,
  apis: readonly string[],
  agents: Record<string, readonly string[]>,
  waiting: readonly string[],
): void {
  const services = mocks.byType("gcp:projects/service:Service");
  expect(services.map((s) => s.inputs.service).sort()).toEqual([...apis].sort());
  for (const s of services) expect(s.inputs.disableOnDestroy).toBe(false);
  const identities = mocks.byType("gcp:projects/serviceIdentity:ServiceIdentity");
  // Compute Engine has no ServiceIdentity: the API refuses generateServiceIdentity for it.
  expect(identities.map((i) => i.inputs.service)).not.toContain("compute.googleapis.com");
  expect(identities.map((i) => i.inputs.service).sort()).toEqual(
    Object.keys(agents)
      .filter((s) => s !== "compute.googleapis.com")
      .sort(),
  );
  const grants = mocks.byType("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
  for (const [service, names] of Object.entries(agents)) {
    const identity = identities.find((i) => i.inputs.service === service);
    const api = services.find((s) => s.inputs.service === service)!;
    if (identity) expect(identity.options.dependsOn).toContain(api.urn);
    for (const name of names) {
      const grant = grants.find((g) => g.name.endsWith(`-${name}`));
      // The grant waits for the agent: its identity, or (Compute Engine) its API being on.
      expect({ grant: name, deps: grant?.options.dependsOn }).toEqual({
        grant: name,
        deps: expect.arrayContaining([(identity ?? api).urn]),
      });
    }
  }
  for (const type of waiting) {
    const resources = mocks.byType(type);
    expect({ type, count: resources.length }).not.toEqual({ type, count: 0 });
    for (const r of resources)
      expect({ r: r.name, deps: r.options.dependsOn }).toEqual({
        r: r.name,
        deps: expect.arrayContaining(services.map((s) => s.urn)),
      });
  }
}
