/**
 * GCP facts that config validation needs without loading the SDK: the main regions and their zone
 * names, and the rules Google Cloud would enforce at deploy time. Zone letters are not contiguous
 * (us-central1 has a, b, c and f; europe-west1 has b, c and d): every zone a project can use is
 * listed, so a valid zone is never rejected. AI and sovereign-only zones are left out.
 * Pure data: no `@pulumi/gcp` import here.
 */
import type { PlatformConfig } from "../../components/types";
import type { Issue } from "../../components/validation";
import type { CloudCatalog } from "../backend";

/** `region-` + letters, e.g. `zonesOf("europe-west1", "bcd")` = europe-west1-b, -c, -d. */
function zonesOf(region: string, letters: string): readonly string[] {
  return [...letters].map((letter) => `${region}-${letter}`);
}

export const GCP_CATALOG: CloudCatalog = {
  configIssues: (config) => gcpConfigIssues(config),
  regions: {
    // North America
    "us-central1": zonesOf("us-central1", "abcf"),
    "us-east1": zonesOf("us-east1", "bcd"),
    "us-east4": zonesOf("us-east4", "abc"),
    "us-east5": zonesOf("us-east5", "abc"),
    "us-south1": zonesOf("us-south1", "abc"),
    "us-west1": zonesOf("us-west1", "abc"),
    "us-west2": zonesOf("us-west2", "abc"),
    "us-west3": zonesOf("us-west3", "abc"),
    "us-west4": zonesOf("us-west4", "abc"),
    "northamerica-northeast1": zonesOf("northamerica-northeast1", "abc"),
    "northamerica-northeast2": zonesOf("northamerica-northeast2", "abc"),
    "northamerica-south1": zonesOf("northamerica-south1", "abc"),
    // South America
    "southamerica-east1": zonesOf("southamerica-east1", "abc"),
    "southamerica-west1": zonesOf("southamerica-west1", "abc"),
    // Europe
    "europe-west1": zonesOf("europe-west1", "bcd"),
    "europe-west2": zonesOf("europe-west2", "abc"),
    "europe-west3": zonesOf("europe-west3", "abc"),
    "europe-west4": zonesOf("europe-west4", "abc"),
    "europe-west6": zonesOf("europe-west6", "abc"),
    "europe-west8": zonesOf("europe-west8", "abc"),
    "europe-west9": zonesOf("europe-west9", "abc"),
    "europe-west10": zonesOf("europe-west10", "abc"),
    "europe-west12": zonesOf("europe-west12", "abc"),
    "europe-central2": zonesOf("europe-central2", "abc"),
    "europe-north1": zonesOf("europe-north1", "abc"),
    "europe-north2": zonesOf("europe-north2", "abc"),
    "europe-southwest1": zonesOf("europe-southwest1", "abc"),
    // Middle East and Africa
    "me-central1": zonesOf("me-central1", "abc"),
    "me-central2": zonesOf("me-central2", "abc"),
    "me-west1": zonesOf("me-west1", "abc"),
    "africa-south1": zonesOf("africa-south1", "abc"),
    // Asia Pacific
    "asia-east1": zonesOf("asia-east1", "abc"),
    "asia-east2": zonesOf("asia-east2", "abc"),
    "asia-northeast1": zonesOf("asia-northeast1", "abc"),
    "asia-northeast2": zonesOf("asia-northeast2", "abc"),
    "asia-northeast3": zonesOf("asia-northeast3", "abc"),
    "asia-south1": zonesOf("asia-south1", "abc"),
    "asia-south2": zonesOf("asia-south2", "abc"),
    "asia-southeast1": zonesOf("asia-southeast1", "abc"),
    "asia-southeast2": zonesOf("asia-southeast2", "abc"),
    "australia-southeast1": zonesOf("australia-southeast1", "abc"),
    "australia-southeast2": zonesOf("australia-southeast2", "abc"),
  },
};

/** Cloud Logging buckets keep logs 1 to 3650 days. */
export const MAX_LOG_RETENTION_DAYS = 3650;

/** Memorystore for Valkey node types (`nodeType`), smallest first. */
export const VALKEY_NODE_TYPES: readonly string[] = [
  "SHARED_CORE_NANO",
  "STANDARD_SMALL",
  "HIGHMEM_MEDIUM",
  "HIGHMEM_XLARGE",
];

/** A five-field Unix cron (minute hour day-of-month month day-of-week), as Backup for GKE takes. */
export const UNIX_CRON = /^\S+( \S+){4}$/;
/** The AWS form the shared default uses, `cron(0 3 * * ? *)`; the GCP backend converts it. */
export const AWS_CRON = /^cron\((\S+( \S+){5})\)$/;

type Sections = Partial<Pick<PlatformConfig, "network" | "kubernetes" | "backup" | "cache">>;

/**
 * What Google Cloud would refuse at deploy time, caught before anything is created. Paths are
 * relative to the config root. Used by the backend's own checks; programs/config.ts can call it for
 * `cloud: gcp` the way it calls `awsConfigIssues`.
 */
export function gcpConfigIssues(config: Sections): Issue[] {
  const issues: Issue[] = [];
  const retention = (path: string, days: number) => {
    if (days > MAX_LOG_RETENTION_DAYS) {
      issues.push({ path, value: days, message: `Cloud Logging keeps logs at most ${MAX_LOG_RETENTION_DAYS} days` });
    }
  };
  if (config.network) retention("network.flowLogRetentionDays", config.network.flowLogRetentionDays);
  if (config.kubernetes) {
    retention("kubernetes.logRetentionDays", config.kubernetes.logRetentionDays);
    if (config.kubernetes.adminPrincipals.length > 0) {
      issues.push({
        path: "kubernetes.adminPrincipals",
        value: config.kubernetes.adminPrincipals,
        message: "lists AWS IAM ARNs, which mean nothing to GKE; grant roles/container.clusterAdmin in Google Cloud IAM instead and leave this empty",
      });
    }
  }
  if (config.backup && !UNIX_CRON.test(config.backup.schedule) && !AWS_CRON.test(config.backup.schedule)) {
    issues.push({ path: "backup.schedule", value: config.backup.schedule, message: 'must be a five-field cron expression, e.g. "0 3 * * *"' });
  }
  const cache = config.cache;
  if (cache?.enabled && cache.nodeType !== undefined) {
    if (cache.engine === "redis") {
      issues.push({ path: "cache.nodeType", value: cache.nodeType, message: "Memorystore for Redis is sized by memory: use cache.size and leave nodeType unset" });
    } else if (!VALKEY_NODE_TYPES.includes(cache.nodeType)) {
      issues.push({ path: "cache.nodeType", value: cache.nodeType, message: `must be a Memorystore for Valkey node type: ${VALKEY_NODE_TYPES.join(", ")}` });
    }
  }
  return issues;
}
