/**
 * On-prem rules, against what providers/onprem/ creates: Helm releases (Rook-Ceph, Longhorn,
 * Valkey), StorageClasses (Longhorn), ObjectBucketClaims and, with `onprem.cluster.mode: k3s`, the
 * K3s node installs (command:remote:Command, config on stdin). The data lives in the cluster, in
 * bucket claims (RGW buckets) and in the Helm releases whose workloads keep it (Ceph's cluster,
 * Longhorn's volumes, the cache's persistent volumes): prod protects them as the clouds protect
 * buckets and caches.
 *
 * Not rules here, because on-prem has no such setting of ours: private API endpoints, private
 * nodes and security groups (the site's network and firewalls), customer KMS keys (Ceph's dm-crypt
 * and Longhorn's keys are Kubernetes Secrets; K3s's secrets key stays on its servers), public
 * buckets (RGW buckets come from ObjectBucketClaims, which grant no public access), versioned key
 * references (no key service), and bounded node updates (K3s servers install one after the other
 * through dependsOn, which a resource policy does not see; agents follow the last server).
 */
import { parse as parseYaml } from "yaml";
import { expectAt, isTrue } from "../checks";
import { CloudPolicies, OfficelessPolicy, ResourceView } from "../types";
import { valueAt } from "../views";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const COMMAND = "command:remote:Command";

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

/** Whether a release installs `chart` (a repository chart name or an OCI reference ending in it). */
const installs = (r: ResourceView, chart: string) =>
  typeof r.props.chart === "string" && new RegExp(`(^|/)${chart}$`).test(r.props.chart);

const storageEncryption: OfficelessPolicy = {
  kind: "resource",
  name: "onprem-storage-encrypted",
  description:
    "Rook-Ceph encrypts OSDs at rest (dm-crypt, storage.config.encryptedDevice) and its wire protocol (msgr2 secure mode); Longhorn StorageClasses encrypt their volumes",
  enforcementLevel: "mandatory",
  types: [RELEASE, STORAGE_CLASS],
  validate(r, _context, report) {
    if (r.type === STORAGE_CLASS) {
      if (r.props.provisioner === "driver.longhorn.io")
        expectAt(r, "parameters.encrypted", isTrue, "must be true", report);
      return;
    }
    if (!installs(r, "rook-ceph-cluster")) return;
    const spec = "values.cephClusterSpec";
    expectAt(r, `${spec}.storage.config.encryptedDevice`, isTrue, "must be true", report);
    expectAt(r, `${spec}.network.connections.encryption.enabled`, isTrue, "must be true", report);
  },
};

const cacheTls: OfficelessPolicy = {
  kind: "resource",
  name: "onprem-cache-tls-and-auth",
  description: "The Valkey release serves TLS only and requires ACL authentication",
  enforcementLevel: "mandatory",
  types: [RELEASE],
  validate(r, _context, report) {
    if (!installs(r, "valkey")) return;
    expectAt(r, "values.tls.enabled", isTrue, "must be true", report);
    expectAt(r, "values.auth.enabled", isTrue, "must be true", report);
  },
};

/** A K3s server install: the platform's script runs K3s's installer as a server. */
const isK3sServer = (r: ResourceView) =>
  typeof r.props.create === "string" && r.props.create.includes("INSTALL_K3S_EXEC='server'");

const k3sSecrets: OfficelessPolicy = {
  kind: "resource",
  name: "onprem-k3s-secrets-encryption",
  description:
    "K3s servers encrypt Secrets at rest (secrets-encryption in the node config). The config is a secret: the offline plan cannot read it, a real preview's policies can",
  enforcementLevel: "mandatory",
  types: [COMMAND],
  validate(r, _context, report) {
    if (!isK3sServer(r) || r.isSecret("stdin") || typeof r.props.stdin !== "string") return;
    const config = parseYaml(r.props.stdin) as unknown;
    // Not a config document (a placeholder, another script's input): nothing to check.
    if (!config || typeof config !== "object" || Array.isArray(config)) return;
    if (!isTrue(valueAt(config, "secrets-encryption")))
      report("the K3s server config does not set secrets-encryption: true");
  },
};

export const cloudPolicies: CloudPolicies = {
  cloud: "onprem",
  // The buckets' claims (the releases that hold data are a type every layer uses: the rule above
  // picks them out by chart).
  stateful: [/objectbucket\.io\/v1alpha1:ObjectBucketClaim$/],
  policies: [dataReleasesProtected, storageEncryption, cacheTls, k3sSecrets],
};
