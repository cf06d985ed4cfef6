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

  it("makes every bucket versioned, KMS-encrypted, private, owner-enforced and TLS-only", async () => {
    const { mocks, storage, n, keyArn } = await build("prod");
    const buckets = mocks.byType(T.bucket);
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
    }
    const names = await valueOf(storage.outputs.buckets);
    expect(Object.keys(names).sort()).toEqual([...BUCKET_PURPOSES].sort());
    expect(names.logs).toBe(`${n}-logs`);
  });

  it("applies the configured lifecycle rules to every bucket, after versioning", async () => {
    const { mocks } = await build("prod");
    for (const bucket of mocks.byType(T.bucket)) {
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
    const { mocks } = await build("dev", { object: { lifecycle } });
    for (const l of mocks.byType(T.lifecycle)) {
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
