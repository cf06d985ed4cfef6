/**
 * Day-2 config changes: the edits users make to a running platform (admins, sizes, versions,
 * retention, allow-lists, tags). None of them may replace a resource, so each change is planned and
 * the inputs it alters are checked against the provider's replace-on-change inputs.
 */
import { DEFAULT_KUBERNETES_VERSION } from "../../components/versions";
import { CCE_KUBERNETES_VERSIONS } from "../../providers/huawei/catalog";

type Raw = Record<string, any>;

export interface ConfigChange {
  readonly name: string;
  /** Applies the change to a copy of the raw config; absent sections are created. */
  readonly apply: (raw: Raw, cloud: string) => void;
}

const section = (raw: Raw, key: string): Raw => (raw[key] ??= {});

const ADMIN: Record<string, string> = {
  aws: "arn:aws:iam::111122223333:role/platform-admin",
  gcp: "group:platform-admins@example.com",
  azure: "group:00000000-0000-4000-8000-00000000beef",
  oci: "ocid1.group.oc1..aaaaaaaaplatformadmins",
  alibaba: "role:312345678901234567",
};

export const CONFIG_CHANGES: readonly ConfigChange[] = [
  { name: "a tag added", apply: (r) => (section(r, "tags")["owner-team"] = "payments") },
  {
    name: "the first cluster admin added",
    // Clouds without the setting skip it (Huawei: CCE grants cluster access in its console).
    apply: (r, cloud) => {
      // Clouds whose catalog refuses admin principals (Volcengine: no VKE RBAC binding) skip it.
      if (!ADMIN[cloud]) return;
      const k = section(r, "kubernetes");
      k.adminPrincipals = [...(k.adminPrincipals ?? []), ADMIN[cloud]];
    },
  },
  {
    // The worst-case base runs the oldest accepted minor (see worstCaseConfig).
    name: "Kubernetes upgraded to the newest minor",
    apply: (r, cloud) => {
      // Huawei accepts only the minors CCE is known to offer; none newer than the base yet.
      if (cloud === "huawei" && !CCE_KUBERNETES_VERSIONS[DEFAULT_KUBERNETES_VERSION]) return;
      section(r, "kubernetes").version = DEFAULT_KUBERNETES_VERSION;
    },
  },
  {
    name: "node pools resized",
    apply: (r, cloud) => {
      for (const pool of section(r, "kubernetes").nodePools ?? []) {
        pool.maxSize = (pool.maxSize ?? 3) + 2;
        pool.minSize = (pool.minSize ?? 0) + 1;
        // On-prem machines are fixed (nothing adds nodes): a pool grows by its hosts.
        if (cloud === "onprem") pool.minSize = pool.maxSize;
        pool.desiredSize = pool.minSize;
      }
    },
  },
  {
    name: "a private access CIDR added",
    apply: (r) => {
      const e = (section(r, "kubernetes").endpoint ??= {});
      e.privateAccessCidrs = [...(e.privateAccessCidrs ?? []), "172.16.0.0/16"];
    },
  },
  {
    name: "log and metric retention changed",
    apply: (r) => {
      section(r, "kubernetes").logRetentionDays = 180;
      section(r, "network").flowLogRetentionDays = 180;
      section(r, "observability").retentionDays = 60;
    },
  },
  {
    name: "backup retention and schedule changed",
    apply: (r, cloud) => {
      const b = section(r, "backup");
      b.retentionDays = 60;
      b.schedule =
        cloud === "azure"
          ? "R/2025-01-01T04:00:00+00:00/P1D"
          : cloud === "onprem"
            ? "0 4 * * *"
            : "cron(0 4 * * ? *)";
    },
  },
  {
    name: "object lifecycle changed",
    apply: (r) => {
      const s = section(r, "storage");
      const o = (s.object ??= {});
      o.lifecycle = {
        transitionToInfrequentAccessDays: 60,
        noncurrentVersionExpirationDays: 120,
        abortIncompleteMultipartUploadDays: 3,
      };
    },
  },
  {
    name: "observability sized up, a log retention and (central) a tenant added",
    apply: (r) => {
      const o = section(r, "observability");
      o.collectorPreset = "large";
      if (o.mode !== "remote") o.retention = { ...(o.retention ?? {}), logs: 21 };
      if (o.mode === "central") o.central.tenants = [...o.central.tenants, "officeless-added"];
    },
  },
  {
    name: "a network admitted to privately exposed Grafana",
    apply: (r) => {
      const g = section(r, "observability").grafana;
      if (g?.exposure === "private") g.allowedCidrs = [...(g.allowedCidrs ?? []), "10.99.0.0/16"];
    },
  },
  {
    name: "a VPN peer network added",
    apply: (r, cloud) => {
      // OCI routes only the private ranges to its DRG (providers/oci/ranges.ts), and refuses others.
      const cidr = cloud === "oci" ? "172.31.0.0/16" : "192.0.2.0/24";
      for (const peer of section(r, "vpn").peers ?? []) peer.cidrs = [...(peer.cidrs ?? []), cidr];
    },
  },
];
