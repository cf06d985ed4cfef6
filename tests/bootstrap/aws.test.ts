/**
 * The AWS state store under mocks: bucket, key, alias, policies and their options; the URLs;
 * the account check; `--role`; `--destroy`'s unprotected program.
 */
import { MOCK_ACCOUNT_ID } from "../../automation/offline/mocks";
import { bootstrapNames, nameLimitIssues, bootstrapUrls } from "../../automation/bootstrap/names";
import { after, identities, planOf, resource } from "./helpers";

const REQ = { cloud: "aws", region: "eu-west-1" } as const;

describe("bootstrap aws", () => {
  it("names every resource after the component, so a second run finds the first's", async () => {
    const plan = await planOf(REQ);
    expect(identities(plan)).toEqual(
      [
        "aws:iam/policy:Policy state-access",
        "aws:kms/alias:Alias state-key-alias",
        "aws:kms/key:Key state-key",
        "aws:s3/bucket:Bucket state-bucket",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration state-bucket-lifecycle",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls state-bucket-ownership",
        "aws:s3/bucketPolicy:BucketPolicy state-bucket-policy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock state-bucket-public-access",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration state-bucket-encryption",
        "aws:s3/bucketVersioning:BucketVersioning state-bucket-versioning",
      ].sort(),
    );
    const again = await planOf(REQ);
    expect(identities(again)).toEqual(identities(plan));
    expect(resource(again, "aws:s3/bucket:Bucket", "state-bucket").inputs.bucket).toBe(
      resource(plan, "aws:s3/bucket:Bucket", "state-bucket").inputs.bucket,
    );
  });

  it("the bucket: account- and region-unique name, protected and retained, never force-destroyed", async () => {
    const plan = await planOf(REQ);
    const bucket = resource(plan, "aws:s3/bucket:Bucket", "state-bucket");
    expect(bucket.inputs.bucket).toBe(`officeless-state-${MOCK_ACCOUNT_ID}-eu-west-1`);
    expect(bucket.inputs.forceDestroy).toBe(false);
    expect(bucket.options.protect).toBe(true);
    expect(bucket.options.retainOnDelete).toBe(true);
  });

  it("versioning, SSE-KMS with the customer key and a bucket key, every public access block, no ACLs", async () => {
    const plan = await planOf(REQ);
    expect(
      resource(plan, "aws:s3/bucketVersioning:BucketVersioning", "state-bucket-versioning").inputs
        .versioningConfiguration,
    ).toEqual({ status: "Enabled" });
    const enc = resource(
      plan,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "state-bucket-encryption",
    );
    expect(enc.inputs.rules).toEqual([
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: "aws:kms",
          kmsMasterKeyId: expect.stringContaining("state-key"),
        },
        bucketKeyEnabled: true,
      },
    ]);
    expect(
      resource(
        plan,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "state-bucket-public-access",
      ).inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      resource(
        plan,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "state-bucket-ownership",
      ).inputs.rule,
    ).toEqual({ objectOwnership: "BucketOwnerEnforced" });
  });

  it("the bucket policy denies plain HTTP and TLS below 1.2, after the public access block", async () => {
    const plan = await planOf(REQ);
    const policy = resource(plan, "aws:s3/bucketPolicy:BucketPolicy", "state-bucket-policy");
    const statements = JSON.parse(policy.inputs.policy as string).Statement;
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
      expect.objectContaining({
        Effect: "Deny",
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      }),
    ]);
    expect(statements[0].Resource).toHaveLength(2);
    expect(after(plan, policy)).toContain("state-bucket-public-access");
  });

  it("old versions expire after --retention-days, once versioning is on", async () => {
    const plan = await planOf({ ...REQ, retentionDays: 30 });
    const lifecycle = resource(
      plan,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "state-bucket-lifecycle",
    );
    expect(lifecycle.inputs.rules).toContainEqual(
      expect.objectContaining({
        status: "Enabled",
        noncurrentVersionExpiration: { noncurrentDays: 30 },
      }),
    );
    // The delete markers left alone once their old versions expired go too (own rule, no days).
    expect(lifecycle.inputs.rules).toContainEqual({
      id: "remove-expired-delete-markers",
      status: "Enabled",
      filter: {},
      expiration: { expiredObjectDeleteMarker: true },
    });
    expect(after(plan, lifecycle)).toContain("state-bucket-versioning");
    const defaults = await planOf(REQ);
    expect(
      resource(
        defaults,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "state-bucket-lifecycle",
      ).inputs.rules,
    ).toContainEqual(
      expect.objectContaining({ noncurrentVersionExpiration: { noncurrentDays: 90 } }),
    );
  });

  it("the key rotates yearly, waits 30 days before deletion, keeps the default key policy; the alias is the URL's", async () => {
    const plan = await planOf(REQ);
    const key = resource(plan, "aws:kms/key:Key", "state-key");
    expect(key.inputs).toMatchObject({
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      keyUsage: "ENCRYPT_DECRYPT",
    });
    // No policy: AWS's default admits the account's IAM, and names no principal that may not exist.
    expect(key.inputs.policy).toBeUndefined();
    expect(key.options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(resource(plan, "aws:kms/alias:Alias", "state-key-alias").inputs.name).toBe(
      "alias/officeless-state",
    );
  });

  it("the access policy: exactly the S3 and KMS actions of Pulumi's backend and secrets provider, on this bucket and key", async () => {
    const plan = await planOf(REQ);
    const policy = resource(plan, "aws:iam/policy:Policy", "state-access");
    // IAM names are account-wide: the region keeps a second region's policy apart.
    expect(policy.inputs.name).toBe("officeless-state-access-eu-west-1");
    const statements = JSON.parse(policy.inputs.policy as string).Statement;
    expect(statements).toEqual([
      {
        Sid: "StateBucket",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: expect.stringMatching(/state-bucket$/),
      },
      {
        Sid: "StateObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: expect.stringMatching(/state-bucket\/\*$/),
      },
      {
        Sid: "StateKey",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
        Resource: expect.stringMatching(/state-key$/),
      },
    ]);
    expect(plan.outputs.accessPolicy).toBe(policy.inputs.policy);
    // Attached to nothing unless --role names a role.
    expect(
      plan.resources.some((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
    ).toBe(false);
  });

  it("--role attaches the policy to that existing role (looked up first)", async () => {
    const plan = await planOf({ ...REQ, role: "deployer" });
    const attachment = resource(
      plan,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "state-access-attachment",
    );
    expect(attachment.inputs.role).toBe("deployer");
    expect(attachment.inputs.policyArn).toContain("state-access");
  });

  it("prints the s3 backend and awskms secrets-provider URLs", async () => {
    const plan = await planOf({ ...REQ, name: "acme" });
    const bucket = `acme-state-${MOCK_ACCOUNT_ID}-eu-west-1`;
    expect(plan.backendUrl).toBe(`s3://${bucket}?region=eu-west-1&awssdk=v2`);
    expect(plan.secretsProvider).toBe("awskms://alias/acme-state?region=eu-west-1&awssdk=v2");
    expect(plan.outputs).toMatchObject({ backendUrl: plan.backendUrl, bucket });
  });

  it("the longest name and region fit S3's 63 characters", () => {
    const target = {
      cloud: "aws",
      region: "ap-southeast-5",
      name: "a".repeat(20),
      account: "123456789012",
    } as const;
    const names = bootstrapNames(target);
    expect(names.bucket.length).toBeLessThanOrEqual(63);
    expect(names.bucket).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    expect(bootstrapUrls(target).backendUrl).toContain(names.bucket);
    expect(names.policy.length).toBeLessThanOrEqual(128);
    expect(nameLimitIssues("aws", "us-isob-east-1", target.name)).toEqual([]);
    expect(bootstrapNames({ ...target, region: "us-east-1" }).policy).not.toBe(names.policy);
  });

  it("--destroy's program turns protection off and lets the bucket's leftovers go", async () => {
    const plan = await planOf({ ...REQ, destroy: true });
    const bucket = resource(plan, "aws:s3/bucket:Bucket", "state-bucket");
    expect(bucket.options).toMatchObject({ protect: false, retainOnDelete: false });
    expect(bucket.inputs.forceDestroy).toBe(true);
    // The key is the secrets key too: kept in AWS (with its alias and grant) for stacks moved elsewhere.
    for (const [type, name] of [
      ["aws:kms/key:Key", "state-key"],
      ["aws:kms/alias:Alias", "state-key-alias"],
      ["aws:iam/policy:Policy", "state-access"],
    ])
      expect(resource(plan, type, name).options).toMatchObject({
        protect: false,
        retainOnDelete: true,
      });
  });
});
