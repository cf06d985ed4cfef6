/**
 * Kubernetes minors the platform accepts, with the dates each managed service ends standard
 * support for them: one table, checked on one date, so "which versions still create a cluster"
 * is answered in one place (shared/REVIEW.md, "Versions in time").
 *
 * Sources, read 2026-12-01: the EKS Kubernetes release calendar (docs.aws.amazon.com/eks,
 * kubernetes-versions), the GKE release schedule (cloud.google.com/kubernetes-engine/docs/release-schedule)
 * and the AKS release calendar (learn.microsoft.com/azure/aks/supported-kubernetes-versions).
 * 1.34 left standard support on EKS (2026-12-02) and AKS (2026-11-30, LTS only after) and 1.37
 * was not yet generally available on EKS, so 1.35 and 1.36 are the minors all three create.
 * On-prem follows upstream Kubernetes patch support (K3s and RKE2 release with it): the 28th of the
 * month about 14 months after the minor's release (kubernetes/website data/releases/schedule.yaml:
 * 1.26 released 2022-12 ended 2024-02-28, 1.27 released 2023-04 ended 2024-06-28), so 1.35
 * (2025-12) ends 2027-02-28 and 1.36 (2026-04) 2027-06-28; not re-read from the 1.35/1.36 entries.
 * ACK (alibabacloud.com/help/en/ack/product-overview/support-for-kubernetes-versions): one year of
 * support per minor from 1.31 on; 1.35 (released February 2026) ends 2027-02-28. The page as read
 * did not list 1.36 yet: its date is ACK's one-year rule applied to a mid-2026 release, an estimate
 * to re-check with `aliyun cs DescribeKubernetesVersionMetadata` (the backend also fails the deploy
 * with the offered releases when ACK has no release of the configured minor).
 * Re-check on the day with `aws eks describe-cluster-versions`, `gcloud container get-server-config`
 * and `az aks get-versions`.
 */
import type { CloudId } from "./types";

export const VERSIONS_CHECKED_ON = "2026-12-01";

/** End of standard support (ISO dates) per managed Kubernetes service, by minor. */
//
// OCI (OKE): its version table was not reachable from here; the dates are upstream's end of
// patch support (kubernetes.io/releases, 1.35: 2027-02-28, 1.36: 2027-06-28), which OKE follows
// (it supports the three newest minors). Re-check with
// `oci ce cluster-options get --cluster-option-id all` (kubernetesVersions).
export const KUBERNETES_SUPPORT = {
  "1.35": {
    aws: "2027-03-27",
    gcp: "2027-04-11",
    azure: "2027-03-31",
    oci: "2027-02-28",
    onprem: "2027-02-28",
    alibaba: "2027-02-28",
  },
  "1.36": {
    aws: "2027-08-02",
    gcp: "2027-06-30",
    azure: "2027-06-30",
    oci: "2027-06-28",
    onprem: "2027-06-28",
    alibaba: "2027-06-30",
  },
} as const satisfies Record<string, Partial<Record<CloudId, string>>>;

export type KubernetesMinor = keyof typeof KUBERNETES_SUPPORT;

/**
 * Supported clouds whose support calendar could not be read when the table was checked, with why
 * and where users are told to check the minors on the day. Their dates are missing on purpose, not
 * by oversight (tests/versions.test.ts skips only these).
 */
export const SUPPORT_NOT_TRACKED: Readonly<Partial<Record<CloudId, string>>> = {
  volcengine:
    "VKE publishes its version calendar in the console only (not readable offline); docs/clouds/volcengine.md step 4",
  huawei:
    "CCE's version calendar could not be read offline; the catalog accepts only the minors with a CCE release note (CCE_KUBERNETES_VERSIONS, providers/huawei/catalog.ts: 1.35), docs/clouds/huawei.md says where to check",
};

/** The minors the config accepts, oldest first. */
export const KUBERNETES_VERSIONS = Object.keys(KUBERNETES_SUPPORT).sort(
  (a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]),
) as KubernetesMinor[];

/** The newest minor: new clusters start there and have the longest runway. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesMinor =
  KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.length - 1];

/** When `cloud` ends standard support for `minor`, if the table knows. */
export function endOfStandardSupport(minor: string, cloud: CloudId): string | undefined {
  return (KUBERNETES_SUPPORT as Record<string, Partial<Record<CloudId, string>>>)[minor]?.[cloud];
}
