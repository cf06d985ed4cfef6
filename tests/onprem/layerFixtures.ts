/**
 * Upstream outputs and component arguments for the on-prem layers built in the cluster (storage,
 * add-ons, load balancing, cache, observability), per distribution, from the parsed example
 * configs of ./fixtures.ts.
 */
import { BUCKET_PURPOSES } from "../../components/storage";
import { CommonArgs, PlatformConfig } from "../../components/types";
import { OnpremDistribution } from "../../providers/onprem/types";
import { bucketsBy, commonArgs, upstreamOutputs } from "../fixtures";
import { devK3sRaw, edit, parsed, Raw } from "./fixtures";

export { withKubernetes } from "../fixtures";

export const upstream = upstreamOutputs({
  network: {
    networkId: "onprem:dc1",
    cidr: "10.30.0.0/16",
    subnetIds: (tier, zones) =>
      tier === "private" ? zones.map((_, i) => `10.30.${i + 1}.0/24`) : [],
  },
  kubernetes: {
    clusterName: "officeless-prod",
    clusterId: "onprem:rke2:officeless-prod",
    endpoint: "https://10.30.0.5:6443",
    nodeSecurityGroupId: "",
    clusterSecurityGroupId: "",
    nodeIdentity: "",
    oidcIssuerUrl: "",
    encryptionKeyId: "",
  },
  storage: {
    fileSystemId: "rook-ceph/officeless-fs",
    buckets: bucketsBy((p) => `officeless-prod-${p}`),
    encryptionKeyId: "rook-ceph/rook-ceph-osd-encryption-key (dm-crypt, per OSD)",
  },
});

/** The prod site (RKE2, 3 rooms, Rook-Ceph) with its distribution and any other edits. */
export function prodConfig(
  distribution: OnpremDistribution = "rke2",
  change: (raw: Raw) => void = () => undefined,
): PlatformConfig {
  return parsed(
    edit((raw) => {
      raw.onprem.distribution = distribution;
      change(raw);
    }),
  );
}

/** The dev site (K3s over SSH, one rack). */
export function devConfig(change: (raw: Raw) => void = () => undefined): PlatformConfig {
  return parsed(edit(change, devK3sRaw));
}

/** The arguments every component takes, with the site's section. */
export function onpremArgs(config: PlatformConfig): CommonArgs {
  return { ...commonArgs(config), onprem: config.onprem };
}

export const PURPOSES = BUCKET_PURPOSES;

/** OpenShift's storage: ODF's classes as existing, an external S3 endpoint (upstream Rook is refused there). */
export function openshiftStorage(raw: Raw): void {
  raw.onprem.storage = {
    block: { provider: "existing", storageClassName: "ocs-storagecluster-ceph-rbd" },
    file: { provider: "none" },
    object: {
      provider: "external",
      external: {
        endpoint: "s3.dc1.example.com",
        accessKeyId: "AKIAOBJECTS",
        secretAccessKey: "objects-secret-key",
      },
    },
  };
  raw.storage = { file: { enabled: false } };
}
