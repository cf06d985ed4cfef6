/** Alibaba Cloud rules, against @pulumi/alicloud 3.108's shapes. */
import {
  ALLOW_PUBLIC_ENDPOINT,
  exempt,
  EXEMPT_CONFIG,
  expectAt,
  flag,
  isSet,
  isTrue,
} from "../checks";
import { CloudPolicies, OfficelessPolicy } from "../types";

const BUCKET = "alicloud:oss/bucket:Bucket";
const CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes";
const NODE_POOL = "alicloud:cs/nodePool:NodePool";
const TAIR = "alicloud:redis/tairInstance:TairInstance";
const NAS = "alicloud:nas/fileSystem:FileSystem";

const buckets: OfficelessPolicy = {
  kind: "resource",
  name: "alibaba-oss-customer-key",
  description:
    "OSS buckets encrypt with a customer KMS key (SSE-KMS); the access-log bucket, which OSS writes as its own service, may keep OSS-managed keys",
  enforcementLevel: "mandatory",
  types: [BUCKET],
  configSchema: {
    properties: EXEMPT_CONFIG(["-access-logs$"], "Buckets whose key may be OSS-managed"),
  },
  validate(r, context, report) {
    if (exempt(context, r))
      return expectAt(r, "serverSideEncryptionRule.sseAlgorithm", isSet, "must be set", report);
    expectAt(r, "serverSideEncryptionRule.sseAlgorithm", (v) => v === "KMS", "must be KMS", report);
    expectAt(r, "serverSideEncryptionRule.kmsMasterKeyId", isSet, "must name a KMS key", report);
  },
};

const privateCluster: OfficelessPolicy = {
  kind: "resource",
  name: "alibaba-ack-private",
  description:
    "ACK clusters have no internet API endpoint unless allowed, encrypt Secrets with a KMS key and turn RRSA on",
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  configSchema: { properties: ALLOW_PUBLIC_ENDPOINT("(an internet-facing API server SLB)") },
  validate(r, context, report) {
    if (!flag(context, "allowPublicEndpoint"))
      expectAt(r, "slbInternetEnabled", (v) => v === false, "must be false", report);
    expectAt(r, "encryptionProviderKey", isSet, "must name a KMS key", report);
    expectAt(r, "enableRrsa", isTrue, "must be true", report);
  },
};

const nodePools: OfficelessPolicy = {
  kind: "resource",
  name: "alibaba-ack-node-pools",
  description:
    "ACK node pools encrypt system disks with a KMS key, allow IMDSv2 only, and update at most one node at a time",
  enforcementLevel: "mandatory",
  types: [NODE_POOL],
  validate(r, _context, report) {
    expectAt(r, "systemDiskEncrypted", isTrue, "must be true", report);
    expectAt(r, "systemDiskKmsKey", isSet, "must name a KMS key", report);
    expectAt(
      r,
      "instanceMetadataOptions.httpTokens",
      (v) => v === "required",
      "must be required",
      report,
    );
    expectAt(r, "management.maxUnavailable", (v) => v === 1, "must be 1", report);
  },
};

const dataAtRest: OfficelessPolicy = {
  kind: "resource",
  name: "alibaba-cache-and-files-encrypted",
  description:
    "Tair takes TLS and TDE with a KMS key; NAS file systems encrypt with a KMS key (a customer key on Extreme NAS)",
  enforcementLevel: "mandatory",
  types: [TAIR, NAS],
  validate(r, _context, report) {
    if (r.type === NAS) {
      // A customer key (2) only on Extreme NAS; General-purpose NAS takes a NAS-managed key (1)
      // (the provider's nas_file_system docs: "You can manage keys only when FileSystemType = extreme").
      const extreme = r.props.fileSystemType === "extreme";
      expectAt(
        r,
        "encryptType",
        (v) => (extreme ? v === 2 : v === 1),
        extreme
          ? "must be 2 (a KMS key of the account) on Extreme NAS"
          : "must be 1 (a NAS-managed KMS key): 2 is Extreme NAS only",
        report,
      );
      if (extreme) expectAt(r, "kmsKeyId", isSet, "must name a KMS key", report);
      return;
    }
    expectAt(r, "sslEnabled", (v) => v === "Enable", "must be Enable", report);
    expectAt(r, "tdeStatus", (v) => v === "enabled", "must be enabled", report);
    expectAt(r, "encryptionKey", isSet, "must name a KMS key", report);
  },
};

export const cloudPolicies: CloudPolicies = {
  cloud: "alibaba",
  // What the shared patterns miss: HBR vaults, Tair instances and SLS projects and logstores.
  stateful: [
    /alicloud:hbr\/vault:Vault$/,
    /alicloud:redis\/tairInstance:TairInstance$/,
    /alicloud:log\/(project:Project|store:Store)$/,
  ],
  policies: [buckets, privateCluster, nodePools, dataAtRest],
};
