/**
 * STUB, owned by the onprem-addons branch: the on-prem cache layer is built there and replaces
 * this file when that branch merges. It is not done until then.
 */
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import type { Scope } from "../../components/types";

export function onpremCache(_scope: Scope, _args: CacheArgs): CacheOutputs {
  throw new Error("onprem cache layer: built in onprem-addons (not merged yet)");
}
