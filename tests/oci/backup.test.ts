/**
 * OCI backup under mocks: no block volume backup policy (OCI cannot assign one by tag), Velero
 * (components/velero.ts) backing up every namespace and, with kopia file-system backups, every
 * pod volume to the storage layer's backups bucket over Object Storage's S3 Compatibility API
 * (path style, region = the OCI region), on the configured schedule, kept `retentionDays`, as an
 * IAM user whose group's policy names that bucket only, its customer secret key secret from the
 * IAM resource to a Kubernetes Secret, and values every key of which the pinned chart knows.
 */
import { MOCK_OCI_NAMESPACE } from "../../automation/offline/clouds/oci";
import { Backup } from "../../components/backup";
import { CHARTS } from "../../components/charts";
import { BackupConfig, OciSettings } from "../../components/types";
import {
  VELERO_AWS_PLUGIN,
  VELERO_CREDENTIALS_SECRET,
  VELERO_VOLUME_POLICY,
} from "../../components/velero";
import * as pulumi from "@pulumi/pulumi";
import { VELERO_OCI_BLOCKER } from "../../providers/oci/backup";
import { CROSS_REGION_IAM_SECONDS } from "../../providers/oci/common";
import { serviceUserEmail } from "../../providers/oci/objectStoreUser";
import { mockPulumi, one, releaseValues, settle, valueOf } from "../harness";
import { expectReleasesConform, helmReleases } from "../helmRules";
import { expectVolumePolicyInstalled, policyAction } from "../veleroPolicy";
import {
  BUCKETS,
  COMPARTMENT,
  expectSecretKeysOnly,
  OBJECT_STORE_USER_TYPES,
  OCI_SETTINGS,
  ociCommonArgs,
  ociConfig,
  ociKubernetesOutputs,
  ociStorageOutputs,
  REGION,
  TENANCY,
  withKubernetes,
} from "./fixtures";

const T = {
  ...OBJECT_STORE_USER_TYPES,
  backupPolicy: "oci:Core/volumeBackupPolicy:VolumeBackupPolicy",
  namespace: "kubernetes:core/v1:Namespace",
  secret: "kubernetes:core/v1:Secret",
  release: "kubernetes:helm.sh/v3:Release",
};

/** A plugin build with velero-io/velero-plugin-for-aws#335, which turns Velero on (OCI_BLOCKER). */
const FIXED_PLUGIN = `registry.example.com/velero-plugin-for-aws:v1.14.3-oci@sha256:${"ab".repeat(32)}`;

async function backup(
  change: Partial<BackupConfig> = {},
  oci: Partial<OciSettings> = { veleroPluginImage: FIXED_PLUGIN },
  opts = withKubernetes,
) {
  const mocks = await mockPulumi({ region: REGION });
  const config = ociConfig("prod", oci);
  const b = new Backup(
    "bk",
    {
      ...ociCommonArgs(config),
      backup: { ...config.backup, crossRegionCopy: { enabled: false }, ...change },
      storage: ociStorageOutputs(),
      kubernetes: ociKubernetesOutputs(),
    },
    opts(),
  );
  const planId = await valueOf(b.outputs.planId);
  await settle();
  return { mocks, b, planId };
}

const ENDPOINT = `https://${MOCK_OCI_NAMESPACE}.compat.objectstorage.${REGION}.oraclecloud.com`;

describe("OCI backup (Velero)", () => {
  it("stays off, with the reason, until oci.veleroPluginImage names a plugin build OCI accepts", async () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockResolvedValue();
    try {
      const { mocks, b, planId } = await backup({}, {});
      expect(mocks.byType(T.release)).toEqual([]);
      expect(mocks.byType(T.user)).toEqual([]);
      expect(planId).toBe("");
      expect(await valueOf(b.outputs.vaultName)).toBe("");
      const messages = warn.mock.calls.map((c) => String(c[0]));
      expect(messages.join("\n")).toContain(VELERO_OCI_BLOCKER);
      expect(messages.join("\n")).toContain("officeless:oci.veleroPluginImage");
      // The released plugin is never what OCI gets.
      expect(FIXED_PLUGIN).not.toBe(VELERO_AWS_PLUGIN);
    } finally {
      warn.mockRestore();
    }
  });

  it("writes every namespace and pod volume to the backups bucket over the S3 Compatibility API, path style, in the OCI region", async () => {
    const { mocks } = await backup();
    const release = one(mocks, T.release, "bk-velero");
    expect(release.inputs).toMatchObject({
      chart: "velero",
      version: CHARTS.velero.version,
      namespace: "velero",
      createNamespace: false,
    });
    const values = releaseValues(mocks, "bk-velero");
    expect(values.configuration.backupStorageLocation).toEqual([
      {
        name: "default",
        provider: "aws",
        bucket: BUCKETS.backups,
        prefix: "velero",
        default: true,
        accessMode: "ReadWrite",
        config: {
          region: REGION,
          s3ForcePathStyle: "true",
          s3Url: ENDPOINT,
          // The SDK's CRC32 checksums are refused by OCI (velero-io/velero#8013, #9089).
          checksumAlgorithm: "",
        },
      },
    ]);
    expect(values.initContainers).toEqual([
      expect.objectContaining({ name: "velero-plugin-for-aws", image: FIXED_PLUGIN }),
    ]);
    expect(VELERO_AWS_PLUGIN).toMatch(/:v1\.14\.([3-9]|\d\d)$/);
    // Block volumes have no snapshot Velero can use on OCI: kopia copies the files of every volume.
    expect(values.configuration).toMatchObject({
      uploaderType: "kopia",
      defaultVolumesToFsBackup: true,
      volumeSnapshotLocation: [],
    });
    expect(values.configuration.features).toBeUndefined();
    expect(values.snapshotsEnabled).toBe(false);
    expect(values.deployNodeAgent).toBe(true);
    expect(values.metrics.podAnnotations).toMatchObject({
      "k8s.grafana.com/scrape": "true",
      "k8s.grafana.com/metrics.portNumber": "8085",
    });
  });

  it("schedules from backup.schedule (the AWS form converted) and keeps backups retentionDays", async () => {
    const daily = releaseValues((await backup({ retentionDays: 35 })).mocks, "bk-velero");
    expect(daily.schedules).toEqual({
      daily: {
        disabled: false,
        schedule: "0 3 * * *",
        useOwnerReferencesInBackup: false,
        template: {
          ttl: "840h0m0s",
          storageLocation: "default",
          includedNamespaces: ["*"],
          resourcePolicy: { kind: "configmap", name: VELERO_VOLUME_POLICY },
          defaultVolumesToFsBackup: true,
        },
      },
    });
    const weekly = releaseValues(
      (await backup({ schedule: "0 4 * * SUN", retentionDays: 7 })).mocks,
      "bk-velero",
    );
    expect(weekly.schedules.daily).toMatchObject({
      schedule: "0 4 * * SUN",
      template: { ttl: "168h0m0s" },
    });
  });

  it("skips emptyDir and the observability claims through the volume policy, installed before Velero", async () => {
    const { mocks } = await backup();
    const doc = expectVolumePolicyInstalled(mocks, "bk-velero-volume-policy", "bk-velero");
    expect(policyAction(doc, { type: "emptyDir" })).toBe("skip");
  });

  it("lets the Velero user hold customer secret keys only, before its key and Velero", async () => {
    const { mocks } = await backup();
    const caps = expectSecretKeysOnly(mocks, "bk-velero-user-id");
    expect(one(mocks, T.release, "bk-velero").options.dependsOn).toContain(caps.urn);
  });

  it("runs as an IAM user in the tenancy whose group's policy names the backups bucket only", async () => {
    const { mocks } = await backup();
    expect(one(mocks, T.user).inputs).toMatchObject({
      compartmentId: TENANCY,
      email: "bk-velero@users.officeless.invalid",
    });
    expect(one(mocks, T.group).inputs.compartmentId).toBe(TENANCY);
    expect(one(mocks, T.membership).inputs).toMatchObject({
      groupId: "bk-velero-group-id",
      userId: "bk-velero-user-id",
    });
    const statements = one(mocks, T.policy).inputs.statements as string[];
    const only = `where ANY {target.bucket.name = '${BUCKETS.backups}'}`;
    expect(statements).toEqual([
      `Allow group id bk-velero-group-id to manage objects in compartment id ${COMPARTMENT} ${only}`,
      `Allow group id bk-velero-group-id to read buckets in compartment id ${COMPARTMENT} ${only}`,
    ]);
    for (const other of [BUCKETS.data, BUCKETS.metrics, BUCKETS.logs, BUCKETS.traces])
      expect(statements.join(" ")).not.toContain(other);
  });

  it("a configured service email goes to the Velero user as a sub-address, never shared with the observability user", async () => {
    const { mocks } = await backup(
      {},
      { serviceUserEmail: "ops@example.com", veleroPluginImage: FIXED_PLUGIN },
    );
    expect(one(mocks, T.user).inputs.email).toBe("ops+velero@example.com");
    const settings = { ...OCI_SETTINGS, serviceUserEmail: "ops@example.com" };
    expect(serviceUserEmail(settings, "x")).toBe("ops@example.com");
    expect(serviceUserEmail(OCI_SETTINGS, "x")).toBe("x-observability@users.officeless.invalid");
  });

  it("keeps the customer secret key secret, in a Secret the release references, after the grant", async () => {
    const { mocks, b, planId } = await backup();
    const key = one(mocks, T.key);
    expect(key.inputs.userId).toBe("bk-velero-user-id");
    expect(key.options.dependsOn).toContain(one(mocks, T.membership).urn);
    const secret = one(mocks, T.secret, "bk-velero-credentials");
    expect(secret.inputs.metadata).toMatchObject({
      name: VELERO_CREDENTIALS_SECRET,
      namespace: "velero",
    });
    expect(secret.inputs.stringData).toBe("[secret]");
    const values = releaseValues(mocks, "bk-velero");
    expect(values.credentials).toEqual({
      useSecret: true,
      existingSecret: VELERO_CREDENTIALS_SECRET,
    });
    expect(JSON.stringify(values)).not.toContain("mock-secret-key");
    expect(JSON.stringify(values)).not.toContain("aws_secret_access_key");
    const release = one(mocks, T.release, "bk-velero");
    expect(release.options.dependsOn).toEqual(
      expect.arrayContaining([
        secret.urn,
        key.urn,
        one(mocks, T.policy).urn,
        one(mocks, T.membership).urn,
        one(mocks, T.namespace).urn,
      ]),
    );
    expect(planId).toBe("velero/velero-daily");
    expect(await valueOf(b.outputs.vaultName)).toBe(BUCKETS.backups);
    expect(await valueOf(b.outputs.selectionTag)).toBe("");
  });

  it("outside the home region writes IAM there and installs Velero only after the grant has propagated", async () => {
    const { mocks } = await backup(
      {},
      { homeRegion: "eu-amsterdam-1", veleroPluginImage: FIXED_PLUGIN },
    );
    const provider = one(mocks, T.provider);
    expect(provider.inputs.region).toBe("eu-amsterdam-1");
    for (const type of [T.user, T.group, T.membership, T.capabilities, T.key, T.policy])
      expect(one(mocks, type).options.provider).toMatch(
        new RegExp(`^${provider.urn.replace(/[$]/g, "\\$")}::`),
      );
    const wait = one(mocks, "command:local:Command");
    expect(wait.inputs.create).toBe(`sleep ${CROSS_REGION_IAM_SECONDS}`);
    expect(one(mocks, T.release, "bk-velero").options.dependsOn).toContain(wait.urn);
  });

  it("passes only keys the pinned chart knows", async () => {
    const { mocks } = await backup();
    const releases = helmReleases(mocks);
    expect(releases.map((r) => r.chart)).toEqual(["velero"]);
    expectReleasesConform(releases);
  });

  it("creates no volume backup policy, which nothing could be assigned to", async () => {
    const { mocks } = await backup();
    expect(mocks.byType(T.backupPolicy)).toEqual([]);
  });

  it("refuses block-volume backups (backup.diskSnapshots other than off) before any resource", async () => {
    await expect(backup({ diskSnapshots: undefined }, {}, () => ({}))).rejects.toThrow(
      /backup\.diskSnapshots/,
    );
    await expect(backup({ diskSnapshots: "instanceTag" }, {}, () => ({}))).rejects.toThrow(
      /must be "off" on OCI/,
    );
  });

  it("refuses a schedule OCI cannot run before any resource", async () => {
    await expect(backup({ schedule: "*/15 * * * *" }, {}, () => ({}))).rejects.toThrow(
      /backup\.schedule/,
    );
  });
});
