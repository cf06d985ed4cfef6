/**
 * STUB, owned by the onprem-addons branch: the on-prem addons layer is built there and replaces
 * this file when that branch merges. It is not done until then.
 */
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../../components/clusterAddons";
import type { Scope } from "../../components/types";

export function onpremAddons(_scope: Scope, _args: ClusterAddonsArgs): ClusterAddonsOutputs {
  throw new Error("onprem addons layer: built in onprem-addons (not merged yet)");
}
