/** Azure rules, against @pulumi/azure-native v3's shapes. */
import {
  ALLOW_PUBLIC_ENDPOINT,
  exempt,
  EXEMPT_CONFIG,
  expectAt,
  isSet,
  isTrue,
  notTrue,
  checkPublicEndpoint,
} from "../checks";
import { CloudPolicies, OfficelessPolicy, ResourceView } from "../types";
import { valueAt } from "../views";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const POOL = "azure-native:containerservice:AgentPool";
const DES = "azure-native:compute:DiskEncryptionSet";
const ACCOUNT = "azure-native:storage:StorageAccount";
const CONTAINER = "azure-native:storage:BlobContainer";
const REDIS = "azure-native:redisenterprise:RedisEnterprise";
const REDIS_DB = "azure-native:redisenterprise:Database";

/** A Key Vault key URL: `https://<vault>.vault.azure.net/keys/<name>[/<version>]`. */
export const KEY_URL = /^https:\/\/[^/]+\.vault\.azure\.net\/keys\/([^/]+)(\/[^/]+)?\/?$/;
export const hasKeyVersion = (url: string) => Boolean(KEY_URL.exec(url)?.[2]);

/**
 * Inputs whose API requires a versioned key URL (azure-rest-api-specs: DiskEncryptionSet
 * activeKey, RedisEnterprise encryption, ManagedCluster azureKeyVaultKms): an unversioned one is
 * refused at create.
 */
export const MUST_BE_VERSIONED: Readonly<Record<string, string>> = {
  [DES]: "activeKey.keyUrl",
  [REDIS]: "encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl",
  [CLUSTER]: "securityProfile.azureKeyVaultKms.keyId",
};

/** A pool's settings: an AgentPool's own, or each inline pool of a ManagedCluster. */
function poolsOf(r: ResourceView): Record<string, unknown>[] {
  if (r.type === POOL) return [r.props as Record<string, unknown>];
  return (r.props.agentPoolProfiles as Record<string, unknown>[] | undefined) ?? [];
}

const versionedKeys: OfficelessPolicy = {
  kind: "resource",
  name: "azure-versioned-key-references",
  description:
    "Disk encryption sets, Redis Enterprise and AKS KMS name a Key Vault key with its version, which their APIs require",
  enforcementLevel: "mandatory",
  types: Object.keys(MUST_BE_VERSIONED),
  validate(r, _context, report) {
    const url = valueAt(r.props, MUST_BE_VERSIONED[r.type]);
    if (url === undefined) return;
    if (typeof url !== "string" || !hasKeyVersion(url))
      report(
        `${MUST_BE_VERSIONED[r.type]} must be a versioned Key Vault key URL (is ${String(url)})`,
      );
  },
};

const storage: OfficelessPolicy = {
  kind: "resource",
  name: "azure-storage-private-customer-key",
  description:
    "Storage accounts allow no public blob access, only HTTPS with TLS 1.2, deny network access by default, and encrypt with a customer key from Key Vault; containers are never public",
  enforcementLevel: "mandatory",
  types: [ACCOUNT, CONTAINER],
  configSchema: {
    properties: EXEMPT_CONFIG(
      ["-flow-logs$"],
      "Default: the network layer's flow-log account, whose layer holds no Key Vault (platform-managed keys with infrastructure double encryption)",
    ),
  },
  validate(r, context, report) {
    if (r.type === CONTAINER)
      return expectAt(
        r,
        "publicAccess",
        (v) => v === undefined || v === "None",
        "must be None",
        report,
      );
    expectAt(r, "allowBlobPublicAccess", (v) => v === false, "must be false", report);
    // NFS shares have no TLS and Azure refuses them on HTTPS-only accounts: a FileStorage account
    // may allow plain traffic when it is reachable only through its private endpoint.
    const nfs = r.props.kind === "FileStorage" && r.props.publicNetworkAccess === "Disabled";
    if (!nfs)
      expectAt(r, "enableHttpsTrafficOnly", (v) => v !== false, "must not be false", report);
    expectAt(
      r,
      "minimumTlsVersion",
      (v) => v === "TLS1_2" || v === "TLS1_3",
      "must be TLS1_2 or later",
      report,
    );
    expectAt(r, "networkRuleSet.defaultAction", (v) => v === "Deny", "must be Deny", report);
    if (!exempt(context, r))
      expectAt(
        r,
        "encryption.keySource",
        (v) => v === "Microsoft.Keyvault",
        "must be Microsoft.Keyvault",
        report,
      );
  },
};

const privateCluster: OfficelessPolicy = {
  kind: "resource",
  name: "azure-aks-private",
  description:
    "The AKS API server is private unless allowed (then limited to authorized ranges, never 0.0.0.0/0), etcd is encrypted with Key Vault KMS, and no node has a public IP",
  enforcementLevel: "mandatory",
  types: [CLUSTER, POOL],
  configSchema: {
    properties: ALLOW_PUBLIC_ENDPOINT("limited to apiServerAccessProfile.authorizedIPRanges"),
  },
  validate(r, context, report) {
    const pools = poolsOf(r);
    pools.forEach((p, i) => {
      if (!notTrue(p.enableNodePublicIP))
        report(
          `${r.type === POOL ? "" : `agentPoolProfiles.${i}.`}enableNodePublicIP must not be true`,
        );
    });
    if (r.type === POOL) return;
    expectAt(r, "securityProfile.azureKeyVaultKms.enabled", isTrue, "must be true", report);
    if (isTrue(valueAt(r.props, "apiServerAccessProfile.enablePrivateCluster"))) return;
    checkPublicEndpoint(r, context, report, {
      cidrsPath: "apiServerAccessProfile.authorizedIPRanges",
      disable: "apiServerAccessProfile.enablePrivateCluster must be true",
    });
  },
};

const nodeUpdates: OfficelessPolicy = {
  kind: "resource",
  name: "azure-node-updates-one-at-a-time",
  description:
    "Node pool upgrades surge new nodes before draining old ones: maxUnavailable at most the configured count (AKS default 0)",
  enforcementLevel: "mandatory",
  types: [POOL, CLUSTER],
  configSchema: {
    properties: {
      maxUnavailable: { type: "integer", default: 0, description: "Nodes down at once" },
    },
  },
  validate(r, context, report) {
    const max = Number(context.config.maxUnavailable ?? 0);
    const pools = poolsOf(r);
    pools.forEach((p, i) => {
      const n = valueAt(p, "upgradeSettings.maxUnavailable");
      // A percentage or a count; unset is AKS's 0.
      if (n === undefined || n === "0" || n === 0) return;
      if (String(n).endsWith("%") || Number(n) > max)
        report(
          `${r.type === POOL ? "" : `agentPoolProfiles.${i}.`}upgradeSettings.maxUnavailable is ${String(n)}; at most ${max}`,
        );
    });
  },
};

const cacheTls: OfficelessPolicy = {
  kind: "resource",
  name: "azure-cache-tls-and-customer-key",
  description:
    "Redis Enterprise takes TLS 1.2+ connections only, without public network access, and in prod encrypts with a customer key",
  enforcementLevel: "mandatory",
  types: [REDIS, REDIS_DB],
  validate(r, context, report) {
    if (r.type === REDIS_DB)
      return expectAt(
        r,
        "clientProtocol",
        (v) => v === undefined || v === "Encrypted",
        "must be Encrypted",
        report,
      );
    expectAt(r, "minimumTlsVersion", (v) => v === undefined || v === "1.2", "must be 1.2", report);
    expectAt(r, "publicNetworkAccess", (v) => v === "Disabled", "must be Disabled", report);
    if (context.environment === "prod")
      expectAt(
        r,
        "encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl",
        isSet,
        "must name a Key Vault key in prod",
        report,
      );
  },
};

export const cloudPolicies: CloudPolicies = {
  cloud: "azure",
  stateful: [],
  policies: [versionedKeys, storage, privateCluster, nodeUpdates, cacheTls],
};
