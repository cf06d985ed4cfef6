/**
 * STUB, owned by the onprem-addons branch: the on-prem storage layer is built there and replaces
 * this file when that branch merges. It is not done until then. The names below are the ones that
 * branch exports (backup.ts uses them); keep them identical.
 */
import type { StorageArgs, StorageOutputs } from "../../components/storage";
import type { Scope } from "../../components/types";

/** The StorageClass of RGW buckets (ObjectBucketClaims). */
export const BUCKET_CLASS = "officeless-bucket";

/** The in-cluster S3 endpoint of the RGW object store (host:port, no scheme). */
export function rgwEndpoint(): string {
  return "rook-ceph-rgw-officeless.rook-ceph.svc:80";
}

export function onpremStorage(_scope: Scope, _args: StorageArgs): StorageOutputs {
  throw new Error("onprem storage layer: built in onprem-addons (not merged yet)");
}
