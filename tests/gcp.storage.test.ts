import { BUCKET_PURPOSES, Storage } from "../components/storage";
import { PlatformConfig, StorageConfig } from "../components/types";
import * as pulumi from "@pulumi/pulumi";
import {
  filestoreTier,
  lifecycleRules,
  REGIONAL_FILESTORE_QUOTA_HINT,
  resourceName,
} from "../providers/gcp/storage";
import {
  agent,
  expectLabelled,
  expectProjectPrerequisites,
  gcpCommonArgs,
  gcpConfig,
  gcpKubernetesOutputs,
  gcpNetworkOutputs,
  NETWORK_ID,
  PROJECT_NUMBER,
  REGION,
  withKubernetes,
} from "./gcpFixtures";
import { mockPulumi, one, RecordingMocks, settle, valueOf } from "./harness";

const T = {
  key: "gcp:kms/cryptoKey:CryptoKey",
  keyRing: "gcp:kms/keyRing:KeyRing",
  keyIam: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  filestore: "gcp:filestore/instance:Instance",
  bucket: "gcp:storage/bucket:Bucket",
  release: "kubernetes:helm.sh/v3:Release",
};

async function build(
  environment: "dev" | "staging" | "prod",
  storage: Partial<StorageConfig> = {},
) {
  const mocks = await mockPulumi({ region: REGION });
  const base = gcpConfig(environment);
  const config: PlatformConfig = { ...base, storage: { ...base.storage, ...storage } };
  const n = `${config.name}-storage`;
  const component = new Storage(
    n,
    {
      ...gcpCommonArgs(config),
      zones: config.zones,
      storage: config.storage,
      network: gcpNetworkOutputs(),
      kubernetes: gcpKubernetesOutputs(),
    },
    withKubernetes(),
  );
  await valueOf(component.outputs.buckets);
  await settle();
  return { mocks, component, config, n, keyId: `${n}-encryption-key-id` };
}

const storageClass = (mocks: RecordingMocks, n: string, role: string) =>
  one(mocks, T.storageClass, `${n}-${role}`);
const spec = (mocks: RecordingMocks, n: string, role: string) =>
  storageClass(mocks, n, role).inputs as Record<string, any>;

describe("GCP storage", () => {
  it("works in a fresh project: APIs on first, the Filestore agent created (Compute Engine's comes with its API) before their grants", async () => {
    const { mocks } = await build("prod");
    expectProjectPrerequisites(
      mocks,
      [
        "storage.googleapis.com",
        "cloudkms.googleapis.com",
        "compute.googleapis.com",
        "file.googleapis.com",
      ],
      {
        "compute.googleapis.com": ["encryption-key-compute"],
        "file.googleapis.com": ["encryption-key-filestore"],
      },
      [T.keyRing, T.key, T.keyIam, T.filestore, T.bucket],
    );
    const off = await build("dev", { file: { enabled: false } });
    expect(
      off.mocks.byType("gcp:projects/service:Service").map((s) => s.inputs.service),
    ).not.toContain("file.googleapis.com");
  });

  it("warns in prod that REGIONAL Filestore needs regional capacity quota a new project lacks", async () => {
    const warn = jest.spyOn(pulumi.log, "warn");
    try {
      await build("prod");
      expect(warn).toHaveBeenCalledWith(REGIONAL_FILESTORE_QUOTA_HINT, expect.anything());
      expect(REGIONAL_FILESTORE_QUOTA_HINT).toMatch(/Quotas.*officeless:storage\.file\.enabled/s);
      warn.mockClear();
      await build("dev");
      expect(warn).not.toHaveBeenCalledWith(REGIONAL_FILESTORE_QUOTA_HINT, expect.anything());
    } finally {
      warn.mockRestore();
    }
  });

  it("uses one protected, rotating key that only the Cloud Storage, Compute Engine and Filestore agents may use", async () => {
    const { mocks, keyId } = await build("prod");
    const key = one(mocks, T.key);
    expect(key.options.protect).toBe(true);
    expect(one(mocks, T.keyRing).options.protect).toBe(true);
    expect(
      mocks
        .byType(T.keyIam)
        .map((g) => g.inputs)
        .sort((a, b) => String(a.member).localeCompare(String(b.member))),
    ).toEqual(
      [
        agent("cloud-filer.iam.gserviceaccount.com"),
        agent("compute-system.iam.gserviceaccount.com"),
        `serviceAccount:service-${PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com`,
      ]
        .sort()
        .map((member) => ({
          cryptoKeyId: keyId,
          role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
          member,
        })),
    );
  });

  it("makes the encrypted, expandable, zone-aware pd-balanced class the default", async () => {
    const { mocks, n, component, keyId } = await build("prod");
    const sc = spec(mocks, n, "block");
    expect(sc).toMatchObject({
      metadata: {
        name: "officeless-block",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "pd.csi.storage.gke.io",
      parameters: {
        type: "pd-balanced",
        "disk-encryption-kms-key": keyId,
        labels: "officeless-backup=true",
      },
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Retain",
    });
    // Volumes wait for Compute Engine's access to the key.
    const grants = mocks.byType(T.keyIam).map((g) => g.urn);
    expect(storageClass(mocks, n, "block").options.dependsOn).toEqual(
      expect.arrayContaining(grants),
    );
    expect(await valueOf(component.outputs.blockStorageClass)).toBe("officeless-block");
    expect(mocks.byType(T.release)).toEqual([]);
  });

  it("does not mark the block class default when turned off, and deletes volumes in dev", async () => {
    const { mocks, n } = await build("dev", { block: { defaultClass: false } });
    expect(spec(mocks, n, "block").metadata.annotations).toBeUndefined();
    expect(spec(mocks, n, "block").reclaimPolicy).toBe("Delete");
  });

  it("runs a REGIONAL Filestore in prod: CMEK, private services access, deletion protection, protected", async () => {
    const { mocks, component, keyId } = await build("prod");
    const fs = one(mocks, T.filestore);
    expect(fs.inputs).toMatchObject({
      tier: "REGIONAL",
      location: REGION,
      fileShares: { name: "platform", capacityGb: 1024 },
      networks: [
        { network: NETWORK_ID, modes: ["MODE_IPV4"], connectMode: "PRIVATE_SERVICE_ACCESS" },
      ],
      kmsKeyName: keyId,
      deletionProtectionEnabled: true,
    });
    expect(fs.options.protect).toBe(true);
    expect(await valueOf(component.outputs.fileSystemId)).toBe(`${fs.name}-id`);
  });

  it("runs a ZONAL Filestore in the first zone elsewhere", async () => {
    const { mocks } = await build("dev");
    const fs = one(mocks, T.filestore);
    expect(fs.inputs).toMatchObject({
      tier: "ZONAL",
      location: "europe-west1-b",
      deletionProtectionEnabled: false,
    });
    expect(fs.options.protect).toBe(false);
  });

  it("adds a Filestore CSI class with the same tier, network, connect mode and key", async () => {
    const { mocks, n, component, keyId } = await build("prod");
    expect(spec(mocks, n, "file")).toMatchObject({
      metadata: { name: "officeless-file" },
      provisioner: "filestore.csi.storage.gke.io",
      parameters: {
        tier: "regional",
        network: "officeless-vpc",
        "connect-mode": "PRIVATE_SERVICE_ACCESS",
        "instance-encryption-kms-key": keyId,
      },
      allowVolumeExpansion: true,
    });
    expect(await valueOf(component.outputs.fileStorageClass)).toBe("officeless-file");
  });

  it("creates no file storage when it is off", async () => {
    const { mocks, component } = await build("prod", { file: { enabled: false } });
    expect(mocks.byType(T.filestore)).toEqual([]);
    expect(mocks.byType(T.storageClass)).toHaveLength(1);
    expect(await valueOf(component.outputs.fileSystemId)).toBe("");
    expect(await valueOf(component.outputs.fileStorageClass)).toBe("");
  });

  it("creates one private, versioned, CMEK bucket per purpose with lifecycle rules, protected in prod", async () => {
    const { mocks, n, component, keyId } = await build("prod");
    const buckets = mocks.byType(T.bucket);
    expect(buckets.map((b) => b.name).sort()).toEqual(
      BUCKET_PURPOSES.map((p) => `${n}-${p}`).sort(),
    );
    for (const b of buckets) {
      expect(b.inputs).toMatchObject({
        location: REGION,
        versioning: { enabled: true },
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        encryption: { defaultKmsKeyName: keyId },
        forceDestroy: false,
      });
      expect(b.inputs.lifecycleRules).toEqual([
        {
          action: { type: "SetStorageClass", storageClass: "NEARLINE" },
          condition: { age: 30, matchesStorageClasses: ["STANDARD"] },
        },
        {
          action: { type: "Delete" },
          condition: { daysSinceNoncurrentTime: 90, withState: "ARCHIVED" },
        },
        { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
      ]);
      expect(b.options.protect).toBe(true);
      expect(b.options.dependsOn).toEqual(
        expect.arrayContaining(mocks.byType(T.keyIam).map((g) => g.urn)),
      );
    }
    const names = await valueOf(component.outputs.buckets);
    expect(names.metrics).toBe(`${n}-metrics`);
    expect(Object.keys(names).sort()).toEqual([...BUCKET_PURPOSES].sort());
    expect(await valueOf(component.outputs.encryptionKeyId)).toBe(keyId);
  });

  it("leaves buckets unprotected outside prod, emptied on destroy (dev and staging)", async () => {
    for (const env of ["dev", "staging"] as const) {
      const { mocks } = await build(env);
      expect(mocks.byType(T.bucket)).toHaveLength(BUCKET_PURPOSES.length);
      for (const b of mocks.byType(T.bucket)) {
        expect(b.options.protect).toBe(false);
        expect(b.inputs.forceDestroy).toBe(true);
      }
    }
  });

  it("labels buckets, Filestore and the key with lower-case labels, buckets with their purpose", async () => {
    const { mocks, n } = await build("prod");
    expectLabelled(mocks.resources, "prod", "storage");
    expect(one(mocks, T.bucket, `${n}-logs`).inputs.labels).toMatchObject({ purpose: "logs" });
    expect(one(mocks, T.filestore).inputs.labels).toMatchObject({ "officeless-backup": "true" });
  });

  it("skips the cooler-storage rule when its days are 0, and maps helpers", () => {
    const rules = lifecycleRules({
      transitionToInfrequentAccessDays: 0,
      noncurrentVersionExpirationDays: 10,
      abortIncompleteMultipartUploadDays: 2,
    }) as { action: { type: string } }[];
    expect(rules.map((r) => r.action.type)).toEqual(["Delete", "AbortIncompleteMultipartUpload"]);
    expect(filestoreTier("prod")).toBe("REGIONAL");
    expect(filestoreTier("staging")).toBe("ZONAL");
    expect(resourceName("projects/p/global/networks/vpc")).toBe("vpc");
  });
});
