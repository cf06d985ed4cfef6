/** Azure observability: Mimir, Loki and Tempo on their own blob containers through workload identity. */
import { Observability } from "../components/observability";
import { BucketPurpose } from "../components/storage";
import { ROLES } from "../providers/azure/common";
import {
  CLIENT_ID_ANNOTATION,
  USE_LABEL,
  WORKLOAD_IDENTITY_AUDIENCE,
} from "../providers/azure/observability";
import {
  AZ,
  azureConfig,
  commonArgs,
  CONTAINER_ID,
  kubernetesOutputs,
  OIDC_ISSUER,
  roleDefinition,
  STORAGE_ACCOUNT,
  storageOutputs,
  withKubernetes,
} from "./azureFixtures";
import { mockPulumi, one, RecordingMocks, releaseValues, settle, valueOf } from "./harness";

const SIGNALS: { name: string; chart: string; version: string; bucket: BucketPurpose }[] = [
  { name: "mimir", chart: "mimir-distributed", version: "6.1.0", bucket: "metrics" },
  { name: "loki", chart: "loki", version: "18.11.0", bucket: "logs" },
  { name: "tempo", chart: "tempo-distributed", version: "2.26.2", bucket: "traces" },
];

async function build(environment: "dev" | "prod") {
  const mocks = await mockPulumi({ region: "westeurope" });
  const config = azureConfig(environment);
  const obs = new Observability(
    "obs",
    {
      ...commonArgs(config),
      observability: config.observability,
      zones: config.zones,
      kubernetes: kubernetesOutputs(),
      storage: storageOutputs(),
    },
    withKubernetes(),
  );
  const releases = await valueOf(obs.outputs.releases);
  await settle();
  return { mocks, obs, releases };
}

const values = (mocks: RecordingMocks, signal: string) => releaseValues(mocks, `obs-${signal}`);

describe("Azure observability", () => {
  let prod: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    prod = await build("prod");
  });

  it("pins zone-aware replicas to the zone labels AKS nodes carry (<region>-<zone>)", () => {
    const zone = "topology.kubernetes.io/zone";
    const mimir = values(prod.mocks, "mimir") as any;
    expect(mimir.ingester.zoneAwareReplication.zones.map((z: any) => z.nodeSelector[zone])).toEqual(
      ["westeurope-1", "westeurope-2", "westeurope-3"],
    );
    const loki = values(prod.mocks, "loki") as any;
    expect(loki.ingester.zoneAwareReplication.zoneB.nodeSelector[zone]).toBe("westeurope-2");
  });

  it.each(SIGNALS)(
    "gives $name its own identity with blob access to its own container only",
    ({ name, bucket }) => {
      const { mocks } = prod;
      expect(one(mocks, AZ.identity, `obs-${name}-identity`).inputs).toMatchObject({
        resourceGroupName: "obs-rg",
        location: "westeurope",
      });
      expect(one(mocks, AZ.role, `obs-${name}-container`).inputs).toMatchObject({
        principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        principalType: "ServicePrincipal",
        scope: CONTAINER_ID(bucket),
        roleDefinitionId: roleDefinition(ROLES.storageBlobDataContributor),
      });
      const scopes = mocks.byType(AZ.role).map((r) => r.inputs.scope);
      expect(new Set(scopes).size).toBe(3);
    },
  );

  it.each(SIGNALS)(
    "trusts exactly the $name service account of the cluster's OIDC issuer",
    ({ name }) => {
      expect(one(prod.mocks, AZ.federated, `obs-${name}-federation`).inputs).toEqual({
        resourceGroupName: "obs-rg",
        resourceName: `obs-${name}`,
        federatedIdentityCredentialResourceName: `${name}-service-account`,
        issuer: OIDC_ISSUER,
        subject: `system:serviceaccount:observability:${name}`,
        audiences: [WORKLOAD_IDENTITY_AUDIENCE],
      });
    },
  );

  it.each(SIGNALS)(
    "annotates the $name service account and labels its pods for workload identity",
    ({ name }) => {
      const v = values(prod.mocks, name);
      expect(v.serviceAccount).toMatchObject({
        create: true,
        name,
        annotations: { [CLIENT_ID_ANNOTATION]: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      });
      const podLabels = name === "loki" ? v.loki.podLabels : v.global.podLabels;
      expect(podLabels).toEqual({ [USE_LABEL]: "true" });
    },
  );

  it.each(SIGNALS)("installs $name after its trust and its grant exist", ({ name }) => {
    const release = one(prod.mocks, AZ.release, `obs-${name}`);
    expect(release.options.dependsOn).toEqual(
      expect.arrayContaining([
        one(prod.mocks, AZ.federated, `obs-${name}-federation`).urn,
        one(prod.mocks, AZ.role, `obs-${name}-container`).urn,
      ]),
    );
    expect(release.inputs).toMatchObject({ namespace: "observability", name });
  });

  it("points each signal at its container in the storage layer's account, with federated tokens", () => {
    const { mocks } = prod;
    expect(values(mocks, "mimir").mimir.structuredConfig.common.storage).toEqual({
      backend: "azure",
      azure: { account_name: STORAGE_ACCOUNT, container_name: "metrics" },
    });
    expect(values(mocks, "loki").loki.storage).toMatchObject({
      type: "azure",
      bucketNames: { chunks: "logs", ruler: "logs" },
      azure: { accountName: STORAGE_ACCOUNT, useFederatedToken: true },
    });
    expect(values(mocks, "tempo").storage.trace).toEqual({
      backend: "azure",
      azure: {
        container_name: "traces",
        storage_account_name: STORAGE_ACCOUNT,
        use_federated_token: true,
      },
    });
  });

  it("reports the three releases and runs replicated in prod only", async () => {
    expect(prod.releases).toEqual([
      "observability/mimir@6.1.0",
      "observability/loki@18.11.0",
      "observability/tempo@2.26.2",
      "observability/monitoring-crds@31.0.1",
      "observability/collectors@4.4.0",
      "observability/grafana@12.11.1",
      "keda/keda@2.20.2",
    ]);
    expect(values(prod.mocks, "loki").deploymentMode).toBe("Distributed");
    const dev = await build("dev");
    expect(values(dev.mocks, "loki").deploymentMode).toBe("Monolithic");
  });
});
