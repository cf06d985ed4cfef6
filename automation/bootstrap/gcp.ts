/**
 * The GCP state store: a GCS bucket for Pulumi's state (uniform access, public access prevention
 * enforced, versioned, CMEK, old versions deleted, soft delete) in the region, a key ring with two
 * keys (the bucket's CMEK, used only by the Cloud Storage service agent, and the key of Pulumi's
 * `gcpkms` secrets provider), and, for `--member`, the two grants a deploying identity needs.
 */
import * as kms from "@pulumi/gcp/kms";
import * as projects from "@pulumi/gcp/projects";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { BootstrapNames, BootstrapTarget, GCP_BUCKET_KEY } from "./names";
import { keptOptions, storeOptions } from "./options";

export interface GcpStateStoreArgs {
  readonly target: BootstrapTarget;
  readonly names: BootstrapNames;
  readonly retentionDays: number;
  /** An IAM member (`user:...`, `serviceAccount:...`, `group:...`) granted the state and secrets roles. */
  readonly member?: string;
  /** Set only by `--destroy`, once the bucket holds no stack. */
  readonly destroying?: boolean;
}

/** What a deploying identity needs: objects of the bucket (create, read, delete, list), and the secrets key. */
export const GCP_STATE_ROLES = {
  bucket: "roles/storage.objectUser",
  secretsKey: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
} as const;

/** 90-day rotation (as the platform's other keys); old versions stay usable for decryption. */
const ROTATION = `${90 * 24 * 3600}s`;
/** Soft-deleted objects stay recoverable this long (GCS's default is 7 days; the maximum is 90). */
export const GCP_SOFT_DELETE_SECONDS = 30 * 24 * 3600;

export class GcpStateStore extends pulumi.ComponentResource {
  readonly bucket: storage.Bucket;
  readonly ring: kms.KeyRing;
  readonly bucketKey: kms.CryptoKey;
  readonly secretsKey: kms.CryptoKey;

  constructor(name: string, args: GcpStateStoreArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("officeless:bootstrap:GcpStateStore", name, {}, opts);
    const { names, target } = args;
    const project = target.account;
    const parent = { parent: this };
    const stateful = storeOptions(this, args.destroying);
    // The secrets key, its ring and its grant stay on --destroy (see keptOptions).
    const kept = keptOptions(this, args.destroying);
    const labels = { "officeless-bootstrap": target.name, purpose: "pulumi-state" };

    // Enabled, never disabled on destroy: the project may use them for everything else too.
    const apis = ["storage.googleapis.com", "cloudkms.googleapis.com"].map(
      (service) =>
        new projects.Service(
          `${name}-api-${service.split(".")[0]}`,
          { project, service, disableOnDestroy: false, disableDependentServices: false },
          parent,
        ),
    );
    // Asking for the Cloud Storage service agent creates it in a fresh project, before its grant.
    const gcsAgent = storage.getProjectServiceAccountOutput(
      { project },
      { parent: this, dependsOn: apis },
    );

    // Key rings and keys cannot be deleted in GCP; their names are fixed so a rerun finds them.
    this.ring = new kms.KeyRing(
      `${name}-keyring`,
      { name: names.key, project, location: target.region },
      { ...kept, dependsOn: apis },
    );
    const key = (role: string, keyName: string, options: pulumi.CustomResourceOptions) =>
      new kms.CryptoKey(
        `${name}-${role}-key`,
        {
          name: keyName,
          keyRing: this.ring.id,
          purpose: "ENCRYPT_DECRYPT",
          rotationPeriod: ROTATION,
          destroyScheduledDuration: `${120 * 24 * 3600}s`,
          labels,
        },
        options,
      );
    this.bucketKey = key("bucket", GCP_BUCKET_KEY, stateful);
    this.secretsKey = key("secrets", names.secretsKey, kept);
    const agentGrant = new kms.CryptoKeyIAMMember(
      `${name}-bucket-key-gcs`,
      {
        cryptoKeyId: this.bucketKey.id,
        role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        member: gcsAgent.member,
      },
      parent,
    );

    this.bucket = new storage.Bucket(
      `${name}-bucket`,
      {
        name: names.bucket,
        project,
        location: target.region,
        storageClass: "STANDARD",
        versioning: { enabled: true },
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        encryption: { defaultKmsKeyName: this.bucketKey.id },
        softDeletePolicy: { retentionDurationSeconds: GCP_SOFT_DELETE_SECONDS },
        lifecycleRules: [
          {
            action: { type: "Delete" },
            condition: { daysSinceNoncurrentTime: args.retentionDays },
          },
          { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
        ],
        forceDestroy: args.destroying === true,
        labels,
      },
      // A CMEK bucket can be created only once the Cloud Storage agent may use the key.
      { ...stateful, dependsOn: [...apis, agentGrant] },
    );

    if (args.member) {
      new storage.BucketIAMMember(
        `${name}-bucket-deployer`,
        { bucket: this.bucket.name, role: GCP_STATE_ROLES.bucket, member: args.member },
        parent,
      );
      new kms.CryptoKeyIAMMember(
        `${name}-secrets-key-deployer`,
        { cryptoKeyId: this.secretsKey.id, role: GCP_STATE_ROLES.secretsKey, member: args.member },
        kept,
      );
    }
    this.registerOutputs({
      bucket: this.bucket,
      ring: this.ring,
      bucketKey: this.bucketKey,
      secretsKey: this.secretsKey,
    });
  }
}
