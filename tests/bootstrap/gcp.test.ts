/**
 * The GCP state store under mocks: APIs, the Cloud Storage agent before its key grant, the key
 * ring and its two keys, the bucket's settings and options, the deployer's grants, the URLs.
 */
import { MOCK_GCP_PROJECT_NUMBER } from "../../automation/offline/mocks";
import { bootstrapNames, nameLimitIssues, targetIssues } from "../../automation/bootstrap/names";
import { after, identities, planOf, resource } from "./helpers";

const REQ = { cloud: "gcp", region: "europe-west1", project: "acme-prod-1" } as const;

describe("bootstrap gcp", () => {
  it("fixed logical and physical names (key rings and keys cannot be deleted: a rerun must find them)", async () => {
    const plan = await planOf(REQ);
    expect(identities(plan)).toEqual(
      [
        "gcp:kms/cryptoKey:CryptoKey state-bucket-key",
        "gcp:kms/cryptoKey:CryptoKey state-secrets-key",
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember state-bucket-key-gcs",
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember state-secrets-key-deployer",
        "gcp:kms/keyRing:KeyRing state-keyring",
        "gcp:projects/service:Service state-api-cloudkms",
        "gcp:projects/service:Service state-api-storage",
        "gcp:storage/bucket:Bucket state-bucket",
        "gcp:storage/bucketIAMMember:BucketIAMMember state-bucket-deployer",
      ].sort(),
    );
    expect(resource(plan, "gcp:kms/keyRing:KeyRing", "state-keyring").inputs).toMatchObject({
      name: "officeless-state",
      location: "europe-west1",
      project: "acme-prod-1",
    });
    expect(resource(plan, "gcp:kms/cryptoKey:CryptoKey", "state-secrets-key").inputs.name).toBe(
      "secrets",
    );
    expect(resource(plan, "gcp:kms/cryptoKey:CryptoKey", "state-bucket-key").inputs.name).toBe(
      "state-bucket",
    );
  });

  it("the bucket: uniform access, public access prevention, versioning, CMEK, soft delete, old versions deleted", async () => {
    const plan = await planOf({ ...REQ, retentionDays: 45 });
    const bucket = resource(plan, "gcp:storage/bucket:Bucket", "state-bucket");
    expect(bucket.inputs).toMatchObject({
      name: "officeless-state-europe-west1-e957795e",
      location: "europe-west1",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      encryption: { defaultKmsKeyName: "state-bucket-key-id" },
      softDeletePolicy: { retentionDurationSeconds: 30 * 24 * 3600 },
      forceDestroy: false,
    });
    expect(bucket.inputs.lifecycleRules).toContainEqual({
      action: { type: "Delete" },
      condition: { daysSinceNoncurrentTime: 45 },
    });
    expect(bucket.options).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("the Cloud Storage agent (asked for first, which creates it) gets the bucket key before the bucket exists", async () => {
    const plan = await planOf(REQ);
    const grant = resource(
      plan,
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
      "state-bucket-key-gcs",
    );
    expect(grant.inputs).toMatchObject({
      cryptoKeyId: "state-bucket-key-id",
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: `serviceAccount:service-${MOCK_GCP_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com`,
    });
    const bucket = resource(plan, "gcp:storage/bucket:Bucket", "state-bucket");
    expect(after(plan, bucket)).toEqual(
      expect.arrayContaining(["state-bucket-key-gcs", "state-api-storage", "state-api-cloudkms"]),
    );
    expect(after(plan, resource(plan, "gcp:kms/keyRing:KeyRing", "state-keyring"))).toEqual(
      expect.arrayContaining(["state-api-cloudkms"]),
    );
  });

  it("keys rotate every 90 days and are protected; the APIs are never disabled on destroy", async () => {
    const plan = await planOf(REQ);
    for (const name of ["state-bucket-key", "state-secrets-key"]) {
      const key = resource(plan, "gcp:kms/cryptoKey:CryptoKey", name);
      expect(key.inputs).toMatchObject({
        purpose: "ENCRYPT_DECRYPT",
        rotationPeriod: `${90 * 86400}s`,
      });
      expect(key.options.protect).toBe(true);
    }
    for (const api of ["state-api-storage", "state-api-cloudkms"])
      expect(resource(plan, "gcp:projects/service:Service", api).inputs.disableOnDestroy).toBe(
        false,
      );
  });

  it("the deploying member gets object access on the bucket and the secrets key only, not the bucket key", async () => {
    const member = "serviceAccount:ci@acme-prod-1.iam.gserviceaccount.com";
    const plan = await planOf({ ...REQ, member });
    expect(
      resource(plan, "gcp:storage/bucketIAMMember:BucketIAMMember", "state-bucket-deployer").inputs,
    ).toEqual({
      bucket: "officeless-state-europe-west1-e957795e",
      role: "roles/storage.objectUser",
      member,
    });
    expect(
      resource(plan, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "state-secrets-key-deployer")
        .inputs,
    ).toEqual({
      cryptoKeyId: "state-secrets-key-id",
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member,
    });
    const bucketKeyMembers = plan.resources
      .filter((r) => r.type === "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")
      .filter((r) => r.inputs.cryptoKeyId === "state-bucket-key-id")
      .map((r) => r.inputs.member);
    expect(bucketKeyMembers).toEqual([expect.stringContaining("gs-project-accounts")]);
  });

  it("prints the gs backend and gcpkms secrets-provider URLs", async () => {
    const plan = await planOf(REQ);
    expect(plan.backendUrl).toBe("gs://officeless-state-europe-west1-e957795e");
    expect(plan.secretsProvider).toBe(
      "gcpkms://projects/acme-prod-1/locations/europe-west1/keyRings/officeless-state/cryptoKeys/secrets",
    );
    // Without --project the dry run names the mocked project.
    expect((await planOf({ cloud: "gcp", region: "europe-west1" })).backendUrl).toBe(
      "gs://officeless-state-europe-west1-1e1ec3ff",
    );
  });

  it("the longest name, project and region fit GCS's 63 characters; each region and project its own bucket", () => {
    const t = {
      cloud: "gcp",
      region: "northamerica-northeast2",
      name: "a".repeat(20),
      account: "p".repeat(30),
    } as const;
    const names = bootstrapNames(t);
    expect(names.bucket.length).toBeLessThanOrEqual(63);
    expect(names.key.length).toBeLessThanOrEqual(63);
    expect(nameLimitIssues("gcp", t.region, t.name)).toEqual([]);
    // A second region of the same project (or another project) does not collide.
    expect(bootstrapNames({ ...t, region: "us-central1" }).bucket).not.toBe(names.bucket);
    expect(bootstrapNames({ ...t, account: "q".repeat(30) }).bucket).not.toBe(names.bucket);
    // A region too long for the bucket is refused at the flags, naming both.
    expect(nameLimitIssues("gcp", "abcdefghijklmnop-qrstuvwxyz1", t.name)).toEqual([
      expect.stringMatching(
        /^--region abcdefghijklmnop-qrstuvwxyz1 with --name a{20}: the GCS bucket name .* would be 64 characters, over 63$/,
      ),
    ]);
    expect(
      targetIssues({ cloud: "gcp", region: "abcdefghijklmnop-qrstuvwxyz1", name: t.name }),
    ).toHaveLength(1);
  });

  it("--destroy's program unprotects and lets the bucket's leftovers go", async () => {
    const plan = await planOf({ ...REQ, destroy: true });
    const bucket = resource(plan, "gcp:storage/bucket:Bucket", "state-bucket");
    expect(bucket.options).toMatchObject({ protect: false, retainOnDelete: false });
    expect(bucket.inputs.forceDestroy).toBe(true);
    expect(resource(plan, "gcp:kms/cryptoKey:CryptoKey", "state-bucket-key").options).toMatchObject(
      { protect: false, retainOnDelete: false },
    );
    // The secrets key, its ring and the deployer's grant on it stay for stacks moved elsewhere.
    for (const [type, name] of [
      ["gcp:kms/cryptoKey:CryptoKey", "state-secrets-key"],
      ["gcp:kms/keyRing:KeyRing", "state-keyring"],
      ["gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "state-secrets-key-deployer"],
    ])
      expect(resource(plan, type, name).options).toMatchObject({
        protect: false,
        retainOnDelete: true,
      });
  });
});
