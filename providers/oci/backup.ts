/**
 * OCI backup: File Storage keeps the storage layer's snapshot policy on its file system (the
 * configured daily or weekly UTC schedule, kept `retentionDays`); everything in the cluster goes
 * through Velero. OCI assigns a volume backup policy per volume and has no tag-based selection, so
 * no policy could cover the block volumes the CSI driver creates (`backup.diskSnapshots: off`,
 * checked by the catalog); instead Velero (components/velero.ts) backs up every namespace's
 * objects and, with its node agent (kopia), the files of every pod volume, block and file alike, to
 * the storage layer's `backups` bucket over Object Storage's S3 Compatibility API (path style,
 * region = the OCI region), on the configured schedule, kept `retentionDays`. Its identity is an
 * IAM user whose group may only use that bucket (objectStoreUser.ts), its customer secret key in a
 * Kubernetes Secret, never in the release's values.
 */
import * as pulumi from "@pulumi/pulumi";
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import { Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { veleroInstall } from "../../components/velero";
import { ociConfigIssues } from "./catalog";
import { iamOptions, objectStorageNamespace, ociSettings } from "./common";
import { objectStoreUser, s3CompatEndpoint, serviceUserEmail } from "./objectStoreUser";

/** Why Velero is off on OCI unless `oci.veleroPluginImage` names a fixed plugin build. */
export const VELERO_OCI_BLOCKER =
  "Velero's AWS plugin (v1.14.3) sends aws-chunked CRC32 trailers on every multipart upload, which OCI Object Storage refuses (501): every backup whose object tarball passes 5 MiB fails (velero-io/velero#10543; fix velero-io/velero-plugin-for-aws#335, unreleased)";

export function ociBackup(scope: Scope, args: BackupArgs): BackupOutputs {
  const issues = ociConfigIssues({ backup: args.backup });
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Backup arguments");
  const settings = ociSettings(args);
  if (!settings.veleroPluginImage) {
    // File Storage keeps its snapshot policy (storage layer); the claims have no backup.
    void pulumi.log.warn(
      `officeless:backup on OCI: block-volume claims are not backed up. ${VELERO_OCI_BLOCKER}. Set officeless:oci.veleroPluginImage to a plugin image built with that fix, pinned by digest, to turn Velero on.`,
      scope.parent,
    );
    return {
      vaultName: pulumi.output(""),
      planId: pulumi.output(""),
      selectionTag: pulumi.output(""),
    };
  }
  const bucket = args.storage.buckets.apply((b) => b.backups);
  const access = objectStoreUser(scope, settings, iamOptions(scope, settings, args.region), {
    role: "velero",
    email: serviceUserEmail(settings, scope.name, "velero"),
    buckets: bucket.apply((b) => [b]),
    descriptions: {
      user: `${scope.name}: Velero's S3 access to the backups bucket`,
      group: `${scope.name}: access to the backups bucket only`,
      policy: `${scope.name}: the Velero user reads and writes the backups bucket`,
    },
  });
  const namespace = objectStorageNamespace(scope, settings);
  return veleroInstall(scope, {
    target: pulumi.all([bucket, namespace]).apply(([b, ns]) => ({
      bucket: b,
      s3Url: `https://${s3CompatEndpoint(ns, args.region)}`,
      // The S3 Compatibility API signs with the OCI region's id and serves path style only.
      region: args.region,
      forcePathStyle: true,
    })),
    credentials: access.credentials,
    ready: access.ready,
    backup: args.backup,
    pluginImage: settings.veleroPluginImage,
  });
}
