import * as k8s from "@pulumi/kubernetes";
import { CHARTS, ChartKey } from "../components/charts";
import { BUCKET_PURPOSES, Storage } from "../components/storage";
import { BACKUP_SELECTION_TAG, PlatformConfig, StorageConfig } from "../components/types";
import { awsConfig, commonArgs } from "./fixtures";
import {
  asList as list,
  mockPulumi,
  one,
  policyStatements as statementsOf,
  RecordedResource,
  RecordingMocks,
  settle,
  valueOf,
} from "./harness";
import {
  CLUSTER_NAME,
  kubernetesOutputs,
  networkOutputs,
  NODE_SECURITY_GROUP,
} from "./awsUpstream";

const T = {
  key: "aws:kms/key:Key",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  release: "kubernetes:helm.sh/v3:Release",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  efs: "aws:efs/fileSystem:FileSystem",
  efsPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
  mountTarget: "aws:efs/mountTarget:MountTarget",
  accessPoint: "aws:efs/accessPoint:AccessPoint",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
};

interface Built {
  mocks: RecordingMocks;
  storage: Storage;
  config: PlatformConfig;
  n: string;
  keyArn: string;
}

async function build(
  environment: "dev" | "prod",
  storage: Partial<StorageConfig> = {},
): Promise<Built> {
  const mocks = await mockPulumi({ region: "eu-west-1" });
  const base = awsConfig(environment);
  const config: PlatformConfig = { ...base, storage: { ...base.storage, ...storage } };
  const n = `${config.name}-storage`;
  const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
  const component = new Storage(
    n,
    {
      ...commonArgs(config),
      zones: config.zones,
      storage: config.storage,
      network: networkOutputs(config.zones),
      kubernetes: kubernetesOutputs(),
    },
    { providers: { kubernetes: provider } },
  );
  const keyArn = await valueOf(component.outputs.encryptionKeyId);
  await valueOf(component.outputs.buckets);
  await settle();
  return { mocks, storage: component, config, n, keyArn };
}

const idOf = (r: RecordedResource) => `${r.name}-id`;
const arnOf = (r: RecordedResource, service: string) =>
  `arn:aws:${service}:eu-west-1:123456789012:${r.name}`;
const forBucket = (mocks: RecordingMocks, type: string, bucket: RecordedResource) =>
  mocks.byType(type).filter((r) => r.inputs.bucket === idOf(bucket));
/** The platform's data buckets (not replicas or log buckets). */
const dataBuckets = (mocks: RecordingMocks, n: string) =>
  BUCKET_PURPOSES.map((purpose) => one(mocks, T.bucket, `${n}-${purpose}`));

/** Every key path of `values` must exist in the chart's default values (free-form below `{}`/null). */
describe("AWS storage", () => {
  it("creates the encrypted, expandable, zone-aware gp3 default StorageClass after the EBS CSI driver", async () => {
    const { mocks, storage, n, keyArn } = await build("prod");
    const key = one(mocks, T.key, `${n}-encryption-key`);
    expect(keyArn).toBe(arnOf(key, "kms"));
    const sc = one(mocks, T.storageClass, `${n}-block`);
    expect(sc.inputs).toMatchObject({
      provisioner: "ebs.csi.aws.com",
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Retain",
      metadata: {
        name: "officeless-block",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
    });
    expect(sc.inputs.parameters).toEqual({
      type: "gp3",
      encrypted: "true",
      kmsKeyId: keyArn,
      tagSpecification_1: `${BACKUP_SELECTION_TAG}=true`,
    });
    expect(sc.options.dependsOn).toContain(one(mocks, T.release, `${n}-ebs-csi`).urn);
    expect(await valueOf(storage.outputs.blockStorageClass)).toBe("officeless-block");
  });

  it("leaves the default-class annotation off when asked, and deletes volumes with their claims outside prod", async () => {
    const { mocks, n } = await build("dev", { block: { defaultClass: false } });
    const sc = one(mocks, T.storageClass, `${n}-block`);
    expect((sc.inputs.metadata as Record<string, unknown>).annotations).toBeUndefined();
    expect(sc.inputs.reclaimPolicy).toBe("Delete");
  });

  it("builds an encrypted EFS with a mount target per zone, reachable on NFS from the nodes only", async () => {
    const { mocks, storage, config, n, keyArn } = await build("prod");
    const efs = one(mocks, T.efs, `${n}-efs`);
    expect(efs.inputs).toMatchObject({
      encrypted: true,
      kmsKeyId: keyArn,
      throughputMode: "elastic",
    });
    expect(efs.inputs.lifecyclePolicies).toContainEqual({ transitionToIa: "AFTER_30_DAYS" });
    expect(efs.inputs.tags).toMatchObject({ [BACKUP_SELECTION_TAG]: "true", environment: "prod" });

    const sg = one(mocks, T.sg, `${n}-efs-sg`);
    expect(sg.inputs.vpcId).toBe("vpc-0abc");
    expect(sg.inputs.ingress).toBeUndefined();
    const rules = mocks.byType(T.ingress).filter((r) => r.inputs.securityGroupId === idOf(sg));
    expect(rules).toHaveLength(1);
    expect(rules[0].inputs).toMatchObject({
      ipProtocol: "tcp",
      fromPort: 2049,
      toPort: 2049,
      referencedSecurityGroupId: NODE_SECURITY_GROUP,
    });
    for (const field of ["cidrIpv4", "cidrIpv6", "prefixListId"])
      expect(rules[0].inputs[field]).toBeUndefined();

    const targets = mocks.byType(T.mountTarget);
    expect(targets).toHaveLength(config.zones.length);
    targets.forEach((t, i) => {
      expect(t.name).toBe(`${n}-efs-mount-${i}`);
      expect(t.inputs).toMatchObject({
        fileSystemId: idOf(efs),
        subnetId: `subnet-private-${i}`,
        securityGroups: [idOf(sg)],
      });
    });

    const ap = one(mocks, T.accessPoint);
    expect(ap.inputs).toMatchObject({
      fileSystemId: idOf(efs),
      posixUser: { uid: 1000, gid: 1000 },
      rootDirectory: { creationInfo: { ownerUid: 1000, ownerGid: 1000 } },
    });

    const deny = statementsOf(one(mocks, T.efsPolicy).inputs.policy).find(
      (s) => s.Effect === "Deny",
    );
    expect(deny?.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });

    const sc = one(mocks, T.storageClass, `${n}-file`);
    expect(sc.inputs).toMatchObject({
      provisioner: "efs.csi.aws.com",
      parameters: {
        provisioningMode: "efs-ap",
        fileSystemId: idOf(efs),
        directoryPerms: "700",
        basePath: "/dynamic_provisioning",
      },
    });
    expect(sc.options.dependsOn).toEqual(
      expect.arrayContaining([
        one(mocks, T.release, `${n}-efs-csi`).urn,
        ...targets.map((t) => t.urn),
      ]),
    );
    expect(await valueOf(storage.outputs.fileSystemId)).toBe(idOf(efs));
    expect(await valueOf(storage.outputs.fileStorageClass)).toBe("officeless-file");
  });

  it("creates no file system, driver or role when file storage is off, and exports empty strings", async () => {
    const { mocks, storage, n } = await build("dev", { file: { enabled: false } });
    for (const type of [T.efs, T.mountTarget, T.accessPoint, T.efsPolicy])
      expect(mocks.byType(type)).toHaveLength(0);
    expect(mocks.byType(T.release).map((r) => r.name)).toEqual([`${n}-ebs-csi`]);
    expect(mocks.byType(T.role).map((r) => r.name)).toEqual([`${n}-ebs-csi-role`]);
    expect(await valueOf(storage.outputs.fileSystemId)).toBe("");
    expect(await valueOf(storage.outputs.fileStorageClass)).toBe("");
  });

  it("makes every data bucket versioned, KMS-encrypted, private, owner-enforced and TLS-only", async () => {
    const { mocks, storage, n, keyArn } = await build("prod");
    const buckets = dataBuckets(mocks, n);
    expect(buckets.map((b) => b.name).sort()).toEqual(
      BUCKET_PURPOSES.map((p) => `${n}-${p}`).sort(),
    );
    for (const bucket of buckets) {
      expect(bucket.inputs.forceDestroy).toBe(false);
      const [versioning] = forBucket(mocks, T.versioning, bucket);
      expect(versioning.inputs.versioningConfiguration).toEqual({ status: "Enabled" });
      const [sse] = forBucket(mocks, T.sse, bucket);
      expect(sse.inputs.rules).toEqual([
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
          bucketKeyEnabled: true,
        },
      ]);
      const [block] = forBucket(mocks, T.publicAccess, bucket);
      expect(block.inputs).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      const [ownership] = forBucket(mocks, T.ownership, bucket);
      expect(ownership.inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });

      const [policy] = forBucket(mocks, T.bucketPolicy, bucket);
      expect(policy.options.dependsOn).toContain(block.urn);
      const tls = statementsOf(policy.inputs.policy).find(
        (s) => s.Condition?.Bool?.["aws:SecureTransport"] === "false",
      );
      expect(tls).toBeDefined();
      expect(tls).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:*" });
      const bucketArn = arnOf(bucket, "s3");
      expect(tls!.Resource).toEqual([bucketArn, `${bucketArn}/*`]);
      expect(statementsOf(policy.inputs.policy).every((s) => s.Effect === "Deny")).toBe(true);
      // Stays in the stack's region (only replicas name another one).
      expect(bucket.inputs.region).toBeUndefined();
    }
    const names = await valueOf(storage.outputs.buckets);
    expect(Object.keys(names).sort()).toEqual([...BUCKET_PURPOSES].sort());
    expect(names.logs).toBe(`${n}-logs`);
  });

  it("applies the configured lifecycle rules to every data bucket and replica, after versioning", async () => {
    const { mocks, n } = await build("prod");
    const replicas = mocks.byType(T.bucket).filter((b) => b.name.endsWith("-replica"));
    expect(replicas).toHaveLength(BUCKET_PURPOSES.length);
    for (const bucket of [...dataBuckets(mocks, n), ...replicas]) {
      const [lifecycle] = forBucket(mocks, T.lifecycle, bucket);
      const rules = lifecycle.inputs.rules as Record<string, unknown>[];
      const enabled = (rule: Record<string, unknown>) =>
        expect.objectContaining({ status: "Enabled", ...rule });
      expect(rules).toContainEqual(
        enabled({ transitions: [{ days: 30, storageClass: "STANDARD_IA" }] }),
      );
      expect(rules).toContainEqual(
        enabled({ noncurrentVersionExpiration: { noncurrentDays: 90 } }),
      );
      expect(rules).toContainEqual(
        enabled({ abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }),
      );
      expect(lifecycle.options.dependsOn).toContain(forBucket(mocks, T.versioning, bucket)[0].urn);
    }
  });

  it("skips the infrequent-access transition when its days are 0", async () => {
    const lifecycle = {
      transitionToInfrequentAccessDays: 0,
      noncurrentVersionExpirationDays: 30,
      abortIncompleteMultipartUploadDays: 3,
    };
    const { mocks, n } = await build("dev", {
      object: { ...awsConfig("dev").storage.object, lifecycle },
    });
    for (const l of dataBuckets(mocks, n).map((b) => forBucket(mocks, T.lifecycle, b)[0])) {
      const rules = l.inputs.rules as Record<string, unknown>[];
      expect(rules.some((r) => "transitions" in r)).toBe(false);
      expect(rules).toContainEqual(
        expect.objectContaining({ noncurrentVersionExpiration: { noncurrentDays: 30 } }),
      );
    }
  });

  it("protects the key, the buckets and the file system in prod only", async () => {
    const stateful = [T.key, T.bucket, T.efs];
    const prod = await build("prod");
    for (const type of stateful) {
      expect(prod.mocks.byType(type).length).toBeGreaterThan(0);
      for (const r of prod.mocks.byType(type))
        expect([r.name, r.options.protect]).toEqual([r.name, true]);
    }
    const dev = await build("dev");
    for (const type of stateful) {
      expect(dev.mocks.byType(type).length).toBeGreaterThan(0);
      for (const r of dev.mocks.byType(type))
        expect([r.name, r.options.protect]).toEqual([r.name, false]);
    }
  });

  it("binds each CSI controller to its own least-privilege role through Pod Identity", async () => {
    const { mocks, n, keyArn } = await build("prod");
    const drivers = [
      { role: "ebs-csi", serviceAccount: "ebs-csi-controller-sa" },
      { role: "efs-csi", serviceAccount: "efs-csi-controller-sa" },
    ];
    for (const d of drivers) {
      const role = one(mocks, T.role, `${n}-${d.role}-role`);
      const trust = statementsOf(role.inputs.assumeRolePolicy);
      expect(trust[0].Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
      const association = one(mocks, T.podIdentity, `${n}-${d.role}-pod-identity`);
      expect(association.inputs).toMatchObject({
        clusterName: CLUSTER_NAME,
        namespace: "kube-system",
        serviceAccount: d.serviceAccount,
        roleArn: arnOf(role, "iam"),
      });
      const release = one(mocks, T.release, `${n}-${d.role}`);
      expect(release.inputs.namespace).toBe("kube-system");
      expect((release.inputs.values as any).controller.serviceAccount.name).toBe(d.serviceAccount);
      expect(release.options.dependsOn).toContain(association.urn);

      const statements = statementsOf(
        one(mocks, T.rolePolicy, `${n}-${d.role}-policy`).inputs.policy,
      );
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        expect(s.Effect).toBe("Allow");
        for (const action of list(s.Action)) expect(action).not.toMatch(/^\*$|:\*$/);
        // Only calls without resource-level permissions may name every resource.
        if (list(s.Resource).includes("*"))
          for (const action of list(s.Action)) expect(action).toMatch(/:Describe/);
        // Anything destructive is limited to what the driver itself tagged.
        if (list(s.Action).some((a) => /:Delete(Volume|Snapshot|AccessPoint)$/.test(a)))
          expect(s.Condition).toBeDefined();
      }
    }
    const ebs = statementsOf(one(mocks, T.rolePolicy, `${n}-ebs-csi-policy`).inputs.policy);
    const kmsActions = ebs
      .filter((s) => list(s.Resource).includes(keyArn))
      .flatMap((s) => list(s.Action));
    expect(kmsActions).toEqual(
      expect.arrayContaining([
        "kms:CreateGrant",
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ]),
    );
    const efsArn = arnOf(one(mocks, T.efs), "efs");
    const efs = statementsOf(one(mocks, T.rolePolicy, `${n}-efs-csi-policy`).inputs.policy);
    expect(
      efs.find((s) => list(s.Action).includes("elasticfilesystem:CreateAccessPoint")),
    ).toMatchObject({
      Resource: expect.arrayContaining([efsArn]),
      Condition: { StringEquals: { "aws:RequestTag/efs.csi.aws.com/cluster": "true" } },
    });
  });

  // Values keys are checked against the charts by tests/helmValues.test.ts, which walks these releases too.
  it("pins the CSI Helm releases", async () => {
    const { mocks, n } = await build("prod");
    const charts: Record<string, ChartKey> = {
      "ebs-csi": "awsEbsCsiDriver",
      "efs-csi": "awsEfsCsiDriver",
    };
    for (const [role, chart] of Object.entries(charts)) {
      const release = one(mocks, T.release, `${n}-${role}`);
      const pin = CHARTS[chart];
      expect(release.inputs).toMatchObject({
        chart: pin.chart,
        version: pin.version,
        repositoryOpts: { repo: pin.repo },
      });
    }
    const ebsValues = one(mocks, T.release, `${n}-ebs-csi`).inputs.values as any;
    expect(ebsValues.controller).toMatchObject({
      region: "eu-west-1",
      k8sTagClusterId: CLUSTER_NAME,
    });
  });
});

describe("AWS storage: server access logs", () => {
  const T2 = {
    logging: "aws:s3/bucketLogging:BucketLogging",
  };

  it("logs every data bucket under its purpose into an SSE-S3 log bucket that only S3 log delivery may write", async () => {
    const { mocks, n } = await build("prod");
    const logs = one(mocks, T.bucket, `${n}-access-logs`);
    const sources = dataBuckets(mocks, n);
    const [policy] = forBucket(mocks, T.bucketPolicy, logs);
    for (const bucket of sources) {
      const purpose = bucket.inputs.tags && (bucket.inputs.tags as any).purpose;
      const logging = one(mocks, T2.logging, `${bucket.name}-access-logging`);
      expect(logging.inputs).toEqual({
        bucket: idOf(bucket),
        targetBucket: idOf(logs),
        targetPrefix: `${purpose}/`,
      });
      // The grant first, or the first deliveries are refused.
      expect(logging.options.dependsOn).toContain(policy.urn);
    }
    // S3 documents SSE-S3 as the default encryption a log target supports (not SSE-KMS).
    expect(forBucket(mocks, T.sse, logs)[0].inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
    const grant = statementsOf(policy.inputs.policy).find((s) => s.Sid === "S3ServerAccessLogs");
    expect(grant).toEqual({
      Sid: "S3ServerAccessLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${arnOf(logs, "s3")}/*`,
      Condition: {
        ArnLike: { "aws:SourceArn": sources.map((b) => arnOf(b, "s3")) },
        StringEquals: { "aws:SourceAccount": "123456789012" },
      },
    });
    expect(
      statementsOf(policy.inputs.policy).some((s) => s.Condition?.Bool?.["aws:SecureTransport"]),
    ).toBe(true);
    expect(forBucket(mocks, T.ownership, logs)[0].inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    // Not logged itself, kept a year, protected and kept on destroy in prod.
    expect(mocks.byType(T2.logging).some((l) => l.inputs.bucket === idOf(logs))).toBe(false);
    expect(forBucket(mocks, T.lifecycle, logs)[0].inputs.rules).toEqual([
      { id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 365 } },
    ]);
    expect(logs.options.protect).toBe(true);
    expect(logs.inputs.forceDestroy).toBe(false);
  });

  it("lets a dev destroy empty every bucket (prod never does)", async () => {
    const dev = await build("dev", {
      object: { ...awsConfig("dev").storage.object, replication: { enabled: true } },
    });
    const devBuckets = dev.mocks.byType(T.bucket);
    expect(devBuckets.length).toBe(BUCKET_PURPOSES.length * 2 + 2);
    for (const b of devBuckets) expect([b.name, b.inputs.forceDestroy]).toEqual([b.name, true]);
    const prod = await build("prod");
    for (const b of prod.mocks.byType(T.bucket))
      expect([b.name, b.inputs.forceDestroy]).toEqual([b.name, false]);
  });

  it("keeps a month of logs in dev and lets destroy empty the log bucket", async () => {
    const { mocks, n } = await build("dev");
    const logs = one(mocks, T.bucket, `${n}-access-logs`);
    expect(logs.inputs.forceDestroy).toBe(true);
    expect(logs.options.protect).toBe(false);
    expect((forBucket(mocks, T.lifecycle, logs)[0].inputs.rules as any)[0].expiration).toEqual({
      days: 30,
    });
    expect(mocks.byType(T2.logging)).toHaveLength(BUCKET_PURPOSES.length);
  });

  it("creates no log bucket or logging when storage.object.accessLogging is false", async () => {
    const base = awsConfig("prod").storage.object;
    const { mocks, n } = await build("prod", { object: { ...base, accessLogging: false } });
    expect(mocks.byType(T2.logging)).toHaveLength(0);
    const names = mocks.byType(T.bucket).map((b) => b.name);
    expect(names).not.toContain(`${n}-access-logs`);
    expect(names).not.toContain(`${n}-replica-logs`);
    expect(names).toContain(`${n}-data-replica`);
  });
});

describe("AWS storage: replicas in another region (prod)", () => {
  const T3 = {
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    logging: "aws:s3/bucketLogging:BucketLogging",
  };

  it("copies every bucket to a versioned, protected replica in the partner region, under its own key there", async () => {
    const { mocks, n } = await build("prod");
    const key = one(mocks, T.key, `${n}-replica-key`);
    expect(key.inputs.region).toBe("eu-central-1");
    expect(key.options.protect).toBe(true);
    const keyArn = `arn:aws:kms:eu-central-1:123456789012:${key.name}`;
    for (const source of dataBuckets(mocks, n)) {
      const replica = one(mocks, T.bucket, `${source.name}-replica`);
      expect(replica.inputs.region).toBe("eu-central-1");
      expect(replica.options.protect).toBe(true);
      expect(replica.inputs.forceDestroy).toBe(false);
      for (const type of [
        T.versioning,
        T.sse,
        T.publicAccess,
        T.ownership,
        T.bucketPolicy,
        T.lifecycle,
      ])
        expect(forBucket(mocks, type, replica)[0].inputs.region).toBe("eu-central-1");
      expect(forBucket(mocks, T.versioning, replica)[0].inputs.versioningConfiguration).toEqual({
        status: "Enabled",
      });
      expect(forBucket(mocks, T.sse, replica)[0].inputs.rules).toEqual([
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
          bucketKeyEnabled: true,
        },
      ]);

      const config = one(mocks, T3.replication, `${source.name}-replication`);
      expect(config.inputs.region).toBeUndefined();
      expect(config.inputs).toMatchObject({
        bucket: idOf(source),
        role: arnOf(one(mocks, T.role, `${n}-replication-role`), "iam"),
        rules: [
          {
            id: "copy-to-eu-central-1",
            status: "Enabled",
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: arnOf(replica, "s3").replace("eu-west-1", "eu-central-1"),
              encryptionConfiguration: { replicaKmsKeyId: keyArn },
            },
          },
        ],
      });
      // S3 refuses the configuration before both sides are versioned and the role may act.
      expect(config.options.dependsOn).toEqual(
        expect.arrayContaining([
          forBucket(mocks, T.versioning, source)[0].urn,
          forBucket(mocks, T.versioning, replica)[0].urn,
          one(mocks, T.rolePolicy, `${n}-replication-policy`).urn,
        ]),
      );
    }
  });

  it("replicates as a role only S3 of this account assumes, using each key only through S3 for these buckets", async () => {
    const { mocks, n, keyArn } = await build("prod");
    const trust = statementsOf(one(mocks, T.role, `${n}-replication-role`).inputs.assumeRolePolicy);
    expect(trust).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
    const statements = statementsOf(
      one(mocks, T.rolePolicy, `${n}-replication-policy`).inputs.policy,
    );
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    const sources = dataBuckets(mocks, n).map((b) => arnOf(b, "s3"));
    expect(bySid.ReadReplicationConfig.Resource).toEqual(sources);
    expect(bySid.ReadSourceVersions.Resource).toEqual(sources.map((a) => `${a}/*`));
    expect(list(bySid.WriteReplicas.Action)).toEqual([
      "s3:ReplicateObject",
      "s3:ReplicateDelete",
      "s3:ReplicateTags",
    ]);
    expect(bySid.DecryptSources).toMatchObject({
      Action: "kms:Decrypt",
      Resource: keyArn,
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
    expect(
      (bySid.DecryptSources.Condition as any).ArnLike["kms:EncryptionContext:aws:s3:arn"],
    ).toEqual(sources.flatMap((a) => [a, `${a}/*`]));
    expect(bySid.EncryptReplicas).toMatchObject({
      Resource: `arn:aws:kms:eu-central-1:123456789012:${n}-replica-key`,
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } },
    });
  });

  it("logs the replicas into a log bucket of their own region", async () => {
    const { mocks, n } = await build("prod");
    const logs = one(mocks, T.bucket, `${n}-replica-logs`);
    expect(logs.inputs.region).toBe("eu-central-1");
    for (const source of dataBuckets(mocks, n)) {
      const replica = one(mocks, T.bucket, `${source.name}-replica`);
      expect(one(mocks, T3.logging, `${replica.name}-access-logging`).inputs).toMatchObject({
        bucket: idOf(replica),
        targetBucket: idOf(logs),
        region: "eu-central-1",
      });
    }
  });

  it("makes no replicas in dev by default, and honours a configured region", async () => {
    const dev = await build("dev");
    expect(dev.mocks.byType(T3.replication)).toHaveLength(0);
    expect(dev.mocks.byType(T.bucket).some((b) => b.name.endsWith("-replica"))).toBe(false);
    const base = awsConfig("dev").storage.object;
    const chosen = await build("dev", {
      object: { ...base, replication: { enabled: true, region: "eu-north-1" } },
    });
    expect(chosen.mocks.byType(T3.replication)).toHaveLength(BUCKET_PURPOSES.length);
    expect(one(chosen.mocks, T.bucket, `${chosen.n}-data-replica`).inputs.region).toBe(
      "eu-north-1",
    );
  });

  it("refuses a replica region it cannot use, naming the key, before creating anything", async () => {
    const config = awsConfig("prod");
    const make = (region: string, replicaRegion?: string) => async () => {
      const mocks = await mockPulumi({ region });
      try {
        new Storage(
          "s",
          {
            ...commonArgs({ ...config, region }),
            zones: config.zones,
            storage: {
              ...config.storage,
              object: {
                ...config.storage.object,
                replication: { enabled: true, ...(replicaRegion ? { region: replicaRegion } : {}) },
              },
            },
            network: networkOutputs(config.zones),
            kubernetes: kubernetesOutputs(),
          },
          { providers: { kubernetes: new k8s.Provider("k8s", { kubeconfig: "{}" }) } },
        );
      } finally {
        await settle();
        expect(mocks.resources.filter((r) => r.custom && r.type.startsWith("aws:"))).toEqual([]);
      }
    };
    await expect(make("ca-central-1")()).rejects.toThrow(
      /args\.storage\.object\.replication\.region: has no default for ca-central-1/,
    );
    await expect(make("eu-west-1", "eu-west-1")()).rejects.toThrow(
      /replication\.region = "eu-west-1": is the stack's own region/,
    );
    await expect(make("eu-west-1", "eu-mars-1")()).rejects.toThrow(/is not an AWS region/);
  });
});

describe("AWS storage names at the longest officeless:name", () => {
  it("keeps every auto-named bucket and role within AWS's limits", async () => {
    const name = "a".repeat(22) + "-x";
    const mocks = await mockPulumi({ region: "eu-west-1" });
    const config = { ...awsConfig("prod"), name };
    const n = `${name}-storage`;
    const component = new Storage(
      n,
      {
        ...commonArgs(config),
        zones: config.zones,
        storage: config.storage,
        network: networkOutputs(config.zones),
        kubernetes: kubernetesOutputs(),
      },
      { providers: { kubernetes: new k8s.Provider("k8s", { kubeconfig: "{}" }) } },
    );
    await valueOf(component.outputs.buckets);
    await settle();
    // Pulumi auto-names `<logical name>-<7 characters>`.
    const physical = (r: RecordedResource) => r.name.length + 8;
    const buckets = mocks.byType(T.bucket);
    expect(buckets.length).toBe(BUCKET_PURPOSES.length * 2 + 2);
    for (const b of buckets) expect(physical(b)).toBeLessThanOrEqual(63);
    for (const r of mocks.byType(T.role)) expect(physical(r)).toBeLessThanOrEqual(64);
  });
});
