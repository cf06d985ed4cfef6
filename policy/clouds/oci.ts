/** OCI rules, against @pulumi/oci 4.20's shapes. */
import { ANYWHERE, exempt, EXEMPT_CONFIG, expectAt, isSet, isTrue } from "../checks";
import { CloudPolicies, OfficelessPolicy } from "../types";
import { valueAt } from "../views";

const BUCKET = "oci:ObjectStorage/bucket:Bucket";
const CLUSTER = "oci:ContainerEngine/cluster:Cluster";
const NODE_POOL = "oci:ContainerEngine/nodePool:NodePool";
const FILE_SYSTEM = "oci:FileStorage/fileSystem:FileSystem";
const NSG_RULE = "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule";
const SECURITY_LIST = "oci:Core/securityList:SecurityList";

const buckets: OfficelessPolicy = {
  kind: "resource",
  name: "oci-bucket-private-versioned-customer-key",
  description:
    "Object Storage buckets allow no public access, keep versions and encrypt with a Vault key",
  enforcementLevel: "mandatory",
  types: [BUCKET],
  configSchema: { properties: EXEMPT_CONFIG([], "Buckets whose key may be Oracle's") },
  validate(r, context, report) {
    expectAt(
      r,
      "accessType",
      (v) => v === undefined || v === "NoPublicAccess",
      "must be NoPublicAccess",
      report,
    );
    expectAt(r, "versioning", (v) => v === "Enabled", "must be Enabled", report);
    if (!exempt(context, r)) expectAt(r, "kmsKeyId", isSet, "must name a Vault key", report);
  },
};

const privateCluster: OfficelessPolicy = {
  kind: "resource",
  name: "oci-oke-private",
  description:
    "OKE clusters have no public API endpoint and encrypt secrets with a Vault key; node pools encrypt boot volumes with a Vault key and attached volumes in transit",
  enforcementLevel: "mandatory",
  types: [CLUSTER, NODE_POOL],
  validate(r, _context, report) {
    if (r.type === CLUSTER) {
      expectAt(
        r,
        "endpointConfig.isPublicIpEnabled",
        (v) => v !== true && v !== "true",
        "must not be true",
        report,
      );
      expectAt(r, "kmsKeyId", isSet, "must name a Vault key", report);
      return;
    }
    expectAt(r, "nodeConfigDetails.kmsKeyId", isSet, "must name a Vault key", report);
    expectAt(r, "nodeConfigDetails.isPvEncryptionInTransitEnabled", isTrue, "must be true", report);
  },
};

const fileSystems: OfficelessPolicy = {
  kind: "resource",
  name: "oci-file-storage-customer-key",
  description: "File Storage file systems encrypt with a Vault key",
  enforcementLevel: "mandatory",
  types: [FILE_SYSTEM],
  validate(r, _context, report) {
    expectAt(r, "kmsKeyId", isSet, "must name a Vault key", report);
  },
};

const noOpenIngress: OfficelessPolicy = {
  kind: "resource",
  name: "oci-no-ingress-from-anywhere",
  description:
    "NSG rules and security lists admit nothing but path-MTU ICMP from 0.0.0.0/0 (load balancers are private by default)",
  enforcementLevel: "mandatory",
  types: [NSG_RULE, SECURITY_LIST],
  validate(r, _context, report) {
    // ICMP type 3 (destination unreachable) is what path-MTU discovery needs from anywhere.
    const icmpOnly = (rule: Record<string, unknown>) =>
      rule.protocol === "1" && valueAt(rule, "icmpOptions.type") === 3;
    if (r.type === NSG_RULE) {
      if (
        r.props.direction === "INGRESS" &&
        ANYWHERE.has(String(r.props.source)) &&
        !icmpOnly(r.props as Record<string, unknown>)
      )
        report(`admits protocol ${String(r.props.protocol)} from ${String(r.props.source)}`);
      return;
    }
    for (const rule of (r.props.ingressSecurityRules as Record<string, unknown>[] | undefined) ??
      [])
      if (ANYWHERE.has(String(rule.source)) && !icmpOnly(rule))
        report(
          `ingressSecurityRules admits protocol ${String(rule.protocol)} from ${String(rule.source)}`,
        );
  },
};

export const cloudPolicies: CloudPolicies = {
  cloud: "oci",
  // Vaults, keys, buckets, file systems and log groups are in the shared list; these are OCI's own.
  stateful: [/^oci:Kms\/(vault:Vault|key:Key)$/, /^oci:Redis\/redisCluster:RedisCluster$/],
  policies: [buckets, privateCluster, fileSystems, noOpenIngress],
};
