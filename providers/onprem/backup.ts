/**
 * The on-prem backup layer: Velero (chart 12.1.0, Velero 1.18.1) with the AWS plugin for any S3
 * API and CSI snapshots, on the schedule and retention of `officeless:backup`:
 * - the target is `onprem.backup.external` (an S3 store off this cluster's Ceph, required in
 *   prod), or in dev an RGW bucket of this cluster claimed in Velero's namespace, so the claim's
 *   key Secret lands beside Velero;
 * - volumes are snapshotted through CSI (the VolumeSnapshotClasses the storage layer labels
 *   `velero.io/csi-volumesnapshot-class`; the storage layer also installs the snapshot controller
 *   where the distribution lacks one, since its snapshot classes need the CRDs first), and with
 *   `snapshotMoveData` the data mover copies the snapshot data into the bucket, so a backup
 *   survives losing the cluster's storage (a Ceph snapshot alone does not);
 * - the S3 key is a Kubernetes Secret the release references, never a Helm value.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { helmRelease } from "../../components/charts";
import type { Scope } from "../../components/types";
import { onpremOf } from "./common";
import { BUCKET_CLASS, rgwEndpoint } from "./storage";
import type { OnpremConfig } from "./types";

export const VELERO_NAMESPACE = "velero";
/** The chart's server service account (`velero.serverServiceAccount` with the release name velero). */
const VELERO_SERVICE_ACCOUNT = "velero-server";
const SCHEDULE = "officeless-daily";
/** Pairs with Velero 1.18 in the plugin's compatibility table (velero-io/velero-plugin-for-aws). */
export const VELERO_AWS_PLUGIN = "docker.io/velero/velero-plugin-for-aws:v1.14.2";

/** Where Velero writes: bucket, S3 URL (with scheme), region and path style. */
export interface VeleroTarget {
  readonly bucket: pulumi.Input<string>;
  readonly s3Url: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
  /** `file`: a Secret holding an AWS credentials file under `cloud`; `env`: a Secret of AWS_* variables. */
  readonly credentials: { readonly kind: "file" | "env"; readonly secret: string };
}

/** The chart's values: plugin, one default location, CSI snapshots, the data mover, one schedule. */
export function veleroValues(args: {
  readonly target: VeleroTarget;
  readonly schedule: string;
  readonly retentionDays: number;
  readonly snapshotMoveData: boolean;
  readonly prefix: string;
}): Record<string, unknown> {
  const { target } = args;
  return {
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: VELERO_AWS_PLUGIN,
        imagePullPolicy: "IfNotPresent",
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
    credentials:
      target.credentials.kind === "file"
        ? { useSecret: true, existingSecret: target.credentials.secret }
        : { useSecret: false, extraSecretRef: target.credentials.secret },
    configuration: {
      backupStorageLocation: [
        {
          name: "default",
          provider: "aws",
          bucket: target.bucket,
          prefix: args.prefix,
          default: true,
          accessMode: "ReadWrite",
          config: {
            region: target.region,
            s3ForcePathStyle: String(target.forcePathStyle),
            s3Url: target.s3Url,
            // S3-compatible stores (Ceph RGW, appliances) reject the SDK's default CRC32 checksums.
            checksumAlgorithm: "",
          },
        },
      ],
      // CSI snapshots instead of a provider's native ones: no VolumeSnapshotLocation.
      volumeSnapshotLocation: [],
      features: "EnableCSI",
      defaultSnapshotMoveData: args.snapshotMoveData,
    },
    snapshotsEnabled: false,
    deployNodeAgent: args.snapshotMoveData,
    resources: {
      requests: { cpu: "100m", memory: "256Mi" },
      limits: { memory: "1Gi" },
    },
    schedules: {
      [SCHEDULE]: {
        disabled: false,
        schedule: args.schedule,
        useOwnerReferencesInBackup: false,
        template: {
          ttl: `${args.retentionDays * 24}h0m0s`,
          storageLocation: "default",
          includedNamespaces: ["*"],
          snapshotVolumes: true,
          snapshotMoveData: args.snapshotMoveData,
        },
      },
    },
  };
}

/** The credentials file the AWS plugin reads (AWS_SHARED_CREDENTIALS_FILE). */
function credentialsFile(
  accessKeyId: string,
  secretAccessKey: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.interpolate`[default]\naws_access_key_id=${accessKeyId}\naws_secret_access_key=${secretAccessKey}\n`,
  );
}

/** The target Velero writes to, and what it creates for it in Velero's namespace (key Secret or bucket claim). */
function target(
  scope: Scope,
  onprem: OnpremConfig,
  namespace: k8s.core.v1.Namespace,
): { target: VeleroTarget; needs: pulumi.Resource[] } {
  const opts = { parent: scope.parent, dependsOn: [namespace] };
  const external = onprem.backup.target === "external" ? onprem.backup.external : undefined;
  if (external) {
    const name = "velero-s3-credentials";
    const secret = new k8s.core.v1.Secret(
      `${scope.name}-credentials`,
      {
        metadata: { name, namespace: VELERO_NAMESPACE },
        type: "Opaque",
        stringData: { cloud: credentialsFile(external.accessKeyId, external.secretAccessKey) },
      },
      opts,
    );
    return {
      target: {
        bucket: external.bucket,
        s3Url: `https://${external.endpoint}`,
        region: external.region,
        forcePathStyle: external.forcePathStyle,
        credentials: { kind: "file", secret: name },
      },
      needs: [secret],
    };
  }
  // dev: a bucket on this cluster's RGW. The claim's Secret (AWS_ACCESS_KEY_ID,
  // AWS_SECRET_ACCESS_KEY) is created beside it, in Velero's namespace.
  const claim = "velero-backups";
  const obc = new k8s.apiextensions.CustomResource(
    `${scope.name}-bucket`,
    {
      apiVersion: "objectbucket.io/v1alpha1",
      kind: "ObjectBucketClaim",
      metadata: { name: claim, namespace: VELERO_NAMESPACE },
      spec: { bucketName: scope.name, storageClassName: BUCKET_CLASS },
    },
    { ...opts, protect: scope.protect },
  );
  return {
    target: {
      bucket: scope.name,
      s3Url: `http://${rgwEndpoint()}`,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { kind: "env", secret: claim },
    },
    needs: [obc],
  };
}

export function onpremBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  const onprem = onpremOf(args);
  const moveData = onprem.backup.snapshotMoveData;
  // The node agent (data mover) mounts the kubelet's pod volumes from the host.
  // After the storage layer's classes and claims: the namespace's name waits on their outputs, so
  // the bucket claim (dev) finds its StorageClass and Velero finds the snapshot classes.
  const afterStorage = pulumi
    .all([args.storage.blockStorageClass, args.storage.buckets])
    .apply(() => VELERO_NAMESPACE);
  const namespace = new k8s.core.v1.Namespace(
    `${scope.name}-namespace`,
    {
      metadata: {
        name: afterStorage,
        labels: { "pod-security.kubernetes.io/enforce": moveData ? "privileged" : "baseline" },
      },
    },
    { parent: scope.parent },
  );
  const { target: where, needs } = target(scope, onprem, namespace);
  const after: pulumi.Resource[] = [namespace, ...needs];
  if (onprem.distribution === "openshift" && moveData) {
    // OpenShift's restricted-v2 SCC refuses the node agent's root hostPath pods; grant the privileged SCC to Velero's account only.
    after.push(
      new k8s.rbac.v1.RoleBinding(
        `${scope.name}-scc`,
        {
          metadata: { name: "velero-privileged-scc", namespace: VELERO_NAMESPACE },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "system:openshift:scc:privileged",
          },
          subjects: [
            { kind: "ServiceAccount", name: VELERO_SERVICE_ACCOUNT, namespace: VELERO_NAMESPACE },
          ],
        },
        { parent: scope.parent, dependsOn: [namespace] },
      ),
    );
  }
  const release = helmRelease(
    scope,
    "velero",
    {
      chart: "velero",
      namespace: VELERO_NAMESPACE,
      createNamespace: false,
      values: veleroValues({
        target: where,
        schedule: args.backup.schedule,
        retentionDays: args.backup.retentionDays,
        snapshotMoveData: moveData,
        prefix: scope.name,
      }),
    },
    { dependsOn: after },
  );
  return {
    vaultName: pulumi.output(where.bucket),
    planId: pulumi.interpolate`${release.namespace}/${SCHEDULE}`,
    // Velero backs up every namespace: no tag selects what is backed up.
    selectionTag: pulumi.output(""),
  };
}
