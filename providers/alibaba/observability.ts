/**
 * Alibaba Cloud observability: Mimir, Loki and Tempo on OSS through its S3-compatible API
 * (virtual-hosted style, the region's internal S3 endpoint), each with its own RAM user whose only
 * policy reads and writes that signal's bucket (and uses the storage key for SSE-KMS), and whose
 * AccessKey goes to the chart's pods from a Kubernetes Secret (components/observabilityRelease.ts).
 *
 * Why not RRSA (ACK's keyless pod identity): RRSA hands pods an OIDC token to exchange through
 * STS AssumeRoleWithOIDC (`ALIBABA_CLOUD_OIDC_TOKEN_FILE`, `ALIBABA_CLOUD_ROLE_ARN`). Mimir, Loki
 * and Tempo reach S3 stores through minio-go, whose credential chain knows AWS's web-identity
 * exchange only; Loki's native `alibabacloud` client and Thanos' `oss` client take static keys
 * only (grafana/tempo#7418 asks for RRSA and is closed unimplemented). So a scoped static key is
 * the only identity these tools can use on OSS today. The charts keep their S3 clients on HTTPS
 * (`insecure` unset): over plain HTTP minio-go signs uploads as aws-chunked streams, which OSS
 * refuses ("Aws MultiChunkedEncoding is not supported", grafana/mimir#2964).
 */
import * as ram from "@pulumi/alicloud/ram";
import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import { observabilityStack } from "../../components/observabilityRelease";
import { Scope } from "../../components/types";
import { cutName } from "./common";

/** RAM user names: 1-64 characters. */
const RAM_USER_MAX = 64;
/** RAM policy names: 1-128 characters. */
const RAM_POLICY_MAX = 128;

/**
 * OSS's S3-compatible internal (VPC) endpoint of a region: no internet egress, no traffic charge.
 * The `s3.` form is the one OSS documents for S3 clients, virtual-hosted style only
 * (alibabacloud.com/help/en/oss/developer-reference/use-aws-sdks-to-access-oss).
 */
export function ossInternalEndpoint(region: string): string {
  return `s3.oss-${region}-internal.aliyuncs.com`;
}

/** The object actions Mimir, Loki and Tempo call on their bucket (list, read, write, delete, multipart). */
export const SIGNAL_OBJECT_ACTIONS = [
  "oss:GetObject",
  "oss:PutObject",
  "oss:DeleteObject",
  "oss:AbortMultipartUpload",
  "oss:ListParts",
];
export const SIGNAL_BUCKET_ACTIONS = [
  "oss:ListObjects",
  "oss:GetBucketInfo",
  "oss:GetBucketLocation",
  "oss:ListMultipartUploads",
];
/** SSE-KMS with a customer key needs the writer to generate and decrypt data keys. */
export const SIGNAL_KEY_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"];

/** The one policy of a signal's RAM user: its bucket and objects, and the storage key. */
export function signalPolicy(bucket: string, region: string, keyId: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: SIGNAL_BUCKET_ACTIONS, Resource: [`acs:oss:*:*:${bucket}`] },
      { Effect: "Allow", Action: SIGNAL_OBJECT_ACTIONS, Resource: [`acs:oss:*:*:${bucket}/*`] },
      {
        Effect: "Allow",
        Action: SIGNAL_KEY_ACTIONS,
        Resource: [`acs:kms:${region}:*:key/${keyId}`],
      },
    ],
  });
}

export function alibabaObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  return observabilityStack(scope, args, () => ({ signal, bucket }) => {
    const opts = { parent: scope.parent };
    const n = `${scope.name}-${signal.name}`;
    const user = new ram.User(
      `${n}-user`,
      {
        name: cutName(n, RAM_USER_MAX),
        displayName: cutName(n, RAM_USER_MAX),
        comments: `${signal.name}: reads and writes the ${signal.bucket} bucket only`,
        force: true,
      },
      opts,
    );
    const policy = new ram.Policy(
      `${n}-policy`,
      {
        policyName: cutName(`${n}-bucket`, RAM_POLICY_MAX),
        policyDocument: pulumi
          .all([bucket, args.storage.encryptionKeyId])
          .apply(([b, key]) => signalPolicy(b, args.region, key)),
        description: `${signal.name}: its OSS bucket and the storage key`,
        force: true,
      },
      opts,
    );
    const attachment = new ram.UserPolicyAttachment(
      `${n}-policy`,
      { userName: user.name, policyName: policy.policyName, policyType: "Custom" },
      opts,
    );
    const key = new ram.AccessKey(
      `${n}-key`,
      { userName: user.name, status: "Active" },
      { ...opts, dependsOn: [attachment], additionalSecretOutputs: ["secret"] },
    );
    return {
      storage: bucket.apply((b) => ({
        kind: "s3" as const,
        bucket: b,
        region: args.region,
        endpoint: ossInternalEndpoint(args.region),
        forcePathStyle: false,
      })),
      credentials: pulumi.secret(
        pulumi
          .all([key.id, key.secret])
          .apply(([accessKeyId, secretAccessKey]) => ({ accessKeyId, secretAccessKey })),
      ),
      dependsOn: [attachment, key],
    };
  });
}
