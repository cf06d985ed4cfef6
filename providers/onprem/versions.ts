/**
 * Pinned releases the on-prem backend installs itself, one table with the date it was checked
 * (shared/REVIEW.md, "Versions in time"). Pure data.
 *
 * K3s: the newest stable patch of each minor the platform accepts (components/versions.ts), read
 * from public K3s deployments and changelogs on 2026-12-01: v1.35.8+k3s1 is the newest v1.35
 * stable release that carries k3s-io/k3s#14201; v1.36.5+k3s1 the newest v1.36 one. Re-check with
 * `curl -s https://update.k3s.io/v1-release/channels | jq '.data[] | {name, latest}'`.
 */
export const ONPREM_VERSIONS_CHECKED_ON = "2026-12-01";

/** The K3s release installed for each Kubernetes minor, unless `onprem.cluster.k3s.version` is set. */
export const K3S_RELEASES: Readonly<Record<string, string>> = {
  "1.35": "v1.35.8+k3s1",
  "1.36": "v1.36.5+k3s1",
};

/** The Kubernetes minor of a K3s release: `v1.36.5+k3s1` -> `1.36`. */
export function k3sMinor(release: string): string | undefined {
  return /^v(1\.\d{2})\.\d+\+k3s\d+$/.exec(release)?.[1];
}
