/**
 * STUB, owned by the onprem-addons branch: the on-prem storage layer is built there and replaces
 * this file when that branch merges. It is not done until then.
 */
import type { StorageArgs, StorageOutputs } from "../../components/storage";
import type { Scope } from "../../components/types";

export function onpremStorage(_scope: Scope, _args: StorageArgs): StorageOutputs {
  throw new Error("onprem storage layer: built in onprem-addons (not merged yet)");
}
