import * as pulumi from "@pulumi/pulumi";
import { backendFor } from "../providers/registry";
import { KubernetesOutputs } from "./kubernetesCluster";
import { LayerComponent } from "./layerComponent";
import { NetworkOutputs } from "./network";
import { outputKeys } from "./outputs";
import { BackupConfig, CommonArgs, StorageConfig } from "./types";

/** The buckets the platform keeps: application data, backups, and one per observability signal. */
export const BUCKET_PURPOSES = ["data", "backups", "metrics", "logs", "traces"] as const;
export type BucketPurpose = (typeof BUCKET_PURPOSES)[number];

export interface StorageArgs extends CommonArgs {
  readonly zones: readonly string[];
  readonly storage: StorageConfig;
  readonly network: NetworkOutputs;
  readonly kubernetes: KubernetesOutputs;
  /**
   * The backup config, for clouds whose file system carries its own snapshot schedule (OCI File
   * Storage: a snapshot policy is set on the file system). @default unset: backups are the Backup
   * component's alone
   */
  readonly backup?: BackupConfig;
}

/** What the storage layer exports and downstream layers read. */
export interface StorageOutputs {
  /** Encrypted, expandable, zone-aware block StorageClass (the default class unless turned off). */
  readonly blockStorageClass: pulumi.Output<string>;
  /** Shared file system id; empty when file storage is off. */
  readonly fileSystemId: pulumi.Output<string>;
  /** File StorageClass; empty when file storage is off. */
  readonly fileStorageClass: pulumi.Output<string>;
  /** Bucket name per purpose. */
  readonly buckets: pulumi.Output<Record<BucketPurpose, string>>;
  /** Customer-managed key that encrypts volumes, file systems and buckets. */
  readonly encryptionKeyId: pulumi.Output<string>;
}

export const STORAGE_OUTPUT_KEYS = outputKeys<StorageOutputs>({
  blockStorageClass: true,
  fileSystemId: true,
  fileStorageClass: true,
  buckets: true,
  encryptionKeyId: true,
});

/**
 * Block (CSI StorageClass), file (mount target in every zone) and object storage (versioned,
 * encrypted, private, with lifecycle rules). Needs a Kubernetes provider for the cluster in `opts`.
 */
export class Storage extends LayerComponent<StorageOutputs> {
  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "officeless:storage:Storage",
      name,
      "storage",
      args,
      STORAGE_OUTPUT_KEYS,
      (scope) => backendFor(args.cloud).storage(scope, args),
      opts,
    );
  }
}
