/**
 * Whole-plan checks of the AWS stack files (offline plan of every layer stack), for the review
 * classes a per-component test can miss: principals that do not exist yet, keys open to `*` beyond
 * the Auto Scaling role, buckets without access logs, copies that stay in the region, and what
 * destroy keeps.
 */
import { plan, PlannedResource, PlanResult } from "../automation/offline/plan";

const T = {
  bucket: "aws:s3/bucket:Bucket",
  logging: "aws:s3/bucketLogging:BucketLogging",
  replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  vault: "aws:backup/vault:Vault",
  key: "aws:kms/key:Key",
  role: "aws:iam/role:Role",
  plan: "aws:backup/plan:Plan",
};
const ACCOUNT = "123456789012";

const all = (result: PlanResult): PlannedResource[] => result.stacks.flatMap((s) => s.resources);
const byType = (result: PlanResult, type: string) => all(result).filter((r) => r.type === type);
const idOf = (r: PlannedResource) => `${r.name}-id`;

/** Every `Principal.AWS` value of every policy document in the plan. */
function awsPrincipals(result: PlanResult): { resource: string; principal: string }[] {
  const found: { resource: string; principal: string }[] = [];
  for (const r of all(result)) {
    for (const field of ["policy", "assumeRolePolicy"]) {
      const text = r.inputs[field];
      if (typeof text !== "string" || !text.includes("Statement")) continue;
      for (const s of JSON.parse(text).Statement as { Principal?: any }[]) {
        const aws = s.Principal?.AWS;
        for (const p of aws === undefined ? [] : Array.isArray(aws) ? aws : [aws])
          found.push({ resource: r.name, principal: String(p) });
      }
    }
  }
  return found;
}

describe("AWS whole plan (prod-aws)", () => {
  let result: PlanResult;
  beforeAll(async () => {
    result = await plan(["prod-aws"]);
  });

  it("names no IAM principal a fresh account may lack: only `*` (narrowed by conditions) or the account root", () => {
    const principals = awsPrincipals(result);
    expect(principals.length).toBeGreaterThan(0);
    for (const { resource, principal } of principals)
      expect([resource, principal]).toEqual([
        resource,
        expect.stringMatching(new RegExp(`^(\\*|arn:aws:iam::${ACCOUNT}:root)$`)),
      ]);
  });

  it("opens KMS keys to `*` only for the Auto Scaling role of this account, with no kms:ViaService", () => {
    const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    // A key without a policy input gets KMS's default one (account root only).
    const withPolicy = byType(result, T.key).filter((k) => typeof k.inputs.policy === "string");
    expect(withPolicy.length).toBeGreaterThan(0);
    const open = withPolicy.flatMap((k) =>
      (JSON.parse(k.inputs.policy as string).Statement as any[])
        .filter((s) => s.Effect === "Allow" && s.Principal?.AWS === "*")
        .map((s) => ({ key: k.name, ...s })),
    );
    expect(open.map((s) => s.Sid).sort()).toEqual([
      "AllowAutoScalingGrantsForVolumes",
      "AllowAutoScalingUseOfKey",
    ]);
    // Auto Scaling calls KMS itself (DescribeKey, CreateGrant), so a ViaService condition would deny it.
    for (const s of open)
      expect([s.key, s.Sid, s.Condition]).toEqual([
        s.key,
        s.Sid,
        {
          StringEquals: { "kms:CallerAccount": ACCOUNT },
          ArnEquals: { "aws:PrincipalArn": slr },
          ...(s.Action === "kms:CreateGrant"
            ? { Bool: { "kms:GrantIsForAWSResource": true } }
            : {}),
        },
      ]);
  });

  it("logs every bucket except the log buckets, into a log bucket of the same region", () => {
    const buckets = byType(result, T.bucket);
    const loggings = byType(result, T.logging);
    const targets = new Set(loggings.map((l) => l.inputs.targetBucket));
    for (const bucket of buckets) {
      if (targets.has(idOf(bucket))) continue;
      const logging = loggings.filter((l) => l.inputs.bucket === idOf(bucket));
      expect([bucket.name, logging.length]).toEqual([bucket.name, 1]);
      const target = buckets.find((b) => idOf(b) === logging[0].inputs.targetBucket)!;
      expect([bucket.name, target.inputs.region]).toEqual([bucket.name, bucket.inputs.region]);
    }
    expect(targets.size).toBe(2);
  });

  it("copies every data bucket and the backups out of the region, protected, never force-deleted", () => {
    const replications = byType(result, T.replication);
    const sources = byType(result, T.bucket).filter((b) =>
      replications.some((r) => r.inputs.bucket === idOf(b)),
    );
    expect(sources.length).toBe(5);
    for (const r of replications) {
      const dependsOn = r.options.dependsOn;
      const versionings = byType(result, T.versioning).filter((v) => dependsOn.includes(v.urn));
      expect([r.name, versionings.length]).toEqual([r.name, 2]);
    }
    const regions = new Set(
      byType(result, T.bucket)
        .map((b) => b.inputs.region)
        .filter(Boolean),
    );
    expect([...regions]).toEqual(["eu-central-1"]);
    const copy = byType(result, T.vault).filter((v) => v.inputs.region === "eu-central-1");
    expect(copy).toHaveLength(1);
    for (const type of [T.bucket, T.vault, T.key])
      for (const r of byType(result, type)) {
        expect([r.name, r.options.protect]).toEqual([r.name, true]);
        if (type !== T.key) expect([r.name, r.inputs.forceDestroy]).toEqual([r.name, false]);
      }
  });
});

describe("AWS whole plan (dev-aws)", () => {
  let result: PlanResult;
  beforeAll(async () => {
    result = await plan(["dev-aws"]);
  });

  it("keeps dev in one region and lets destroy empty every bucket and vault", () => {
    expect(byType(result, T.replication)).toHaveLength(0);
    expect((byType(result, T.plan)[0].inputs.rules as any[])[0].copyActions).toBeUndefined();
    for (const type of [T.bucket, T.vault])
      for (const r of byType(result, type)) {
        expect([r.name, r.inputs.region]).toEqual([r.name, undefined]);
        expect([r.name, r.inputs.forceDestroy, r.options.protect]).toEqual([r.name, true, false]);
      }
    expect(byType(result, T.logging).length).toBe(5);
  });
});
