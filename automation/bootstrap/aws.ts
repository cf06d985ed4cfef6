/**
 * The AWS state store: an S3 bucket for Pulumi's state (versioned, SSE-KMS with a customer key
 * that rotates, every public access block, no ACLs, TLS 1.2+ only, old versions expired) and the
 * KMS alias Pulumi's `awskms` secrets provider uses, plus a least-privilege IAM policy for the
 * identity that deploys (created unattached, or attached to `--role`).
 */
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyStatements } from "../../providers/aws/tlsOnly";
import { BootstrapNames, BootstrapTarget } from "./names";
import { keptOptions, sameAccount, storeOptions } from "./options";

export interface AwsStateStoreArgs {
  readonly target: BootstrapTarget;
  readonly names: BootstrapNames;
  /** Days a replaced or deleted state object's old version is kept. */
  readonly retentionDays: number;
  /** An existing IAM role to attach the access policy to. @default none: the policy is only created */
  readonly role?: string;
  /**
   * Set only by `--destroy`, once the bucket holds no stack: protection off and the bucket's
   * remaining objects (history, old versions) deleted with it.
   */
  readonly destroying?: boolean;
}

/** The IAM actions Pulumi's S3 backend and awskms secrets provider call, and why. */
export const AWS_STATE_ACTIONS = {
  /** Listing stacks (`.pulumi/stacks/`), locks and history. */
  bucket: ["s3:ListBucket"],
  /** Checkpoints, locks (written and deleted), history, backups. */
  objects: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
  /** SSE-KMS writes (GenerateDataKey) and reads (Decrypt); the secrets provider's Encrypt/Decrypt. */
  key: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
} as const;

export class AwsStateStore extends pulumi.ComponentResource {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  readonly alias: kms.Alias;
  readonly accessPolicy: iam.Policy;
  readonly policyDocument: pulumi.Output<string>;

  constructor(name: string, args: AwsStateStoreArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("officeless:bootstrap:AwsStateStore", name, {}, opts);
    const { names, target } = args;
    const parent = { parent: this };
    const stateful = storeOptions(this, args.destroying);
    // The key is also the awskms secrets key: it, its alias and the policy granting it stay.
    const kept = keptOptions(this, args.destroying);
    const tags = { "officeless:bootstrap": target.name, purpose: "pulumi-state" };

    // The names carry the account the CLI reported; stop before creating anything in another one.
    const bucketName = getCallerIdentityOutput({}, parent).accountId.apply((account) => {
      sameAccount("AWS account", account, target.account);
      return names.bucket;
    });

    // The default key policy (the account's IAM decides) admits no principal that may not exist yet.
    this.key = new kms.Key(
      `${name}-key`,
      {
        description: `Pulumi state and secrets of ${target.name} (officeless bootstrap)`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
        tags,
      },
      kept,
    );
    this.alias = new kms.Alias(
      `${name}-key-alias`,
      { name: names.key, targetKeyId: this.key.keyId },
      kept,
    );

    this.bucket = new s3.Bucket(
      `${name}-bucket`,
      { bucket: bucketName, forceDestroy: args.destroying === true, tags },
      stateful,
    );
    const bucket = this.bucket.id;
    const versioning = new s3.BucketVersioning(
      `${name}-bucket-versioning`,
      { bucket, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-bucket-encryption`,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: this.key.arn,
            },
            // One data key per bucket instead of a KMS call per object.
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    const publicAccess = new s3.BucketPublicAccessBlock(
      `${name}-bucket-public-access`,
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new s3.BucketOwnershipControls(
      `${name}-bucket-ownership`,
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    const everything = [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`];
    new s3.BucketPolicy(
      `${name}-bucket-policy`,
      {
        bucket,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: tlsOnlyStatements(everything),
        }),
      },
      // S3 rejects concurrent bucket-level updates; the block also guards against a public policy.
      { parent: this, dependsOn: [publicAccess] },
    );
    new s3.BucketLifecycleConfiguration(
      `${name}-bucket-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.retentionDays },
          },
          {
            // Every lock and `stack rm` leaves a delete marker; once its old versions expire it
            // is alone and would stay for good. Its own rule: S3 refuses the marker flag beside
            // Days/Date, and the provider mishandles the mix (terraform-provider-aws#45047).
            id: "remove-expired-delete-markers",
            status: "Enabled",
            filter: {},
            expiration: { expiredObjectDeleteMarker: true },
          },
          {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      // Noncurrent-version rules need versioning in place first.
      { parent: this, dependsOn: [versioning] },
    );

    this.policyDocument = pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "StateBucket",
          Effect: "Allow",
          Action: [...AWS_STATE_ACTIONS.bucket],
          Resource: this.bucket.arn,
        },
        {
          Sid: "StateObjects",
          Effect: "Allow",
          Action: [...AWS_STATE_ACTIONS.objects],
          Resource: pulumi.interpolate`${this.bucket.arn}/*`,
        },
        {
          Sid: "StateKey",
          Effect: "Allow",
          Action: [...AWS_STATE_ACTIONS.key],
          Resource: this.key.arn,
        },
      ],
    });
    this.accessPolicy = new iam.Policy(
      `${name}-access`,
      {
        name: names.policy,
        description: `Read and write the Pulumi state in ${names.bucket} and use its key`,
        policy: this.policyDocument,
        tags,
      },
      kept,
    );
    if (args.role) {
      // Fails at preview when the role does not exist, instead of at the attachment.
      const role = iam.getRoleOutput({ name: args.role }, parent);
      new iam.RolePolicyAttachment(
        `${name}-access-attachment`,
        { role: role.name, policyArn: this.accessPolicy.arn },
        kept,
      );
    }
    this.registerOutputs({
      bucket: this.bucket,
      key: this.key,
      alias: this.alias,
      accessPolicy: this.accessPolicy,
      policyDocument: this.policyDocument,
    });
  }
}
