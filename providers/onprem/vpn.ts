/** The on-prem vpn layer (being built on this branch). */
import type { VpnArgs, VpnOutputs } from "../../components/vpn";
import type { Scope } from "../../components/types";

export function onpremVpn(_scope: Scope, _args: VpnArgs): VpnOutputs {
  throw new Error("onprem vpn layer: not built yet");
}
