/**
 * The on-prem backup layer: Velero (chart 12.1.0, Velero 1.18.1) with the AWS plugin for any S3
 * API and CSI snapshots, on the schedule and retention of `officeless:backup`:
 * - the target is `onprem.backup.external` (an S3 store off this cluster's Ceph, required in
 *   prod), or in dev an RGW bucket of this cluster, claimed in the Rook namespace (the operator's
 *   OBC provisioner watches that namespace only: ROOK_OBC_WATCH_OPERATOR_NAMESPACE, storage.ts),
 *   whose keys are copied into a credentials Secret beside Velero once the claim is Bound;
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
import {
  VELERO_NAMESPACE,
  veleroCredentialsSecret,
  veleroCron,
  VeleroTarget,
  veleroValues,
  veleroVolumePolicyConfigMap,
  veleroScheduleObject,
} from "../../components/velero";
import type { Scope } from "../../components/types";
import { onpremOf } from "./common";
import { manifest } from "./inCluster";
import { BUCKET_CLASS, bucketClaimKeys, ROOK_NAMESPACE, rgwEndpoint } from "./storage";
import type { OnpremConfig } from "./types";

/** The chart's server service account (`velero.serverServiceAccount` with the release name velero). */
const VELERO_SERVICE_ACCOUNT = "velero-server";
const SCHEDULE = "officeless-daily";
/** The Secret Velero's AWS plugin reads its credentials file from (key `cloud`). */
const CREDENTIALS_SECRET = "velero-s3-credentials";

/** The target Velero writes to, and what it needs first (bucket claim, key Secret). */
function target(
  scope: Scope,
  onprem: OnpremConfig,
  namespace: k8s.core.v1.Namespace,
): { target: Omit<VeleroTarget, "prefix">; needs: pulumi.Resource[] } {
  const external = onprem.backup.target === "external" ? onprem.backup.external : undefined;
  const needs: pulumi.Resource[] = [];
  let keys: pulumi.Output<{ accessKeyId: string; secretAccessKey: string }>;
  let where: Omit<VeleroTarget, "credentialsSecret" | "prefix">;
  if (external) {
    keys = pulumi
      .output(external.secretAccessKey)
      .apply((secretAccessKey) => ({ accessKeyId: external.accessKeyId, secretAccessKey }));
    where = {
      bucket: external.bucket,
      s3Url: `https://${external.endpoint}`,
      region: external.region,
      forcePathStyle: external.forcePathStyle,
    };
  } else {
    // dev: a bucket on this cluster's RGW, claimed where Rook's provisioner watches (the Rook
    // namespace, storage.ts rookOperatorValues); it counts as created once Bound, when Rook has
    // written the claim's key Secret, whose keys are then copied beside Velero.
    const claim = "velero-backups";
    const obc = manifest(
      scope,
      "bucket",
      {
        apiVersion: "objectbucket.io/v1alpha1",
        kind: "ObjectBucketClaim",
        name: claim,
        namespace: ROOK_NAMESPACE,
        waitFor: "jsonpath={.status.phase}=Bound",
        spec: { bucketName: scope.name, storageClassName: BUCKET_CLASS },
      },
      // After the namespace, whose name waits on the storage layer (the bucket class exists then).
      { dependsOn: [namespace], protect: scope.protect, customTimeouts: { create: "45m" } },
    );
    needs.push(obc);
    keys = bucketClaimKeys(scope, "bucket-keys", claim, obc.metadata);
    where = {
      bucket: scope.name,
      s3Url: `http://${rgwEndpoint()}`,
      region: "us-east-1",
      forcePathStyle: true,
    };
  }
  const secret = veleroCredentialsSecret(`${scope.name}-credentials`, CREDENTIALS_SECRET, keys, {
    parent: scope.parent,
    dependsOn: [namespace],
  });
  needs.push(secret);
  return { target: { ...where, credentialsSecret: CREDENTIALS_SECRET }, needs };
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
  const policy = veleroVolumePolicyConfigMap(`${scope.name}-volume-policy`, namespace, {
    parent: scope.parent,
  });
  const after: pulumi.Resource[] = [namespace, policy, ...needs];
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
        target: { ...where, prefix: scope.name },
        schedule: { name: SCHEDULE, cron: veleroCron(args.backup) },
        retentionDays: args.backup.retentionDays,
        volumes: { kind: "csi", snapshotMoveData: moveData },
        resources: {
          requests: { cpu: "100m", memory: "256Mi" },
          limits: { memory: "1Gi" },
        },
      }),
    },
    { dependsOn: after },
  );
  return {
    vaultName: pulumi.output(where.bucket),
    planId: pulumi.interpolate`${release.namespace}/${veleroScheduleObject(SCHEDULE)}`,
    // Velero backs up every namespace: no tag selects what is backed up.
    selectionTag: pulumi.output(""),
  };
}
