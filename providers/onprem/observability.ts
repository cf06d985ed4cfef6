/**
 * STUB, owned by the onprem-addons branch: the on-prem observability layer is built there and replaces
 * this file when that branch merges. It is not done until then.
 */
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import type { Scope } from "../../components/types";

export function onpremObservability(_scope: Scope, _args: ObservabilityArgs): ObservabilityOutputs {
  throw new Error("onprem observability layer: built in onprem-addons (not merged yet)");
}
