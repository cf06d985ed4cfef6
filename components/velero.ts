/**
 * What every backend that backs up through Velero shares (on-prem, Volcengine, OCI): its
 * namespace, the AWS plugin at one pin, the chart's values (an S3 backup storage location, the
 * volume data path, one schedule from `officeless:backup`, metrics annotations), and the Secret
 * holding the AWS credentials file the plugin reads from its `cloud` key (never a Helm value), and
 * the resource policy the schedule's backups use (which volumes' data to skip).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { BackupOutputs } from "./backup";
import { stringify } from "yaml";
import { helmRelease } from "./charts";
import { convertCron } from "./cron";
import { scrapeAnnotations, TOLERATE_EVERY_TAINT } from "./observabilityCollectors";
import { ANNOTATION_JOBS } from "./observabilityRules";
import { OBSERVABILITY_NAMES } from "./observabilityValues";
import type { BackupConfig, Scope } from "./types";
import { ValidationError } from "./validation";

export const VELERO_NAMESPACE = "velero";

/**
 * Velero's S3 plugin; 1.14.x pairs with Velero 1.18 (the plugin's compatibility table). v1.14.3,
 * not 1.14.0-1.14.2: with `checksumAlgorithm: ""` those still wrapped uploads in aws-chunked
 * framing that S3-compatible stores keep as object bytes or refuse (velero-io/velero#9951, fixed
 * by velero-io/velero-plugin-for-aws#313 on release-1.14).
 */
export const VELERO_AWS_PLUGIN = "docker.io/velero/velero-plugin-for-aws:v1.14.3";

/**
 * Velero's metrics (backup and restore outcomes, 8085) to the collectors: the chart adds
 * `metrics.podAnnotations` to the server's pods when `metrics.enabled` (its default).
 */
export const VELERO_METRICS_VALUES = {
  metrics: {
    enabled: true,
    // The job the backup rules select (observabilityRules.ts officeless-backup).
    podAnnotations: scrapeAnnotations(8085, { container: "velero", job: ANNOTATION_JOBS.velero }),
  },
} as const;

/** The credentials file Velero's AWS plugin reads (AWS_SHARED_CREDENTIALS_FILE). */
export function credentialsFile(accessKeyId: string, secretAccessKey: string): string {
  return `[default]\naws_access_key_id=${accessKeyId}\naws_secret_access_key=${secretAccessKey}\n`;
}

/** The ConfigMap of the resource policy every schedule's backups reference, beside Velero. */
export const VELERO_VOLUME_POLICY = "officeless-volume-policy";
/** Its one data key: Velero refuses a resource-policy ConfigMap with more than one. */
export const VELERO_VOLUME_POLICY_KEY = "policy.yaml";

/**
 * The releases whose claims hold only data already in object storage (Mimir, Loki, Tempo: WAL,
 * caches, compactor scratch). A StatefulSet's claims carry its selector's labels (Kubernetes,
 * pkg/controller/statefulset/stateful_set_utils.go getPersistentVolumeClaims); these charts'
 * selectors all have `app.kubernetes.io/name` (the chart's name: no nameOverride here) and
 * `app.kubernetes.io/instance` (the release), both `OBSERVABILITY_NAMES`.
 */
export const VELERO_SKIPPED_CLAIM_LABELS: readonly Readonly<Record<string, string>>[] = [
  OBSERVABILITY_NAMES.mimir,
  OBSERVABILITY_NAMES.loki,
  OBSERVABILITY_NAMES.tempo,
].map((release) => ({ "app.kubernetes.io/name": release, "app.kubernetes.io/instance": release }));

/**
 * Velero's resource policy (`version: v1`, internal/resourcepolicies): skip the data of emptyDir
 * volumes (scratch) and of the observability stack's claims; every other volume, Grafana's
 * database included, is backed up as the schedule says. The first matching policy wins; a
 * `pvcLabels` condition matches when the claim has every label given.
 */
export function veleroVolumePolicy(): string {
  const skip = { type: "skip" };
  return stringify({
    version: "v1",
    volumePolicies: [
      { conditions: { volumeTypes: ["emptyDir"] }, action: skip },
      ...VELERO_SKIPPED_CLAIM_LABELS.map((labels) => ({
        conditions: { pvcLabels: { ...labels } },
        action: skip,
      })),
    ],
  });
}

/** The policy's ConfigMap in `namespace` (Velero's), before the release whose schedule uses it. */
export function veleroVolumePolicyConfigMap(
  resourceName: string,
  namespace: k8s.core.v1.Namespace,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.ConfigMap {
  return new k8s.core.v1.ConfigMap(
    resourceName,
    {
      metadata: { name: VELERO_VOLUME_POLICY, namespace: namespace.metadata.name },
      data: { [VELERO_VOLUME_POLICY_KEY]: veleroVolumePolicy() },
    },
    { ...opts, dependsOn: [namespace] },
  );
}

/** Where Velero writes: bucket and prefix, S3 URL (with scheme), region and path style. */
export interface VeleroTarget {
  readonly bucket: pulumi.Input<string>;
  readonly prefix: string;
  readonly s3Url: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
  /** The Secret holding an AWS credentials file under `cloud`. */
  readonly credentialsSecret: string;
}

/**
 * How volume data is backed up: `fs` copies every pod volume's files with the node agent (kopia),
 * for clouds with no snapshot Velero can use; `csi` snapshots through the CSI driver, with
 * `snapshotMoveData` copying the snapshot data into the bucket (the data mover, node agent too).
 */
export type VeleroVolumes =
  | { readonly kind: "fs" }
  | { readonly kind: "csi"; readonly snapshotMoveData: boolean }
  /** Kubernetes objects only: no volume data path works against the cloud's store. */
  | { readonly kind: "none" };

export interface VeleroValuesArgs {
  readonly target: VeleroTarget;
  /** The schedule's name (the `planId` output) and its five-field cron (`veleroCron`). */
  readonly schedule: { readonly name: string; readonly cron: string };
  readonly retentionDays: number;
  readonly volumes: VeleroVolumes;
  /** The server's requests and limits; the chart sets none by default. */
  readonly resources?: Record<string, unknown>;
  /** The AWS plugin's image, when not VELERO_AWS_PLUGIN (a build with a fix, by digest). */
  readonly pluginImage?: string;
}

/** Descriptors Velero's cron parser (robfig/cron) takes as they are; on-prem's catalog allows them. */
const CRON_DESCRIPTOR = /^@(daily|weekly|hourly|midnight)$/;

/**
 * The schedule of `backup.schedule` as Velero takes it: a descriptor or five-field cron unchanged,
 * the AWS form of the shared default converted (components/cron.ts); bad input names the key.
 */
export function veleroCron(backup: BackupConfig): string {
  if (CRON_DESCRIPTOR.test(backup.schedule.trim())) return backup.schedule.trim();
  const cron = convertCron(backup.schedule);
  if ("error" in cron)
    throw new ValidationError(
      [{ path: "backup.schedule", value: backup.schedule, message: cron.error }],
      "args.",
      "Invalid Backup arguments",
    );
  return cron.cron;
}

/** `<hours>h0m0s`: Velero's TTL of `retentionDays`. */
export function veleroTtl(retentionDays: number): string {
  return `${retentionDays * 24}h0m0s`;
}

/** The chart's values: plugin, one default location, the volume path, one schedule, metrics. */
export function veleroValues(args: VeleroValuesArgs): Record<string, unknown> {
  const { target, volumes } = args;
  const csi = volumes.kind === "csi";
  const fs = volumes.kind === "fs";
  const moveData = csi && volumes.snapshotMoveData;
  return {
    ...VELERO_METRICS_VALUES,
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: args.pluginImage ?? VELERO_AWS_PLUGIN,
        imagePullPolicy: "IfNotPresent",
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
    credentials: { useSecret: true, existingSecret: target.credentialsSecret },
    configuration: {
      backupStorageLocation: [
        {
          name: "default",
          provider: "aws",
          bucket: target.bucket,
          prefix: target.prefix,
          default: true,
          accessMode: "ReadWrite",
          config: {
            region: target.region,
            s3ForcePathStyle: String(target.forcePathStyle),
            s3Url: target.s3Url,
            // The SDK's default CRC32 checksums are an AWS extension S3-compatible stores refuse.
            checksumAlgorithm: "",
          },
        },
      ],
      // No provider's native snapshots: no VolumeSnapshotLocation.
      volumeSnapshotLocation: [],
      uploaderType: "kopia",
      ...(csi
        ? { features: "EnableCSI", defaultSnapshotMoveData: moveData }
        : { defaultVolumesToFsBackup: fs }),
    },
    snapshotsEnabled: false,
    // The node agent copies pod volumes (fs) or moves snapshot data (csi with the data mover).
    deployNodeAgent: csi ? moveData : fs,
    // On every pool, spot and tainted ones included: pods there have volumes too.
    nodeAgent: { tolerations: TOLERATE_EVERY_TAINT },
    ...(args.resources ? { resources: args.resources } : {}),
    schedules: {
      [args.schedule.name]: {
        disabled: false,
        schedule: args.schedule.cron,
        useOwnerReferencesInBackup: false,
        template: {
          ttl: veleroTtl(args.retentionDays),
          storageLocation: "default",
          includedNamespaces: ["*"],
          // Velero validates the policy when each backup starts: the ConfigMap exists before.
          resourcePolicy: { kind: "configmap", name: VELERO_VOLUME_POLICY },
          ...(csi
            ? { snapshotVolumes: true, snapshotMoveData: moveData }
            : { defaultVolumesToFsBackup: fs, ...(fs ? {} : { snapshotVolumes: false }) }),
        },
      },
    },
  };
}

/**
 * The Secret `secretName` beside Velero with the AWS credentials file of `keys` under `cloud`,
 * secret in state; `resourceName` is the Pulumi name (kept per backend: renaming replaces it).
 */
export function veleroCredentialsSecret(
  resourceName: string,
  secretName: string,
  keys: pulumi.Input<{ accessKeyId: string; secretAccessKey: string }>,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(
    resourceName,
    {
      metadata: { name: secretName, namespace: VELERO_NAMESPACE },
      type: "Opaque",
      stringData: pulumi.secret(
        pulumi
          .output(keys)
          .apply((k) => ({ cloud: credentialsFile(k.accessKeyId, k.secretAccessKey) })),
      ),
    },
    opts,
  );
}

export interface VeleroInstallArgs {
  /** Where Velero writes, under the prefix `velero` (the bucket known once it resolves). */
  readonly target: pulumi.Input<Omit<VeleroTarget, "credentialsSecret" | "prefix">>;
  readonly credentials: pulumi.Input<{ accessKeyId: string; secretAccessKey: string }>;
  /** What the key needs before Velero uses it (IAM grants, memberships). */
  readonly ready: pulumi.Resource[];
  /** The schedule and retention. */
  readonly backup: BackupConfig;
  /** What of the volumes is backed up. @default file-system backups of every pod volume */
  readonly volumes?: VeleroVolumes;
  /** The AWS plugin's image, when not VELERO_AWS_PLUGIN. */
  readonly pluginImage?: string;
}

/** The Secret Velero reads its key from, where the backend installs Velero with `veleroInstall`. */
export const VELERO_CREDENTIALS_SECRET = "velero-credentials";
/** `veleroInstall`'s schedule key in the chart's values. */
export const VELERO_SCHEDULE = "daily";
/**
 * The Schedule object the chart makes of a `schedules` key: `<fullname>-<key>`, the fullname being
 * the release name `velero` every backend installs it as. The `planId` output names it.
 */
export const veleroScheduleObject = (key: string) => `velero-${key}`;
export const VELERO_SCHEDULE_OBJECT = veleroScheduleObject(VELERO_SCHEDULE);

/**
 * Velero in its own namespace for a cloud's bucket with no snapshot Velero can use: the
 * namespace, the key's Secret, the volume policy and the release (file-system backups of every
 * pod volume the policy keeps, on the backup config's schedule and retention), after the key is
 * usable. The outputs: the bucket, `velero/velero-daily` (the Schedule), no selection tag (Velero
 * takes every namespace).
 */
export function veleroInstall(scope: Scope, args: VeleroInstallArgs): BackupOutputs {
  const cron = veleroCron(args.backup);
  const namespace = new k8s.core.v1.Namespace(
    `${scope.name}-velero-namespace`,
    { metadata: { name: VELERO_NAMESPACE } },
    { parent: scope.parent },
  );
  const secret = veleroCredentialsSecret(
    `${scope.name}-velero-credentials`,
    VELERO_CREDENTIALS_SECRET,
    args.credentials,
    { parent: scope.parent, dependsOn: [namespace] },
  );
  const policy = veleroVolumePolicyConfigMap(`${scope.name}-velero-volume-policy`, namespace, {
    parent: scope.parent,
  });
  const target = pulumi.output(args.target);
  const release = helmRelease(
    scope,
    "velero",
    {
      chart: "velero",
      namespace: VELERO_NAMESPACE,
      releaseName: "velero",
      createNamespace: false,
      values: target.apply((t) =>
        veleroValues({
          target: { ...t, prefix: "velero", credentialsSecret: VELERO_CREDENTIALS_SECRET },
          schedule: { name: VELERO_SCHEDULE, cron },
          retentionDays: args.backup.retentionDays,
          volumes: args.volumes ?? { kind: "fs" },
          ...(args.pluginImage ? { pluginImage: args.pluginImage } : {}),
        }),
      ),
    },
    { dependsOn: [namespace, secret, policy, ...args.ready] },
  );
  return {
    vaultName: pulumi.all([target, release.id]).apply(([t]) => t.bucket as string),
    planId: release.id.apply(() => `${VELERO_NAMESPACE}/${VELERO_SCHEDULE_OBJECT}`),
    selectionTag: pulumi.output(""),
  };
}
