/**
 * Pieces every Volcengine layer shares: tags in the provider's list form, physical names cut to
 * their limits, and the customer key (a KMS keyring and a symmetric key) that encrypts buckets.
 */
import * as pulumi from "@pulumi/pulumi";
import { cutName } from "../../components/names";
import { Scope, Tags } from "../../components/types";
import type { KubernetesOutputs } from "../../components/kubernetesCluster";
import type { NetworkOutputs } from "../../components/network";
import * as iam from "../../sdks/volcengine/iam";
import * as kms from "../../sdks/volcengine/kms";
import * as vke from "../../sdks/volcengine/vke";
import * as vpc from "../../sdks/volcengine/vpc";

/** Volcengine tags are a list of key/value pairs (every resource's `tags` input). */
export function volcTags(tags: Tags): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/**
 * Most Volcengine names (VPC, subnet, security group, NAT, EIP, CLB, VPN, NAS, Redis) take 1-128
 * characters; the tighter ones are cut where they are made (see policy/nameLimits.ts).
 */
export const MAX_NAME = 128;

/** `${scope.name}-${role}`, cut with a hash to `max` characters. */
export function nameOf(scope: Scope, role: string, max = MAX_NAME): string {
  return cutName(`${scope.name}-${role}`, max);
}

/**
 * KMS keyring and key names: 2-31 characters of letters, digits, `-` and `_` (kms_keyring
 * `keyring_name`, kms_key `key_name`, Volcengine KMS CreateKeyring/CreateKey).
 */
export const MAX_KMS_NAME = 31;

/** Days a deleted key waits before it is gone (kms_key `pending_window_in_days`, 7-30). */
export function pendingWindowDays(protect: boolean): number {
  return protect ? 30 : 7;
}

/** Rotation of every customer key, in days (kms_key `rotate_interval`, 90-2560). */
export const KEY_ROTATION_DAYS = 90;

export interface CustomerKey {
  readonly keyring: InstanceType<typeof kms.Keyring>;
  readonly key: InstanceType<typeof kms.Key>;
  /** `trn:kms:<region>:<account>:keyrings/<ring>/keys/<key>`: what TOS SSE-KMS takes. */
  readonly trn: pulumi.Output<string>;
}

/**
 * A keyring and a symmetric AES-256 key in it with yearly-quarter rotation, both protected in prod.
 * Names are fixed per stack (keyring and key names are ForceNew).
 */
export function customerKey(scope: Scope, role: string): CustomerKey {
  const opts = { parent: scope.parent, protect: scope.protect };
  const keyring = new kms.Keyring(
    `${scope.name}-${role}-keyring`,
    {
      keyringName: nameOf(scope, role, MAX_KMS_NAME),
      description: `${scope.name}: ${role} keys`,
    },
    opts,
  );
  const key = new kms.Key(
    `${scope.name}-${role}-key`,
    {
      keyringName: keyring.keyringName,
      keyName: nameOf(scope, `${role}-key`, MAX_KMS_NAME),
      keySpec: "SYMMETRIC_256",
      keyUsage: "ENCRYPT_DECRYPT",
      rotateState: "Enable",
      rotateInterval: KEY_ROTATION_DAYS,
      pendingWindowInDays: pendingWindowDays(scope.protect),
      description: `${scope.name}: ${role}`,
      tags: volcTags(scope.tags),
    },
    opts,
  );
  return { keyring, key, trn: key.trn };
}

/**
 * The private subnets' CIDRs, read from the subnets themselves: the network layer exports their
 * ids, and NAS permission rules and Redis allow-lists take CIDRs. A read creates and changes nothing.
 */
export function privateSubnetCidrs(
  scope: Scope,
  network: NetworkOutputs,
  zones: readonly string[],
): pulumi.Output<string>[] {
  return zones.map(
    (_, i) =>
      vpc.Subnet.get(
        `${scope.name}-private-${i}-read`,
        network.privateSubnetIds.apply((ids) => ids[i]),
        { parent: scope.parent },
      ).cidrBlock,
  );
}

/** IAM user and policy names: 1-64 characters (Volcengine IAM CreateUser / CreatePolicy). */
export const MAX_IAM_NAME = 64;

/**
 * What a scoped identity may do on its bucket: objects (read, write, delete, multipart), list the
 * bucket and its uploads, and read the bucket's settings (Tempo, Loki and Velero probe the bucket
 * at start); nothing that changes the bucket, its ACL or policy. KMS: the data keys of the storage
 * key, which encrypts the bucket (SSE-KMS).
 */
export const TOS_OBJECT_ACTIONS = [
  "tos:GetObject",
  "tos:PutObject",
  "tos:DeleteObject",
  "tos:AbortMultipartUpload",
  "tos:List*",
  "tos:GetBucket*",
  "tos:HeadBucket",
];
export const KMS_DATA_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"];

/** The policy document of a scoped identity: one bucket and the storage key only. */
export function bucketPolicy(bucket: string, keyTrn: string): string {
  return JSON.stringify({
    Statement: [
      {
        Effect: "Allow",
        Action: TOS_OBJECT_ACTIONS,
        Resource: [`trn:tos:::${bucket}`, `trn:tos:::${bucket}/*`],
      },
      { Effect: "Allow", Action: KMS_DATA_ACTIONS, Resource: [keyTrn] },
    ],
  });
}

export interface BucketUser {
  /** The access key pair, secret. */
  readonly credentials: pulumi.Output<{ accessKeyId: string; secretAccessKey: string }>;
  /** What must exist before the key works: the policy attached, the key active. */
  readonly ready: pulumi.Resource[];
}

/**
 * An IAM user whose only policy reads and writes one TOS bucket (and uses the key that encrypts
 * it), and an access key of it: for tools whose S3 clients take static keys only.
 */
export function bucketUser(
  scope: Scope,
  role: string,
  bucket: pulumi.Input<string>,
  keyTrn: pulumi.Input<string>,
  purpose: string,
): BucketUser {
  const opts = { parent: scope.parent };
  const user = new iam.User(
    `${scope.name}-${role}-user`,
    {
      userName: nameOf(scope, role, MAX_IAM_NAME),
      displayName: `${scope.name} ${role}`,
      description: purpose,
    },
    opts,
  );
  const policy = new iam.Policy(
    `${scope.name}-${role}-policy`,
    {
      policyName: nameOf(scope, `${role}-bucket`, MAX_IAM_NAME),
      description: purpose,
      policyDocument: pulumi.all([bucket, keyTrn]).apply(([b, key]) => bucketPolicy(b, key)),
    },
    opts,
  );
  const attachment = new iam.UserPolicyAttachment(
    `${scope.name}-${role}-policy-attachment`,
    { userName: user.userName, policyName: policy.policyName, policyType: "Custom" },
    opts,
  );
  const key = new iam.AccessKey(
    `${scope.name}-${role}-access-key`,
    { userName: user.userName, status: "active" },
    opts,
  );
  return {
    credentials: pulumi.secret(
      pulumi.all([key.id, key.secret]).apply(([accessKeyId, secretAccessKey]) => ({
        accessKeyId,
        secretAccessKey,
      })),
    ),
    ready: [attachment, key],
  };
}

/** TOS's S3-compatible endpoint inside the region (VPC-internal, virtual-hosted style only). */
export function tosS3Endpoint(region: string): string {
  return `tos-s3-${region}.ivolces.com`;
}

export { cidrLabel } from "../../components/cidr";

/**
 * A VKE add-on that runs on the cluster's nodes (`Unmanaged`, on `Node`s), at the version VKE
 * offers for the cluster at creation (`version` is ForceNew; VKE upgrades add-ons with the
 * cluster). Named `${scope.name}-${name}`. It waits for the kubeconfig, which the kubernetes layer
 * resolves only once the node pools exist: in a single stack the add-on's pods find nodes.
 */
export function nodeAddon(
  scope: Scope,
  name: string,
  kubernetes: Pick<KubernetesOutputs, "clusterId" | "kubeconfig">,
): InstanceType<typeof vke.Addon> {
  const clusterId = pulumi.unsecret(
    pulumi.all([kubernetes.clusterId, kubernetes.kubeconfig]).apply(([id]) => id),
  );
  return new vke.Addon(
    `${scope.name}-${name}`,
    { clusterId, name, deployMode: "Unmanaged", deployNodeType: "Node" },
    { parent: scope.parent },
  );
}
