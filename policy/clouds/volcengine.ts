/**
 * Volcengine rules, against the typed bindings in sdks/volcengine/ (provider v0.0.47), the shapes
 * providers/volcengine/ creates. TOS keeps default encryption in its own resource
 * (tos/bucketEncryption, joined to its bucket by `bucketName`).
 *
 * Not rules here, because the provider has no input the backend could set (providers/volcengine
 * headers): TLS to Redis (redis/instance has no in-transit encryption input; traffic stays in the
 * VPC, behind the allow-list and a password), a customer key for Kubernetes secrets (VKE
 * ClusterClusterConfig has no encryption field), encrypted node or CSI volumes (NodePool volumes
 * hold type and size only; the CSI driver reads `type` and `zone` only), a customer key on NAS
 * (nas/fileSystem has none), and bounded node pool updates (vke/nodePool has no surge or
 * unavailable setting; VKE upgrades pools its own way).
 */
import {
  ANYWHERE,
  configuring,
  expectAt,
  isSet,
  keyRotation,
  noIngressFromAnywhere,
} from "../checks";
import { CloudPolicies, OfficelessPolicy } from "../types";
import { eachKnown, valueAt } from "../views";

const BUCKET = "volcengine:tos/bucket:Bucket";
const BUCKET_ENCRYPTION = "volcengine:tos/bucketEncryption:BucketEncryption";
const CLUSTER = "volcengine:vke/cluster:Cluster";
const SG_RULE = "volcengine:vpc/securityGroupRule:SecurityGroupRule";
const REDIS = "volcengine:redis/instance:Instance";
const ALLOW_LIST = "volcengine:redis/allowList:AllowList";
const KEY = "volcengine:kms/key:Key";

/** The key form TOS SSE-KMS documents (tos_bucket_encryption `kms_master_key_id`). */
export const KEY_TRN = /^trn:kms:[^:]+:[^:]*:keyrings\/[^/]+\/keys\/[^/]+$/;

const buckets: OfficelessPolicy = {
  kind: "stack",
  name: "volcengine-tos-private-customer-key",
  description:
    "Every TOS bucket is private (publicAcl private) and has default SSE-KMS with a customer KMS key (volcengine:tos/bucketEncryption, sseAlgorithm kms with kmsMasterKeyId)",
  enforcementLevel: "mandatory",
  validate(stack, _context, report) {
    eachKnown(
      stack.resources.filter((r) => r.type === BUCKET),
      (b) => {
        const acl = b.props.publicAcl;
        if (acl !== undefined && acl !== "private")
          report(`bucket ${b.name} has publicAcl ${String(acl)}`, b.urn);
        const configs = configuring(
          stack.resources,
          BUCKET_ENCRYPTION,
          "bucketName",
          b,
          "bucketName",
        );
        if (!configs.length)
          report(`bucket ${b.name} has no server-side encryption configuration`, b.urn);
        for (const c of configs) {
          const rule = valueAt(c.props, "rule.applyServerSideEncryptionByDefault");
          const algorithm = valueAt(rule, "sseAlgorithm");
          if (algorithm !== "kms" || !isSet(valueAt(rule, "kmsMasterKeyId")))
            report(
              `bucket ${b.name} is not encrypted with a customer KMS key (${String(algorithm)})`,
              b.urn,
            );
        }
      },
    );
  },
};

const keyReferences: OfficelessPolicy = {
  kind: "resource",
  name: "volcengine-tos-key-trn",
  description:
    "TOS SSE-KMS names the key by its TRN (trn:kms:<region>:<account>:keyrings/<ring>/keys/<key>), the form tos_bucket_encryption documents, not a key id or a keyring",
  enforcementLevel: "mandatory",
  types: [BUCKET_ENCRYPTION],
  validate(r, _context, report) {
    const key = valueAt(r.props, "rule.applyServerSideEncryptionByDefault.kmsMasterKeyId");
    if (typeof key === "string" && !KEY_TRN.test(key))
      report(`rule.applyServerSideEncryptionByDefault.kmsMasterKeyId is not a key TRN (${key})`);
  },
};

const rotation = keyRotation("volcengine", KEY, "rotateState", "Enable");

const privateCluster: OfficelessPolicy = {
  kind: "resource",
  name: "volcengine-vke-private",
  description:
    "The VKE API server has no public endpoint (VKE offers no allow-list on one, so it would be open to all) and nodes get no public address by default",
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  validate(r, _context, report) {
    // clusterConfig is required to create a cluster: without it this is a read (`Cluster.get`),
    // whose settings are the cloud's state, not inputs of ours.
    if (r.props.clusterConfig === undefined) return;
    const no = (v: unknown) => v === false;
    expectAt(r, "clusterConfig.apiServerPublicAccessEnabled", no, "must be false", report);
    expectAt(r, "clusterConfig.resourcePublicAccessDefaultEnabled", no, "must be false", report);
  },
};

const noOpenIngress = noIngressFromAnywhere(
  "volcengine",
  "No security group rule admits traffic from the internet (0.0.0.0/0): nodes admit the VPC and the private networks only",
  [SG_RULE],
  (r) =>
    r.props.direction === "ingress" && r.props.policy !== "drop"
      ? [{ label: String(r.props.description ?? r.name), cidr: r.props.cidrIp }]
      : [],
);

const cache: OfficelessPolicy = {
  kind: "resource",
  name: "volcengine-redis-private-auth",
  description:
    "Redis requires its password inside the VPC (vpcAuthMode close) and its allow-lists never hold 0.0.0.0/0. No TLS rule: the provider has no in-transit encryption input",
  enforcementLevel: "mandatory",
  types: [REDIS, ALLOW_LIST],
  validate(r, _context, report) {
    if (r.type === REDIS)
      return expectAt(r, "vpcAuthMode", (v) => v === "close", "must be close", report);
    for (const cidr of (r.props.allowLists as unknown[] | undefined) ?? [])
      if (ANYWHERE.has(String(cidr)) || cidr === "0.0.0.0") report(`allowLists holds ${cidr}`);
  },
};

export const cloudPolicies: CloudPolicies = {
  cloud: "volcengine",
  // Also matched by the shared patterns; listed so this file says what holds data on Volcengine.
  stateful: [
    /^volcengine:(tos\/bucket:Bucket|nas\/fileSystem:FileSystem|redis\/instance:Instance|kms\/(key:Key|keyring:Keyring))$/,
  ],
  policies: [buckets, keyReferences, rotation, privateCluster, noOpenIngress, cache],
};
