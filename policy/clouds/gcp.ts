/** GCP rules, against @pulumi/gcp v9's shapes. */
import {
  ALLOW_PUBLIC_ENDPOINT,
  ANYWHERE,
  exempt,
  EXEMPT_CONFIG,
  expectAt,
  flag,
  isSet,
  isTrue,
} from "../checks";
import { CloudPolicies, OfficelessPolicy } from "../types";
import { valueAt } from "../views";

const BUCKET = "gcp:storage/bucket:Bucket";
const BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";
const BUCKET_BINDING = "gcp:storage/bucketIAMBinding:BucketIAMBinding";
const CLUSTER = "gcp:container/cluster:Cluster";
const NODE_POOL = "gcp:container/nodePool:NodePool";
const MEMORYSTORE = "gcp:memorystore/instance:Instance";
const REDIS = "gcp:redis/instance:Instance";
const FILESTORE = "gcp:filestore/instance:Instance";

const PUBLIC_MEMBERS = new Set(["allUsers", "allAuthenticatedUsers"]);

const buckets: OfficelessPolicy = {
  kind: "resource",
  name: "gcp-storage-private-customer-key",
  description:
    "Cloud Storage buckets enforce public access prevention and uniform access, encrypt with a customer Cloud KMS key, and grant nothing to allUsers",
  enforcementLevel: "mandatory",
  types: [BUCKET, BUCKET_MEMBER, BUCKET_BINDING],
  configSchema: { properties: EXEMPT_CONFIG([], "Buckets whose default key may be Google's") },
  validate(r, context, report) {
    if (r.type !== BUCKET) {
      const members = r.type === BUCKET_MEMBER ? [r.props.member] : (r.props.members as unknown[]);
      for (const m of members ?? [])
        if (PUBLIC_MEMBERS.has(String(m))) report(`grants ${String(r.props.role)} to ${String(m)}`);
      return;
    }
    expectAt(r, "publicAccessPrevention", (v) => v === "enforced", "must be enforced", report);
    expectAt(r, "uniformBucketLevelAccess", isTrue, "must be true", report);
    if (!exempt(context, r))
      expectAt(r, "encryption.defaultKmsKeyName", isSet, "must name a Cloud KMS key", report);
  },
};

const privateCluster: OfficelessPolicy = {
  kind: "resource",
  name: "gcp-gke-private",
  description:
    "GKE nodes are private, the control plane's endpoint is private unless allowed, authorized networks never include 0.0.0.0/0, and secrets in etcd are encrypted with a customer key",
  enforcementLevel: "mandatory",
  types: [CLUSTER, NODE_POOL],
  configSchema: {
    properties: ALLOW_PUBLIC_ENDPOINT("(the IP endpoint, still limited by authorized networks)"),
  },
  validate(r, context, report) {
    if (r.type === NODE_POOL)
      return expectAt(
        r,
        "networkConfig.enablePrivateNodes",
        (v) => v !== false,
        "must not be false",
        report,
      );
    expectAt(r, "privateClusterConfig.enablePrivateNodes", isTrue, "must be true", report);
    if (!flag(context, "allowPublicEndpoint"))
      expectAt(r, "privateClusterConfig.enablePrivateEndpoint", isTrue, "must be true", report);
    const blocks =
      (valueAt(r.props, "masterAuthorizedNetworksConfig.cidrBlocks") as
        Record<string, unknown>[] | undefined) ?? [];
    for (const b of blocks)
      if (ANYWHERE.has(String(b.cidrBlock)))
        report(`masterAuthorizedNetworksConfig allows ${String(b.cidrBlock)}`);
    expectAt(r, "databaseEncryption.state", (v) => v === "ENCRYPTED", "must be ENCRYPTED", report);
    expectAt(r, "databaseEncryption.keyName", isSet, "must name a Cloud KMS key", report);
  },
};

const nodeMetadata: OfficelessPolicy = {
  kind: "resource",
  name: "gcp-nodes-metadata-concealed",
  description:
    "Node pools serve pods the GKE metadata server (Workload Identity), not the node's credentials, and disable the legacy metadata endpoints",
  enforcementLevel: "mandatory",
  types: [NODE_POOL],
  validate(r, _context, report) {
    expectAt(
      r,
      "nodeConfig.workloadMetadataConfig.mode",
      (v) => v === "GKE_METADATA",
      "must be GKE_METADATA",
      report,
    );
    expectAt(
      r,
      "nodeConfig.metadata.disable-legacy-endpoints",
      (v) => v === undefined || v === "true",
      "must be true",
      report,
    );
  },
};

const nodeUpdates: OfficelessPolicy = {
  kind: "resource",
  name: "gcp-node-updates-one-at-a-time",
  description: "Surge upgrades add at most maxSurge nodes and take at most maxUnavailable down",
  enforcementLevel: "mandatory",
  types: [NODE_POOL],
  configSchema: {
    properties: {
      maxSurge: { type: "integer", default: 1, description: "Extra nodes at once" },
      maxUnavailable: { type: "integer", default: 0, description: "Nodes down at once" },
    },
  },
  validate(r, context, report) {
    const settings = r.props.upgradeSettings as Record<string, unknown> | undefined;
    // Blue-green replaces the pool in batches of its own policy; unset is GKE's surge 1, 0.
    if (!settings || settings.strategy === "BLUE_GREEN") return;
    const surge = Number(context.config.maxSurge ?? 1);
    const down = Number(context.config.maxUnavailable ?? 0);
    if (Number(settings.maxSurge ?? 1) > surge) report(`upgradeSettings.maxSurge is over ${surge}`);
    if (Number(settings.maxUnavailable ?? 0) > down)
      report(`upgradeSettings.maxUnavailable is over ${down}`);
  },
};

const cacheTls: OfficelessPolicy = {
  kind: "resource",
  name: "gcp-cache-tls-and-customer-key",
  description: "Memorystore requires TLS (server authentication) and encrypts with a customer key",
  enforcementLevel: "mandatory",
  types: [MEMORYSTORE, REDIS],
  validate(r, _context, report) {
    expectAt(
      r,
      "transitEncryptionMode",
      (v) => v === "SERVER_AUTHENTICATION",
      "must be SERVER_AUTHENTICATION",
      report,
    );
    expectAt(
      r,
      r.type === REDIS ? "customerManagedKey" : "kmsKey",
      isSet,
      "must name a Cloud KMS key",
      report,
    );
  },
};

const diskKeys: OfficelessPolicy = {
  kind: "resource",
  name: "gcp-disks-customer-key",
  description: "Filestore shares and node boot disks are encrypted with a customer Cloud KMS key",
  enforcementLevel: "mandatory",
  types: [FILESTORE, NODE_POOL],
  validate(r, _context, report) {
    const path = r.type === FILESTORE ? "kmsKeyName" : "nodeConfig.bootDiskKmsKey";
    expectAt(r, path, isSet, "must name a Cloud KMS key", report);
  },
};

/** Where GCP resources name a Cloud KMS key: each takes the key itself, never one of its versions. */
const KEY_INPUTS: Readonly<Record<string, readonly string[]>> = {
  [BUCKET]: ["encryption.defaultKmsKeyName"],
  [CLUSTER]: ["databaseEncryption.keyName"],
  [NODE_POOL]: ["nodeConfig.bootDiskKmsKey"],
  [MEMORYSTORE]: ["kmsKey"],
  [REDIS]: ["customerManagedKey"],
  [FILESTORE]: ["kmsKeyName"],
};

const keyReferences: OfficelessPolicy = {
  kind: "resource",
  name: "gcp-key-references-unversioned",
  description:
    "CMEK inputs name the Cloud KMS key (projects/.../cryptoKeys/<key>), the form Cloud Storage, GKE, Filestore and Memorystore document, never a key version, so they follow the key's rotation",
  enforcementLevel: "mandatory",
  types: Object.keys(KEY_INPUTS),
  validate(r, _context, report) {
    for (const path of KEY_INPUTS[r.type]) {
      const key = valueAt(r.props, path);
      if (typeof key === "string" && key.includes("/cryptoKeyVersions/"))
        report(`${path} names a key version (${key}): name the key`);
    }
  },
};

export const cloudPolicies: CloudPolicies = {
  cloud: "gcp",
  stateful: [],
  policies: [buckets, privateCluster, nodeMetadata, nodeUpdates, cacheTls, diskKeys, keyReferences],
};
