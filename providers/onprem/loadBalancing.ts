/**
 * STUB, owned by the onprem-addons branch: the on-prem loadBalancing layer is built there and replaces
 * this file when that branch merges. It is not done until then.
 */
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../../components/loadBalancing";
import type { Scope } from "../../components/types";

export function onpremLoadBalancing(_scope: Scope, _args: LoadBalancingArgs): LoadBalancingOutputs {
  throw new Error("onprem loadBalancing layer: built in onprem-addons (not merged yet)");
}
