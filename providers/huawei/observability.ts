/**
 * Huawei Cloud observability: Mimir, Loki and Tempo on the storage layer's OBS buckets through
 * OBS's S3-compatible endpoint, each with its own IAM user that has programmatic access only and
 * no permission but two custom policies on its group: its own bucket and objects (OBS, a global
 * service) and data keys of the storage key (KMS, which SSE-KMS objects need on read and write).
 * The users' access keys reach the charts through the shared static-credentials wiring
 * (components/observabilityRelease.ts), as secrets. IAM grants take 15 to 30 minutes to apply
 * after creation (the provider's groupRoleAssignment docs): the charts wait IAM_PROPAGATION_SECONDS
 * after new grants, so their pods start within the releases' 15-minute (atomic) timeout instead of
 * failing on 403 and rolling back.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import { observabilityStack } from "../../components/observabilityRelease";
import { propagationWait } from "../../components/propagation";
import { Scope } from "../../components/types";
import * as iam from "../../sdks/huaweicloud/iam";
import { cutName, obsEndpoint } from "./common";

/** The OBS actions Mimir, Loki and Tempo call on their bucket (S3 API: objects, listing, multipart). */
export const SIGNAL_OBS_ACTIONS = [
  "obs:bucket:HeadBucket",
  "obs:bucket:ListBucket",
  "obs:bucket:GetBucketLocation",
  "obs:bucket:ListBucketMultipartUploads",
  "obs:object:GetObject",
  "obs:object:PutObject",
  "obs:object:DeleteObject",
  "obs:object:AbortMultipartUpload",
  "obs:object:ListMultipartUploadParts",
];

/** KMS actions SSE-KMS needs from the requester: the key's metadata and its data keys. */
export const SIGNAL_KMS_ACTIONS = ["kms:cmk:get", "kms:dek:create", "kms:dek:crypto"];

/** IAM fine-grained policy: OBS on one bucket and its objects only. */
export function bucketPolicy(bucket: string): string {
  return JSON.stringify({
    Version: "1.1",
    Statement: [
      {
        Effect: "Allow",
        Action: SIGNAL_OBS_ACTIONS,
        Resource: [`OBS:*:*:bucket:${bucket}`, `OBS:*:*:object:${bucket}/*`],
      },
    ],
  });
}

/** IAM fine-grained policy: data keys of one KMS key only. */
export function keyPolicy(keyId: string): string {
  return JSON.stringify({
    Version: "1.1",
    Statement: [
      { Effect: "Allow", Action: SIGNAL_KMS_ACTIONS, Resource: [`KMS:*:*:KeyId:${keyId}`] },
    ],
  });
}

/**
 * The access key's secret is in the state only when the provider cannot write it to `secretFile`
 * (terraform-provider-huaweicloud resource_huaweicloud_identity_access_key.go): a path that cannot
 * be created keeps it out of a CSV file on the deploying machine and in the (encrypted) state.
 */
export const NO_SECRET_FILE = "/dev/null/officeless-access-key.csv";

/** How long the charts wait after new IAM grants (the rest of the 30 minutes is the charts' own timeout). */
export const IAM_PROPAGATION_SECONDS = 900;

/**
 * Where each custom policy is granted, by policy type: AX policies cover global services (OBS) and
 * are assigned in the domain; XA policies project services (KMS) and are assigned in a project
 * (terraform-provider-huaweicloud identity_group_role_assignment: "Assign role with domain" uses
 * the OBS policy `obs_adm`).
 */
export const POLICY_SCOPES = [
  { role: "obs", type: "AX" },
  { role: "kms", type: "XA" },
] as const;

function requireId(id: string | undefined, what: string): string {
  if (!id) throw new Error(what);
  return id;
}

export function huaweiObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  return observabilityStack(scope, args, () => {
    const opts = { parent: scope.parent };
    const keyPolicyOf = args.storage.encryptionKeyId.apply(keyPolicy);
    const regionProject = iam
      .getProjects({ name: args.region }, opts)
      .apply((r) => requireId(r.projects?.[0]?.id, `IAM reports no project named ${args.region}`));
    return ({ signal, bucket }) => {
      const n = `${scope.name}-${signal.name}`;
      const user = new iam.User(
        `${n}-user`,
        {
          name: cutName(n, 32),
          description: `${signal.name}: the ${signal.bucket} bucket only`,
          accessType: "programmatic",
          enabled: true,
        },
        opts,
      );
      const group = new iam.Group(
        `${n}-group`,
        { name: cutName(n, 64), description: `${signal.name}: the ${signal.bucket} bucket only` },
        opts,
      );
      const membership = new iam.GroupMembership(
        `${n}-membership`,
        { group: group.id, users: [user.id] },
        opts,
      );
      const policies = POLICY_SCOPES.map(({ role, type }) => {
        const custom = new iam.Role(
          `${n}-${role}-policy`,
          {
            name: cutName(`${n}-${role}`, 64),
            description: `${signal.name}: ${role} access to its bucket`,
            type,
            policy: role === "obs" ? bucket.apply(bucketPolicy) : keyPolicyOf,
          },
          opts,
        );
        // AX (global services such as OBS) is granted in the account's domain; XA (project
        // services such as KMS) in the region's project, where the key lives.
        const where =
          type === "AX"
            ? {
                domainId: iam
                  .getCustomRole({ id: custom.id }, opts)
                  .apply((r) =>
                    requireId(r.domainId, `IAM reports no domain for the policy ${n}-${role}`),
                  ),
              }
            : { projectId: regionProject };
        return new iam.GroupRoleAssignment(
          `${n}-${role}-grant`,
          { groupId: group.id, roleId: custom.id, ...where },
          opts,
        );
      });
      const key = new iam.AccessKey(
        `${n}-key`,
        {
          userId: user.id,
          description: `${signal.name} S3 access`,
          secretFile: NO_SECRET_FILE,
          status: "active",
        },
        opts,
      );
      // Runs again only when a grant is replaced.
      const propagation = propagationWait(
        `${n}-iam-propagation`,
        IAM_PROPAGATION_SECONDS,
        policies.map((p) => p.id),
        { ...opts, dependsOn: [membership, ...policies] },
      );
      return {
        storage: bucket.apply((b) => ({
          kind: "s3" as const,
          bucket: b,
          region: args.region,
          endpoint: obsEndpoint(args.region),
        })),
        credentials: pulumi.secret(
          pulumi.all([key.id, key.secret]).apply(([accessKeyId, secretAccessKey]) => ({
            accessKeyId,
            secretAccessKey,
          })),
        ),
        dependsOn: [membership, ...policies, key, propagation],
      };
    };
  });
}
