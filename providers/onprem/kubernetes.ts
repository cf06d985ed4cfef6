/** The on-prem kubernetes layer (being built on this branch). */
import type { KubernetesClusterArgs, KubernetesOutputs } from "../../components/kubernetesCluster";
import type { Scope } from "../../components/types";

export function onpremKubernetes(_scope: Scope, _args: KubernetesClusterArgs): KubernetesOutputs {
  throw new Error("onprem kubernetes layer: not built yet");
}
