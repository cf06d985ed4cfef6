import * as pulumi from "@pulumi/pulumi";
import { backendFor } from "../providers/registry";
import { KubernetesOutputs } from "./kubernetesCluster";
import { LayerComponent } from "./layerComponent";
import { validateBackupArgs } from "./validation";
import { outputKeys } from "./outputs";
import { StorageOutputs } from "./storage";
import { BackupConfig, CommonArgs } from "./types";

export interface BackupArgs extends CommonArgs {
  readonly backup: BackupConfig;
  readonly storage: StorageOutputs;
  /** Clouds that back up the cluster itself (GKE, AKS) need it. */
  readonly kubernetes: KubernetesOutputs;
}

export interface BackupOutputs {
  readonly vaultName: pulumi.Output<string>;
  readonly planId: pulumi.Output<string>;
  /** Resources carrying this tag key with value `true` are backed up. */
  readonly selectionTag: pulumi.Output<string>;
}

export const BACKUP_OUTPUT_KEYS = outputKeys<BackupOutputs>({
  vaultName: true,
  planId: true,
  selectionTag: true,
});

/** Scheduled, encrypted backups of block volumes and file systems, selected by tag. */
export class Backup extends LayerComponent<BackupOutputs> {
  constructor(name: string, args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
    validateBackupArgs(args);
    super(
      "officeless:backup:Backup",
      name,
      "storage",
      args,
      BACKUP_OUTPUT_KEYS,
      (scope) => backendFor(args.cloud).backup(scope, args),
      opts,
    );
  }
}
