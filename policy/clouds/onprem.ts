/**
 * On-prem rules: the data lives in the cluster, in bucket claims (RGW buckets) and in the Helm
 * releases whose workloads keep it (Ceph's cluster, Longhorn's volumes, the cache's persistent
 * volumes). Prod protects them as the clouds protect buckets and caches.
 */
import { CloudPolicies, OfficelessPolicy, ResourceView } from "../types";

const RELEASE = "kubernetes:helm.sh/v3:Release";

/** Charts whose release holds data: uninstalling one deletes it. */
export const DATA_CHARTS: ReadonlySet<string> = new Set([
  "rook-ceph-cluster",
  "longhorn",
  "valkey",
]);

/** Whether a resource is a release of a data-holding chart. */
export function holdsDataRelease(r: Pick<ResourceView, "type" | "props">): boolean {
  return r.type === RELEASE && DATA_CHARTS.has(String(r.props.chart));
}

const dataReleasesProtected: OfficelessPolicy = {
  kind: "resource",
  name: "onprem-data-releases-protected-in-prod",
  description:
    "In prod, Helm releases whose workloads hold data (rook-ceph-cluster, longhorn, valkey) are protected, so no destroy or replacement uninstalls them",
  enforcementLevel: "mandatory",
  types: [RELEASE],
  validate(r, { environment }, report) {
    if (environment === "prod" && holdsDataRelease(r) && !r.protect)
      report(`the ${String(r.props.chart)} release holds data and is not protected`);
  },
};

export const cloudPolicies: CloudPolicies = {
  cloud: "onprem",
  stateful: [/objectbucket\.io\/v1alpha1:ObjectBucketClaim$/],
  policies: [dataReleasesProtected],
};
