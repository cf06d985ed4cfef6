/**
 * Azure facts that config validation needs without loading the SDK: the public-cloud regions that
 * have availability zones (zones are always named "1", "2", "3"; the platform needs zones in every
 * environment for zone-redundant IPs, disks and caches), which of them offer zone-redundant
 * Premium disks and file shares, and the rules Azure would enforce at deploy time.
 * Sovereign clouds (Azure Government, Azure operated by 21Vianet) have their own endpoints and are not listed.
 * Pure data: no `@pulumi/azure-native` import here.
 */
import { cidrContains, isIpv4 } from "../../components/cidr";
import type { VpnPeerConfig } from "../../components/types";
import type { Issue } from "../../components/validation";
import type { CloudCatalog, CloudConfigSections } from "../backend";

const ZONES = ["1", "2", "3"] as const;

/** Regions with availability zones (Microsoft's list of AZ regions, public cloud). */
export const AZURE_ZONE_REGIONS: readonly string[] = [
  // Americas
  "eastus",
  "eastus2",
  "centralus",
  "southcentralus",
  "westus2",
  "westus3",
  "canadacentral",
  "brazilsouth",
  "mexicocentral",
  // Europe
  "westeurope",
  "northeurope",
  "uksouth",
  "francecentral",
  "germanywestcentral",
  "swedencentral",
  "norwayeast",
  "switzerlandnorth",
  "polandcentral",
  "italynorth",
  "spaincentral",
  // Middle East and Africa
  "uaenorth",
  "qatarcentral",
  "israelcentral",
  "southafricanorth",
  // Asia Pacific
  "southeastasia",
  "eastasia",
  "australiaeast",
  "japaneast",
  "japanwest",
  "koreacentral",
  "centralindia",
  "newzealandnorth",
];

export const AZURE_CATALOG: CloudCatalog = {
  regions: Object.fromEntries(AZURE_ZONE_REGIONS.map((region) => [region, ZONES])),
  configIssues: (config) => azureConfigIssues(config),
  // AKS labels nodes `<region>-<zone>` (e.g. westeurope-1), not with the bare zone number.
  nodeZoneLabel: (region, zone) => `${region}-${zone}`,
  // Objects: geo-zone-redundant storage (the blob account's copy in the paired region). Backups:
  // Azure Backup for AKS copies out of the region only from its vault tier with Cross Region
  // Restore, which this backend does not build (it keeps operational-tier snapshots).
  crossRegionCopies: { objects: true, backups: false },
  // An internal Azure Load Balancer in the node subnet.
  privateLoadBalancerAnnotations: {
    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
  },
};

/**
 * Each zone region's pair, where geo-redundant storage (GZRS) keeps its copy: Azure chooses it,
 * per MicrosoftDocs/reliability-docs articles/reliability/regions-list.md (2025-09-23). Zone
 * regions absent here have no pair, so they offer no geo-redundant storage.
 */
export const AZURE_PAIRED_REGIONS: Readonly<Record<string, string>> = {
  eastus: "westus",
  eastus2: "centralus",
  centralus: "eastus2",
  southcentralus: "northcentralus",
  westus2: "westcentralus",
  westus3: "eastus",
  canadacentral: "canadaeast",
  brazilsouth: "southcentralus",
  westeurope: "northeurope",
  northeurope: "westeurope",
  uksouth: "ukwest",
  francecentral: "francesouth",
  germanywestcentral: "germanynorth",
  swedencentral: "swedensouth",
  norwayeast: "norwaywest",
  switzerlandnorth: "switzerlandwest",
  uaenorth: "uaecentral",
  southafricanorth: "southafricawest",
  southeastasia: "eastasia",
  eastasia: "southeastasia",
  australiaeast: "australiasoutheast",
  japaneast: "japanwest",
  japanwest: "japaneast",
  koreacentral: "koreasouth",
  centralindia: "southindia",
};

/** Regions where managed disks come as Premium_ZRS (replicated over three zones); elsewhere Premium_LRS. */
export const PREMIUM_ZRS_DISK_REGIONS: ReadonlySet<string> = new Set(
  AZURE_ZONE_REGIONS.filter((r) => r !== "japanwest"),
);

/** Regions where premium (FileStorage) accounts come as Premium_ZRS; elsewhere Premium_LRS. */
export const PREMIUM_ZRS_FILE_REGIONS: ReadonlySet<string> = new Set(
  AZURE_ZONE_REGIONS.filter(
    (r) => !["japanwest", "mexicocentral", "newzealandnorth", "spaincentral"].includes(r),
  ),
);

/** Log Analytics keeps PerGB2018 data 30-730 days. */
export const LOG_ANALYTICS_RETENTION = { min: 30, max: 730 } as const;
/** VNet flow logs keep 1-365 days in their storage account (0 would mean forever). */
export const FLOW_LOG_RETENTION = { min: 1, max: 365 } as const;
/** Azure Backup for AKS keeps operational-tier (snapshot) recovery points at most 360 days. */
export const AKS_BACKUP_MAX_RETENTION_DAYS = 360;

/**
 * Azure Backup schedules are ISO 8601 repeating intervals: a start time and a period, daily
 * (`P1D`) or every 4, 6, 8 or 12 hours for AKS, e.g. `R/2025-01-01T03:00:00+00:00/P1D`.
 */
export const AZURE_BACKUP_SCHEDULE =
  /^R\/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\+00:00|Z)\/(P1D|PT(4|6|8|12)H)$/;

/** Azure Managed Redis SKU families (`Balanced_B3`, `MemoryOptimized_M10`, ...). */
const MANAGED_REDIS_SKU = /^(Balanced_B|MemoryOptimized_M|ComputeOptimized_X|FlashOptimized_A)\d+$/;

/**
 * A cluster admin: an Entra ID object id (a GUID) with its kind, `user:<id>`, `group:<id>` or
 * `servicePrincipal:<id>`. The kind is required: a role assignment names its principal type, and
 * ARM refuses one that does not match the object (UnmatchedPrincipalType).
 */
export const ENTRA_PRINCIPAL =
  /^(user|group|servicePrincipal):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

const PRINCIPAL_TYPES = {
  user: "User",
  group: "Group",
  serviceprincipal: "ServicePrincipal",
} as const;

/** The object id and principal type of a valid `adminPrincipals` entry (see `ENTRA_PRINCIPAL`). */
export function entraPrincipal(entry: string): {
  principalId: string;
  principalType: "User" | "Group" | "ServicePrincipal";
} {
  const match = ENTRA_PRINCIPAL.exec(entry);
  if (!match)
    throw new Error(
      `"${entry}" is not user:, group: or servicePrincipal: followed by an Entra object id`,
    );
  return {
    principalId: match[2].toLowerCase(),
    principalType: PRINCIPAL_TYPES[match[1].toLowerCase() as keyof typeof PRINCIPAL_TYPES],
  };
}

/**
 * Link-local BGP addresses need APIPA addresses on the gateway too (169.254.21.0-169.254.22.255),
 * which the platform does not configure: a peer's address must come from outside this range.
 */
const LINK_LOCAL = "169.254.0.0/16";

/** ASNs Azure keeps for itself: a peer may not use them (VPN gateway docs). */
export const AZURE_RESERVED_ASNS: readonly number[] = [
  8074, 8075, 12076, 65515, 65516, 65517, 65518, 65519, 65520,
];

/**
 * What Azure itself would refuse at deploy time, caught before anything is created. Takes whichever
 * sections parsed; paths are relative to the config root like every other rule. The Azure backend
 * runs it too, so a component built without the config parser fails the same way.
 */
export function azureConfigIssues(config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const range = (
    path: string,
    days: number,
    { min, max }: { min: number; max: number },
    what: string,
  ) => {
    if (days < min || days > max)
      issues.push({ path, value: days, message: `${what} keeps ${min}-${max} days on Azure` });
  };
  if (config.network)
    range(
      "network.flowLogRetentionDays",
      config.network.flowLogRetentionDays,
      FLOW_LOG_RETENTION,
      "a VNet flow log",
    );
  if (config.kubernetes) {
    range(
      "kubernetes.logRetentionDays",
      config.kubernetes.logRetentionDays,
      LOG_ANALYTICS_RETENTION,
      "Log Analytics",
    );
    if (config.kubernetes.adminPrincipals.length === 0) {
      issues.push({
        path: "kubernetes.adminPrincipals",
        value: [],
        message:
          "needs at least one entry on Azure: local accounts are off, so only listed principals can use the cluster, " +
          "and the deploying identity is not added implicitly (its role assignment needs its kind, user or service " +
          "principal, which Azure does not report). List the identity that runs the later layers, e.g. " +
          "pulumi config set --path 'officeless:kubernetes.adminPrincipals[0]' servicePrincipal:<object id of your CI identity> " +
          "(az ad sp show --id <app id> --query id), or user:<object id> (az ad signed-in-user show --query id)",
      });
    }
    if (config.kubernetes.endpoint.dnsAccess) {
      issues.push({
        path: "kubernetes.endpoint.dnsAccess",
        value: true,
        message:
          "is GKE-only: AKS has no IAM-gated DNS endpoint. Reach the private endpoint from the VNet or a network in " +
          "kubernetes.endpoint.privateAccessCidrs (VPN, CI)",
      });
    }
    // The cluster is private for good: `enablePrivateCluster` cannot change on an existing cluster
    // (terraform-provider-azurerm: private_cluster_enabled ForceNew), and AKS authorized IP ranges
    // apply to a public endpoint only ("You can't use this feature with private clusters",
    // learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges). A public allow-list would
    // have to turn the endpoint public, and adding or removing it later would replace the cluster.
    if (config.kubernetes.endpoint.publicAccessCidrs.length > 0) {
      issues.push({
        path: "kubernetes.endpoint.publicAccessCidrs",
        value: config.kubernetes.endpoint.publicAccessCidrs,
        message:
          "must be empty on Azure: the AKS API endpoint is always private (AKS allow-lists only apply to a public endpoint, " +
          "and switching a cluster between private and public recreates it). Reach it from the VNet (a CI runner in the " +
          "VNet or a peered one), or over the site-to-site VPN with the office network in " +
          "kubernetes.endpoint.privateAccessCidrs",
      });
    }
    config.kubernetes.adminPrincipals.forEach((entry, i) => {
      if (!ENTRA_PRINCIPAL.test(entry)) {
        issues.push({
          path: `kubernetes.adminPrincipals[${i}]`,
          value: entry,
          message:
            "must be an Entra ID object id with its kind, user:<object id>, group:<object id> or servicePrincipal:<object id> " +
            "(the role assignment needs the kind), e.g. group:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0 " +
            "(az ad group show --group <name> --query id)",
        });
      }
    });
  }
  const replication = config.storage?.object.replication;
  if (replication?.enabled) issues.push(...replicationIssues(replication, config.region));
  if (config.backup?.enabled) {
    if (!AZURE_BACKUP_SCHEDULE.test(config.backup.schedule)) {
      issues.push({
        path: "backup.schedule",
        value: config.backup.schedule,
        message:
          'must be an ISO 8601 repeating interval in UTC, daily or every 4/6/8/12 hours, e.g. "R/2025-01-01T03:00:00+00:00/P1D"',
      });
    }
    if (config.backup.retentionDays > AKS_BACKUP_MAX_RETENTION_DAYS) {
      issues.push({
        path: "backup.retentionDays",
        value: config.backup.retentionDays,
        message: `Azure Backup for AKS keeps snapshots at most ${AKS_BACKUP_MAX_RETENTION_DAYS} days`,
      });
    }
  }
  if (config.cache?.enabled) {
    if (config.cache.nodeType !== undefined && !MANAGED_REDIS_SKU.test(config.cache.nodeType)) {
      issues.push({
        path: "cache.nodeType",
        value: config.cache.nodeType,
        message: 'must be an Azure Managed Redis SKU, e.g. "Balanced_B5" or "MemoryOptimized_M20"',
      });
    }
    if (config.cache.version !== undefined) {
      issues.push({
        path: "cache.version",
        value: config.cache.version,
        message: "Azure Managed Redis runs the Redis version Azure maintains; leave it unset",
      });
    }
  }
  if (config.vpn?.enabled) {
    config.vpn.peers.forEach((peer, i) => {
      if (peer.bgpAsn !== undefined && AZURE_RESERVED_ASNS.includes(peer.bgpAsn)) {
        issues.push({
          path: `vpn.peers[${i}].bgpAsn`,
          value: peer.bgpAsn,
          message: `is reserved by Azure (${AZURE_RESERVED_ASNS.join(", ")})`,
        });
      }
      issues.push(...bgpPeerAddressIssues(peer, i, config.network?.cidr));
    });
  }
  return issues;
}

/**
 * Object replication on Azure is geo-zone-redundant storage: the copy lives in the region's pair,
 * which Azure picks, so a configured region is refused rather than ignored, and a region without a
 * pair cannot have one.
 */
function replicationIssues(replication: { region?: string }, region: string | undefined): Issue[] {
  const issues: Issue[] = [];
  const paired = region === undefined ? undefined : AZURE_PAIRED_REGIONS[region];
  if (replication.region !== undefined) {
    issues.push({
      path: "storage.object.replication.region",
      value: replication.region,
      message:
        "cannot be chosen on Azure: the copy is geo-zone-redundant storage (GZRS), kept in the region's pair" +
        (paired ? ` (${paired} for ${region})` : "") +
        ", which Azure picks; remove the key",
    });
  }
  if (region !== undefined && AZURE_ZONE_REGIONS.includes(region) && paired === undefined) {
    issues.push({
      path: "storage.object.replication.enabled",
      value: true,
      message: `needs a paired region for geo-redundant storage, and ${region} has none; set it to false`,
    });
  }
  return issues;
}

/**
 * The local network gateway's BGP address: any IPv4 address but the device's public one (Azure
 * refuses that), outside the VNet (Azure routes it over the tunnel) and not link-local. Only a BGP
 * peer has one. A malformed address is the shared rules' to report.
 */
function bgpPeerAddressIssues(peer: VpnPeerConfig, i: number, networkCidr?: string): Issue[] {
  const address = peer.bgpPeerAddress;
  if (address === undefined || !isIpv4(address)) return [];
  const issue = (message: string): Issue[] => [
    { path: `vpn.peers[${i}].bgpPeerAddress`, value: address, message },
  ];
  if (peer.bgpAsn === undefined) {
    return issue(
      "is a BGP address, but this peer routes statically; set its bgpAsn too, or remove the address",
    );
  }
  if (address === peer.publicIp) {
    return issue(
      "must not be the device's public IP (Azure refuses it); use an address of the device inside the tunnel, e.g. a loopback",
    );
  }
  const inside = (cidr: string) => cidrContains(cidr, `${address}/32`);
  if (inside(LINK_LOCAL)) {
    return issue(
      "is link-local, which needs APIPA addresses on the Azure gateway (not configured here); use an address outside 169.254.0.0/16, e.g. a loopback of the device",
    );
  }
  if (networkCidr && inside(networkCidr)) {
    return issue(
      `is inside the platform network ${networkCidr}; Azure routes the BGP address over the tunnel, so it must be outside the VNet`,
    );
  }
  return [];
}
