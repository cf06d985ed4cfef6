/**
 * Alibaba Cloud rules, against @pulumi/alicloud v3's shapes as providers/alibaba/ creates them: OSS
 * keeps encryption on the bucket (`serverSideEncryptionRule`) but its ACL, public access block,
 * policy and logging in resources of their own (alicloud:oss/bucketAcl, ...), joined to the bucket
 * by its name (`bucket`).
 *
 * Key references: Alibaba KMS keys have no versions in their ids (a key id or alias is what ACK,
 * ECS disks, NAS, HBR, OSS and Tair take), so no versioned-reference rule; rotation is checked.
 */
import {
  ANYWHERE,
  configuring,
  exempt,
  EXEMPT_CONFIG,
  expectAt,
  isSet,
  isTrue,
  keyRotation,
} from "../checks";
import { CloudPolicies, OfficelessPolicy, ResourceView } from "../types";
import { eachKnown, valueAt } from "../views";

const BUCKET = "alicloud:oss/bucket:Bucket";
const BUCKET_ACL = "alicloud:oss/bucketAcl:BucketAcl";
const PUBLIC_ACCESS = "alicloud:oss/bucketPublicAccessBlock:BucketPublicAccessBlock";
const BUCKET_POLICY = "alicloud:oss/bucketPolicy:BucketPolicy";
const LOGGING = "alicloud:oss/bucketLogging:BucketLogging";
const CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes";
const NODE_POOL = "alicloud:cs/nodePool:NodePool";
const TAIR = "alicloud:redis/tairInstance:TairInstance";
const NAS = "alicloud:nas/fileSystem:FileSystem";
const HBR_VAULT = "alicloud:hbr/vault:Vault";
const KEY = "alicloud:kms/key:Key";

const PUBLIC_ACLS = /^public-read(-write)?$/;

/** Whether an OSS policy document denies every request that does not come over TLS. */
export function deniesPlainTransport(policy: unknown): boolean {
  if (typeof policy !== "string") return false;
  let doc: { Statement?: Record<string, unknown>[] };
  try {
    doc = JSON.parse(policy) as typeof doc;
  } catch {
    return false;
  }
  return (doc.Statement ?? []).some((s) => {
    const secure = valueAt(s, "Condition.Bool.acs:SecureTransport");
    const values = Array.isArray(secure) ? secure : [secure];
    return s.Effect === "Deny" && values.some((v) => String(v) === "false");
  });
}

const buckets: OfficelessPolicy = {
  kind: "stack",
  name: "alibaba-oss-private-customer-key",
  description:
    "Every OSS bucket is private (ACL private, public access blocked), accepts TLS only (a policy denying acs:SecureTransport false), and encrypts with a customer KMS key (sseAlgorithm KMS with kmsMasterKeyId); access-log targets keep OSS-managed AES256, as providers/alibaba/storage.ts explains",
  enforcementLevel: "mandatory",
  configSchema: { properties: EXEMPT_CONFIG([], "Buckets whose default key may be OSS's") },
  validate(stack, context, report) {
    const all = stack.resources;
    eachKnown(
      all.filter((r) => r.type === BUCKET),
      (b) => {
        const of = (type: string) => configuring(all, type, "bucket", b, "bucket");
        const say = (message: string) => report(`bucket ${b.name} ${message}`, b.urn);
        if (typeof b.props.acl === "string" && PUBLIC_ACLS.test(b.props.acl))
          say(`has the ACL ${b.props.acl}`);
        for (const acl of of(BUCKET_ACL))
          if (acl.props.acl !== "private") say(`has the ACL ${String(acl.props.acl)}`);
        const blocks = of(PUBLIC_ACCESS);
        if (!blocks.length) say("has no public access block");
        for (const block of blocks)
          if (!isTrue(block.props.blockPublicAccess)) say("does not block public access");
        if (!of(BUCKET_POLICY).some((p) => deniesPlainTransport(p.props.policy)))
          say("has no policy denying requests without TLS");
        if (exempt(context, b)) return;
        const algorithm = valueAt(b.props, "serverSideEncryptionRule.sseAlgorithm");
        const logTarget = configuring(all, LOGGING, "targetBucket", b, "bucket").length > 0;
        if (logTarget && algorithm === "AES256") return;
        if (
          algorithm !== "KMS" ||
          !isSet(valueAt(b.props, "serverSideEncryptionRule.kmsMasterKeyId"))
        )
          say(`is not encrypted with a customer KMS key (${String(algorithm)})`);
      },
    );
  },
};

const privateCluster: OfficelessPolicy = {
  kind: "resource",
  name: "alibaba-ack-private",
  description:
    "The ACK API server gets no internet load balancer (slbInternetEnabled false: the provider cannot manage an allow-list on one), Kubernetes Secrets are encrypted with a customer KMS key, and RRSA is on",
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  validate(r, _context, report) {
    // The provider creates the internet endpoint when the input is unset.
    expectAt(r, "slbInternetEnabled", (v) => v === false, "must be false", report);
    expectAt(r, "encryptionProviderKey", isSet, "must name a KMS key", report);
    // Pods get cloud identities through RRSA, not the node's RAM role.
    expectAt(r, "enableRrsa", isTrue, "must be true", report);
  },
};

const nodes: OfficelessPolicy = {
  kind: "resource",
  name: "alibaba-nodes-private-imdsv2",
  description:
    "Node pools give nodes no public bandwidth (no internetMaxBandwidthOut) and require metadata tokens (instanceMetadataOptions.httpTokens required)",
  enforcementLevel: "mandatory",
  types: [NODE_POOL],
  validate(r, _context, report) {
    const out = r.props.internetMaxBandwidthOut;
    if (out !== undefined && Number(out) > 0)
      report(`internetMaxBandwidthOut is ${String(out)}: nodes get a public address`);
    expectAt(
      r,
      "instanceMetadataOptions.httpTokens",
      (v) => v === "required",
      "must be required",
      report,
    );
  },
};

const nodeUpdates: OfficelessPolicy = {
  kind: "resource",
  name: "alibaba-node-updates-one-at-a-time",
  description:
    "Node pool rolling updates and managed upgrades or repairs take at most the configured number of nodes at once (rollingPolicy.maxParallelism, management.maxUnavailable)",
  enforcementLevel: "mandatory",
  types: [NODE_POOL],
  configSchema: {
    properties: { maxUnavailable: { type: "integer", default: 1, description: "Nodes at once" } },
  },
  validate(r, context, report) {
    const max = Number(context.config.maxUnavailable ?? 1);
    for (const path of ["rollingPolicy.maxParallelism", "management.maxUnavailable"]) {
      const n = valueAt(r.props, path);
      // Unset in management, ACK takes one node at a time; rollingPolicy must say it.
      if (n === undefined && path.startsWith("management")) continue;
      if (n === undefined || Number(n) > max)
        report(`${path} is ${String(n ?? "unset")}; at most ${max}`);
    }
  },
};

const cache: OfficelessPolicy = {
  kind: "resource",
  name: "alibaba-cache-tls-and-customer-key",
  description:
    "Tair takes TLS (sslEnabled Enable), encrypts with TDE under a customer KMS key, requires its password in the VPC (vpcAuthMode Open) and admits no 0.0.0.0/0",
  enforcementLevel: "mandatory",
  types: [TAIR],
  validate(r, _context, report) {
    expectAt(r, "sslEnabled", (v) => v === "Enable", "must be Enable", report);
    expectAt(
      r,
      "tdeStatus",
      (v) => String(v).toLowerCase() === "enabled",
      "must be enabled",
      report,
    );
    expectAt(r, "encryptionKey", isSet, "must name a KMS key", report);
    // Unset, the provider's default is Open (password required).
    expectAt(r, "vpcAuthMode", (v) => v === undefined || v === "Open", "must be Open", report);
    const ips = typeof r.props.securityIps === "string" ? r.props.securityIps.split(",") : [];
    for (const ip of ips)
      if (ANYWHERE.has(ip.trim()) || ip.trim() === "0.0.0.0") report(`securityIps holds ${ip}`);
  },
};

/** Where each type names its customer key (and how it says it is encrypted with it). */
function diskKey(r: ResourceView): [string, (v: unknown) => boolean, string][] {
  // A customer key (2) only on Extreme NAS; General-purpose NAS takes a NAS-managed KMS key (1)
  // (the provider's nas_file_system docs: "You can manage keys only when FileSystemType = extreme").
  if (r.type === NAS)
    return r.props.fileSystemType === "extreme"
      ? [
          ["encryptType", (v) => Number(v) === 2, "must be 2 (a customer KMS key) on Extreme NAS"],
          ["kmsKeyId", isSet, "must name a KMS key"],
        ]
      : [
          [
            "encryptType",
            (v) => Number(v) === 1,
            "must be 1 (a NAS-managed KMS key): 2 is Extreme NAS only",
          ],
        ];
  if (r.type === HBR_VAULT)
    return [
      ["encryptType", (v) => v === "KMS", "must be KMS"],
      ["kmsKeyId", isSet, "must name a KMS key"],
    ];
  return [
    ["systemDiskEncrypted", isTrue, "must be true"],
    ["systemDiskKmsKey", isSet, "must name a KMS key"],
  ];
}

const diskKeys: OfficelessPolicy = {
  kind: "resource",
  name: "alibaba-disks-customer-key",
  description:
    "HBR backup vaults and node system disks are encrypted with a customer KMS key; NAS with KMS (a customer key on Extreme NAS)",
  enforcementLevel: "mandatory",
  types: [NAS, HBR_VAULT, NODE_POOL],
  validate(r, _context, report) {
    for (const [path, ok, message] of diskKey(r)) expectAt(r, path, ok, message, report);
  },
};

export const cloudPolicies: CloudPolicies = {
  cloud: "alibaba",
  // Buckets, keys and NAS match the shared patterns.
  stateful: [
    /^alicloud:(redis\/tairInstance:TairInstance|hbr\/vault:Vault|log\/(project:Project|store:Store))$/,
  ],
  policies: [
    buckets,
    privateCluster,
    nodes,
    nodeUpdates,
    cache,
    diskKeys,
    keyRotation("alibaba", KEY, "automaticRotation", "Enabled"),
  ],
};
