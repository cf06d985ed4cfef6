/**
 * Huawei Cloud rules, against the typed bindings in sdks/huaweicloud/ (pulumi-huaweicloud 0.0.11),
 * the shapes providers/huawei/ creates: OBS keeps ACL and encryption on the bucket.
 *
 * Not rules here, because the provider has no input the backend could set (providers/huawei
 * headers): KMS encryption of Secrets in etcd (Cce/cluster takes no key), bounded node pool
 * updates (Cce/nodePool has no surge or unavailable setting), a customer key for DCS or CBR vaults
 * (neither takes one), and public addresses of nodes (Cce/nodePool has no such input: nodes sit in
 * the private subnets). KMS key ids carry no version, so no versioned-reference rule.
 */
import {
  ANYWHERE,
  exempt,
  EXEMPT_CONFIG,
  expectAt,
  isSet,
  isTrue,
  keyRotation,
  noIngressFromAnywhere,
} from "../checks";
import { CloudPolicies, OfficelessPolicy } from "../types";

const BUCKET = "huaweicloud:Obs/bucket:Bucket";
const CLUSTER = "huaweicloud:Cce/cluster:Cluster";
const NODE_POOL = "huaweicloud:Cce/nodePool:NodePool";
const DCS = "huaweicloud:Dcs/instance:Instance";
const SFS_TURBO = "huaweicloud:Sfs/turbo:Turbo";
const SG_RULE = "huaweicloud:Vpc/secgroupRule:SecgroupRule";
const KEY = "huaweicloud:Dew/key:Key";

const buckets: OfficelessPolicy = {
  kind: "resource",
  name: "huawei-obs-private-customer-key",
  description:
    "OBS buckets are private (acl private) and encrypt with a customer KMS key (encryption true, sseAlgorithm kms, kmsKeyId)",
  enforcementLevel: "mandatory",
  types: [BUCKET],
  configSchema: { properties: EXEMPT_CONFIG([], "Buckets whose key may be OBS's") },
  validate(r, context, report) {
    // Unset, OBS makes the bucket private.
    expectAt(r, "acl", (v) => v === undefined || v === "private", "must be private", report);
    if (exempt(context, r)) return;
    expectAt(r, "encryption", isTrue, "must be true", report);
    expectAt(r, "sseAlgorithm", (v) => v === "kms", "must be kms", report);
    expectAt(r, "kmsKeyId", isSet, "must name a KMS key", report);
  },
};

const privateCluster: OfficelessPolicy = {
  kind: "resource",
  name: "huawei-cce-private",
  description:
    "The CCE API server gets no public address (no eip: the provider has no allow-list for one)",
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  validate(r, _context, report) {
    expectAt(r, "eip", (v) => v === undefined || v === "", "must be unset", report);
  },
};

const diskKeys: OfficelessPolicy = {
  kind: "resource",
  name: "huawei-disks-customer-key",
  description:
    "Node root and data volumes and SFS Turbo file systems are encrypted with a customer KMS key",
  enforcementLevel: "mandatory",
  types: [NODE_POOL, SFS_TURBO],
  validate(r, _context, report) {
    if (r.type === SFS_TURBO)
      return expectAt(r, "cryptKeyId", isSet, "must name a KMS key", report);
    expectAt(r, "rootVolume.kmsKeyId", isSet, "must name a KMS key", report);
    const data = (r.props.dataVolumes as Record<string, unknown>[] | undefined) ?? [];
    data.forEach((d, i) => {
      if (!isSet(d.kmsKeyId)) report(`dataVolumes.${i}.kmsKeyId must name a KMS key`);
    });
  },
};

const cache: OfficelessPolicy = {
  kind: "resource",
  name: "huawei-cache-tls-whitelist",
  description:
    "DCS Redis takes TLS (sslEnable true) and admits clients through an enabled whitelist that never holds 0.0.0.0/0 (DCS Redis 4.0+ has no security groups)",
  enforcementLevel: "mandatory",
  types: [DCS],
  validate(r, _context, report) {
    expectAt(r, "sslEnable", isTrue, "must be true", report);
    expectAt(r, "whitelistEnable", isTrue, "must be true", report);
    const groups = (r.props.whitelists as Record<string, unknown>[] | undefined) ?? [];
    for (const g of groups)
      for (const ip of (g.ipAddresses as unknown[] | undefined) ?? [])
        if (ANYWHERE.has(String(ip)))
          report(`whitelist ${String(g.groupName)} holds ${String(ip)}`);
  },
};

const noOpenIngress = noIngressFromAnywhere(
  "huawei",
  "No security group rule admits traffic from 0.0.0.0/0 (the VPN gateway admits its peers' addresses only)",
  [SG_RULE],
  (r) =>
    r.props.direction === "ingress" && r.props.action !== "deny"
      ? [{ label: String(r.props.description ?? r.name), cidr: r.props.remoteIpPrefix }]
      : [],
);

export const cloudPolicies: CloudPolicies = {
  cloud: "huawei",
  // Buckets match the shared patterns.
  stateful: [
    /^huaweicloud:(Dew\/key:Key|Dcs\/instance:Instance|Sfs\/turbo:Turbo|Cbr\/vault:Vault|Lts\/group:Group)$/,
  ],
  policies: [
    buckets,
    privateCluster,
    diskKeys,
    cache,
    noOpenIngress,
    keyRotation("huawei", KEY, "rotationEnabled", true),
  ],
};
