/**
 * On-prem rules, against what providers/onprem/ creates: Helm releases (Rook-Ceph, Valkey),
 * StorageClasses (Longhorn), ObjectBucketClaims and, with `onprem.cluster.mode: k3s`, the K3s
 * node installs (command:remote:Command, config on stdin).
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
  // The buckets' claims: with a Delete class, deleting one deletes its bucket (the Rook release and Valkey are Helm
  // releases, a type every layer uses, so the protection rule cannot pick them out by type).
  stateful: [/^kubernetes:objectbucket\.io\/v1alpha1:ObjectBucketClaim$/],
  policies: [storageEncryption, cacheTls, k3sSecrets],
};
