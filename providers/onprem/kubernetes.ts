/**
 * The on-prem kubernetes layer, in the mode `onprem.cluster.mode` names:
 * - `existing`: the customer's cluster, from its kubeconfig. Nothing is created; before the
 *   kubeconfig is exported, the API is probed (reachable, a supported minor of the configured
 *   distribution, nodes in every zone: ./probe.ts) unless `checkEndpoint` is false (the offline
 *   plan's mocks).
 * - `k3s`: an HA K3s cluster installed over SSH on the configured hosts (./k3s.ts).
 *
 * Cloud outputs without an on-prem counterpart are empty strings: `nodeSecurityGroupId` and
 * `clusterSecurityGroupId` (firewalls are the site's), `nodeIdentity` and `oidcIssuerUrl` (no cloud
 * identity federation), `encryptionKeyId` (`k3s:secrets-encryption` on K3s, whose server keeps the
 * key; the cluster's own setting on an existing one).
 */
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesClusterArgs, KubernetesOutputs } from "../../components/kubernetesCluster";
import type { Scope } from "../../components/types";
import { OFFLINE_SECRET_PLACEHOLDER } from "../../programs/configSchema";
import { onpremOf } from "./common";
import { k3sCluster } from "./k3s";
import { clusterCheck, kubeconfigCredentials } from "./probe";
import { k3sMinor } from "./versions";

/** The base64 CA bundle of the kubeconfig's current context, or "". */
function caOf(text: string): string {
  return kubeconfigCredentials(text).ca?.toString("base64") ?? "";
}

/** Where the offline plan's placeholder kubeconfig "points": it is never dialled. */
const OFFLINE_ENDPOINT = "https://offline-plan.invalid:6443";

export function onpremKubernetes(scope: Scope, args: KubernetesClusterArgs): KubernetesOutputs {
  const onprem = onpremOf(args);
  const common = {
    clusterName: pulumi.output(scope.name),
    clusterId: pulumi.output(`onprem:${onprem.distribution}:${scope.name}`),
    nodeSecurityGroupId: pulumi.output(""),
    clusterSecurityGroupId: pulumi.output(""),
    nodeIdentity: pulumi.output(""),
    oidcIssuerUrl: pulumi.output(""),
    nodePoolNames: pulumi.output(args.kubernetes.nodePools.map((p) => p.name)),
  };

  if (onprem.cluster.mode === "k3s") {
    const k3s = onprem.cluster.k3s!;
    const cluster = k3sCluster(scope, {
      name: scope.name,
      region: args.region,
      onprem,
      k3s,
      ssh: onprem.ssh!,
    });
    return {
      ...common,
      endpoint: cluster.endpoint,
      certificateAuthority: cluster.certificateAuthority,
      kubeconfig: cluster.kubeconfig,
      version: pulumi.output(k3sMinor(k3s.version) ?? args.kubernetes.version),
      encryptionKeyId: pulumi.output("k3s:secrets-encryption"),
    };
  }

  const check = args.checkEndpoint ?? true;
  const given = onprem.cluster.kubeconfig!;
  // The layer's outputs wait for the check, so a cluster that does not fit stops here.
  const verified = given.apply(async (text) => {
    if (text === OFFLINE_SECRET_PLACEHOLDER) {
      return { text, server: OFFLINE_ENDPOINT, version: args.kubernetes.version };
    }
    const server = kubeconfigCredentials(text).server;
    if (!check) return { text, server, version: args.kubernetes.version };
    const facts = await clusterCheck.verify(text, {
      distribution: onprem.distribution,
      zones: args.zones,
    });
    const minor = /^v?(1\.\d+)\./.exec(facts.gitVersion)?.[1] ?? args.kubernetes.version;
    return { text, server, version: minor };
  });
  return {
    ...common,
    endpoint: pulumi.unsecret(verified.apply((v) => v.server)),
    // The current context's CA (the placeholder has none).
    certificateAuthority: pulumi.unsecret(
      verified.apply((v) => (v.text === OFFLINE_SECRET_PLACEHOLDER ? "" : caOf(v.text))),
    ),
    kubeconfig: pulumi.secret(verified.apply((v) => v.text)),
    version: pulumi.unsecret(verified.apply((v) => v.version)),
    encryptionKeyId: pulumi.output(""),
  };
}
