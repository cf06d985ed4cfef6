/**
 * The on-prem backup layer: Velero 12.1.0 with the AWS plugin and CSI snapshots, the schedule and
 * retention from config, the key in a Secret (never a Helm value), an external target in prod, an
 * RGW bucket claimed in the Rook namespace in dev, and values every key of which the pinned chart knows.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Backup } from "../../components/backup";
import { CHARTS } from "../../components/charts";
import { KubernetesOutputs } from "../../components/kubernetesCluster";
import { StorageOutputs } from "../../components/storage";
import { PlatformConfig } from "../../components/types";
import { VELERO_AWS_PLUGIN, VELERO_VOLUME_POLICY } from "../../components/velero";
import { rookOperatorValues } from "../../providers/onprem/storage";
import { withKubernetes } from "../fixtures";
import { mockPulumi, one, releaseValues, settle, valueOf } from "../harness";
import { expectReleasesConform, helmReleases } from "../helmRules";
import { expectVolumePolicyInstalled } from "../veleroPolicy";
import { asOpenShift, devK3sRaw, edit, onpremArgs, parsed, prodOnpremRaw, Raw } from "./fixtures";

function storageOutputs(): StorageOutputs {
  return {
    blockStorageClass: pulumi.output("officeless-block"),
    fileSystemId: pulumi.output(""),
    fileStorageClass: pulumi.output("officeless-file"),
    buckets: pulumi.output({ data: "d", backups: "b", metrics: "m", logs: "l", traces: "t" }),
    encryptionKeyId: pulumi.output(""),
  };
}

function kubernetesOutputs(): KubernetesOutputs {
  const o = (v: string) => pulumi.output(v);
  return {
    clusterName: o("c"),
    clusterId: o("onprem:rke2:c"),
    endpoint: o("https://10.30.0.5:6443"),
    certificateAuthority: o(""),
    kubeconfig: pulumi.secret("{}"),
    version: o("1.36"),
    nodeSecurityGroupId: o(""),
    clusterSecurityGroupId: o(""),
    nodeIdentity: o(""),
    oidcIssuerUrl: o(""),
    encryptionKeyId: o(""),
    nodePoolNames: pulumi.output(["general"]),
  };
}

async function build(raw: Raw) {
  const mocks = await mockPulumi();
  const config: PlatformConfig = parsed(raw);
  const n = `${config.name}-backup`;
  const backup = new Backup(
    n,
    {
      ...onpremArgs(config),
      backup: config.backup,
      storage: storageOutputs(),
      kubernetes: kubernetesOutputs(),
    },
    withKubernetes(),
  );
  await valueOf(backup.outputs.planId);
  await settle();
  return { mocks, backup, n, config };
}

describe("onprem backup (Velero)", () => {
  it("installs the pinned chart with the AWS plugin, CSI snapshots, the data mover and the configured schedule and retention", async () => {
    const { mocks, n } = await build(
      edit((r) => (r.backup = { schedule: "30 2 * * *", retentionDays: 14 })),
    );
    const release = one(mocks, "kubernetes:helm.sh/v3:Release", `${n}-velero`);
    expect(release.inputs).toMatchObject({
      chart: "velero",
      version: CHARTS.velero.version,
      namespace: "velero",
      createNamespace: false,
      atomic: true,
    });
    const values = releaseValues(mocks, `${n}-velero`);
    expect(values.initContainers).toEqual([
      {
        name: "velero-plugin-for-aws",
        image: VELERO_AWS_PLUGIN,
        imagePullPolicy: "IfNotPresent",
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ]);
    expect(values.configuration.features).toBe("EnableCSI");
    expect(values.configuration.defaultSnapshotMoveData).toBe(true);
    expect(values.deployNodeAgent).toBe(true);
    expect(values.snapshotsEnabled).toBe(false);
    expect(values.schedules["officeless-daily"]).toEqual({
      disabled: false,
      schedule: "30 2 * * *",
      useOwnerReferencesInBackup: false,
      template: {
        ttl: "336h0m0s",
        storageLocation: "default",
        includedNamespaces: ["*"],
        resourcePolicy: { kind: "configmap", name: VELERO_VOLUME_POLICY },
        snapshotVolumes: true,
        snapshotMoveData: true,
      },
    });
  });

  it("skips the data of emptyDir and the observability claims through the volume policy, installed before Velero", async () => {
    const { mocks, n } = await build(prodOnpremRaw());
    const doc = expectVolumePolicyInstalled(mocks, `${n}-volume-policy`, `${n}-velero`);
    expect(doc.volumePolicies.map((p) => p.action.type)).toEqual(["skip", "skip", "skip", "skip"]);
  });

  it("prod writes to the external S3 target, path style, with the key in a Secret and not in the values", async () => {
    const { mocks, n, backup } = await build(prodOnpremRaw());
    const values = releaseValues(mocks, `${n}-velero`);
    expect(values.configuration.backupStorageLocation).toEqual([
      {
        name: "default",
        provider: "aws",
        bucket: "officeless-prod-backup",
        prefix: n,
        default: true,
        accessMode: "ReadWrite",
        config: {
          region: "us-east-1",
          s3ForcePathStyle: "true",
          s3Url: "https://s3.dc2.example.com",
          checksumAlgorithm: "",
        },
      },
    ]);
    expect(values.credentials).toEqual({
      useSecret: true,
      existingSecret: "velero-s3-credentials",
    });
    expect(JSON.stringify(values)).not.toContain("example-secret-key");
    const secret = one(mocks, "kubernetes:core/v1:Secret", `${n}-credentials`);
    expect(secret.inputs.metadata).toMatchObject({
      name: "velero-s3-credentials",
      namespace: "velero",
    });
    expect(secret.inputs.stringData).toBe("[secret]");
    const release = one(mocks, "kubernetes:helm.sh/v3:Release", `${n}-velero`);
    expect(release.options.dependsOn).toEqual(expect.arrayContaining([secret.urn]));
    expect(await valueOf(backup.outputs.vaultName)).toBe("officeless-prod-backup");
    expect(await valueOf(backup.outputs.planId)).toBe("velero/velero-officeless-daily");
    // No bucket claim on this cluster's Ceph when the target is external.
    expect(mocks.byType("kubernetes:objectbucket.io/v1alpha1:ObjectBucketClaim")).toEqual([]);
  });

  it("dev without an external target claims an RGW bucket where Rook watches, Bound before Velero, and copies its keys beside Velero", async () => {
    const get = jest.spyOn(k8s.core.v1.Secret, "get");
    const { mocks, n } = await build(devK3sRaw());
    const claim = one(
      mocks,
      "kubernetes:objectbucket.io/v1alpha1:ObjectBucketClaim",
      `${n}-bucket`,
    );
    // The operator's provisioner watches the Rook namespace only (enableOBCWatchOperatorNamespace):
    // a claim in Velero's namespace would never be Bound.
    expect(rookOperatorValues()).toMatchObject({ enableOBCWatchOperatorNamespace: true });
    expect(claim.inputs).toMatchObject({
      metadata: {
        name: "velero-backups",
        namespace: "rook-ceph",
        annotations: { "pulumi.com/waitFor": "jsonpath={.status.phase}=Bound" },
      },
      spec: { bucketName: n, storageClassName: "officeless-bucket" },
    });
    const ns = one(mocks, "kubernetes:core/v1:Namespace", `${n}-namespace`);
    expect(claim.options.dependsOn).toContain(ns.urn);
    // Rook's Secret is read from the claim's namespace once the claim is Bound.
    const read = get.mock.calls.find(([name]) => name === `${n}-bucket-keys`);
    expect(read).toBeDefined();
    expect(await valueOf(pulumi.output(read![1]))).toBe("rook-ceph/velero-backups");
    get.mockRestore();
    const secret = one(mocks, "kubernetes:core/v1:Secret", `${n}-credentials`);
    expect(secret.inputs.metadata).toMatchObject({
      name: "velero-s3-credentials",
      namespace: "velero",
    });
    expect(secret.inputs.stringData).toBe("[secret]");
    const values = releaseValues(mocks, `${n}-velero`);
    expect(values.credentials).toEqual({
      useSecret: true,
      existingSecret: "velero-s3-credentials",
    });
    const release = one(mocks, "kubernetes:helm.sh/v3:Release", `${n}-velero`);
    expect(release.options.dependsOn).toEqual(expect.arrayContaining([claim.urn, secret.urn]));
    expect(values.configuration.backupStorageLocation[0].config.s3Url).toBe(
      "http://rook-ceph-rgw-officeless.rook-ceph.svc:80",
    );
    expect(values.configuration.backupStorageLocation[0].bucket).toBe(n);
  });

  it("without the data mover: no node agent, a baseline namespace", async () => {
    const { mocks, n } = await build(edit((r) => (r.onprem.backup.snapshotMoveData = false)));
    const values = releaseValues(mocks, `${n}-velero`);
    expect(values.deployNodeAgent).toBe(false);
    expect(values.configuration.defaultSnapshotMoveData).toBe(false);
    const ns = one(mocks, "kubernetes:core/v1:Namespace", `${n}-namespace`);
    expect((ns.inputs.metadata as { labels: unknown }).labels).toEqual({
      "pod-security.kubernetes.io/enforce": "baseline",
    });
  });

  it("grants OpenShift's privileged SCC to Velero's account only, for the node agent", async () => {
    const { mocks, n } = await build(
      edit((r) => {
        asOpenShift(r);
      }),
    );
    const binding = one(mocks, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", `${n}-scc`);
    expect(binding.inputs).toMatchObject({
      metadata: { namespace: "velero" },
      roleRef: { kind: "ClusterRole", name: "system:openshift:scc:privileged" },
      subjects: [{ kind: "ServiceAccount", name: "velero-server", namespace: "velero" }],
    });
  });

  it.each([
    ["prod, external target", prodOnpremRaw],
    ["dev, RGW target", devK3sRaw],
  ])("passes only keys the pinned chart knows (%s)", async (_label, raw) => {
    const { mocks } = await build(raw());
    const releases = helmReleases(mocks);
    expect(releases.map((r) => r.chart)).toEqual(["velero"]);
    expectReleasesConform(releases);
  });
});

describe("onprem backup values check", () => {
  it("would catch a misspelled Velero key", async () => {
    const { mocks } = await build(prodOnpremRaw());
    const [release] = helmReleases(mocks);
    const broken = {
      ...release,
      values: { ...(release.values as object), snapshotEnabled: false },
    };
    expect(() => expectReleasesConform([broken])).toThrow(
      /snapshotEnabled does not exist in the chart's default values/,
    );
  });
});
