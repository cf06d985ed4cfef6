/**
 * OCI rules, against @pulumi/oci v4's shapes as providers/oci/ creates them: encryption, access
 * type and versioning are inputs of the bucket itself; node pools keep their boot volume key and
 * cycling settings in `nodeConfigDetails` and `nodePoolCyclingDetails`.
 *
 * No cache TLS rule: OCI Cache serves TLS only and oci:Redis/redisCluster has no input that could
 * turn it off, nor one for a customer key (providers/oci/cache.ts).
 */
import {
  exempt,
  EXEMPT_CONFIG,
  expectAt,
  isSet,
  isTrue,
  noIngressFromAnywhere,
  notTrue,
} from "../checks";
import { CloudPolicies, OfficelessPolicy } from "../types";
import { valueAt } from "../views";

const BUCKET = "oci:ObjectStorage/bucket:Bucket";
const CLUSTER = "oci:ContainerEngine/cluster:Cluster";
const NODE_POOL = "oci:ContainerEngine/nodePool:NodePool";
const FILE_SYSTEM = "oci:FileStorage/fileSystem:FileSystem";
const SUBNET = "oci:Core/subnet:Subnet";
const NSG_RULE = "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule";
const SECURITY_LIST = "oci:Core/securityList:SecurityList";
const DEFAULT_SECURITY_LIST = "oci:Core/defaultSecurityList:DefaultSecurityList";

const buckets: OfficelessPolicy = {
  kind: "resource",
  name: "oci-bucket-private-versioned-customer-key",
  description:
    "Object Storage buckets allow no public access (accessType NoPublicAccess), keep versions and encrypt with a customer Vault key (kmsKeyId)",
  enforcementLevel: "mandatory",
  types: [BUCKET],
  configSchema: { properties: EXEMPT_CONFIG([], "Buckets whose key may be Oracle's") },
  validate(r, context, report) {
    // Unset, OCI makes the bucket NoPublicAccess.
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
    "The OKE API endpoint has no public IP (endpointConfig.isPublicIpEnabled not true) and Kubernetes secrets are encrypted with a customer Vault key",
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  validate(r, _context, report) {
    // Unset, OKE gives the endpoint no public IP.
    expectAt(r, "endpointConfig.isPublicIpEnabled", notTrue, "must not be true", report);
    expectAt(r, "kmsKeyId", isSet, "must name a Vault key", report);
  },
};

const privateSubnets: OfficelessPolicy = {
  kind: "resource",
  name: "oci-nodes-private",
  description:
    "Subnets refuse public IPs on VNICs (prohibitPublicIpOnVnic true), so no node, pod or cache gets one; only the load balancer tier may allow them",
  enforcementLevel: "mandatory",
  types: [SUBNET],
  configSchema: {
    properties: EXEMPT_CONFIG(
      ["-public$"],
      "Default: the network layer's load balancer subnet, which holds no node pool",
    ),
  },
  validate(r, context, report) {
    if (!exempt(context, r)) expectAt(r, "prohibitPublicIpOnVnic", isTrue, "must be true", report);
  },
};

/** ICMP "destination unreachable, fragmentation needed", which path MTU discovery needs from anywhere (OKE's documented node rules). */
const isPathMtu = (rule: Record<string, unknown>) =>
  String(rule.protocol) === "1" &&
  Number(valueAt(rule, "icmpOptions.type")) === 3 &&
  Number(valueAt(rule, "icmpOptions.code")) === 4;

const noOpenIngress = noIngressFromAnywhere(
  "oci",
  "No NSG or security list rule admits traffic from 0.0.0.0/0, except the ICMP path-MTU messages OKE documents",
  [NSG_RULE, SECURITY_LIST, DEFAULT_SECURITY_LIST],
  (r) => {
    const rules =
      r.type !== NSG_RULE
        ? ((r.props.ingressSecurityRules as Record<string, unknown>[] | undefined) ?? [])
        : r.props.direction === "INGRESS"
          ? [r.props as Record<string, unknown>]
          : [];
    return rules
      .filter((rule) => !isPathMtu(rule))
      .map((rule) => ({ label: String(rule.description ?? rule.protocol), cidr: rule.source }));
  },
);

const nodeUpdates: OfficelessPolicy = {
  kind: "resource",
  name: "oci-node-updates-one-at-a-time",
  description:
    "Node cycling adds at most maxSurge nodes (or maxSurgePercent of the pool) and takes at most maxUnavailable down at once (or maxUnavailablePercent)",
  enforcementLevel: "mandatory",
  types: [NODE_POOL],
  configSchema: {
    properties: {
      maxSurge: { type: "integer", default: 1, description: "Extra nodes at once" },
      maxUnavailable: { type: "integer", default: 0, description: "Nodes down at once" },
      // Percentages: the form OKE accepts at any pool size (a count must be within 0..size).
      maxSurgePercent: {
        type: "integer",
        default: 25,
        description: "Extra nodes at once, % of the pool",
      },
      maxUnavailablePercent: {
        type: "integer",
        default: 0,
        description: "Nodes down at once, % of the pool",
      },
    },
  },
  validate(r, context, report) {
    const cycling = r.props.nodePoolCyclingDetails as Record<string, unknown> | undefined;
    // Without cycling OKE replaces no node on its own.
    if (!cycling || !isTrue(cycling.isNodeCyclingEnabled)) return;
    const limits: [string, number, number][] = [
      [
        "maximumSurge",
        Number(context.config.maxSurge ?? 1),
        Number(context.config.maxSurgePercent ?? 25),
      ],
      [
        "maximumUnavailable",
        Number(context.config.maxUnavailable ?? 0),
        Number(context.config.maxUnavailablePercent ?? 0),
      ],
    ];
    for (const [key, max, maxPercent] of limits) {
      const v = cycling[key];
      // OKE's defaults when unset: surge 1, unavailable 0.
      if (v === undefined) continue;
      const percent = String(v).endsWith("%");
      const limit = percent ? maxPercent : max;
      if (Number(String(v).replace(/%$/, "")) > limit)
        report(
          `nodePoolCyclingDetails.${key} is ${String(v)}; at most ${limit}${percent ? "%" : ""}`,
        );
    }
  },
};

const diskKeys: OfficelessPolicy = {
  kind: "resource",
  name: "oci-disks-customer-key",
  description:
    "Node boot volumes and File Storage file systems are encrypted with a customer Vault key; node volumes are encrypted in transit too",
  enforcementLevel: "mandatory",
  types: [NODE_POOL, FILE_SYSTEM],
  validate(r, _context, report) {
    if (r.type === FILE_SYSTEM)
      return expectAt(r, "kmsKeyId", isSet, "must name a Vault key", report);
    expectAt(r, "nodeConfigDetails.kmsKeyId", isSet, "must name a Vault key", report);
    expectAt(r, "nodeConfigDetails.isPvEncryptionInTransitEnabled", isTrue, "must be true", report);
  },
};

/** Where OCI resources name a Vault key: each takes the key's OCID, never a key version's. */
const KEY_INPUTS: Readonly<Record<string, string>> = {
  [BUCKET]: "kmsKeyId",
  [CLUSTER]: "kmsKeyId",
  [NODE_POOL]: "nodeConfigDetails.kmsKeyId",
  [FILE_SYSTEM]: "kmsKeyId",
};

const keyReferences: OfficelessPolicy = {
  kind: "resource",
  name: "oci-key-references-unversioned",
  description:
    "kmsKeyId inputs name the Vault key (ocid1.key...), which OCI documents for them, never a key version (ocid1.keyversion...), so they follow the key's rotation",
  enforcementLevel: "mandatory",
  types: Object.keys(KEY_INPUTS),
  validate(r, _context, report) {
    const path = KEY_INPUTS[r.type];
    const key = valueAt(r.props, path);
    if (typeof key === "string" && key.startsWith("ocid1.keyversion."))
      report(`${path} names a key version (${key}): name the key`);
  },
};

export const cloudPolicies: CloudPolicies = {
  cloud: "oci",
  // Buckets, file systems and log groups match the shared patterns.
  stateful: [/^oci:(Kms\/(key:Key|vault:Vault)|Redis\/redisCluster:RedisCluster)$/],
  policies: [
    buckets,
    privateCluster,
    privateSubnets,
    noOpenIngress,
    nodeUpdates,
    diskKeys,
    keyReferences,
  ],
};
