/**
 * The platform's two StorageClasses, built the same way on every cloud: fixed cloud-agnostic
 * names (workloads reference the same class everywhere), `${scope.name}-block` / `-file` child
 * names, volumes kept in prod. Each backend supplies only its CSI provisioner and parameters.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Environment, Scope } from "./types";

/** StorageClass names: cloud-agnostic, so workloads reference the same class on every cloud. */
export const STORAGE_CLASS_NAMES = { block: "officeless-block", file: "officeless-file" } as const;
export type StorageClassRole = keyof typeof STORAGE_CLASS_NAMES;

/** Released volumes are kept in prod (a deleted claim never takes data with it) and deleted elsewhere. */
export function reclaimPolicy(environment: Environment): "Retain" | "Delete" {
  return environment === "prod" ? "Retain" : "Delete";
}

export interface StorageClassArgs {
  /** The CSI driver, e.g. `ebs.csi.aws.com`. */
  readonly provisioner: string;
  readonly parameters: Record<string, pulumi.Input<string>>;
  readonly reclaimPolicy: string;
  readonly volumeBindingMode: "WaitForFirstConsumer" | "Immediate";
  /** @default unset: the cluster's default (no expansion) */
  readonly allowVolumeExpansion?: boolean;
  /** @default unset: the driver's mount options */
  readonly mountOptions?: string[];
  /** Annotates the class as the cluster default. @default false */
  readonly defaultClass?: boolean;
  /** What must exist before the first volume is provisioned (drivers, key grants, mount targets). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The `block` or `file` StorageClass under the scope's parent; returns its name once it exists. */
export function storageClass(
  scope: Scope,
  role: StorageClassRole,
  args: StorageClassArgs,
): pulumi.Output<string> {
  const { defaultClass, dependsOn, ...spec } = args;
  const created = new k8s.storage.v1.StorageClass(
    `${scope.name}-${role}`,
    {
      metadata: {
        name: STORAGE_CLASS_NAMES[role],
        annotations: defaultClass
          ? { "storageclass.kubernetes.io/is-default-class": "true" }
          : undefined,
      },
      ...spec,
    },
    { parent: scope.parent, dependsOn },
  );
  return created.metadata.name;
}
